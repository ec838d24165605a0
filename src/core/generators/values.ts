/**
 * A generator's `values` (Argo CD applicationset/generators/value_interpolation.go): each value
 * is rendered against the generator's own parameters (values cannot see each other) and added
 * as `values.<key>`: a nested `values` map in goTemplate mode, replacing any `values` the
 * parameters already had, or flat `values.<key>` strings in legacy mode.
 */
import type { GoMap } from '../template';
import type { YamlPath } from '../yaml/parse';
import { asRecord } from './spec';
import { GeneratorError, type GeneratorContext } from './types';

export function applyValues(params: GoMap, rawValues: unknown, path: YamlPath, ctx: GeneratorContext): GoMap {
  const values = asRecord(rawValues);
  if (!values || Object.keys(values).length === 0) return params;
  const rendered: GoMap = {};
  for (const [key, raw] of Object.entries(values)) {
    if (typeof raw !== 'string') {
      throw new GeneratorError([...path, key], `values.${key} must be a string (Argo CD's values are map[string]string).`, 'generator-invalid');
    }
    try {
      rendered[key] = ctx.render(raw, params);
    } catch (e) {
      throw new GeneratorError([...path, key], `values.${key}: ${(e as Error).message}`, 'template-error');
    }
  }
  if (ctx.goTemplate) return { ...params, values: rendered };
  const flat: GoMap = { ...params };
  for (const [k, v] of Object.entries(rendered)) flat[`values.${k}`] = v;
  return flat;
}
