/**
 * Results a rule keeps between lint runs (in ctx.store) while what they were made from holds:
 * every dependency the same value or object (===) — the model keeps an ApplicationSet's
 * evaluation, and a file's manifests, as the same objects until that file changes — and, when
 * given, `stillValid` true (for inputs not in the list, such as the texts of files read).
 */
import type { RuleContext } from './types';

export function memo<T>(ctx: RuleContext, key: string, deps: readonly unknown[], make: () => T, stillValid: (value: T) => boolean = () => true): T {
  const hit = ctx.store.get(key) as { deps: readonly unknown[]; value: T } | undefined;
  if (hit && hit.deps.length === deps.length && hit.deps.every((d, i) => d === deps[i]) && stillValid(hit.value)) return hit.value;
  const value = make();
  ctx.store.set(key, { deps, value });
  return value;
}

/** What the Applications of the repository depend on: its paths, its evaluations, its manifests. */
export function applicationDeps(ctx: RuleContext): unknown[] {
  return [ctx.model.structureVersion, ...ctx.model.appsets(), ...ctx.model.standaloneApps()];
}
