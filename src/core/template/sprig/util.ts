/**
 * Shared helpers for the sprig port: Go string (byte) semantics, Go runtime panic texts, the
 * spf13/cast conversions sprig uses for arithmetic, and sprig's notion of "empty".
 */
import { formatValue } from '../fmt';
import { GO_STRING, GoInt, goBytesToString, goRunes, goStringToBytes, GoMap, GoType, GoValue, elemTypeOf, goKindName, goTypeName, isGoMap, typedMap, typedSlice } from '../value';

/**
 * Values that Go prints through a `String()` method (fmt.Stringer), e.g. `time.Time` and
 * `*semver.Version`. A registered symbol so the formatter can honour it without importing sprig.
 */
export { GO_STRING };

export interface GoStringer {
  [GO_STRING](): string;
}

export function isStringer(v: unknown): v is GoStringer {
  return typeof v === 'object' && v !== null && typeof (v as Partial<GoStringer>)[GO_STRING] === 'function';
}

export type Fn = (...args: GoValue[]) => GoValue;

/** Go panics and returned errors both surface as `error calling NAME: <text>`. */
export function goPanic(message: string): never {
  throw new Error(message);
}

export const NIL_DEREF = 'runtime error: invalid memory address or nil pointer dereference';

// ---------------------------------------------------------------------------------------------
// Strings are bytes in Go. Lengths and slicing in sprig are byte based, so slicing must happen
// on the UTF-8 encoding, not on UTF-16 code units.

const ASCII = /^[\x00-\x7f]*$/;

export function isAscii(s: string): boolean {
  return ASCII.test(s);
}

export function byteLen(s: string): number {
  return isAscii(s) ? s.length : goStringToBytes(s).length;
}

/** `s[lo:hi]` on the UTF-8 bytes, with Go's bounds panics. */
export function byteSlice(s: string, lo: number | undefined, hi: number | undefined): string {
  const ascii = isAscii(s);
  const len = ascii ? s.length : goStringToBytes(s).length;
  const h = hi ?? len;
  const l = lo ?? 0;
  if (hi !== undefined) {
    if (h < 0) goPanic(`runtime error: slice bounds out of range [:${h}]`);
    if (h > len) goPanic(`runtime error: slice bounds out of range [:${h}] with length ${len}`);
  }
  if (l < 0) goPanic(`runtime error: slice bounds out of range [${l}:]`);
  if (l > h) goPanic(`runtime error: slice bounds out of range [${l}:${h}]`);
  if (ascii) return s.slice(l, h);
  return goBytesToString(goStringToBytes(s).subarray(l, h));
}

/** Go `string(rune)` per code point: iterate a JS string as Go iterates runes. */
export function runes(s: string): string[] {
  return goRunes(s);
}

// Go maps a rune to exactly one rune; JS special casing can expand (ß → SS), which Go never does.
export function runeUpper(ch: string): string {
  const u = ch.toUpperCase();
  return Array.from(u).length === 1 ? u : ch;
}
export function runeLower(ch: string): string {
  if (ch === '\u0130') return 'i'; // Go's simple mapping; JS gives "i̇"
  const l = ch.toLowerCase();
  return Array.from(l).length === 1 ? l : ch;
}
const TITLE_DIGRAPHS: Record<string, string> = {
  '\u01c4': '\u01c5', '\u01c5': '\u01c5', '\u01c6': '\u01c5',
  '\u01c7': '\u01c8', '\u01c8': '\u01c8', '\u01c9': '\u01c8',
  '\u01ca': '\u01cb', '\u01cb': '\u01cb', '\u01cc': '\u01cb',
  '\u01f1': '\u01f2', '\u01f2': '\u01f2', '\u01f3': '\u01f2',
};
export function runeTitle(ch: string): string {
  return TITLE_DIGRAPHS[ch] ?? runeUpper(ch);
}
export function goToUpper(s: string): string {
  return isAscii(s) ? s.toUpperCase() : runes(s).map(runeUpper).join('');
}
export function goToLower(s: string): string {
  return isAscii(s) ? s.toLowerCase() : runes(s).map(runeLower).join('');
}

