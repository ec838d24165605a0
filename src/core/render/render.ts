/**
 * Renders one Application's source as Argo CD's repo-server would: with the Config Management
 * Plugin it names or discovers (pluginChoice.ts), else `kustomize build` with the
 * repository's build options, `helm template` with the Application's Helm options
 * (reposerver/repository/repository.go `helmTemplate`, util/helm/cmd.go `template`), or the
 * plain directory's manifests (directory.ts). The binaries are real and run only in a trusted
 * workspace; results are cached by a hash of everything they read.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asRecord } from '../generators/spec';
import { loadYaml } from '../yaml/load';
import { MissingBinaryError, type Binaries, type ResolvedBinary } from './binaries';
import { RenderCache } from './cache';
import { DirectorySourceError, isInside, readDirectorySource } from './directory';
import { appInputs, hashInputs, resolveValueFile } from './inputs';
import { allowsHelmConfigHome, allowsPlugin, HELM_CONFIG_HOME, screenBuildOptions, type BuildOptionPolicy, type RefusedOption } from '../argocd/buildOptionPolicy';
import { formatCommand, RunError, runProcess, type Runner } from './runner';
import { SymlinkEscapeError, withWorkCopy } from './workdir';
import { appSourceOf, applicationSources, findBuildOptions, isRemoteChartSource, splitBuildOptions, SourceTypeError, type AppSource, type RenderableApp, type RepoFiles, type SourceType } from '../argocd/source';
import { pluginAllowance, type PluginCommand, type PluginDefinition } from '../argocd/plugins';
import { allowPluginWhere, chooseRenderer, clipCommand, type DiscoveryRun, type RendererChoice } from './pluginChoice';
import { pluginRun, type PluginRun } from './plugin';
import { pullChart, remoteChartOf } from './remoteChart';
import { keepPulledCharts } from './keepPulledCharts';
import { placeCachedCharts } from './placeCachedCharts';
import { detectSourceType, kustomizationFile } from './sourceType';
import { kustomizeBuildCommand } from './kustomizeCommand';
import { buildHelmDependencies, isMissingDependencyError } from './helmDependencies';
import { crdSchemaLookup, type CrdSchemaLookup } from './crdSchema';
import { authenticatedUserRepository, renderHelmEnvironment, userHelmFiles } from './helmEnvironment';
import { crdDocumentsIn, crdScopesOf, helmChartNamespaceWarning, type NamespaceWarning } from './namespaceCheck';
import { checkRenderedObjects, type RenderedObjectProblem } from './renderedObjects';
import { credentialsKustomizeCannotPass, describeToolFailure, isEnvironmentFailure, type FailureCause, type ToolFailure } from './failure';

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
  /** The Config Management Plugins the repository defines (findPlugins), for apps with `source.plugin`. */
  plugins?: readonly PluginDefinition[];
  /** Scopes of the repository's CRDs (crdScopesIn), for the namespace check of kinds whose CRD is not in the render. */
  crdScopes?: ReadonlyMap<string, boolean>;
  /** The schemas of the repository's CRDs (crdSchemaLookup over crdDocumentsIn), for custom resources whose CRD is not in the render. */
  crdSchemas?: CrdSchemaLookup;
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
  sourceType: SourceType | 'Plugin' | 'Multi-source';
  /** What ran, e.g. `kustomize build . --enable-helm` (in `cwd`); for a directory, a description. */
  command: string;
  cwd: string;
  durationMs: number;
  cached: boolean;
  /** Things the preview does differently from Argo CD for this app (unapplied options). */
  warnings: string[];
  /** The versions of the binaries that ran (`v5.8.1`, `kubectl v5.5.0`), to compare with Argo CD's. */
  tools: { kustomize?: string; helm?: string };
  /** Objects of helmCharts that kustomize ≥ 5.8 left without the kustomization's namespace (namespaceCheck.ts). */
  namespaceWarning?: NamespaceWarning;
  /** Objects the API server would refuse or may not know (renderedObjects.ts); absent when none. */
  objectProblems?: PlacedObjectProblem[];
}

