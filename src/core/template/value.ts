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
 *
 * Generator parameters arrive as plain JSON-like data (numbers are float64, as after Go's
 * `json.Unmarshal`), so they need no conversion; only `path.segments` is a `[]string`.
 */

/** Go integer kinds that sprig and the builtins produce or accept. */
export type GoIntKind = 'int' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint' | 'uint8' | 'uint16' | 'uint32' | 'uint64';

/** A Go integer. `value` is always an integral JS number (int64 beyond 2^53 is not modelled). */
export class GoInt {
  constructor(
    readonly value: number,
    readonly kind: GoIntKind = 'int',
  ) {}
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
  | '[]uint8';

export type GoValue = string | boolean | null | number | GoInt | GoValue[] | GoMap;

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
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoInt);
}

/** Go's `reflect.Type.String()` of a value, as sprig's `typeOf` prints it (`<nil>` for nil). */
export function goTypeName(v: GoValue): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (v instanceof GoInt) return v.kind;
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
