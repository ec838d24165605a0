/**
 * Files and folders a kustomization names must exist where Argo CD's repo-server will look:
 * in the repository as Git has it (an ignored file is not in the clone), inside the repository,
 * and — for files — inside the kustomization's own folder, since kustomize's default load
 * restrictor (the one Argo CD uses) refuses files outside it. Folders outside are fine: each is
 * a kustomization of its own.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { kustomizationPathFixes } from '../editing/fixes';
import { asArray, asRecord, asString, closest } from '../generators/spec';
import { isKustomizationName, kustomizationIn } from '../yaml/classify';
import type { YamlDoc, YamlPath } from '../yaml/parse';
import { disablesLoadRestrictor, repositoryBuildOptions } from './buildOptions';
import type { Rule, RuleContext } from './types';

type Expect = 'file' | 'dir' | 'file-or-dir';

interface Reference {
  value: string;
  path: YamlPath;
  expect: Expect;
}


/** Remote resources kustomize fetches itself (URLs, `github.com/org/repo//path?ref=`). */
function isRemote(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || s.startsWith('git@') || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(s) || s.includes('?ref=') || s.includes('//');
}

/** Inline patches and plugin configs are YAML text, not paths. */
function isInline(s: string): boolean {
  return s.includes('\n') || /:\s/.test(s);
}

export function kustomizationReferences(value: unknown): Reference[] {
  const k = asRecord(value) ?? {};
  const refs: Reference[] = [];
  const list = (field: string, expect: Expect, inlineAllowed = false) =>
    asArray(k[field]).forEach((v, i) => {
      if (typeof v === 'string' && v !== '' && !isRemote(v) && !(inlineAllowed && isInline(v))) refs.push({ value: v, path: [field, i], expect });
    });
  list('resources', 'file-or-dir');
  list('bases', 'dir');
  list('components', 'dir');
  list('crds', 'file');
  list('configurations', 'file');
  list('patchesStrategicMerge', 'file', true);
  for (const field of ['transformers', 'generators', 'validators']) list(field, 'file-or-dir', true);
  for (const field of ['patches', 'patchesJson6902', 'replacements']) {
    asArray(k[field]).forEach((p, i) => {
      const path = asString(asRecord(p)?.['path']);
      if (path) refs.push({ value: path, path: [field, i, 'path'], expect: 'file' });
    });
  }
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    asArray(k[field]).forEach((g, i) => {
      const gen = asRecord(g) ?? {};
      asArray(gen['files']).forEach((f, j) => {
        if (typeof f !== 'string') return;
        // `key=path` names the key; the file is what follows the first `=`.
        const eq = f.indexOf('=');
        refs.push({ value: eq >= 0 ? f.slice(eq + 1) : f, path: [field, i, 'files', j], expect: 'file' });
      });
      asArray(gen['envs']).forEach((f, j) => {
        if (typeof f === 'string') refs.push({ value: f, path: [field, i, 'envs', j], expect: 'file' });
      });
      const env = asString(gen['env']);
      if (env) refs.push({ value: env, path: [field, i, 'env'], expect: 'file' });
    });
  }
  asArray(k['helmCharts']).forEach((c, i) => {
    const chart = asRecord(c) ?? {};
    const valuesFile = asString(chart['valuesFile']);
    if (valuesFile && !isRemote(valuesFile)) refs.push({ value: valuesFile, path: ['helmCharts', i, 'valuesFile'], expect: 'file' });
    asArray(chart['additionalValuesFiles']).forEach((f, j) => {
      if (typeof f === 'string' && !isRemote(f)) refs.push({ value: f, path: ['helmCharts', i, 'additionalValuesFiles', j], expect: 'file' });
    });
  });
  // chartHome is only read when a chart has no repo to pull from; otherwise kustomize creates it.
  const chartHome = asString(asRecord(k['helmGlobals'])?.['chartHome']);
  const localCharts = asArray(k['helmCharts']).filter((c) => asString(asRecord(c)?.['repo']) === undefined);
  if (chartHome && localCharts.length > 0) refs.push({ value: chartHome, path: ['helmGlobals', 'chartHome'], expect: 'dir' });
  return refs;
}

export interface ResolvedReference {
  ref: Reference;
  /** Repository-relative, normalised. */
  target: string;
  problem?: { rule: 'kustomize-missing-path' | 'path-escapes-repo' | 'kustomize-load-restrictor'; message: string; suggestion?: string };
}

/** A path written as plain names (no `.`/`..` segments, no doubled or edge slashes). */
const PLAIN_RELATIVE = /^(?!\/)(?!.*\/\/)(?!.*\/$)(?!(?:.*\/)?\.\.?(?:\/|$))/;

/** `dir` joined with a kustomization's relative `value`, normalised as path.posix would. */
function joinRelative(dir: string, value: string): string {
  if (value !== '' && PLAIN_RELATIVE.test(value)) return dir === '' ? value : `${dir}/${value}`;
  return nodePath.posix.normalize(nodePath.posix.join(dir, value));
}

