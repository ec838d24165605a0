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
 *   manifests do), or an earlier document decoded: then the whole Application fails;
 * - a `.json` file must be one object with a `kind`, else the Application fails.
 * So an Application whose every source is such a folder with nothing but ignored files syncs
 * nothing (a warning at the ApplicationSet field that writes the path) — one empty folder beside
 * a chart of a multi-source Application is a pattern, not a mistake (an optional `manifests/`) —
 * and a file that fails is an error at the file, whatever the other sources.
 */
import { describeMatch } from '../appset/evaluate';
import { asArray, asRecord } from '../generators/spec';
import { appSourceOf } from '../render/sourceType';
import { argoGlobMatch, looksLikeManifest, MANIFEST_FILE, SKIP_MARKER } from '../render/directory';
import type { FileTree } from '../workspace/fileTree';
import { kustomizationIn } from '../yaml/classify';
import { parseYamlFile } from '../yaml/parse';
import { folderPresence, folderSources, type FolderSource } from './appSources';
import { appSetDocs, templateFieldPath } from './appsetDocs';
import { repositoryIdentity } from './repositoryIdentity';
import type { Rule, RuleContext } from './types';

const MATCHES_NAMED = 3;

/** What a directory source makes of one file. */
type FileVerdict =
  | { kind: 'objects' }
  | { kind: 'nothing' }
  | { kind: 'ignored'; why: string }
  /** The Application fails on this file; `line` is the 0-based line of the document at fault. */
  | { kind: 'fails'; line: number; why: string }
  /** Not judged here (a syntax error is yaml-syntax's; Jsonnet is not evaluated). */
  | { kind: 'unknown' };

export const appDirEmpty: Rule = {
  id: 'app-dir-empty',
  description: 'A generated Application whose folder has nothing Argo CD can render (warning), or a file there Argo CD fails to read as a manifest, such as a values.yaml with manifests inside (error).',
  defaultSeverity: 'warning',
  run(ctx) {
    const identity = repositoryIdentity(ctx);
    const tree = ctx.model.tree;
    for (const { evaluation, doc, spec } of appSetDocs(ctx)) {
      const empty = new Map<string, { at: ReturnType<typeof templateFieldPath>; message: string; matches: string[] }>();
      for (const app of evaluation.apps) {
        const appSpec = asRecord(app.manifest['spec']);
        if (!appSpec) continue;
        const emptyFolders: Array<{ source: FolderSource; what: string }> = [];
        for (const source of folderSources(appSpec, identity)) {
          if (folderPresence(tree, source.dir) !== 'folder' || !isDirectorySource(tree, app.name, source)) continue;
          const options = appSourceOf({ name: app.name, manifest: { spec: { source: source.source } } }).directory;
          const files = directoryFiles(tree, source.dir, options);
          const verdicts = files.map((f) => ({ file: f, verdict: verdictOf(ctx, f) }));
          for (const { file, verdict } of verdicts) {
            if (verdict.kind === 'fails') ctx.report({ file, range: { start: { line: verdict.line, character: 0 }, end: { line: verdict.line, character: 0 } }, severity: 'error', message: `Argo CD reads this file as a manifest of the plain-directory source ${source.dir || '.'} and fails the Application: ${verdict.why}` });
          }
          if (verdicts.some((v) => v.verdict.kind === 'objects' || v.verdict.kind === 'fails' || v.verdict.kind === 'unknown')) continue;
          const ignored = verdicts.filter((v) => v.verdict.kind === 'ignored').map((v) => `${v.file.slice(source.dir ? source.dir.length + 1 : 0)} (${(v.verdict as { why: string }).why})`);
          const what = ignored.length > 0 ? `Argo CD ignores ${ignored.slice(0, 3).join(', ')}${ignored.length > 3 ? ` and ${ignored.length - 3} more` : ''}` : `it has no ${options.include || options.exclude ? '.yaml/.yml/.json file that include/exclude lets through' : `.yaml/.yml/.json file${options.recurse ? '' : ' at its top'}`}`;
          emptyFolders.push({ source, what });
        }
        if (emptyFolders.length === 0 || emptyFolders.length < renderingSources(appSpec)) continue;
        for (const { source, what } of emptyFolders) {
          const message = `${source.dir || '.'} has nothing Argo CD can render — no kustomization, no Chart.yaml, no manifest: ${what}. The Application syncs nothing.`;
          const at = templateFieldPath(spec, ['spec', ...source.at, 'path']);
          const key = `${at.join('.')}\0${message}`;
          const entry = empty.get(key) ?? { at, message, matches: [] };
          entry.matches.push(describeMatch(app.origins));
          empty.set(key, entry);
        }
      }
      for (const { at, message, matches } of empty.values()) {
        const more = matches.length > MATCHES_NAMED ? ` and ${matches.length - MATCHES_NAMED} more` : '';
        ctx.report({ file: evaluation.appset.file, range: doc.locate(at), message: `For ${matches.slice(0, MATCHES_NAMED).join(', ')}${more}: ${message}` });
      }
    }
  },
};

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

