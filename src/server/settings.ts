/**
 * The server's view of the `homeOps.*` settings, read through workspace/configuration. One typed
 * shape, with defaults, so no code reads raw configuration objects.
 */
import { isRuleId, type RuleId, type SchemaValidationMode, type SeveritySetting } from '../core/rules';

export interface ServerSettings {
  exclude: string[];
  /** Severity per rule; ids that name no rule are left out. */
  rules: Partial<Record<RuleId, SeveritySetting>>;
  /** Our schema checks: 'auto' leaves files with a Red Hat YAML modeline to Red Hat YAML when it runs. */
  schemaValidation: SchemaValidationMode;
  /**
   * Not a setting: whether the client runs Red Hat YAML (initialization options, then
   * homeOps/redHatYaml notifications). The server fills it in; false when the client says nothing.
   */
  redHatYamlActive: boolean;
  render: RenderSettings;
  /**
   * Fetch the charts open values files need in the background (trusted workspaces only). On only
   * when the client says so: VS Code sends the setting's default (on); an editor that sends no
   * setting runs no helm by itself, like the CLI without --fetch-charts.
   */
  charts: { fetch: boolean };
}

export interface RenderSettings {
  helmPath?: string;
  kustomizePath?: string;
  kubectlPath?: string;
  /** kustomize build options when the repository's Argo CD configuration sets none. */
  buildOptions: string;
  /** Flags the user lets the repository choose beyond build-only ones (`--helm-command`…); machine scope. */
  allowedBuildOptions: string[];
  timeoutSeconds: number;
}

export const DEFAULT_SETTINGS: ServerSettings = { exclude: [], rules: {}, schemaValidation: 'auto', redHatYamlActive: false, render: { buildOptions: '--enable-helm', allowedBuildOptions: [], timeoutSeconds: 60 }, charts: { fetch: false } };

export function readSettings(raw: unknown): ServerSettings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const exclude = Array.isArray(r['exclude']) ? r['exclude'].filter((x): x is string => typeof x === 'string') : [];
  const rules: Partial<Record<RuleId, SeveritySetting>> = {};
  if (typeof r['rules'] === 'object' && r['rules'] !== null) {
    for (const [k, v] of Object.entries(r['rules'] as Record<string, unknown>)) {
      if (isRuleId(k) && (v === 'error' || v === 'warning' || v === 'info' || v === 'off')) rules[k] = v;
    }
  }
  const sv = r['schemaValidation'];
  const render = (typeof r['render'] === 'object' && r['render'] !== null ? r['render'] : {}) as Record<string, unknown>;
  const charts = (typeof r['charts'] === 'object' && r['charts'] !== null ? r['charts'] : {}) as Record<string, unknown>;
  const kubectl = (typeof r['kubectl'] === 'object' && r['kubectl'] !== null ? r['kubectl'] : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const timeout = typeof render['timeoutSeconds'] === 'number' && render['timeoutSeconds'] > 0 ? render['timeoutSeconds'] : 60;
  const opt = <K extends string>(k: K, v: string | undefined) => (v === undefined ? {} : ({ [k]: v } as Record<K, string>));
  return {
    exclude,
    rules,
    schemaValidation: sv === 'always' || sv === 'never' ? sv : 'auto',
    redHatYamlActive: false,
    render: {
      ...opt('helmPath', str(render['helmPath'])),
      ...opt('kustomizePath', str(render['kustomizePath'])),
      ...opt('kubectlPath', str(kubectl['path'])),
      buildOptions: typeof render['buildOptions'] === 'string' ? render['buildOptions'] : '--enable-helm',
      allowedBuildOptions: Array.isArray(render['allowedBuildOptions']) ? render['allowedBuildOptions'].filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : [],
      timeoutSeconds: timeout,
    },
    charts: { fetch: charts['fetch'] === true },
  };
}
