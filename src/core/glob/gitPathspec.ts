/**
 * `git ls-files -- <pattern>` matching, which the Argo CD git files generator uses (its default
 * "old" globbing). Git's default pathspec matching is not shell globbing: wildcards go through
 * `wildmatch` without WM_PATHNAME, so `*`, `**` and `?` all cross `/` (`apps/*.yaml` finds YAML
 * files at any depth), and a pattern without wildcards matches that path or anything below it.
 */

const WILDCARD = /[*?[\\]/;

/** Whether `path` (repository-relative, `/`-separated, a file) is selected by `pattern`. */
export function gitPathspecMatch(pattern: string, path: string): boolean {
  let p = pattern;
  while (p.startsWith('./')) p = p.slice(2);
  if (p === '.' || p === '') return true;
  const firstWild = p.search(WILDCARD);
  if (firstWild < 0) {
    if (p.endsWith('/')) return path.startsWith(p);
    return path === p || path.startsWith(`${p}/`);
  }
  // The literal prefix must match byte for byte before wildmatch takes over.
  if (!path.startsWith(p.slice(0, firstWild))) return false;
  return wildmatch(p.slice(firstWild), path.slice(firstWild));
}

const CLASSES: Record<string, (c: string) => boolean> = {
  alnum: (c) => /[A-Za-z0-9]/.test(c),
  alpha: (c) => /[A-Za-z]/.test(c),
  blank: (c) => c === ' ' || c === '\t',
  cntrl: (c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127,
  digit: (c) => /[0-9]/.test(c),
  graph: (c) => c.charCodeAt(0) > 32 && c.charCodeAt(0) < 127,
  lower: (c) => /[a-z]/.test(c),
  print: (c) => c.charCodeAt(0) >= 32 && c.charCodeAt(0) < 127,
  punct: (c) => /[!-/:-@[-`{-~]/.test(c),
  space: (c) => /[ \t\n\r\f\v]/.test(c),
  upper: (c) => /[A-Z]/.test(c),
  xdigit: (c) => /[0-9A-Fa-f]/.test(c),
};

/**
 * Git's wildmatch with no flags. Returns false for a malformed class (git aborts the match).
 * Iterative with one backtrack point per star, which is exact because `*` matches any run.
 */
export function wildmatch(pattern: string, text: string): boolean {
  let pi = 0;
  let ti = 0;
  let starP = -1;
  let starT = 0;
  while (ti < text.length) {
    const c = pattern[pi];
    if (c === '*') {
      while (pattern[pi] === '*') pi++;
      if (pi === pattern.length) return true;
      starP = pi;
      starT = ti;
      continue;
    }
    let step: number | false;
    if (c === undefined) step = false;
    else if (c === '?') step = 1;
    else if (c === '[') {
      const r = matchClass(pattern, pi, text[ti] as string);
      if (r === 'abort') return false;
      step = r.matched ? r.next - pi : false;
    } else if (c === '\\') {
      step = pi + 1 < pattern.length && pattern[pi + 1] === text[ti] ? 2 : false;
    } else step = c === text[ti] ? 1 : false;

    if (step !== false) {
      pi += step;
      ti++;
      continue;
    }
    if (starP < 0) return false;
    pi = starP;
    ti = ++starT;
  }
  while (pattern[pi] === '*') pi++;
  return pi === pattern.length;
}

function matchClass(p: string, start: number, ch: string): { matched: boolean; next: number } | 'abort' {
  let i = start + 1;
  let negated = false;
  if (p[i] === '!' || p[i] === '^') {
    negated = true;
    i++;
  }
  let matched = false;
  let first = true;
  for (;;) {
    if (i >= p.length) return 'abort';
    let c = p[i] as string;
    if (c === ']' && !first) {
      i++;
      break;
    }
    first = false;
    if (c === '[' && p[i + 1] === ':') {
      const end = p.indexOf(':]', i + 2);
      if (end < 0) return 'abort';
      const test = CLASSES[p.slice(i + 2, end)];
      if (!test) return 'abort';
      if (test(ch)) matched = true;
      i = end + 2;
      continue;
    }
    if (c === '\\') {
      i++;
      if (i >= p.length) return 'abort';
      c = p[i] as string;
    }
    if (p[i + 1] === '-' && p[i + 2] !== undefined && p[i + 2] !== ']') {
      let hi = p[i + 2] as string;
      let skip = 3;
      if (hi === '\\') {
        hi = p[i + 3] ?? '';
        skip = 4;
        if (!hi) return 'abort';
      }
      if (c <= ch && ch <= hi) matched = true;
      i += skip;
      continue;
    }
    if (c === ch) matched = true;
    i++;
  }
  return { matched: matched !== negated, next: i };
}