export const isUpper = (r: string): boolean => /^\p{Lu}$/u.test(r);
export const isLower = (r: string): boolean => /^\p{Ll}$/u.test(r);
export const isTitle = (r: string): boolean => /^\p{Lt}$/u.test(r);
export const isLetter = (r: string): boolean => /^\p{L}$/u.test(r);
export const isNumber = (r: string): boolean => /^\p{N}$/u.test(r);
export const isDigit = (r: string): boolean => /^\p{Nd}$/u.test(r);
export const isPunct = (r: string): boolean => /^\p{P}$/u.test(r);
/** xstrings' isAlphabet: a letter that is not a CJK ideograph. */
export function isAlphabetRune(r: string): boolean {
  if (!isLetter(r)) return false;
  const cp = r.codePointAt(0) as number;
  if (cp < 0x3400) return true;
  if (cp >= 0x4e00 && cp <= 0x9fcc) return false;
  if (cp >= 0x3400 && cp <= 0x4d85) return false;
  if (cp >= 0x20000 && cp <= 0x2b81d) return false;
  return true;
}
/** unicode.IsSpace: the White_Space property (includes U+0085 and U+00A0). */
export const isSpace = (r: string): boolean => /^\p{White_Space}$/u.test(r);

/** strings.TrimSpace / strings.Fields notion of space. */
export function trimSpace(s: string): string {
  return s.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, '');
}

/** strings.Trim(s, cutset): trims runes in cutset from both ends. */
export function trimCutset(s: string, cutset: string): string {
  if (s === '' || cutset === '') return s;
  const set = new Set(runes(cutset));
  const r = runes(s);
  let i = 0;
  let j = r.length;
  while (i < j && set.has(r[i] as string)) i++;
  while (j > i && set.has(r[j - 1] as string)) j--;
  return r.slice(i, j).join('');
}

// ---------------------------------------------------------------------------------------------
// Values

export function isList(v: GoValue): v is GoValue[] {
  return Array.isArray(v);
}

/** sprig's `strval`: strings as they are, []byte as text, Stringers via String(), else `%v`. */
export function strval(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && elemTypeOf(v) === '[]uint8') return bytesToString(v);
  if (Array.isArray(v) && elemTypeOf(v) === 'uint8') return bytesToString(v);
  if (isStringer(v)) return v[GO_STRING]();
  return formatValue(v);
}

function bytesToString(v: GoValue[]): string {
  return goBytesToString(Uint8Array.from(v, (b) => (b instanceof GoInt ? b.value : 0)));
}

/** A `[]string` result. */
export function stringSlice(items: string[]): string[] {
  return typedSlice(items, 'string');
}

/** reflect.TypeOf(v).Kind() as sprig's list functions see it; a nil value panics like Go does. */
export function kindOrPanic(v: GoValue): string {
  if (v === null) goPanic(NIL_DEREF);
  return goKindName(v);
}

export function typeName(v: GoValue): string {
  return goTypeName(v);
}

/** sprig's `empty`: the zero value of its type (nil, 0, "", false, empty container). */
export function isEmpty(v: GoValue | undefined): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.length === 0;
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v === 0;
  if (v instanceof GoInt) return v.value === 0;
  if (Array.isArray(v)) return v.length === 0;
  if (isStringer(v)) return false; // structs are never empty
  return Object.keys(v).length === 0;
}

/** reflect.DeepEqual over Go values: types must match exactly. */
export function deepEqual(a: GoValue, b: GoValue): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a !== typeof b) return false;
  if (typeof a === 'number') return a === b; // NaN != NaN, as in Go
  if (a instanceof GoInt || b instanceof GoInt) {
    return a instanceof GoInt && b instanceof GoInt && a.kind === b.kind && a.value === b.value;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return false;
    if (elemTypeOf(a) !== elemTypeOf(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i] as GoValue));
  }
  if (isStringer(a) || isStringer(b)) return isStringer(a) && isStringer(b) && a[GO_STRING]() === b[GO_STRING]();
  if (isGoMap(a) && isGoMap(b)) {
    if (elemTypeOf(a) !== elemTypeOf(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k] as GoValue, b[k] as GoValue));
  }
  return false;
}

/** A copy of a container that keeps its Go element type. */
export function cloneShallow<T extends GoValue[] | GoMap>(v: T): T {
  const et: GoType = elemTypeOf(v);
  if (Array.isArray(v)) {
    const c = v.slice() as GoValue[];
    return (et === 'interface {}' ? c : typedSlice(c, et)) as T;
  }
  const c: GoMap = { ...v };
  return (et === 'interface {}' ? c : typedMap(c, et)) as T;
}

export function hasOwn(m: GoMap, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, k);
}

// ---------------------------------------------------------------------------------------------
// spf13/cast conversions (sprig's toInt64/toFloat64/toInt swallow conversion errors as 0)

const INT_FORMS: Array<[RegExp, number]> = [
  [/^[+-]?0[xX](_?[0-9a-fA-F])+$/, 16],
  [/^[+-]?0[oO](_?[0-7])+$/, 8],
  [/^[+-]?0[bB](_?[01])+$/, 2],
  [/^[+-]?0(_?[0-7])+$/, 8],
  [/^[+-]?(0|[1-9](_?[0-9])*)$/, 10],
];

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 0, 64); undefined where Go returns an error. */
export function parseGoInt(s: string): number | undefined {
  const n = parseGoIntExact(s);
  return n === undefined ? undefined : Number(n);
}