export interface PlacedObjectProblem extends RenderedObjectProblem {
  /** 0-based line of `manifests` where the object starts. */
  line: number;
  /** For lint: the object's document in a plain directory, else the app's kustomization or Chart.yaml (first line); absent when there is neither (a registry chart, a plugin). */
  location?: ErrorLocation;
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
    readonly details: { stderr?: string; command?: string; location?: ErrorLocation; binary?: string; cause?: FailureCause } = {},
  ) {
    super(message);
    this.name = 'RenderError';
  }
}

export const UNTRUSTED_MESSAGE =
  'Rendering is disabled in an untrusted workspace: kustomize can run plugins and Helm charts can run code from the repository. Trust the workspace (Workspaces: Manage Workspace Trust) to preview rendered manifests.';

const DEFAULT_TIMEOUT_MS = 60_000;
/** Bumped when the render pipeline changes what it produces for the same inputs. */
const CACHE_FORMAT = 2;

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
  const result = await renderUnchecked(app, options);
  const objectProblems = renderedObjectProblems(app, result, options);
  return objectProblems.length ? { ...result, objectProblems } : result;
}

/**
 * The problems of the rendered objects (renderedObjects.ts), each placed in the preview (`line` of
 * the manifests) and, for lint, at the object's own document in a plain directory, else at the
 * first line (not a comment) of the app's kustomization or Chart.yaml. Computed on every render, cached or not: the repository's CRDs are
 * no input of the render.
 */
