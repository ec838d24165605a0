/**
 * Results a rule keeps between lint runs (in ctx.store) while what they were made from holds:
 * every dependency the same value or object (===) — the model keeps an ApplicationSet's
 * evaluation, and a file's manifests, as the same objects until that file changes — and, when
 * given, `stillValid` true (for inputs not in the list, such as the texts of files read).
 */
import { CacheSlot } from './cache';
import type { RuleContext } from './types';

export interface Memoized<T> {
  deps: readonly unknown[];
  value: T;
}

/** The slot for one memo() call site. */
export function memoSlot<T>(name: string): CacheSlot<Memoized<T>> {
  return new CacheSlot<Memoized<T>>(name);
}

export function memo<T>(ctx: RuleContext, slot: CacheSlot<Memoized<T>>, deps: readonly unknown[], make: () => T, stillValid: (value: T) => boolean = () => true): T {
  const hit = ctx.store.get(slot);
  if (hit && hit.deps.length === deps.length && hit.deps.every((d, i) => d === deps[i]) && stillValid(hit.value)) return hit.value;
  return ctx.store.set(slot, { deps, value: make() }).value;
}

/** What the Applications of the repository depend on: its paths, its evaluations, its manifests. */
export function applicationDeps(ctx: RuleContext): unknown[] {
  return [ctx.model.structureVersion, ...ctx.model.appsets(), ...ctx.model.standaloneApps()];
}
