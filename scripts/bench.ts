/**
 * `npm run bench`: performance figures against the targets in the issues, each beside a peer
 * measured in the same run (never a timed test: this machine is noisy). Prints a table.
 *
 * Engine: model build time and peak memory on the seed corpus and on a generated repository of
 * 10,000 app directories under 50 ApplicationSets (targets: < 2 s, < 300 MB), and the time to
 * update the model after one directory is added (target: < 20 ms). Peer: parsing every YAML file
 * of the same tree with ranges (the `yaml` package), which a naive tool would do.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchStatus } from './bench/status';

const SEED = path.resolve(__dirname, '../../shared/corpus/seed-home-ops');
const RUNS = 3;

function worker(...args: string[]): Record<string, number> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'bench/engineWorker.ts'), ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench worker ${args.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Record<string, number>;
}

function medianOf(args: string[], key: string): { value: number; last: Record<string, number> } {
  const runs = Array.from({ length: RUNS }, () => worker(...args));
  const values = runs.map((r) => r[key] as number).sort((a, b) => a - b);
  return { value: values[Math.floor(values.length / 2)] as number, last: runs[runs.length - 1] as Record<string, number> };
}

/** 50 category ApplicationSets × 200 apps, each app a kustomization + values file. */
function generateRepo(): string {
  const root = path.join(os.tmpdir(), 'home-ops-bench-10k');
  const stamp = path.join(root, '.stamp-v1');
  if (fs.existsSync(stamp)) return root;
  fs.rmSync(root, { recursive: true, force: true });
  for (let c = 0; c < 50; c++) {
    const category = `category-${String(c).padStart(2, '0')}`;
    const appsetText = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: ${category}
  namespace: argocd
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - git:
        repoURL: https://git.example.org/bench.git
        revision: main
        directories:
          - path: cluster/kubernetes/apps/${category}/*
  template:
    metadata:
      name: "{{index .path.segments 3}}-{{.path.basename}}"
      labels:
        app.kubernetes.io/category: "{{index .path.segments 3}}"
        app.kubernetes.io/name: "{{.path.basename}}"
    spec:
      project: apps
      source:
        repoURL: https://git.example.org/bench.git
        targetRevision: main
        path: "{{.path.path}}"
      destination:
        server: https://kubernetes.default.svc
        namespace: "{{index .path.segments 3}}"
      syncPolicy:
        automated: {prune: true, selfHeal: true}
        syncOptions: [CreateNamespace=true, ServerSideApply=true]
`;
    fs.mkdirSync(path.join(root, 'cluster/kubernetes/argocd'), { recursive: true });
    fs.writeFileSync(path.join(root, `cluster/kubernetes/argocd/appset-${category}.yaml`), appsetText);
    for (let a = 0; a < 200; a++) {
      const dir = path.join(root, 'cluster/kubernetes/apps', category, `app-${String(a).padStart(3, '0')}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'kustomization.yaml'), `---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ${category}\nhelmCharts:\n  - name: app-template\n    repo: oci://ghcr.io/bjw-s-labs/helm\n    version: 4.6.2\n    releaseName: app-${a}\n    valuesFile: values.yaml\n`);
      fs.writeFileSync(path.join(dir, 'values.yaml'), `controllers:\n  main:\n    containers:\n      app:\n        image:\n          repository: ghcr.io/example/app-${a}\n          tag: 1.0.${a}\n`);
    }
  }
  fs.writeFileSync(stamp, '');
  return root;
}

function row(cells: Array<string | number>): string {
  return cells.map((c, i) => String(c).padEnd(i === 0 ? 72 : 22)).join('');
}

function main(): void {
  const idle = worker('idle')['maxRssMB'] as number;
  const lines: string[] = [];
  lines.push(`home-ops bench — ${new Date().toISOString()} — node ${process.version}, ${os.cpus().length} cores; medians of ${RUNS} runs`);
  lines.push(`baseline process (node + tsx loader) peak RSS: ${idle.toFixed(0)} MB; memory figures below subtract it`);
  lines.push('');
  lines.push(row(['scenario', 'ours', 'peer', 'ratio', 'target']));
  const scenarios: Array<[string, string]> = [];
  if (fs.existsSync(path.join(SEED, 'pitower'))) scenarios.push(['seed corpus', SEED]);
  else lines.push(`(seed corpus not found at ${SEED}: its rows are missing)`);
  scenarios.push(['generated: 10,000 apps / 50 appsets', generateRepo()]);
  for (const [label, root] of scenarios) {
    const build = medianOf(['build', root, label.startsWith('generated') ? 'update' : ''], 'buildMs');
    const peer = medianOf(['parse-all', root], 'parseAllMs');
    const info = build.last;
    lines.push(row([`${label}: model build (${info['apps']} apps, ${info['files']} files)`, `${build.value.toFixed(0)} ms`, `${peer.value.toFixed(0)} ms`, `${(build.value / peer.value).toFixed(2)}×`, label.startsWith('generated') ? '< 2000 ms' : '']));
    lines.push(row([`${label}: peak memory above baseline`, `${((info['maxRssMB'] as number) - idle).toFixed(0)} MB`, `${((peer.last['maxRssMB'] as number) - idle).toFixed(0)} MB`, '', label.startsWith('generated') ? '< 300 MB' : '']));
    if (info['updateMedianMs'] !== undefined) {
      lines.push(row([`${label}: update after one directory added`, `${(info['updateMedianMs'] as number).toFixed(2)} ms`, `${build.value.toFixed(0)} ms`, `${((info['updateMedianMs'] as number) / build.value).toFixed(4)}×`, '< 20 ms']));
      lines.push(row(['  (peer for the update: a full rebuild; max of 25 updates)', `${(info['updateMaxMs'] as number).toFixed(2)} ms`, '', '', '']));
    }
  }
  lines.push('');
  lines.push('peer = parsing every YAML file of the same tree with ranges (yaml parseAllDocuments), what a tool without classification does');
  console.log(lines.join('\n'));
}

async function statusSection(): Promise<void> {
  const ours = await benchStatus(1000, 200, 10, true);
  const peer = await benchStatus(1000, 200, 2, false);
  const lines = ['', 'Live status: 1,000 apps, 200 watch events/s for 10 s through the StatusModel and the tree (peer: a tree rebuilt on every event, 2 s)'];
  lines.push(row(['scenario', 'ours', 'peer', 'ratio', 'target']));
  lines.push(row(['events sent / apps verified / lost', `${ours.eventsSent} / ${ours.appsVerified} / ${ours.lost}`, `${peer.eventsSent} / ${peer.appsVerified} / ${peer.lost}`, '', 'none lost']));
  lines.push(row(['tree refreshes (most in any second)', `${ours.refreshes} (${ours.maxRefreshesPerSecond})`, `${peer.refreshes} (${peer.maxRefreshesPerSecond})`, '', '<= 10 per second']));
  lines.push(row(['CPU time per event', `${ours.cpuMicrosPerEvent.toFixed(0)} µs`, `${peer.cpuMicrosPerEvent.toFixed(0)} µs`, `${(ours.cpuMicrosPerEvent / peer.cpuMicrosPerEvent).toFixed(2)}×`, '']));
  console.log(lines.join('\n'));
}

main();
void statusSection();
