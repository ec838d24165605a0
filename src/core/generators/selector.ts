/**
 * Kubernetes label selectors, used by the generator-level `selector` post-filter (matched
 * against the flattened parameters) and by the clusters generator (against Secret labels).
 */
import type { YamlPath } from '../yaml/parse';
import { asArray, asRecord, asString } from './spec';
import { GeneratorError } from './types';

export type Labels = Readonly<Record<string, string>>;

export interface Selector {
  matches(labels: Labels): boolean;
  readonly empty: boolean;
}

export function parseSelector(raw: unknown, path: YamlPath): Selector {
  const sel = asRecord(raw);
  if (!sel) return { matches: () => true, empty: true };
  const tests: Array<(l: Labels) => boolean> = [];
  for (const [k, v] of Object.entries(asRecord(sel['matchLabels']) ?? {})) {
    const want = String(v);
    tests.push((l) => l[k] === want);
  }
  asArray(sel['matchExpressions']).forEach((rawExpr, i) => {
    const expr = asRecord(rawExpr) ?? {};
    const key = asString(expr['key']) ?? '';
    const op = asString(expr['operator']) ?? '';
    const values = asArray(expr['values']).map(String);
    const where = [...path, 'matchExpressions', i];
    switch (op) {
      case 'In':
        tests.push((l) => key in l && values.includes(l[key] as string));
        break;
      case 'NotIn':
        tests.push((l) => !(key in l) || !values.includes(l[key] as string));
        break;
      case 'Exists':
        tests.push((l) => key in l);
        break;
      case 'DoesNotExist':
        tests.push((l) => !(key in l));
        break;
      default:
        throw new GeneratorError([...where, 'operator'], `"${op}" is not a valid label selector operator (In, NotIn, Exists, DoesNotExist).`, 'generator-invalid');
    }
  });
  return { matches: (l) => tests.every((t) => t(l)), empty: tests.length === 0 };
}
