/**
 * sprig arithmetic and conversion (numeric.go, functions.go). Integer functions convert every
 * operand with spf13/cast (strings parsed, floats truncated, errors become 0); the `...f`
 * functions go through shopspring/decimal, which is why `addf 0.1 0.2` is exactly 0.3.
 */
import { GoFuncDef, GoInt, GoValue, int64Op, typedSlice } from '../value';
import { formatValue } from '../fmt';
import { goPanic, int, int64, num, parseGoIntExact, str, toFloat64, toInt64Exact } from './util';

type Defs = Record<string, GoFuncDef>;

// ---------------------------------------------------------------------------------------------
// A minimal decimal: coefficient × 10^exp, exact, like shopspring/decimal for + - × and ÷ to 16
// places (its DivisionPrecision) rounded half away from zero.

interface Dec {
  c: bigint;
  e: number;
}

function decFromFloat(f: number): Dec {
  if (Number.isNaN(f) || !Number.isFinite(f)) goPanic(`Cannot create a Decimal from ${formatValue(f)}`);
  if (f === 0) return { c: 0n, e: 0 };
  // JS prints the shortest round-tripping digits, the same digits shopspring derives
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(f));
  if (!m) return { c: 0n, e: 0 };
  const frac = m[3] ?? '';
  const c = BigInt((m[1] ?? '') + (m[2] ?? '0') + frac);
  return { c, e: Number(m[4] ?? 0) - frac.length };
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.c * 10n ** BigInt(a.e - e), b.c * 10n ** BigInt(b.e - e), e];
}

const decAdd = (a: Dec, b: Dec): Dec => {
  const [x, y, e] = align(a, b);
  return { c: x + y, e };
};
const decSub = (a: Dec, b: Dec): Dec => {
  const [x, y, e] = align(a, b);
  return { c: x - y, e };
};
const decMul = (a: Dec, b: Dec): Dec => ({ c: a.c * b.c, e: a.e + b.e });

const PRECISION = 16;
function decDiv(a: Dec, b: Dec): Dec {
  if (b.c === 0n) goPanic('decimal division by 0');
  // quotient q at exponent -16: a / b = q × 10^-16 + remainder
  const shift = a.e - b.e + PRECISION;
  let num = a.c;
  let den = b.c;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  let q = num / den;
  const r = num - q * den;
  const abs = (x: bigint): bigint => (x < 0n ? -x : x);
  if (2n * abs(r) >= abs(den)) q += (a.c < 0n) !== (b.c < 0n) ? -1n : 1n;
  return { c: q, e: -PRECISION };
}

function decToFloat(d: Dec): number {
  return Number(`${d.c}e${d.e}`);
}

function decimalOp(a: GoValue, rest: GoValue[], op: (x: Dec, y: Dec) => Dec): number {
  let acc = decFromFloat(toFloat64(a));
  for (const x of rest) acc = op(acc, decFromFloat(toFloat64(x)));
  return decToFloat(acc) || 0;
}

// ---------------------------------------------------------------------------------------------

type I64 = number | bigint;

function idiv(a: I64, b: I64): I64 {
  if (b === 0 || b === 0n) goPanic('runtime error: integer divide by zero');
  if (typeof a === 'number' && typeof b === 'number') return Math.trunc(a / b) || 0;
  return BigInt.asIntN(64, BigInt(a) / BigInt(b));
}
function imod(a: I64, b: I64): I64 {
  if (b === 0 || b === 0n) goPanic('runtime error: integer divide by zero');
  if (typeof a === 'number' && typeof b === 'number') return a % b || 0;
  return BigInt(a) % BigInt(b);
}

const toI = (v: GoValue | undefined): I64 => toInt64Exact(v ?? null);
const maxI = (xs: I64[]): I64 => xs.reduce((m, x) => (x > m ? x : m));
const minI = (xs: I64[]): I64 => xs.reduce((m, x) => (x < m ? x : m));

/**
 * Bounds the lists until/untilStep/seq build. Go allocates 10^8 ints without complaint; here each
 * is an object, and the executor stops after 10^6 steps anyway (see MAX_EXEC_STEPS in exec.ts),
 * so a longer list could never be walked. Real templates build lists of a few dozen elements.
 */
export const MAX_LIST_LENGTH = 1_000_000;

export function untilStep(start: number, stop: number, step: number): number[] {
  const v: number[] = [];
  if (step !== 0 && (stop - start) / step > MAX_LIST_LENGTH) goPanic(`Home-Ops does not build lists of more than ${MAX_LIST_LENGTH} elements (from ${start} to ${stop} by ${step})`);
  if (stop < start) {
    if (step >= 0) return v;
    for (let i = start; i > stop; i += step) v.push(i);
    return v;
  }
  if (step <= 0) return v;
  for (let i = start; i < stop; i += step) v.push(i);
  return v;
}

const intSlice = (ns: number[]): GoValue => typedSlice(ns.map(int), 'int');

