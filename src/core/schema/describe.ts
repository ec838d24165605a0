/**
 * Walks a schema along a document path, following `$ref` (also into sibling schema files),
 * `allOf` and `if/then/else`, to say what the schema knows about that node: for hover,
 * completion, and the test that compares our schemas with Argo CD's CRDs.
 */
import type { JsonSchema } from './catalog';
import type { DeprecatedField } from './messages';
import { JsonPath, SchemaNodeInfo } from './types';

interface Located {
  schema: JsonSchema;
  /** `$id` of the document `schema` lives in, for resolving its `$ref`s. */
  doc: string;
}

/** Every schema that applies to the node (the node itself, its `$ref` targets, `allOf` parts...). */
function expand(node: Located, docs: Readonly<Record<string, JsonSchema>>, out: Located[] = [], depth = 0): Located[] {
  if (depth > 32) return out;
  out.push(node);
  const s = node.schema;
  if (typeof s.$ref === 'string') {
    const target = resolveRef(s.$ref, node.doc, docs);
    if (target) expand(target, docs, out, depth + 1);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const parts = s[key];
    if (Array.isArray(parts)) for (const p of parts) if (p && typeof p === 'object') expand({ schema: p as JsonSchema, doc: node.doc }, docs, out, depth + 1);
  }
  for (const key of ['then', 'else'] as const) {
    const p = s[key];
    if (p && typeof p === 'object') expand({ schema: p as JsonSchema, doc: node.doc }, docs, out, depth + 1);
  }
  return out;
}

function resolveRef(ref: string, currentDoc: string, docs: Readonly<Record<string, JsonSchema>>): Located | undefined {
  const hash = ref.indexOf('#');
  const file = hash === 0 ? currentDoc : hash < 0 ? ref : ref.slice(0, hash);
  const pointer = hash < 0 ? '' : ref.slice(hash + 1);
  let node: unknown = docs[file];
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node && typeof node === 'object' ? { schema: node as JsonSchema, doc: file } : undefined;
}

/** One step down: a property (or map value) of an object, an item of a list. */
function child(parts: Located[], key: string | number): Located[] | 'free' | undefined {
  const next: Located[] = [];
  let free = false;
  let closed = false;
  for (const { schema, doc } of parts) {
    if (typeof key === 'number' || /^\d+$/.test(String(key))) {
      const items = schema.items;
      if (items && typeof items === 'object' && !Array.isArray(items)) next.push({ schema: items as JsonSchema, doc });
      if (typeof key === 'number') continue;
    }
    const props = schema.properties as Record<string, JsonSchema> | undefined;
    const prop = props?.[String(key)];
    if (prop) {
      next.push({ schema: prop, doc });
      continue;
    }
    const extra = schema.additionalProperties;
    if (extra === false) closed = true;
    else if (extra && typeof extra === 'object') next.push({ schema: extra as JsonSchema, doc });
    else if (extra === true || (schema.type === 'object' && extra === undefined && !props)) free = true;
  }
  if (next.length) return next;
  if (free && !closed) return 'free';
  return undefined;
}

/**
 * The schema nodes at `path` in the document whose root schema is `root`; `'free'` when the
 * path goes into a part where anything is accepted; undefined when the schema has no such node.
 */
export function locate(root: JsonSchema, rootDoc: string, path: JsonPath, docs: Readonly<Record<string, JsonSchema>>): Located[] | 'free' | undefined {
  let parts = expand({ schema: root, doc: rootDoc }, docs);
  for (const key of path) {
    const next = child(parts, key);
    if (next === undefined || next === 'free') return next;
    parts = next.flatMap((n) => expand(n, docs));
  }
  return parts;
}

