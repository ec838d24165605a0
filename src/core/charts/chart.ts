/**
 * A Helm chart as helm loads it for `helm template`: its metadata, default values, values
 * schema and dependencies (helm.sh/helm/v3 pkg/chart/loader and pkg/chartutil dependencies.go),
 * read from a folder of the repository or from a packaged chart, never from the network.
 *
 * Dependencies are what helm finds under the chart's `charts/` (folders and `.tgz`, each known
 * by its own Chart.yaml name), matched to the Chart.yaml `dependencies` entries by name and
 * renamed to their alias; an entry with nothing under `charts/` is what Argo CD's
 * `helm dependency build` would fetch: a `file://` folder of the repository, else the chart of
 * its repository at the version Chart.lock pins (or the exact version Chart.yaml names), asked
 * of the chart cache.
 */
import { loadYaml } from '../yaml/load';
import { resolveInRepository } from '../workspace/treeView';
import { chartArchiveFiles, readTarball, TarballError } from './tarball';

/** A chart of a Helm repository (`https://…`) or an OCI registry (`oci://…`) at one version. */
export interface ChartRef {
  /** As written: `oci://ghcr.io/bjw-s-labs/helm`, `https://charts.example.com`. */
  repo: string;
  name: string;
  version: string;
}

export function chartRefLabel(ref: ChartRef): string {
  return `${ref.repo.replace(/\/+$/, '')}/${ref.name} ${ref.version}`;
}

/** The files of one chart, relative to its folder. */
export interface ChartFiles {
  read(path: string): Buffer | undefined;
  /** Names directly inside a folder of the chart ('' for its root), folders ending in `/`. */
  list(dir: string): string[];
}

/** Where packaged charts of the cache are found (the port; render/chartCache.ts is the disk's). */
export interface ChartStore {
  /** The packaged chart (`.tgz` bytes), or undefined when it is not cached. */
  get(ref: ChartRef): Uint8Array | undefined;
  /** Where a chart is (or would be) kept, for messages. */
  describe(): string;
}

export interface ChartDependency {
  /** The name it has in the parent's values: its alias, else its name. */
  key: string;
  name: string;
  version: string;
  repository: string;
  condition?: string;
  tags: string[];
  /** The chart, when found. */
  chart?: LoadedChart;
  /** Why it was not found, when it was not. */
  missing?: { reason: string; ref?: ChartRef };
}

export interface LoadedChart {
  name: string;
  version: string;
  /** Where it was read from, for messages (`charts/app-template-4.6.2/app-template`, `cache`). */
  origin: string;
  /** Repository folder of the chart when it lives in the repository (its values.yaml is then a repository file). */
  repoDir?: string;
  /** The default values (`values.yaml`); {} when the chart has none. */
  values: Record<string, unknown>;
  valuesText?: string;
  /** `values.schema.json` as written, and as JSON when it parses. */
  schemaText?: string;
  schema?: Record<string, unknown>;
  schemaError?: string;
  dependencies: ChartDependency[];
  /** Template files (`templates/**`), chart-relative path → text, for "which templates read this key". */
  templates: ReadonlyMap<string, string>;
}

export class ChartLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChartLoadError';
  }
}

/** Files over this are not read as chart metadata, values or schema (a chart's are kilobytes). */
const MAX_TEXT = 8 * 1024 * 1024;
const MAX_TEMPLATE_FILES = 2000;
const MAX_DEPTH = 8;

export interface LoadContext {
  /** A dependency's `file://` folder, repository-relative, as files (undefined when absent). */
  localFolder?(repoDir: string): ChartFiles | undefined;
  store?: ChartStore;
}

/** Files of a packaged chart. */
export function archiveChartFiles(bytes: Uint8Array): ChartFiles {
  let entries;
  try {
    entries = readTarball(bytes);
  } catch (e) {
    throw new ChartLoadError(e instanceof TarballError ? `the chart archive cannot be read: ${e.message}` : String(e));
  }
  const chart = chartArchiveFiles(entries);
  if (!chart) throw new ChartLoadError('the chart archive is empty');
  return mapChartFiles(chart.files);
}

