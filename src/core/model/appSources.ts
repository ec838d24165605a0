/**
 * The sources of an Application that live in this repository, as Argo CD's repo-server would
 * treat each: its folder, its type (an explicit `helm`/`kustomize`/`directory`/`plugin` block,
 * else a kustomization, else a Chart.yaml, else a plain directory) and the files it names
 * (Helm value files, also through a `$ref` to another source of the same Application).
 *
 * "This repository" is known by URL: the repoURLs its own git generators read (they read this
 * tree), and the remotes in .git/config. A source of another repository is not ours even when
 * a folder of the same name exists here (a chart repository's `path: .`).
 */
import * as nodePath from 'node:path';
import { asArray, asRecord, asString } from '../generators/spec';
import { sourceTypeOf, SourceTypeError, type SourceType } from '../render/sourceType';
import type { DirectoryOptions } from '../render/sourceType';
import type { YamlPath } from '../yaml/parse';

export type InRepoSourceType = SourceType | 'Plugin';

export interface InRepoSource {
  /** Repository-relative folder ('' for the root). */
  dir: string;
  type: InRepoSourceType;
  directory: DirectoryOptions;
  /** Value files helm reads for a Helm source, repository-relative (chart default first). */
  valueFiles: Array<{ file: string; path: YamlPath }>;
  /** Where the source sits in the Application (for messages and locations). */
  path: YamlPath;
  /** A chart or folder of another repository: only its `$ref` value files are ours. */
  external?: boolean;
}

/** The repository's own URLs, normalised (see normalizeRepoUrl); empty when none is known. */
export type RepositoryIdentity = ReadonlySet<string>;

/**
 * A repository URL reduced to host and path: scheme, credentials, `.git`, a trailing slash and
 * letter case do not change which repository it is (`git@github.com:o/r.git` ≡
 * `https://github.com/O/r`).
 */
export function normalizeRepoUrl(url: string): string {
  let u = url.trim().toLowerCase();
  const scp = /^[\w.-]+@([^:/]+):(.*)$/.exec(u);
  if (scp) u = `${scp[1]}/${scp[2]}`;
  else u = u.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^[^@/]*@/, '');
  u = u.replace(/:\d+(?=\/)/, '');
  return u.replace(/\/+$/, '').replace(/\.git$/, '').replace(/\/+$/, '');
}

/** Remote URLs named in a .git/config text. */
export function gitConfigRemotes(text: string): string[] {
  const out: string[] = [];
  let inRemote = false;
  for (const line of text.split(/\r?\n/)) {
    const section = /^\s*\[([^\]]+)\]/.exec(line);
    if (section) inRemote = /^remote\s+"/.test(section[1] ?? '');
    const url = inRemote ? /^\s*url\s*=\s*(.+?)\s*$/.exec(line) : null;
    if (url?.[1]) out.push(url[1]);
  }
  return out;
}

export interface SourceLookup {
  identity: RepositoryIdentity;
  /** Whether the repository has this file (repository-relative). */
  hasFile(rel: string): boolean;
  /** Whether the repository has this folder. */
  hasDir(rel: string): boolean;
}

/** Whether a source's repoURL is this repository (unknown identity: any source whose folder exists). */
function isOurs(repoURL: string | undefined, dir: string, lookup: SourceLookup): boolean {
  if (lookup.identity.size === 0) return repoURL !== undefined && (dir === '' || lookup.hasDir(dir));
  return repoURL !== undefined && lookup.identity.has(normalizeRepoUrl(repoURL));
}

function normalizeDir(p: string): string {
  const n = nodePath.posix.normalize(p.replace(/\\/g, '/')).replace(/^\.\/?/, '').replace(/\/+$/, '');
  return n === '.' ? '' : n;
}

