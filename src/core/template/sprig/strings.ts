/**
 * sprig string functions (strings.go, goutils, xstrings). Several goutils helpers walk strings
 * byte by byte and write each byte back as a rune; that mangles non-ASCII text in Go, and the port
 * keeps that behaviour on purpose so output matches Argo CD byte for byte.
 */
import { GoFuncDef, GoValue, elemTypeOf, goBytesToString, goStringToBytes, typedMap } from '../value';
import {
  byteLen,
  byteSlice,
  goPanic,
  goToLower,
  goToUpper,
  isAlphabetRune,
  isList,
  isLetter,
  isDigit,
  isLower,
  isNumber,
  isPunct,
  isSpace,
  isStringer,
  isTitle,
  isUpper,
  num,
  runeLower,
  runeTitle,
  runeUpper,
  runes,
  str,
  stringSlice,
  strval,
  trimCutset,
  trimSpace,
  GO_STRING,
} from './util';
import { compareGoStrings, formatValue, quote } from '../fmt';

type Defs = Record<string, GoFuncDef>;

const MAX_REPEAT_LENGTH = 16 * 1024 * 1024;

export function goRepeat(s: string, count: number): string {
  if (count < 0) goPanic('strings: negative Repeat count');
  // Go would build it; here a 500 MB string would stall the editor. Far above real use.
  if (s.length * count > MAX_REPEAT_LENGTH) goPanic(`Home-Ops does not build strings of more than ${MAX_REPEAT_LENGTH} characters with repeat`);
  return s.repeat(count);
}

/** Bytes of s as Latin-1 code points: what Go's `buf.WriteRune(rune(s[i]))` produces. */
function bytesAsRunes(s: string): number[] {
  return [...goStringToBytes(s)];
}
const BYTE_SPACE = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0]);

function nospace(s: string): string {
  if (s === '') return s;
  const bytes = bytesAsRunes(s);
  const kept = bytes.filter((b) => !BYTE_SPACE.has(b));
  if (kept.length === bytes.length) return s;
  return String.fromCharCode(...kept);
}

function initials(s: string): string {
  if (s === '') return s;
  let out = '';
  let gap = true;
  for (const b of bytesAsRunes(s)) {
    if (BYTE_SPACE.has(b)) gap = true;
    else if (gap) {
      out += String.fromCharCode(b);
      gap = false;
    }
  }
  return out;
}

function swapcase(s: string): string {
  let ws = true;
  return runes(s)
    .map((ch) => {
      if (isUpper(ch) || isTitle(ch)) {
        ws = false;
        return runeLower(ch);
      }
      if (isLower(ch)) {
        if (ws) {
          ws = false;
          return runeTitle(ch);
        }
        return runeUpper(ch);
      }
      ws = isSpace(ch);
      return ch;
    })
    .join('');
}

function untitle(s: string): string {
  let next = true;
  return runes(s)
    .map((ch) => {
      if (isSpace(ch)) next = true;
      else if (next) {
        next = false;
        return runeLower(ch);
      }
      return ch;
    })
    .join('');
}

/** strings.Title (deprecated in Go, but what sprig calls). */
function title(s: string): string {
  let prev = ' ';
  return runes(s)
    .map((r) => {
      const sep = isTitleSeparator(prev);
      prev = r;
      return sep ? runeTitle(r) : r;
    })
    .join('');
}
function isTitleSeparator(r: string): boolean {
  const cp = r.codePointAt(0) as number;
  if (cp <= 0x7f) return !/[0-9A-Za-z_]/.test(r);
  if (isLetter(r) || isDigit(r)) return false;
  return isSpace(r);
}

// xstrings word splitting, for snakecase/kebabcase/camelcase -------------------------------------

const isConnector = (r: string): boolean => r === '-' || r === '_' || isSpace(r);

enum W {
  Invalid,
  Number,
  Upper,
  Alphabet,
  Connector,
  Punct,
  Other,
}

