/**
 * A generated Application whose folder (in this repository) gives Argo CD nothing to apply.
 *
 * Argo CD decides a source's type (repository.go GetAppSourceType, util/app/discovery AppType):
 * an explicit helm/kustomize/directory block, else a kustomization file means Kustomize, a
 * `Chart.yaml` Helm, anything else a plain directory. A directory source reads the
 * `.yaml|.yml|.json|.jsonnet` files of the folder (of its sub-folders with `recurse`), filtered
 * by `include`/`exclude`, and decodes each document into an object that must have a `kind`
 * (findManifests, getObjsFromYAMLOrJson; checked with k8s.io/apimachinery's decoder):
 * - a YAML file whose first document has no `kind` (a Helm `values.yaml`) is ignored as unrelated
 *   YAML — unless its text holds `apiVersion:`, `kind:` and `metadata:` (values that embed
 *   manifests do): then the whole Application fails;
 * - a `.json` file must be one object with a `kind`, else the Application fails.
 * Without an explicit type, Argo CD first offers the folder to the repository's Config Management
 * Plugins (pluginDiscovery.ts): a folder a plugin claims, or may claim (a discover command, a
 * rule only the sidecar can judge), is the plugin's, and nothing here is said of it.
 * So an Application whose every source is such a folder with nothing but ignored files syncs
 * nothing: a warning in the folder, on its first file, where the person adding the app is at work
 * and the fix (a kustomization, a Chart.yaml) goes — one empty folder beside a chart of a
 * multi-source Application is a pattern, not a mistake (an optional `manifests/`) — and a file
 * that fails is an error at the file, whatever the other sources.
 */
import { asArray, asRecord } from '../generators/spec';
import { looksLikeManifest, MANIFEST_FILE, SKIP_MARKER } from '../argocd/directory';
import { appSourceOf, explicitSourceTypes } from '../argocd/source';
import { pluginClaims, type PluginClaims } from '../argocd/pluginClaims';
import { argoGlobMatch } from '../glob/argoGlob';
import type { FileTree } from '../workspace/fileTree';
import { kustomizationIn } from '../yaml/classify';
import { parseYamlFile } from '../yaml/parse';
import { folderPresence, folderSourcesOf, type FolderSource } from './appSources';
import { appSetDocs } from './appsetDocs';
import { CacheSlot } from './cache';
import { applicationDeps, memo, memoSlot } from './memo';
import { defineRule, type RuleContext } from './types';

/** What a directory source makes of one file. */
type FileVerdict =
  | { kind: 'objects' }
  | { kind: 'nothing' }
  | { kind: 'ignored'; why: string }
  /** The Application fails on this file; `line` is the 0-based line of the document at fault. */
  | { kind: 'fails'; line: number; why: string }
  /** Not judged here (a syntax error is yaml-syntax's; Jsonnet is not evaluated). */
  | { kind: 'unknown' };

/** The last run's reports, while the Applications' inputs hold. */
const MEMO = memoSlot<ReturnType<typeof reports>>('app-dir-empty');

export const appDirEmpty = defineRule({
  id: 'app-dir-empty',
  description: 'A generated Application whose folder has nothing Argo CD can render (warning), or a file there Argo CD fails to read as a manifest, such as a values.yaml with manifests inside (error).',
  defaultSeverity: 'warning',
  run(ctx) {
    // Kept while the Applications, the paths and the texts of the files judged stay the same.
    const result = memo(ctx, MEMO, applicationDeps(ctx), () => reports(ctx), (r) => r.read.every(([file, version]) => ctx.model.contentVersion(file) === version));
    for (const r of result.reports) ctx.report(r);
  },
});

type Report = Parameters<RuleContext['report']>[0];

