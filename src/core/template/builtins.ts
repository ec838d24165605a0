/**
 * The executor's model of Go `reflect.Value`s, and text/template's builtin functions
 * (`text/template/funcs.go`) over it.
 *
 * Go distinguishes three things a plain GoValue cannot: the zero `reflect.Value` (a missing map
 * key: prints `<no value>`), a nil `interface{}` (a nil map element), and a non-nil value seen
 * through an `interface{}` (any element of a `map[string]interface{}` or `[]interface{}`). The
 * difference shows in error messages (`can't evaluate field x in type interface {}` versus
 * `... in type string`) and in what nil becomes when passed on, so the executor keeps it:
 *
 * - `INVALID`   the zero reflect.Value
 * - `null`      a nil interface{}
 * - `Iface(v)`  a non-nil interface{} holding `v`
 * - any other GoValue: a value of its own concrete type
 */
import { GoComplex, byteLength, compareGoStrings, formatValue, sprint, sprintf, sprintln, isPrint, utf8Bytes } from './fmt';
import { GO_STRING, GoInt, GoObject, type GoMap, type GoType, type GoValue, elemTypeOf, goBytesToString, goTypeName, isGoMap, typedMap, typedSlice } from './value';

export const INVALID: unique symbol = Symbol('invalid reflect.Value');

export class Iface {
  constructor(readonly v: Exclude<GoValue, null>) {}
}

export type RV = GoValue | Iface | typeof INVALID;

/** A value as seen through a slot of static type `elemType` (an interface{} slot boxes it). */
export function inSlot(v: GoValue, elemType: GoType): RV {
  if (elemType !== 'interface {}') return v;
  return v === null ? null : new Iface(v);
}

/** Go's `indirectInterface`: the concrete value, or INVALID for a nil interface. */
export function concrete(v: RV): Exclude<GoValue, null> | typeof INVALID {
  if (v instanceof Iface) return v.v;
  if (v === null) return INVALID;
  return v;
}

/** `reflect.Value.Type().String()`; `interface {}` for interface slots. */
export function rvTypeName(v: RV): string {
  if (v === INVALID) return '<invalid reflect.Value>';
  if (v === null || v instanceof Iface) return 'interface {}';
  return goTypeName(v);
}

/** Go's `isTrue` on a concrete value. */
export function isTrue(v: RV): boolean {
  const c = concrete(v);
  if (c === INVALID) return false;
  if (typeof c === 'string') return c.length > 0;
  if (typeof c === 'boolean') return c;
  if (typeof c === 'number') return c !== 0;
  if (c instanceof GoInt) return c.value !== 0;
  if (c instanceof GoComplex) return c.re !== 0 || c.im !== 0;
  // A struct is always true, a (non-nil) pointer too.
  if (c instanceof GoObject) return true;
  if (Array.isArray(c)) return c.length > 0;
  for (const k in c) if (Object.hasOwn(c, k)) return true;
  return false;
}

/** A parameter type of a function: a Go type, or `reflect.Value` (the builtins take these). */
export type ParamType = GoType | 'reflect.Value';

export function canBeNil(t: ParamType): boolean {
  return t === 'interface {}' || t === 'reflect.Value' || t.startsWith('[]') || t.startsWith('map[') || t.startsWith('*');
}

/** `reflect.Zero(t)` for the types the executor meets. */
export function zeroOf(t: ParamType): RV {
  switch (t) {
    case 'reflect.Value':
      return INVALID;
    case 'interface {}':
      return null;
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'float64':
    case 'float32':
      return 0;
  }
  // A nil pointer: nothing distinguishes it from a nil interface in what templates can do.
  if (t.startsWith('*')) return null;
  if (t.startsWith('[]')) return typedSlice([], t.slice(2) as GoType);
  if (t.startsWith('map[string]')) return typedMap({}, t.slice('map[string]'.length) as GoType);
  return new GoInt(0, t as GoInt['kind']);
}

/** An error a builtin or function returns; the executor reports `error calling NAME: MSG`. */
export class CallError extends Error {}

