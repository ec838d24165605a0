/**
 * The server's view of the `homeOps.*` settings, read through workspace/configuration. One typed
 * shape, with defaults, so no code reads raw configuration objects.
 */
import type { SchemaValidationMode, SeveritySetting } from '../core/rules';

export interface ServerSettings {
  exclude: string[];
  rules: Record<string, SeveritySetting>;
  /** Our schema checks: 'auto' leaves files with a Red Hat YAML modeline to Red Hat YAML. */
  schemaValidation: SchemaValidationMode;
}

export const DEFAULT_SETTINGS: ServerSettings = { exclude: [], rules: {}, schemaValidation: 'auto' };

export function readSettings(raw: unknown): ServerSettings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const exclude = Array.isArray(r['exclude']) ? r['exclude'].filter((x): x is string => typeof x === 'string') : [];
  const rules: Record<string, SeveritySetting> = {};
  if (typeof r['rules'] === 'object' && r['rules'] !== null) {
    for (const [k, v] of Object.entries(r['rules'] as Record<string, unknown>)) {
      if (v === 'error' || v === 'warning' || v === 'info' || v === 'off') rules[k] = v;
    }
  }
  const sv = r['schemaValidation'];
  return { exclude, rules, schemaValidation: sv === 'always' || sv === 'never' ? sv : 'auto' };
}
