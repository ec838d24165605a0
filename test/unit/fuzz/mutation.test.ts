/**
 * Robustness: mutation fuzz of the corpus files through the path the language server takes on
 * every keystroke (overlay → Linter.run → overlay restored). Deterministic: the seed is printed,
 * and HOME_OPS_FUZZ_SEED / HOME_OPS_FUZZ_CASES / HOME_OPS_FUZZ_WORKERS reproduce or widen a run.
 */
import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import { EXAMPLE_REPO, SEED_CORPUS } from '../../support/repo';
import type { FuzzBase } from '../../support/fuzzRunner';
import { startFuzzWorker, type WorkerMessage } from '../../support/fuzzWorker';
import { sharedIfPresent } from '../../support/shared';

const SEED = Number(process.env['HOME_OPS_FUZZ_SEED'] ?? 20260101);
const CASES = Number(process.env['HOME_OPS_FUZZ_CASES'] ?? 10000);
const WORKERS = Math.max(1, Number(process.env['HOME_OPS_FUZZ_WORKERS'] ?? Math.min(2, os.availableParallelism())));
/**
 * A worker silent for this long is stuck in a case: it is stopped and the case named (a liveness
 * check; how long cases take is printed here and is a row of `npm run bench`).
 */
const HANG_MS = 15000;

interface Stats {
  times: number[];
  slowest: Array<{ ms: number; index: number; base: string; file: string; ops: string[] }>;
  failures: Array<{ index: number; base: string; file: string; ops: string[]; error: string; text: string }>;
  rules: Set<string>;
  byBase: Map<string, number>;
}

function runWorkers(bases: FuzzBase[]): Promise<Stats> {
  const stats: Stats = { times: [], slowest: [], failures: [], rules: new Set(), byBase: new Map() };
  return new Promise((resolve, reject) => {
    let running = WORKERS;
    for (let w = 0; w < WORKERS; w++) {
      const worker = startFuzzWorker({ seed: SEED, total: CASES, worker: w, workers: WORKERS, bases, consistencyEvery: 50 });
      let current: WorkerMessage | undefined;
      let last = Date.now();
      const watchdog = setInterval(() => {
        if (Date.now() - last < HANG_MS) return;
        clearInterval(watchdog);
        void worker.terminate();
        const c = current && current.type === 'start' ? current : undefined;
        reject(new Error(`fuzz worker ${w} hung for ${HANG_MS} ms in case ${c?.index} (seed ${SEED}): ${c?.base} ${c?.file} after ${c?.ops.join(', ')}`));
      }, 1000);
      worker.on('message', (m: WorkerMessage) => {
        last = Date.now();
        if (m.type === 'start') current = m;
        else if (m.type === 'result') {
          stats.times.push(m.ms);
          stats.byBase.set(m.base, (stats.byBase.get(m.base) ?? 0) + 1);
          stats.slowest.push({ ms: m.ms, index: m.index, base: m.base, file: m.file, ops: m.ops });
          if (stats.slowest.length > 20) stats.slowest.sort((a, b) => b.ms - a.ms).splice(5);
        } else if (m.type === 'failure') stats.failures.push(m);
        else if (m.type === 'done') for (const r of m.rules) stats.rules.add(r);
      });
      worker.on('error', (e) => {
        clearInterval(watchdog);
        reject(new Error(`fuzz worker ${w} failed in case ${JSON.stringify(current)} (seed ${SEED}): ${e.stack ?? e.message}`));
      });
      worker.on('exit', (code) => {
        clearInterval(watchdog);
        if (code !== 0) return reject(new Error(`fuzz worker ${w} exited with code ${code} (last case: ${JSON.stringify(current)})`));
        if (--running === 0) resolve(stats);
      });
    }
  });
}

describe('robustness: mutation fuzz of the corpus through overlay and linter', function () {
  this.timeout(240000);

  it(`survives ${CASES} mutated files without an exception, a malformed range or a hang`, async function () {
    const bases: FuzzBase[] = [{ name: 'examples/homelab', root: EXAMPLE_REPO, weight: 1 }];
    if (sharedIfPresent('fuzzing of the seed corpus (examples/homelab is fuzzed alone)', SEED_CORPUS)) bases.push({ name: 'seed-home-ops', root: SEED_CORPUS, weight: 1 });
    const started = Date.now();
    const stats = await runWorkers(bases);
    const wall = Date.now() - started;
    const sorted = [...stats.times].sort((a, b) => a - b);
    const pct = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    const slowest = stats.slowest.sort((a, b) => b.ms - a.ms).slice(0, 5);
    console.log(`      fuzz: seed ${SEED}, ${stats.times.length} cases (${[...stats.byBase].map(([b, n]) => `${n} on ${b}`).join(', ')}) in ${(wall / 1000).toFixed(1)} s on ${WORKERS} workers`);
    console.log(`      fuzz: per case p50 ${pct(0.5).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms, max ${(sorted[sorted.length - 1] ?? 0).toFixed(1)} ms`);
    for (const s of slowest) console.log(`      fuzz: slow case ${s.index}: ${s.ms.toFixed(1)} ms, ${s.base} ${s.file} [${s.ops.join(', ')}]`);
    console.log(`      fuzz: ${stats.rules.size} distinct rules reported: ${[...stats.rules].sort().join(' ')}`);

    const report = stats.failures.slice(0, 5).map((f) => `case ${f.index} (${f.base} ${f.file} [${f.ops.join(', ')}]):\n${f.error}\n--- text (first 400 chars) ---\n${JSON.stringify(f.text.slice(0, 400))}`);
    assert.equal(stats.failures.length, 0, `${stats.failures.length} failing cases (seed ${SEED}; HOME_OPS_FUZZ_SEED=${SEED} reproduces):\n${report.join('\n\n')}`);
    assert.equal(stats.times.length, CASES, 'every case ran');
    assert.ok(stats.rules.size >= 5, 'the mutations reach several rules');
  });
});
