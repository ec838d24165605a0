/**
 * Go's `fmt.Sprint`, `fmt.Sprintln` and `fmt.Sprintf` over the values of `value.ts`.
 *
 * Templates print every action through `fmt`, and Argo CD's legacy parameters are made with
 * `fmt.Sprintf("%v")`, so the exact text matters: float64 prints in strconv's shortest `%g`
 * form (`1e+06`), ints in decimal, maps sorted by key. This follows Go's `fmt/print.go` and
 * `fmt/format.go` closely (flag handling, padding, error annotations such as `%!d(string=x)`),
 * because the differential test against real Go compares byte for byte.
 */
import { GO_JSON, GO_METHOD, GO_STRING, GoInt, GoObject, type GoValue, type GoMap, elemTypeOf, goBytesToString, goStringToBytes, goTypeName, normalizeGoString } from './value';

// ---------------------------------------------------------------------------------------------
// strconv pieces

/** Decimal digits `0.d1d2d3... × 10^dp`; an empty `d` is zero. */
interface Decimal {
  d: string;
  dp: number;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Float64Array shares the platform's byte order; every platform Node runs on is little-endian.
const HI = 1;
const LO = 0;

function floatBits(v: number): { neg: boolean; exp: number; mant: bigint } {
  f64[0] = v;
  const hi = u32[HI] ?? 0;
  const lo = u32[LO] ?? 0;
  return { neg: hi >>> 31 === 1, exp: (hi >>> 20) & 0x7ff, mant: (BigInt(hi & 0xfffff) << 32n) | BigInt(lo) };
}

/** Shortest digits that read back as `a` (a > 0, finite); JS and Go both pick the closest such. */
function shortestDigits(a: number): Decimal {
  const s = a.toExponential();
  const e = s.indexOf('e');
  const mant = s.slice(0, e);
  const d = mant.length > 1 ? mant[0] + mant.slice(2) : mant;
  return { d, dp: Number(s.slice(e + 1)) + 1 };
}

/**
 * The exact decimal expansion of `a` (a > 0, finite). Go rounds fixed-precision output
 * half-to-even on the exact binary value (`%.0f` of 2.5 is `2`), which `toFixed` does not.
 */
function exactDigits(a: number): Decimal {
  const { exp, mant: m } = floatBits(a);
  let mant = m;
  let e2: number;
  if (exp === 0) {
    e2 = 1 - 1075;
  } else {
    mant |= 1n << 52n;
    e2 = exp - 1075;
  }
  let s: string;
  let dp: number;
  if (e2 >= 0) {
    s = (mant << BigInt(e2)).toString();
    dp = s.length;
  } else {
    s = (mant * 5n ** BigInt(-e2)).toString();
    dp = s.length + e2;
  }
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 48) end--;
  return { d: s.slice(0, end), dp };
}

function trimZeros(x: Decimal): Decimal {
  let end = x.d.length;
  while (end > 0 && x.d.charCodeAt(end - 1) === 48) end--;
  if (end === 0) return { d: '', dp: 0 };
  return end === x.d.length ? x : { d: x.d.slice(0, end), dp: x.dp };
}

/** Go's `decimal.Round(nd)`: half to even when exactly halfway. */
function roundDecimal(x: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= x.d.length) return x;
  const c = x.d.charCodeAt(nd);
  let up: boolean;
  if (c === 53 && nd + 1 === x.d.length) {
    up = nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  } else {
    up = c >= 53;
  }
  if (!up) return trimZeros({ d: x.d.slice(0, nd), dp: x.dp });
  for (let i = nd - 1; i >= 0; i--) {
    const ci = x.d.charCodeAt(i);
    if (ci < 57) return { d: x.d.slice(0, i) + String.fromCharCode(ci + 1), dp: x.dp };
  }
  return { d: '1', dp: x.dp + 1 };
}