/** Next word of rs starting at pos: [type, end]. */
function nextWord(rs: string[], pos: number): [W, number] {
  const n = rs.length;
  if (pos >= n) return [W.Invalid, pos];
  let r = rs[pos] as string;
  let i = pos + 1;
  const take = (pred: (c: string) => boolean): void => {
    while (i < n && pred(rs[i] as string)) i++;
  };
  if (isConnector(r)) {
    take(isConnector);
    return [W.Connector, i];
  }
  if (isPunct(r)) {
    take(isPunct);
    return [W.Punct, i];
  }
  if (isUpper(r)) {
    if (i >= n) return [W.Upper, i];
    r = rs[i] as string;
    if (isUpper(r)) {
      i++;
      while (i < n) {
        r = rs[i] as string;
        if (!isUpper(r)) break;
        i++;
      }
      // "HTTPStatus" splits into "HTTP" and "Status": the last capital starts the next word.
      if (i < n && isAlphabetRune(r)) i--;
    } else if (isAlphabetRune(r)) {
      take((c) => isAlphabetRune(c) && !isUpper(c));
    }
    return [W.Upper, i];
  }
  if (isAlphabetRune(r)) {
    take((c) => isAlphabetRune(c) && !isUpper(c));
    return [W.Alphabet, i];
  }
  if (isNumber(r)) {
    take(isNumber);
    return [W.Number, i];
  }
  take((c) => !(isConnector(c) || isAlphabetRune(c) || isNumber(c) || isPunct(c)));
  return [W.Other, i];
}

function lowerWord(wt: W, word: string[], connector: string): string {
  if (wt !== W.Upper && wt !== W.Connector) return word.join('');
  return word.map((r) => (isConnector(r) ? connector : isUpper(r) ? runeLower(r) : r)).join('');
}

function camelCaseToLowerCase(s: string, connector: string): string {
  if (s === '') return '';
  const rs = runes(s);
  let out = '';
  let start = 0;
  let [wt, end]: [W, number] = nextWord(rs, 0);
  let word = rs.slice(start, end);
  const advance = (): void => {
    start = end;
    [wt, end] = nextWord(rs, start);
    word = rs.slice(start, end);
  };
  while (end < rs.length) {
    if (wt !== W.Connector) out += lowerWord(wt, word, connector);
    const prev = wt;
    const last = word;
    advance();
    if (prev === W.Number) {
      while (wt === W.Alphabet || wt === W.Number) {
        out += lowerWord(wt, word, connector);
        advance();
      }
      if (wt !== W.Invalid && wt !== W.Punct && wt !== W.Connector) out += connector;
    } else if (prev === W.Connector) {
      out += lowerWord(prev, last, connector);
    } else if (prev === W.Punct) {
      // nothing between punctuation and the next word
    } else {
      if (wt !== W.Number) {
        if (wt !== W.Connector && wt !== W.Punct) out += connector;
        continue;
      }
      if (end >= rs.length) continue;
      const numWord = word;
      advance();
      if ((wt as W) !== W.Alphabet) {
        // a number right after a word belongs to it: "Bld4Floor" → "bld4_floor"
        out += lowerWord(W.Number, numWord, connector);
        if ((wt as W) !== W.Connector && (wt as W) !== W.Punct) out += connector;
        continue;
      }
      // lower-case letters after a number start a new word with it: "HTTP2xx" → "http_2xx"
      out += connector + lowerWord(W.Number, numWord, connector);
      while ((wt as W) === W.Alphabet || (wt as W) === W.Number) {
        out += lowerWord(wt, word, connector);
        advance();
      }
      if ((wt as W) !== W.Invalid && (wt as W) !== W.Connector && (wt as W) !== W.Punct) out += connector;
    }
  }
  return out + lowerWord(wt, word, connector);
}

function toPascalCase(s: string): string {
  if (s === '') return '';
  const rs = runes(s);
  let out = '';
  let i = 0;
  let r0 = '';
  let firstUpper = false;
  // leading connectors are kept
  while (i < rs.length) {
    r0 = rs[i++] as string;
    if (!isConnector(r0)) {
      firstUpper = isUpper(r0);
      r0 = runeUpper(r0);
      break;
    }
    out += r0;
  }
  // Go writes the last rune read even when the whole string was connectors ("__" → "___")
  if (i >= rs.length) return out + r0;
  while (i < rs.length) {
    const r1 = r0;
    r0 = rs[i++] as string;
    if (isConnector(r0) && isConnector(r1)) {
      out += r1;
      continue;
    }
    if (isConnector(r1)) {
      firstUpper = isUpper(r0);
      r0 = runeUpper(r0);
    } else {
      if (firstUpper) {
        if (isUpper(r0)) r0 = runeLower(r0);
        else firstUpper = false;
      }
      out += r1;
    }
  }
  return out + r0;
}

// goutils word wrapping and abbreviation (byte based) -------------------------------------------

