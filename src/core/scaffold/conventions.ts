/**
 * A category's conventions, read from its apps (then from the whole repository when the
 * category has none): the chart they inflate, how their kustomization.yaml is written (leading
 * `---`, schema modeline, key order, sequence indentation), the namespace rule, and the values
 * layout (see values.ts). Every choice is a majority vote, and says how many voted for it.
 */
import { loadYaml } from '../yaml/load';
import type { GeneratedApp } from '../appset/evaluate';
import { asArray, asRecord, asString } from '../generators/spec';
import type { RepositoryModel } from '../model/repositoryModel';
import type { CategoryInfo, ChartRef } from './types';
import { kustomizationIn } from '../yaml/classify';

const MODELINE = /^#\s*yaml-language-server:\s*\$schema=\S+/;

export interface ChartEntry extends ChartRef {
  keys: string[];
  releaseName?: string;
  namespace?: string;
  valuesFile?: string;
}

/** What one app directory tells about the repository's style. */
export interface Neighbour {
  dir: string;
  name: string;
  kustomizationFile?: string;
  docStart: boolean;
  modeline?: string;
  modelineFirst: boolean;
  topKeys: string[];
  seqIndent?: boolean;
  namespace?: string;
  destinationNamespace?: string;
  charts: ChartEntry[];
  /** The kustomization's `resources` entries, as written. */
  resources: string[];
}

export interface Vote<T> {
  value: T;
  count: number;
  of: number;
}

export interface KustomizationStyle {
  fileName: string;
  docStart: Vote<boolean>;
  /** The modeline line, when most neighbours carry one. */
  modeline?: Vote<string>;
  modelineBeforeDocStart: boolean;
  /** Top-level keys in the order neighbours write them (those at least one neighbour has). */
  keyOrder: string[];
  /** Keys of a helmCharts entry in the neighbours' order. */
  chartKeyOrder: string[];
  /** `  - ` (true) or `- ` (false) under a key. */
  seqIndent: boolean;
  apiVersion?: string;
  kind?: string;
  /** `destination`: the kustomization's namespace is the Application's destination namespace. */
  namespace: { rule: 'destination' } | { rule: 'none' } | { rule: 'literal'; value: string };
  chartNamespace: boolean;
  valuesFile: string;
}

export interface Conventions {
  category: CategoryInfo;
  /** Where the votes came from: the category's apps, or the repository's when it has none. */
  basis: 'category' | 'repository' | 'none';
  neighbours: Neighbour[];
  /** Every app directory of the repository read the same way (for values when the category has none). */
  repository: Neighbour[];
  /** The chart most neighbours inflate, when most of them inflate one. */
  chart?: ChartRef & { from: 'category' | 'repository'; count: number; of: number };
  usesHelm: Vote<boolean>;
  kustomization: KustomizationStyle;
  /** The appset template's destination namespace, as written (rendered per app by the engine). */
  namespaceTemplate?: string;
  releaseName: 'app name';
}

export function conventions(model: RepositoryModel, category: CategoryInfo): Conventions {
  const generated = model.apps();
  const byDir = new Map<string, GeneratedApp>();
  for (const a of generated) if (a.path && !byDir.has(a.path)) byDir.set(a.path, a);
  const read = (dirs: readonly string[]) => dirs.map((d) => readNeighbour(model, d, byDir.get(d))).filter((n): n is Neighbour => n !== undefined);
  const categoryNeighbours = read(category.appDirs);
  const repoDirs = [...new Set([...byDir.keys(), ...model.standaloneApps().flatMap((s) => (s.path ? [s.path] : []))])].sort();
  const repoNeighbours = read(repoDirs);
  const basis = categoryNeighbours.length > 0 ? 'category' : repoNeighbours.length > 0 ? 'repository' : 'none';
  const voters = basis === 'category' ? categoryNeighbours : repoNeighbours;

  const chart = pickChart(categoryNeighbours, repoNeighbours);
  const usesHelm = vote(voters.map((n) => n.charts.length > 0)) ?? { value: false, count: 0, of: 0 };
  const ev = model.appsets().find((e) => e.appset.file === category.appset.file && e.appset.docIndex === category.appset.docIndex);
  const namespaceTemplate = asString(getIn(ev ? model.appSetDocument(ev.appset)?.value : undefined, ['spec', 'template', 'spec', 'destination', 'namespace']));
  return {
    category,
    basis,
    neighbours: voters,
    repository: repoNeighbours,
    ...(chart ? { chart } : {}),
    usesHelm,
    kustomization: kustomizationStyle(voters.filter((n) => n.kustomizationFile), chart),
    ...(namespaceTemplate !== undefined ? { namespaceTemplate } : {}),
    releaseName: 'app name',
  };
}

