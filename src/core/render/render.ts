/**
 * Renders one Application's source as Argo CD's repo-server would: `kustomize build` with the
 * repository's build options, `helm template` with the Application's Helm options
 * (reposerver/repository/repository.go `helmTemplate`, util/helm/cmd.go `template`), or the
 * plain directory's manifests (directory.ts). The binaries are real and run only in a trusted
 * workspace; results are cached by a hash of everything they read.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadYaml } from '../yaml/load';
import { MissingBinaryError, type Binaries, type ResolvedBinary } from './binaries';
import { RenderCache } from './cache';
import { DirectorySourceError, isInside, readDirectorySource } from './directory';
import { appInputs, hashInputs, resolveValueFile } from './inputs';
import { allowsHelmConfigHome, HELM_CONFIG_HOME, screenBuildOptions, type BuildOptionPolicy, type RefusedOption } from '../argocd/buildOptionPolicy';
import { formatCommand, RunError, runProcess, type Runner } from './runner';
import { SymlinkEscapeError, withWorkCopy } from './workdir';
import { keepPulledCharts } from './keepPulledCharts';
import { appSourceOf, findBuildOptions, splitBuildOptions, SourceTypeError, type RenderableApp, type RepoFiles, type SourceType } from '../argocd/source';
import { detectSourceType, kustomizationFile } from './sourceType';

export interface RenderOptions {
  /** The repository (workspace folder) root that `app.path` is relative to. */
  root: string;
  /** VS Code Workspace Trust (the CLI passes true: the user ran it on purpose). */
  trusted: boolean;
  /** Home-Ops' own cache folder: Helm's cache/config/data homes, temporary values files and the private copies the binaries run in (`work/`) live here. */
  cacheDir: string;
  binaries: Binaries;
  signal?: AbortSignal;
  /** Per binary run (default 60 s). */
  timeoutMs?: number;
  /** Rendered results by input hash; without one nothing is cached. */
  cache?: RenderCache;
  /** `kustomize.buildOptions` as resolved by `resolveBuildOptions` (default: none, like Argo CD). */
  buildOptions?: string;
  /** What the user lets the repository choose (buildOptionPolicy.ts); render checks `helmGlobals.configHome` against it. */
  buildOptionPolicy?: BuildOptionPolicy;
  /** Spawns processes (default: runProcess); tests count or fake spawns through it. */
  runner?: Runner;
}

export interface RenderedObject {
  apiVersion?: string;
  kind: string;
  namespace?: string;
  name: string;
  /** The document's YAML, ending in a newline. */
  yaml: string;
}

export interface RenderResult {
  /** YAML stream, documents separated by `---`. */
  manifests: string;
  objects: RenderedObject[];
  sourceType: SourceType;
  /** What ran, e.g. `kustomize build . --enable-helm` (in `cwd`); for a directory, a description. */
  command: string;
  cwd: string;
  durationMs: number;
  cached: boolean;
  /** Things the preview does differently from Argo CD for this app (unapplied options). */
  warnings: string[];
}

export type RenderErrorKind = 'untrusted' | 'missing-binary' | 'tool' | 'timeout' | 'cancelled' | 'source';

/** Where an error belongs in the repository, for a diagnostic. Line and column are 0-based. */
export interface ErrorLocation {
  /** Repository-relative. */
  file: string;
  line: number;
  column: number;
  endColumn: number;
}

export class RenderError extends Error {
  constructor(
    message: string,
    readonly kind: RenderErrorKind,
    readonly details: { stderr?: string; command?: string; location?: ErrorLocation; binary?: string } = {},
  ) {
    super(message);
    this.name = 'RenderError';
  }
}

export const UNTRUSTED_MESSAGE =
  'Rendering is disabled in an untrusted workspace: kustomize can run plugins and Helm charts can run code from the repository. Trust the workspace (Workspaces: Manage Workspace Trust) to preview rendered manifests.';

const DEFAULT_TIMEOUT_MS = 60_000;
/** Bumped when the render pipeline changes what it produces for the same inputs. */
const CACHE_FORMAT = 1;

