/**
 * The files a render reads: the app folder, and for kustomize every local path its
 * kustomizations reference (resources, components and patches outside the folder, chartHome
 * charts, values files), followed through nested kustomizations. Remote references (URLs,
 * chart repositories) are kept as text. Used for the render cache key and to tell which apps a
 * change touches. Over-approximates on purpose: a whole referenced folder counts, since kustomize
 * may read any file in it.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadYaml } from '../yaml/load';
import { isInside } from './directory';
import type { AppSource, SourceType } from '../argocd/source';
import { kustomizationFile } from './sourceType';

export interface AppInputs {
  /** Absolute folders whose every file is an input (`.git` excluded). */
  dirs: string[];
  /** Absolute single files outside those folders. */
  files: string[];
  /** Remote references, as written (`oci://ghcr.io/bjw-s/helm/app-template@4.6.2`, resource URLs). */
  remote: string[];
  /** Absolute folders left out: charts kustomize pulls into chartHome (their identity is the remote ref). */
  skip: string[];
  /** The charts kustomize pulls (a `repo` and a `version`), each with the `skip` folder it untars into; absent when none. */
  pulledCharts?: PulledChart[];
  /** Whether some kustomization inflates a Helm chart (`helmCharts`, `helmChartInflationGenerator`). */
  usesHelm: boolean;
  /**
   * Kustomization files (absolute) that set `helmGlobals.configHome` (or a legacy generator's
   * `helmHome`): kustomize gives it to helm as HELM_DATA_HOME, whose plugins helm runs.
   */
  helmConfigHomes?: string[];
}

/** A `helmCharts` entry kustomize pulls: `helm pull --untar --untardir {untarDir} … --version {version}`, the chart then at `{untarDir}/{name}`. */
export interface PulledChart {
  repo: string;
  name: string;
  /** As written in the kustomization (kustomize names the folder with it). */
  version: string;
  /** Absolute: `{chartHome}/{name}-{version}`. */
  untarDir: string;
}

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|git::|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/i;

export function appInputs(appDir: string, type: SourceType, source: AppSource, repoRoot: string): AppInputs {
  const inputs: AppInputs = { dirs: [appDir], files: [], remote: [], skip: [], usesHelm: false };
  if (type === 'Kustomize') collectKustomize(appDir, inputs, new Set());
  if (type === 'Helm') {
    for (const vf of source.helm.valueFiles) {
      const ref = /^\$([^/]+)\/(.*)$/.exec(vf);
      if (ref) {
        // `$name/…`: a file of the source with `ref: name`, taken to be this repository.
        if (source.refs.includes(ref[1] as string)) inputs.files.push(path.join(repoRoot, ref[2] as string));
      } else if (REMOTE.test(vf)) inputs.remote.push(vf);
      else inputs.files.push(resolveValueFile(appDir, repoRoot, vf));
    }
    for (const fp of source.helm.fileParameters) inputs.files.push(resolveValueFile(appDir, repoRoot, fp.path));
    for (const dep of chartDependencies(appDir)) {
      if (dep.startsWith('file://')) inputs.dirs.push(path.resolve(appDir, dep.slice('file://'.length)));
      else if (dep) inputs.remote.push(dep);
    }
  }
  return prune(inputs);
}

/** Argo CD's rule for value files: relative to the app folder, `/…` relative to the repository root. */
export function resolveValueFile(appDir: string, repoRoot: string, file: string): string {
  return file.startsWith('/') ? path.join(repoRoot, file) : path.resolve(appDir, file);
}

