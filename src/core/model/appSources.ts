/**
 * The sources of an Application that live in this repository, as Argo CD's repo-server treats
 * each: its folder, its type (an explicit `helm`/`kustomize`/`directory`/`plugin` block, else a
 * kustomization, else a Chart.yaml, else a plain directory) and the Helm value files it names
 * (also through a `$ref` to another source of the same Application).
 *
 * "This repository" is known by URL (repositoryIdentity.ts): a source of another repository is
 * not ours even when a folder of the same name exists here (a chart repository's `path: .`).
 */
import { asArray, asRecord, asString } from '../generators/spec';
import { sourceTypeOf, SourceTypeError, type DirectoryOptions, type SourceType } from '../argocd/source';
import { parentOf, type FileTree } from '../workspace/fileTree';
import { resolveInRepository } from '../workspace/treeView';
import type { YamlPath } from '../yaml/parse';
import type { RepositoryIdentity } from './repositoryIdentity';

export interface FolderSource {
  source: Record<string, unknown>;
  /** The source's YAML path inside the Application spec: ['source'] or ['sources', i]. */
  at: YamlPath;
  /** `path` as written. */
  path: string;
  /** Repository-relative folder ('' for the root). */
  dir: string;
}

/** The sources Argo CD reads: `sources` when it is set (`source` is then ignored), else `source`. */
export function sourcesOf(spec: Record<string, unknown>): Array<{ source: unknown; at: YamlPath }> {
  const sources = asArray(spec['sources']);
  return sources.length > 0 ? sources.map((s, i) => ({ source: s, at: ['sources', i] })) : [{ source: spec['source'], at: ['source'] }];
}

/**
 * Sources with a `path` in a repository `identity` knows as this one; a Helm chart from a chart
 * repository (`chart`) has no folder.
 */
export function folderSources(spec: Record<string, unknown>, identity: RepositoryIdentity): FolderSource[] {
  const out: FolderSource[] = [];
  for (const { source, at } of sourcesOf(spec)) {
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

/**
 * The folder Argo CD resolves a source path to (util/app/path: joined to the checkout, so
 * `./a/`, `/a` and `a` are one folder); undefined when it leaves the repository.
 */
export function repositoryFolder(path: string): string | undefined {
  // Most paths are plain names already (`apps/media/x`).
  if (path !== '' && !/(^|\/)\.\.?(\/|$)|\/\/|^\/|\/$/.test(path)) return path;
  return resolveInRepository('', path);
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
  if (tree.files.has(dir)) return tree.kindOnDisk(dir) === 'dir' ? 'folder' : 'file';
  for (let d = parentOf(dir); d !== ''; d = parentOf(d)) if (tree.files.has(d)) return 'unsure';
  return tree.kindOnDisk(dir) !== undefined ? 'unsure' : 'missing';
}

/** The deepest folder above `dir` that the repository has, for messages. */
export function deepestExisting(tree: FileTree, dir: string): string {
  for (let d = parentOf(dir); d !== ''; d = parentOf(d)) if (folderPresence(tree, d) === 'folder') return d;
  return '';
}

export type InRepoSourceType = SourceType | 'Plugin';

/** A source folder of this repository with what Argo CD does with it. */
export interface InRepoSource {
  /** Repository-relative folder ('' for the root). */
  dir: string;
  type: InRepoSourceType;
  directory: DirectoryOptions;
  /** Value files helm reads for a Helm source, repository-relative (chart default first). */
  valueFiles: string[];
  /** Where the source sits in the Application spec: ['source'] or ['sources', i]. */
  at: YamlPath;
}

/** What a source in this repository reads: its type and folder, or only `$ref` value files. */
export interface SourceReads {
  folders: InRepoSource[];
  /** Value files of this repository that sources elsewhere (a chart repository) read through `$ref`. */
  refValueFiles: string[];
}

/**
 * Every source of an Application that reads files of this repository: folder sources with their
 * type, and `$values/...` files of multi-source Applications whose `ref` source is this
 * repository (`$name` is the root of that source's repository). `mayClaim` says whether a
 * Config Management Plugin claims or may claim a folder (argocd/pluginClaims.ts): a source that
 * names no type is then the plugin's.
 */
export function sourceReads(spec: Record<string, unknown>, identity: RepositoryIdentity, tree: FileTree, mayClaim?: (dir: string) => boolean): SourceReads {
  const refs = new Set<string>();
  for (const { source } of sourcesOf(spec)) {
    const s = asRecord(source);
    const ref = asString(s?.['ref']);
    const url = asString(s?.['repoURL']);
    if (ref && url && identity.isThisRepository(url)) refs.add(ref);
  }
  const refValueFiles: string[] = [];
  const valueFileRefs = (s: Record<string, unknown>): unknown[] => asArray(asRecord(s['helm'])?.['valueFiles']);
  for (const { source } of sourcesOf(spec)) {
    const s = asRecord(source);
    if (!s) continue;
    for (const v of valueFileRefs(s)) {
      const m = typeof v === 'string' ? /^\$([^/]+)\/(.*)$/.exec(v) : null;
      const file = m && refs.has(m[1] as string) ? repositoryFolder(m[2] as string) : undefined;
      if (file) refValueFiles.push(file);
    }
  }
  const folders: InRepoSource[] = [];
  for (const f of folderSources(spec, identity)) {
    const s = f.source;
    const explicit: SourceType[] = [];
    if (s['kustomize'] != null) explicit.push('Kustomize');
    if (s['helm'] != null) explicit.push('Helm');
    if (s['directory'] != null) explicit.push('Directory');
    let type: InRepoSourceType;
    if (s['plugin'] != null) type = 'Plugin';
    // No type named: Argo CD asks the plugins first; a folder one may claim is read by it, not as kustomize/helm/directory.
    else if (explicit.length === 0 && mayClaim?.(f.dir)) type = 'Plugin';
    else {
      try {
        type = sourceTypeOf(explicit, (name) => tree.files.has(f.dir === '' ? name : `${f.dir}/${name}`));
      } catch (e) {
        if (!(e instanceof SourceTypeError)) throw e;
        continue; // Argo CD refuses the source; the schema and previews say why.
      }
    }
    const valueFiles: string[] = [];
    if (type === 'Helm') {
      const chartValues = f.dir === '' ? 'values.yaml' : `${f.dir}/values.yaml`;
      if (tree.files.has(chartValues)) valueFiles.push(chartValues);
      for (const v of valueFileRefs(s)) {
        if (typeof v !== 'string' || v.startsWith('$') || /^[a-z][a-z0-9+.-]*:\/\//i.test(v)) continue;
        const file = repositoryFolder(f.dir === '' ? v : `${f.dir}/${v}`);
        if (file) valueFiles.push(file);
      }
    }
    const directory = asRecord(s['directory']);
    folders.push({
      dir: f.dir,
      type,
      directory: { recurse: directory?.['recurse'] === true, include: asString(directory?.['include']) ?? '', exclude: asString(directory?.['exclude']) ?? '' },
      valueFiles,
      at: f.at,
    });
  }
  return { folders, refValueFiles };
}