export interface ResolvedBuildOptions {
  /** What kustomize is given: the options found, less the refused ones. */
  options: string;
  /** Where they came from (`file:line` or the setting), for the preview's header. */
  origin: string;
  /** Options the policy does not let the repository (or the fallback) choose; not in `options`. */
  refused: RefusedOption[];
}

/**
 * The build options Argo CD would use: the repository's own `kustomize.buildOptions`, else the
 * caller's fallback (a setting that a workspace may set, so it is screened too). Flags that run
 * or reach something are left out unless `policy` allows them (buildOptionPolicy.ts).
 */
export function resolveBuildOptions(repo: RepoFiles, fallback: string, policy: BuildOptionPolicy = {}): ResolvedBuildOptions {
  const first = findBuildOptions(repo)[0];
  const options = first ? first.options : fallback;
  const origin = first ? `${first.file}:${first.line}` : 'setting (the repository does not set kustomize.buildOptions)';
  const screened = screenBuildOptions(splitBuildOptions(options), policy);
  return { options: screened.refused.length ? screened.args.join(' ') : options, origin, refused: screened.refused };
}

export async function renderApp(app: RenderableApp, options: RenderOptions): Promise<RenderResult> {
  const started = performance.now();
  const root = path.resolve(options.root);
  const source = appSourceOf(app);
  const appDir = path.resolve(root, source.path);
  if (!isInside(appDir, root)) throw new RenderError(`The source path "${source.path}" of ${app.name} leaves the workspace.`, 'source');
  if (!fs.existsSync(appDir) || !fs.statSync(appDir).isDirectory()) throw new RenderError(`${app.name}: the source path "${source.path}" is not a folder in the workspace.`, 'source');
  let type: SourceType;
  try {
    type = detectSourceType(appDir, source);
  } catch (e) {
    if (e instanceof SourceTypeError) throw new RenderError(`${app.name}: ${e.message}`, 'source');
    throw e;
  }
  // A plain directory runs nothing, so it renders in an untrusted workspace too.
  if (!options.trusted && type !== 'Directory') throw new RenderError(UNTRUSTED_MESSAGE, 'untrusted');
  if (options.signal?.aborted) throw new RenderError('Render cancelled.', 'cancelled');

  const inputs = appInputs(appDir, type, source, root);
  for (const f of [...inputs.files, ...inputs.dirs]) {
    if (!isInside(f, root)) throw new RenderError(`${app.name}: ${path.relative(root, f)} is outside the workspace; Home-Ops does not read files outside it.`, 'source');
  }
  const buildArgs = splitBuildOptions(options.buildOptions ?? '');
  const helmEnabled = buildArgs.includes('--enable-helm');
  const configHome = type === 'Kustomize' && helmEnabled ? inputs.helmConfigHomes?.[0] : undefined;
  if (configHome && !allowsHelmConfigHome(options.buildOptionPolicy)) {
    const rel = toRel(root, configHome);
    const lines = readTextOrEmpty(configHome).split('\n');
    const line = Math.max(0, lines.findIndex((l) => /^\s*(configHome|helmHome)\s*:/.test(l)));
    const column = (lines[line] ?? '').length - (lines[line] ?? '').trimStart().length;
    throw new RenderError(
      `${app.name}: ${rel} sets helmGlobals.configHome, which kustomize gives helm as its plugin folder: a plugin there would run on this machine. Home-Ops does not render it unless you allow "${HELM_CONFIG_HOME}" (user setting homeOps.render.allowedBuildOptions, or --allow-build-option ${HELM_CONFIG_HOME} / --trust-repo-config on the command line).`,
      'source',
      { location: { file: rel, line, column, endColumn: (lines[line] ?? '').length } },
    );
  }
  const warnings: string[] = [];
  const edits = type === 'Kustomize' && source.kustomize ? kustomizeEdits(source.kustomize) : { edits: [], unapplied: [] };
  if (edits.unapplied.length) warnings.push(`source.kustomize options not applied by the preview: ${edits.unapplied.join(', ')}.`);

  const binaries = await resolveBinaries(type, type === 'Helm' || (inputs.usesHelm && helmEnabled), options.binaries);
  const keyParts = {
    v: CACHE_FORMAT,
    type,
    path: source.path,
    source: { ...source, appName: type === 'Helm' ? source.appName : '' },
    buildArgs: type === 'Kustomize' ? buildArgs : [],
    versions: Object.fromEntries(Object.entries(binaries).map(([k, b]) => [k, `${b.file} ${b.version}`])),
  };
  // A render that runs a binary hashes its inputs anyway: the hash also names its private copy.
  const inputsHash = options.cache || type !== 'Directory' ? hashInputs(inputs, root, options.cache?.statCache) : undefined;
  const key = inputsHash && options.cache ? createHash('sha256').update(JSON.stringify(keyParts)).update(inputsHash).digest('hex') : undefined;
  if (key && options.cache) {
    const hit = options.cache.get(key);
    if (hit) return { ...hit, cached: true, durationMs: performance.now() - started };
  }

  const run = options.runner ?? runProcess;
  const helmHome = path.join(options.cacheDir, 'helm');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HELM_CACHE_HOME: path.join(helmHome, 'cache'),
    HELM_CONFIG_HOME: path.join(helmHome, 'config'),
    HELM_DATA_HOME: path.join(helmHome, 'data'),
  };
  const runOpts = { env, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) };

  let manifests: string;
  let command: string;
  if (type === 'Directory') {
    try {
      const docs = readDirectorySource(appDir, root, source.directory);
      manifests = docs.map((d) => d.text).join('---\n');
    } catch (e) {
      if (e instanceof DirectorySourceError) throw new RenderError(e.message, 'source', e.file ? { location: { file: toRel(root, path.join(appDir, e.file)), line: 0, column: 0, endColumn: 0 } } : {});
      throw e;
    }
    const d = source.directory;
    command = `(directory source${d.recurse ? ', recurse' : ''}${d.include ? `, include ${d.include}` : ''}${d.exclude ? `, exclude ${d.exclude}` : ''})`;
  } else {
    // The binaries run in a private copy of the inputs (workdir.ts): nothing they write (pulled
    // charts, `kustomize edit`) reaches the repository. Paths of the copy in their messages are
    // mapped back to the repository's.
    const k = binaries.kustomize;
    if (edits.edits.length && k?.prefix.length) throw new RenderError('source.kustomize options need the kustomize binary: `kubectl kustomize` has no `edit`.', 'missing-binary', { binary: 'kustomize' });
    const keep = inputsHash ? { inputsHash, extra: { path: source.path, edits: type === 'Kustomize' ? edits.edits : [], kustomize: k ? `${k.file} ${k.version}` : '' } } : undefined;
    let editCommands: string[] = [];
    const prepare = async (copyRoot: string) => {
      if (type !== 'Kustomize' || !k) return;
      // Argo CD runs `kustomize edit` in its own checkout; here it runs once, when the copy is made.
      const cwd = path.join(copyRoot, source.path);
      for (const e of edits.edits) await guard(() => run(k.file, ['edit', ...e], { ...runOpts, cwd }), root, appDir, copyRoot);
    };
    let r: { stdout: string; command: string };
    try {
      r = await withWorkCopy(root, inputs, options.cacheDir, keep, prepare, async (copy) => {
        const cwd = path.join(copy.root, source.path);
        try {
          if (type === 'Kustomize') {
            const kb = k as ResolvedBinary;
            const args = [...kb.prefix, 'build', '.', ...buildArgs];
            // kustomize runs `helm` from PATH unless told otherwise; use the one Home-Ops located.
            if (binaries.helm && !buildArgs.includes('--helm-command')) args.push('--helm-command', binaries.helm.file);
            editCommands = edits.edits.map((e) => formatCommand(kb.file, ['edit', ...e]));
            const built = await guard(() => run(kb.file, args, { ...runOpts, cwd }), root, appDir, copy.root);
            // The charts kustomize pulled into the copy serve the values checks too (never throws).
            keepPulledCharts(copy.root, source.path);
            return built;
          }
          const h = binaries.helm as ResolvedBinary;
          const { args, cleanup } = helmTemplateArgs(source, cwd, copy.root, options.cacheDir);
          try {
            return await guard(() => run(h.file, args, { ...runOpts, cwd }), root, appDir, copy.root);
          } finally {
            cleanup();
          }
        } catch (e) {
          // A run that failed or was cut short may have left a half-pulled chart behind.
          if (e instanceof RenderError && e.kind !== 'source') copy.discard();
          throw e;
        }
      });
    } catch (e) {
      if (e instanceof SymlinkEscapeError) throw new RenderError(`${app.name}: ${e.message}`, 'source', { location: { file: e.file, line: 0, column: 0, endColumn: 0 } });
      throw e;
    }
    manifests = r.stdout;
    command = editCommands.length ? `${editCommands.join(' && ')} && ${r.command}` : r.command;
  }

  const objects = splitObjects(manifests);
  const result: RenderResult = { manifests, objects, sourceType: type, command, cwd: appDir, durationMs: performance.now() - started, cached: false, warnings };
  if (key && options.cache) {
    const { cached: _c, durationMs, ...rest } = result;
    options.cache.set(key, { ...rest, renderMs: durationMs });
  }
  return result;
}