export function mapChartFiles(files: ReadonlyMap<string, Buffer>): ChartFiles {
  return {
    read: (p) => files.get(p),
    list: (dir) => {
      const prefix = dir === '' ? '' : `${dir}/`;
      const out = new Set<string>();
      for (const f of files.keys()) {
        if (!f.startsWith(prefix)) continue;
        const rest = f.slice(prefix.length);
        const slash = rest.indexOf('/');
        out.add(slash < 0 ? rest : `${rest.slice(0, slash + 1)}`);
      }
      return [...out].sort();
    },
  };
}

/**
 * Loads a chart from its files; `repoDir` is its repository folder when it lives in the
 * repository (dependencies with `file://` resolve from there). Throws ChartLoadError when the
 * chart has no readable Chart.yaml.
 */
export function loadChart(files: ChartFiles, origin: string, ctx: LoadContext, repoDir?: string, depth = 0): LoadedChart {
  const meta = readYaml(files, 'Chart.yaml', 'chart-metadata');
  if (!meta.value || typeof meta.value !== 'object' || Array.isArray(meta.value)) throw new ChartLoadError(`${origin}: ${meta.error ?? 'Chart.yaml is missing or not a mapping'}`);
  const m = meta.value as Record<string, unknown>;
  const name = typeof m['name'] === 'string' ? m['name'] : '';
  const version = typeof m['version'] === 'string' ? m['version'] : String(m['version'] ?? '');
  const values = readYaml(files, 'values.yaml', 'helm-values');
  const chart: LoadedChart = {
    name,
    version,
    origin,
    values: isMap(values.value) ? values.value : {},
    dependencies: [],
    templates: readTemplates(files),
    ...(repoDir !== undefined ? { repoDir } : {}),
    ...(values.text !== undefined ? { valuesText: values.text } : {}),
  };
  const schemaBytes = files.read('values.schema.json');
  if (schemaBytes && schemaBytes.length <= MAX_TEXT) {
    chart.schemaText = schemaBytes.toString('utf8');
    try {
      const parsed = JSON.parse(chart.schemaText) as unknown;
      if (isMap(parsed) || typeof parsed === 'boolean') chart.schema = isMap(parsed) ? parsed : parsed ? {} : { not: {} };
      else chart.schemaError = 'values.schema.json is not a JSON object';
    } catch (e) {
      chart.schemaError = `values.schema.json is not valid JSON: ${(e as Error).message}`;
    }
  }
  if (depth < MAX_DEPTH) chart.dependencies = loadDependencies(files, m, chart, ctx, repoDir, depth);
  return chart;
}

function loadDependencies(files: ChartFiles, meta: Record<string, unknown>, chart: LoadedChart, ctx: LoadContext, repoDir: string | undefined, depth: number): ChartDependency[] {
  // What helm finds under charts/, by chart name.
  const vendored = new Map<string, LoadedChart>();
  for (const entry of files.list('charts')) {
    const sub = entry.endsWith('/') ? subFolder(files, `charts/${entry.slice(0, -1)}`) : entry.endsWith('.tgz') ? subArchive(files, `charts/${entry}`) : undefined;
    if (!sub) continue;
    try {
      const childDir = repoDir !== undefined && entry.endsWith('/') ? join(repoDir, `charts/${entry.slice(0, -1)}`) : undefined;
      const child = loadChart(sub, `${chart.origin}/charts/${entry.replace(/\/$/, '')}`, ctx, childDir, depth + 1);
      if (child.name && !vendored.has(child.name)) vendored.set(child.name, child);
    } catch {
      // helm refuses such a chart; the consumer says so. It validates nothing here.
    }
  }
  const lock = readYaml(files, 'Chart.lock', 'chart-metadata').value;
  const locked = new Map<string, string>();
  for (const d of Array.isArray(isMap(lock) ? lock['dependencies'] : undefined) ? (lock as { dependencies: unknown[] }).dependencies : []) {
    if (isMap(d) && typeof d['name'] === 'string' && typeof d['version'] === 'string') locked.set(d['name'], d['version']);
  }
  const out: ChartDependency[] = [];
  const listed = new Set<string>();
  for (const raw of Array.isArray(meta['dependencies']) ? meta['dependencies'] : []) {
    if (!isMap(raw) || typeof raw['name'] !== 'string') continue;
    const name = raw['name'];
    const alias = typeof raw['alias'] === 'string' && raw['alias'] !== '' ? raw['alias'] : undefined;
    const version = typeof raw['version'] === 'string' ? raw['version'] : raw['version'] !== undefined ? String(raw['version']) : '';
    const repository = typeof raw['repository'] === 'string' ? raw['repository'] : '';
    const dep: ChartDependency = { key: alias ?? name, name, version, repository, tags: Array.isArray(raw['tags']) ? raw['tags'].filter((t): t is string => typeof t === 'string') : [] };
    if (typeof raw['condition'] === 'string') dep.condition = raw['condition'];
    listed.add(name);
    const found = vendored.get(name);
    if (found) dep.chart = found;
    else resolveMissing(dep, locked.get(name), ctx, repoDir, depth);
    out.push(dep);
  }
  // A chart under charts/ that Chart.yaml does not list is a dependency under its own name.
  for (const [name, child] of vendored) if (!listed.has(name)) out.push({ key: name, name, version: child.version, repository: '', tags: [], chart: child });
  return out;
}

