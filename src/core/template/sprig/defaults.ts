/** sprig defaults.go (default/empty/coalesce/…/JSON/ternary) and reflect.go. */
import { GoFuncDef, GoValue, goKindName, goTypeName } from '../value';
import { JsonError, marshalJson, unmarshalJson } from './json';
import { deepEqual, goPanic, isEmpty, isStringer, str } from './util';

type Defs = Record<string, GoFuncDef>;

const I = 'interface {}' as const;

/** Go type and kind of sprig's struct-like values (time.Time, *semver.Version). */
export interface GoTyped {
  readonly goType: string;
  readonly goKind: string;
}

function typed(v: GoValue): GoTyped | undefined {
  if (!isStringer(v)) return undefined;
  const t = v as unknown as Partial<GoTyped>;
  return typeof t.goType === 'string' && typeof t.goKind === 'string' ? (t as GoTyped) : undefined;
}

/** `%T` of a value. */
export function typeOf(v: GoValue): string {
  return typed(v)?.goType ?? goTypeName(v);
}

/** reflect.Value.Kind().String() of a value. */
export function kindOf(v: GoValue): string {
  return typed(v)?.goKind ?? goKindName(v);
}

function toJson(v: GoValue, opts: { indent?: string; escapeHTML?: boolean }, swallow: boolean): string {
  try {
    return marshalJson(v, opts);
  } catch (e) {
    if (swallow && e instanceof JsonError) return '';
    throw e;
  }
}

function fromJson(s: string, must: boolean): GoValue {
  try {
    const r = unmarshalJson(s);
    if (r.error && must) throw r.error;
    return r.value;
  } catch (e) {
    if (!must && e instanceof JsonError) return null;
    throw e;
  }
}

export const defaultFuncs: Defs = {
  default: {
    params: [I],
    variadic: I,
    fn: (d, ...given) => (given.length === 0 || isEmpty(given[0]) ? (d as GoValue) : (given[0] as GoValue)),
  },
  empty: { params: [I], fn: (v) => isEmpty(v) },
  coalesce: { params: [], variadic: I, fn: (...xs) => xs.find((x) => !isEmpty(x)) ?? null },
  all: { params: [], variadic: I, fn: (...xs) => xs.every((x) => !isEmpty(x)) },
  any: { params: [], variadic: I, fn: (...xs) => xs.some((x) => !isEmpty(x)) },
  ternary: { params: [I, I, 'bool'], fn: (t, f, c) => (c === true ? (t as GoValue) : (f as GoValue)) },
  fromJson: { params: ['string'], fn: (s) => fromJson(str(s), false) },
  mustFromJson: { params: ['string'], fn: (s) => fromJson(str(s), true) },
  toJson: { params: [I], fn: (v) => toJson(v as GoValue, {}, true) },
  mustToJson: { params: [I], fn: (v) => toJson(v as GoValue, {}, false) },
  toPrettyJson: { params: [I], fn: (v) => toJson(v as GoValue, { indent: '  ' }, true) },
  mustToPrettyJson: { params: [I], fn: (v) => toJson(v as GoValue, { indent: '  ' }, false) },
  // toRawJson panics on failure rather than returning ""
  toRawJson: { params: [I], fn: (v) => toJson(v as GoValue, { escapeHTML: false }, false) },
  mustToRawJson: { params: [I], fn: (v) => toJson(v as GoValue, { escapeHTML: false }, false) },
  typeOf: { params: [I], fn: (v) => typeOf(v as GoValue) },
  typeIs: { params: ['string', I], fn: (t, v) => str(t) === typeOf(v as GoValue) },
  typeIsLike: {
    params: ['string', I],
    fn: (t, v) => {
      const have = typeOf(v as GoValue);
      return str(t) === have || '*' + str(t) === have;
    },
  },
  kindOf: { params: [I], fn: (v) => kindOf(v as GoValue) },
  kindIs: { params: ['string', I], fn: (t, v) => str(t) === kindOf(v as GoValue) },
  deepEqual: { params: [I, I], fn: (a, b) => deepEqual(a as GoValue, b as GoValue) },
  fail: { params: ['string'], fn: (msg) => goPanic(str(msg)) },
};