export interface ExecFunc {
  readonly params: readonly ParamType[];
  readonly variadic?: ParamType;
  readonly builtin: boolean;
  readonly call: (args: RV[]) => RV;
}

// ---------------------------------------------------------------------------------------------

/** `args[i]`; `??` would turn a nil interface (null) into INVALID. */
function argAt(args: readonly RV[], i: number): RV {
  return i < args.length ? (args[i] as RV) : INVALID;
}

const UNSIGNED = new Set(['uint', 'uint8', 'uint16', 'uint32', 'uint64']);

function indexArg(index: RV, cap: number): number {
  const c = concrete(index);
  if (c === INVALID) throw new CallError('cannot index slice/array with nil');
  if (!(c instanceof GoInt)) throw new CallError(`cannot index slice/array with type ${goTypeName(c)}`);
  const x = c.value;
  if (x < 0 || x > cap) throw new CallError(`index out of range: ${x}`);
  return x;
}

function bytesOf(s: string): Uint8Array | undefined {
  // ASCII strings index and slice identically as bytes and as UTF-16 units.
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return utf8Bytes(s);
  return undefined;
}

function index(args: RV[]): RV {
  let item: RV = concrete(argAt(args, 0));
  if (item === INVALID) throw new CallError('index of untyped nil');
  for (let i = 1; i < args.length; i++) {
    const idx = argAt(args, i);
    if (item === null) throw new CallError('index of nil pointer');
    const it: Exclude<GoValue, null> = item instanceof Iface ? item.v : (item as Exclude<GoValue, null>);
    if (typeof it === 'string') {
      const bytes = bytesOf(it);
      const len = bytes ? bytes.length : it.length;
      const x = indexArg(idx, len);
      // reflect panics past the end; text/template reports the panic as the call's error.
      if (x >= len) throw new CallError('reflect: string index out of range');
      item = new GoInt(bytes ? (bytes[x] ?? 0) : it.charCodeAt(x), 'uint8');
    } else if (Array.isArray(it)) {
      const x = indexArg(idx, it.length);
      if (x >= it.length) throw new CallError('reflect: slice index out of range');
      item = inSlot(it[x] as GoValue, elemTypeOf(it));
    } else if (isGoMap(it)) {
      const key = concrete(idx);
      if (key === INVALID) throw new CallError('value is nil; should be of type string');
      if (typeof key !== 'string') throw new CallError(`value has type ${goTypeName(key)}; should be string`);
      const et = elemTypeOf(it);
      item = Object.hasOwn(it, key) ? inSlot(it[key] as GoValue, et) : zeroOf(et);
    } else {
      throw new CallError(`can't index item of type ${goTypeName(it)}`);
    }
  }
  return item;
}

function slice(args: RV[]): RV {
  const item = concrete(argAt(args, 0));
  if (item === INVALID) throw new CallError('slice of untyped nil');
  const indexes = args.slice(1);
  if (indexes.length > 3) throw new CallError(`too many slice indexes: ${indexes.length}`);
  let len: number;
  let bytes: Uint8Array | undefined;
  if (typeof item === 'string') {
    if (indexes.length === 3) throw new CallError('cannot 3-index slice a string');
    bytes = bytesOf(item);
    len = bytes ? bytes.length : item.length;
  } else if (Array.isArray(item)) {
    len = item.length;
  } else {
    throw new CallError(`can't slice item of type ${goTypeName(item)}`);
  }
  const idx = [0, len, len];
  indexes.forEach((ix, i) => {
    idx[i] = indexArg(ix, len);
  });
  const [i0, i1, i2] = idx as [number, number, number];
  if (i0 > i1) throw new CallError(`invalid slice index: ${i0} > ${i1}`);
  if (indexes.length === 3 && i1 > i2) throw new CallError(`invalid slice index: ${i1} > ${i2}`);
  if (typeof item === 'string') {
    if (!bytes) return item.slice(i0, i1);
    return goBytesToString(bytes.subarray(i0, i1));
  }
  const arr = item as GoValue[];
  const out = arr.slice(i0, i1);
  const et = elemTypeOf(arr);
  return et === 'interface {}' ? out : typedSlice(out, et);
}