function collectKustomize(dir: string, inputs: AppInputs, seen: Set<string>): void {
  if (seen.has(dir)) return;
  seen.add(dir);
  const file = kustomizationFile(dir);
  if (!file) return;
  let k: Record<string, unknown>;
  try {
    const v = loadYaml(fs.readFileSync(file, 'utf8'), 'kustomization');
    if (!v || typeof v !== 'object') return;
    k = v as Record<string, unknown>;
  } catch {
    return; // kustomize reports the syntax error itself
  }
  const refs: string[] = [];
  const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const recs = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object') : []);
  for (const key of ['resources', 'bases', 'components', 'crds', 'configurations', 'generators', 'transformers', 'validators', 'patchesStrategicMerge']) {
    // Inline entries (a YAML document in a string) hold a newline; they are part of this file.
    refs.push(...strs(k[key]).filter((s) => !s.includes('\n')));
  }
  for (const key of ['patches', 'patchesJson6902', 'replacements']) for (const p of recs(k[key])) if (typeof p['path'] === 'string') refs.push(p['path']);
  for (const key of ['configMapGenerator', 'secretGenerator']) {
    for (const g of recs(k[key])) {
      for (const f of strs(g['files'])) refs.push(f.includes('=') ? f.slice(f.indexOf('=') + 1) : f);
      refs.push(...strs(g['envs']));
      if (typeof g['env'] === 'string') refs.push(g['env']);
    }
  }
  const openapi = k['openapi'];
  if (openapi && typeof openapi === 'object' && typeof (openapi as Record<string, unknown>)['path'] === 'string') refs.push((openapi as Record<string, string>)['path'] as string);
  const globals = (k['helmGlobals'] ?? {}) as Record<string, unknown>;
  const charts = recs(k['helmCharts']);
  const legacy = recs(k['helmChartInflationGenerator']);
  if (charts.length || legacy.length) inputs.usesHelm = true;
  if ((charts.length && typeof globals['configHome'] === 'string' && globals['configHome'] !== '') || legacy.some((c) => typeof c['helmHome'] === 'string' && c['helmHome'] !== '')) {
    (inputs.helmConfigHomes ??= []).push(file);
  }
  const chartHome = path.resolve(dir, typeof globals['chartHome'] === 'string' ? globals['chartHome'] : 'charts');
  for (const c of charts) {
    const name = typeof c['name'] === 'string' ? c['name'] : '';
    const version = typeof c['version'] === 'string' ? c['version'] : '';
    const repo = typeof c['repo'] === 'string' ? c['repo'] : '';
    if (repo) {
      // kustomize pulls to {chartHome}/{name}-{version}/{name} (or {chartHome}/{name} without a version).
      inputs.remote.push(`${repo.replace(/\/$/, '')}/${name}@${version}`);
      inputs.skip.push(path.join(chartHome, version ? `${name}-${version}` : name));
      if (version && name) (inputs.pulledCharts ??= []).push({ repo, name, version, untarDir: path.join(chartHome, `${name}-${version}`) });
    } else if (name) {
      const chartDir = path.join(chartHome, name);
      inputs.dirs.push(chartDir);
      // A local chart's `file://` dependencies are read too (and must be in the render's copy).
      for (const dep of chartDependencies(chartDir)) if (dep.startsWith('file://')) inputs.dirs.push(path.resolve(chartDir, dep.slice('file://'.length)));
    }
    if (typeof c['valuesFile'] === 'string' && !REMOTE.test(c['valuesFile'])) refs.push(c['valuesFile']);
    refs.push(...strs(c['additionalValuesFiles']));
  }
  for (const c of legacy) {
    if (typeof c['chartRepoUrl'] === 'string') inputs.remote.push(`${c['chartRepoUrl']}/${String(c['chartName'] ?? '')}@${String(c['chartVersion'] ?? '')}`);
    if (typeof c['valuesLocal'] === 'string') refs.push(c['valuesLocal']);
  }
  for (const ref of refs) {
    if (REMOTE.test(ref) || ref.includes('?ref=')) {
      inputs.remote.push(ref);
      continue;
    }
    const abs = path.resolve(dir, ref);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      inputs.files.push(abs); // missing: kustomize will say so; its later creation must change the key
      continue;
    }
    if (st.isDirectory()) {
      inputs.dirs.push(abs);
      collectKustomize(abs, inputs, seen);
    } else inputs.files.push(abs);
  }
}

