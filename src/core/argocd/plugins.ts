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
 * Argo CD names a plugin with a version `<name>-<version>` (cmpserver/plugin/config.go); an
 * Application's `plugin.name` matches either form here.
 */
import { loadAllYaml, loadYaml } from '../yaml/load';
import type { RepoFiles } from './source';

export interface PluginCommand {
  command: string[];
  args: string[];
}

export interface PluginDefinition {
  name: string;
  version?: string;
  init?: PluginCommand;
  generate: PluginCommand;
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

function definition(name: string, spec: Record<string, unknown> | undefined, origin: string, version?: string): PluginDefinition | undefined {
  const generate = commandOf(spec?.['generate']);
  if (!name || !generate) return undefined;
  const init = commandOf(spec?.['init']);
  return { name, ...(version ? { version } : {}), ...(init ? { init } : {}), generate, origin };
}

/** Every plugin the repository defines, in file order. */
export function findPlugins(repo: RepoFiles): PluginDefinition[] {
  const out: PluginDefinition[] = [];
  for (const file of [...repo.files].sort()) {
    if (!/\.ya?ml$/i.test(file)) continue;
    const text = repo.readText(file);
    if (text === undefined || !/ConfigManagementPlugin|argocd-cmp-cm|\bcmp\s*:/.test(text)) continue;
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
      const spec = rec(v['spec']);
      const d = definition(name, spec, at(name), typeof spec?.['version'] === 'string' ? spec['version'] : undefined);
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

/** The plugin an Application's `plugin.name` names (`name` or `name-version`). */
export function pluginNamed(plugins: readonly PluginDefinition[], name: string): PluginDefinition | undefined {
  return plugins.find((p) => p.name === name || (p.version && `${p.name}-${p.version}` === name));
}

/** The name the user allows a repository plugin by (like a build option): `plugin:NAME`. */
export function pluginAllowance(name: string): string {
  return `plugin:${name}`;
}
