/**
 * How Go values are represented in TypeScript, for the Go `text/template` engine and the sprig
 * functions. Argo CD renders ApplicationSet templates with Go's `text/template`, and what a
 * template prints depends on Go types (an `int` 1000000 prints `1000000`, a `float64` prints
 * `1e+06`; passing an `int64` where a function wants an `int` is an error). So the engine keeps
 * the Go type of every value:
 *
 * | Go                          | TypeScript                                               |
 * |-----------------------------|----------------------------------------------------------|
 * | string                      | `string`                                                 |
 * | bool                        | `boolean`                                                |
 * | nil                         | `null`                                                   |
 * | float64                     | `number` (what JSON/YAML numbers decode to in Go)        |
 * | int, int64, uint8, ...      | `GoInt` (kind says which)                                |
 * | []interface{}               | plain array                                              |
 * | []string, []int, ...        | array tagged with `typedSlice(items, elemType)`          |
 * | map[string]interface{}      | plain object (keys are the map's keys)                   |
 * | map[string]string, ...      | object tagged with `typedMap(obj, elemType)`             |
 * | *semver.Version, time.Time, | a `GoObject` subclass (type name, kind, methods, String() |
 * | complex128                  | and MarshalJSON hooks)                                   |
 *
 * Generator parameters arrive as plain JSON-like data (numbers are float64, as after Go's
 * `json.Unmarshal`), so they need no conversion; only `path.segments` is a `[]string`.
 *
 * Strings. A Go string is a byte sequence that need not be valid UTF-8 (`b64dec`, `decryptAES`,
 * byte slicing can produce any bytes); a JS string cannot hold raw bytes. Bytes that are not part
 * of a valid UTF-8 sequence are therefore carried as lone low surrogates U+DC80..U+DCFF
 * (byte b ↦ U+DC00+b, Python's "surrogateescape"), everything else as the text it encodes.
 * `goStringToBytes` and `goBytesToString` convert exactly, so lengths, indexing, slicing, `%q`
 * and `%x` count bytes as Go does; `normalizeGoString` re-joins escaped bytes that concatenation
 * made valid. The executor keeps these code units to the end: `renderGoTemplateBytes` (or
 * `execute` with `rawBytes`) returns Go's exact bytes via `goStringToBytes`, while the string
 * APIs show each invalid byte as U+FFFD, as Go's bytes read in any UTF-8 text (and as the Go
 * oracle's JSON reports them).
 */

/** Go integer kinds that sprig and the builtins produce or accept. */
export type GoIntKind = 'int' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64';

const MIN_SAFE = Number.MIN_SAFE_INTEGER;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * A Go integer. Go's int64 and uint64 exceed 2^53, so a value outside the safe range is also
 * kept exactly in `big`; `value` is then only the nearest double (fine for comparisons and
 * magnitudes, not for printing or arithmetic). Inside the safe range `big` is undefined, which
 * keeps the common path (every small int) free of bigint work. Construction wraps to the kind's
 * width like a Go conversion.
 */
export class GoInt {
  readonly value: number;
  readonly big: bigint | undefined;

  constructor(
    v: number | bigint,
    readonly kind: GoIntKind = 'int',
  ) {
    if (typeof v === 'number' && v >= MIN_SAFE && v <= MAX_SAFE && Number.isInteger(v)) {
      this.value = v;
      this.big = undefined;
      return;
    }
    let b = typeof v === 'bigint' ? v : BigInt(Number.isFinite(v) ? Math.trunc(v) : 0);
    b = wrapInt(b, kind);
    if (b >= BigInt(MIN_SAFE) && b <= BigInt(MAX_SAFE)) {
      this.value = Number(b);
      this.big = undefined;
    } else {
      this.value = Number(b);
      this.big = b;
    }
  }

  /** The exact value. */
  toBigInt(): bigint {
    return this.big ?? BigInt(this.value);
  }

  /** The exact value as a number when safe, else as a bigint. */
  exact(): number | bigint {
    return this.big ?? this.value;
  }

  toString(): string {
    return this.big !== undefined ? this.big.toString() : String(this.value);
  }
}

const INT_BITS: Record<GoIntKind, number> = {
  int: 64,
  int8: 8,
  int16: 16,
  int32: 32,
  int64: 64,
  uint: 64,
  uint8: 8,
  uint16: 16,
  uint32: 32,
  uint64: 64,
};

/** Go's conversion of an integer to `kind`: two's-complement truncation to its width. */
export function wrapInt(b: bigint, kind: GoIntKind): bigint {
  const bits = INT_BITS[kind];
  return kind.startsWith('u') ? BigInt.asUintN(bits, b) : BigInt.asIntN(bits, b);
}