function chartDependencies(chartDir: string): string[] {
  try {
    const v = loadYaml(fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8'), 'chart-metadata') as { dependencies?: Array<{ repository?: unknown; name?: unknown; version?: unknown }> } | null;
    return (v?.dependencies ?? []).map((d) => (typeof d.repository === 'string' && d.repository.startsWith('file://') ? d.repository : `${String(d.repository ?? '')}/${String(d.name ?? '')}@${String(d.version ?? '')}`));
  } catch {
    return [];
  }
}

function prune(inputs: AppInputs): AppInputs {
  const dirs = [...new Set(inputs.dirs)].sort();
  const keptDirs = dirs.filter((d) => !dirs.some((o) => o !== d && isInside(d, o)));
  const files = [...new Set(inputs.files)].filter((f) => !keptDirs.some((d) => isInside(f, d))).sort();
  return { dirs: keptDirs, files, remote: [...new Set(inputs.remote)].sort(), skip: [...new Set(inputs.skip)].sort(), usesHelm: inputs.usesHelm, ...(inputs.helmConfigHomes ? { helmConfigHomes: [...new Set(inputs.helmConfigHomes)].sort() } : {}), ...(inputs.pulledCharts ? { pulledCharts: inputs.pulledCharts } : {}) };
}

/** Whether an absolute path is one of the inputs (or inside an input folder). */
export function inputsContain(inputs: AppInputs, abs: string): boolean {
  if (inputs.skip.some((s) => isInside(abs, s))) return false;
  return inputs.files.includes(abs) || inputs.dirs.some((d) => isInside(abs, d));
}

/** Per-file content hashes, reused while a file's size, mtime and inode stay the same. */
export type StatCache = Map<string, { size: number; mtimeMs: number; ino: number; hash: string }>;

const MAX_HASHED_FILES = 20_000;

/**
 * One hash over every input file's repository-relative path and content. Undefined when the
 * inputs are too many to hash quickly (then the result is not cached).
 */
export function hashInputs(inputs: AppInputs, repoRoot: string, statCache?: StatCache): string | undefined {
  const h = createHash('sha256');
  let count = 0;
  const addFile = (abs: string): boolean => {
    if (++count > MAX_HASHED_FILES) return false;
    const rel = path.relative(repoRoot, abs).split(path.sep).join('/');
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      h.update(`${rel}\0missing\0`);
      return true;
    }
    if (!st.isFile()) return true;
    const memo = statCache?.get(abs);
    let fileHash: string;
    if (memo && memo.size === st.size && memo.mtimeMs === st.mtimeMs && memo.ino === st.ino) fileHash = memo.hash;
    else {
      fileHash = createHash('sha256').update(fs.readFileSync(abs)).digest('hex');
      statCache?.set(abs, { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, hash: fileHash });
    }
    h.update(`${rel}\0${fileHash}\0`);
    return true;
  };
  // Symlinked folders are followed (the render's copy holds what they point to), once each.
  const walking = new Set<string>();
  const walk = (dir: string): boolean => {
    let real = dir;
    try {
      real = fs.realpathSync(dir);
    } catch {
      // unreadable: reported below
    }
    if (walking.has(real)) return true;
    walking.add(real);
    try {
      return walkEntries(dir);
    } finally {
      walking.delete(real);
    }
  };
  const walkEntries = (dir: string): boolean => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      h.update(`${dir}\0unreadable\0`);
      return true;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      if (e.name === '.git' || inputs.skip.some((s) => isInside(abs, s))) continue;
      // What a link points to counts, not the link: the render's copy holds the content.
      let isDir = e.isDirectory();
      if (e.isSymbolicLink()) {
        try {
          isDir = fs.statSync(abs).isDirectory();
        } catch {
          // dangling: hashed as a missing file
        }
      }
      if (isDir) {
        if (!walk(abs)) return false;
      } else if (!addFile(abs)) return false;
    }
    return true;
  };
  for (const d of inputs.dirs) {
    h.update(`dir\0${path.relative(repoRoot, d)}\0`);
    if (!walk(d)) return undefined;
  }
  for (const f of inputs.files) if (!addFile(f)) return undefined;
  h.update(`remote\0${inputs.remote.join('\0')}`);
  return h.digest('hex');
}
