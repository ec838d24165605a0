/**
 * Bench rows for `home-ops lint --render` (issue 13), for scripts/bench.ts: every app of the seed
 * corpus rendered with its charts cached, beside `kustomize build` run directly per app (the
 * peer) with the same binaries, the same build options and the same concurrency.
 *
 * The charts are a stand-in, not the real ones: this machine reaches no chart registry (ghcr.io
 * for bjw-s app-template, the other charts' Helm repositories), so no real chart can be pulled.
 * Every `helmCharts` entry of the corpus gets the project's fixture chart
 * (test/fixtures/charts/app-template: a Deployment per controller, a Service per service) under
 * the name and version its kustomization asks for, without the fixture's values.schema.json (a
 * closed schema written for the values tests, which would refuse the corpus's real values).
 * "Cached" is where each side finds a chart without pulling:
 * - Home-Ops: its chart cache (HOME_OPS_CHART_CACHE, as `home-ops charts pull` leaves it); a
 *   render's private copy gets the chart where kustomize looks (placeCachedCharts.ts);
 * - the peer: each kustomization's chartHome, `{chartHome}/{name}-{version}/{name}`, where
 *   kustomize v5.8.1 looks before pulling (HelmChartInflationGenerator `chartExistsLocally`),
 *   in a copy of the corpus of its own (Home-Ops' copy has no charts in it, as the repository).
 *
 * Ours, timed: the CLI as shipped (src/cli bundled and minified like the release), one process
 * per run: `home-ops lint --render DIR` with an empty render cache (cold: a fresh
 * HOME_OPS_CACHE, so no render cache and no private copies) and again (warm: every render
 * cached), and `home-ops lint DIR` alone for the part that is not rendering. Peer, timed: one
 * `kustomize build` process per app, as many at a time as lint --render renders. Per app, one
 * app at a time: ours `renderApp` in-process (bundled like the release) cold then cached, the
 * peer's process alone; and every app's manifests are compared with the peer's output.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeChartStore } from '../../src/core/render/chartCache';
import { cacheRefOf } from '../../src/core/render/keepPulledCharts';
import { loadYaml } from '../../src/core/yaml/load';
import { folderFiles, packChart } from '../../test/support/chartArchive';
import { bundleAsShipped, loadShipped } from './lint';

type RenderCore = typeof import('./renderCore');

const FIXTURE = path.resolve(__dirname, '../../test/fixtures/charts/app-template');
const CLI_ENTRY = path.resolve(__dirname, '../../src/cli/main.ts');
const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

export interface Stats {
  p50: number;
  p90: number;
  max: number;
}

export interface LintRenderBenchResult {
  /** Apps lint --render renders (an Application with a source folder). */
  apps: number;
  /** Of which kustomize builds them (the peer's). */
  kustomizeApps: number;
  /** helmCharts entries of the corpus, distinct charts (repository, name, version), and app-template's share. */
  charts: { entries: number; distinct: number; appTemplateEntries: number; names: string[] };
  concurrency: number;
  runs: number;
  tools: { kustomize: string; helm: string };
  buildOptions: string;
  ours: { coldMs: number; warmMs: number; lintOnlyMs: number; renderedCold: number; cachedCold: number; cachedWarm: number; failed: string[]; findings: string };
  peer: { totalMs: number; failed: string[] };
  perApp: { oursCold: Stats; oursCached: Stats; peer: Stats };
  equal: number;
  differ: string[];
}

interface ChartEntry {
  /** Repository-relative folder of the kustomization. */
  dir: string;
  /** Repository-relative chartHome. */
  chartHome: string;
  repo: string;
  name: string;
  /** As written (kustomize names the folder with it). */
  version: string;
}