/** Argo CD's source type for a folder, from the repository as Git has it. */
function isDirectorySource(tree: FileTree, appName: string, source: FolderSource): boolean {
  // A config management plugin decides for itself what it renders.
  if (source.source['plugin'] !== undefined) return false;
  const explicit = appSourceOf({ name: appName, manifest: { spec: { source: source.source } } }).explicit;
  if (explicit.length > 0) return explicit.length === 1 && explicit[0] === 'Directory';
  const chart = source.dir === '' ? 'Chart.yaml' : `${source.dir}/Chart.yaml`;
  return kustomizationIn(tree.files, source.dir) === undefined && !tree.files.has(chart);
}

/** The files a directory source reads, repository-relative (getPotentiallyValidManifests). */
function directoryFiles(tree: FileTree, dir: string, options: { recurse: boolean; include: string; exclude: string }): string[] {
  const prefix = dir === '' ? '' : `${dir}/`;
  const out: string[] = [];
  for (const file of tree.files) {
    if (!file.startsWith(prefix)) continue;
    const rel = file.slice(prefix.length);
    if (!options.recurse && rel.includes('/')) continue;
    if (!MANIFEST_FILE.test(rel.slice(rel.lastIndexOf('/') + 1))) continue;
    if (options.exclude && argoGlobMatch(options.exclude, rel)) continue;
    if (options.include && !argoGlobMatch(options.include, rel)) continue;
    out.push(file);
  }
  return out.sort();
}

/** A file's verdict, kept while its text holds. */
function verdictOf(ctx: RuleContext, file: string): FileVerdict {
  const text = ctx.model.textOf(file);
  if (text === undefined) return { kind: 'unknown' };
  const key = `app-dir-empty:${file}`;
  const hit = ctx.store.get(key) as { text: string; verdict: FileVerdict } | undefined;
  if (hit?.text === text) return hit.verdict;
  const verdict = judge(file, text);
  ctx.store.set(key, { text, verdict });
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
  const parsed = parseYamlFile(file, text, 'directory-manifest');
  if (parsed.problems.some((p) => p.rule === 'yaml-syntax')) return { kind: 'unknown' };
  let decoded = 0;
  for (const doc of parsed.docs) {
    if (doc.value === null || doc.value === undefined) continue;
    if (hasKind(doc.value)) {
      decoded++;
      continue;
    }
    const what = describeValue(doc.value);
    if (decoded > 0) return { kind: 'fails', line: doc.line, why: `this document is ${what} without a \`kind\` ("Object 'Kind' is missing"), after documents that are manifests.` };
    if (looksLikeManifest(text)) return { kind: 'fails', line: doc.line, why: `its first document is ${what} without a \`kind\` ("Object 'Kind' is missing"), and the file holds \`apiVersion:\`, \`kind:\` and \`metadata:\` (manifests inside values?), so Argo CD does not skip it as unrelated YAML. Move it out of the folder, or make the folder a Helm chart or a kustomization.` };
    return { kind: 'ignored', why: `${what} without a \`kind\`` };
  }
  return decoded > 0 ? { kind: 'objects' } : { kind: 'nothing' };
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