function fmtE(neg: boolean, d: Decimal, prec: number, fmt: string): string {
  let out = neg ? '-' : '';
  out += d.d.length > 0 ? d.d[0] : '0';
  if (prec > 0) {
    out += '.';
    const m = Math.min(d.d.length, prec + 1);
    if (m > 1) out += d.d.slice(1, m);
    for (let i = Math.max(m, 1); i <= prec; i++) out += '0';
  }
  let exp = d.d.length === 0 ? 0 : d.dp - 1;
  let sign = '+';
  if (exp < 0) {
    sign = '-';
    exp = -exp;
  }
  return out + fmt + sign + (exp < 10 ? '0' + exp : String(exp));
}

function fmtF(neg: boolean, d: Decimal, prec: number): string {
  let out = neg ? '-' : '';
  if (d.dp > 0) {
    const m = Math.min(d.d.length, d.dp);
    out += d.d.slice(0, m);
    for (let i = m; i < d.dp; i++) out += '0';
  } else {
    out += '0';
  }
  if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      const j = d.dp + i;
      out += j >= 0 && j < d.d.length ? d.d[j] : '0';
    }
  }
  return out;
}

function fmtB(neg: boolean, v: number): string {
  const { exp, mant } = floatBits(v);
  let e = exp;
  let m = mant;
  if (e === 0) e = 1;
  else m |= 1n << 52n;
  const shifted = e - 1023 - 52;
  return (neg ? '-' : '') + m.toString() + 'p' + (shifted >= 0 ? '+' : '') + shifted;
}

function fmtX(neg: boolean, v: number, precIn: number, fmt: 'x' | 'X'): string {
  const bits = floatBits(v);
  let exp = bits.exp;
  let mant = bits.mant;
  if (exp === 0) exp = 1;
  else mant |= 1n << 52n;
  exp -= 1023;
  const prec = precIn;
  if (mant === 0n) exp = 0;
  mant <<= 60n - 52n;
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const mask = (1n << 60n) - 1n;
    const extra = (mant << shift) & mask;
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = fmt === 'X' ? '0123456789ABCDEF' : '0123456789abcdef';
  let out = (neg ? '-' : '') + '0' + fmt + ((mant >> 60n) & 1n).toString();
  mant = (mant << 4n) & ((1n << 64n) - 1n);
  if (prec < 0 && mant !== 0n) {
    out += '.';
    while (mant !== 0n) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  } else if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & ((1n << 64n) - 1n);
    }
  }
  out += fmt === 'X' ? 'P' : 'p';
  let sign = '+';
  if (exp < 0) {
    sign = '-';
    exp = -exp;
  }
  return out + sign + (exp < 10 ? '0' + exp : String(exp));
}

/** Go's `strconv.FormatFloat(v, fmt, prec, 64)`. */
export function formatFloat(v: number, fmt: string, prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  if (fmt === 'b') return fmtB(neg, v);
  if (fmt === 'x' || fmt === 'X') return fmtX(neg, v, prec, fmt);
  const a = Math.abs(v);
  const shortest = prec < 0;
  let digs: Decimal;
  if (a === 0) {
    digs = { d: '', dp: 0 };
  } else if (shortest) {
    digs = shortestDigits(a);
    if (fmt === 'e' || fmt === 'E') prec = Math.max(digs.d.length - 1, 0);
    else if (fmt === 'f') prec = Math.max(digs.d.length - digs.dp, 0);
    else prec = digs.d.length;
  } else {
    digs = exactDigits(a);
    if (fmt === 'e' || fmt === 'E') digs = roundDecimal(digs, prec + 1);
    else if (fmt === 'f') digs = roundDecimal(digs, digs.dp + prec);
    else {
      if (prec === 0) prec = 1;
      digs = roundDecimal(digs, prec);
    }
  }
  switch (fmt) {
    case 'e':
    case 'E':
      return fmtE(neg, digs, prec, fmt);
    case 'f':
      return fmtF(neg, digs, prec);
    case 'g':
    case 'G': {
      const nd = digs.d.length;
      let eprec = prec;
      if (eprec > nd && nd >= digs.dp) eprec = nd;
      if (shortest) eprec = 6;
      const exp = digs.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > nd) prec = nd;
        return fmtE(neg, digs, prec - 1, fmt === 'g' ? 'e' : 'E');
      }
      if (prec > digs.dp) prec = nd;
      return fmtF(neg, digs, Math.max(prec - digs.dp, 0));
    }
    default:
      return '%' + fmt;
  }
}