export function describeAt(root: JsonSchema, rootDoc: string, path: JsonPath, docs: Readonly<Record<string, JsonSchema>>): SchemaNodeInfo | undefined {
  const parts = locate(root, rootDoc, path, docs);
  if (parts === undefined) return undefined;
  if (parts === 'free') return { freeForm: true };
  const info: SchemaNodeInfo = {};
  const properties: string[] = [];
  const required: string[] = [];
  let open = false;
  for (const { schema: s } of parts) {
    if (info.description === undefined && typeof s.description === 'string') info.description = s.description;
    if (info.markdownDescription === undefined && typeof s.markdownDescription === 'string') info.markdownDescription = s.markdownDescription;
    if (info.type === undefined && (typeof s.type === 'string' || Array.isArray(s.type))) info.type = s.type as string | string[];
    if (info.enum === undefined && Array.isArray(s.enum)) info.enum = s.enum;
    if (info.enum === undefined && s.const !== undefined && path.length > 0) info.enum = [s.const];
    if (info.enumDescriptions === undefined && Array.isArray(s.enumDescriptions)) info.enumDescriptions = s.enumDescriptions as string[];
    if (info.default === undefined && s.default !== undefined) info.default = s.default;
    if (info.examples === undefined && Array.isArray(s.examples)) info.examples = s.examples;
    if (s.deprecated === true) info.deprecated = true;
    if (info.patternErrorMessage === undefined && typeof s.patternErrorMessage === 'string') info.patternErrorMessage = s.patternErrorMessage;
    if (info.errorMessage === undefined && typeof s.errorMessage === 'string') info.errorMessage = s.errorMessage;
    if (info.deprecationMessage === undefined && typeof s.deprecationMessage === 'string') info.deprecationMessage = s.deprecationMessage;
    if (s.properties && typeof s.properties === 'object') {
      for (const [k, v] of Object.entries(s.properties as Record<string, JsonSchema>)) if (!properties.includes(k) && v.doNotSuggest !== true) properties.push(k);
    }
    if (Array.isArray(s.required)) for (const r of s.required as string[]) if (!required.includes(r)) required.push(r);
    if (s.type === 'object' && s.additionalProperties === undefined && !s.properties && !s.$ref && !s.allOf) open = true;
  }
  if (properties.length) info.properties = properties;
  if (required.length) info.required = required;
  if (open && !properties.length) info.freeForm = true;
  return info;
}

/**
 * Where the schema has deprecated fields, as document paths with `*` for any list index. JSON
 * Schema has no way to flag a valid value, so the validator looks these up after validation.
 * Memoised per schema node: the ApplicationSet reaches the same definitions from many places.
 */
export function deprecatedPaths(root: JsonSchema, rootDoc: string, docs: Readonly<Record<string, JsonSchema>>): DeprecatedField[] {
  const memo = new Map<JsonSchema, DeprecatedField[]>();
  const visiting = new Set<JsonSchema>();
  const below = (node: Located): DeprecatedField[] => {
    const cached = memo.get(node.schema);
    if (cached) return cached;
    if (visiting.has(node.schema)) return [];
    visiting.add(node.schema);
    const out: DeprecatedField[] = [];
    for (const { schema: s, doc } of expand(node, docs)) {
      if (s.properties && typeof s.properties === 'object') {
        for (const [k, v] of Object.entries(s.properties as Record<string, JsonSchema>)) {
          const message = expand({ schema: v, doc }, docs)
            .map((l) => l.schema.deprecationMessage)
            .find((m): m is string => typeof m === 'string');
          if (message) out.push({ path: [k], message });
          for (const d of below({ schema: v, doc })) out.push({ path: [k, ...d.path], message: d.message });
        }
      }
      if (s.items && typeof s.items === 'object' && !Array.isArray(s.items)) {
        for (const d of below({ schema: s.items as JsonSchema, doc })) out.push({ path: ['*', ...d.path], message: d.message });
      }
    }
    visiting.delete(node.schema);
    memo.set(node.schema, out);
    return out;
  };
  return below({ schema: root, doc: rootDoc });
}
