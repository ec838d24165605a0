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