/** Go's `%v` of a float64, the hottest formatting path. */
function formatFloatV(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return Object.is(v, -0) ? '-0' : String(v);
  return formatFloat(v, 'g', -1);
}

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u;

/** Go's `strconv.IsPrint`. */
export function isPrint(r: number): boolean {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  if (r >= 0xd800 && r <= 0xdfff) return false;
  if (r > 0x10ffff) return false;
  return PRINTABLE.test(String.fromCodePoint(r));
}

function hexPad(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function escapeRune(r: number, quote: number, asciiOnly: boolean): string {
  if (r === quote || r === 92) return '\\' + String.fromCharCode(r);
  if (asciiOnly ? r < 0x80 && isPrint(r) : isPrint(r)) return String.fromCodePoint(r);
  switch (r) {
    case 7:
      return '\\a';
    case 8:
      return '\\b';
    case 12:
      return '\\f';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
    case 9:
      return '\\t';
    case 11:
      return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return '\\x' + hexPad(r, 2);
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  if (r < 0x10000) return '\\u' + hexPad(r, 4);
  return '\\U' + hexPad(r, 8);
}

/** Go's `strconv.Quote` (or `QuoteToASCII`). */
export function quote(s0: string, asciiOnly = false): string {
  const s = normalizeGoString(s0);
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 34 && c !== 92) {
      out += s[i];
      continue;
    }
    if (c >= 0xdc80 && c <= 0xdcff) {
      // An escaped invalid byte: Quote shows the byte itself.
      out += '\\x' + hexPad(c - 0xdc00, 2);
      continue;
    }
    const r = s.codePointAt(i) ?? c;
    if (r > 0xffff) i++;
    out += escapeRune(r, 34, asciiOnly);
  }
  return out + '"';
}

/** Go's `strconv.QuoteRune` (or `QuoteRuneToASCII`). */
export function quoteRune(r: number, asciiOnly = false): string {
  if (r < 0 || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  return "'" + escapeRune(r, 39, asciiOnly) + "'";
}

/** Go's `strconv.CanBackquote`. */
export function canBackquote(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 9) || c === 0x60 || c === 0x7f || c === 0xfeff) return false;
    if (c >= 0xd800 && c <= 0xdfff) {
      const r = s.codePointAt(i) ?? c;
      if (r <= 0xffff) return false;
      i++;
    }
  }
  return true;
}

/** The bytes of a Go string (escaped invalid bytes included, see value.ts). */
export function utf8Bytes(s: string): Uint8Array {
  return goStringToBytes(s);
}

/** Go's `len(s)`: the UTF-8 byte length. */
export function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else if (c >= 0xdc80 && c <= 0xdcff) n += 1;
    else n += 3;
  }
  return n;
}

/** utf8.RuneCountInString: an escaped invalid byte is one rune, as Go counts it. */
function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    n++;
  }
  return n;
}

/**
 * Go orders map keys by byte (= code point) order; JS compares UTF-16 code units, which
 * disagrees only between surrogates and U+E000..U+FFFF, so those are remapped.
 */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

/** A map's keys in Go's printing and ranging order. */
export function sortedKeys(m: GoMap): string[] {
  const keys = Object.keys(m);
  let ascii = true;
  for (const k of keys) {
    for (let i = 0; i < k.length; i++) {
      if (k.charCodeAt(i) >= 0xd800) {
        ascii = false;
        break;
      }
    }
    if (!ascii) break;
  }
  return ascii ? keys.sort() : keys.sort(compareGoStrings);
}

// ---------------------------------------------------------------------------------------------
// Printing

