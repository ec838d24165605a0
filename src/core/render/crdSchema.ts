/**
 * Custom resources against the schema of their CustomResourceDefinition, as the API server
 * handles a create (apiextensions-apiserver v0.37.2, customresource_handler.go and
 * registry/customresource/validator.go):
 * 1. pruning (schema/pruning/algorithm.go): a field the structural schema does not declare is
 *    removed — and reported, since kubectl validates strictly (`unknown field "spec.x"`): Argo
 *    CD's sync fails. `x-kubernetes-preserve-unknown-fields` keeps unknown fields;
 *    `x-kubernetes-embedded-resource` and the object's root keep apiVersion/kind/metadata; a
 *    field under `additionalProperties: true` loses every key of a map it holds;
 * 2. a `null` where the schema is not nullable and has no default is removed, then defaults
 *    are applied (schema/defaulting) — so a field with a default is never missing;
 * 3. the OpenAPI validator: types (`x-kubernetes-int-or-string` takes an integer or a string;
 *    an integer is also a number), `nullable`, `required`, `enum`, and for the value's type
 *    minimum/maximum, min/maxLength, min/maxItems, `pattern` (RE2, as Go runs it: goPattern)
 *    (the server's words: "Invalid value",
 *    "Required value", "Unsupported value", "Too long", "Too many").
 * Not modelled, so never reported (a false error costs more than a missed one): `format`, `allOf`/`anyOf`/`oneOf`/`not`, `uniqueItems`, `multipleOf`,
 * min/maxProperties, CEL rules (`x-kubernetes-validations`), list types, `status` (dropped on
 * create when the status subresource is on), and anything in an array item that is `null`.
 * A CRD whose schema is not structural is not used (the server refuses such a CRD in v1).
 * Held to the API server's own code by test/oracle/crdvalidate.
 */
import { RE2JS } from 're2js';
import { loadAllYaml } from '../yaml/load';
import type { RepoFiles } from '../argocd/source';
import { crdDocumentsIn, crdScopesOf, type CrdDocument } from './namespaceCheck';
import { fieldPath, type SchemaProblem } from './objectSchema';

/** The parts of an OpenAPI v3 schema (as a CRD writes it) that the check reads. */
export interface CrdSchemaNode {
  type?: string;
  nullable?: boolean;
  properties?: Record<string, CrdSchemaNode>;
  additionalProperties?: CrdSchemaNode | boolean;
  items?: CrdSchemaNode;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
}

export interface CrdVersionSchema {
  schema: CrdSchemaNode;
  /** `spec.preserveUnknownFields` (v1 CRDs allow only false; kept for what a document says). */
  preserveUnknownFields: boolean;
}

const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);
const MAX_PROBLEMS = 20;

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The schema of each version a CRD document declares, by `group/version/Kind` (none for a
 * document that is no CRD, and none for a version whose schema is not structural).
 */
export function crdVersionSchemas(crd: unknown): Map<string, CrdVersionSchema> {
  const out = new Map<string, CrdVersionSchema>();
  if (!isMap(crd) || crd['kind'] !== 'CustomResourceDefinition' || !isMap(crd['spec'])) return out;
  const spec = crd['spec'];
  const kind = isMap(spec['names']) ? spec['names']['kind'] : undefined;
  if (typeof spec['group'] !== 'string' || typeof kind !== 'string' || !Array.isArray(spec['versions'])) return out;
  for (const v of spec['versions']) {
    if (!isMap(v) || typeof v['name'] !== 'string' || !isMap(v['schema'])) continue;
    const schema = v['schema']['openAPIV3Schema'];
    if (isMap(schema) && isStructural(schema as CrdSchemaNode, true)) out.set(`${spec['group']}/${v['name']}/${kind}`, { schema: schema as CrdSchemaNode, preserveUnknownFields: spec['preserveUnknownFields'] === true });
  }
  return out;
}

/**
 * Enough of apiextensions' structural rule to trust the schema: every node says its type
 * (unless it preserves unknown fields or is int-or-string), and the shapes are what they claim.
 * A schema that breaks it is left alone rather than judged by a guess.
 */
function isStructural(node: unknown, root = false, depth = 0): boolean {
  if (!isMap(node) || depth > 64) return false;
  const s = node as CrdSchemaNode;
  if (!s.type && !s['x-kubernetes-preserve-unknown-fields'] && !s['x-kubernetes-int-or-string'] && !root) return false;
  if (s.properties !== undefined && (!isMap(s.properties) || !Object.values(s.properties).every((p) => isStructural(p, false, depth + 1)))) return false;
  if (isMap(s.additionalProperties) && !isStructural(s.additionalProperties, false, depth + 1)) return false;
  if (s.items !== undefined && !isStructural(s.items, false, depth + 1)) return false;
  return true;
}

interface Walk {
  out: SchemaProblem[];
}

function report(w: Walk, path: ReadonlyArray<string | number>, kind: SchemaProblem['kind'], message: string, field = fieldPath(path)): void {
  if (w.out.length < MAX_PROBLEMS) w.out.push({ path, field, kind, message });
}