/** Every `helmCharts` entry with a repository and a version, in every kustomization under root. */
export function chartEntries(root: string): ChartEntry[] {
  const out: ChartEntry[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && e.name !== '.git') walk(r);
      else if (e.isFile() && KUSTOMIZATION_NAMES.has(e.name)) {
        const k = loadYaml(fs.readFileSync(path.join(root, r), 'utf8'), 'kustomization') as Record<string, unknown> | null;
        const globals = (k?.['helmGlobals'] ?? {}) as Record<string, unknown>;
        const chartHome = path.posix.join(rel, typeof globals['chartHome'] === 'string' && globals['chartHome'] !== '' ? globals['chartHome'] : 'charts');
        for (const c of Array.isArray(k?.['helmCharts']) ? (k['helmCharts'] as Array<Record<string, unknown>>) : []) {
          if (typeof c?.['name'] !== 'string' || typeof c['repo'] !== 'string' || c['version'] === undefined) continue;
          out.push({ dir: rel, chartHome, repo: c['repo'], name: c['name'], version: String(c['version']) });
        }
      }
    }
  };
  walk('');
  return out;
}

/** The fixture chart as the chart `name` at `version`, without its schema. */
function standInFiles(name: string, version: string): Map<string, Buffer> {
  const files = folderFiles(FIXTURE);
  files.delete('values.schema.json');
  files.set('Chart.yaml', Buffer.from(`apiVersion: v2\nname: ${name}\ndescription: Stand-in for ${name} ${version} in scripts/bench/lintRender.ts (the Home-Ops app-template test fixture, renamed).\ntype: application\nversion: ${version}\n`));
  return files;
}

/** Home-Ops: each distinct chart in the chart cache. The peer: each entry in its kustomization's chartHome. */
export function placeStandIns(entries: readonly ChartEntry[], chartCache: string, peerRoot: string): number {
  const store = new NodeChartStore(chartCache);
  let distinct = 0;
  for (const e of entries) {
    const ref = cacheRefOf(e);
    if (!ref) throw new Error(`bench: ${e.dir}: ${e.name} ${e.version} from ${e.repo} is no exact version the chart cache can hold`);
    const files = standInFiles(e.name, e.version);
    if (store.put(ref, packChart(e.name, files))) distinct++;
    const target = path.join(peerRoot, e.chartHome, `${e.name}-${e.version}`, e.name);
    for (const [rel, bytes] of files) {
      fs.mkdirSync(path.dirname(path.join(target, rel)), { recursive: true });
      fs.writeFileSync(path.join(target, rel), bytes);
    }
  }
  return distinct;
}

function stats(xs: readonly number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { p50: at(0.5), p90: at(0.9), max: s[s.length - 1] ?? NaN };
}

function median(xs: readonly number[]): number {
  return stats(xs).p50;
}

interface CliRun {
  ms: number;
  stderr: string;
  stdout: string;
}