function reports(ctx: RuleContext): { reports: Report[]; read: Array<[string, number]> } {
  const out: Report[] = [];
  const read = new Map<string, number>();
  const identity = ctx.model.identity();
  const tree = ctx.model.tree;
  let index: Map<string, string[]> | undefined; // made when the first plain-directory source needs it
  let claims: PluginClaims | undefined; // read when the first plain-directory source needs them
  const pluginMayClaim = (dir: string): boolean => {
    if (!claims) {
      claims = pluginClaims(tree.files, () => ctx.model.pluginFiles(), (f) => ctx.model.textOf(f));
      // The plugins' files are inputs of the verdicts: an edit there recomputes them.
      for (const file of claims.definitionFiles) read.set(file, ctx.model.contentVersion(file));
    }
    return claims.mayClaim(dir);
  };
  for (const { evaluation } of appSetDocs(ctx)) {
    for (const app of evaluation.apps) {
      const appSpec = asRecord(app.manifest['spec']);
      if (!appSpec) continue;
      const emptyFolders: Array<{ source: FolderSource; what: string }> = [];
      for (const source of folderSourcesOf(ctx, appSpec, identity)) {
        if (folderPresence(tree, source.dir) !== 'folder') continue;
        const missing = missingToolFile(tree, source);
        if (missing) {
          const file = firstFileIn(tree, source.dir);
          if (file) out.push({ file, range: START, severity: 'error', message: `Application ${app.name} (ApplicationSet ${evaluation.appset.name}, ${evaluation.appset.file}:${evaluation.appset.line}) renders ${source.dir || 'the repository root'} with ${missing.tool}, as its source says, but the folder has no ${missing.file}: ${missing.tool} fails ("${missing.error}") and Argo CD cannot render the Application.` });
          continue;
        }
        if (!isDirectorySource(tree, source)) continue;
        // Without an explicit type, Argo CD first asks the repository's plugins: one that may claim the folder renders it instead.
        if (explicitSourceTypes(source.source).length === 0 && pluginMayClaim(source.dir)) continue;
        const options = appSourceOf({ name: app.name, manifest: { spec: { source: source.source } } }).directory;
        index ??= folderIndex(tree);
        const verdicts = directoryFiles(index, source.dir, options).map((file) => {
          read.set(file, ctx.model.contentVersion(file));
          return { file, verdict: verdictOf(ctx, file) };
        });
        for (const { file, verdict } of verdicts) {
          if (verdict.kind === 'fails') out.push({ file, range: { start: { line: verdict.line, character: 0 }, end: { line: verdict.line, character: 0 } }, severity: 'error', message: `Argo CD reads this file as a manifest of the plain-directory source ${source.dir || '.'} and fails the Application: ${verdict.why}` });
        }
        if (verdicts.some((v) => v.verdict.kind === 'objects' || v.verdict.kind === 'fails' || v.verdict.kind === 'unknown')) continue;
        const ignored = verdicts.filter((v) => v.verdict.kind === 'ignored').map((v) => `${v.file.slice(source.dir ? source.dir.length + 1 : 0)} (${(v.verdict as { why: string }).why})`);
        const what = ignored.length > 0 ? `Argo CD ignores ${ignored.slice(0, 3).join(', ')}${ignored.length > 3 ? ` and ${ignored.length - 3} more` : ''}` : `it has no ${options.include || options.exclude ? '.yaml/.yml/.json file that include/exclude lets through' : `.yaml/.yml/.json file${options.recurse ? '' : ' at its top'}`}`;
        emptyFolders.push({ source, what });
      }
      if (emptyFolders.length === 0 || emptyFolders.length < renderingSources(appSpec)) continue;
      for (const { source, what } of emptyFolders) {
        const file = firstFileIn(tree, source.dir);
        if (!file) continue;
        out.push({
          file,
          range: START,
          message: `Application ${app.name} (ApplicationSet ${evaluation.appset.name}, ${evaluation.appset.file}:${evaluation.appset.line}) deploys ${source.dir || 'the repository root'}, which has nothing Argo CD can render — no kustomization, no Chart.yaml, no manifest: ${what}. The Application syncs nothing.`,
        });
      }
    }
  }
  return { reports: out, read: [...read] };
}

/**
 * How many of an Application's sources generate manifests: all but the `ref`-only ones, which
 * only lend their files (values) to the others.
 */
function renderingSources(spec: Record<string, unknown>): number {
  const sources = asArray(spec['sources']);
  if (sources.length === 0) return spec['source'] === undefined ? 0 : 1;
  return sources.filter((s) => {
    const r = asRecord(s);
    return !(r && r['ref'] !== undefined && r['path'] === undefined && r['chart'] === undefined);
  }).length;
}

