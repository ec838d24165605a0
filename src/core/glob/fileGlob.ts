/**
 * The two globs a Config Management Plugin's sidecar runs over the files it received to answer
 * "is this app mine?" (argo-cd v3.6.2 cmpserver/plugin/plugin.go `matchRepository`):
 *
 * - `discover.fileName` goes to Go's `filepath.Glob` (path/filepath/match.go, Go 1.26): a pattern
 *   without `*?[\` is one Lstat (a dangling link counts); otherwise its folder part is globbed
 *   first (recursively, if it has wildcards too) and each folder is read, its names sorted and
 *   tested with `filepath.Match` (`*` stays inside one name, hidden names match like any other).
 *   A malformed pattern is an error; unreadable folders are skipped.
 * - `discover.find.glob` goes to mattn/go-zglob v0.0.6 `Glob` (the version argo-cd v3.6.2's go.mod
 *   pins): the pattern becomes a regular expression over the whole path — `**\/` any run of
 *   folders, `*` within one name, `[…]` and `{a,b}` as written, `\x` escapes, every other
 *   character literal (`?` included) — and a walk from the longest folder without `*` or `{`
 *   collects every entry it matches: files, folders, links (not followed). Without `*` or `{`
 *   the pattern is one Stat. The expression is read exactly as zglob builds it, and matched by a
 *   table (linear, like Go's RE2; a backtracking engine hangs on `*a*a*a…b`); only a `[…]` class
 *   is handed to JavaScript's RegExp, which differs from RE2 for class syntax such as
 *   `[[:alpha:]]` that no discovery rule seen in practice uses.
 *
 * Both work on absolute `/`-separated paths through a GlobFs, so the caller decides what the
 * tree is (the repository as the sidecar receives it) and nothing here touches a disk.
 */
import * as path from 'node:path';
import { BadPatternError, goPathMatch } from './goPathMatch';

export type GlobEntryType = 'dir' | 'file' | 'link' | 'other';

/** What the globs read. Paths are absolute and `/`-separated. */
export interface GlobFs {
  /** The entry itself (os.Lstat): a link is `link`; undefined when nothing is there. */
  lstat(p: string): GlobEntryType | undefined;
  /** The entry with links followed (os.Stat); undefined when nothing (or a dangling link) is there. */
  stat(p: string): Exclude<GlobEntryType, 'link'> | undefined;
  /** A folder's entries with their own types (links not followed); undefined when `dir` is no readable folder. */
  readDir(dir: string): Array<{ name: string; type: GlobEntryType }> | undefined;
}

export class GlobError extends Error {
  constructor(
    message: string,
    /** zglob's `os.ErrNotExist`: the literal path, or the folder the walk starts from, is not there. */
    readonly missing = false,
  ) {
    super(message);
    this.name = 'GlobError';
  }
}

