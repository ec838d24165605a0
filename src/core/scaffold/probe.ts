/**
 * "What would the engine generate if these files existed?" — the ApplicationSets evaluated
 * against the working tree plus planned files, without writing anything. The tree is the
 * model's own with the new paths layered on top (no rescan), so this is cheap enough to run on
 * every keystroke of a name.
 */
import { loadYaml } from '../yaml/load';
import { evaluateAppSet, type AppSetEvaluation, type GeneratedApp } from '../appset/evaluate';
import { parseFileGeneratorContent } from '../generators/gitFiles';
import { sortWalkOrder } from '../generators/gitDirectories';
import { goPathMatch } from '../glob/goPathMatch';
import { gitPathspecMatch } from '../glob/gitPathspec';
import type { RepositoryModel } from '../model/repositoryModel';
import type { Problem } from '../problems';
import { isHiddenPath, type FileTree } from '../workspace/fileTree';
import type { YamlDoc } from '../yaml/parse';

/** The model's tree with extra files (and so their folders); everything else delegates to it. */
export function treeWithFiles(base: FileTree, files: readonly string[]): FileTree {
  const extraDirs = new Set<string>();
  const extraKids = new Map<string, Set<string>>();
  for (const f of files) {
    const segs = f.split('/');
    for (let i = 0; i < segs.length - 1; i++) {
      const parent = segs.slice(0, i).join('/');
      const dir = segs.slice(0, i + 1).join('/');
      extraDirs.add(dir);
      const kids = extraKids.get(parent) ?? new Set<string>();
      kids.add(segs[i] as string);
      extraKids.set(parent, kids);
    }
  }
  const tree = Object.create(base) as FileTree;
  const allFiles = new Set([...base.files, ...files]);
  Object.defineProperty(tree, 'files', { value: allFiles });
  tree.hasDir = (rel) => base.hasDir(rel) || (extraDirs.has(rel) && !isHiddenPath(rel));
  tree.childrenOf = (rel) => {
    const kids = base.childrenOf(rel);
    const extra = extraKids.get(rel);
    return extra ? new Set([...kids, ...extra]) : kids;
  };
  tree.allDirs = () => {
    const dirs = new Set(base.allDirs());
    for (const d of extraDirs) if (!isHiddenPath(d)) dirs.add(d);
    return sortWalkOrder([...dirs]);
  };
  return tree;
}

export interface ProbeResult {
  /** Evaluations of the appsets the new files could affect, against the extended tree. */
  evaluations: AppSetEvaluation[];
  /** Applications whose source directory (or a generator file) is among the new paths. */
  newApps: GeneratedApp[];
  /** Problems that the extended tree causes and the current one does not. */
  newProblems: Problem[];
}

export function appsetDoc(model: RepositoryModel, ev: AppSetEvaluation): YamlDoc | undefined {
  return model.parsedFile(ev.appset.file)?.docs.find((d) => d.index === ev.appset.docIndex);
}

/** Reads files generator content the way the model does (its cache is private). */
export function fileParamsReader(model: RepositoryModel): (path: string) => unknown {
  const cache = new Map<string, unknown>();
  return (path) => {
    if (cache.has(path)) return cache.get(path);
    const text = model.textOf(path);
    const value = text === undefined ? new Error('the file cannot be read') : parseFileGeneratorContent(text, (t) => loadYaml(t, 'generator-file'));
    cache.set(path, value);
    return value;
  };
}

/** Evaluates the appsets that could see `files` as if they existed. */
export function probeNewFiles(model: RepositoryModel, files: readonly string[], extra: Array<{ file: string; doc: YamlDoc }> = []): ProbeResult {
  const tree = treeWithFiles(model.tree, files);
  const readFileParams = fileParamsReader(model);
  const newDirs = new Set<string>();
  for (const f of files) for (let d = parentOf(f); d !== ''; d = parentOf(d)) newDirs.add(d);
  const evaluations: AppSetEvaluation[] = [];
  const newProblems: Problem[] = [];
  const key = (p: Problem) => `${p.file}:${p.rule}:${p.message}`;
  for (const ev of model.appsets()) {
    if (!affects(ev, files, newDirs)) continue;
    const doc = appsetDoc(model, ev);
    if (!doc) continue;
    const next = evaluateAppSet(ev.appset.file, doc, { tree, clusterSecrets: model.clusterSecrets(), readFileParams });
    evaluations.push(next);
    const before = new Set(ev.problems.map(key));
    newProblems.push(...next.problems.filter((p) => !before.has(key(p))));
  }
  for (const { file, doc } of extra) {
    const next = evaluateAppSet(file, doc, { tree, clusterSecrets: model.clusterSecrets(), readFileParams });
    evaluations.push(next);
    newProblems.push(...next.problems);
  }
  const isNew = (app: GeneratedApp) =>
    app.origins.some((o) => (o.kind === 'directory' && newDirs.has(o.path)) || (o.kind === 'file' && files.includes(o.path))) ||
    extra.some((x) => x.file === app.appset.file);
  const newApps = evaluations.flatMap((e) => e.apps.filter(isNew));
  return { evaluations, newApps, newProblems };
}

function affects(ev: AppSetEvaluation, files: readonly string[], dirs: ReadonlySet<string>): boolean {
  for (const f of files) for (const p of ev.deps.filePatterns) if (gitPathspecMatch(p, f)) return true;
  for (const d of dirs) {
    for (const p of ev.deps.dirPatterns) {
      try {
        if (goPathMatch(p, d)) return true;
      } catch {
        // a malformed pattern matches nothing; the engine reports it
      }
    }
  }
  return false;
}

export function parentOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}
