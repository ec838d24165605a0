/**
 * `npm run bench`: performance figures against the targets in the issues, each beside a peer
 * measured in the same run (never a timed test: this machine is noisy). Prints a table.
 *
 * Engine: model build time and peak memory on the seed corpus and on a generated repository of
 * 10,000 app directories under 50 ApplicationSets (targets: < 2 s, < 300 MB), and the time to
 * update the model after one directory is added (target: < 20 ms). Peer: parsing every YAML file
 * of the same tree with ranges (the `yaml` package), which a naive tool would do.
 *
 * Live status (scripts/bench/status.ts): watch events through the StatusModel and the tree.
 * Lint (scripts/bench/lint.ts): the seed corpus with every rule, beside yaml-language-server in
 * the same process validating the same files against our schemas (target: ≤ 0.2× its time).
 * Values files (scripts/bench/values.ts): the seed's values files checked against app-template in
 * a chart cache — first check (target < 1 s) and an edit's diagnostics (target: p95 < 30 ms),
 * beside yaml-language-server validating the same file against the same values.schema.json.
 * Language server (scripts/bench/lsp.ts): didChange → publishDiagnostics on the largest
 * ApplicationSet, p50/p95/max (target: p95 < 30 ms, on top of the deliberate debounce).
 * Render (scripts/bench/render.ts): preview of a fixture app, cold vs cached (targets: cached
 * < 50 ms, overhead on top of the binaries < 100 ms).
 * Lint --render (scripts/bench/lintRender.ts): `home-ops lint --render` over the seed corpus with
 * every chart cached — a stand-in chart, since no registry is reachable here — cold (empty render
 * cache) and warm, beside `kustomize build` run directly per app at the same concurrency, and
 * every app's manifests compared with the peer's.
 * Template: 40,000 short renders of ApplicationSet-style names (target < 2 s), beside parsing
 * each time. Robustness (scripts/bench/robustness.ts): the slowest pathological input and the
 * mutation fuzz per case (targets: < 10 s, < 2 s). These figures were wall-clock bounds in unit
 * tests once; here they are measured, not pass/fail.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LintBenchResult } from './bench/lint';
import type { ValuesBenchResult } from './bench/values';
import type { LintRenderBenchResult } from './bench/lintRender';
import { benchLspLatency, type Percentiles } from './bench/lsp';
import { burstRepo } from './bench/burst';
import { benchRender } from './bench/render';
import { benchStatus } from './bench/status';
import type { RobustnessResult } from './bench/robustness';
import { executeGoTemplate, parseGoTemplate, renderGoTemplate, typedSlice } from '../src/core/template';

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
  // A cell wider than its column keeps one space before the next.
  return cells.map((c, i) => (String(c).length >= (i === 0 ? 72 : 22) ? `${c} ` : String(c).padEnd(i === 0 ? 72 : 22))).join('');
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
  const burst = burstRows();
  lines.push('');
  lines.push('peer = parsing every YAML file of the same tree with ranges (yaml parseAllDocuments), what a tool without classification does');
  lines.push('');
  lines.push(burst.title);
  lines.push(row(['scenario', 'ours', 'peer', 'ratio', 'target']));
  lines.push(...burst.rows);
  console.log(lines.join('\n'));
}

/** A branch switch's file events (scripts/bench/burst.ts), medians of RUNS fresh processes. */
function burstRows(): { title: string; rows: string[] } {
  const root = burstRepo();
  const runs = Array.from({ length: RUNS }, () => worker('burst', root));
  const med = (key: string) => runs.map((r) => r[key] as number).sort((a, b) => a - b)[Math.floor(runs.length / 2)] as number;
  const last = runs[runs.length - 1] as Record<string, number>;
  const same = runs.every((r) => r['same'] === 1);
  const title = `Burst: ${last['events']} file events, shuffled (a branch switch: ${last['deleted']} files deleted, ${last['created']} created) on ${last['apps']} apps / 10 appsets (peer: a fresh model build of the same disk)`;
  return {
    title,
    rows: [
      row([`model: one update for the burst (${med('passes')} pass, ${med('evaluations')} evaluations)`, ms(med('updateMs')), ms(med('freshBuildMs')), ratio(med('updateMs'), med('freshBuildMs')), '< 2000 ms']),
      row(['server: events queued, then one update + lint + publish (peer: fresh build + lint)', ms(med('serverMs')), ms(med('freshLintMs')), ratio(med('serverMs'), med('freshLintMs')), '< 2000 ms']),
      row(['  of which queueing the events as they arrive', ms(med('queueMs')), '', '', '']),
      row(['  model after the burst equals a fresh build (every run)', same ? 'yes' : 'NO', '', '', 'yes']),
    ],
  };
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

const ms = (x: number) => `${x.toFixed(x < 100 ? 1 : 0)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const lines1 = (xs: number[]) => xs.map((l) => l + 1).join(', ') || 'none';

async function lintSection(): Promise<void> {
  if (!fs.existsSync(path.join(SEED, 'pitower'))) {
    console.log(`\nLint: (seed corpus not found at ${SEED}: section skipped)`);
    return;
  }
  // In a process of its own (ours and the peer share it): the heap the other sections leave
  // behind would slow both sides and say nothing about either.
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'bench/lint.ts'), SEED], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (child.status !== 0) throw new Error(`bench: lint section failed:\n${child.stderr}`);
  const r = JSON.parse(child.stdout) as LintBenchResult;
  const lines = ['', `Lint: seed corpus with every rule (${r.files} files, ${r.yamlFiles} YAML; ${r.targets} Argo CD + kustomization files schema-checked) (peer: yaml-language-server ${r.peerVersion}, same process, same ${r.targets} files, our schemas)`];
  lines.push(row(['scenario', 'ours', 'peer', 'ratio', 'target']));
  lines.push(row([`lint, warm (median of ${r.runs} runs; ratio: median of rounds)`, ms(r.ours.warmMs), ms(r.peer.warmMs), `${r.warmRatio.toFixed(3)}×`, '<= 0.20×']));
  lines.push(row(['lint, cold (first run in a fresh process)', ms(r.ours.coldMs), ms(r.peer.coldMs), `${r.coldRatio.toFixed(3)}×`, '']));
  lines.push(row(['schema findings on the corpus (ours: schema rule; peer: all)', r.ours.schemaProblems, r.peer.diagnostics, '', 'comparable']));
  lines.push(row(['  (all our rules on the corpus: problems)', r.ours.problems, '', '', '']));
  for (const s of r.samples.ours) lines.push(`    ours: ${s}`);
  for (const s of r.samples.peer) lines.push(`    peer: ${s}`);
  for (const b of r.broken) {
    lines.push(row([`broken copy of ${path.posix.basename(b.file)}: error lines (want ${lines1(b.expected)})`, lines1(b.oursLines), lines1(b.peerLines), '', 'every wanted line']));
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  console.log(lines.join('\n'));
}

async function valuesSection(): Promise<void> {
  if (!fs.existsSync(path.join(SEED, 'pitower'))) {
    console.log(`\nValues files: (seed corpus not found at ${SEED}: section skipped)`);
    return;
  }
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'bench/values.ts'), SEED], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (child.status !== 0) throw new Error(`bench: values section failed:\n${child.stderr}`);
  const r = JSON.parse(child.stdout) as ValuesBenchResult;
  const lines = ['', `Values files: seed corpus, ${r.valuesUses} chart references, ${r.checked} with app-template 4.6.2 in the chart cache (the project's fixture chart stands in for bjw-s's; peer: yaml-language-server, same process, same values file, same values.schema.json)`];
  lines.push(row(['scenario', 'ours', 'peer', 'ratio', 'target']));
  lines.push(row(['first check: model + every rule, fresh process (median of 3)', ms(r.firstMs.withCharts), '', '', '< 1000 ms']));
  lines.push(row(['  the same without the chart cache (values unchecked)', ms(r.firstMs.withoutCharts), '', '', '']));
  const d = (k: 'p50' | 'p95' | 'max', target = '') => lines.push(row([`edit ${r.file.split('/').slice(-2).join('/')} → diagnostics: ${k} (${r.edits} edits; peer: that file alone)`, ms(r.ours[k]), ms(r.peer[k]), ratio(r.ours[k], r.peer[k]), target]));
  d('p50');
  d('p95', '< 30 ms');
  d('max');
  lines.push(row(['  the same edits without the chart cache: p50 / p95', `${ms(r.oursWithoutCharts.p50)} / ${ms(r.oursWithoutCharts.p95)}`, '', '', '']));
  lines.push(row(['values-schema findings in the edited file / peer diagnostics', r.oursFindingsOnEdit, r.peerFindingsOnEdit, '', '']));
  console.log(lines.join('\n'));
}

async function lspSection(): Promise<void> {
  if (!fs.existsSync(path.join(SEED, 'pitower'))) {
    console.log(`\nLanguage server: (seed corpus not found at ${SEED}: section skipped)`);
    return;
  }
  const r = await benchLspLatency(SEED);
  const d = r.debounceMs;
  const lines = ['', `Language server: didChange → publishDiagnostics on ${r.file} (${r.bytes} bytes, ${r.apps} apps), ${r.edits} edits; server debounce ${d} ms (peer: full rebuild + lint in-process per edit)`];
  lines.push(row(['scenario', 'ours', 'peer', 'ratio', 'target']));
  const pct = (label: string, ours: Percentiles, peer: Percentiles | undefined, target: Partial<Record<keyof Percentiles, string>>) => {
    for (const k of ['p50', 'p95', 'max'] as const) lines.push(row([`${label}: ${k}`, ms(ours[k]), peer ? ms(peer[k]) : '', peer ? ratio(ours[k], peer[k]) : '', target[k] ?? '']));
  };
  pct(`latency minus the ${d} ms debounce (server work + stdio)`, r.minusDebounce, r.fullRebuild, { p95: '< 30 ms' });
  pct(`latency end to end, incl. the ${d} ms debounce`, r.endToEnd, undefined, { p95: '(debounce by design)' });
  pct('  in-process: incremental model update (setOverlay)', r.incrementalUpdate, undefined, {});
  pct('  in-process: lint of the whole repository after it', r.lintAfterUpdate, undefined, {});
  pct('completion + hover at a template value, round trip', r.editing, undefined, { p50: '< 50 ms' });
  for (const n of r.notes) lines.push(`note: ${n}`);
  console.log(lines.join('\n'));
}

async function renderSection(): Promise<void> {
  const rows = await benchRender();
  const lines = ['', 'Render preview: fixture kustomize + helm app (peer: `kustomize build` run directly; for the cached row, the cold render)'];
  if (rows.length === 0) {
    lines.push('(helm or kustomize not found: `npm run tools:install` installs them; section skipped)');
  } else {
    lines.push(row(['scenario', 'ours', 'peer', 'ratio', 'target']));
    for (const r of rows) lines.push(row([r.label, ms(r.ms), r.peerMs !== undefined ? ms(r.peerMs) : '', r.peerMs !== undefined ? ratio(r.ms, r.peerMs) : '', r.target ?? '']));
  }
  console.log(lines.join('\n'));
}

async function lintRenderSection(): Promise<void> {
  if (!fs.existsSync(path.join(SEED, 'pitower'))) {
    console.log(`\nLint --render: (seed corpus not found at ${SEED}: section skipped)`);
    return;
  }
  const toolsBin = path.join(process.env['HOME_OPS_CACHE'] || path.join(os.homedir(), '.cache', 'home-ops'), 'tools', 'bin');
  const pathWithTools = `${toolsBin}${path.delimiter}${process.env['PATH'] ?? ''}`;
  if (!['helm', 'kustomize'].every((b) => spawnSync(b, ['version'], { env: { ...process.env, PATH: pathWithTools } }).status === 0)) {
    console.log('\nLint --render: (helm or kustomize not found: `npm run tools:install` installs them; section skipped)');
    return;
  }
  // In a process of its own: it sets the cache folders in its environment.
  const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'bench/lintRender.ts'), SEED], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (child.status !== 0) throw new Error(`bench: lint --render section failed:\n${child.stderr}`);
  const r = JSON.parse(child.stdout) as LintRenderBenchResult;
  const c = r.charts;
  const lines = [
    '',
    `Lint --render: seed corpus, ${r.apps} apps (${r.kustomizeApps} kustomize builds; ${c.entries} helmCharts entries, ${c.distinct} distinct charts), every chart cached; kustomize ${r.tools.kustomize}, helm ${r.tools.helm}, build options \`${r.buildOptions}\` (peer: \`kustomize build\` run directly per app, same binaries and options, ${r.concurrency} at a time as lint --render)`,
    `  STAND-IN CHARTS: no chart registry is reachable from this machine, so every chart is the project's fixture test/fixtures/charts/app-template (a Deployment per controller, a Service per service; its values.schema.json left out, it would refuse the real values) under the name and version each kustomization asks for — ${c.appTemplateEntries} entries ask for bjw-s app-template 4.6.2, the others for ${c.names.length - 1} other charts. Real charts have far more templates: helm's share of each render is larger in real life, and the findings are the stand-in's.`,
    `  Home-Ops finds the charts in its chart cache (HOME_OPS_CHART_CACHE, as \`home-ops charts pull\` leaves it); the peer in each app's chartHome (charts/<name>-<version>/<name>), where kustomize looks before pulling.`,
  ];
  lines.push(row(['scenario', 'ours', 'peer', 'ratio', 'target']));
  const perApp = (x: number) => ms(x / r.apps);
  lines.push(row([`home-ops lint --render, cold: empty render cache (total, median of ${r.runs})`, ms(r.ours.coldMs), ms(r.peer.totalMs), ratio(r.ours.coldMs, r.peer.totalMs), '']));
  lines.push(row([`  per app (total / ${r.apps} apps)`, perApp(r.ours.coldMs), perApp(r.peer.totalMs), '', '']));
  lines.push(row(['home-ops lint --render, warm: every render cached (peer: no cache)', ms(r.ours.warmMs), ms(r.peer.totalMs), ratio(r.ours.warmMs, r.peer.totalMs), '']));
  lines.push(row(['  cold − warm: what rendering costs when no render is cached', ms(r.ours.coldMs - r.ours.warmMs), '', '', '']));
  lines.push(row(['  home-ops lint without --render (model + every rule)', ms(r.ours.lintOnlyMs), '', '', '']));
  const one = (label: string, k: 'p50' | 'p90' | 'max') => lines.push(row([`one app at a time, ${label}: ${k}`, ms(r.perApp.oursCold[k]), ms(r.perApp.peer[k]), ratio(r.perApp.oursCold[k], r.perApp.peer[k]), '']));
  one('cold render', 'p50');
  one('cold render', 'p90');
  one('cold render', 'max');
  lines.push(row(['one app at a time, cached render: p50 / max (peer: its cold p50)', `${ms(r.perApp.oursCached.p50)} / ${ms(r.perApp.oursCached.max)}`, ms(r.perApp.peer.p50), `${(r.perApp.oursCached.p50 / r.perApp.peer.p50).toFixed(4)}×`, '']));
  lines.push(row(['apps rendered cold / cached on the warm run / failed', `${r.ours.renderedCold} / ${r.ours.cachedWarm} / ${r.ours.failed.length}`, `${r.kustomizeApps} / – / ${r.peer.failed.length}`, '', `${r.apps} / ${r.apps} / 0`]));
  lines.push(row(['manifests equal to the peer\'s output, byte for byte (every app)', `${r.equal} of ${r.kustomizeApps}`, '', '', 'all']));
  for (const d of r.differ) lines.push(`  differs: ${d}`);
  for (const f of [...r.ours.failed, ...r.peer.failed]) lines.push(`  failed: ${f}`);
  lines.push(`note: lint --render's findings on the stand-in (cold run): ${r.ours.findings}.`);
  lines.push('note: ours is the CLI bundled and minified like the release, one process per run (model, every rule and the renders, as a user runs it); cold = a fresh HOME_OPS_CACHE (no render cache, no private copies), warm = the same command again. The peer runs one `kustomize build` per app in a worker pool of the same size. One app at a time: ours is renderApp in one process (the private copy, the cached chart placed, the build), the peer its process alone, each app by both back to back.');
  console.log(lines.join('\n'));
}