function seq(params: number[]): string {
  const join = (ns: number[]): string => ns.join(' ');
  let inc = 1;
  switch (params.length) {
    case 1: {
      const end = params[0] as number;
      if (end < 1) inc = -1;
      return join(untilStep(1, end + inc, inc));
    }
    case 2: {
      const [start, end] = params as [number, number];
      const step = end < start ? -1 : 1;
      return join(untilStep(start, end + step, step));
    }
    case 3: {
      const [start, step, end] = params as [number, number, number];
      if (end < start) {
        inc = -1;
        if (step > 0) return '';
      }
      return join(untilStep(start, end + inc, step));
    }
    default:
      return '';
  }
}

function round(a: GoValue, p: number, opt: GoValue[]): number {
  const roundOn = opt.length > 0 ? toFloat64(opt[0] as GoValue) : 0.5;
  const val = toFloat64(a);
  const pow = Math.pow(10, p);
  const digit = pow * val;
  const frac = digit - Math.trunc(digit);
  const r = frac >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

/** strconv.Atoi: decimal only, optional sign, no underscores; errors give 0. */
function atoi(s: string): I64 {
  if (!/^[+-]?[0-9]+$/.test(s)) return 0;
  return parseGoIntExact(s.replace(/^([+-]?)0+(?=\d)/, '$1')) ?? 0;
}

/** strconv.ParseInt(fmt.Sprint(v), 8, 64); errors give 0. */
function toDecimal(v: GoValue): I64 {
  const s = formatValue(v);
  if (!/^[+-]?[0-7]+$/.test(s)) return 0;
  const neg = s.startsWith('-');
  const n = BigInt('0o' + s.replace(/^[+-]/, ''));
  const r = neg ? -n : n;
  if (r < -(2n ** 63n) || r > 2n ** 63n - 1n) return 0;
  return r;
}

const I = 'interface {}' as const;

export const mathFuncs: Defs = {
  add1: { params: [I], fn: (a) => int64(int64Op(toI(a), 1, '+')) },
  add: { params: [], variadic: I, fn: (...xs) => int64(xs.reduce<I64>((s, x) => int64Op(s, toI(x), '+'), 0)) },
  sub: { params: [I, I], fn: (a, b) => int64(int64Op(toI(a), toI(b), '-')) },
  div: { params: [I, I], fn: (a, b) => int64(idiv(toI(a), toI(b))) },
  mod: { params: [I, I], fn: (a, b) => int64(imod(toI(a), toI(b))) },
  mul: {
    params: [I],
    variadic: I,
    fn: (a, ...xs) => int64(xs.reduce<I64>((s, x) => int64Op(s, toI(x), '*'), toI(a))),
  },
  randInt: {
    params: ['int', 'int'],
    fn: (lo, hi) => {
      const n = num(hi) - num(lo);
      if (n <= 0) goPanic('invalid argument to Intn');
      return int(Math.floor(Math.random() * n) + num(lo));
    },
  },
  add1f: { params: [I], fn: (a) => decimalOp(a as GoValue, [new GoInt(1)], decAdd) },
  addf: { params: [], variadic: I, fn: (...xs) => decimalOp(0, xs, decAdd) },
  subf: { params: [I], variadic: I, fn: (a, ...xs) => decimalOp(a as GoValue, xs, decSub) },
  mulf: { params: [I], variadic: I, fn: (a, ...xs) => decimalOp(a as GoValue, xs, decMul) },
  divf: { params: [I], variadic: I, fn: (a, ...xs) => decimalOp(a as GoValue, xs, decDiv) },
  biggest: { params: [I], variadic: I, fn: (a, ...xs) => int64(maxI([toI(a), ...xs.map(toI)])) },
  max: { params: [I], variadic: I, fn: (a, ...xs) => int64(maxI([toI(a), ...xs.map(toI)])) },
  min: { params: [I], variadic: I, fn: (a, ...xs) => int64(minI([toI(a), ...xs.map(toI)])) },
  maxf: { params: [I], variadic: I, fn: (a, ...xs) => xs.reduce<number>((m, x) => Math.max(m, toFloat64(x)), toFloat64(a as GoValue)) },
  minf: { params: [I], variadic: I, fn: (a, ...xs) => xs.reduce<number>((m, x) => Math.min(m, toFloat64(x)), toFloat64(a as GoValue)) },
  ceil: { params: [I], fn: (a) => Math.ceil(toFloat64(a as GoValue)) },
  floor: { params: [I], fn: (a) => Math.floor(toFloat64(a as GoValue)) },
  round: { params: [I, 'int'], variadic: 'float64', fn: (a, p, ...o) => round(a as GoValue, num(p), o) },
  seq: { params: [], variadic: 'int', fn: (...ps) => seq(ps.map(num)) },
  until: {
    params: ['int'],
    fn: (c) => intSlice(untilStep(0, num(c), num(c) < 0 ? -1 : 1)),
  },
  untilStep: { params: ['int', 'int', 'int'], fn: (a, b, c) => intSlice(untilStep(num(a), num(b), num(c))) },
  atoi: { params: ['string'], fn: (s) => int(atoi(str(s))) },
  int64: { params: [I], fn: (v) => int64(toI(v)) },
  int: { params: [I], fn: (v) => int(toI(v)) },
  float64: { params: [I], fn: (v) => toFloat64(v as GoValue) },
  toDecimal: { params: [I], fn: (v) => int64(toDecimal(v as GoValue)) },
};