/** Where a warning about a folder shows: its first YAML file, else its first file (sorted). */
function firstFileIn(tree: FileTree, dir: string): string | undefined {
  const prefix = dir === '' ? '' : `${dir}/`;
  const here = [...tree.files].filter((f) => f.startsWith(prefix) && !f.slice(prefix.length).includes('/')).sort();
  return here.find((f) => /\.ya?ml$/.test(f)) ?? here[0];
}

const START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * A source that says `helm:` or `kustomize:` makes Argo CD run that tool whatever the folder
 * holds: without a Chart.yaml (a kustomization) it fails.
 */
function missingToolFile(tree: FileTree, source: FolderSource): { tool: string; file: string; error: string } | undefined {
  if (source.source['plugin'] !== undefined) return undefined;
  const explicit = explicitSourceTypes(source.source);
  if (explicit.length !== 1) return undefined;
  if (explicit[0] === 'Helm' && !tree.files.has(source.dir === '' ? 'Chart.yaml' : `${source.dir}/Chart.yaml`)) return { tool: 'helm', file: 'Chart.yaml', error: 'Chart.yaml file is missing' };
  if (explicit[0] === 'Kustomize' && kustomizationIn(tree.files, source.dir) === undefined) return { tool: 'kustomize', file: 'kustomization.yaml', error: "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization'" };
  return undefined;
}

/** Argo CD's source type for a folder, from the repository as Git has it. */
function isDirectorySource(tree: FileTree, source: FolderSource): boolean {
  // A config management plugin decides for itself what it renders.
  if (source.source['plugin'] !== undefined) return false;
  const explicit = explicitSourceTypes(source.source);
  if (explicit.length > 0) return explicit.length === 1 && explicit[0] === 'Directory';
  const chart = source.dir === '' ? 'Chart.yaml' : `${source.dir}/Chart.yaml`;
  return kustomizationIn(tree.files, source.dir) === undefined && !tree.files.has(chart);
}

/** The files directly in each folder that a directory source may read (by name), made once per lint. */
function folderIndex(tree: FileTree): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const file of tree.files) {
    const slash = file.lastIndexOf('/');
    if (!MANIFEST_FILE.test(file.slice(slash + 1))) continue;
    const dir = slash < 0 ? '' : file.slice(0, slash);
    const list = index.get(dir);
    if (list) list.push(file);
    else index.set(dir, [file]);
  }
  return index;
}

/** The files a directory source reads, repository-relative (getPotentiallyValidManifests). */
function directoryFiles(index: ReadonlyMap<string, string[]>, dir: string, options: { recurse: boolean; include: string; exclude: string }): string[] {
  const prefix = dir === '' ? '' : `${dir}/`;
  const candidates = options.recurse ? [...index].filter(([d]) => d === dir || d.startsWith(prefix) || dir === '').flatMap(([, files]) => files) : (index.get(dir) ?? []);
  const out: string[] = [];
  for (const file of candidates) {
    const rel = file.slice(prefix.length);
    if (options.exclude && argoGlobMatch(options.exclude, rel)) continue;
    if (options.include && !argoGlobMatch(options.include, rel)) continue;
    out.push(file);
  }
  return out.sort();
}

/** Per file: its verdict and the content version it was made from. */
const VERDICTS = new CacheSlot<{ version: number; verdict: FileVerdict }>('app-dir-empty verdicts');

/** A file's verdict, kept while the file is unchanged. */
function verdictOf(ctx: RuleContext, file: string): FileVerdict {
  const version = ctx.model.contentVersion(file);
  const hit = ctx.store.get(VERDICTS, file);
  if (hit?.version === version) return hit.verdict;
  const text = ctx.model.textOf(file);
  const verdict: FileVerdict = text === undefined ? { kind: 'unknown' } : judge(file, text);
  ctx.store.set(VERDICTS, { version, verdict }, file);
  return verdict;
}