/** Go int64 addition/subtraction/multiplication with wraparound; numbers while exact. */
export function int64Op(a: number | bigint, b: number | bigint, op: '+' | '-' | '*'): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = op === '+' ? a + b : op === '-' ? a - b : a * b;
    if (r >= MIN_SAFE && r <= MAX_SAFE) return r;
  }
  const x = BigInt(a);
  const y = BigInt(b);
  const r = BigInt.asIntN(64, op === '+' ? x + y : op === '-' ? x - y : x * y);
  return r >= BigInt(MIN_SAFE) && r <= BigInt(MAX_SAFE) ? Number(r) : r;
}

/** Registered symbols, so the formatter and the JSON encoder honour them without importing sprig. */
export const GO_STRING = Symbol.for('home-ops.goString');
export const GO_JSON = Symbol.for('home-ops.goJson');
export const GO_METHOD = Symbol.for('home-ops.goMethod');

/** A method callable from a template (`{{$v.Compare $w}}`); the receiver is bound. */
export interface GoMethod {
  readonly params: readonly GoType[];
  readonly variadic?: GoType;
  readonly fn: (...args: GoValue[]) => GoValue;
}

/**
 * A Go value of a named type that templates reach only through methods and printing
 * (`*semver.Version`, `time.Time`, `complex128`). Subclasses are immutable.
 */
export abstract class GoObject {
  // Only so that GoObject is assignable where a GoMap is expected in code written before it
  // existed (its string-keyed members are all GoValues); `isGoMap` is false for it at run time.
  readonly [key: string]: GoValue;
  /** reflect.Type.String(), e.g. `*semver.Version`. */
  abstract readonly goType: GoType;
  /** reflect.Kind.String(), e.g. `ptr`, `struct`. */
  abstract readonly goKind: string;
  /** The exported method `name` of the value's method set, or undefined. */
  abstract [GO_METHOD](name: string): GoMethod | undefined;
  /** What fmt prints for `%v` (the String() method, or Go's own formatting of the kind). */
  abstract [GO_STRING](): string;
  /** json.Marshal's output (MarshalJSON where the type has one). */
  abstract [GO_JSON](): string;
}

/**
 * The Go type names used for function parameter declarations and typed containers, spelled as
 * Go's `reflect.Type.String()` spells them (so `typeOf` can print them unchanged).
 */
export type GoType =
  | 'interface {}'
  | 'string'
  | 'bool'
  | 'float64'
  | 'float32'
  | GoIntKind
  | '[]interface {}'
  | '[]string'
  | '[]int'
  | 'map[string]interface {}'
  | 'map[string]string'
  | '[]uint8'
  | '*semver.Version'
  | 'semver.Version'
  | 'time.Time'
  | 'time.Month'
  | 'time.Weekday'
  | 'time.Duration'
  | '*time.Location'
  | 'complex128';

export type GoValue = string | boolean | null | number | GoInt | GoObject | GoValue[] | GoMap;

/** A Go map with string keys. Key order is irrelevant: Go prints and ranges maps sorted by key. */
export interface GoMap {
  [key: string]: GoValue;
}

const ELEM_TYPE = Symbol('goElemType');

type Tagged = { [ELEM_TYPE]?: GoType };

/** Tags an array as a Go slice of `elemType` (e.g. `[]string`); untagged arrays are `[]interface {}`. */
export function typedSlice<T extends GoValue[]>(items: T, elemType: GoType): T {
  Object.defineProperty(items, ELEM_TYPE, { value: elemType, enumerable: false, configurable: true });
  return items;
}

/** Tags an object as a Go map with values of `elemType` (e.g. `map[string]string`). */
export function typedMap<T extends GoMap>(obj: T, elemType: GoType): T {
  Object.defineProperty(obj, ELEM_TYPE, { value: elemType, enumerable: false, configurable: true });
  return obj;
}

/** The element type of a slice or map: `interface {}` unless tagged. */
export function elemTypeOf(container: GoValue[] | GoMap): GoType {
  return (container as Tagged)[ELEM_TYPE] ?? 'interface {}';
}

export function isGoMap(v: unknown): v is GoMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoInt) && !(v instanceof GoObject);
}

/** Go's `reflect.Type.String()` of a value, as sprig's `typeOf` prints it (`<nil>` for nil). */
export function goTypeName(v: GoValue): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (v instanceof GoInt) return v.kind;
  if (v instanceof GoObject) return v.goType;
  if (Array.isArray(v)) return `[]${elemTypeOf(v)}`;
  return `map[string]${elemTypeOf(v)}`;
}