function resolveMissing(dep: ChartDependency, lockedVersion: string | undefined, ctx: LoadContext, repoDir: string | undefined, depth: number): void {
  const repo = dep.repository;
  if (repo.startsWith('file://')) {
    const rel = repo.slice('file://'.length);
    const dir = repoDir !== undefined && !rel.startsWith('/') ? join(repoDir, rel) : undefined;
    const files = dir !== undefined ? ctx.localFolder?.(dir) : undefined;
    if (!files || dir === undefined) {
      dep.missing = { reason: `its folder ${repo} is not in the repository` };
      return;
    }
    try {
      dep.chart = loadChart(files, dir, ctx, dir, depth + 1);
    } catch (e) {
      dep.missing = { reason: (e as Error).message };
    }
    return;
  }
  const version = lockedVersion ?? (isExactVersion(dep.version) ? dep.version.replace(/^v(?=\d)/, '') : undefined);
  if (!repo || repo.startsWith('@') || repo.startsWith('alias:')) {
    dep.missing = { reason: `its repository ${repo || '(none)'} names a helm repository by alias, which only your helm configuration resolves` };
    return;
  }
  if (version === undefined) {
    dep.missing = { reason: `its version ${dep.version || '(none)'} is a range and the chart has no Chart.lock` };
    return;
  }
  const ref: ChartRef = { repo, name: dep.name, version };
  const bytes = ctx.store?.get(ref);
  if (!bytes) {
    dep.missing = { reason: 'it is not in the chart cache', ref };
    return;
  }
  try {
    dep.chart = loadChart(archiveChartFiles(bytes), `${chartRefLabel(ref)} (cache)`, ctx, undefined, depth + 1);
  } catch (e) {
    dep.missing = { reason: (e as Error).message, ref };
  }
}

/** `1.2.3`, `v1.2.3`, `1.2.3-rc.1`: a version helm resolves to itself. */
export function isExactVersion(v: string): boolean {
  return /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(v);
}

function subFolder(files: ChartFiles, dir: string): ChartFiles {
  return { read: (p) => files.read(`${dir}/${p}`), list: (d) => files.list(d === '' ? dir : `${dir}/${d}`) };
}

function subArchive(files: ChartFiles, path: string): ChartFiles | undefined {
  const bytes = files.read(path);
  if (!bytes) return undefined;
  try {
    return archiveChartFiles(bytes);
  } catch {
    return undefined;
  }
}

function readTemplates(files: ChartFiles): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of files.list(dir)) {
      if (out.size >= MAX_TEMPLATE_FILES) return;
      const path = `${dir}/${entry}`;
      if (entry.endsWith('/')) walk(path.slice(0, -1));
      else if (/\.(ya?ml|tpl|txt|json)$/.test(entry)) {
        const b = files.read(path);
        if (b && b.length <= MAX_TEXT) out.set(path, b.toString('utf8'));
      }
    }
  };
  walk('templates');
  return out;
}

function readYaml(files: ChartFiles, path: string, reader: 'chart-metadata' | 'helm-values'): { value?: unknown; text?: string; error?: string } {
  const bytes = files.read(path);
  if (!bytes) return { error: `${path} is missing` };
  if (bytes.length > MAX_TEXT) return { error: `${path} is over ${MAX_TEXT} bytes` };
  const text = bytes.toString('utf8');
  try {
    return { value: loadYaml(text, reader), text };
  } catch (e) {
    return { text, error: `${path} is not valid YAML: ${(e as Error).message}` };
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Repository-relative join that resolves `.` and `..`; undefined when the path leaves the repository. */
export function join(dir: string, rel: string): string | undefined {
  return resolveInRepository(dir, rel);
}