function length(args: RV[]): RV {
  const v = argAt(args, 0);
  if (v === null) throw new CallError('len of nil pointer');
  const c = concrete(v);
  // reflect panics asking the type of the zero Value; the panic text is the error.
  if (c === INVALID) throw new CallError('reflect: call of reflect.Value.Type on zero Value');
  if (typeof c === 'string') return new GoInt(byteLength(c));
  if (Array.isArray(c)) return new GoInt(c.length);
  if (isGoMap(c)) return new GoInt(Object.keys(c).length);
  throw new CallError(`len of type ${goTypeName(c)}`);
}

type Kind = 'invalid' | 'bool' | 'int' | 'uint' | 'float' | 'string';

function basicKind(v: Exclude<GoValue, null> | typeof INVALID): Kind {
  if (v === INVALID) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float';
  if (v instanceof GoInt) return UNSIGNED.has(v.kind) ? 'uint' : 'int';
  return 'invalid';
}

/** Exact, so int64 values beyond 2^53 compare correctly (a bigint only outside the safe range). */
function num(v: unknown): number | bigint {
  return v instanceof GoInt ? (v.big ?? v.value) : (v as number);
}

function typeOfConcrete(v: Exclude<GoValue, null> | typeof INVALID): string {
  return v === INVALID ? '<nil>' : goTypeName(v);
}

function eq(args: RV[]): RV {
  const a1 = concrete(argAt(args, 0));
  if (args.length < 2) throw new CallError('missing argument for comparison');
  const k1 = basicKind(a1);
  for (let i = 1; i < args.length; i++) {
    const a = concrete(argAt(args, i));
    const k2 = basicKind(a);
    let truth = false;
    if (a1 instanceof GoObject || a instanceof GoObject) {
      if (a1 === INVALID || a === INVALID) {
        truth = a1 === a;
      } else if (!(a1 instanceof GoObject && a instanceof GoObject && a1.goType === a.goType)) {
        throw new CallError(`incompatible types for comparison: ${typeOfConcrete(a1)} and ${typeOfConcrete(a)}`);
      } else {
        // Pointers compare by identity; values (complex128, time.Time) by what they hold.
        truth = a1.goKind === 'ptr' ? a1 === a : a1[GO_STRING]() === a[GO_STRING]();
      }
      if (truth) return true;
      continue;
    }
    if (k1 !== k2) {
      if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) {
        truth = num(a1) >= 0 && num(a) >= 0 && num(a1) === num(a);
      } else if (a1 !== INVALID && a !== INVALID) {
        throw new CallError(`incompatible types for comparison: ${typeOfConcrete(a1)} and ${typeOfConcrete(a)}`);
      }
    } else if (k1 === 'invalid') {
      // Slices, maps, or nil on both sides.
      const kindOf = (v: typeof a1): string => (v === INVALID ? 'invalid' : Array.isArray(v) ? 'slice' : 'map');
      const ka = kindOf(a1);
      const kb = kindOf(a);
      if (ka !== kb && ka !== 'invalid' && kb !== 'invalid') {
        throw new CallError(
          `non-comparable types ${sprintf('%s', a1 as GoValue)}: ${typeOfConcrete(a1)}, ${typeOfConcrete(a)}: ${formatValue(a as GoValue)}`,
        );
      }
      if (a1 === INVALID || a === INVALID) {
        truth = a1 === a;
      } else {
        throw new CallError(`non-comparable type ${sprintf('%s', a)}: ${goTypeName(a)}`);
      }
    } else {
      truth = k1 === 'int' || k1 === 'uint' ? num(a1) === num(a) : a1 === a;
    }
    if (truth) return true;
  }
  return false;
}

function lt(args: RV[]): RV {
  const a1 = concrete(argAt(args, 0));
  const k1 = basicKind(a1);
  if (k1 === 'invalid') throw new CallError('invalid type for comparison');
  const a2 = concrete(argAt(args, 1));
  const k2 = basicKind(a2);
  if (k2 === 'invalid') throw new CallError('invalid type for comparison');
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return num(a1) < 0 || num(a1) < num(a2);
    if (k1 === 'uint' && k2 === 'int') return num(a2) >= 0 && num(a1) < num(a2);
    throw new CallError(`incompatible types for comparison: ${typeOfConcrete(a1)} and ${typeOfConcrete(a2)}`);
  }
  switch (k1) {
    case 'bool':
      throw new CallError('invalid type for comparison');
    case 'string':
      return compareGoStrings(a1 as string, a2 as string) < 0;
    default:
      return num(a1) < num(a2);
  }
}