/** Go's `reflect.Kind.String()` of a value, as sprig's `kindOf` prints it (`invalid` for nil). */
export function goKindName(v: GoValue): string {
  if (v === null) return 'invalid';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (v instanceof GoInt) return v.kind;
  if (v instanceof GoObject) return v.goKind;
  if (Array.isArray(v)) return 'slice';
  return 'map';
}

/**
 * A function callable from a template. `params` are the Go parameter types; the executor
 * converts and checks arguments exactly as Go's text/template does for a function of that
 * signature (constants converted, an `int64` where `int` is wanted is an error, nil where a
 * string is wanted is an error). `variadic` is the element type of a trailing `...` parameter.
 * `fn` returns the function's result; throwing an `Error` is the Go function returning a
 * non-nil error (the executor reports `error calling NAME: MESSAGE`).
 */
export interface GoFuncDef {
  readonly params: readonly GoType[];
  readonly variadic?: GoType;
  readonly fn: (...args: GoValue[]) => GoValue;
}

export type GoFuncMap = ReadonlyMap<string, GoFuncDef>;

// ---------------------------------------------------------------------------------------------
// Go strings as bytes (see the header: invalid bytes travel as U+DC80..U+DCFF).

const encoder = new TextEncoder();

function hasSpecialUnits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}

/**
 * The bytes of a Go string. Escaped bytes (lone U+DC80..U+DCFF) become the byte they stand for;
 * any other lone surrogate becomes U+FFFD's encoding, as Go's conversion of an invalid rune does.
 */
export function goStringToBytes(s: string): Uint8Array {
  if (!hasSpecialUnits(s)) return encoder.encode(s);
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      out.push(c);
    } else if (c < 0x800) {
      out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      const cp = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00);
      i++;
      out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    } else if (c >= 0xdc80 && c <= 0xdcff) {
      out.push(c - 0xdc00);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out.push(0xef, 0xbf, 0xbd);
    } else {
      out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    }
  }
  return Uint8Array.from(out);
}

/**
 * Go's utf8.DecodeRune: the rune and its length at `i`, or -1 and 1 for a byte that does not
 * start a valid sequence (overlong forms, surrogates and values above U+10FFFF are invalid).
 */
export function decodeRune(b: Uint8Array, i: number): [number, number] {
  const b0 = b[i] as number;
  if (b0 < 0x80) return [b0, 1];
  const n = b.length;
  const cont = (j: number, lo = 0x80, hi = 0xbf): boolean => j < n && (b[j] as number) >= lo && (b[j] as number) <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    if (cont(i + 1)) return [((b0 & 0x1f) << 6) | ((b[i + 1] as number) & 0x3f), 2];
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    if (cont(i + 1, lo, hi) && cont(i + 2)) {
      return [((b0 & 0x0f) << 12) | (((b[i + 1] as number) & 0x3f) << 6) | ((b[i + 2] as number) & 0x3f), 3];
    }
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    if (cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3)) {
      const cp =
        ((b0 & 0x07) << 18) | (((b[i + 1] as number) & 0x3f) << 12) | (((b[i + 2] as number) & 0x3f) << 6) | ((b[i + 3] as number) & 0x3f);
      return [cp, 4];
    }
  }
  return [-1, 1];
}

/** A Go string from bytes: valid UTF-8 as text, every other byte escaped (see the header). */
export function goBytesToString(b: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < b.length; i++) {
    if ((b[i] as number) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return String.fromCharCode(...b.subarray(0, Math.min(b.length, 8192))) + (b.length > 8192 ? goBytesToString(b.subarray(8192)) : '');
  let out = '';
  for (let i = 0; i < b.length; ) {
    const [r, size] = decodeRune(b, i);
    out += r < 0 ? String.fromCharCode(0xdc00 + (b[i] as number)) : String.fromCodePoint(r);
    i += size;
  }
  return out;
}

const ESCAPED = /[\uDC80-\uDCFF]/;

/**
 * The canonical form of a Go string: escaped bytes that together form valid UTF-8 (after
 * concatenating `"\xe2\x82"` and `"\xac"`, say) become the text they encode, as they are in Go.
 */
export function normalizeGoString(s: string): string {
  return ESCAPED.test(s) ? goBytesToString(goStringToBytes(s)) : s;
}

/** Go's `[]rune(s)`: one string per rune, an invalid byte as U+FFFD. */
export function goRunes(s: string): string[] {
  if (!ESCAPED.test(s)) return Array.from(s);
  return Array.from(normalizeGoString(s), (c) => (c.length === 1 && c.charCodeAt(0) >= 0xdc80 && c.charCodeAt(0) <= 0xdcff ? '\uFFFD' : c));
}