function wrapCustom(s: string, wrapLength: number, newLine: string, wrapLongWords: boolean): string {
  if (s === '') return '';
  if (newLine === '') newLine = '\n';
  if (wrapLength < 1) wrapLength = 1;
  const b = Buffer.from(goStringToBytes(s));
  const nl = Buffer.from(goStringToBytes(newLine));
  const parts: Buffer[] = [];
  const len = b.length;
  let offset = 0;
  while (len - offset > wrapLength) {
    if (b[offset] === 0x20) {
      offset++;
      continue;
    }
    const end = wrapLength + offset + 1;
    const at = b.subarray(offset, end).lastIndexOf(0x20);
    if (at >= 0) {
      parts.push(b.subarray(offset, offset + at), nl);
      offset = offset + at + 1;
    } else if (wrapLongWords) {
      parts.push(b.subarray(offset, wrapLength + offset), nl);
      offset += wrapLength;
    } else {
      const e = wrapLength + offset;
      const idx = b.subarray(e).indexOf(0x20);
      if (idx === -1) {
        parts.push(b.subarray(offset));
        offset = len;
      } else {
        parts.push(b.subarray(offset, idx + e), nl);
        offset = idx + e + 1;
      }
    }
  }
  parts.push(b.subarray(offset));
  return goBytesToString(Buffer.concat(parts));
}

/** goutils.AbbreviateFull; undefined where it returns an error (sprig then yields ""). */
function abbreviateFull(s: string, offset: number, maxWidth: number): string | undefined {
  if (s === '') return '';
  if (maxWidth < 4) return undefined;
  const len = byteLen(s);
  if (len <= maxWidth) return s;
  if (offset > len) offset = len;
  if (len - offset < maxWidth - 3) offset = len - (maxWidth - 3);
  if (offset <= 4) return byteSlice(s, 0, maxWidth - 3) + '...';
  if (maxWidth < 7) return undefined;
  if (offset + maxWidth - 3 < len) return '...' + (abbreviateFull(byteSlice(s, offset, undefined), 0, maxWidth - 3) ?? '');
  return '...' + byteSlice(s, len - (maxWidth - 3), len);
}

function trunc(c: number, s: string): string {
  const len = byteLen(s);
  if (c < 0 && len + c > 0) return byteSlice(s, len + c, undefined);
  if (c >= 0 && len > c) return byteSlice(s, 0, c);
  return s;
}

function substr(start: number, end: number, s: string): string {
  if (start < 0) return byteSlice(s, undefined, end);
  if (end < 0 || end > byteLen(s)) return byteSlice(s, start, undefined);
  return byteSlice(s, start, end);
}

/** strings.SplitN (n < 0: all parts). */
export function goSplitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const rs = runes(s);
    if (n < 0 || n >= rs.length) return rs;
    return [...rs.slice(0, n - 1), rs.slice(n - 1).join('')];
  }
  const all = s.split(sep);
  if (n < 0 || n >= all.length) return all;
  return [...all.slice(0, n - 1), all.slice(n - 1).join(sep)];
}

function indexedMap(parts: string[]): GoValue {
  const m: Record<string, GoValue> = {};
  parts.forEach((p, i) => (m[`_${i}`] = p));
  return typedMap(m, 'string');
}

/** sprig's strslice: any list to []string, dropping nils; a scalar becomes a one-element list. */
export function strslice(v: GoValue): string[] {
  if (isList(v)) {
    if (elemTypeOf(v) === 'string') return v as string[];
    return stringSlice(v.filter((x) => x !== null).map(strval));
  }
  if (v === null) return stringSlice([]);
  return stringSlice([strval(v)]);
}

function sortAlpha(v: GoValue): GoValue {
  if (!isList(v)) return stringSlice([strval(v)]);
  // sort.StringSlice sorts in place; a []string argument is reordered in the caller too
  const a = strslice(v);
  a.sort(compareGoStrings);
  return a;
}

/** `%v` of one operand, honouring Stringers. */
export function vfmt(v: GoValue): string {
  return isStringer(v) ? v[GO_STRING]() : formatValue(v);
}

const S = ['string'] as const;