function le(args: RV[]): RV {
  return lt(args) === true || eq(args) === true;
}

/** Go's `evalArgs` for html/js/urlquery: one string as is, else Sprint with nil as `<no value>`. */
function evalArgs(args: RV[]): string {
  if (args.length === 1) {
    const a = args[0];
    if (typeof a === 'string') return a;
  }
  const vals = args.map((a) => {
    const c = a instanceof Iface ? a.v : a;
    return c === null || c === INVALID ? '<no value>' : c;
  });
  return sprint(...vals);
}

export function htmlEscape(s: string): string {
  if (!/['"&<>\0]/.test(s)) return s;
  return s.replace(/['"&<>\0]/g, (c) => {
    switch (c) {
      case '"':
        return '&#34;';
      case "'":
        return '&#39;';
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      default:
        return '\uFFFD';
    }
  });
}

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const r = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
    }
    if (r < 0x20) out += '\\u00' + r.toString(16).toUpperCase().padStart(2, '0');
    else if (r < 0x80 || isPrint(r)) out += ch;
    else out += '\\u' + r.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/** Go's `url.QueryEscape`. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of utf8Bytes(s)) {
    if ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x5f || b === 0x2e || b === 0x7e) {
      out += String.fromCharCode(b);
    } else if (b === 0x20) {
      out += '+';
    } else {
      out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
    }
  }
  return out;
}

function plain(args: RV[]): GoValue[] {
  return args.map((a) => (a instanceof Iface ? a.v : a === INVALID ? null : a));
}

function callBuiltin(args: RV[]): RV {
  // args[0] is the callee's name, inserted by the executor as Go does.
  const name = args[0] as string;
  const fn = concrete(argAt(args, 1));
  if (fn === INVALID) throw new CallError('call of nil');
  // Template data never holds Go functions, so everything else is a non-function.
  throw new CallError(`non-function ${name} of type ${goTypeName(fn)}`);
}

const RV_ = 'reflect.Value' as const;
const ANY = 'interface {}' as const;

function def(params: ParamType[], call: (args: RV[]) => RV, variadic?: ParamType): ExecFunc {
  return variadic ? { params, variadic, builtin: true, call } : { params, builtin: true, call };
}

/** text/template's builtin function map (`builtins()` in funcs.go). */
export const BUILTINS: ReadonlyMap<string, ExecFunc> = new Map<string, ExecFunc>([
  ['and', def([RV_], () => INVALID, RV_)],
  ['or', def([RV_], () => INVALID, RV_)],
  ['not', def([RV_], (a) => !isTrue(argAt(a, 0)))],
  ['call', def([RV_], callBuiltin, RV_)],
  ['html', def([], (a) => htmlEscape(evalArgs(a)), ANY)],
  ['js', def([], (a) => jsEscape(evalArgs(a)), ANY)],
  ['urlquery', def([], (a) => queryEscape(evalArgs(a)), ANY)],
  ['index', def([RV_], index, RV_)],
  ['slice', def([RV_], slice, RV_)],
  ['len', def([RV_], length)],
  ['print', def([], (a) => sprint(...plain(a)), ANY)],
  ['printf', def(['string'], (a) => sprintf(a[0] as string, ...plain(a.slice(1))), ANY)],
  ['println', def([], (a) => sprintln(...plain(a)), ANY)],
  ['eq', def([RV_], eq, RV_)],
  ['ne', def([RV_, RV_], (a) => !eq(a))],
  ['lt', def([RV_, RV_], lt)],
  ['le', def([RV_, RV_], le)],
  ['gt', def([RV_, RV_], (a) => !le(a))],
  ['ge', def([RV_, RV_], (a) => !lt(a))],
]);

export type { GoMap };
