/** sprig dict functions (dict.go) with mergo v1.0.1 merge semantics and copystructure deep copy. */
import { compareGoStrings, sortedKeys } from '../fmt';
import { GoFuncDef, GoMap, GoValue, elemTypeOf, goTypeName, isGoMap, typedMap, typedSlice } from '../value';
import { goPanic, hasOwn, isEmpty, isStringer, map, str, stringSlice, strval } from './util';

type Defs = Record<string, GoFuncDef>;

const M = 'map[string]interface {}' as const;

/** The text of a failed Go type assertion `x.(T)` on an `interface {}`. */
export function assertionPanic(v: GoValue, want: string): never {
  const have = v === null ? 'nil' : typeNameOf(v);
  goPanic(`interface conversion: interface {} is ${have}, not ${want}`);
}

function typeNameOf(v: GoValue): string {
  const t = (v as { goType?: unknown } | null)?.goType;
  return isStringer(v) && typeof t === 'string' ? t : goTypeName(v);
}

function isPlainMap(v: GoValue | undefined): v is GoMap {
  return v !== undefined && v !== null && isGoMap(v) && !isStringer(v) && elemTypeOf(v) === 'interface {}';
}

/**
 * mergo.Merge / MergeWithOverwrite of one src map into dst (in place), as sprig calls it on
 * map[string]interface{}: nested maps merge recursively (into dst's own nested map), slices and
 * scalars replace dst's value when dst's is missing or empty, or always with overwrite (even
 * with an empty src value); a nil src value only lands with overwrite.
 */
export function mergoMerge(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const key of Object.keys(src)) {
    const s = src[key] as GoValue;
    const present = hasOwn(dst, key);
    const d = present ? (dst[key] as GoValue) : undefined;
    if (s === null) {
      if (overwrite) dst[key] = null;
      continue;
    }
    const sIsMap = isGoMap(s) && !isStringer(s);
    if (sIsMap) {
      const dIsMap = d !== undefined && d !== null && isGoMap(d) && !isStringer(d);
      if (dIsMap) {
        mergoMerge(d, s, overwrite);
        if (!isEmpty(d)) continue;
      } else if (d !== undefined && !isEmpty(d) && !overwrite) continue;
      dst[key] = s;
      continue;
    }
    if (Array.isArray(s)) {
      if (d !== undefined && !isEmpty(d)) {
        if (overwrite) dst[key] = s;
        continue;
      }
      dst[key] = s;
      continue;
    }
    if (overwrite || d === undefined || isEmpty(d)) dst[key] = s;
  }
}

/** copystructure.Copy: containers copied, Go types kept. */
export function deepCopy(v: GoValue): GoValue {
  if (Array.isArray(v)) {
    const c = v.map(deepCopy);
    const et = elemTypeOf(v);
    return et === 'interface {}' ? c : typedSlice(c, et);
  }
  if (v !== null && isGoMap(v) && !isStringer(v)) {
    const c: GoMap = {};
    for (const k of Object.keys(v)) c[k] = deepCopy(v[k] as GoValue);
    const et = elemTypeOf(v);
    return et === 'interface {}' ? c : typedMap(c, et);
  }
  return v;
}

/** copystructure.Copy reflects on its argument; nil makes reflect panic. */
function nonNil(v: GoValue): GoValue {
  if (v === null) goPanic('reflect: call of reflect.Value.Type on zero Value');
  return v;
}

function dig(ps: GoValue[]): GoValue {
  if (ps.length < 3) goPanic('dig needs at least three arguments');
  const last = ps[ps.length - 1] as GoValue;
  if (!isPlainMap(last)) assertionPanic(last, M);
  const def = ps[ps.length - 2] as GoValue;
  const ks = ps.slice(0, -2).map((k) => (typeof k === 'string' ? k : assertionPanic(k, 'string')));
  let dict: GoMap = last;
  for (let i = 0; i < ks.length; i++) {
    const k = ks[i] as string;
    if (!hasOwn(dict, k)) return def;
    const step = dict[k] as GoValue;
    if (i === ks.length - 1) return step;
    if (!isPlainMap(step)) assertionPanic(step, M);
    dict = step;
  }
  return def;
}

function merger(overwrite: boolean): GoFuncDef {
  return {
    params: [M],
    variadic: M,
    fn: (dst, ...srcs) => {
      const d = map(dst);
      for (const s of srcs) mergoMerge(d, map(s), overwrite);
      return d;
    },
  };
}

export const dictFuncs: Defs = {
  dict: {
    params: [],
    variadic: 'interface {}',
    fn: (...v) => {
      const d: GoMap = {};
      for (let i = 0; i < v.length; i += 2) d[strval(v[i] as GoValue)] = i + 1 < v.length ? (v[i + 1] as GoValue) : '';
      return d;
    },
  },
  get: { params: [M, 'string'], fn: (d, k) => (hasOwn(map(d), str(k)) ? (map(d)[str(k)] as GoValue) : '') },
  set: {
    params: [M, 'string', 'interface {}'],
    fn: (d, k, v) => {
      map(d)[str(k)] = v as GoValue;
      return d as GoValue;
    },
  },
  unset: {
    params: [M, 'string'],
    fn: (d, k) => {
      delete map(d)[str(k)];
      return d as GoValue;
    },
  },
  hasKey: { params: [M, 'string'], fn: (d, k) => hasOwn(map(d), str(k)) },
  pluck: {
    params: ['string'],
    variadic: M,
    fn: (k, ...ds) => ds.filter((d) => hasOwn(map(d), str(k))).map((d) => map(d)[str(k)] as GoValue),
  },
  // Go ranges maps in random order, so Argo CD's output order is not reproducible; sorted here.
  keys: {
    params: [],
    variadic: M,
    fn: (...ds) => {
      const k: string[] = [];
      for (const d of ds) k.push(...Object.keys(map(d)));
      return stringSlice(k.sort(compareGoStrings));
    },
  },
  // Random order in Go as well; values follow their keys' sorted order here.
  values: { params: [M], fn: (d) => sortedKeys(map(d)).map((k) => map(d)[k] as GoValue) },
  pick: {
    params: [M],
    variadic: 'string',
    fn: (d, ...ks) => {
      const res: GoMap = {};
      for (const k of ks) if (hasOwn(map(d), str(k))) res[str(k)] = map(d)[str(k)] as GoValue;
      return res;
    },
  },
  omit: {
    params: [M],
    variadic: 'string',
    fn: (d, ...ks) => {
      const drop = new Set(ks.map(str));
      const res: GoMap = {};
      for (const k of Object.keys(map(d))) if (!drop.has(k)) res[k] = map(d)[k] as GoValue;
      return res;
    },
  },
  merge: merger(false),
  mustMerge: merger(false),
  mergeOverwrite: merger(true),
  mustMergeOverwrite: merger(true),
  deepCopy: { params: ['interface {}'], fn: (v) => deepCopy(nonNil(v as GoValue)) },
  mustDeepCopy: { params: ['interface {}'], fn: (v) => deepCopy(nonNil(v as GoValue)) },
  dig: { params: [], variadic: 'interface {}', fn: (...ps) => dig(ps) },
};
