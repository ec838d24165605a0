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
import type { DirectoryOptions } from './sourceType';

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

/** The file names a directory source reads (repository.go `manifestFile`). */
export const MANIFEST_FILE = /^.*\.(yaml|yml|json|jsonnet)$/;
/** A file holding this text is skipped by a directory source. */
export const SKIP_MARKER = '+argocd:skip-file-rendering';

/**
 * A YAML file a directory source cannot decode is an error only when it looks like a manifest
 * (holds `apiVersion:`, `kind:` and `metadata:`); otherwise Argo CD ignores it as unrelated YAML.
 */
export function looksLikeManifest(text: string): boolean {
  return text.includes('apiVersion:') && text.includes('kind:') && text.includes('metadata:');
}

/** A file name Argo CD's directory source reads at all. */
export function isManifestName(name: string): boolean {
  return MANIFEST_FILE.test(name);
}

/** The source's `exclude`, then `include`, for a path relative to the app folder. */
export function directoryIncludes(relPath: string, options: DirectoryOptions): boolean {
  if (options.exclude && argoGlobMatch(options.exclude, relPath)) return false;
  return !options.include || argoGlobMatch(options.include, relPath);
}

/** Whether a file's bytes ask Argo CD to skip it (`+argocd:skip-file-rendering`). */
export function skipsRendering(content: string | Buffer): boolean {
  return content.includes(SKIP_MARKER);
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

/**
 * gobwas/glob as Argo CD's util/glob calls it (no separators): `*` and `**` match any run of
 * characters including `/`, `?` one character, `[abc]` `[!a-z]` classes, `{a,b}` alternatives,
 * `\` escapes. The whole string must match. A pattern that does not compile matches nothing
 * (Argo CD logs a warning and returns false).
 */
export function argoGlobMatch(pattern: string, text: string): boolean {
  let re = compiledGlobs.get(pattern);
  if (re === undefined && !compiledGlobs.has(pattern)) {
    // A repository has a handful of include/exclude patterns, each tried on many files.
    if (compiledGlobs.size >= 256) compiledGlobs.clear();
    re = compileGlob(pattern);
    compiledGlobs.set(pattern, re);
  }
  return re !== undefined && re.test(text);
}

const compiledGlobs = new Map<string, RegExp | undefined>();

function compileGlob(pattern: string): RegExp | undefined {
  let i = 0;
  const parse = (inAlt: boolean): string => {
    let out = '';
    while (i < pattern.length) {
      const c = pattern[i] as string;
      if (inAlt && (c === ',' || c === '}')) return out;
      i++;
      if (c === '\\') {
        if (i >= pattern.length) throw new Error('unexpected end of pattern');
        out += escapeRe(pattern[i++] as string);
      } else if (c === '*') {
        while (pattern[i] === '*') i++;
        out += '[\\s\\S]*';
      } else if (c === '?') out += '[\\s\\S]';
      else if (c === '[') {
        let negate = false;
        if (pattern[i] === '!') {
          negate = true;
          i++;
        }
        let cls = '';
        while (i < pattern.length && pattern[i] !== ']') {
          const ch = pattern[i++] as string;
          if (ch === '-' && cls !== '' && pattern[i] !== ']') cls += '-';
          else cls += ch === '\\' || ch === ']' || ch === '^' || ch === '[' ? `\\${ch}` : ch;
        }
        if (pattern[i] !== ']' || cls === '') throw new Error('unclosed character class');
        i++;
        out += `[${negate ? '^' : ''}${cls}]`;
      } else if (c === '{') {
        const alts: string[] = [];
        for (;;) {
          alts.push(parse(true));
          if (pattern[i] === ',') {
            i++;
            continue;
          }
          if (pattern[i] === '}') {
            i++;
            break;
          }
          throw new Error('unclosed alternatives');
        }
        out += `(?:${alts.join('|')})`;
      } else out += escapeRe(c);
    }
    if (inAlt) throw new Error('unclosed alternatives');
    return out;
  };
  try {
    return new RegExp(`^${parse(false)}$`);
  } catch {
    return undefined;
  }
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
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
