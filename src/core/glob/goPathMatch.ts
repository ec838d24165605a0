/**
 * Go's `path.Match`, which the Argo CD git directory generator uses to test every directory of
 * the repository against each `directories[].path` pattern. Its rules differ from shell globs
 * and from minimatch: `*` and `?` never match `/`, there is no `**` (it acts like `*`), a
 * character class may match `/`, and the whole name must match. A malformed pattern is an
 * error, which Argo CD logs and skips, so callers must be able to tell it from "no match".
 *
 * Works on code points, as Go works on runes.
 */

export class BadPatternError extends Error {
  constructor(readonly pattern: string) {
    super(`syntax error in pattern: ${pattern}`);
  }
}

/** Whether `name` matches `pattern`; throws `BadPatternError` for a malformed pattern. */
export function goPathMatch(pattern: string, name: string): boolean {
  // Most patterns (`apps/*`, `kubernetes/*/*`) have no class or escape, so cannot be malformed;
  // they match on UTF-16 units unless a `?` meets a character outside the BMP.
  if (!hasClassOrEscape(pattern) && !(pattern.includes('?') && SURROGATE.test(name))) return starMatch(pattern, name);
  const p = Array.from(pattern);
  const n = Array.from(name);
  const fail = (): never => {
    throw new BadPatternError(pattern);
  };
  let pi = 0;
  let ni = 0;

  // A chunk is the run of pattern between stars; returns [star, chunkStart, chunkEnd].
  const scanChunk = (from: number): [boolean, number, number] => {
    let i = from;
    let star = false;
    while (i < p.length && p[i] === '*') {
      i++;
      star = true;
    }
    const start = i;
    let inRange = false;
    for (; i < p.length; i++) {
      const c = p[i];
      if (c === '\\') {
        if (i + 1 < p.length) i++;
      } else if (c === '[') inRange = true;
      else if (c === ']') inRange = false;
      else if (c === '*' && !inRange) break;
    }
    return [star, start, i];
  };

  // Reads one possibly escaped class character; returns [rune, next index].
  const getEsc = (ci: number, end: number): [string, number] => {
    if (ci >= end || p[ci] === '-' || p[ci] === ']') fail();
    if (p[ci] === '\\') {
      ci++;
      if (ci >= end) fail();
    }
    const r = p[ci] as string;
    ci++;
    if (ci >= end) fail();
    return [r, ci];
  };

  /** Matches chunk p[cs..ce) at the start of n[si..]; returns the index after it, or -1. */
  const matchChunk = (cs: number, ce: number, si: number): number => {
    let failed = false;
    let ci = cs;
    while (ci < ce) {
      if (!failed && si >= n.length) failed = true;
      const c = p[ci];
      if (c === '[') {
        let r = '';
        if (!failed) r = n[si++] as string;
        ci++;
        let negated = false;
        if (ci < ce && p[ci] === '^') {
          negated = true;
          ci++;
        }
        let matched = false;
        let ranges = 0;
        for (;;) {
          if (ci < ce && p[ci] === ']' && ranges > 0) {
            ci++;
            break;
          }
          const [lo, afterLo] = getEsc(ci, ce);
          ci = afterLo;
          let hi = lo;
          if (p[ci] === '-') {
            const [h, afterHi] = getEsc(ci + 1, ce);
            hi = h;
            ci = afterHi;
          }
          const rc = r.codePointAt(0) ?? -1;
          if ((lo.codePointAt(0) as number) <= rc && rc <= (hi.codePointAt(0) as number)) matched = true;
          ranges++;
        }
        if (matched === negated) failed = true;
      } else if (c === '?') {
        if (!failed) {
          if (n[si] === '/') failed = true;
          si++;
        }
        ci++;
      } else {
        if (c === '\\') {
          ci++;
          if (ci >= ce) fail();
        }
        if (!failed) {
          if (p[ci] !== n[si]) failed = true;
          si++;
        }
        ci++;
      }
    }
    return failed ? -1 : si;
  };

  outer: while (pi < p.length) {
    const [star, cs, ce] = scanChunk(pi);
    pi = ce;
    if (star && cs === ce) {
      // A trailing star matches the rest unless it holds a slash.
      return !n.slice(ni).includes('/');
    }
    const t = matchChunk(cs, ce, ni);
    if (t >= 0 && (t === n.length || pi < p.length)) {
      ni = t;
      continue;
    }
    if (star) {
      for (let i = ni; i < n.length && n[i] !== '/'; i++) {
        const t2 = matchChunk(cs, ce, i + 1);
        if (t2 >= 0) {
          if (pi === p.length && t2 < n.length) continue;
          ni = t2;
          continue outer;
        }
      }
    }
    // No match; Go still reports a malformed remainder as an error.
    while (pi < p.length) {
      const [, cs2, ce2] = scanChunk(pi);
      pi = ce2;
      matchChunk(cs2, ce2, n.length);
    }
    return false;
  }
  return ni === n.length;
}

/**
 * Whether a pattern has a character class or an escape: the only parts that can be malformed or
 * match a `/`; without them `*` and `?` stay inside one path segment.
 */
export function hasClassOrEscape(pattern: string): boolean {
  return /[[\\]/.test(pattern);
}

const SURROGATE = /[\ud800-\udfff]/;
const STAR = 42;
const QUESTION = 63;
const SLASH = 47;

/**
 * path.Match for a pattern of literals, `*` and `?`: neither wildcard matches `/`. Backtracking
 * to the last star suffices: a `/` in the name is matched by a literal `/` alone, which pins
 * every earlier star.
 */
function starMatch(p: string, n: string): boolean {
  let pi = 0;
  let ni = 0;
  let starP = -1;
  let starN = 0;
  while (ni < n.length) {
    const pc = pi < p.length ? p.charCodeAt(pi) : -1;
    const nc = n.charCodeAt(ni);
    if (pc === STAR) {
      starP = pi++;
      starN = ni;
      continue;
    }
    if (pc !== -1 && (pc === QUESTION ? nc !== SLASH : pc === nc)) {
      pi++;
      ni++;
      continue;
    }
    if (starP >= 0 && n.charCodeAt(starN) !== SLASH) {
      pi = starP + 1;
      ni = ++starN;
      continue;
    }
    return false;
  }
  while (pi < p.length && p.charCodeAt(pi) === STAR) pi++;
  return pi === p.length;
}

/** Whether the pattern contains any of path.Match's special characters. */
export function hasGlobMeta(pattern: string): boolean {
  return /[*?[\\]/.test(pattern);
}

/** Checks a pattern's syntax the way Go would on first use; returns the error or undefined. */
export function goPathPatternError(pattern: string): BadPatternError | undefined {
  try {
    goPathMatch(pattern, '');
    return undefined;
  } catch (e) {
    if (e instanceof BadPatternError) return e;
    throw e;
  }
}