async function templateSection(): Promise<void> {
  const params = { path: { path: 'cluster/kubernetes/apps/media/sonarr', basename: 'sonarr', segments: typedSlice(['cluster', 'kubernetes', 'apps', 'media', 'sonarr'], 'string') } };
  const texts = (i: number) => ['{{index .path.segments 3}}-{{.path.basename}}', `app-${i % 500}-{{.path.basename}}`];
  const time = (render: (text: string) => string) => {
    const runs: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      for (let i = 0; i < 20000; i++) for (const t of texts(i)) render(t);
      runs.push(performance.now() - t0);
    }
    return runs.sort((a, b) => a - b)[Math.floor(RUNS / 2)] as number;
  };
  const ours = time((t) => renderGoTemplate(t, params));
  const peer = time((t) => executeGoTemplate(parseGoTemplate(t), params));
  const lines = ['', 'Template: 40,000 renders of two ApplicationSet-style name templates, 501 distinct texts (peer: parse every time, then execute)'];
  lines.push(row(['scenario', 'ours', 'peer', 'ratio', 'target']));
  lines.push(row([`40,000 renders (median of ${RUNS} runs)`, ms(ours), ms(peer), ratio(ours, peer), '< 2000 ms']));
  console.log(lines.join('\n'));
}

async function robustnessSection(): Promise<void> {
  // In a process of its own: memory growth is measured per case, from a collected heap.
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'bench/robustness.ts')], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`bench: robustness section failed:\n${child.stderr}`);
  const r = JSON.parse(child.stdout) as RobustnessResult;
  const lines = ['', `Robustness: ${r.pathological.cases} pathological inputs (model + lint each, in-process) and ${r.fuzz.cases} mutation fuzz cases on ${r.fuzz.bases.join(' + ')} (overlay + lint)`];
  lines.push(row(['scenario', 'ours', 'peer', 'ratio', 'target']));
  lines.push(row([`slowest pathological input: ${r.pathological.slowest.name}`, ms(r.pathological.slowest.ms), '', '', '< 10000 ms']));
  lines.push(row([`  (all ${r.pathological.cases} inputs)`, ms(r.pathological.totalMs), '', '', '']));
  lines.push(row([`largest memory growth: ${r.pathological.largest}`, `${r.pathological.maxGrowthMB.toFixed(0)} MB`, '', '', '< 300 MB']));
  lines.push(row(['fuzz case: p50 / p99', `${ms(r.fuzz.p50)} / ${ms(r.fuzz.p99)}`, '', '', '']));
  lines.push(row([`fuzz case: max (${r.fuzz.failures} failing cases)`, ms(r.fuzz.max), '', '', '< 2000 ms']));
  console.log(lines.join('\n'));
}

const SECTIONS: Record<string, () => void | Promise<void>> = { engine: main, status: statusSection, lint: lintSection, values: valuesSection, lsp: lspSection, render: renderSection, 'lint-render': lintRenderSection, template: templateSection, robustness: robustnessSection };

/**
 * Sections run one after another (never two measuring at once); one failing does not hide the
 * others. `npm run bench -- engine lint` runs only those sections (paired before/after runs of
 * the rows a change targets, on a busy machine).
 */
void (async () => {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !(a in SECTIONS));
  if (unknown.length > 0) {
    console.error(`bench: unknown section ${unknown.join(', ')}; sections: ${Object.keys(SECTIONS).join(', ')}`);
    process.exit(2);
  }
  for (const [name, section] of Object.entries(SECTIONS)) {
    if (asked.length > 0 && !asked.includes(name)) continue;
    try {
      await section();
    } catch (e) {
      console.log(`\n${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exitCode = 1;
    }
  }
})();
