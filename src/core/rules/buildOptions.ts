/**
 * The repository's own `kustomize.buildOptions` for Argo CD (argocd-cm, or the Argo CD Helm
 * chart's `configs.cm`), found the way the render preview finds them (argocd/source.ts), for
 * rules whose verdict depends on how Argo CD runs kustomize.
 */
import { findBuildOptions, splitBuildOptions, type BuildOptionsOrigin } from '../argocd/source';
import { CacheSlot } from './cache';
import type { RuleContext } from './types';

/** Every place the repository sets build options, most specific first; read once per lint run. */
export function repositoryBuildOptions(ctx: RuleContext): BuildOptionsOrigin[] {
  return ctx.run.get(BUILD_OPTIONS) ?? ctx.run.set(BUILD_OPTIONS, findBuildOptions({ files: ctx.model.buildOptionFiles(), readText: (f) => ctx.model.textOf(f) }));
}
const BUILD_OPTIONS = new CacheSlot<BuildOptionsOrigin[]>('build options');

/**
 * Whether `kustomize build` with these options loads files from outside a kustomization's
 * folder: `--load-restrictor LoadRestrictionsNone` (or `=`); the last occurrence wins, as
 * kustomize's flag parser keeps the last value.
 */
export function disablesLoadRestrictor(options: string): boolean {
  const args = splitBuildOptions(options);
  let value: string | undefined;
  args.forEach((a, i) => {
    if (a === '--load-restrictor') value = args[i + 1];
    else if (a.startsWith('--load-restrictor=')) value = a.slice('--load-restrictor='.length);
  });
  return value === 'LoadRestrictionsNone';
}
