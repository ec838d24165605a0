/**
 * sprig regex functions on Go's RE2 syntax. Patterns are translated to JS (always with the `u`
 * flag) so that the constructs whose meaning differs map to what Go means: `.` never matches
 * `\n` unless `(?s)` but does match `\r`; `\s` is `[\t\n\f\r ]`; `^`/`$` follow `(?m)`; inline
 * and scoped flags `(?i)`, `(?s)`, `(?m)`, `(?U)`; `(?P<n>…)`; `\A`, `\z`, `\Q…\E`, POSIX
 * classes, `\pN`. Iteration (FindAll, ReplaceAll, Split) follows Go's rules for empty matches,
 * and `$1`/`${name}` expansion follows `regexp.Expand`. Go's parse errors are reproduced for
 * the common mistakes.
 */
import { canBackquote, quote } from '../fmt';
import { GoFuncDef, GoValue } from '../value';
import { runeLower, runeUpper, num, str, stringSlice } from './util';

type Defs = Record<string, GoFuncDef>;

export class RegexSyntaxError extends Error {}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

export interface GoRegexp {
  source: string;
  re: RegExp;
  /** Capture group names by index (index 0 and unnamed groups are ""). */
  names: string[];
}

function perr(code: string, expr: string): never {
  throw new RegexSyntaxError(`error parsing regexp: ${code}: \`${expr}\``);
}

const cp = (c: string): string => `\\u{${(c.codePointAt(0) as number).toString(16)}}`;

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};
// complements within a class, since JS classes without the `v` flag cannot nest negations
const NOT: Record<string, string> = {
  d: '\\x00-/:-\\u{10ffff}',
  s: '\\x00-\\x08\\x0b\\x0e-\\x1f!-\\u{10ffff}',
  w: '\\x00-/:-@\\[-\\^`{-\\u{10ffff}',
};

const GENERAL_CATEGORIES = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '),
);

function unicodeClass(name: string, negated: boolean, text: string): string {
  let neg = negated;
  if (name.startsWith('^')) {
    neg = !neg;
    name = name.slice(1);
  }
  let body: string;
  if (name === 'Any') return neg ? '[^\\s\\S]' : '[\\s\\S]';
  if (GENERAL_CATEGORIES.has(name)) body = name;
  else if (/^[A-Z][A-Za-z_]*$/.test(name)) {
    body = `Script=${name}`;
    try {
      new RegExp(`\\p{${body}}`, 'u');
    } catch {
      perr('invalid character class range', text);
    }
  } else perr('invalid character class range', text);
  return `\\${neg ? 'P' : 'p'}{${body}}`;
}

// Case-folding orbits with members beyond upper/lower (unicode.SimpleFold), for scoped (?i)
const FOLD_EXTRA: Record<string, string[]> = {
  k: ['\u212a'], K: ['\u212a'], '\u212a': ['k', 'K'],
  s: ['\u017f'], S: ['\u017f'], '\u017f': ['s', 'S'],
  '\u00e5': ['\u212b'], '\u00c5': ['\u212b'], '\u212b': ['\u00e5', '\u00c5'],
  '\u00b5': ['\u03bc', '\u039c'], '\u03bc': ['\u00b5'], '\u039c': ['\u00b5'],
};

function caseVariants(c: string): string[] {
  const set = new Set([c, runeUpper(c), runeLower(c), ...(FOLD_EXTRA[c] ?? [])]);
  return [...set];
}

