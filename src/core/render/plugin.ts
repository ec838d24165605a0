/**
 * How a Config Management Plugin runs for an Application (cmpserver/plugin/plugin.go
 * `runCommand` and `generateManifest`, reposerver/repository/repository.go
 * `getPluginParamEnvs`): `init`, then `generate`, each its `command` with `args` appended, in the
 * app's folder, with the build environment (`ARGOCD_APP_NAME`, `ARGOCD_APP_NAMESPACE`,
 * `ARGOCD_APP_SOURCE_PATH`, …), the Application's `plugin.env` as `ARGOCD_ENV_<name>` and its
 * parameters as `ARGOCD_APP_PARAMETERS` (JSON). The manifests are what `generate` prints.
 * render.ts runs them in the render's private copy, only in a trusted workspace and only for a
 * plugin the user allowed.
 */
import type { PluginDefinition } from '../argocd/plugins';
import type { AppSource } from '../argocd/source';

export interface PluginRun {
  /** Commands in order: `init` (when defined), then `generate`. */
  steps: Array<{ file: string; args: string[] }>;
  /** Added to the environment of both. */
  env: Record<string, string>;
}

export function pluginRun(def: PluginDefinition, source: AppSource, appName: string): PluginRun {
  const step = (c: { command: string[]; args: string[] }) => ({ file: c.command[0] as string, args: [...c.command.slice(1), ...c.args] });
  const env: Record<string, string> = {
    ARGOCD_APP_NAME: appName,
    ARGOCD_APP_NAMESPACE: source.destinationNamespace ?? '',
    ARGOCD_APP_SOURCE_PATH: source.path,
  };
  for (const e of source.plugin?.env ?? []) env[`ARGOCD_ENV_${e.name}`] = e.value;
  if (source.plugin?.parameters.length) env['ARGOCD_APP_PARAMETERS'] = JSON.stringify(source.plugin.parameters);
  return { steps: [...(def.init ? [step(def.init)] : []), step(def.generate)], env };
}