/** Step 1: what pruning removes, reported as unknown fields; the value is pruned in place. */
function prune(x: unknown, s: CrdSchemaNode | undefined, path: Array<string | number>, w: Walk, embedded: boolean): void {
  if (s?.['x-kubernetes-preserve-unknown-fields']) return skipPrune(x, s, path, w);
  if (Array.isArray(x)) {
    x.forEach((v, i) => prune(v, s?.items, [...path, i], w, false));
    return;
  }
  if (!isMap(x)) return;
  for (const k of Object.keys(x)) {
    const here = [...path, k];
    if (s && (embedded || s['x-kubernetes-embedded-resource']) && META_FIELDS.has(k)) continue;
    const prop = s?.properties?.[k];
    if (s && prop) prune(x[k], prop, here, w, false);
    else if (s && s.additionalProperties !== undefined && s.additionalProperties !== false) prune(x[k], isMap(s.additionalProperties) ? s.additionalProperties : undefined, here, w, false);
    else {
      if (!META_FIELDS.has(k) || path.length > 0) report(w, here, 'unknown-field', `unknown field "${fieldPath(here)}"`);
      delete x[k];
    }
  }
}

function skipPrune(x: unknown, s: CrdSchemaNode, path: Array<string | number>, w: Walk): void {
  if (Array.isArray(x)) {
    x.forEach((v, i) => (s.items ? skipPrune(v, s.items, [...path, i], w) : undefined));
    return;
  }
  if (!isMap(x)) return;
  for (const k of Object.keys(x)) {
    if (s['x-kubernetes-embedded-resource'] && META_FIELDS.has(k)) continue;
    const prop = s.properties?.[k];
    if (prop) prune(x[k], prop, [...path, k], w, false);
    else if (s.additionalProperties !== undefined && s.additionalProperties !== false) prune(x[k], isMap(s.additionalProperties) ? s.additionalProperties : undefined, [...path, k], w, false);
  }
}

function schemaFor(s: CrdSchemaNode | undefined, k: string): CrdSchemaNode | undefined {
  return s?.properties?.[k] ?? (isMap(s?.additionalProperties) ? s?.additionalProperties : undefined);
}

/** Step 2: non-nullable nulls without a default removed, then defaults applied (schema/defaulting). */
function pruneNullsAndDefault(x: unknown, s: CrdSchemaNode | undefined): void {
  if (Array.isArray(x)) {
    x.forEach((v, i) => {
      if (v === null && s?.items?.default !== undefined && !s.items.nullable) x[i] = structuredClone(s.items.default);
      pruneNullsAndDefault(x[i], s?.items);
    });
    return;
  }
  if (!isMap(x)) return;
  for (const k of Object.keys(x)) {
    const p = schemaFor(s, k);
    if (x[k] === null && p && !p.nullable && p.default === undefined) delete x[k];
  }
  for (const [k, p] of Object.entries(s?.properties ?? {})) {
    if (p.default !== undefined && (!(k in x) || (x[k] === null && !p.nullable))) x[k] = structuredClone(p.default);
  }
  for (const k of Object.keys(x)) {
    const p = schemaFor(s, k);
    if (x[k] === null && p?.default !== undefined && !p.nullable) x[k] = structuredClone(p.default);
    pruneNullsAndDefault(x[k], p);
  }
}

const PATTERNS = new Map<string, RE2JS | undefined>();

/**
 * A CRD's `pattern` as the API server runs it: Go's regexp (RE2 syntax, matched anywhere in
 * the text), here through re2js, a port of RE2 — the same syntax, and linear time whatever the
 * pattern, so a repository's pattern cannot hang the check as a backtracking engine can
 * (`^(a|aa)+$`). Undefined for a pattern RE2 refuses (the server refuses such a CRD).
 */
