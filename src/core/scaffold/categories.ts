/**
 * The categories Add App offers: the tree's own categories (src/core/tree decides what a
 * category is) that have a folder where one more directory becomes one more app, i.e. whose
 * pattern, with the category filled in, is `<folder>/<glob>`. Category folders of multi-level
 * patterns that hold no app yet (a fresh Add Category) are added, since the tree, built from
 * apps, cannot show them.
 */
import type { AppSetEvaluation } from '../appset/evaluate';
import { globLevels, matchingDirectories } from '../generators/gitDirectories';
import { asRecord } from '../generators/spec';
import type { RepositoryModel } from '../model/repositoryModel';
import { gitItems } from '../generators/gitItems';
import { buildAppTree, type CategoryNode, type TreeNode } from '../tree/appTree';
import { treeApps, treeAppSets } from '../tree/fromModel';
import { parentOf } from '../workspace/treeView';
import type { CategoryInfo } from './types';

export function categories(model: RepositoryModel): CategoryInfo[] {
  const evaluations = model.appsets();
  const nodes = categoryNodes(buildAppTree({ appsets: treeAppSets(model), apps: treeApps(model), state: 'offline' }));
  const out: CategoryInfo[] = [];
  for (const { node, cluster } of nodes) {
    if (!node.appset) continue;
    const ev = evaluations.find((e) => e.appset.file === node.appset?.file && e.appset.line === node.appset.line && e.appset.name === node.appset.name);
    if (!ev) continue;
    const apps = node.children.flatMap((c) => (c.kind === 'app' && c.app ? [c.app] : []));
    const first = apps.find((a) => a.pattern !== undefined && a.path !== undefined);
    let pattern: string | undefined;
    let appsetPattern: string | undefined;
    if (first?.pattern) {
      appsetPattern = first.pattern;
      // Multi-level: the tree's description is the pattern with the category level filled in.
      pattern = first.levels.length >= 2 ? node.description : first.pattern;
    } else if (apps.length === 0) {
      appsetPattern = includePatterns(model, ev).find(isAppLevelPattern);
      pattern = appsetPattern;
    }
    if (!pattern || !appsetPattern || !isAppLevelPattern(pattern)) continue;
    out.push({
      id: node.id,
      label: node.label,
      appset: ev.appset,
      folder: parentOf(pattern),
      pattern,
      appsetPattern,
      appDirs: apps.map((a) => a.path).filter((p): p is string => p !== undefined),
      ...(cluster !== undefined ? { cluster } : {}),
    });
  }
  // Empty category folders under multi-level patterns.
  const known = new Set(out.map((c) => `${c.appset.file}#${c.appset.docIndex}#${c.folder}`));
  for (const ev of evaluations) {
    for (const p of includePatterns(model, ev)) {
      const levels = globLevels(p);
      const segs = p.split('/');
      const first = levels[0];
      if (levels.length !== 2 || first === undefined || levels[1] !== segs.length - 1 || first !== segs.length - 2) continue;
      let folders: string[];
      try {
        folders = matchingDirectories(model.tree, segs.slice(0, first + 1).join('/'));
      } catch {
        continue;
      }
      for (const folder of folders) {
        const key = `${ev.appset.file}#${ev.appset.docIndex}#${folder}`;
        if (known.has(key)) continue;
        known.add(key);
        out.push({
          id: `folder:${ev.appset.file}#${ev.appset.docIndex}#${folder}`,
          label: folder.slice(folder.lastIndexOf('/') + 1),
          appset: ev.appset,
          folder,
          pattern: `${folder}/${segs[segs.length - 1] as string}`,
          appsetPattern: p,
          appDirs: [],
        });
      }
    }
  }
  return out.sort((a, b) => a.label.localeCompare(b.label, 'en') || a.folder.localeCompare(b.folder, 'en'));
}

/** Finds a category by label, folder or id; several matches (clusters) are an error for the caller. */
export function findCategories(all: readonly CategoryInfo[], key: string): CategoryInfo[] {
  const exact = all.filter((c) => c.id === key || c.folder === key);
  return exact.length > 0 ? exact : all.filter((c) => c.label === key);
}

/** `<folder without globs>/<one glob segment>`: one more directory there is one more app. */
function isAppLevelPattern(pattern: string): boolean {
  const levels = globLevels(pattern);
  const segs = pattern.split('/');
  return segs.length >= 2 && levels.length === 1 && levels[0] === segs.length - 1 && !pattern.includes('{{');
}

export function includePatterns(model: RepositoryModel, ev: AppSetEvaluation): string[] {
  const spec = asRecord(asRecord(model.appSetDocument(ev.appset)?.value)?.['spec']);
  return spec ? gitItems(spec).filter((i) => i.kind === 'directories' && !i.exclude).map((i) => i.pattern) : [];
}

export function excludePatterns(model: RepositoryModel, ev: AppSetEvaluation): string[] {
  const spec = asRecord(asRecord(model.appSetDocument(ev.appset)?.value)?.['spec']);
  return spec ? gitItems(spec).filter((i) => i.kind === 'directories' && i.exclude).map((i) => i.pattern) : [];
}

function categoryNodes(nodes: readonly TreeNode[], cluster?: string): Array<{ node: CategoryNode; cluster?: string }> {
  const out: Array<{ node: CategoryNode; cluster?: string }> = [];
  for (const n of nodes) {
    if (n.kind === 'category') out.push({ node: n, ...(cluster !== undefined ? { cluster } : {}) });
    else if (n.kind === 'cluster') out.push(...categoryNodes(n.children, n.label));
  }
  return out;
}
