/**
 * sprig list functions (list.go). Each `mustX` returns Go's error; the plain `x` panics with the
 * same error, and text/template reports both the same way, so both throw the same message here.
 */
import { GoFuncDef, GoValue, elemTypeOf, typedSlice } from '../value';
import { deepEqual, floatToInt64, goPanic, isEmpty, kindOrPanic, num, toInt64 } from './util';

type Defs = Record<string, GoFuncDef>;

/** The elements of a slice argument, or Go's "Cannot <what> on type <kind>" error. */
function items(v: GoValue, what: string): GoValue[] {
  const kind = kindOrPanic(v);
  if (kind !== 'slice' || !Array.isArray(v)) goPanic(`${what} ${kind}`);
  return v;
}

function chunk(size: number, v: GoValue): GoValue {
  const l = items(v, 'Cannot chunk type');
  // Go computes the chunk count in float64; a zero or negative size ends in a makeslice panic
  const cs = floatToInt64(Math.floor((l.length - 1) / size) + 1);
  if (cs < 0) goPanic('runtime error: makeslice: len out of range');
  const out: GoValue[] = [];
  for (let i = 0; i < cs; i++) {
    let clen = size;
    if (i === cs - 1) {
      clen = Math.floor(l.length % size);
      if (clen === 0) clen = size;
    }
    const c: GoValue[] = [];
    for (let j = 0; j < clen; j++) {
      const ix = i * size + j;
      if (ix >= l.length) goPanic('reflect: slice index out of range');
      c.push(l[ix] as GoValue);
    }
    out.push(c);
  }
  return typedSlice(out, '[]interface {}');
}

function slice(v: GoValue, indices: GoValue[]): GoValue {
  const l = items(v, 'list should be type of slice or array but');
  if (l.length === 0) return null;
  const start = indices.length > 0 ? Number(toIntCast(indices[0] as GoValue)) : 0;
  const end = indices.length < 2 ? l.length : Number(toIntCast(indices[1] as GoValue));
  if (start < 0 || end < start || end > l.length) goPanic('reflect.Value.Slice: slice index out of bounds');
  const r = l.slice(start, end);
  const et = elemTypeOf(l);
  return et === 'interface {}' ? r : typedSlice(r, et);
}

// cast.ToInt shares ToInt64's rules
const toIntCast = toInt64;

const listOrError = (name: string, op: (l: GoValue[], ...rest: GoValue[]) => GoValue, what: string): Defs => ({
  [name]: { params: ['interface {}'], fn: (v) => op(items(v as GoValue, what)) },
});

export const listFuncs: Defs = {
  list: { params: [], variadic: 'interface {}', fn: (...xs) => xs },
  tuple: { params: [], variadic: 'interface {}', fn: (...xs) => xs },
  chunk: { params: ['int', 'interface {}'], fn: (n, v) => chunk(num(n), v as GoValue) },
  mustChunk: { params: ['int', 'interface {}'], fn: (n, v) => chunk(num(n), v as GoValue) },
  slice: { params: ['interface {}'], variadic: 'interface {}', fn: (v, ...ix) => slice(v as GoValue, ix) },
  mustSlice: { params: ['interface {}'], variadic: 'interface {}', fn: (v, ...ix) => slice(v as GoValue, ix) },
  concat: {
    params: [],
    variadic: 'interface {}',
    fn: (...lists) => {
      const res: GoValue[] = [];
      for (const l of lists) {
        const kind = kindOrPanic(l);
        if (!Array.isArray(l)) goPanic(`Cannot concat type ${kind} as list`);
        res.push(...l);
      }
      return res;
    },
  },
  has: { params: ['interface {}', 'interface {}'], fn: (n, h) => has(n as GoValue, h as GoValue) },
  mustHas: { params: ['interface {}', 'interface {}'], fn: (n, h) => has(n as GoValue, h as GoValue) },
  without: {
    params: ['interface {}'],
    variadic: 'interface {}',
    fn: (l, ...omit) => items(l as GoValue, 'Cannot find without on type').filter((x) => !omit.some((o) => deepEqual(x, o))),
  },
  mustWithout: {
    params: ['interface {}'],
    variadic: 'interface {}',
    fn: (l, ...omit) => items(l as GoValue, 'Cannot find without on type').filter((x) => !omit.some((o) => deepEqual(x, o))),
  },
};

function has(needle: GoValue, haystack: GoValue): boolean {
  if (haystack === null) return false;
  return items(haystack, 'Cannot find has on type').some((x) => deepEqual(needle, x));
}

function uniq(l: GoValue[]): GoValue[] {
  const dest: GoValue[] = [];
  for (const x of l) if (!dest.some((d) => deepEqual(x, d))) dest.push(x);
  return dest;
}

const unary: Array<[string, string, (l: GoValue[]) => GoValue]> = [
  ['first', 'Cannot find first on type', (l) => (l.length === 0 ? null : (l[0] as GoValue))],
  ['last', 'Cannot find last on type', (l) => (l.length === 0 ? null : (l[l.length - 1] as GoValue))],
  ['rest', 'Cannot find rest on type', (l) => l.slice(1)],
  ['initial', 'Cannot find initial on type', (l) => l.slice(0, Math.max(0, l.length - 1))],
  ['reverse', 'Cannot find reverse on type', (l) => l.slice().reverse()],
  ['uniq', 'Cannot find uniq on type', uniq],
  ['compact', 'Cannot compact on type', (l) => l.filter((x) => !isEmpty(x))],
];
for (const [name, what, op] of unary) {
  Object.assign(listFuncs, listOrError(name, op, what));
  Object.assign(listFuncs, listOrError('must' + name[0]?.toUpperCase() + name.slice(1), op, what));
}

for (const name of ['append', 'push', 'mustAppend', 'mustPush']) {
  listFuncs[name] = {
    params: ['interface {}', 'interface {}'],
    fn: (l, v) => [...items(l as GoValue, 'Cannot push on type'), v as GoValue],
  };
}
for (const name of ['prepend', 'mustPrepend']) {
  listFuncs[name] = {
    params: ['interface {}', 'interface {}'],
    fn: (l, v) => [v as GoValue, ...items(l as GoValue, 'Cannot prepend on type')],
  };
}
