/**
 * A plain-directory source as Argo CD's repo-server reads it
 * (reposerver/repository/repository.go `findManifests`, `getPotentiallyValidManifests`):
 * - `filepath.Walk` from the app folder in lexical order; sub-folders only with `recurse`;
 *   hidden files and folders are not skipped (Walk does not, and Git tracks them).
 * - files named `*.yaml|yml|json|jsonnet`; `exclude` then `include` matched against the path
 *   relative to the app folder with util/glob (gobwas/glob without separators, so `*` crosses `/`);
 * - files containing `+argocd:skip-file-rendering` are skipped;
 * - symlinks are followed only inside the repository, and only to regular files;
 * - a `.json` file is one object; a YAML file is a stream of documents, empty ones dropped, and a
 *   file that does not parse is an error only if it looks like a manifest (apiVersion:, kind:,
 *   metadata: all present), otherwise ignored as an unrelated YAML file.
 * Jsonnet is not evaluated here (reported instead).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocuments } from '../yaml/ast';
import { dumpYaml } from '../yaml/load';
import { directoryIncludes, isManifestName, looksLikeManifest, skipsRendering } from '../argocd/directory';
import type { DirectoryOptions } from '../argocd/source';

export interface DirectoryDocument {
  /** Path relative to the app folder, '/'-separated. */
  file: string;
  /** The document's text as written (JSON files become YAML). */
  text: string;
}

export class DirectorySourceError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'DirectorySourceError';
  }
}

/** The files Argo CD would read, in its order (paths relative to the app folder). */
export function directoryManifestFiles(appDir: string, repoRoot: string, options: DirectoryOptions): string[] {
  const out: string[] = [];
  const walk = (absDir: string, rel: string): void => {
    const names = fs.readdirSync(absDir).sort(byteCompare);
    for (const name of names) {
      const abs = path.join(absDir, name);
      const relPath = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(abs);
      if (st.isDirectory()) {
        if (options.recurse) walk(abs, relPath);
        continue;
      }
      if (!isManifestName(name)) continue;
      let real = st;
      if (st.isSymbolicLink()) {
        let target: string;
        try {
          target = fs.realpathSync(abs);
        } catch {
          continue; // destination missing: Argo CD logs and skips
        }
        if (!isInside(target, fs.realpathSync(repoRoot))) throw new DirectorySourceError(`illegal filepath in symlink at "${relPath}"`, relPath);
        real = fs.statSync(target);
      }
      if (!real.isFile()) continue;
      if (!directoryIncludes(relPath, options)) continue;
      if (skipsRendering(fs.readFileSync(abs))) continue;
      out.push(relPath);
    }
  };
  walk(appDir, '');
  return out;
}

export function readDirectorySource(appDir: string, repoRoot: string, options: DirectoryOptions): DirectoryDocument[] {
  const docs: DirectoryDocument[] = [];
  for (const file of directoryManifestFiles(appDir, repoRoot, options)) {
    const text = fs.readFileSync(path.join(appDir, ...file.split('/')), 'utf8').replace(/^\uFEFF/, '');
    if (file.endsWith('.jsonnet')) throw new DirectorySourceError(`${file}: Jsonnet is not evaluated by Home-Ops' preview`, file);
    if (file.endsWith('.json')) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new DirectorySourceError(`Failed to unmarshal "${path.posix.basename(file)}": ${(e as Error).message}`, file);
      }
      docs.push({ file, text: dumpYaml(value, { lineWidth: 80, indentSeq: true }) });
      continue;
    }
    const parsed = parseDocuments(text, 'directory-manifest');
    const broken = parsed.find((d) => d.errors.length > 0);
    if (broken) {
      if (looksLikeManifest(text)) throw new DirectorySourceError(`Failed to unmarshal "${path.posix.basename(file)}": ${broken.errors[0]?.message ?? 'invalid YAML'}`, file);
      continue;
    }
    for (const d of parsed) {
      if (d.contents === null || d.toJS() == null) continue;
      const [start, , end] = d.range;
      // The document's own text without its `---` line: comments between documents stay with the one they precede.
      const body = text.slice(start, end).replace(/^---[^\n]*\n?/, '').replace(/\s+$/, '');
      docs.push({ file, text: `${body}\n` });
    }
  }
  return docs;
}

/** Go's sort.Strings order (bytes), which filepath.Walk uses for directory entries. */
export function byteCompare(a: string, b: string): number {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return Buffer.compare(x, y);
}

export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