function judge(file: string, text: string): FileVerdict {
  if (text.includes(SKIP_MARKER)) return { kind: 'nothing' };
  if (file.endsWith('.jsonnet')) return { kind: 'unknown' };
  if (file.endsWith('.json')) {
    let value: unknown;
    try {
      value = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      return { kind: 'unknown' };
    }
    return hasKind(value) ? { kind: 'objects' } : { kind: 'fails', line: 0, why: `${describeValue(value)}, not one Kubernetes object with a \`kind\` ("Object 'Kind' is missing").` };
  }
  // k8s.io/apimachinery's YAMLOrJSONDecoder reads a stream that starts with `{` as JSON.
  if (/^\s*\{/.test(text)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { kind: 'unknown' }; // a YAML flow mapping, or several JSON objects: not judged here
    }
    if (hasKind(value)) return { kind: 'objects' };
    return looksLikeManifest(text) ? { kind: 'fails', line: 0, why: `it is JSON ${describeValue(value)} without a \`kind\` ("Object 'Kind' is missing").` } : { kind: 'ignored', why: `${describeValue(value)} without a \`kind\`` };
  }
  // The first document that is not empty decides: a manifest means the folder renders; anything
  // else is where the decoder stops. (A kind-less document after manifests also fails the
  // Application; that is left to the checks of YAML as its readers see it.)
  for (const piece of documentTexts(text)) {
    if (piece === 'unknown') return { kind: 'unknown' };
    const { text: chunk, offset } = piece;
    if (!/^[ \t]*[^\s#]/m.test(chunk)) continue; // blank or comments only: no document
    if (plainKindLine(chunk)) return { kind: 'objects' };
    const parsed = parseYamlFile(file, chunk, 'directory-manifest');
    const doc = parsed.docs[0];
    if (parsed.problems.some((p) => p.rule === 'yaml-syntax') || !doc) return { kind: 'unknown' };
    if (doc.value === null || doc.value === undefined) continue;
    if (hasKind(doc.value)) return { kind: 'objects' };
    const what = describeValue(doc.value);
    if (looksLikeManifest(text)) return { kind: 'fails', line: lineAt(text, offset) + doc.line, why: `its first document is ${what} without a \`kind\` ("Object 'Kind' is missing"), and the file holds \`apiVersion:\`, \`kind:\` and \`metadata:\` (manifests inside values?), so Argo CD does not skip it as unrelated YAML. Move it out of the folder, or make the folder a Helm chart or a kustomization.` };
    return { kind: 'ignored', why: `${what} without a \`kind\`` };
  }
  return { kind: 'nothing' };
}

/**
 * A YAML stream cut where k8s.io/apimachinery's YAMLReader cuts it: at lines starting with `---`
 * (a comment may follow), each piece with the offset it starts at — found by a scan rather than a
 * parse, so a file of large manifests is not parsed whole to read one `kind`. Anything else after
 * `---` is an error to that reader: 'unknown', left to the YAML checks.
 */
function* documentTexts(text: string): Generator<{ text: string; offset: number } | 'unknown'> {
  const marker = /^---([^\n]*)$/gm;
  let start = 0;
  for (let m = marker.exec(text); m; m = marker.exec(text)) {
    if (!/^\s*(#.*)?$/.test(m[1] ?? '')) {
      yield 'unknown';
      return;
    }
    yield { text: text.slice(start, m.index), offset: start };
    start = m.index + m[0].length + 1;
  }
  yield { text: text.slice(start), offset: start };
}

function lineAt(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** YAML 1.1 words that are not strings where Kubernetes reads YAML (sigs.k8s.io/yaml). */
const NOT_A_STRING = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+.\d].*)$/;

/**
 * Whether a document's root is a block mapping with a plain string `kind` (`kind: ConfigMap` at
 * the start of a line, which only a root mapping key can be): the common case, read without a
 * parse. Anything else is left to the parser.
 */
function plainKindLine(chunk: string): boolean {
  const value = /^kind:[ \t]+([A-Za-z][\w.-]*)[ \t]*(#.*)?$/m.exec(chunk)?.[1];
  return value !== undefined && !NOT_A_STRING.test(value);
}

function hasKind(value: unknown): boolean {
  const kind = asRecord(value)?.['kind'];
  return typeof kind === 'string' && kind !== '';
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (asRecord(value)) return 'a mapping';
  return `a ${typeof value === 'string' ? 'string' : 'scalar'}`;
}
