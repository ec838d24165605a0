/**
 * List generator (Argo CD applicationset/generators/list.go). goTemplate: each element is a
 * parameter set as it is. Legacy: every value must be a string, except `values`, an object
 * whose entries become `values.<key>`. `elementsYaml` (a YAML list in a string) is appended
 * unchanged in both modes.
 */
import { loadYaml } from '../yaml/load';
import { findExcessiveNesting, nestingMessage } from '../yaml/nesting';
import type { GoMap } from '../template';
import type { YamlPath } from '../yaml/parse';
import { asArray, asRecord, asString } from './spec';
import { GeneratorError, type GeneratorContext, type GeneratorOutput, type ParamSet } from './types';

export function evaluateList(list: Record<string, unknown>, path: YamlPath, ctx: GeneratorContext): GeneratorOutput {
  const sets: ParamSet[] = [];
  asArray(list['elements']).forEach((raw, index) => {
    const element = asRecord(raw);
    if (!element) throw new GeneratorError([...path, 'elements', index], 'A list element must be an object.', 'generator-invalid');
    sets.push({ params: ctx.goTemplate ? (element as GoMap) : legacyElement(element, [...path, 'elements', index]), origins: [{ kind: 'list', index }] });
  });
  const elementsYaml = asString(list['elementsYaml']);
  if (elementsYaml !== undefined) {
    const deep = findExcessiveNesting(elementsYaml);
    if (deep) throw new GeneratorError([...path, 'elementsYaml'], nestingMessage('This elementsYaml', deep), 'nesting-too-deep', 'warning');
    let parsed: unknown;
    try {
      parsed = loadYaml(elementsYaml, 'argocd-embedded');
    } catch (e) {
      throw new GeneratorError([...path, 'elementsYaml'], `error unmarshling decoded ElementsYaml: ${(e as Error).message}`, 'generator-invalid');
    }
    if (parsed !== null && parsed !== undefined && !Array.isArray(parsed)) {
      throw new GeneratorError([...path, 'elementsYaml'], 'elementsYaml must be a YAML list of objects.', 'generator-invalid');
    }
    asArray(parsed).forEach((raw, i) => {
      if (!asRecord(raw)) throw new GeneratorError([...path, 'elementsYaml'], `elementsYaml item ${i} is not an object.`, 'generator-invalid');
      sets.push({ params: raw as GoMap, origins: [{ kind: 'list', index: sets.length }] });
    });
  }
  return { sets, description: 'list' };
}

function legacyElement(element: Record<string, unknown>, path: YamlPath): GoMap {
  const params: GoMap = {};
  for (const [key, value] of Object.entries(element)) {
    if (key === 'values') {
      const values = asRecord(value);
      if (!values) throw new GeneratorError([...path, key], 'error parsing values: `values` must be an object of strings.', 'generator-invalid');
      for (const [k, v] of Object.entries(values)) {
        if (typeof v !== 'string') throw new GeneratorError([...path, key, k], `error parsing value as string: values.${k} is not a string (legacy templates take strings only).`, 'generator-invalid');
        params[`values.${k}`] = v;
      }
    } else if (typeof value !== 'string') {
      throw new GeneratorError([...path, key], `error parsing value as string: "${key}" is not a string (legacy templates take strings only; quote it or use goTemplate: true).`, 'generator-invalid');
    } else params[key] = value;
  }
  return params;
}
