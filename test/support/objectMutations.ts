/**
 * Seeded mutations of a Kubernetes object for the field-check oracles (test/unit/render
 * objectSchema and crdSchema tests): one node changed the way people break manifests — a key
 * misspelt or dropped, a value of another type, an unquoted YAML 1.1 token, a quantity, a
 * string too long, a map where a list was — written back as YAML.
 */
import { dumpYaml } from '../../src/core/yaml/load';
import type { Rng } from './fuzzMutate';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const RAW = '\u0000raw:';
/** Unquoted tokens a YAML 1.1 reader does not take as the string they look like. */
const YAML11 = ['yes', 'on', 'off', 'y', 'N', '0755', '1_000', '08', '1e3', '3.0', '~', '0x1F', '.5', '+12'];
const QUANTITIES = ['512mb', '1 Gi', '1.5Gi', '100m', '1e3', '2Ki', '+1', '.5', '1.', '0x10', 'Mi', '5e', '-3', '1m5', '1e+3', '1E-2', '.', '+', '-.Mi', '1.5Ki', '0.000000000001', '123456789012345678901', '1.2.3', '1Gb', ' 2Gi ', '1e99999999999999999999', '2i', 'k', '00012m'];

/** The paths of every node below the object's top level (apiVersion, kind and metadata kept: they name the object). */
function paths(v: Json, at: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push([...at, i], ...paths(x, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (at.length || (k !== 'apiVersion' && k !== 'kind' && k !== 'metadata')) out.push([...at, k], ...paths(x, [...at, k]));
  return out;
}

/** One seeded change of one node of `base`; undefined when the change drawn does not apply there. */
export function mutateObject(base: Json, rng: Rng): { text: string; at: Array<string | number> } | undefined {
  const v = JSON.parse(JSON.stringify(base)) as Json;
  const all = paths(v);
  if (all.length === 0) return undefined;
  const at = rng.pick(all);
  const parent = at.slice(0, -1).reduce<Json>((o, k) => (o as Record<string | number, Json>)[k] as Json, v) as Record<string | number, Json>;
  const key = at[at.length - 1] as string | number;
  const old = parent[key] as Json;
  switch (rng.int(8)) {
    case 0: {
      if (typeof key !== 'string') return undefined;
      const renamed = rng.pick([`${key}s`, key.charAt(0).toUpperCase() + key.slice(1), key.slice(0, -1), `x${key}`]);
      if (renamed === key || renamed === '' || renamed in parent) return undefined;
      parent[renamed] = old;
      delete parent[key];
      break;
    }
    case 1:
      parent[key] = typeof old === 'string' ? rng.pick<Json>([8080, true, 1.5, ['a'], { a: 'b' }]) : typeof old === 'number' ? rng.pick<Json>(['7', String(old), true, 2.5, 3_000_000_000, -1, 0]) : typeof old === 'boolean' ? rng.pick<Json>(['true', 1]) : rng.pick<Json>(['x', 1, [], {}]);
      break;
    case 2:
    case 3:
      parent[key] = `${RAW}${rng.pick(YAML11)}`;
      break;
    case 4:
      parent[key] = rng.pick(QUANTITIES);
      break;
    case 5:
      if (Array.isArray(parent)) return undefined;
      delete parent[key];
      break;
    case 6:
      parent[key] = typeof old === 'string' ? rng.pick([`${old}${'x'.repeat(300)}`, '', 'Bogus']) : Array.isArray(old) ? [...old, ...old, ...old, ...old, ...old, ...old, ...old, ...old, ...old] : null;
      break;
    default:
      parent[key] = Array.isArray(old) ? { a: old[0] ?? null } : old && typeof old === 'object' ? [old] : null;
  }
  return { text: dumpYaml(v).replace(new RegExp(`(['"]?)${RAW.replace('\u0000', '\\x00')}([^'"\\n]*)\\1`, 'g'), '$2'), at };
}