/**
 * The `kustomize edit` commands Argo CD runs for `source.kustomize` before building
 * (util/kustomize/kustomize.go `Build`; order and flags as read there **(derived)**). Options
 * that need more than an edit (patches, components, envsubst, versions) are reported instead.
 */
export function kustomizeEdits(k: Record<string, unknown>): { edits: string[][]; unapplied: string[] } {
  const edits: string[][] = [];
  const handled = new Set(['namePrefix', 'nameSuffix', 'images', 'replicas', 'commonLabels', 'forceCommonLabels', 'labelWithoutSelector', 'labelIncludeTemplates', 'commonAnnotations', 'forceCommonAnnotations', 'namespace']);
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  const map = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v as Record<string, unknown>).map(([a, b]) => [a, String(b ?? '')] as const) : []);
  if (s(k['namePrefix'])) edits.push(['set', 'nameprefix', '--', s(k['namePrefix'])]);
  if (s(k['nameSuffix'])) edits.push(['set', 'namesuffix', '--', s(k['nameSuffix'])]);
  const images = Array.isArray(k['images']) ? k['images'].filter((i): i is string => typeof i === 'string') : [];
  if (images.length) edits.push(['set', 'image', ...images]);
  const replicas = Array.isArray(k['replicas']) ? (k['replicas'] as Array<Record<string, unknown>>).filter((r) => r && typeof r['name'] === 'string') : [];
  if (replicas.length) edits.push(['set', 'replicas', ...replicas.map((r) => `${String(r['name'])}=${parseInt(String(r['count']), 10)}`)]);
  const kv = (pairs: ReadonlyArray<readonly [string, string]>) => [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([a, b]) => `${a}:${b}`).join(',');
  const labels = map(k['commonLabels']);
  if (labels.length) edits.push(['add', 'label', ...(k['forceCommonLabels'] === true ? ['--force'] : []), ...(k['labelWithoutSelector'] === true ? ['--without-selector'] : []), ...(k['labelIncludeTemplates'] === true ? ['--include-templates'] : []), kv(labels)]);
  const annotations = map(k['commonAnnotations']);
  if (annotations.length) edits.push(['add', 'annotation', ...(k['forceCommonAnnotations'] === true ? ['--force'] : []), kv(annotations)]);
  if (s(k['namespace'])) edits.push(['set', 'namespace', '--', s(k['namespace'])]);
  const unapplied = Object.entries(k)
    .filter(([key, v]) => !handled.has(key) && v !== undefined && v !== null && v !== false && !(Array.isArray(v) && v.length === 0) && v !== '')
    .map(([key]) => key);
  return { edits, unapplied };
}

