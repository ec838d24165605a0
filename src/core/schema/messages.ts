/**
 * ajv errors → issues a user understands: one issue per node, the field named the way it is
 * written in the file, a "did you mean" for near misses, and the reason a template cannot go
 * where it was written.
 */
import type { ErrorObject } from 'ajv';
import { didYouMean } from '../spelling';
import { JsonPath, SchemaIssue, SchemaNodeInfo } from './types';

/** What the schema says about a document path (see describe.ts). */
export type Lookup = (path: JsonPath) => SchemaNodeInfo | undefined;

/** A deprecated field of a schema; `*` stands for any list index. */
export interface DeprecatedField {
  path: Array<string | '*'>;
  message: string;
}

const TEMPLATE = /\{\{/;

/** `/spec/generators/0/git` → `['spec', 'generators', 0, 'git']` (JSON Pointer, RFC 6901). */
export function pointerToPath(pointer: string, value: unknown): JsonPath {
  if (pointer === '') return [];
  const out: JsonPath = [];
  let node: unknown = value;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(key)) {
      out.push(Number(key));
      node = node[Number(key)];
    } else {
      out.push(key);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return out;
}

function at(value: unknown, path: JsonPath): unknown {
  let node = value;
  for (const k of path) node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[k] : undefined;
  return node;
}

/** Groups of a path: each key with the list indexes after it, e.g. `helmCharts[0]`. */
function groups(path: JsonPath): string[] {
  const out: string[] = [];
  for (const k of path) {
    if (typeof k === 'number') {
      if (out.length) out[out.length - 1] += `[${k}]`;
      else out.push(`[${k}]`);
    } else out.push(k);
  }
  return out;
}

/** The node as a user would name it: `applicationsSync`, `helmCharts[0]`. */
export function nodeLabel(path: JsonPath): string {
  return groups(path).pop() ?? 'document';
}

/** Where a node sits, short enough for a message: `syncPolicy.automated`. */
function place(path: JsonPath): string {
  const g = groups(path);
  return g.length ? g.slice(-2).join('.') : 'the top level';
}

function typeName(t: unknown): string {
  const one = (x: string): string =>
    ({ boolean: 'a boolean (true or false)', integer: 'an integer', number: 'a number', string: 'a string', object: 'a mapping (key: value)', array: 'a list', null: 'empty' })[x] ?? x;
  return Array.isArray(t) ? t.map((x) => one(String(x)).replace(/ \(.*\)$/, '')).join(' or ') : one(String(t));
}

function actualType(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  return `a string`;
}

const code = (s: unknown): string => `\`${String(s)}\``;

/** Lower-priority checks on a node are dropped when a stronger one already explains it. */
const PRIORITY: Record<string, number> = { type: 0, const: 1, enum: 1, not: 1, pattern: 2, required: 3 };

/**
 * `templated`: the document is an ApplicationSet (Argo CD renders its `{{…}}` strings);
 * `argoCd` false: a document no Argo CD template reaches (Helm values), so a `{{…}}` string is
 * not explained in Argo CD's terms.
 */
export function toIssues(errors: ErrorObject[], value: unknown, templated: boolean, lookup: Lookup, argoCd = true): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const byNode = new Map<string, { rank: number; index: number }>();
  for (const e of errors) {
    const issue = toIssue(e, value, templated, lookup, argoCd);
    if (!issue) continue;
    // One value problem per node (a wrong type also fails its enum); key problems all stay.
    if (issue.target === 'value') {
      const key = JSON.stringify(issue.path);
      const rank = PRIORITY[issue.check] ?? 5;
      const seen = byNode.get(key);
      if (seen && seen.rank <= rank) continue;
      if (seen) {
        issues[seen.index] = issue;
        byNode.set(key, { rank, index: seen.index });
        continue;
      }
      byNode.set(key, { rank, index: issues.length });
    }
    issues.push(issue);
  }
  return dedupe(issues);
}

function dedupe(issues: SchemaIssue[]): SchemaIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${JSON.stringify(i.path)}|${i.target}|${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function toIssue(e: ErrorObject, value: unknown, templated: boolean, lookup: Lookup, argoCd: boolean): SchemaIssue | undefined {
  const path = pointerToPath(e.instancePath, value);
  const label = code(nodeLabel(path));
  const node = at(value, path);
  const params = e.params as Record<string, unknown>;
  // ajv's errors carry no schema (unless `verbose`, which doubles the generated code): the
  // annotations and sibling fields come from the schema at the same document path.
  const info = (): SchemaNodeInfo => lookup(path) ?? {};
  const custom = (): string | undefined => info().errorMessage;
  switch (e.keyword) {
    case 'if':
    case 'anyOf':
    case 'allOf':
      // The branch's own errors say what is wrong.
      return undefined;
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = info().properties ?? [];
      const guess = didYouMean(key, known);
      let message = `Unknown field ${code(key)} in ${place(path)}`;
      if (guess) message += `; did you mean ${code(guess)}?`;
      else if (known.length && known.length <= 8) message += `; expected one of ${known.map(code).join(', ')}`;
      return { path: [...path, key], target: 'key', severity: 'error', check: 'additionalProperties', message };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      const where = path.length ? `${nodeLabel(path)}.${missing}` : missing;
      return { path, target: 'key', severity: 'error', check: 'required', message: `${code(where)} is required` };
    }
    case 'not':
      return { path, target: 'key', severity: 'error', check: 'not', message: custom() ?? `${label} is not allowed here` };
    case 'type': {
      let message = `${label} must be ${typeName(params.type)}, not ${actualType(node)}`;
      if (argoCd && typeof node === 'string' && TEMPLATE.test(node) && !wants(params.type, 'string')) {
        message = templated
          ? `${label} must be ${typeName(params.type)}: Argo CD renders {{…}} templates only in string fields, so a template cannot produce ${typeName(params.type).replace(/ \(.*\)$/, '')} here (use templatePatch for values that depend on parameters)`
          : `${label} must be ${typeName(params.type)}: {{…}} templates are rendered only in an ApplicationSet's template`;
      }
      return { path, target: 'value', severity: 'error', check: 'type', message };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      let message = `${label} must be one of ${allowed.map(String).join(', ')}`;
      const guess = typeof node === 'string' ? didYouMean(node, allowed.map(String)) : undefined;
      if (guess) message += `; did you mean ${code(guess)}?`;
      return { path, target: 'value', severity: 'error', check: 'enum', message };
    }
    case 'const': {
      // apiVersion depends on kind (kustomize: Component needs v1alpha1).
      const kind = path.length === 1 && path[0] === 'apiVersion' ? at(value, ['kind']) : undefined;
      const suffix = typeof kind === 'string' ? ` for kind ${kind}` : '';
      return { path, target: 'value', severity: 'error', check: 'const', message: `${label} must be ${String(params.allowedValue)}${suffix}` };
    }
    case 'pattern': {
      const hint = info().patternErrorMessage ?? `it must match ${String(params.pattern)}`;
      return { path, target: 'value', severity: 'error', check: 'pattern', message: `${label} ${code(node)} is not valid: ${hint}` };
    }
    case 'minItems':
      return { path, target: 'value', severity: 'error', check: e.keyword, message: `${label} needs at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}` };
    case 'maxItems':
      return { path, target: 'value', severity: 'error', check: e.keyword, message: `${label} takes at most ${String(params.limit)} item${params.limit === 1 ? '' : 's'}` };
    case 'minimum':
      return { path, target: 'value', severity: 'error', check: e.keyword, message: `${label} must be ${String(params.limit)} or more` };
    case 'uniqueItems':
      return { path, target: 'value', severity: 'error', check: e.keyword, message: `${label} lists the same value twice (items ${String(params.j)} and ${String(params.i)})` };
    default:
      return { path, target: 'value', severity: 'error', check: e.keyword, message: custom() ?? `${label} ${e.message ?? 'is not valid'}` };
  }
}

function wants(t: unknown, name: string): boolean {
  return Array.isArray(t) ? t.includes(name) : t === name;
}

/** The deprecated fields of a schema as a tree of path steps, so a document is walked once. */
interface DeprecationTrie {
  keys: Map<string, DeprecationTrie>;
  /** Steps into every item of an array (`*`). */
  items?: DeprecationTrie;
  /** Fields whose path ends here. */
  fields: DeprecatedField[];
}

const tries = new WeakMap<DeprecatedField[], DeprecationTrie>();

function trieOf(fields: DeprecatedField[]): DeprecationTrie {
  let root = tries.get(fields);
  if (root) return root;
  root = { keys: new Map(), fields: [] };
  for (const f of fields) {
    let t = root;
    for (const step of f.path) {
      let next: DeprecationTrie | undefined = step === '*' ? t.items : t.keys.get(step);
      if (!next) {
        next = { keys: new Map(), fields: [] };
        if (step === '*') t.items = next;
        else t.keys.set(step, next);
      }
      t = next;
    }
    t.fields.push(f);
  }
  tries.set(fields, root);
  return root;
}

/** A warning on every deprecated field present in the document. */
export function deprecationIssues(fields: DeprecatedField[], value: unknown): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  const path: JsonPath = [];
  const visit = (node: unknown, t: DeprecationTrie): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      if (t.items) {
        for (let n = 0; n < node.length; n++) {
          path.push(n);
          visit(node[n], t.items);
          path.pop();
        }
      }
      return;
    }
    for (const [step, child] of t.keys) {
      if (!Object.prototype.hasOwnProperty.call(node, step)) continue;
      path.push(step);
      for (const f of child.fields) {
        out.push({
          path: [...path],
          target: 'key',
          severity: 'warning',
          check: 'deprecated',
          message: `${code(nodeLabel(path))} is deprecated: ${f.message.replace(/^Deprecated:\s*/, '')}`,
        });
      }
      visit((node as Record<string, unknown>)[step], child);
      path.pop();
    }
  };
  visit(value, trieOf(fields));
  return out;
}