/** Translates Go RE2 syntax into an equivalent JS pattern (for the `u` flag). */
export function translate(expr: string): { pattern: string; names: string[]; ignoreCase: boolean } {
  const names: string[] = [''];
  // A pattern that is case-insensitive throughout uses the JS `i` flag, whose Unicode case
  // folding is the same as RE2's; scoped (?i) is expanded into character alternatives.
  const ignoreCase = /^\(\?[msU]*i[imsU]*\)/.test(expr) && !/\(\?[imsU]*-/.test(expr);
  let i = 0;
  const n = expr.length;
  let out = '';
  let flags: Flags = { i: false, m: false, s: false, U: false };
  const stack: Array<{ flags: Flags }> = [];
  // whether the previous token can take a repetition, and whether it already is one
  let canRepeat = false;
  let lastRepeat = '';

  const literal = (c: string): string => {
    if (flags.i && !ignoreCase) {
      const v = caseVariants(c);
      if (v.length > 1) return '[' + v.map(cp).join('') + ']';
    }
    return /[\w]/.test(c) ? c : cp(c);
  };

  /** Parses an escape at expr[i] === '\\'; returns [JS text usable in a class or outside, isClassItem]. */
  const escape = (inClass: boolean): { js: string; char?: string } => {
    const start = i;
    i++;
    if (i >= n) perr('trailing backslash at end of expression', '');
    const c = expr[i] as string;
    i++;
    switch (c) {
      case 'd':
      case 'w':
        return { js: '\\' + c };
      case 'D':
      case 'W':
        return { js: inClass ? NOT[c.toLowerCase()] ?? '' : '\\' + c };
      case 's':
        return { js: inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]' };
      case 'S':
        return { js: inClass ? NOT.s ?? '' : '[^\\t\\n\\f\\r ]' };
      case 'a':
        return { js: '\\x07', char: '\x07' };
      case 'f':
        return { js: '\\f', char: '\f' };
      case 't':
        return { js: '\\t', char: '\t' };
      case 'n':
        return { js: '\\n', char: '\n' };
      case 'r':
        return { js: '\\r', char: '\r' };
      case 'v':
        return { js: '\\v', char: '\v' };
      case 'p':
      case 'P': {
        let name: string;
        if (expr[i] === '{') {
          const end = expr.indexOf('}', i);
          if (end < 0) perr('invalid character class range', expr.slice(start));
          name = expr.slice(i + 1, end);
          i = end + 1;
        } else {
          name = expr[i] ?? '';
          i++;
        }
        const u = unicodeClass(name, c === 'P', expr.slice(start, i));
        return { js: inClass && u.startsWith('[') ? (c === 'P' ? '' : '\\s\\S') : u };
      }
      case 'x': {
        let hex: string;
        if (expr[i] === '{') {
          const end = expr.indexOf('}', i);
          hex = end < 0 ? '' : expr.slice(i + 1, end);
          if (!/^[0-9a-fA-F]+$/.test(hex) || parseInt(hex, 16) > 0x10ffff) perr('invalid escape sequence', expr.slice(start, end < 0 ? n : end + 1));
          i = end + 1;
        } else {
          hex = expr.slice(i, i + 2);
          if (!/^[0-9a-fA-F]{2}$/.test(hex)) perr('invalid escape sequence', expr.slice(start, i + hex.length));
          i += 2;
        }
        const ch = String.fromCodePoint(parseInt(hex, 16));
        return { js: cp(ch), char: ch };
      }
      default:
        break;
    }
    if (c >= '0' && c <= '7') {
      // a lone \1-\7 would be a backreference, which RE2 does not have
      if (c !== '0' && !(expr[i] !== undefined && expr[i]! >= '0' && expr[i]! <= '7')) perr('invalid escape sequence', expr.slice(start, i));
      let digits = c;
      while (digits.length < 3 && expr[i] !== undefined && expr[i]! >= '0' && expr[i]! <= '7') digits += expr[i++];
      const ch = String.fromCodePoint(parseInt(digits, 8));
      return { js: cp(ch), char: ch };
    }
    if ((c.codePointAt(0) as number) < 0x80 && !/[0-9A-Za-z]/.test(c)) return { js: cp(c), char: c };
    return perr('invalid escape sequence', expr.slice(start, i));
  };

  const parseClass = (): string => {
    const start = i;
    i++;
    let neg = false;
    if (expr[i] === '^') {
      neg = true;
      i++;
    }
    const parts: string[] = [];
    let first = true;
    while (i < n && (expr[i] !== ']' || first)) {
      first = false;
      // POSIX class
      if (expr[i] === '[' && expr[i + 1] === ':') {
        const end = expr.indexOf(':]', i + 2);
        if (end >= 0) {
          let name = expr.slice(i + 2, end);
          const text = expr.slice(i, end + 2);
          let pneg = false;
          if (name.startsWith('^')) {
            pneg = true;
            name = name.slice(1);
          }
          const body = POSIX[name];
          if (body === undefined) perr('invalid character class range', text);
          i = end + 2;
          if (pneg) {
            // complement of an ASCII set, as explicit ranges
            const re = new RegExp(`[${body}]`, 'u');
            let runStart = -1;
            const ranges: string[] = [];
            for (let k = 0; k <= 0x80; k++) {
              const inSet = k < 0x80 && re.test(String.fromCharCode(k));
              if (!inSet && runStart < 0) runStart = k;
              if (inSet && runStart >= 0) {
                ranges.push(`\\u{${runStart.toString(16)}}-\\u{${(k - 1).toString(16)}}`);
                runStart = -1;
              }
            }
            ranges.push(`\\u{${(runStart < 0 ? 0x80 : runStart).toString(16)}}-\\u{10ffff}`);
            parts.push(ranges.join(''));
          } else parts.push(body);
          continue;
        }
      }
      const itemStart = i;
      let lo: string | undefined;
      if (expr[i] === '\\') {
        const e = escape(true);
        if (e.char === undefined) {
          parts.push(e.js);
          continue;
        }
        lo = e.char;
      } else {
        lo = String.fromCodePoint(expr.codePointAt(i) as number);
        i += lo.length;
      }
      let hi = lo;
      if (expr[i] === '-' && i + 1 < n && expr[i + 1] !== ']') {
        i++;
        if (expr[i] === '\\') {
          const e = escape(true);
          if (e.char === undefined) perr('invalid character class range', expr.slice(itemStart, i));
          hi = e.char;
        } else {
          hi = String.fromCodePoint(expr.codePointAt(i) as number);
          i += hi.length;
        }
        if ((hi.codePointAt(0) as number) < (lo.codePointAt(0) as number)) perr('invalid character class range', expr.slice(itemStart, i));
      }
      parts.push(lo === hi ? cp(lo) : `${cp(lo)}-${cp(hi)}`);
      if (flags.i && !ignoreCase) {
        if (lo === hi) for (const v of caseVariants(lo)) parts.push(cp(v));
        else {
          for (const f of [runeUpper, runeLower]) {
            const a = f(lo);
            const b = f(hi);
            if (a !== lo || b !== hi) if ((b.codePointAt(0) as number) >= (a.codePointAt(0) as number)) parts.push(`${cp(a)}-${cp(b)}`);
          }
        }
      }
    }
    if (i >= n) perr('missing closing ]', expr.slice(start));
    i++; // ]
    // Go's negated classes match \n too, like JS's
    if (parts.length === 0) return neg ? '[\\s\\S]' : '[^\\s\\S]';
    return `[${neg ? '^' : ''}${parts.join('')}]`;
  };

  while (i < n) {
    const c = expr[i] as string;
    if (c === '\\' && expr[i + 1] === 'Q') {
      i += 2;
      const end = expr.indexOf('\\E', i);
      const lit = end < 0 ? expr.slice(i) : expr.slice(i, end);
      i = end < 0 ? n : end + 2;
      for (const ch of lit) out += literal(ch);
      canRepeat = lit.length > 0;
      lastRepeat = '';
      continue;
    }
    if (c === '\\') {
      const start = i;
      const next = expr[i + 1];
      if (next === 'A' || next === 'z' || next === 'b' || next === 'B') {
        i += 2;
        out += next === 'A' ? '(?<![\\s\\S])' : next === 'z' ? '(?![\\s\\S])' : '\\' + next;
        canRepeat = true;
        lastRepeat = '';
        continue;
      }
      const e = escape(false);
      out += e.char !== undefined ? literal(e.char) : e.js;
      void start;
      canRepeat = true;
      lastRepeat = '';
      continue;
    }
    if (c === '[') {
      out += parseClass();
      canRepeat = true;
      lastRepeat = '';
      continue;
    }
    if (c === '(') {
      if (expr[i + 1] === '?') {
        const rest = expr.slice(i);
        const named = /^\(\?P?</.exec(rest);
        if (named) {
          const end = rest.indexOf('>');
          if (end < 0) perr('invalid named capture', rest);
          const name = rest.slice(named[0].length, end);
          if (!/^[0-9A-Za-z_]+$/.test(name)) perr('invalid named capture', rest.slice(0, end + 1));
          if (names.includes(name)) perr('duplicate capture group name', name);
          names.push(name);
          stack.push({ flags });
          flags = { ...flags };
          out += '(';
          i += end + 1;
          canRepeat = false;
          lastRepeat = '';
          continue;
        }
        // flags: (?flags) or (?flags:re)
        let k = i + 2;
        let neg = false;
        const nf = { ...flags };
        let sawFlag = false;
        for (;;) {
          const f = expr[k];
          if (f === undefined) perr('missing closing )', expr);
          if (f === 'i' || f === 'm' || f === 's' || f === 'U') {
            nf[f] = !neg;
            sawFlag = true;
            k++;
            continue;
          }
          if (f === '-' && !neg) {
            neg = true;
            sawFlag = false;
            k++;
            continue;
          }
          if ((f === ')' || f === ':') && !(neg && !sawFlag)) {
            if (f === ')') {
              flags = nf;
              i = k + 1;
            } else {
              stack.push({ flags });
              flags = nf;
              out += '(?:';
              i = k + 1;
              canRepeat = false;
            }
            break;
          }
          perr('invalid or unsupported Perl syntax', expr.slice(i, k + 1));
        }
        lastRepeat = '';
        if (expr[k] === ')') canRepeat = false;
        continue;
      }
      names.push('');
      stack.push({ flags });
      flags = { ...flags };
      out += '(';
      i++;
      canRepeat = false;
      lastRepeat = '';
      continue;
    }
    if (c === ')') {
      const top = stack.pop();
      if (!top) perr('unexpected )', expr);
      flags = top.flags;
      out += ')';
      i++;
      canRepeat = true;
      lastRepeat = '';
      continue;
    }
    if (c === '|') {
      out += '|';
      i++;
      canRepeat = false;
      lastRepeat = '';
      continue;
    }
    let rep = '';
    if (c === '*' || c === '+' || c === '?') rep = c;
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(expr.slice(i));
      if (m) {
        rep = m[0];
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
        if (min > 1000 || max > 1000 || (max >= 0 && max < min)) perr('invalid repeat count', rep);
      }
    }
    if (rep !== '') {
      let opText = rep;
      let lazy = false;
      if (expr[i + rep.length] === '?') {
        lazy = true;
        opText += '?';
      }
      if (lastRepeat !== '') perr('invalid nested repetition operator', lastRepeat + opText);
      if (!canRepeat) perr('missing argument to repetition operator', opText);
      if (flags.U) lazy = !lazy;
      out += rep + (lazy ? '?' : '');
      i += opText.length;
      lastRepeat = opText;
      continue;
    }
    lastRepeat = '';
    canRepeat = true;
    i++;
    if (c === '.') out += flags.s ? '[\\s\\S]' : '[^\\n]';
    else if (c === '^') out += flags.m ? '(?<![^\\n])' : '(?<![\\s\\S])';
    else if (c === '$') out += flags.m ? '(?![^\\n])' : '(?![\\s\\S])';
    else {
      const ch = String.fromCodePoint(expr.codePointAt(i - 1) as number);
      i += ch.length - 1;
      out += literal(ch);
    }
  }
  if (stack.length > 0) perr('missing closing )', expr);
  return { pattern: out, names, ignoreCase };
}

const cache = new Map<string, GoRegexp>();

/** regexp.Compile; throws Go's error text. */
export function compile(expr: string): GoRegexp {
  let r = cache.get(expr);
  if (!r) {
    const t = translate(expr);
    r = { source: expr, re: new RegExp(t.pattern, t.ignoreCase ? 'giu' : 'gu'), names: t.names };
    if (cache.size > 500) cache.clear();
    cache.set(expr, r);
  }
  return r;
}

/** regexp.MustCompile: the panic text. */
function mustCompile(expr: string): GoRegexp {
  try {
    return compile(expr);
  } catch (e) {
    if (e instanceof RegexSyntaxError) {
      throw new Error(`regexp: Compile(${canBackquote(expr) ? '`' + expr + '`' : quote(expr)}): ${e.message}`);
    }
    throw e;
  }
}

function execAt(r: GoRegexp, s: string, pos: number): RegExpExecArray | null {
  r.re.lastIndex = pos;
  const m = r.re.exec(s);
  return m;
}

function width(s: string, pos: number): number {
  const c = s.codePointAt(pos);
  return c !== undefined && c > 0xffff ? 2 : 1;
}

/** Go's allMatches: successive matches, skipping an empty match right after the previous one. */
function allMatches(r: GoRegexp, s: string, limit: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let pos = 0;
  let prevEnd = -1;
  while ((limit < 0 || out.length < limit) && pos <= s.length) {
    const m = execAt(r, s, pos);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    let accept = true;
    if (end === pos) {
      if (start === prevEnd) accept = false;
      pos += pos < s.length ? width(s, pos) : 1;
    } else pos = end;
    prevEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

/** regexp.Expand of a `$` template. */
export function expand(template: string, m: RegExpExecArray, names: string[]): string {
  let out = '';
  let t = template;
  for (;;) {
    const k = t.indexOf('$');
    if (k < 0) break;
    out += t.slice(0, k);
    t = t.slice(k);
    if (t.length > 1 && t[1] === '$') {
      out += '$';
      t = t.slice(2);
      continue;
    }
    const ex = extract(t);
    if (!ex) {
      out += '$';
      t = t.slice(1);
      continue;
    }
    t = t.slice(ex.consumed);
    if (ex.num >= 0) out += ex.num < m.length ? (m[ex.num] ?? '') : '';
    else {
      const idx = names.indexOf(ex.name);
      if (idx > 0) out += m[idx] ?? '';
    }
  }
  return out + t;
}

function extract(t: string): { name: string; num: number; consumed: number } | undefined {
  if (t.length < 2 || t[0] !== '$') return undefined;
  let brace = false;
  let rest: string;
  if (t[1] === '{') {
    brace = true;
    rest = t.slice(2);
  } else rest = t.slice(1);
  const m = /^[\p{L}\p{Nd}_]+/u.exec(rest);
  if (!m) return undefined;
  const name = m[0];
  let consumed = (brace ? 2 : 1) + name.length;
  if (brace) {
    if (rest[name.length] !== '}') return undefined;
    consumed++;
  }
  let num = -1;
  if (/^[0-9]+$/.test(name) && name.length <= 8 && !(name[0] === '0' && name.length > 1)) num = Number(name);
  return { name, num, consumed };
}

/** Regexp.ReplaceAllString / ReplaceAllLiteralString. */
export function replaceAll(r: GoRegexp, s: string, repl: string, literal: boolean): string {
  let out = '';
  let lastEnd = 0;
  let pos = 0;
  while (pos <= s.length) {
    const m = execAt(r, s, pos);
    if (!m) break;
    const a0 = m.index;
    const a1 = a0 + m[0].length;
    out += s.slice(lastEnd, a0);
    // an empty match right after the previous match is not replaced
    if (a1 > lastEnd || a0 === 0) out += literal ? repl : expand(repl, m, r.names);
    lastEnd = a1;
    const w = pos < s.length ? width(s, pos) : 1;
    if (pos + w > a1) pos += w;
    else if (pos + 1 > a1) pos++;
    else pos = a1;
  }
  return out + s.slice(lastEnd);
}

/** Regexp.Split. */
export function split(r: GoRegexp, s: string, n: number): string[] {
  if (n === 0) return [];
  if (r.source.length > 0 && s.length === 0) return [''];
  const matches = allMatches(r, s, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    if (n > 0 && out.length === n - 1) break;
    end = m.index;
    const mEnd = m.index + m[0].length;
    if (mEnd !== 0) out.push(s.slice(beg, end));
    beg = mEnd;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

function matchString(expr: string, s: string): boolean {
  const r = compile(expr);
  return execAt(r, s, 0) !== null;
}

const SS = ['string', 'string'] as const;

export const regexFuncs: Defs = {
  regexMatch: {
    params: SS,
    fn: (re, s) => {
      try {
        return matchString(str(re), str(s));
      } catch (e) {
        if (e instanceof RegexSyntaxError) return false;
        throw e;
      }
    },
  },
  mustRegexMatch: { params: SS, fn: (re, s) => matchString(str(re), str(s)) },
  regexFindAll: {
    params: ['string', 'string', 'int'],
    fn: (re, s, n) => stringSlice(allMatches(mustCompile(str(re)), str(s), num(n)).map((m) => m[0])),
  },
  mustRegexFindAll: {
    params: ['string', 'string', 'int'],
    fn: (re, s, n) => stringSlice(allMatches(compile(str(re)), str(s), num(n)).map((m) => m[0])),
  },
  regexFind: { params: SS, fn: (re, s) => execAt(mustCompile(str(re)), str(s), 0)?.[0] ?? '' },
  mustRegexFind: { params: SS, fn: (re, s) => execAt(compile(str(re)), str(s), 0)?.[0] ?? '' },
  regexReplaceAll: {
    params: ['string', 'string', 'string'],
    fn: (re, s, repl) => replaceAll(mustCompile(str(re)), str(s), str(repl), false),
  },
  mustRegexReplaceAll: {
    params: ['string', 'string', 'string'],
    fn: (re, s, repl) => replaceAll(compile(str(re)), str(s), str(repl), false),
  },
  regexReplaceAllLiteral: {
    params: ['string', 'string', 'string'],
    fn: (re, s, repl) => replaceAll(mustCompile(str(re)), str(s), str(repl), true),
  },
  mustRegexReplaceAllLiteral: {
    params: ['string', 'string', 'string'],
    fn: (re, s, repl) => replaceAll(compile(str(re)), str(s), str(repl), true),
  },
  regexSplit: {
    params: ['string', 'string', 'int'],
    fn: (re, s, n) => stringSlice(split(mustCompile(str(re)), str(s), num(n))),
  },
  mustRegexSplit: {
    params: ['string', 'string', 'int'],
    fn: (re, s, n) => stringSlice(split(compile(str(re)), str(s), num(n))),
  },
  regexQuoteMeta: { params: ['string'], fn: (s) => quoteMeta(str(s)) },
};

export type { GoValue };