/** Go's `path.Clean` (filepath.Clean on Unix): no `.`, no `x/..`, no doubled or trailing slash. */
export function goCleanPath(p: string): string {
  if (p === '') return '.';
  const n = path.posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** Go's `filepath.Join`: the non-empty elements joined by `/`, cleaned (an absolute second element is not special). */
export function goJoinPath(...elems: string[]): string {
  const parts = elems.filter((e) => e !== '');
  return parts.length === 0 ? '' : goCleanPath(parts.join('/'));
}

// ---- filepath.Glob ---------------------------------------------------------------------------

const GO_META = /[*?[\\]/;

/** `filepath.Glob(pattern)`: the matching paths in Go's order; throws GlobError for a malformed pattern. */
export function goFilepathGlob(pattern: string, fs: GlobFs): string[] {
  // Go checks the whole pattern's syntax first (Match(pattern, "")).
  try {
    goPathMatch(pattern, '');
  } catch (e) {
    if (e instanceof BadPatternError) throw new GlobError(`syntax error in pattern ${JSON.stringify(pattern)}`);
    throw e;
  }
  return globWithLimit(pattern, fs, 0);
}

function globWithLimit(pattern: string, fs: GlobFs, depth: number): string[] {
  // Go bounds the recursion by the pattern's length (ErrBadPattern past 10000).
  if (depth > 10000) throw new GlobError(`syntax error in pattern ${JSON.stringify(pattern)}`);
  if (!GO_META.test(pattern)) return fs.lstat(pattern) === undefined ? [] : [pattern];
  const slash = pattern.lastIndexOf('/');
  let dir = pattern.slice(0, slash + 1);
  const file = pattern.slice(slash + 1);
  // cleanGlobPath: '' is '.', '/' stays, else the trailing slash goes.
  dir = dir === '' ? '.' : dir === '/' ? '/' : dir.slice(0, -1);
  if (!GO_META.test(dir)) return globDir(dir, file, fs, []);
  if (dir === pattern) throw new GlobError(`syntax error in pattern ${JSON.stringify(pattern)}`);
  let matches: string[] = [];
  for (const d of globWithLimit(dir, fs, depth + 1)) matches = globDir(d, file, fs, matches);
  return matches;
}

function globDir(dir: string, pattern: string, fs: GlobFs, matches: string[]): string[] {
  // Go: Stat (links followed) must be a folder; I/O errors are ignored.
  if (fs.stat(dir) !== 'dir') return matches;
  const names = (fs.readDir(dir) ?? []).map((e) => e.name).sort(goStringOrder);
  for (const n of names) {
    let matched: boolean;
    try {
      matched = goPathMatch(pattern, n);
    } catch (e) {
      if (e instanceof BadPatternError) throw new GlobError(`syntax error in pattern ${JSON.stringify(pattern)}`);
      throw e;
    }
    if (matched) matches.push(goJoinPath(dir, n));
  }
  return matches;
}

/** Go's string order (UTF-8 bytes), which is code point order: `sort.Strings`, `os.ReadDir`. */
export function goStringOrder(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) as number);
  const y = Array.from(b, (c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}

// ---- mattn/go-zglob v0.0.6 -------------------------------------------------------------------

/** A segment zglob replaces by an environment variable (`$HOME`, `$(HOME)`). */
const ZGLOB_ENV = /^(\$[a-zA-Z][a-zA-Z0-9_]+|\$\([a-zA-Z][a-zA-Z0-9_]+\))$/;

/** The segments of an absolute pattern that zglob reads from the environment, e.g. `$HOME`. */
export function zglobEnvironmentSegments(pattern: string): string[] {
  return pattern.split('/').filter((s) => ZGLOB_ENV.test(s));
}

/**
 * zglob's regular expression, as tokens: `^…$` over the path's code points. Matched by
 * matchZglob (a table over token × position), never by a backtracking engine: Go's RE2 is linear,
 * and a pattern like `*a*a*a*a*b` must not hang the editor on a long name.
 */
type ZToken =
  /** One character (zglob writes it as itself or as `[\xNN]`). */
  | { k: 'char'; c: string }
  /** `[…]` as the pattern wrote it: one character of a regular-expression class. */
  | { k: 'class'; re: RegExp }
  /** `*`: any run of characters but a slash. */
  | { k: 'star' }
  /** A `**` folder part, zglob's `(.*` `/)?`: nothing, or anything up to and including a slash (not across a newline). */
  | { k: 'globstar' }
  /** `{a,b}`: `(a|b)`, each option a literal. */
  | { k: 'alt'; options: string[][] }
  /** `!(x)`: per character x, any run of characters but x and a slash. */
  | { k: 'notstar'; c: string };

interface Zenv {
  dirmask: string;
  tokens: ZToken[];
  root: string;
}

/** zglob `New` for a pattern without environment segments (the caller checks zglobEnvironmentSegments). */
function zglobNew(pattern: string): Zenv {
  let globmask = '';
  let root = '';
  pattern.split('/').forEach((seg, n) => {
    if (root === '' && /[*{]/.test(seg)) root = globmask === '' ? '.' : globmask;
    // `~` is only special as the first segment, and an absolute pattern's first segment is empty.
    globmask = goJoinPath(globmask, seg);
    if (n === 0 && globmask.length === 0) globmask = '/';
  });
  if (root === '') return { dirmask: '', tokens: [], root: '' };
  if (globmask === '') globmask = '.';
  globmask = goCleanPath(globmask);

  // zglob builds `filemask` (the regular expression) and `dirmask` (the static folder part) in
  // one pass; `mask` keeps the regular expression's text only where zglob reuses it as a path.
  const cc = Array.from(globmask);
  let dirmask = '';
  let mask = '';
  const tokens: ZToken[] = [];
  let staticDir = true;
  const code = (c: string) => (c.codePointAt(0) as number).toString(16).toUpperCase().padStart(2, '0');
  const hex = (c: string) => `[\\x${code(c)}]`;
  const plain = (c: string) => c === '/' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c.codePointAt(0) as number) > 255;
  const char = (c: string) => {
    tokens.push({ k: 'char', c });
    mask += plain(c) ? c : hex(c);
  };
  for (let i = 0; i < cc.length; i++) {
    const ch = cc[i] as string;
    if (i < cc.length - 2 && ch === '\\') {
      i++;
      tokens.push({ k: 'char', c: cc[i] as string });
      mask += hex(cc[i] as string);
      if (staticDir) dirmask += cc[i] as string;
    } else if (ch === '*') {
      staticDir = false;
      if (i < cc.length - 2 && cc[i + 1] === '*' && cc[i + 2] === '/') {
        tokens.push({ k: 'globstar' });
        mask += '(.*/)?';
        i += 2;
      } else {
        tokens.push({ k: 'star' });
        mask += '[^/]*';
      }
    } else if (ch === '[') {
      staticDir = false;
      let b = '';
      for (let j = i + 1; j < cc.length; j++) {
        if (cc[j] === ']') {
          i = j;
          break;
        }
        b += cc[j] as string;
      }
      if (b !== '') {
        let re: RegExp;
        try {
          re = new RegExp(`^[${b}]$`);
        } catch (e) {
          throw new GlobError(`error parsing regexp: ${(e as Error).message}`);
        }
        tokens.push({ k: 'class', re });
        mask += `[${b}]`;
      }
    } else {
      if (ch === '{') {
        staticDir = false;
        const options: string[][] = [[]];
        let b = '';
        for (let j = i + 1; j < cc.length; j++) {
          const c = cc[j] as string;
          if (c === ',') {
            options.push([]);
            b += '|';
          } else if (c === '}') {
            i = j;
            break;
          } else {
            (options[options.length - 1] as string[]).push(c);
            b += plain(c) ? c : hex(c);
          }
        }
        if (b !== '') {
          tokens.push({ k: 'alt', options });
          mask += `(${b})`;
          continue;
        }
      } else if (i < cc.length - 1 && ch === '!' && cc[i + 1] === '(') {
        i++;
        const excluded: string[] = [];
        for (let j = i + 1; j < cc.length; j++) {
          if (cc[j] === ')') {
            i = j;
            break;
          }
          excluded.push(cc[j] as string);
        }
        if (excluded.length) {
          // zglob starts its walk at the expression written so far (a quirk kept as it is).
          if (dirmask.length === 0) {
            dirmask = mask;
            root = mask;
          }
          for (const c of excluded) tokens.push({ k: 'notstar', c });
          mask += excluded.map((c) => `[^\\x${code(c)}/]*`).join('');
          continue;
        }
      }
      const c = cc[i] as string;
      char(c);
      if (staticDir) dirmask += c;
    }
  }
  if (mask.endsWith('/')) {
    if (root === '') root = mask;
    tokens.push({ k: 'star' });
  }
  return { dirmask: `${goDir(dirmask)}/`, tokens, root: goCleanPath(root) };
}

/** Whether the whole path matches the tokens: a table of reachable (token, position) pairs. */
function matchZglob(tokens: readonly ZToken[], text: string): boolean {
  const s = Array.from(text);
  const n = s.length;
  // reach[t] holds the positions at which token t may start.
  let here = new Set<number>([0]);
  for (const tok of tokens) {
    const next = new Set<number>();
    for (const i of here) {
      switch (tok.k) {
        case 'char':
          if (s[i] === tok.c) next.add(i + 1);
          break;
        case 'class':
          if (i < n && tok.re.test(s[i] as string)) next.add(i + 1);
          break;
        case 'star':
        case 'notstar':
          for (let j = i; ; j++) {
            next.add(j);
            if (j >= n || s[j] === '/' || (tok.k === 'notstar' && s[j] === tok.c)) break;
          }
          break;
        case 'globstar':
          next.add(i);
          for (let j = i; j < n && s[j] !== '\n'; j++) if (s[j] === '/') next.add(j + 1);
          break;
        case 'alt':
          for (const o of tok.options) if (o.every((c, k) => s[i + k] === c)) next.add(i + o.length);
          break;
      }
    }
    if (next.size === 0) return false;
    here = next;
  }
  return here.has(n);
}

/** Go's `path.Dir`: everything up to the last slash, cleaned (`/w/app/` gives `/w/app`, `` gives `.`). */
function goDir(p: string): string {
  return goCleanPath(p.slice(0, p.lastIndexOf('/') + 1));
}

/**
 * zglob `Glob(pattern)` without following links, for an absolute pattern: a path it matches (the
 * walk stops at the first; zglob's own order is that of concurrent workers), or undefined. Throws
 * GlobError where zglob returns an error: a regular expression that does not compile, a start
 * folder (or literal path) that is not there (`missing`), a folder the walk cannot read.
 */
export function zglobFirstMatch(pattern: string, fs: GlobFs): string | undefined {
  const z = zglobNew(pattern);
  if (z.root === '') {
    if (fs.stat(pattern) === undefined) throw new GlobError('file does not exist', true);
    return pattern;
  }
  const fre = { test: (p: string) => matchZglob(z.tokens, p) };
  const rootType = fs.stat(z.root);
  if (rootType === undefined) throw new GlobError(`stat ${z.root}: no such file or directory`, true);
  // fastwalk on a root that is no folder calls back once, with the target's mode.
  if (rootType !== 'dir') return fre.test(z.root) ? z.root : undefined;
  // The callback for a folder: `undefined` descends, 'match' ends the walk, 'skip' prunes it.
  const onDir = (p: string): 'match' | 'skip' | undefined => {
    if (p === '.' || p.length <= z.root.length) return undefined;
    if (fre.test(p)) return 'match';
    if (p.length < z.dirmask.length && !z.dirmask.startsWith(`${p}/`)) return 'skip';
    return undefined;
  };
  const queue = [z.root];
  while (queue.length) {
    const dir = queue.pop() as string;
    const verdict = onDir(dir);
    if (verdict === 'match') return dir;
    if (verdict === 'skip') continue;
    const entries = fs.readDir(dir);
    if (entries === undefined) throw new GlobError(`open ${dir}: permission denied`);
    for (const e of entries) {
      const joined = `${dir === '/' ? '' : dir}/${e.name}`;
      if (e.type === 'dir') queue.push(joined);
      else if (fre.test(joined)) return joined;
    }
  }
  return undefined;
}
