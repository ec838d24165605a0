/**
 * Bench rows for the rendered-manifest preview (issue 6), for scripts/bench.ts:
 * - cold: a fresh cache, the fixture kustomize app (helmCharts + chartHome, Helm enabled);
 * - cached: the same render again (target < 50 ms);
 * - overhead: cold render minus the binary's own time for the same command, run directly
 *   (target < 100 ms): the cost of source detection, input hashing, spawning and splitting.
 * Medians of `runs`. Needs helm and kustomize (scripts/tools/install.sh); returns [] without them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findOnPath, locateBinaries, RenderCache, renderApp } from '../../src/core/render';

export interface RenderBenchRow {
  label: string;
  ms: number;
  /** The peer the row compares with (the binary run directly), when there is one. */
  peerMs?: number;
  target?: string;
}

const FIXTURE = path.resolve(__dirname, '../../test/fixtures/render/homelab');
const APP = 'cluster/apps/media/jellyfin';
const BUILD = ['--enable-helm', '--load-restrictor', 'LoadRestrictionsNone'];

export async function benchRender(runs = 5): Promise<RenderBenchRow[]> {
  const toolsBin = path.join(process.env['HOME_OPS_CACHE'] || path.join(os.homedir(), '.cache', 'home-ops'), 'tools', 'bin');
  const env = { ...process.env, PATH: `${toolsBin}${path.delimiter}${process.env['PATH'] ?? ''}` };
  const kustomize = findOnPath('kustomize', env);
  if (!kustomize || !findOnPath('helm', env)) return [];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-bench-render-'));
  fs.cpSync(FIXTURE, root, { recursive: true });
  const binaries = locateBinaries({}, { env });
  await binaries.kustomize(); // version probes are per session, not per render
  await binaries.helm();
  const cold: number[] = [];
  const cached: number[] = [];
  const direct: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-bench-cache-'));
      try {
        const cache = new RenderCache(path.join(cacheDir, 'render'));
        const opts = { root, trusted: true, cacheDir, binaries, buildOptions: BUILD.join(' '), cache };
        const app = { name: 'media-jellyfin', path: APP };
        const a = await renderApp(app, opts);
        const b = await renderApp(app, opts);
        if (a.cached || !b.cached) throw new Error('bench: expected a cold render then a cache hit');
        cold.push(a.durationMs);
        cached.push(b.durationMs);
        const t = performance.now();
        const r = spawnSync(kustomize, ['build', '.', ...BUILD, '--helm-command', (await binaries.helm()).file], { cwd: path.join(root, APP), env });
        direct.push(performance.now() - t);
        if (r.status !== 0) throw new Error(`bench: kustomize failed: ${r.stderr}`);
      } finally {
        fs.rmSync(cacheDir, { recursive: true, force: true });
      }
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  const coldMs = median(cold);
  const directMs = median(direct);
  return [
    { label: 'render preview: fixture kustomize+helm app, cold', ms: coldMs, peerMs: directMs },
    { label: 'render preview: same app, cached', ms: median(cached), peerMs: coldMs, target: '< 50 ms' },
    { label: 'render preview: overhead on top of `kustomize build` run directly', ms: coldMs - directMs, peerMs: directMs, target: '< 100 ms' },
  ];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

if (require.main === module) {
  void benchRender().then((rows) => {
    for (const r of rows) process.stdout.write(`${r.label.padEnd(72)}${r.ms.toFixed(1).padStart(8)} ms${r.peerMs !== undefined ? `  (peer ${r.peerMs.toFixed(1)} ms)` : ''}${r.target ? `  target ${r.target}` : ''}\n`);
  });
}