/** The sources of an Application manifest that are folders of this repository. */
export function inRepoSources(manifest: Record<string, unknown>, lookup: SourceLookup): InRepoSource[] {
  const spec = asRecord(manifest['spec']) ?? {};
  const multi = asArray(spec['sources']);
  // Argo CD uses `sources` when it is set and ignores `source`.
  const list: Array<{ source: Record<string, unknown>; path: YamlPath }> =
    multi.length > 0
      ? multi.flatMap((s, i) => (asRecord(s) ? [{ source: asRecord(s) as Record<string, unknown>, path: ['spec', 'sources', i] }] : []))
      : asRecord(spec['source'])
        ? [{ source: asRecord(spec['source']) as Record<string, unknown>, path: ['spec', 'source'] }]
        : [];
  // `$name/...` in a Helm value file is the root of the source whose `ref` is `name`.
  const refs = new Map<string, boolean>();
  for (const { source } of list) {
    const ref = asString(source['ref']);
    if (ref) refs.set(ref, isOurs(asString(source['repoURL']), '', lookup));
  }
  const out: InRepoSource[] = [];
  for (const { source, path } of list) {
    const rawPath = asString(source['path']);
    const helm = asRecord(source['helm']);
    const valueFileRefs = asArray(helm?.['valueFiles']).map((v, i) => ({ value: v, path: [...path, 'helm', 'valueFiles', i] as YamlPath }));
    const refValueFiles = valueFileRefs.flatMap(({ value, path: p }) => {
      const m = typeof value === 'string' ? /^\$([^/]+)\/(.*)$/.exec(value) : null;
      return m && refs.get(m[1] as string) ? [{ file: normalizeDir(m[2] as string), path: p }] : [];
    });
    if (rawPath === undefined || asString(source['chart']) !== undefined) {
      // A chart from a Helm repository: only its `$ref` value files can be ours.
      if (refValueFiles.length > 0) out.push({ dir: '', type: 'Helm', directory: NO_DIRECTORY_OPTIONS, valueFiles: refValueFiles, path, external: true });
      continue;
    }
    const dir = normalizeDir(rawPath);
    if (!isOurs(asString(source['repoURL']), dir, lookup)) {
      if (refValueFiles.length > 0) out.push({ dir: '', type: 'Helm', directory: NO_DIRECTORY_OPTIONS, valueFiles: refValueFiles, path, external: true });
      continue;
    }
    const explicit: SourceType[] = [];
    if (source['kustomize'] != null) explicit.push('Kustomize');
    if (source['helm'] != null) explicit.push('Helm');
    if (source['directory'] != null) explicit.push('Directory');
    let type: InRepoSourceType;
    if (source['plugin'] != null) type = 'Plugin';
    else {
      try {
        type = sourceTypeOf(explicit, (name) => lookup.hasFile(dir === '' ? name : `${dir}/${name}`));
      } catch (e) {
        if (!(e instanceof SourceTypeError)) throw e;
        continue; // Argo CD refuses the source; the schema and render report it.
      }
    }
    const directory = asRecord(source['directory']);
    const valueFiles: InRepoSource['valueFiles'] = [];
    if (type === 'Helm') {
      const chartValues = dir === '' ? 'values.yaml' : `${dir}/values.yaml`;
      if (lookup.hasFile(chartValues)) valueFiles.push({ file: chartValues, path: [...path, 'path'] });
      for (const { value, path: p } of valueFileRefs) {
        if (typeof value !== 'string' || value.startsWith('$') || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) continue;
        valueFiles.push({ file: normalizeDir(nodePath.posix.join(dir, value)), path: p });
      }
    }
    valueFiles.push(...refValueFiles);
    out.push({
      dir,
      type,
      directory: { recurse: directory?.['recurse'] === true, include: asString(directory?.['include']) ?? '', exclude: asString(directory?.['exclude']) ?? '' },
      valueFiles,
      path,
    });
  }
  return out;
}

const NO_DIRECTORY_OPTIONS: DirectoryOptions = { recurse: false, include: '', exclude: '' };
