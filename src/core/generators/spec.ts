/** Narrowing helpers for user YAML, which may hold anything where a field is expected. */
import { didYouMean } from '../spelling';

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function isEmptyValue(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

/** Deep copy of JSON-like data (YAML-loaded specs hold nothing else). */
export function cloneJson<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  // Plain objects and arrays (what YAML gives) by hand: several times faster than structuredClone.
  if (Array.isArray(v)) return v.map(cloneJson) as T;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = cloneJson((v as Record<string, unknown>)[k]);
  return out as T;
}

/** Closest candidate by edit distance, for "did you mean" hints; undefined when none is close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  // Names of keys, generators and files: a longer word may be further off than a typo limit.
  return didYouMean(word, candidates, Math.max(2, Math.floor(word.length / 3)));
}