export function goPattern(pattern: string): RE2JS | undefined {
  if (PATTERNS.has(pattern)) return PATTERNS.get(pattern);
  let compiled: RE2JS | undefined;
  try {
    compiled = RE2JS.compile(pattern);
  } catch {
    compiled = undefined;
  }
  PATTERNS.set(pattern, compiled);
  return compiled;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function shown(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

function typeAccepts(s: CrdSchemaNode, v: unknown): boolean {
  if (s['x-kubernetes-int-or-string']) return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
  switch (s.type) {
    case undefined:
    case '':
      return true;
    case 'object':
      return isMap(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    default:
      return true;
  }
}

/** Step 3: the OpenAPI validator's checks that Home-Ops models. */
function validate(v: unknown, s: CrdSchemaNode, path: Array<string | number>, w: Walk, depth: number): void {
  if (depth > 100 || w.out.length >= MAX_PROBLEMS) return;
  const where = fieldPath(path) || 'the object';
  if (v === null) return; // a null left here is in a list, or nullable: not modelled / fine
  if (!typeAccepts(s, v)) {
    const expected = s['x-kubernetes-int-or-string'] ? 'an integer or a string' : `of type ${s.type}`;
    report(w, path, 'type', `${where} must be ${expected}, not ${typeName(v)} ${shown(v)} ("Invalid value")`);
    return;
  }
  if (Array.isArray(s.enum) && s.enum.length && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
    const allowed = s.enum.slice(0, 8).map((e) => JSON.stringify(e)).join(', ');
    report(w, path, 'type', `${where} is ${shown(v)}, not one of ${allowed}${s.enum.length > 8 ? ', …' : ''} ("Unsupported value")`);
  }
  if (typeof v === 'number') {
    if (typeof s.minimum === 'number' && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) report(w, path, 'type', `${where} is ${v}, less than ${s.exclusiveMinimum ? 'or equal to ' : ''}the minimum ${s.minimum} ("Invalid value")`);
    if (typeof s.maximum === 'number' && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) report(w, path, 'type', `${where} is ${v}, more than ${s.exclusiveMaximum ? 'or equal to ' : ''}the maximum ${s.maximum} ("Invalid value")`);
  }
  if (typeof v === 'string') {
    // Go counts characters (runes), as [...v] does.
    const length = [...v].length;
    if (typeof s.maxLength === 'number' && length > s.maxLength) report(w, path, 'type', `${where} has ${length} characters, more than ${s.maxLength} ("Too long")`);
    if (typeof s.minLength === 'number' && length < s.minLength) report(w, path, 'type', `${where} has ${length} characters, fewer than ${s.minLength} ("Invalid value")`);
    const pattern = typeof s.pattern === 'string' ? goPattern(s.pattern) : undefined;
    if (pattern && !pattern.matcher(v).find()) report(w, path, 'type', `${where} is ${shown(v)}, which does not match the pattern '${s.pattern}' ("Invalid value")`);
  }
  if (Array.isArray(v)) {
    if (typeof s.maxItems === 'number' && v.length > s.maxItems) report(w, path, 'type', `${where} has ${v.length} items, more than ${s.maxItems} ("Too many")`);
    if (typeof s.minItems === 'number' && v.length < s.minItems) report(w, path, 'type', `${where} has ${v.length} items, fewer than ${s.minItems} ("Invalid value")`);
    if (s.items) v.forEach((item, i) => validate(item, s.items as CrdSchemaNode, [...path, i], w, depth + 1));
    return;
  }
  if (!isMap(v)) return;
  for (const r of s.required ?? []) if (!(r in v)) report(w, path, 'required', `${fieldPath([...path, r])} is required ("Required value")`, fieldPath([...path, r]));
  for (const [k, item] of Object.entries(v)) {
    if (path.length === 0 && k === 'status') continue;
    const p = schemaFor(s, k);
    if (p) validate(item, p, [...path, k], w, depth + 1);
  }
}

/**
 * The problems the API server has with a custom resource (`value`, the object as JSON) under
 * the schema of its version: unknown fields first (in the server's order: sorted paths), then
 * what validation refuses.
 */
export function customResourceProblems(value: unknown, crd: CrdVersionSchema): SchemaProblem[] {
  const w: Walk = { out: [] };
  const copy = structuredClone(value);
  if (!crd.preserveUnknownFields) {
    prune(copy, crd.schema, [], w, true);
    w.out.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  }
  pruneNullsAndDefault(copy, crd.schema);
  validate(copy, crd.schema, [], w, 0);
  return w.out;
}

/** `group/version/Kind` → the schema of that version, or undefined when no CRD Home-Ops can read declares it. */
export type CrdSchemaLookup = (groupVersionKind: string) => CrdVersionSchema | undefined;

/**
 * A lookup over CRD documents (the repository's, the render's): a document is parsed the first
 * time an object of its kind asks, since a vendored operator's CRDs run to megabytes.
 */
export function crdSchemaLookup(documents: () => readonly CrdDocument[]): CrdSchemaLookup {
  let byKind: Map<string, CrdDocument[]> | undefined;
  const read = new Map<string, CrdVersionSchema | undefined>();
  return (gvk) => {
    if (read.has(gvk)) return read.get(gvk);
    if (!byKind) {
      byKind = new Map();
      for (const d of documents()) byKind.set(`${d.group}/${d.kind}`, [...(byKind.get(`${d.group}/${d.kind}`) ?? []), d]);
    }
    const parts = gvk.split('/');
    const candidates = byKind.get(`${parts[0]}/${parts[2]}`) ?? [];
    let found: CrdVersionSchema | undefined;
    for (const d of candidates) {
      let value: unknown;
      try {
        value = loadAllYaml(d.text, 'directory-manifest')[0];
      } catch {
        continue;
      }
      found = crdVersionSchemas(value).get(gvk) ?? found;
    }
    read.set(gvk, found);
    return found;
  };
}

/**
 * What a render needs of the repository's CRDs — their scopes (namespace check, kind check) and
 * their schemas (custom resources) — from one scan of its files.
 */
export function repositoryCrds(repo: RepoFiles): { crdScopes: Map<string, boolean>; crdSchemas: CrdSchemaLookup } {
  const documents = crdDocumentsIn(repo);
  return { crdScopes: crdScopesOf(documents), crdSchemas: crdSchemaLookup(() => documents) };
}
