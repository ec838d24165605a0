/**
 * One benchmark scenario in a fresh process, so peak memory is the scenario's own.
 * Prints one JSON line. Used by scripts/bench.ts; not a test.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
// The peer: a tool that parses every file with the `yaml` package directly (not through our seam).
import { parseAllDocuments } from 'yaml';
import { RepositoryModel } from '../../src/core/model/repositoryModel';
import { Linter } from '../../src/core/rules';
import { DEFAULT_SETTINGS } from '../../src/server/settings';
import { WorkspaceFolderState } from '../../src/server/workspace';
import { BURST_SHAPE, BURST_SWAP } from './burst';
import { switchBranch } from '../../test/support/branchSwitch';

const [scenario, root, extra] = process.argv.slice(2) as [string, string, string | undefined];

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.git' || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const result: Record<string, number | string> = { scenario };
if (scenario === 'idle') {
  // Baseline: the runtime and its loader alone.
} else if (scenario === 'build') {
  const t0 = performance.now();
  const model = new RepositoryModel(root);
  result['buildMs'] = performance.now() - t0;
  result['apps'] = model.apps().length;
  result['appsets'] = model.appsets().length;
  result['files'] = model.tree.files.size;
  if (extra === 'update') {
    const times: number[] = [];
    const category = model.apps()[0]?.path?.split('/').slice(0, -1).join('/') ?? '';
    for (let i = 0; i < 25; i++) {
      const rel = `${category}/bench-new-${i}`;
      fs.mkdirSync(path.join(root, rel), { recursive: true });
      fs.writeFileSync(path.join(root, rel, 'kustomization.yaml'), 'resources: []\n');
      const t = performance.now();
      model.applyChanges([rel]);
      times.push(performance.now() - t);
    }
    result['appsAfter'] = model.apps().length;
    result['updateMedianMs'] = median(times);
    result['updateMaxMs'] = Math.max(...times);
    for (let i = 0; i < 25; i++) fs.rmSync(path.join(root, `${category}/bench-new-${i}`), { recursive: true, force: true });
  }
} else if (scenario === 'burst') {
  // A branch switch on a repository left on `main` by writeBranchRepo (scripts/bench/burst.ts):
  // to `topic` through the model alone, back to `main` through the server's folder state, each
  // compared with a fresh build of the disk it ends on.
  const model = new RepositoryModel(root);
  const toTopic = switchBranch(root, BURST_SHAPE, 'topic', { swapPerCategory: BURST_SWAP, seed: 1 });
  const before = model.work;
  let t = performance.now();
  model.update({ paths: toTopic.map((e) => e.rel) });
  result['updateMs'] = performance.now() - t;
  result['events'] = toTopic.length;
  result['deleted'] = toTopic.filter((e) => e.type === 3).length;
  result['created'] = toTopic.filter((e) => e.type === 1).length;
  result['passes'] = model.work.passes - before.passes;
  result['evaluations'] = model.work.evaluations - before.evaluations;
  t = performance.now();
  const fresh = new RepositoryModel(root);
  result['freshBuildMs'] = performance.now() - t;
  result['apps'] = fresh.apps().length;
  result['same'] = JSON.stringify(fresh.apps().map((a) => a.name)) === JSON.stringify(model.apps().map((a) => a.name)) ? 1 : 0;
  const folder = new WorkspaceFolderState(root, DEFAULT_SETTINGS, { publish: () => undefined, modelChanged: () => undefined, log: () => undefined }, 3_600_000);
  const toMain = switchBranch(root, BURST_SHAPE, 'main', { swapPerCategory: BURST_SWAP, seed: 2 });
  t = performance.now();
  for (const e of toMain) folder.fileChanged(e.rel);
  result['queueMs'] = performance.now() - t;
  folder.flush();
  result['serverMs'] = performance.now() - t;
  folder.dispose();
  t = performance.now();
  new Linter(new RepositoryModel(root)).run();
  result['freshLintMs'] = performance.now() - t;
} else if (scenario === 'parse-all') {
  // Peer: what a tool that fully parses every YAML file with ranges spends on the same tree.
  const t0 = performance.now();
  let docs = 0;
  for (const f of yamlFiles(root)) docs += parseAllDocuments(fs.readFileSync(f, 'utf8')).length;
  result['parseAllMs'] = performance.now() - t0;
  result['docs'] = docs;
}
result['maxRssMB'] = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify(result)}\n`);