/** One CLI process, timed from spawn to exit. Exit 0 or 1 (problems found) is a run; anything else fails the bench. */
function cli(cliFile: string, args: string[], env: NodeJS.ProcessEnv): CliRun {
  const t = performance.now();
  const r = spawnSync(process.execPath, [cliFile, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`bench: home-ops ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return { ms, stderr: r.stderr, stdout: r.stdout };
}

function renderedLine(stderr: string): { rendered: number; cached: number; failed: string[] } {
  const m = /rendered (\d+) apps \((\d+) cached\)/.exec(stderr);
  if (!m) throw new Error(`bench: lint --render said no "rendered N apps":\n${stderr}`);
  const failed = stderr.split('\n').filter((l) => l.startsWith('home-ops: render failed: '));
  return { rendered: Number(m[1]), cached: Number(m[2]), failed };
}

interface PeerApp {
  name: string;
  cwd: string;
}

interface PeerOutput {
  ms: number;
  stdout: string;
  error?: string;
}

function runPeerApp(file: string, args: readonly string[], app: PeerApp, env: NodeJS.ProcessEnv): Promise<PeerOutput> {
  return new Promise((resolve) => {
    const t = performance.now();
    const child = spawn(file, args, { cwd: app.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => resolve({ ms: performance.now() - t, stdout: '', error: e.message }));
    child.on('close', (code) => {
      const ms = performance.now() - t;
      resolve({ ms, stdout: Buffer.concat(out).toString('utf8'), ...(code === 0 ? {} : { error: Buffer.concat(err).toString('utf8').split('\n')[0] ?? `exit ${code}` }) });
    });
  });
}

/** Every app's `kustomize build`, `concurrency` at a time (lint --render's worker pool), timed as a whole. */
async function runPeer(file: string, args: readonly string[], apps: readonly PeerApp[], env: NodeJS.ProcessEnv, concurrency: number): Promise<{ totalMs: number; outputs: Map<string, PeerOutput> }> {
  const outputs = new Map<string, PeerOutput>();
  let next = 0;
  const t = performance.now();
  const worker = async (): Promise<void> => {
    for (let i = next++; i < apps.length; i = next++) {
      const app = apps[i] as PeerApp;
      outputs.set(app.name, await runPeerApp(file, args, app, env));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, apps.length) }, worker));
  return { totalMs: performance.now() - t, outputs };
}

export async function benchLintRender(seed: string, runs = 3): Promise<LintRenderBenchResult> {
  const toolsBin = path.join(process.env['HOME_OPS_CACHE'] || path.join(os.homedir(), '.cache', 'home-ops'), 'tools', 'bin');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-bench-lint-render-'));
  const saved = { cache: process.env['HOME_OPS_CACHE'], charts: process.env['HOME_OPS_CHART_CACHE'], path: process.env['PATH'] };
  try {
    const ours = path.join(work, 'ours');
    const peerRoot = path.join(work, 'peer');
    fs.cpSync(seed, ours, { recursive: true });
    fs.cpSync(seed, peerRoot, { recursive: true });
    const chartCache = path.join(work, 'charts');
    const entries = chartEntries(ours);
    const distinct = placeStandIns(entries, chartCache, peerRoot);

    const cliFile = path.join(work, 'cli.js');
    bundleAsShipped(CLI_ENTRY, cliFile);
    const core = loadShipped<RenderCore>(path.join(__dirname, 'renderCore.ts'), 'render-core');
    const PATH = `${toolsBin}${path.delimiter}${saved.path ?? ''}`;
    const envFor = (cache: string): NodeJS.ProcessEnv => ({ ...process.env, PATH, HOME_OPS_CACHE: cache, HOME_OPS_CHART_CACHE: chartCache });
    // The peer's helm gets homes of its own too (Home-Ops gives helm its own): neither touches the user's.
    const peerHelm = path.join(work, 'peer-helm');
    const peerEnv: NodeJS.ProcessEnv = { ...process.env, PATH, HELM_CACHE_HOME: path.join(peerHelm, 'cache'), HELM_CONFIG_HOME: path.join(peerHelm, 'config'), HELM_DATA_HOME: path.join(peerHelm, 'data') };

    // One app at a time, in this process, as lint --render renders each (its options, its binaries).
    process.env['PATH'] = PATH;
    process.env['HOME_OPS_CACHE'] = path.join(work, 'cache-one-at-a-time');
    process.env['HOME_OPS_CHART_CACHE'] = chartCache;
    const model = new core.RepositoryModel(ours);
    const policy = { trustRepository: false, allowed: [] };
    const silent = { out: () => undefined, err: () => undefined };
    const { options } = core.cliRenderOptions(model, ours, { fallback: '--enable-helm', userOptions: false, policy, timeoutMs: 120_000, useCache: true }, silent);
    const kustomize = await options.binaries.kustomize();
    const helm = await options.binaries.helm();
    const peerArgs = core.kustomizeBuildCommand(kustomize, core.splitBuildOptions(options.buildOptions ?? ''), helm).args;
    const apps = [...model.apps(), ...model.standaloneApps()].filter((a) => a.path !== undefined);
    const oursCold: number[] = [];
    const oursCached: number[] = [];
    const peerOne: number[] = [];
    const peerApps: PeerApp[] = [];
    const differ: string[] = [];
    let equal = 0;
    // Each app by both sides back to back, so that a slow spell of the machine falls on both.
    for (const app of apps) {
      const cold = await core.renderApp(app, options);
      const cached = await core.renderApp(app, options);
      if (cold.cached || !cached.cached) throw new Error(`bench: ${app.name}: expected a cold render, then a cached one`);
      oursCold.push(cold.durationMs);
      oursCached.push(cached.durationMs);
      if (cold.sourceType !== 'Kustomize') continue;
      const peerApp = { name: app.name, cwd: path.join(peerRoot, app.path as string) };
      peerApps.push(peerApp);
      const r = await runPeerApp(kustomize.file, peerArgs, peerApp, peerEnv);
      if (r.error) throw new Error(`bench: the peer failed on ${app.name}: ${r.error}`);
      peerOne.push(r.ms);
      if (r.stdout === cold.manifests) equal++;
      else differ.push(app.name);
    }

    // Whole runs, the sides taking turns so that the machine's slow spells fall on both.
    const concurrency = core.defaultRenderConcurrency();
    const cold: CliRun[] = [];
    const warm: CliRun[] = [];
    const lintOnly: number[] = [];
    const peerTotal: number[] = [];
    let peerFailed: string[] = [];
    const peerRun = async (): Promise<void> => {
      const p = await runPeer(kustomize.file, peerArgs, peerApps, peerEnv, concurrency);
      peerTotal.push(p.totalMs);
      peerFailed = [...p.outputs].filter(([, o]) => o.error).map(([name, o]) => `${name}: ${o.error}`);
    };
    for (let i = 0; i < runs; i++) {
      const env = envFor(path.join(work, `cache-${i}`));
      // Which side goes first alternates: the first of a pair finds the disk cache as the other left it.
      if (i % 2 === 1) await peerRun();
      cold.push(cli(cliFile, ['lint', '--render', ours], env));
      warm.push(cli(cliFile, ['lint', '--render', ours], env));
      lintOnly.push(cli(cliFile, ['lint', ours], env).ms);
      if (i % 2 === 0) await peerRun();
    }
    const firstCold = renderedLine(cold[0]!.stderr);
    const lastWarm = renderedLine(warm[warm.length - 1]!.stderr);
    return {
      apps: apps.length,
      kustomizeApps: peerApps.length,
      charts: { entries: entries.length, distinct, appTemplateEntries: entries.filter((e) => e.name === 'app-template').length, names: [...new Set(entries.map((e) => e.name))].sort() },
      concurrency,
      runs,
      tools: { kustomize: kustomize.version, helm: helm.version },
      buildOptions: options.buildOptions ?? '',
      ours: {
        coldMs: median(cold.map((r) => r.ms)),
        warmMs: median(warm.map((r) => r.ms)),
        lintOnlyMs: median(lintOnly),
        renderedCold: firstCold.rendered,
        cachedCold: firstCold.cached,
        cachedWarm: lastWarm.cached,
        failed: firstCold.failed,
        findings: cold[0]!.stderr.trim().split('\n').pop() ?? '',
      },
      peer: { totalMs: median(peerTotal), failed: peerFailed },
      perApp: { oursCold: stats(oursCold), oursCached: stats(oursCached), peer: stats(peerOne) },
      equal,
      differ,
    };
  } finally {
    for (const [key, value] of [['HOME_OPS_CACHE', saved.cache], ['HOME_OPS_CHART_CACHE', saved.charts], ['PATH', saved.path]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const seed = process.argv[2] ?? path.resolve(__dirname, '../../../shared/corpus/seed-home-ops');
  void benchLintRender(seed).then((r) => process.stdout.write(JSON.stringify(r)));
}