async function resolveBinaries(type: SourceType, needsHelm: boolean, binaries: Binaries): Promise<{ kustomize?: ResolvedBinary; helm?: ResolvedBinary }> {
  try {
    const out: { kustomize?: ResolvedBinary; helm?: ResolvedBinary } = {};
    if (type === 'Kustomize') out.kustomize = await binaries.kustomize();
    if (needsHelm) out.helm = await binaries.helm();
    return out;
  } catch (e) {
    if (e instanceof MissingBinaryError) throw new RenderError(e.message, 'missing-binary', { binary: e.binary });
    throw e;
  }
}

/** `helm template` arguments in Argo CD's order (util/helm/cmd.go), run in the chart folder. */
export function helmTemplateArgs(source: ReturnType<typeof appSourceOf>, appDir: string, root: string, tmpBase: string): { args: string[]; cleanup: () => void } {
  const h = source.helm;
  // Argo CD uses the name part of `namespace_name` app identifiers as the release name.
  const name = h.releaseName || source.appName.slice(source.appName.indexOf('_') + 1);
  const namespace = h.namespace || source.destinationNamespace || '';
  const args = ['template', '.', '--name-template', name];
  if (namespace) args.push('--namespace', namespace);
  if (h.kubeVersion) args.push('--kube-version', h.kubeVersion);
  for (const p of h.parameters) args.push(p.forceString ? '--set-string' : '--set', `${p.name}=${cleanSetParameter(p.value)}`);
  for (const p of h.fileParameters) args.push('--set-file', `${p.name}=${cleanSetParameter(insideRoot(resolveValueFile(appDir, root, p.path), root, p.path))}`);
  for (const vf of h.valueFiles) {
    if (/^[a-z]+:\/\//i.test(vf)) throw new RenderError(`Remote value file ${vf} is not fetched by the preview.`, 'source');
    const abs = insideRoot(resolveValueFile(appDir, root, vf), root, vf);
    if (!fs.existsSync(abs) && h.ignoreMissingValueFiles) continue;
    args.push('--values', abs);
  }
  let cleanup = () => {};
  if (h.valuesYaml !== undefined) {
    const dir = path.join(tmpBase, 'tmp');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `values-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.yaml`);
    fs.writeFileSync(file, h.valuesYaml);
    args.push('--values', file);
    cleanup = () => fs.rmSync(file, { force: true });
  }
  for (const v of h.apiVersions) args.push('--api-versions', v);
  if (!h.skipCrds) args.push('--include-crds');
  if (h.skipSchemaValidation) args.push('--skip-schema-validation');
  if (h.skipTests) args.push('--skip-tests');
  return { args, cleanup };
}

