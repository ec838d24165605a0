/**
 * The sources of an Application that read a folder of this repository, and where each is
 * written, for the rules that check what such a folder holds.
 */
import * as fs from 'node:fs';
import { asArray, asRecord, asString } from '../generators/spec';
import { parentOf, type FileTree } from '../workspace/fileTree';
import type { YamlPath } from '../yaml/parse';
import type { RepositoryIdentity } from './repositoryIdentity';
import type { RuleContext } from './types';

export interface FolderSource {
  source: Record<string, unknown>;
  /** The source's YAML path inside the Application spec: ['source'] or ['sources', i]. */
  at: YamlPath;
  /** `path` as written. */
  path: string;
  /** Repository-relative folder ('' for the root). */
  dir: string;
}

/**
 * Sources with a `path` in a repository `identity` knows as this one. Argo CD reads `sources`
 * when it is set (ignoring `source`); a Helm chart from a chart repository (`chart`) has no folder.
 */
export function folderSources(spec: Record<string, unknown>, identity: RepositoryIdentity): FolderSource[] {
  const sources = asArray(spec['sources']);
  const refs: Array<{ source: unknown; at: YamlPath }> = sources.length > 0 ? sources.map((s, i) => ({ source: s, at: ['sources', i] })) : [{ source: spec['source'], at: ['source'] }];
  const out: FolderSource[] = [];
  for (const { source, at } of refs) {
    const s = asRecord(source);
    const path = asString(s?.['path']);
    const repoURL = asString(s?.['repoURL']);
    if (!s || path === undefined || repoURL === undefined || s['chart'] !== undefined) continue;
    if (path.includes('{{') || repoURL.includes('{{') || !identity.isThisRepository(repoURL)) continue;
    const dir = repositoryFolder(path);
    if (dir !== undefined) out.push({ source: s, at, path, dir });
  }
  return out;
}

/** folderSources, made once per Application spec and lint run (several rules ask). */
export function folderSourcesOf(ctx: RuleContext, spec: Record<string, unknown>, identity: RepositoryIdentity): FolderSource[] {
  let cache = ctx.run.get('folder-sources') as WeakMap<object, FolderSource[]> | undefined;
  if (!cache) ctx.run.set('folder-sources', (cache = new WeakMap()));
  let hit = cache.get(spec);
  if (!hit) cache.set(spec, (hit = folderSources(spec, identity)));
  return hit;
}

/**
 * The folder Argo CD resolves a source path to (util/app/path: joined to the checkout, so
 * `./a/`, `/a` and `a` are one folder); undefined when it leaves the repository.
 */
export function repositoryFolder(path: string): string | undefined {
  // Most paths are plain names already (`apps/media/x`).
  if (path !== '' && !/(^|\/)\.\.?(\/|$)|\/\/|^\/|\/$/.test(path)) return path;
  const parts: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

export type FolderPresence = 'folder' | 'file' | 'missing' | 'unsure';

/**
 * Whether a folder is in the repository as Git has it. A symlink to a folder counts (Argo CD's
 * os.Stat follows it); a path through a symlink, or one on disk that Git would not have (ignored,
 * or empty), is unsure: it may be committed anyway.
 */
export function folderPresence(tree: FileTree, dir: string): FolderPresence {
  if (dir === '') return 'folder';
  const base = dir.slice(dir.lastIndexOf('/') + 1);
  if (tree.childrenOf(parentOf(dir)).has(base)) return 'folder';
  if (tree.files.has(dir)) return isDirectoryOnDisk(tree.abs(dir)) ? 'folder' : 'file';
  for (let d = parentOf(dir); d !== ''; d = parentOf(d)) if (tree.files.has(d)) return 'unsure';
  return fs.existsSync(tree.abs(dir)) ? 'unsure' : 'missing';
}

function isDirectoryOnDisk(abs: string): boolean {
  try {
    return fs.statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

/** The deepest folder above `dir` that the repository has, for messages. */
export function deepestExisting(tree: FileTree, dir: string): string {
  for (let d = parentOf(dir); d !== ''; d = parentOf(d)) if (folderPresence(tree, d) === 'folder') return d;
  return '';
}
