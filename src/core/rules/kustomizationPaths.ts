/**
 * Files and folders a kustomization names must exist where Argo CD's repo-server will look:
 * in the repository as Git has it (an ignored, untracked file is not in the clone), inside the
 * repository, and — for files — inside the kustomization's own folder once symbolic links are
 * followed, since kustomize's default load restrictor (the one Argo CD uses) checks the real
 * path. Folders outside are fine: each is a kustomization of its own. Paths resolve as
 * kustomize resolves them: joined and cleaned like Go's filepath.Join (`pipelines/`,
 * `./x.yaml`, `a//b.yaml`), through symbolic links inside the repository, and only the entries
 * kustomize would fetch (kustomize/remote.ts) are left alone.
 */
import * as nodePath from 'node:path';
import { kustomizationPathFixes } from './fixes';
import { closest } from '../generators/spec';
import { isKustomizationName, kustomizationIn } from '../yaml/classify';
import type { YamlDoc } from '../yaml/parse';
import { disablesLoadRestrictor, repositoryBuildOptions } from './buildOptions';
import type { Severity } from '../problems';
import { joinRelative, kustomizationReferences, type KustomizationReference } from '../kustomize/references';
import { CacheSlot } from './cache';
import { defineRule, type RuleContext } from './types';

export interface ResolvedReference {
  ref: KustomizationReference;
  /** Repository-relative, normalised. */
  target: string;
  /** Whether anything is at the target on disk (a Git-ignored file is). */
  existsOnDisk: boolean;
  problem?: { rule: 'kustomize-missing-path' | 'path-escapes-repo' | 'kustomize-load-restrictor'; message: string; suggestion?: string; severity?: Severity };
}

function within(path: string, dir: string): boolean {
  return dir === '' ? !path.startsWith('../') && path !== '..' : path === dir || path.startsWith(`${dir}/`);
}

export function resolveReferences(ctx: RuleContext, file: string, doc: YamlDoc): ResolvedReference[] {
  const tree = ctx.model.tree;
  const dir = nodePath.posix.dirname(file) === '.' ? '' : nodePath.posix.dirname(file);
  const out: ResolvedReference[] = [];
  for (const ref of kustomizationReferences(doc.value)) {
    if (ref.invalid !== undefined) {
      out.push({ ref, target: dir, existsOnDisk: false, problem: { rule: 'kustomize-missing-path', message: ref.invalid } });
      continue;
    }
    const target = joinRelative(dir, ref.value);
    const res: ResolvedReference = { ref, target, existsOnDisk: false };
    out.push(res);
    if (nodePath.posix.isAbsolute(ref.value) || target === '..' || target.startsWith('../')) {
      res.problem = { rule: 'path-escapes-repo', message: `"${ref.value}" points outside the repository; Argo CD's repo-server only has the repository.` };
      continue;
    }
    const found = tree.lookup(target);
    res.existsOnDisk = found.kind !== 'absent' || found.onDisk !== undefined;
    if (found.escapesThrough !== undefined) {
      res.existsOnDisk = true;
      res.problem = { rule: 'path-escapes-repo', message: `"${ref.value}" leads outside the repository through the symbolic link "${found.escapesThrough}"; Argo CD's repo-server only has the repository.` };
      continue;
    }
    const isFile = found.kind === 'file';
    const isDir = found.kind === 'dir';
    const ok = ref.expect === 'file' ? isFile : ref.expect === 'dir' ? isDir : isFile || isDir;
    if (ok) {
      // The load restrictor compares real paths: a link out of the folder is refused like a path
      // out of it. A folder not scanned (exclude, node_modules) is known from the disk alone.
      if (isFile && !within(found.real, dir)) {
        const through = found.real !== target ? ` (through symbolic links it is "${found.real}")` : '';
        res.problem = {
          rule: 'kustomize-load-restrictor',
          message: `kustomize refuses "${ref.value}"${through}: the file is not in or below this kustomization's folder (load restrictor LoadRestrictionsRootOnly, which Argo CD uses). ${through ? 'Copy the file into the folder' : 'Reference its folder (with a kustomization) instead, or move the file'}.`,
        };
      } else if (isDir && !found.unscanned && ref.path[0] !== 'helmGlobals' && kustomizationIn(tree.files, found.real) === undefined) {
        res.problem = { rule: 'kustomize-missing-path', message: `"${ref.value}" is a folder without a kustomization.yaml; kustomize can only build folders that have one.` };
      }
      continue;
    }
    if (found.kind !== 'absent') {
      res.problem = {
        rule: 'kustomize-missing-path',
        message: isFile ? `"${ref.value}" is a file; kustomize needs a folder with a kustomization here.` : `"${ref.value}" is a folder; kustomize needs a file here ("must resolve to a file").`,
      };
      continue;
    }
    if (found.onDisk === 'ignored') {
      res.problem = tree.presenceFromGitIndex()
        ? { rule: 'kustomize-missing-path', message: `"${ref.value}" exists here but is not in Git: .gitignore ignores it and the index does not track it, so Argo CD's clone does not have it. Commit it with git add -f, or stop ignoring it.` }
        : {
            rule: 'kustomize-missing-path',
            severity: 'warning',
            message: `"${ref.value}" exists here but .gitignore ignores it: Argo CD's clone has it only if it was force-added (git add -f). Presence is approximated (${tree.presence.reason ?? 'no Git index'}).`,
          };
      continue;
    }
    if (found.onDisk === 'empty-folder') {
      res.problem = { rule: 'kustomize-missing-path', message: `"${ref.value}" is a folder with no file in it; Git does not keep empty folders, so Argo CD's clone does not have it.` };
      continue;
    }
    if (found.onDisk === 'unreadable') continue; // on disk but not readable: reported on the file itself
    const parent = nodePath.posix.dirname(target) === '.' ? '' : nodePath.posix.dirname(target);
    const siblings = [...tree.files].filter((f) => (nodePath.posix.dirname(f) === '.' ? '' : nodePath.posix.dirname(f)) === parent).map((f) => nodePath.posix.basename(f));
    const candidates = ref.expect === 'file' ? siblings : [...siblings, ...tree.childrenOf(parent)];
    const near = closest(nodePath.posix.basename(target), candidates.filter((c) => !isKustomizationName(c)));
    const suggestion = near ? nodePath.posix.join(nodePath.posix.dirname(ref.value), near) : undefined;
    res.problem = {
      rule: 'kustomize-missing-path',
      message: `"${ref.value}" does not exist${suggestion ? `; did you mean "${suggestion}"?` : '.'}`,
      ...(suggestion ? { suggestion } : {}),
    };
  }
  return out;
}