export function resolveReferences(ctx: RuleContext, file: string, doc: YamlDoc): ResolvedReference[] {
  const tree = ctx.model.tree;
  const dir = nodePath.posix.dirname(file) === '.' ? '' : nodePath.posix.dirname(file);
  const dirPrefix = `${dir}/`;
  const out: ResolvedReference[] = [];
  for (const ref of kustomizationReferences(doc.value)) {
    const target = joinRelative(dir, ref.value);
    const res: ResolvedReference = { ref, target };
    out.push(res);
    if (nodePath.posix.isAbsolute(ref.value) || target === '..' || target.startsWith('../')) {
      res.problem = { rule: 'path-escapes-repo', message: `"${ref.value}" points outside the repository; Argo CD's repo-server only has the repository.` };
      continue;
    }
    const isFile = tree.files.has(target);
    const isDir = tree.hasDir(target) || (target === '' && tree.files.size > 0) || tree.childrenOf(target).size > 0;
    const ok = ref.expect === 'file' ? isFile : ref.expect === 'dir' ? isDir : isFile || isDir;
    if (ok) {
      const outside = dir !== '' && !target.startsWith(dirPrefix) && target !== dir;
      if (isFile && outside && !isDir) {
        res.problem = {
          rule: 'kustomize-load-restrictor',
          message: `kustomize refuses "${ref.value}": the file is not in or below this kustomization's folder (load restrictor LoadRestrictionsRootOnly, which Argo CD uses). Reference its folder (with a kustomization) instead, or move the file.`,
        };
      } else if (isDir && (ref.expect === 'dir' || !isFile) && ref.path[0] !== 'helmGlobals' && kustomizationIn(tree.files, target) === undefined) {
        res.problem = { rule: 'kustomize-missing-path', message: `"${ref.value}" is a folder without a kustomization.yaml; kustomize can only build folders that have one.` };
      }
      continue;
    }
    const onDisk = fs.existsSync(tree.abs(target));
    if (onDisk) {
      res.problem = { rule: 'kustomize-missing-path', message: `"${ref.value}" exists here but Git ignores it (.gitignore), so Argo CD's clone does not have it.` };
      continue;
    }
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
  const hit = ctx.store.get('kustomization-files') as { version: number; files: string[] } | undefined;
  if (hit?.version === version) return hit.files;
  const files = [...ctx.model.tree.files].filter((f) => isKustomizationName(f.slice(f.lastIndexOf('/') + 1))).sort();
  ctx.store.set('kustomization-files', { version, files });
  return files;
}

type ReferenceRule = NonNullable<ResolvedReference['problem']>['rule'];

/**
 * The three rules below share one resolution per kustomization, kept while the file's text and
 * the set of paths in the repository stay the same.
 */
function resolvedFor(ctx: RuleContext, file: string, doc: YamlDoc): ResolvedReference[] {
  const key = `kustomization-refs:${file}`;
  const text = ctx.model.textOf(file);
  const version = ctx.model.structureVersion;
  const hit = ctx.store.get(key) as { text: string | undefined; version: number; refs: ResolvedReference[] } | undefined;
  if (hit && hit.text === text && hit.version === version) return hit.refs;
  const refs = resolveReferences(ctx, file, doc);
  ctx.store.set(key, { text, version, refs });
  return refs;
}

/** Every kustomization's resolved references, made once per lint run for the three rules. */
function allResolved(ctx: RuleContext): Array<{ file: string; doc: YamlDoc; refs: ResolvedReference[] }> {
  const hit = ctx.run.get('kustomization-refs') as Array<{ file: string; doc: YamlDoc; refs: ResolvedReference[] }> | undefined;
  if (hit) return hit;
  const out: Array<{ file: string; doc: YamlDoc; refs: ResolvedReference[] }> = [];
  for (const file of kustomizationFiles(ctx)) {
    const doc = ctx.parsed(file)?.docs[0];
    if (doc) out.push({ file, doc, refs: resolvedFor(ctx, file, doc) });
  }
  ctx.run.set('kustomization-refs', out);
  return out;
}

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
          rule === 'kustomize-missing-path'
            ? kustomizationPathFixes(file, doc, { value: r.ref.value, path: r.ref.path, target: r.target, ...(r.problem.suggestion !== undefined ? { suggestion: r.problem.suggestion } : {}), existsOnDisk: fs.existsSync(ctx.model.tree.abs(r.target)) })
            : [];
        ctx.report({ file, range: doc.locate(r.ref.path), message: r.problem.message, ...(fixes.length ? { fixes } : {}) });
      }
    }
  };
}

export const kustomizeMissingPath: Rule = {
  id: 'kustomize-missing-path',
  description: 'A kustomization names a file or folder (resources, components, patches, generators, helmCharts valuesFile…) that is not in the repository as Git has it.',
  defaultSeverity: 'error',
  run: runFor('kustomize-missing-path'),
};

export const pathEscapesRepo: Rule = {
  id: 'path-escapes-repo',
  description: 'A kustomization path that leaves the repository.',
  defaultSeverity: 'error',
  run: runFor('path-escapes-repo'),
};

export const kustomizeLoadRestrictor: Rule = {
  id: 'kustomize-load-restrictor',
  description: "A kustomization names a file outside its own folder, which kustomize's default load restrictor (used by Argo CD) refuses.",
  defaultSeverity: 'error',
  // A repository whose Argo CD runs kustomize with `--load-restrictor LoadRestrictionsNone` allows
  // such files. With several Argo CD configurations it cannot be told which one builds a given
  // kustomization, so any one that lifts the restriction silences the rule.
  run: runFor('kustomize-load-restrictor', (ctx) => !repositoryBuildOptions(ctx).some((o) => disablesLoadRestrictor(o.options))),
};