/** `fmt.Sprint(v)` of one value (`%v` without flags). */
export function formatValue(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatFloatV(v);
  if (v instanceof GoInt) return v.big === undefined ? String(v.value) : v.big.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) return '<nil>';
  if (v instanceof GoObject) return v[GO_STRING]();
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += ' ';
      out += formatValue(v[i] as GoValue);
    }
    return out + ']';
  }
  let out = 'map[';
  let first = true;
  for (const k of sortedKeys(v)) {
    if (!first) out += ' ';
    first = false;
    out += k + ':' + formatValue(v[k] as GoValue);
  }
  return out + ']';
}

const UNSIGNED = new Set(['uint', 'uint8', 'uint16', 'uint32', 'uint64']);
const LDIGITS = '0123456789abcdefx';
const UDIGITS = '0123456789ABCDEFX';

class Printer {
  buf = '';
  wid = 0;
  prec = 0;
  widPresent = false;
  precPresent = false;
  minus = false;
  plus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;

  clearFlags(): void {
    this.wid = 0;
    this.prec = 0;
    this.widPresent = false;
    this.precPresent = false;
    this.minus = false;
    this.plus = false;
    this.sharp = false;
    this.space = false;
    this.zero = false;
    this.plusV = false;
    this.sharpV = false;
  }

  writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.zero && !this.minus ? '0' : ' ').repeat(n);
  }

  pad(s: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.wid - runeCount(s);
    if (!this.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  truncate(s: string): string {
    if (this.precPresent) {
      let n = this.prec;
      for (let i = 0; i < s.length; i++) {
        n--;
        if (n < 0) return s.slice(0, i);
        const c = s.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff) i++;
      }
    }
    return s;
  }

  fmtBoolean(v: boolean): void {
    this.pad(v ? 'true' : 'false');
  }

  fmtInteger(uIn: number | bigint, base: number, isSigned: boolean, verb: string, digits: string): void {
    const negative = isSigned && uIn < 0;
    const u = negative ? -uIn : uIn;
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && Number(u) === 0) {
        const oldZero = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = oldZero;
        return;
      }
    } else if (this.zero && !this.minus && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--;
    }
    let s = u.toString(base);
    if (digits === UDIGITS) s = s.toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    if (this.sharp) {
      if (base === 2) s = '0b' + s;
      else if (base === 8) {
        if (s[0] !== '0') s = '0' + s;
      } else if (base === 16) s = '0' + digits[16] + s;
    }
    if (verb === 'O') s = '0o' + s;
    if (negative) s = '-' + s;
    else if (this.plus) s = '+' + s;
    else if (this.space) s = ' ' + s;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  fmt0x64(v: number | bigint, leading0x: boolean): void {
    const sharp = this.sharp;
    this.sharp = leading0x;
    this.fmtInteger(v, 16, false, 'v', LDIGITS);
    this.sharp = sharp;
  }

  fmtUnicode(uBig: number | bigint): void {
    let prec = 4;
    if (this.precPresent && this.prec > 4) prec = this.prec;
    const u = uBig < 0 ? BigInt.asUintN(64, BigInt(uBig)) : BigInt(uBig);
    const uIn = Number(uBig);
    let s = u.toString(16).toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    s = 'U+' + s;
    if (this.sharp && uIn >= 0 && uIn <= 0x10ffff && isPrint(uIn)) s += " '" + String.fromCodePoint(uIn) + "'";
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }

  fmtC(c: number): void {
    const r = c < 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ? 0xfffd : c;
    this.pad(String.fromCodePoint(r));
  }

  fmtQc(c: number): void {
    this.pad(quoteRune(c, this.plus));
  }

  fmtFloat(v: number, verb: string, precIn: number): void {
    const prec = this.precPresent ? this.prec : precIn;
    let num = formatFloat(v, verb, prec);
    if (num[0] === '-' || num[0] === '+') {
      /* keep */
    } else {
      num = '+' + num;
    }
    if (this.space && num[0] === '+' && !this.plus) num = ' ' + num.slice(1);
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = this.zero;
      this.zero = false;
      if (num[1] === 'N' && !this.space && !this.plus) num = num.slice(1);
      this.pad(num);
      this.zero = oldZero;
      return;
    }
    if (this.sharp && verb !== 'b') {
      let digits = 0;
      if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') {
        digits = prec;
        if (digits === -1) digits = 6;
      }
      let tail = '';
      let hasDecimalPoint = false;
      let sawNonzeroDigit = false;
      for (let i = 1; i < num.length; i++) {
        const ch = num[i] as string;
        if (ch === '.') {
          hasDecimalPoint = true;
          continue;
        }
        if (ch === 'p' || ch === 'P' || ((ch === 'e' || ch === 'E') && verb !== 'x' && verb !== 'X')) {
          tail = num.slice(i);
          num = num.slice(0, i);
          break;
        }
        if (ch !== '0') sawNonzeroDigit = true;
        if (sawNonzeroDigit) digits--;
      }
      if (!hasDecimalPoint) {
        if (num.length === 2 && num[1] === '0') digits--;
        num += '.';
      }
      while (digits > 0) {
        num += '0';
        digits--;
      }
      num += tail;
    }
    if (this.plus || num[0] !== '+') {
      if (this.zero && !this.minus && this.widPresent && this.wid > num.length) {
        this.buf += num[0];
        this.writePadding(this.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  fmtSbx(bytes: Uint8Array, digits: string): void {
    let length = bytes.length;
    if (this.precPresent && this.prec < length) length = this.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.space) {
        if (this.sharp) width *= 2;
        width += length - 1;
      } else if (this.sharp) {
        width += 2;
      }
    } else {
      if (this.widPresent) this.writePadding(this.wid);
      return;
    }
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width);
    let out = '';
    if (this.sharp) out += '0' + digits[16];
    for (let i = 0; i < length; i++) {
      if (this.space && i > 0) {
        out += ' ';
        if (this.sharp) out += '0' + digits[16];
      }
      const b = bytes[i] ?? 0;
      out += (digits[b >> 4] as string) + (digits[b & 0xf] as string);
    }
    this.buf += out;
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width);
  }

  fmtQ(sIn: string): void {
    const s = this.truncate(sIn);
    if (this.sharp && canBackquote(s)) {
      this.pad('`' + s + '`');
      return;
    }
    this.pad(quote(s, this.plus));
  }

  fmtS(s: string): void {
    this.pad(this.truncate(s));
  }

  badVerb(verb: string, arg: GoValue | undefined): void {
    this.buf += '%!' + verb + '(';
    if (arg === undefined || arg === null) {
      this.buf += '<nil>';
    } else {
      this.buf += goTypeName(arg) + '=';
      this.printArg(arg, 'v', 0);
    }
    this.buf += ')';
  }

  fmtIntegerArg(v: GoInt, verb: string): void {
    const isSigned = !UNSIGNED.has(v.kind);
    const n = v.big ?? v.value;
    switch (verb) {
      case 'v':
        if (this.sharpV && !isSigned) this.fmt0x64(n, true);
        else this.fmtInteger(n, 10, isSigned, verb, LDIGITS);
        return;
      case 'd':
        this.fmtInteger(n, 10, isSigned, verb, LDIGITS);
        return;
      case 'b':
        this.fmtInteger(n, 2, isSigned, verb, LDIGITS);
        return;
      case 'o':
      case 'O':
        this.fmtInteger(n, 8, isSigned, verb, LDIGITS);
        return;
      case 'x':
        this.fmtInteger(n, 16, isSigned, verb, LDIGITS);
        return;
      case 'X':
        this.fmtInteger(n, 16, isSigned, verb, UDIGITS);
        return;
      case 'c':
        this.fmtC(v.value);
        return;
      case 'q':
        this.fmtQc(v.value);
        return;
      case 'U':
        this.fmtUnicode(n);
        return;
      default:
        this.badVerb(verb, v);
    }
  }

  /**
   * Stringers (time.Time, *semver.Version) print through String() for %v %s %x %X %q, as fmt's
   * handleMethods does; complex128 has no String() but its own %v form, which the hook gives too.
   */
  fmtObjectArg(v: GoObject, verb: string): void {
    if (verb === 'v' || verb === 's' || verb === 'x' || verb === 'X' || verb === 'q') {
      const s = v[GO_STRING]();
      if (verb === 'v' && v.goKind === 'complex128') this.pad(s);
      else this.fmtStringArg(s, verb === 'v' && this.sharpV ? 's' : verb);
      return;
    }
    this.badVerb(verb, v);
  }

  fmtFloatArg(v: number, verb: string): void {
    switch (verb) {
      case 'v':
        this.fmtFloat(v, 'g', -1);
        return;
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        this.fmtFloat(v, verb, -1);
        return;
      case 'f':
      case 'e':
      case 'E':
        this.fmtFloat(v, verb, 6);
        return;
      case 'F':
        this.fmtFloat(v, 'f', 6);
        return;
      default:
        this.badVerb(verb, v);
    }
  }

  fmtStringArg(v: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.sharpV) this.fmtQ(v);
        else this.fmtS(v);
        return;
      case 's':
        this.fmtS(v);
        return;
      case 'x':
        this.fmtSbx(utf8Bytes(v), LDIGITS);
        return;
      case 'X':
        this.fmtSbx(utf8Bytes(v), UDIGITS);
        return;
      case 'q':
        this.fmtQ(v);
        return;
      default:
        this.badVerb(verb, v);
    }
  }

  fmtBytes(v: GoValue[], verb: string, typeString: string): void {
    const bytes = Uint8Array.from(v, (b) => (b instanceof GoInt ? b.value : 0));
    switch (verb) {
      case 'v':
      case 'd':
        if (this.sharpV) {
          this.buf += typeString + '{';
          bytes.forEach((c, i) => {
            if (i > 0) this.buf += ', ';
            this.fmt0x64(c, true);
          });
          this.buf += '}';
        } else {
          this.buf += '[';
          bytes.forEach((c, i) => {
            if (i > 0) this.buf += ' ';
            this.fmtInteger(c, 10, false, verb, LDIGITS);
          });
          this.buf += ']';
        }
        return;
      case 's':
        this.fmtS(goBytesToString(bytes));
        return;
      case 'x':
        this.fmtSbx(bytes, LDIGITS);
        return;
      case 'X':
        this.fmtSbx(bytes, UDIGITS);
        return;
      case 'q':
        this.fmtQ(goBytesToString(bytes));
        return;
      default:
        this.printComposite(v, verb, 0);
    }
  }

  /** `depth` > 0 is an element of a slice or map (Go's `printValue` rather than `printArg`). */
  printArg(arg: GoValue, verb: string, depth: number): void {
    if (arg === null) {
      if (depth > 0) {
        // An interface{} element holding nil prints without complaint whatever the verb.
        this.buf += this.sharpV ? 'interface {}(nil)' : '<nil>';
        return;
      }
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb, null);
      return;
    }
    if (verb === 'T' && depth === 0) {
      this.fmtS(goTypeName(arg));
      return;
    }
    if (verb === 'w' && depth === 0 && !(Array.isArray(arg) && elemTypeOf(arg) === 'uint8')) {
      // Sprintf never wraps errors, so %w is a bad verb (Go formats []byte before checking).
      this.badVerb(verb, arg);
      return;
    }
    if (typeof arg === 'string') this.fmtStringArg(arg, verb);
    else if (typeof arg === 'number') this.fmtFloatArg(arg, verb);
    else if (typeof arg === 'boolean') {
      if (verb === 't' || verb === 'v') this.fmtBoolean(arg);
      else this.badVerb(verb, arg);
    } else if (arg instanceof GoInt) this.fmtIntegerArg(arg, verb);
    else if (arg instanceof GoObject) this.fmtObjectArg(arg, verb);
    else if (Array.isArray(arg) && elemTypeOf(arg) === 'uint8' && (depth === 0 || 'sqxX'.includes(verb))) {
      this.fmtBytes(arg, verb, depth === 0 ? '[]byte' : '[]uint8');
    } else this.printComposite(arg, verb, depth);
  }

  printComposite(arg: GoValue[] | GoMap, verb: string, depth: number): void {
    if (Array.isArray(arg)) {
      if (this.sharpV) {
        this.buf += goTypeName(arg) + '{';
        for (let i = 0; i < arg.length; i++) {
          if (i > 0) this.buf += ', ';
          this.printArg(arg[i] as GoValue, verb, depth + 1);
        }
        this.buf += '}';
      } else {
        this.buf += '[';
        for (let i = 0; i < arg.length; i++) {
          if (i > 0) this.buf += ' ';
          this.printArg(arg[i] as GoValue, verb, depth + 1);
        }
        this.buf += ']';
      }
      return;
    }
    this.buf += this.sharpV ? goTypeName(arg) + '{' : 'map[';
    let first = true;
    for (const k of sortedKeys(arg)) {
      if (!first) this.buf += this.sharpV ? ', ' : ' ';
      first = false;
      this.printArg(k, verb, depth + 1);
      this.buf += ':';
      this.printArg(arg[k] as GoValue, verb, depth + 1);
    }
    this.buf += this.sharpV ? '}' : ']';
  }

  doPrintf(format: string, a: readonly GoValue[]): void {
    const end = format.length;
    let argNum = 0;
    let afterIndex = false;
    let reordered = false;
    let goodArgNum = true;

    const parsenum = (start: number, stop: number): [number, boolean, number] => {
      if (start >= stop) return [0, false, stop];
      let num = 0;
      let isnum = false;
      let i = start;
      for (; i < stop; i++) {
        const c = format.charCodeAt(i);
        if (c < 48 || c > 57) break;
        if (num > 1e6 || num < -1e6) return [0, false, stop];
        num = num * 10 + (c - 48);
        isnum = true;
      }
      return [num, isnum, i];
    };

    const argNumber = (argN: number, i: number): [number, number, boolean] => {
      if (i >= end || format[i] !== '[') return [argN, i, false];
      reordered = true;
      // parseArgNumber: at least 3 bytes "[n]".
      let index = 0;
      let wid = 1;
      let ok = false;
      if (end - i >= 3) {
        for (let j = i + 1; j < end; j++) {
          if (format[j] === ']') {
            const [width, isnum, newi] = parsenum(i + 1, j);
            if (!isnum || newi !== j) {
              wid = j - i + 1;
              ok = false;
            } else {
              index = width - 1;
              wid = j - i + 1;
              ok = true;
            }
            break;
          }
        }
      }
      if (ok && index >= 0 && index < a.length) return [index, i + wid, true];
      goodArgNum = false;
      return [argN, i + wid, ok];
    };

    const intFromArg = (argN: number): [number, boolean, number] => {
      if (argN >= a.length) return [0, false, argN];
      const v = a[argN];
      let num = 0;
      let isInt = false;
      if (v instanceof GoInt) {
        num = v.value;
        isInt = true;
      }
      if (num > 1e6 || num < -1e6) {
        num = 0;
        isInt = false;
      }
      return [num, isInt, argN + 1];
    };

    let i = 0;
    formatLoop: while (i < end) {
      goodArgNum = true;
      const lasti = i;
      while (i < end && format.charCodeAt(i) !== 37) i++;
      if (i > lasti) this.buf += format.slice(lasti, i);
      if (i >= end) break;
      i++;
      this.clearFlags();
      simple: for (; i < end; i++) {
        const c = format[i] as string;
        switch (c) {
          case '#':
            this.sharp = true;
            break;
          case '0':
            this.zero = true;
            break;
          case '+':
            this.plus = true;
            break;
          case '-':
            this.minus = true;
            break;
          case ' ':
            this.space = true;
            break;
          default:
            if (c >= 'a' && c <= 'z' && argNum < a.length) {
              if (c === 'v') {
                this.sharpV = this.sharp;
                this.sharp = false;
                this.plusV = this.plus;
                this.plus = false;
              }
              this.printArg(a[argNum] as GoValue, c, 0);
              argNum++;
              i++;
              continue formatLoop;
            }
            break simple;
        }
      }

      [argNum, i, afterIndex] = argNumber(argNum, i);

      if (i < end && format[i] === '*') {
        i++;
        [this.wid, this.widPresent, argNum] = intFromArg(argNum);
        if (!this.widPresent) this.buf += '%!(BADWIDTH)';
        if (this.wid < 0) {
          this.wid = -this.wid;
          this.minus = true;
          this.zero = false;
        }
        afterIndex = false;
      } else {
        [this.wid, this.widPresent, i] = parsenum(i, end);
        if (afterIndex && this.widPresent) goodArgNum = false;
      }

      if (i + 1 < end && format[i] === '.') {
        i++;
        if (afterIndex) goodArgNum = false;
        [argNum, i, afterIndex] = argNumber(argNum, i);
        if (i < end && format[i] === '*') {
          i++;
          [this.prec, this.precPresent, argNum] = intFromArg(argNum);
          if (this.prec < 0) {
            this.prec = 0;
            this.precPresent = false;
          }
          if (!this.precPresent) this.buf += '%!(BADPREC)';
          afterIndex = false;
        } else {
          [this.prec, this.precPresent, i] = parsenum(i, end);
          if (!this.precPresent) {
            this.prec = 0;
            this.precPresent = true;
          }
        }
      }

      if (!afterIndex) [argNum, i, afterIndex] = argNumber(argNum, i);

      if (i >= end) {
        this.buf += '%!(NOVERB)';
        break;
      }

      const cp = format.codePointAt(i) ?? 0;
      const verb = String.fromCodePoint(cp);
      i += verb.length;

      if (verb === '%') {
        this.buf += '%';
      } else if (!goodArgNum) {
        this.buf += '%!' + verb + '(BADINDEX)';
      } else if (argNum >= a.length) {
        this.buf += '%!' + verb + '(MISSING)';
      } else {
        if (verb === 'v') {
          this.sharpV = this.sharp;
          this.sharp = false;
          this.plusV = this.plus;
          this.plus = false;
        }
        this.printArg(a[argNum] as GoValue, verb, 0);
        argNum++;
      }
    }

    if (!reordered && argNum < a.length) {
      this.clearFlags();
      this.buf += '%!(EXTRA ';
      for (let k = argNum; k < a.length; k++) {
        if (k > argNum) this.buf += ', ';
        const arg = a[k] as GoValue;
        if (arg === null) this.buf += '<nil>';
        else {
          this.buf += goTypeName(arg) + '=';
          this.printArg(arg, 'v', 0);
        }
      }
      this.buf += ')';
    }
  }
}