/** The repository's kustomization files, sorted; kept while the set of paths stays the same. */
export function kustomizationFiles(ctx: RuleContext): string[] {
  const version = ctx.model.structureVersion;
  const hit = ctx.store.get(KUSTOMIZATION_FILES);
  if (hit?.version === version) return hit.files;
  const files = [...ctx.model.tree.files].filter((f) => isKustomizationName(f.slice(f.lastIndexOf('/') + 1))).sort();
  ctx.store.set(KUSTOMIZATION_FILES, { version, files });
  return files;
}
const KUSTOMIZATION_FILES = new CacheSlot<{ version: number; files: string[] }>('kustomization files');

type ReferenceRule = NonNullable<ResolvedReference['problem']>['rule'];

/**
 * The three rules below share one resolution per kustomization, kept while the file's text and
 * the set of paths in the repository stay the same.
 */
function resolvedFor(ctx: RuleContext, file: string, doc: YamlDoc): ResolvedReference[] {
  const text = ctx.model.textOf(file);
  const version = ctx.model.structureVersion;
  const hit = ctx.store.get(RESOLVED, file);
  if (hit && hit.text === text && hit.version === version) return hit.refs;
  const refs = resolveReferences(ctx, file, doc);
  ctx.store.set(RESOLVED, { text, version, refs }, file);
  return refs;
}
/** Per kustomization: its resolved references, with the text and the paths they were resolved against. */
const RESOLVED = new CacheSlot<{ text: string | undefined; version: number; refs: ResolvedReference[] }>('kustomization references');

/** Every kustomization's resolved references, made once per lint run for the three rules. */
function allResolved(ctx: RuleContext): Array<{ file: string; doc: YamlDoc; refs: ResolvedReference[] }> {
  const hit = ctx.run.get(ALL_RESOLVED);
  if (hit) return hit;
  const out: Array<{ file: string; doc: YamlDoc; refs: ResolvedReference[] }> = [];
  for (const file of kustomizationFiles(ctx)) {
    const doc = ctx.parsed(file)?.docs[0];
    if (doc) out.push({ file, doc, refs: resolvedFor(ctx, file, doc) });
  }
  return ctx.run.set(ALL_RESOLVED, out);
}
/** Every kustomization's references, for the three rules of one run. */
const ALL_RESOLVED = new CacheSlot<Array<{ file: string; doc: YamlDoc; refs: ResolvedReference[] }>>('all kustomization references');

/** `applies` is asked once, before the first report: it may cost more than the check. */
function runFor(rule: ReferenceRule, applies: (ctx: RuleContext) => boolean = () => true): (ctx: RuleContext) => void {
  return (ctx) => {
    let verdict: boolean | undefined;
    for (const { file, doc, refs } of allResolved(ctx)) {
      for (const r of refs) {
        if (r.problem?.rule !== rule) continue;
        verdict ??= applies(ctx);
        if (!verdict) return;
        const fixes =
          rule === 'kustomize-missing-path' && r.ref.invalid === undefined
            ? kustomizationPathFixes(file, doc, { value: r.ref.value, path: r.ref.path, target: r.target, ...(r.problem.suggestion !== undefined ? { suggestion: r.problem.suggestion } : {}), existsOnDisk: r.existsOnDisk })
            : [];
        ctx.report({ file, range: doc.locate(r.ref.path), message: r.problem.message, ...(r.problem.severity ? { severity: r.problem.severity } : {}), ...(fixes.length ? { fixes } : {}) });
      }
    }
  };
}

export const kustomizeMissingPath = defineRule({
  id: 'kustomize-missing-path',
  description: 'A kustomization names a file or folder (resources, components, patches, generators, helmCharts valuesFile…) that is not in the repository as Git has it.',
  defaultSeverity: 'error',
  run: runFor('kustomize-missing-path'),
});

export const pathEscapesRepo = defineRule({
  id: 'path-escapes-repo',
  description: 'A kustomization path that leaves the repository.',
  defaultSeverity: 'error',
  run: runFor('path-escapes-repo'),
});

export const kustomizeLoadRestrictor = defineRule({
  id: 'kustomize-load-restrictor',
  description: "A kustomization names a file outside its own folder, which kustomize's default load restrictor (used by Argo CD) refuses.",
  defaultSeverity: 'error',
  // A repository whose Argo CD runs kustomize with `--load-restrictor LoadRestrictionsNone` allows
  // such files. With several Argo CD configurations it cannot be told which one builds a given
  // kustomization, so any one that lifts the restriction silences the rule.
  run: runFor('kustomize-load-restrictor', (ctx) => !repositoryBuildOptions(ctx).some((o) => disablesLoadRestrictor(o.options))),
});