/** util/helm/cmd.go cleanSetParameters: escape commas unless the value is a `{a,b}` list. */
function cleanSetParameter(v: string): string {
  if (v.startsWith('{') && v.endsWith('}')) return v;
  let out = '';
  let prev = '';
  for (const c of v) {
    out += c === ',' && prev !== '\\' ? '\\,' : c;
    prev = c;
  }
  return out;
}

function insideRoot(abs: string, root: string, written: string): string {
  if (!isInside(abs, root)) throw new RenderError(`The value file "${written}" is outside the repository.`, 'source');
  return abs;
}

/**
 * Runs a binary in the copy rooted at `copyRoot`; its command and messages name the repository's
 * files instead of the copy's, so errors locate on (and read as) the user's paths.
 */
async function guard<T extends { command: string }>(fn: () => Promise<T>, root: string, appDir: string, copyRoot: string): Promise<T> {
  const toRepo = repoPathMapper(copyRoot, root);
  try {
    const r = await fn();
    return { ...r, command: toRepo(r.command) };
  } catch (e) {
    if (!(e instanceof RunError)) throw e;
    const command = toRepo(e.command);
    const stderr = toRepo(e.stderr);
    if (e.failure === 'cancelled') throw new RenderError('Render cancelled.', 'cancelled', { command });
    if (e.failure === 'timeout') throw new RenderError(toRepo(e.message), 'timeout', { command, stderr });
    if (e.failure === 'spawn') throw new RenderError(toRepo(e.message), 'missing-binary', { command });
    const location = locateError(stderr, root, appDir);
    throw new RenderError(stderr.trim() || toRepo(e.message), 'tool', { command, stderr, ...(location ? { location } : {}) });
  }
}