function readNeighbour(model: RepositoryModel, dir: string, app: GeneratedApp | undefined): Neighbour | undefined {
  const name = dir.slice(dir.lastIndexOf('/') + 1);
  const file = kustomizationIn(model.tree.files, dir);
  const base: Neighbour = { dir, name, docStart: false, modelineFirst: false, topKeys: [], charts: [], resources: [], ...(app?.namespace !== undefined ? { destinationNamespace: app.namespace } : {}) };
  if (!file) return model.tree.hasDir(dir) ? base : undefined;
  const text = model.textOf(file);
  if (text === undefined) return undefined;
  let data: Record<string, unknown> | undefined;
  try {
    // failsafe: every scalar a string, so `version: 1.20` stays "1.20" as kustomize reads it.
    data = asRecord(loadYaml(text, 'as-written'));
  } catch {
    return undefined;
  }
  if (!data) return undefined;
  const head = header(text);
  const charts: ChartEntry[] = [];
  for (const raw of asArray(data['helmCharts'])) {
    const e = asRecord(raw);
    const repo = asString(e?.['repo']);
    const chartName = asString(e?.['name']);
    if (!e || repo === undefined || chartName === undefined) continue;
    const opt = (k: string) => (asString(e[k]) !== undefined ? { [k]: asString(e[k]) as string } : {});
    charts.push({ repo, name: chartName, version: asString(e['version']) ?? '', keys: Object.keys(e), ...opt('releaseName'), ...opt('namespace'), ...opt('valuesFile') });
  }
  const seq = /^[A-Za-z][\w-]*:[ \t]*\r?\n(?:[ \t]*(?:#.*)?\r?\n)*([ \t]*)- /m.exec(text);
  const ns = asString(data['namespace']);
  return {
    ...base,
    kustomizationFile: file,
    ...head,
    topKeys: Object.keys(data),
    ...(seq ? { seqIndent: (seq[1] ?? '').length > 0 } : {}),
    ...(ns !== undefined ? { namespace: ns } : {}),
    charts,
    resources: asArray(data['resources']).filter((r): r is string => typeof r === 'string'),
  };
}

/** The lines before the first key: `---`, the modeline, and which comes first. */
export function header(text: string): { docStart: boolean; modeline?: string; modelineFirst: boolean } {
  let docStartAt = -1;
  let modelineAt = -1;
  let modeline: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trimEnd();
    if (line === '---') {
      if (docStartAt >= 0) break;
      docStartAt = i;
    } else if (MODELINE.test(line)) {
      if (modelineAt < 0) {
        modelineAt = i;
        modeline = line;
      }
    } else if (line !== '' && !line.startsWith('#')) break;
  }
  return { docStart: docStartAt >= 0, ...(modeline !== undefined ? { modeline } : {}), modelineFirst: modelineAt >= 0 && docStartAt >= 0 && modelineAt < docStartAt };
}

/** The most common value (ties: the first met); undefined for no votes. */
export function vote<T>(values: readonly T[], key: (v: T) => string = (v) => JSON.stringify(v)): Vote<T> | undefined {
  const counts = new Map<string, { value: T; count: number }>();
  for (const v of values) {
    const k = key(v);
    const c = counts.get(k);
    if (c) c.count++;
    else counts.set(k, { value: v, count: 1 });
  }
  let best: { value: T; count: number } | undefined;
  for (const c of counts.values()) if (!best || c.count > best.count) best = c;
  return best ? { value: best.value, count: best.count, of: values.length } : undefined;
}

function pickChart(category: readonly Neighbour[], repo: readonly Neighbour[]): Conventions['chart'] {
  const chartKey = (c: ChartRef) => `${c.repo}\0${c.name}`;
  const count = (ns: readonly Neighbour[], f: (c: ChartEntry) => string) => {
    const m = new Map<string, number>();
    for (const n of ns) for (const k of new Set(n.charts.map(f))) m.set(k, (m.get(k) ?? 0) + 1);
    return m;
  };
  const catCharts = count(category, chartKey);
  const repoCharts = count(repo, chartKey);
  const from = catCharts.size > 0 ? 'category' : 'repository';
  const pool = from === 'category' ? catCharts : repoCharts;
  if (pool.size === 0) return undefined;
  const best = [...pool.entries()].sort(([ka, a], [kb, b]) => b - a || (repoCharts.get(kb) ?? 0) - (repoCharts.get(ka) ?? 0) || (ka < kb ? -1 : 1))[0] as [string, number];
  const [repoUrl, name] = best[0].split('\0') as [string, string];
  const same = (c: ChartEntry) => c.repo === repoUrl && c.name === name;
  const catVersions = count(category, (c) => (same(c) ? c.version : '\0'));
  const repoVersions = count(repo, (c) => (same(c) ? c.version : '\0'));
  catVersions.delete('\0');
  repoVersions.delete('\0');
  const versions = catVersions.size > 0 ? catVersions : repoVersions;
  const version = [...versions.entries()].sort(([va, a], [vb, b]) => b - a || (repoVersions.get(vb) ?? 0) - (repoVersions.get(va) ?? 0) || compareVersions(vb, va))[0]?.[0] ?? '';
  const voters = from === 'category' ? category : repo;
  return { repo: repoUrl, name, version, from, count: best[1], of: voters.length };
}

/** Compares dotted versions numerically where they are numbers (`v1.10` after `v1.9`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split(/[.+-]/);
  const pb = b.replace(/^v/, '').split(/[.+-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = Number(x);
    const ny = Number(y);
    const c = x !== '' && y !== '' && !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return c;
  }
  return 0;
}

const DEFAULT_TOP = ['apiVersion', 'kind', 'namespace', 'resources', 'helmCharts'];
const DEFAULT_CHART = ['name', 'repo', 'version', 'releaseName', 'namespace', 'valuesFile'];

function kustomizationStyle(ns: readonly Neighbour[], chart: Conventions['chart']): KustomizationStyle {
  const docStart = vote(ns.map((n) => n.docStart)) ?? { value: true, count: 0, of: 0 };
  const withModeline = ns.filter((n) => n.modeline !== undefined);
  const modeline = withModeline.length * 2 > ns.length ? vote(withModeline.map((n) => n.modeline as string)) : undefined;
  const entries = ns.flatMap((n) => n.charts.filter((c) => !chart || (c.repo === chart.repo && c.name === chart.name)));
  const nsRule = namespaceRule(ns);
  const fileName = vote(ns.map((n) => (n.kustomizationFile ?? '').slice((n.kustomizationFile ?? '').lastIndexOf('/') + 1)))?.value || 'kustomization.yaml';
  return {
    fileName,
    docStart,
    ...(modeline ? { modeline: { ...modeline, of: ns.length } } : {}),
    modelineBeforeDocStart: (vote(withModeline.map((n) => n.modelineFirst))?.value ?? false) === true,
    keyOrder: orderKeys(unionKeys(ns.map((n) => n.topKeys), DEFAULT_TOP), ns.map((n) => n.topKeys), DEFAULT_TOP),
    chartKeyOrder: orderKeys(unionKeys(entries.map((e) => e.keys), DEFAULT_CHART), entries.map((e) => e.keys), DEFAULT_CHART),
    seqIndent: vote(ns.flatMap((n) => (n.seqIndent === undefined ? [] : [n.seqIndent])))?.value ?? true,
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: nsRule,
    chartNamespace: entries.length === 0 || entries.filter((e) => e.namespace !== undefined).length * 2 > entries.length,
    valuesFile: vote(entries.flatMap((e) => (e.valuesFile ? [e.valuesFile] : [])))?.value ?? 'values.yaml',
  };
}

function namespaceRule(ns: readonly Neighbour[]): KustomizationStyle['namespace'] {
  if (ns.length === 0) return { rule: 'destination' };
  const kinds = ns.map((n) => (n.namespace === undefined ? 'none' : n.namespace === n.destinationNamespace ? 'destination' : `literal:${n.namespace}`));
  const v = vote(kinds)?.value ?? 'destination';
  if (v === 'none') return { rule: 'none' };
  if (v === 'destination') return { rule: 'destination' };
  return { rule: 'literal', value: v.slice('literal:'.length) };
}

function unionKeys(samples: readonly string[][], defaults: readonly string[]): string[] {
  const out = [...defaults];
  for (const s of samples) for (const k of s) if (!out.includes(k)) out.push(k);
  return out;
}

/**
 * Keys sorted by where neighbours put them: each key's mean relative position among the
 * neighbours that have it; keys no neighbour has keep their place in `defaults`.
 */
export function orderKeys(keys: readonly string[], samples: readonly string[][], defaults: readonly string[]): string[] {
  const score = (k: string): number => {
    const pos = samples.filter((s) => s.includes(k)).map((s) => (s.length <= 1 ? 0 : s.indexOf(k) / (s.length - 1)));
    if (pos.length > 0) return pos.reduce((a, b) => a + b, 0) / pos.length;
    const d = defaults.indexOf(k);
    return d < 0 ? 1 : defaults.length <= 1 ? 0 : d / (defaults.length - 1);
  };
  return [...keys].map((k, i) => ({ k, s: score(k), i })).sort((a, b) => a.s - b.s || a.i - b.i).map((x) => x.k);
}

export function getIn(v: unknown, path: readonly string[]): unknown {
  let cur = v;
  for (const k of path) cur = asRecord(cur)?.[k];
  return cur;
}