/** parseGoInt, exact: a bigint when outside the safe integer range. */
export function parseGoIntExact(s: string): number | bigint | undefined {
  for (const [re, base] of INT_FORMS) {
    if (!re.test(s)) continue;
    let body = s.replace(/_/g, '');
    let neg = false;
    if (body[0] === '+' || body[0] === '-') {
      neg = body[0] === '-';
      body = body.slice(1);
    }
    if (base === 16 || (base === 8 && /^0[oO]/.test(body)) || base === 2) body = body.slice(2);
    else if (base === 8) body = body.slice(1);
    let n = 0n;
    for (const ch of body) n = n * BigInt(base) + BigInt(parseInt(ch, base));
    if (neg) n = -n;
    if (n < INT64_MIN || n > INT64_MAX) return undefined;
    return Number.isSafeInteger(Number(n)) ? Number(n) : n;
  }
  return undefined;
}

/** cast's trimZeroDecimal: "3.0" → "3", "3.5" stays. */
function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === '.') {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === '0') foundZero = true;
    else return s;
  }
  return s;
}

const DEC_FLOAT = /^[+-]?(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]((?:_?[0-9a-fA-F])*)(?:\.((?:[0-9a-fA-F]_?)*))?[pP]([+-]?[0-9]+)$/;

/** strconv.ParseFloat(s, 64); undefined where Go returns an error (syntax or out of range). */
export function parseGoFloat(s: string): number | undefined {
  const lower = s.toLowerCase();
  const sign = lower.startsWith('-') ? -1 : 1;
  const unsigned = lower.replace(/^[+-]/, '');
  if (unsigned === 'inf' || unsigned === 'infinity') return sign * Infinity;
  if (unsigned === 'nan') return NaN;
  if (DEC_FLOAT.test(s)) {
    const v = Number(s.replace(/_/g, ''));
    return Number.isFinite(v) ? v : undefined;
  }
  const h = HEX_FLOAT.exec(s);
  if (h) {
    const intPart = (h[2] ?? '').replace(/_/g, '');
    const frac = (h[3] ?? '').replace(/_/g, '');
    if (intPart === '' && frac === '') return undefined;
    const mant = BigInt('0x' + (intPart + frac || '0'));
    const v = (h[1] === '-' ? -1 : 1) * Number(mant) * Math.pow(2, Number(h[4]) - 4 * frac.length);
    return Number.isFinite(v) ? v : undefined;
  }
  return undefined;
}

/** Go's float64 → int64 conversion (truncation; out-of-range gives the amd64 "indefinite" value). */
export function floatToInt64(f: number): number {
  if (!Number.isFinite(f) || f >= 9223372036854775808 || f < -9223372036854775808) return -9223372036854775808;
  return Math.trunc(f) || 0;
}

/** cast.ToInt64E, exact (a bigint beyond the safe integer range); undefined where it errors. */
export function castToInt64Exact(v: GoValue): number | bigint | undefined {
  if (v === null) return 0;
  if (v instanceof GoInt) return v.big ?? v.value;
  if (typeof v === 'number') {
    const n = floatToInt64(v);
    return Number.isSafeInteger(n) ? n : BigInt(n);
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return parseGoIntExact(trimZeroDecimal(v));
  return undefined;
}

/** cast.ToInt64E; undefined where it errors. */
export function castToInt64E(v: GoValue): number | undefined {
  const n = castToInt64Exact(v);
  return n === undefined ? undefined : Number(n);
}

export function toInt64(v: GoValue): number {
  return castToInt64E(v) ?? 0;
}

/** sprig's toInt64 (errors → 0), exact. */
export function toInt64Exact(v: GoValue): number | bigint {
  return castToInt64Exact(v) ?? 0;
}

/** cast.ToFloat64 (errors → 0). */
export function toFloat64(v: GoValue): number {
  if (v === null) return 0;
  if (v instanceof GoInt) return v.value;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return parseGoFloat(v) ?? 0;
  return 0;
}

export function int(n: number | bigint): GoInt {
  return new GoInt(n, 'int');
}
export function int64(n: number | bigint): GoInt {
  return new GoInt(n, 'int64');
}

/** An `int` argument as a JS number (the executor has already converted it to GoInt). */
export function num(v: GoValue | undefined): number {
  if (v instanceof GoInt) return v.value;
  if (typeof v === 'number') return v;
  return 0;
}

export function str(v: GoValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

export function map(v: GoValue | undefined): GoMap {
  return v !== undefined && isGoMap(v) ? v : {};
}
