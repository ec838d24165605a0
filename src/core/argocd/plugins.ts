/**
 * Config Management Plugins a repository defines for its Argo CD. An Application with
 * `source.plugin` is rendered by the plugin's sidecar (reposerver/repository/repository.go
 * `runConfigManagementPluginSidecars`; cmpserver/plugin/plugin.go `generateManifest`: `init` then
 * `generate`, each `command` + `args` run in the app's folder, stdout the manifests), not by
 * helm or kustomize. A home-ops repository that installs Argo CD usually holds the plugin's
 * definition too:
 *
 * - a `ConfigManagementPlugin` document (the sidecar's `plugin.yaml`), on its own or as a value
 *   of the `argocd-cmp-cm` ConfigMap (docs/operator-manual/config-management-plugins.md);
 * - the argo-cd Helm chart's values, `configs.cmp.plugins.<name>: { init, generate, discover }`
 *   (argo-helm charts/argo-cd values.yaml, `configs.cmp`).
 *
 * A sidecar listens on `<name>.sock`, or `<name>-<version>.sock` when its spec has a version
 * (argo-cd v3.6.2 cmpserver/plugin/config.go `Address`), and the repo-server dials
 * `<plugin.name>.sock` for a named plugin (util/app/discovery/discovery.go
 * `DetectConfigManagementPlugin`): a versioned plugin answers to `<name>-<version>` only.
 *
 * Plugins of the legacy `argocd-cm` `configManagementPlugins` key (deprecated in 2.4, removed in
 * 2.8: docs/operator-manual/config-management-plugins.md, "Migrating from argocd-cm plugins")
 * are not read: they had no discover rules and ran only when named (reposerver/repository/
 * repository.go before 2.8: `Plugin.Name != ""` → `runConfigManagementPlugin` with argocd-cm's
 * list; discovery, util/app/discovery, only ever asked the sidecars' sockets), so they take no
 * part in discovery in any release, and the releases toolVersions.ts knows (3.1+) have none.
 */
import { loadAllYaml, loadYaml } from '../yaml/load';
import type { RepoFiles } from './source';

export interface PluginCommand {
  command: string[];
  args: string[];
}

/** `spec.discover`: the first rule set decides (pluginDiscovery.ts). */
export interface PluginDiscoverRules {
  fileName?: string;
  glob?: string;
  command?: PluginCommand;
}

export interface PluginDefinition {
  name: string;
  version?: string;
  init?: PluginCommand;
  generate: PluginCommand;
  /** Absent when the plugin has none (it then answers only to its name). */
  discover?: PluginDiscoverRules;
  /** `file:line` where it is defined. */
  origin: string;
}

function rec(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function commandOf(v: unknown): PluginCommand | undefined {
  const c = rec(v);
  const command = strings(c?.['command']);
  return command.length ? { command, args: strings(c?.['args']) } : undefined;
}

function definition(name: string, spec: Record<string, unknown> | undefined, origin: string): PluginDefinition | undefined {
  const generate = commandOf(spec?.['generate']);
  if (!name || !generate) return undefined;
  const init = commandOf(spec?.['init']);
  const version = typeof spec?.['version'] === 'string' && spec['version'] !== '' ? spec['version'] : undefined;
  const discover = discoverOf(spec?.['discover']);
  return { name, ...(version ? { version } : {}), ...(init ? { init } : {}), generate, ...(discover ? { discover } : {}), origin };
}

/** `discover: { fileName, find: { glob, command, args } }`; undefined when no rule is set (Discover.IsDefined). */
function discoverOf(v: unknown): PluginDiscoverRules | undefined {
  const d = rec(v);
  const find = rec(d?.['find']);
  const fileName = typeof d?.['fileName'] === 'string' && d['fileName'] !== '' ? d['fileName'] : undefined;
  const glob = typeof find?.['glob'] === 'string' && find['glob'] !== '' ? find['glob'] : undefined;
  const command = commandOf(find);
  if (!fileName && !glob && !command) return undefined;
  return { ...(fileName ? { fileName } : {}), ...(glob ? { glob } : {}), ...(command ? { command } : {}) };
}

/** Text every file that defines a plugin holds (a ConfigManagementPlugin, argocd-cmp-cm, Helm values' `cmp:`). */
export const PLUGIN_DEFINITION_MARKER = /ConfigManagementPlugin|argocd-cmp-cm|\bcmp\s*:/;

/** Every plugin the repository defines, in file order. */
export function findPlugins(repo: RepoFiles): PluginDefinition[] {
  const out: PluginDefinition[] = [];
  for (const file of [...repo.files].sort()) {
    if (!/\.ya?ml$/i.test(file)) continue;
    const text = repo.readText(file);
    if (text === undefined || !PLUGIN_DEFINITION_MARKER.test(text)) continue;
    const lineOf = (needle: string): number => {
      const i = text.split('\n').findIndex((l) => l.includes(needle));
      return i < 0 ? 1 : i + 1;
    };
    let docs: unknown[];
    try {
      docs = loadAllYaml(text, 'argocd-manifest');
    } catch {
      continue;
    }
    const fromPluginDoc = (doc: unknown, at: (name: string) => string): void => {
      const v = rec(doc);
      if (v?.['kind'] !== 'ConfigManagementPlugin') return;
      const name = String(rec(v['metadata'])?.['name'] ?? '');
      const d = definition(name, rec(v['spec']), at(name));
      if (d) out.push(d);
    };
    for (const doc of docs) {
      const v = rec(doc);
      if (!v) continue;
      fromPluginDoc(v, (name) => `${file}:${lineOf(`name: ${name}`)}`);
      if (v['kind'] === 'ConfigMap' && rec(v['metadata'])?.['name'] === 'argocd-cmp-cm') {
        for (const [key, value] of Object.entries(rec(v['data']) ?? {})) {
          if (typeof value !== 'string') continue;
          try {
            fromPluginDoc(loadYaml(value, 'argocd-embedded'), () => `${file}:${lineOf(`${key}:`)}`);
          } catch {
            // Argo CD's sidecar would refuse it too; nothing to run.
          }
        }
      }
      const plugins = rec(rec(rec(v['configs'])?.['cmp'])?.['plugins']);
      for (const [name, spec] of Object.entries(plugins ?? {})) {
        const d = definition(name, rec(spec), `${file}:${lineOf(`${name}:`)}`);
        if (d) out.push(d);
      }
    }
  }
  return out;
}

/** The name a sidecar answers to: its socket file without `.sock` (`name`, or `name-version`). */
export function pluginSocketName(p: PluginDefinition): string {
  return p.version ? `${p.name}-${p.version}` : p.name;
}

/** The plugin an Application's `plugin.name` reaches: the first one defined with that socket name. */
export function pluginNamed(plugins: readonly PluginDefinition[], name: string): PluginDefinition | undefined {
  return plugins.find((p) => pluginSocketName(p) === name);
}

/** The name the user allows a repository plugin by (like a build option): `plugin:NAME`. */
export function pluginAllowance(name: string): string {
  return `plugin:${name}`;
}
