/**
 * The function map the golden cases were run with in Go. Each entry mirrors a Go function of
 * the same parameter types (shown in the comment), so argument checking is exercised for every
 * kind of parameter.
 */
import { GoInt, type GoFuncDef, type GoType, type GoValue, typedMap, typedSlice } from '../../../src/core/template/value';

function f(params: GoType[], fn: (...a: GoValue[]) => GoValue, variadic?: GoType): GoFuncDef {
  return variadic ? { params, variadic, fn } : { params, fn };
}

const int = (v: GoValue): number => (v as GoInt).value;

export const TEST_FUNCS: ReadonlyMap<string, GoFuncDef> = new Map<string, GoFuncDef>([
  ['upper', f(['string'], (s) => (s as string).toUpperCase())], // strings.ToUpper
  ['add', f(['int', 'int'], (a, b) => new GoInt(int(a) + int(b)))], // func(a, b int) int
  ['addf', f(['float64', 'float64'], (a, b) => (a as number) + (b as number))], // func(a, b float64) float64
  ['mk64', f([], () => new GoInt(7, 'int64'))], // func() int64
  ['i64', f(['int64'], (x) => x)], // func(x int64) int64
  ['join', f(['string'], (sep, ...items) => items.join(sep as string), 'string')], // func(sep string, items ...string) string
  [
    'fail',
    f(['string'], (msg) => {
      throw new Error(msg as string);
    }),
  ], // func(msg string) (string, error)
  ['nilret', f([], () => null)], // func() any
  ['strs', f([], () => typedSlice(['a', 'b'], 'string'))], // func() []string
  ['m', f([], () => ({ k: 'v', n: null }))], // func() map[string]any
  ['anyid', f(['interface {}'], (x) => x)], // func(x any) any
  ['u8', f(['uint8'], (x) => x)], // func(x uint8) uint8
  ['f32', f(['float32'], (x) => x)], // func(x float32) float32
  ['boolid', f(['bool'], (x) => x)], // func(b bool) bool
  ['lst', f([], (...xs) => xs, 'interface {}')], // func(xs ...any) []any
  ['strid', f(['string'], (x) => x)], // func(s string) string
]);

/** Go's json.Unmarshal result for the golden data, with the typed containers the harness made. */
export function goData(v: unknown, key = ''): GoValue {
  if (Array.isArray(v)) {
    const items = v.map((e) => goData(e));
    return key === 'segments' ? typedSlice(items, 'string') : items;
  }
  if (v !== null && typeof v === 'object') {
    const out: Record<string, GoValue> = {};
    for (const [k, e] of Object.entries(v)) out[k] = goData(e, k);
    return key === 'labels' ? typedMap(out, 'string') : out;
  }
  return v as GoValue;
}