function renderedObjectProblems(app: RenderableApp, result: RenderResult, options: RenderOptions): PlacedObjectProblem[] {
  // The render's CRDs read as the repository's are (by line): a chart's CRDs run to megabytes.
  const crds = result.objects.filter((o) => o.kind === 'CustomResourceDefinition');
  const renderCrdDocs = crdDocumentsIn({ files: crds.map((_, i) => `${i}.yaml`), readText: (f: string) => crds[Number.parseInt(f, 10)]?.yaml });
  const renderCrds = crdScopesOf(renderCrdDocs);
  const renderSchemas = crdSchemaLookup(() => renderCrdDocs);
  const schemaOf = (gvk: string) => renderSchemas(gvk) ?? options.crdSchemas?.(gvk);
  const syncOptions = asRecord(asRecord(app.manifest?.['spec'])?.['syncPolicy'])?.['syncOptions'];
  const found = checkRenderedObjects(result.objects, options.crdScopes?.keys() ?? [], renderCrds.keys(), syncOptions, schemaOf);
  if (found.length === 0) return [];
  const lines = objectStartLines(result.manifests);
  const root = path.resolve(options.root);
  const folder = app.path ?? applicationSources(app).map((s) => s['path']).find((p): p is string => typeof p === 'string');
  const dir = folder === undefined ? undefined : path.resolve(root, folder);
  const file = dir && isInside(dir, root) ? (kustomizationFile(dir) ?? [path.join(dir, 'Chart.yaml')].find((f) => fs.existsSync(f))) : undefined;
  // The first line that is no comment, so that `# home-ops-disable-next-line` above it suppresses the problem.
  const fileLines = file ? readTextOrEmpty(file).split('\n') : [];
  const line = Math.max(0, fileLines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#')));
  const location = file ? { file: toRel(root, file), line, column: 0, endColumn: (fileLines[line] ?? '').length } : undefined;
  const own = result.sourceType === 'Directory' && dir ? directoryObjectLocations(app, dir, root) : new Map<string, DocumentPlace>();
  return found.map(({ fieldLine, ...p }) => {
    const yaml = result.objects[p.index]?.yaml ?? '';
    const start = lines[p.index] ?? 0;
    const mine = own.get(yaml);
    if (fieldLine === undefined) {
      const at = mine?.first ?? location;
      return { ...p, line: start, ...(at ? { location: at } : {}) };
    }
    // A field's problem: its own line in the preview and, in a plain directory, in the user's file.
    const line = start - leadingLines(yaml) + fieldLine;
    const at = mine ? { file: mine.first.file, line: mine.docLine + fieldLine, column: 0, endColumn: mine.lineText(mine.docLine + fieldLine).length } : location;
    return { ...p, line, ...(at ? { location: at } : {}) };
  });
}

/** Lines before a document's first line of YAML (comments, blank lines): where splitObjects starts an object. */
function leadingLines(yaml: string): number {
  return Math.max(0, yaml.split('\n').findIndex((l) => !/^\s*(#.*)?$/.test(l)));
}

/**
 * A plain directory's objects are the user's own documents: each is placed at its first line
 * (not a comment) in its file, by its text (readDirectorySource gives each document as written).
 */
interface DocumentPlace {
  /** The document's first line that is no comment. */
  first: ErrorLocation;
  /** The line of the file where the document's text starts. */
  docLine: number;
  lineText(line: number): string;
}

function directoryObjectLocations(app: RenderableApp, appDir: string, root: string): Map<string, DocumentPlace> {
  const out = new Map<string, DocumentPlace>();
  let docs: ReturnType<typeof readDirectorySource>;
  try {
    docs = readDirectorySource(appDir, root, appSourceOf(app).directory);
  } catch {
    return out;
  }
  for (const d of docs) {
    const abs = path.join(appDir, ...d.file.split('/'));
    const text = readTextOrEmpty(abs).replace(/^\uFEFF/, '');
    const start = text.indexOf(d.text.trimEnd());
    const lines = text.split('\n');
    const docLine = start < 0 ? 0 : text.slice(0, start).split('\n').length - 1;
    let line = docLine;
    while (line < lines.length - 1 && /^\s*(#.*)?$/.test(lines[line] ?? '')) line++;
    out.set(d.text, { first: { file: toRel(root, abs), line, column: 0, endColumn: (lines[line] ?? '').length }, docLine, lineText: (l) => lines[l] ?? '' });
  }
  return out;
}

async function renderUnchecked(app: RenderableApp, options: RenderOptions): Promise<RenderResult> {
  const started = performance.now();
  const root = path.resolve(options.root);
  const sources = applicationSources(app);
  if (sources.length > 1 || sources.some(isRemoteChartSource)) return renderSources(app, sources, root, options, started);
  const source = appSourceOf(app);
  const appDir = path.resolve(root, source.path);
  if (!isInside(appDir, root)) throw new RenderError(`The source path "${source.path}" of ${app.name} leaves the workspace.`, 'source');
  if (!fs.existsSync(appDir) || !fs.statSync(appDir).isDirectory()) throw new RenderError(`${app.name}: the source path "${source.path}" is not a folder in the workspace.`, 'source');
  if (source.plugin && source.explicit.length > 0) throw new RenderError(`${app.name}: multiple application sources defined: ${[...source.explicit, 'Plugin'].join(',')} (Argo CD accepts one of helm, kustomize, directory, plugin)`, 'source');
  // Argo CD asks the plugins before it looks for a kustomization or a Chart.yaml (pluginChoice.ts).
  const choice = await chooseRenderer({
    appName: app.name,
    source,
    root,
    plugins: options.plugins ?? [],
    trusted: options.trusted,
    ...(options.buildOptionPolicy ? { policy: options.buildOptionPolicy } : {}),
    runDiscovery: discoveryRunner(app, source, appDir, root, options),
  });
  if (choice.kind === 'refused') throw new RenderError(choice.message, 'source');
  if (choice.kind === 'untrusted') throw new RenderError(UNTRUSTED_MESSAGE, 'untrusted');
  if (choice.kind === 'plugin') return renderWithPlugin(app, source, appDir, root, options, started, choice);
  if (choice.notes.length === 0) return renderBuiltIn(app, source, appDir, root, options, started);
  // The notes are not cached with the render: allowing a plugin changes them, not the inputs. A
  // failed render keeps them too (on a line of their own): a plugin may render the app instead.
  try {
    const r = await renderBuiltIn(app, source, appDir, root, options, started);
    return { ...r, warnings: [...choice.notes, ...r.warnings] };
  } catch (e) {
    if (e instanceof RenderError && e.kind !== 'cancelled') throw new RenderError(`${e.message}\n${choice.notes.map((n) => `Note: ${n}`).join('\n')}`, e.kind, e.details);
    throw e;
  }
}

/** kustomize, helm or the plain directory, as the folder (or the source's explicit block) says. */
async function renderBuiltIn(app: RenderableApp, source: AppSource, appDir: string, root: string, options: RenderOptions, started: number): Promise<RenderResult> {
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
  // Helm's homes are Home-Ops' own: nothing Home-Ops adds (dependency repositories) reaches the
  // user's helm, and the user's plugins do not run; the user's logins are read, never written
  // (helmEnvironment.ts).
  const { env, homes: helmHomes, user } = renderHelmEnvironment(options.cacheDir);
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
      // Charts the chart cache holds are not pulled again into a new copy (placeCachedCharts.ts).
      if (helmEnabled) placeCachedCharts(root, copyRoot, inputs.pulledCharts ?? []);
      // Argo CD runs `kustomize edit` in its own checkout; here it runs once, when the copy is made.
      const cwd = path.join(copyRoot, source.path);
      for (const e of edits.edits) await guard(() => run(k.file, ['edit', ...e], { ...runOpts, cwd }), 'kustomize edit', root, appDir, copyRoot);
    };
    let r: { stdout: string; command: string };
    try {
      r = await withWorkCopy(root, inputs, options.cacheDir, keep, prepare, async (copy) => {
        const cwd = path.join(copy.root, source.path);
        try {
          if (type === 'Kustomize') {
            const kb = k as ResolvedBinary;
            const { args, dropped } = kustomizeBuildCommand(kb, buildArgs, binaries.helm);
            if (dropped.length) warnings.push(`kubectl kustomize (${kb.version.replace(/^kubectl /, 'kustomize ')}) does not accept ${dropped.join(', ')}: left out. Install kustomize to build with ${dropped.length === 1 ? 'it' : 'them'}.`);
            editCommands = edits.edits.map((e) => formatCommand(kb.file, ['edit', ...e]));
            const built = await guard(() => run(kb.file, args, { ...runOpts, cwd }), kb.prefix.length ? 'kubectl kustomize' : 'kustomize', root, appDir, copy.root);
            // The charts kustomize pulled into the copy serve the values checks too (never throws).
            keepPulledCharts(copy.root, source.path);
            return built;
          }
          const h = binaries.helm as ResolvedBinary;
          const { args, cleanup } = helmTemplateArgs(source, cwd, copy.root, options.cacheDir);
          const template = () => guard(() => run(h.file, args, { ...runOpts, cwd }), 'helm template', root, appDir, copy.root);
          try {
            try {
              return await template();
            } catch (e) {
              // Argo CD templates first and builds the dependencies only when helm says they are missing.
              if (!(e instanceof RenderError) || e.kind !== 'tool' || !isMissingDependencyError(e.details.stderr ?? '')) throw e;
            }
            const built = await guard(async () => ({ command: (await buildHelmDependencies(h, cwd, helmHomes, run, runOpts, user)).join(' && ') }), 'helm dependency build', root, appDir, copy.root);
            const r = await template();
            return { ...r, command: `${built.command} && ${r.command}` };
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
  const tools = { ...(binaries.kustomize ? { kustomize: binaries.kustomize.version } : {}), ...(binaries.helm ? { helm: binaries.helm.version } : {}) };
  const namespaceWarning = type === 'Kustomize' && binaries.kustomize ? helmChartNamespaceWarning(objects, appDir, root, binaries.kustomize.version, inputs.usesHelm && helmEnabled, source.destinationNamespace, options.crdScopes) : undefined;
  const result: RenderResult = { manifests, objects, sourceType: type, command, cwd: appDir, durationMs: performance.now() - started, cached: false, warnings, tools, ...(namespaceWarning ? { namespaceWarning } : {}) };
  if (key && options.cache) {
    const { cached: _c, durationMs, ...rest } = result;
    options.cache.set(key, { ...rest, renderMs: durationMs });
  }
  return result;
}

/**
 * An Application with several sources, or a chart from a registry: Argo CD renders each source
 * and applies them together (a source with only `ref:` gives value files, no manifests). A chart
 * source is pulled (remoteChart.ts) and templated with the source's Helm options, `$ref` value
 * files read from this repository; a source with a path in this repository renders as a
 * single-source app would. Any source failing fails the app, as in Argo CD.
 */
async function renderSources(app: RenderableApp, sources: Record<string, unknown>[], root: string, options: RenderOptions, started: number): Promise<RenderResult> {
  const spec = (app.manifest?.['spec'] ?? {}) as Record<string, unknown>;
  const refs = sources.map((s) => s['ref']).filter((r): r is string => typeof r === 'string');
  const parts: RenderResult[] = [];
  for (const s of sources) {
    // One source at a time, knowing the `ref:` names of the others for its `$name/…` value files.
    const { sources: _all, ...rest } = spec;
    const single: RenderableApp = { name: app.name, ...(app.namespace ? { namespace: app.namespace } : {}), ...(app.destinationNamespace ? { destinationNamespace: app.destinationNamespace } : {}), manifest: { spec: { ...rest, source: s } }, refs };
    if (isRemoteChartSource(s)) parts.push(await renderRemoteChart(single, s, root, options));
    else if (typeof s['path'] === 'string') parts.push(await renderUnchecked({ ...single, path: s['path'] }, options));
  }
  if (parts.length === 1 && sources.length === 1) return { ...(parts[0] as RenderResult), durationMs: performance.now() - started };
  const manifests = parts.map((p) => (p.manifests.endsWith('\n') || p.manifests === '' ? p.manifests : `${p.manifests}\n`)).filter((m) => m !== '').join('---\n');
  return {
    manifests,
    objects: parts.flatMap((p) => p.objects),
    sourceType: 'Multi-source',
    command: parts.map((p) => p.command).join(' ; '),
    cwd: root,
    durationMs: performance.now() - started,
    cached: parts.length > 0 && parts.every((p) => p.cached),
    warnings: parts.flatMap((p) => p.warnings),
    tools: Object.assign({}, ...parts.map((p) => p.tools)) as RenderResult['tools'],
    ...(parts.find((p) => p.namespaceWarning) ? { namespaceWarning: parts.find((p) => p.namespaceWarning)?.namespaceWarning as NamespaceWarning } : {}),
  };
}

/** A chart from a Helm repository or an OCI registry: pulled into Home-Ops' cache, then `helm template`. */
async function renderRemoteChart(app: RenderableApp, raw: Record<string, unknown>, root: string, options: RenderOptions): Promise<RenderResult> {
  const started = performance.now();
  if (!options.trusted) throw new RenderError(UNTRUSTED_MESSAGE, 'untrusted');
  if (options.signal?.aborted) throw new RenderError('Render cancelled.', 'cancelled');
  const chart = remoteChartOf(raw);
  if (!chart.repoURL) throw new RenderError(`${app.name}: a chart source without repoURL.`, 'source');
  const { helm } = await resolveBinaries('Helm', true, options.binaries);
  const h = helm as ResolvedBinary;
  const source = appSourceOf(app);
  const run = options.runner ?? runProcess;
  const { env, homes, user } = renderHelmEnvironment(options.cacheDir);
  const runOpts = { env, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) };
  const label = `${chart.repoURL}${chart.chart ? ` ${chart.chart}` : ''} ${chart.version}`;
  // A repository the user added to helm with credentials is pulled through that entry, so they are sent.
  const theirs = chart.repoURL.startsWith('oci://') ? undefined : authenticatedUserRepository(chart.repoURL, user);
  const pulled = await guard(async () => {
    const p = await pullChart(h, chart, options.cacheDir, run, runOpts, theirs ? { repository: theirs, files: user, homes } : undefined);
    return { ...p, command: p.command ?? '' };
  }, `helm pull of ${label}`, root, root, root);
  if (!fs.existsSync(path.join(pulled.dir, 'Chart.yaml'))) throw new RenderError(`${app.name}: ${chart.repoURL}${chart.chart ? ` ${chart.chart}` : ''} ${chart.version} holds no Helm chart${chart.path && chart.path !== '.' ? ` at ${chart.path}` : ''}.`, 'source');
  const { args, cleanup } = helmTemplateArgs(source, pulled.dir, root, options.cacheDir, pulled.dir);
  try {
    const r = await guard(() => run(h.file, args, { ...runOpts, cwd: pulled.dir }), 'helm template', root, root, root);
    return { manifests: r.stdout, objects: splitObjects(r.stdout), sourceType: 'Helm', command: `${pulled.command ? `${pulled.command} && ` : ''}${r.command} (chart ${label})`, cwd: pulled.dir, durationMs: performance.now() - started, cached: false, warnings: [], tools: { helm: h.version } };
  } finally {
    cleanup();
  }
}

/**
 * An app rendered by a Config Management Plugin (named, or found by discovery: pluginChoice.ts):
 * the plugin the repository defines, run in the render's private copy (plugin.ts), when the
 * workspace is trusted and the user allowed it; else one line saying what renders it in Argo CD,
 * rather than a preview made some other way.
 */
async function renderWithPlugin(app: RenderableApp, source: AppSource, appDir: string, root: string, options: RenderOptions, started: number, choice: Extract<RendererChoice, { kind: 'plugin' }>): Promise<RenderResult> {
  const { def, found } = choice;
  if (!options.trusted) throw new RenderError(UNTRUSTED_MESSAGE, 'untrusted');
  const shown = [...def.generate.command, ...def.generate.args].join(' ');
  const how = found ? `; Argo CD discovers it for this app: ${found}` : '';
  if (!allowsPlugin(options.buildOptionPolicy, def.name)) {
    throw new RenderError(`${app.name} is rendered by plugin "${def.name}" (${def.origin}${how}), whose commands would run on this machine (${clipCommand(shown)}). Allow "${pluginAllowance(def.name)}" to preview it ${allowPluginWhere(def)}.`, 'source');
  }
  if (options.signal?.aborted) throw new RenderError('Render cancelled.', 'cancelled');
  const plan = pluginRun(def, source, app.name);
  const run = options.runner ?? runProcess;
  const runOpts = pluginRunOptions(plan, options);
  const inputs = appInputs(appDir, 'Directory', source, root);
  // A throw-away copy: a plugin may write anything next to what it reads, and its output is not cached.
  const r = await withWorkCopy(root, inputs, options.cacheDir, undefined, async () => undefined, async (copy) => {
    const cwd = path.join(copy.root, source.path);
    const commands: string[] = [];
    let last = { stdout: '', command: '' };
    for (const s of plan.steps) {
      last = await guard(() => run(s.file, s.args, { ...runOpts, cwd }), `plugin ${def.name}`, root, appDir, copy.root);
      commands.push(last.command);
    }
    return { stdout: last.stdout, command: commands.join(' && ') };
  });
  return { manifests: r.stdout, objects: splitObjects(r.stdout), sourceType: 'Plugin', command: `${r.command} (plugin ${def.name}, ${def.origin}${found ? `; discovered: ${found}` : ''})`, cwd: appDir, durationMs: performance.now() - started, cached: false, warnings: choice.notes, tools: {} };
}

/** A plugin's commands run with Argo CD's environment for the app, the render's timeout and its cancel. */
function pluginRunOptions(plan: PluginRun, options: RenderOptions) {
  return { env: { ...process.env, ...plan.env }, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, ...(options.signal ? { signal: options.signal } : {}) };
}

/**
 * Runs a plugin's `discover.find.command` as its sidecar would (argocd/pluginDiscovery.ts): in the
 * app's folder of a throw-away private copy, with the plugin's environment; its output without
 * one trailing newline. A failure here is no answer (pluginChoice.ts), a cancel is a cancel.
 */
function discoveryRunner(app: RenderableApp, source: AppSource, appDir: string, root: string, options: RenderOptions): (def: PluginDefinition, command: PluginCommand) => Promise<DiscoveryRun> {
  return async (def, command) => {
    const run = options.runner ?? runProcess;
    const runOpts = pluginRunOptions(pluginRun(def, source, app.name), options);
    try {
      return await withWorkCopy(root, appInputs(appDir, 'Directory', source, root), options.cacheDir, undefined, async () => undefined, async (copy) => {
        const cwd = path.join(copy.root, source.path);
        const r = await guard(() => run(command.command[0] as string, [...command.command.slice(1), ...command.args], { ...runOpts, cwd }), `plugin ${def.name} discovery`, root, appDir, copy.root);
        return { stdout: r.stdout.replace(/\n$/, '') };
      });
    } catch (e) {
      if (e instanceof RenderError && e.kind !== 'cancelled') return { failed: e.message };
      if (e instanceof SymlinkEscapeError) return { failed: e.message };
      throw e;
    }
  };
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

/**
 * `helm template` arguments in Argo CD's order (util/helm/cmd.go), run in the chart folder.
 * Value files resolve as Argo CD resolves them: relative to the chart, `/…` from the repository
 * root, `$name/…` from the root of the source with `ref: name` (taken to be this repository).
 * `chartDir` is where a chart pulled from a registry lies (outside the repository), whose own
 * files a relative value file may name.
 */
export function helmTemplateArgs(source: ReturnType<typeof appSourceOf>, appDir: string, root: string, tmpBase: string, chartDir?: string): { args: string[]; cleanup: () => void } {
  const valueFile = (written: string): string => {
    const ref = /^\$([^/]+)\/(.*)$/.exec(written);
    if (ref) {
      if (!source.refs.includes(ref[1] as string)) throw new RenderError(`The value file ${written} names no source with ref: ${ref[1]}.`, 'source');
      return insideRoot(path.join(root, ref[2] as string), root, written);
    }
    const abs = resolveValueFile(appDir, root, written);
    return chartDir && isInside(abs, chartDir) ? abs : insideRoot(abs, root, written);
  };
  const h = source.helm;
  // Argo CD uses the name part of `namespace_name` app identifiers as the release name.
  const name = h.releaseName || source.appName.slice(source.appName.indexOf('_') + 1);
  const namespace = h.namespace || source.destinationNamespace || '';
  const args = ['template', '.', '--name-template', name];
  if (namespace) args.push('--namespace', namespace);
  if (h.kubeVersion) args.push('--kube-version', h.kubeVersion);
  for (const p of h.parameters) args.push(p.forceString ? '--set-string' : '--set', `${p.name}=${cleanSetParameter(p.value)}`);
  for (const p of h.fileParameters) args.push('--set-file', `${p.name}=${cleanSetParameter(valueFile(p.path))}`);
  for (const vf of h.valueFiles) {
    if (/^[a-z]+:\/\//i.test(vf)) throw new RenderError(`Remote value file ${vf} is not fetched by the preview.`, 'source');
    const abs = valueFile(vf);
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
 * files instead of the copy's, so errors locate on (and read as) the user's paths. A failure's
 * message is one line (failure.ts) naming `tool` and the cause; the full output is in `stderr`.
 */
async function guard<T extends { command: string }>(fn: () => Promise<T>, tool: string, root: string, appDir: string, copyRoot: string): Promise<T> {
  const toRepo = repoPathMapper(copyRoot, root);
  try {
    const r = await fn();
    return { ...r, command: toRepo(r.command) };
  } catch (e) {
    if (!(e instanceof RunError)) throw e;
    const command = toRepo(e.command);
    const stderr = toRepo(e.stderr);
    if (e.failure === 'cancelled') throw new RenderError('Render cancelled.', 'cancelled', { command });
    if (e.failure === 'timeout') throw new RenderError(`${tool} ${/timed out after \d+ s/.exec(e.message)?.[0] ?? 'timed out'} and was stopped with its child processes.`, 'timeout', { command, stderr });
    if (e.failure === 'spawn') throw new RenderError(toRepo(e.message), 'missing-binary', { command });
    if (e.failure === 'output-limit') throw new RenderError(`${tool}: ${toRepo(e.message).replace(/^.*: /, '')}; stopped.`, 'tool', { command, stderr });
    const failure = kustomizeCredentialsNote(describeToolFailure(stderr || toRepo(e.message), tool, appDir), tool);
    const location = locateFailure(failure, stderr, root, appDir);
    throw new RenderError(failure.summary, 'tool', { command, stderr: stderr || toRepo(e.message), cause: failure.cause, ...(location ? { location } : {}) });
  }
}

/**
 * kustomize's helmCharts refused by a Helm repository the user added to helm with credentials:
 * the summary says kustomize cannot pass them (failure.ts), rather than leave the user wondering
 * why their login is not used. Argo CD's kustomize cannot either (argo-cd issue #10745).
 */
function kustomizeCredentialsNote(failure: ToolFailure, tool: string): ToolFailure {
  if (failure.cause !== 'auth' || !/kustomize/.test(tool) || !/^https?:\/\//i.test(failure.repository ?? '')) return failure;
  const theirs = authenticatedUserRepository(failure.repository as string, userHelmFiles());
  return theirs ? credentialsKustomizeCannotPass(failure, theirs.name) : failure;
}

/**
 * Where a failure belongs in the user's files: never for a network or credentials failure (the
 * file naming the host is fine); a version the repository lacks on its line; a YAML error at the
 * file and line the tool names; any other error on the kustomization line naming what it is about.
 */
function locateFailure(failure: ToolFailure, stderr: string, root: string, appDir: string): ErrorLocation | undefined {
  if (isEnvironmentFailure(failure.cause)) return undefined;
  const at = failure.locate;
  if (at?.file !== undefined && at.line !== undefined) {
    if (!isInside(at.file, root)) return undefined;
    const text = readTextOrEmpty(at.file).split('\n')[at.line - 1] ?? '';
    const indent = text.length - text.trimStart().length;
    return { file: toRel(root, at.file), line: at.line - 1, column: indent, endColumn: Math.max(indent + 1, text.length) };
  }
  if (at?.tokens) return locateTokens(at.tokens, root, appDir);
  return failure.cause === 'tool' ? locateError(stderr, root, appDir) : undefined;
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
  const candidates = new Set<string>();
  for (const m of stderr.matchAll(/'([^'\n]+)'|"([^"\n]+)"|(?<![\w.])(\/[^\s'":]+)/g)) {
    const token = (m[1] ?? m[2] ?? m[3] ?? '').trim();
    if (!token || token.includes('\n')) continue;
    if (path.isAbsolute(token)) {
      const rel = path.relative(appDir, token).split(path.sep).join('/');
      if (rel && !rel.startsWith('../../..')) candidates.add(rel);
    } else candidates.add(token);
  }
  const found = locateTokens([...candidates], root, appDir);
  if (found) return found;
  const kfile = kustomizationFile(appDir);
  if (kfile && /HelmChartInflationGenerator|helm|chart/i.test(stderr)) {
    const i = readTextOrEmpty(kfile).split('\n').findIndex((l) => /^helmCharts\s*:/.test(l));
    if (i >= 0) return { file: toRel(root, kfile), line: i, column: 0, endColumn: 'helmCharts'.length };
  }
  return undefined;
}

/** The first line of the app's kustomization holding one of `tokens` as a whole value, in the order given. */
function locateTokens(tokens: readonly string[], root: string, appDir: string): ErrorLocation | undefined {
  const kfile = kustomizationFile(appDir);
  if (!kfile) return undefined;
  const lines = readTextOrEmpty(kfile).split('\n');
  const rel = toRel(root, kfile);
  for (const c of tokens) {
    for (let i = 0; i < lines.length; i++) {
      const at = valueColumn(lines[i] as string, c);
      if (at >= 0) return { file: rel, line: i, column: at, endColumn: at + c.length };
    }
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
  return splitObjectsAt(stream).map((o) => o.object);
}

/** The 0-based line of `stream` where each of splitObjects' objects starts (its first line that is no comment). */
export function objectStartLines(stream: string): number[] {
  return splitObjectsAt(stream).map((o) => o.line);
}

function splitObjectsAt(stream: string): { object: RenderedObject; line: number }[] {
  const out: { object: RenderedObject; line: number }[] = [];
  const separator = /^---[ \t]*(?:\r?\n|$)/gm;
  const chunks: { chunk: string; line: number }[] = [];
  let start = 0;
  let line = 0;
  const lineCount = (text: string) => text.split('\n').length - 1;
  for (let m = separator.exec(stream); m !== null; m = separator.exec(stream)) {
    chunks.push({ chunk: stream.slice(start, m.index), line });
    line += lineCount(stream.slice(start, m.index + m[0].length));
    start = m.index + m[0].length;
  }
  chunks.push({ chunk: stream.slice(start), line });
  for (const { chunk, line: at } of chunks) {
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
    // The object's first line of YAML: past the comments a chart puts first (`# Source: …`).
    out.push({ object: obj, line: at + leadingLines(chunk) });
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