/** Go's `fmt.Sprint`: operands separated by a space when neither side is a string. */
export function sprint(...args: GoValue[]): string {
  if (args.length === 1) return formatValue(args[0] as GoValue);
  let out = '';
  let prevString = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as GoValue;
    const isString = typeof arg === 'string';
    if (i > 0 && !isString && !prevString) out += ' ';
    out += formatValue(arg);
    prevString = isString;
  }
  return out;
}

/** Go's `fmt.Sprintln`: operands always separated by a space, newline appended. */
export function sprintln(...args: GoValue[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    if (i > 0) out += ' ';
    out += formatValue(args[i] as GoValue);
  }
  return out + '\n';
}

/** Go's `fmt.Sprintf`. */
export function sprintf(format: string, ...args: GoValue[]): string {
  const p = new Printer();
  p.doPrintf(format, args);
  return p.buf;
}

/** A complex128 (only template constants make them: `{{1i}}`). */
export class GoComplex extends GoObject {
  readonly goType = 'complex128' as const;
  readonly goKind = 'complex128';

  constructor(
    readonly re: number,
    readonly im: number,
  ) {
    super();
  }

  [GO_METHOD](): undefined {
    return undefined;
  }

  /** fmt's `%v`: `(` real, signed imaginary, `i)`. */
  [GO_STRING](): string {
    const im = formatFloat(this.im, 'g', -1);
    return '(' + formatFloat(this.re, 'g', -1) + (im[0] === '-' || im[0] === '+' ? im : '+' + im) + 'i)';
  }

  [GO_JSON](): string {
    throw new Error('json: unsupported type: complex128');
  }
}
