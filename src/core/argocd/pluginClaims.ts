/**
 * Whether a Config Management Plugin of the repository claims, or may claim, a folder whose
 * source names no type — for the engine, which reads no disk: Argo CD offers such a folder to the
 * plugins with discover rules before a kustomization, a Chart.yaml or a plain directory decides
 * (pluginDiscovery.ts). "May": a discover command, or a rule only the sidecar can judge, could say
 * yes, so what the engine would say of a plain directory there could be false.
 */
import { treeGlobFs } from '../glob/treeGlobFs';
import type { GlobFs } from '../glob/fileGlob';
import { discoverAnswer, discoveryOrder } from './pluginDiscovery';
import { findPlugins, type PluginDefinition } from './plugins';

export interface PluginClaims {
  /** Whether a plugin claims or may claim the folder (repository-relative, '' for the root). */
  mayClaim(dir: string): boolean;
  /** The files that define the discovering plugins, inputs of what mayClaim said; none before it was asked. */
  readonly definitionFiles: readonly string[];
}

/**
 * `files` is the repository's file list (what the discover globs see); `definitionFiles` the
 * files that may define plugins (the model's pluginFiles(), so that no other text is read).
 */
export function pluginClaims(files: ReadonlySet<string>, definitionFiles: () => readonly string[], readText: (file: string) => string | undefined): PluginClaims {
  let discovering: PluginDefinition[] | undefined;
  let fs: GlobFs | undefined;
  const plugins = () => (discovering ??= discoveryOrder(findPlugins({ files: definitionFiles(), readText })));
  return {
    mayClaim(dir) {
      const found = plugins();
      if (found.length === 0) return false;
      fs ??= treeGlobFs(files);
      const view = fs;
      return found.some((p) => ['match', 'command', 'unknown'].includes(discoverAnswer(p, dir, view).kind));
    },
    get definitionFiles() {
      return [...new Set((discovering ?? []).map((p) => p.origin.replace(/:\d+$/, '')))].filter((f) => files.has(f));
    },
  };
}