export const stringFuncs: Defs = {
  hello: { params: [], fn: () => 'Hello!' },
  abbrev: { params: ['int', 'string'], fn: (w, s) => (num(w) < 4 ? str(s) : (abbreviateFull(str(s), 0, num(w)) ?? '')) },
  abbrevboth: {
    params: ['int', 'int', 'string'],
    fn: (l, r, s) => {
      const left = num(l);
      const right = num(r);
      if (right < 4 || (left > 0 && right < 7)) return str(s);
      return abbreviateFull(str(s), left, right) ?? '';
    },
  },
  trunc: { params: ['int', 'string'], fn: (c, s) => trunc(num(c), str(s)) },
  trim: { params: S, fn: (s) => trimSpace(str(s)) },
  upper: { params: S, fn: (s) => goToUpper(str(s)) },
  lower: { params: S, fn: (s) => goToLower(str(s)) },
  title: { params: S, fn: (s) => title(str(s)) },
  untitle: { params: S, fn: (s) => untitle(str(s)) },
  substr: { params: ['int', 'int', 'string'], fn: (a, b, s) => substr(num(a), num(b), str(s)) },
  repeat: { params: ['int', 'string'], fn: (c, s) => goRepeat(str(s), num(c)) },
  trimall: { params: ['string', 'string'], fn: (a, b) => trimCutset(str(b), str(a)) },
  trimAll: { params: ['string', 'string'], fn: (a, b) => trimCutset(str(b), str(a)) },
  trimSuffix: {
    params: ['string', 'string'],
    fn: (a, b) => (str(b).endsWith(str(a)) ? str(b).slice(0, str(b).length - str(a).length) : str(b)),
  },
  trimPrefix: { params: ['string', 'string'], fn: (a, b) => (str(b).startsWith(str(a)) ? str(b).slice(str(a).length) : str(b)) },
  nospace: { params: S, fn: (s) => nospace(str(s)) },
  initials: { params: S, fn: (s) => initials(str(s)) },
  swapcase: { params: S, fn: (s) => swapcase(str(s)) },
  shuffle: {
    params: S,
    fn: (s) => {
      const rs = runes(str(s));
      for (let i = rs.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [rs[i], rs[j]] = [rs[j] as string, rs[i] as string];
      }
      return rs.join('');
    },
  },
  snakecase: { params: S, fn: (s) => camelCaseToLowerCase(str(s), '_') },
  kebabcase: { params: S, fn: (s) => camelCaseToLowerCase(str(s), '-') },
  camelcase: { params: S, fn: (s) => toPascalCase(str(s)) },
  wrap: { params: ['int', 'string'], fn: (l, s) => wrapCustom(str(s), num(l), '', false) },
  wrapWith: { params: ['int', 'string', 'string'], fn: (l, sep, s) => wrapCustom(str(s), num(l), str(sep), true) },
  contains: { params: ['string', 'string'], fn: (a, b) => str(b).includes(str(a)) },
  hasPrefix: { params: ['string', 'string'], fn: (a, b) => str(b).startsWith(str(a)) },
  hasSuffix: { params: ['string', 'string'], fn: (a, b) => str(b).endsWith(str(a)) },
  quote: {
    params: [],
    variadic: 'interface {}',
    fn: (...xs) => xs.filter((x) => x !== null).map((x) => quote(strval(x))).join(' '),
  },
  squote: {
    params: [],
    variadic: 'interface {}',
    fn: (...xs) => xs.filter((x) => x !== null).map((x) => `'${vfmt(x)}'`).join(' '),
  },
  cat: { params: [], variadic: 'interface {}', fn: (...xs) => xs.filter((x) => x !== null).map(vfmt).join(' ') },
  indent: { params: ['int', 'string'], fn: (n, s) => indent(num(n), str(s)) },
  nindent: { params: ['int', 'string'], fn: (n, s) => '\n' + indent(num(n), str(s)) },
  replace: { params: ['string', 'string', 'string'], fn: (o, n, s) => goReplaceAll(str(s), str(o), str(n)) },
  plural: { params: ['string', 'string', 'int'], fn: (one, many, c) => (num(c) === 1 ? str(one) : str(many)) },
  toStrings: { params: ['interface {}'], fn: (v) => strslice(v as GoValue) },
  split: { params: ['string', 'string'], fn: (sep, s) => indexedMap(goSplitN(str(s), str(sep), -1)) },
  splitList: { params: ['string', 'string'], fn: (sep, s) => stringSlice(goSplitN(str(s), str(sep), -1)) },
  splitn: { params: ['string', 'int', 'string'], fn: (sep, n, s) => indexedMap(goSplitN(str(s), str(sep), num(n))) },
  join: { params: ['string', 'interface {}'], fn: (sep, v) => strslice(v as GoValue).join(str(sep)) },
  sortAlpha: { params: ['interface {}'], fn: (v) => sortAlpha(v as GoValue) },
};

// a `toString` key in the literal would be typed against Object.prototype.toString
stringFuncs['toString'] = { params: ['interface {}'], fn: (v) => strval(v as GoValue) };

function indent(n: number, s: string): string {
  const pad = goRepeat(' ', n);
  return pad + s.split('\n').join('\n' + pad);
}

/** strings.Replace(s, old, new, -1); an empty `old` inserts between runes, as Go does. */
export function goReplaceAll(s: string, old: string, rep: string): string {
  if (old === '') {
    const rs = runes(s);
    return rep + rs.map((r) => r + rep).join('');
  }
  return s.split(old).join(rep);
}