/** Replaces the copy's root (as given and as resolved) in a text with the repository's root. */
export function repoPathMapper(copyRoot: string, root: string): (text: string) => string {
  const forms = new Set([copyRoot]);
  try {
    forms.add(fs.realpathSync(copyRoot));
  } catch {
    // The copy is gone already; the given form is the one the binary saw.
  }
  const sorted = [...forms].sort((a, b) => b.length - a.length);
  return (text) => sorted.reduce((t, f) => t.split(f).join(root), text);
}

/**
 * The kustomization line an error is about: kustomize names the entry (`accumulating resources
 * from 'nope.yaml'`) or its absolute path (`lstat /…/missing-values.yaml`); the first such name
 * written in the app's kustomization is the place. Helm errors about a chart fall on `helmCharts:`.
 */
export function locateError(stderr: string, root: string, appDir: string): ErrorLocation | undefined {
  const kfile = kustomizationFile(appDir);
  if (!kfile) return undefined;
  const lines = fs.readFileSync(kfile, 'utf8').split('\n');
  const candidates = new Set<string>();
  for (const m of stderr.matchAll(/'([^'\n]+)'|"([^"\n]+)"|(?<![\w.])(\/[^\s'":]+)/g)) {
    const token = (m[1] ?? m[2] ?? m[3] ?? '').trim();
    if (!token || token.includes('\n')) continue;
    if (path.isAbsolute(token)) {
      const rel = path.relative(appDir, token).split(path.sep).join('/');
      if (rel && !rel.startsWith('../../..')) candidates.add(rel);
    } else candidates.add(token);
  }
  const rel = toRel(root, kfile);
  for (const c of candidates) {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      const at = valueColumn(line, c);
      if (at >= 0) return { file: rel, line: i, column: at, endColumn: at + c.length };
    }
  }
  if (/HelmChartInflationGenerator|helm|chart/i.test(stderr)) {
    const i = lines.findIndex((l) => /^helmCharts\s*:/.test(l));
    if (i >= 0) return { file: rel, line: i, column: 0, endColumn: 'helmCharts'.length };
  }
  return undefined;
}

/** Column of `value` as a whole YAML scalar on the line (`- nope.yaml`, `valuesFile: x.yaml`), else -1. */
function valueColumn(line: string, value: string): number {
  const content = line.replace(/\s+#.*$/, '');
  const at = content.indexOf(value);
  if (at < 0) return -1;
  const before = content.slice(0, at).replace(/["']$/, '');
  const after = content.slice(at + value.length).replace(/^["']/, '');
  return /(?:^|[\s:-])$/.test(before) && /^\s*$/.test(after) ? at : -1;
}

/** Splits a YAML stream into its objects with kind, namespace and name. */
export function splitObjects(stream: string): RenderedObject[] {
  const out: RenderedObject[] = [];
  for (const chunk of stream.split(/^---[ \t]*(?:\r?\n|$)/m)) {
    if (!chunk.trim()) continue;
    let value: unknown;
    try {
      value = loadYaml(chunk, 'directory-manifest');
    } catch {
      value = undefined;
    }
    if (value === null || value === undefined) {
      if (chunk.split('\n').every((l) => !l.trim() || l.trim().startsWith('#'))) continue;
    }
    const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
    const meta = (v['metadata'] && typeof v['metadata'] === 'object' ? v['metadata'] : {}) as Record<string, unknown>;
    const obj: RenderedObject = {
      kind: typeof v['kind'] === 'string' ? v['kind'] : '',
      name: typeof meta['name'] === 'string' ? meta['name'] : '',
      yaml: chunk.endsWith('\n') ? chunk : `${chunk}\n`,
    };
    if (typeof v['apiVersion'] === 'string') obj.apiVersion = v['apiVersion'];
    if (typeof meta['namespace'] === 'string' && meta['namespace'] !== '') obj.namespace = meta['namespace'];
    out.push(obj);
  }
  return out;
}

/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects: the diff's resource identity. */
export function objectKey(o: Pick<RenderedObject, 'kind' | 'namespace' | 'name'>): string {
  return o.namespace ? `${o.kind}/${o.namespace}/${o.name}` : `${o.kind}/${o.name}`;
}

function readTextOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function toRel(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}
