/**
 * Validation of bodies against Argo CD's own swagger (assets/swagger.json of the v3.5.1 release,
 * kept in ../shared/argocd/). Swagger 2.0 is not JSON Schema, so it is adapted:
 * - all definitions go into one schema whose `#/definitions/...` refs then resolve;
 * - `x-` keywords are dropped; the formats it uses (int32, int64, byte, date-time) are defined;
 * - int64 declared as `string` also accepts a number (Argo CD's gateway marshals with Go's
 *   encoding/json, argocd-facts.md §2);
 * - **closed world**: an object with `properties` and no `additionalProperties` admits no other
 *   property, because Go's encoding/json only ever writes fields the struct has. Without this
 *   the swagger (no `required`, no `additionalProperties: false` anywhere) would accept anything,
 *   and the double could drift unnoticed;
 * - **what a real server always sends is required** (ALWAYS_SENT), so a double that leaves such a
 *   field out fails too.
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SHARED_DIR = process.env['HOME_OPS_SHARED'] ?? path.resolve(__dirname, '..', '..', '..', 'shared');
export const SWAGGER_PATH = path.join(SHARED_DIR, 'argocd', 'swagger.json');

type Json = Record<string, unknown>;

/**
 * Fields a real Argo CD server always sends, by definition. Two reasons make a field always
 * there: Go's encoding/json writes every field without `omitempty`, and every struct-typed field
 * even with it (omitempty never drops a struct) — the json tags of
 * pkg/apis/application/v1alpha1/types.go; and the Kubernetes API server stamps every stored
 * object with a uid, a resourceVersion and a creation time. Argo CD's List sets the list's
 * resourceVersion from its informer. These hold for whole objects, which is what the double
 * serves (it ignores `fields`, sending a superset of what was asked for).
 */
export const ALWAYS_SENT: Readonly<Record<string, readonly string[]>> = {
  v1alpha1Application: ['metadata', 'spec', 'status'],
  v1ObjectMeta: ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp'],
  v1alpha1ApplicationSpec: ['destination', 'project'],
  v1alpha1ApplicationStatus: ['sync', 'health'],
  v1alpha1SyncStatus: ['status'],
  v1alpha1ApplicationList: ['metadata', 'items'],
  v1ListMeta: ['resourceVersion'],
  v1alpha1ApplicationWatchEvent: ['type', 'application'],
  sessionSessionResponse: ['token'],
};

function adapt(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(adapt);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k.startsWith('x-')) continue;
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Json).map(([p, s]) => [p, adapt(s)])) : adapt(v);
  }
  if (out['type'] === 'string' && out['format'] === 'int64') out['type'] = ['string', 'integer'];
  if (out['properties'] && out['additionalProperties'] === undefined) out['additionalProperties'] = false;
  return out;
}

export interface SwaggerValidator {
  /** Errors of `body` against a definition (`v1alpha1Application`) or a path's schema. */
  definition(name: string, body: unknown): string[];
  /** Errors against the response schema of `METHOD path` for an HTTP status ('200' | 'default'). */
  response(method: string, apiPath: string, status: '200' | 'default', body: unknown): string[];
  /** Errors against the body parameter of `METHOD path`. */
  requestBody(method: string, apiPath: string, body: unknown): string[];
}

export function loadSwagger(file = SWAGGER_PATH): SwaggerValidator {
  const swagger = JSON.parse(fs.readFileSync(file, 'utf8')) as { definitions: Json; paths: Record<string, Record<string, Json>> };
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
  ajv.addFormat('int64', (x: unknown) => (typeof x === 'number' ? Number.isInteger(x) : /^-?\d+$/.test(String(x))));
  ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  const definitions = adapt(swagger.definitions) as Record<string, Json>;
  for (const [name, fields] of Object.entries(ALWAYS_SENT)) {
    const def = definitions[name];
    const props = (def?.['properties'] ?? {}) as Json;
    const unknown = fields.filter((f) => !(f in props));
    // A field the swagger does not describe would make the requirement itself drift.
    if (!def || unknown.length) throw new Error(`swagger: ${name} has no ${def ? unknown.join(', ') : 'definition'}`);
    def['required'] = [...fields];
  }
  ajv.addSchema({ $id: 'argocd', definitions });

  const cache = new Map<string, ValidateFunction>();
  const compile = (key: string, schema: unknown): ValidateFunction => {
    let v = cache.get(key);
    if (!v) {
      // Inline path schemas refer to `#/definitions/...` of the swagger document.
      v = ajv.compile(rebase(adapt(schema)));
      cache.set(key, v);
    }
    return v;
  };
  const run = (v: ValidateFunction, body: unknown) => (v(body) ? [] : (v.errors ?? []).map(describe));
  const op = (method: string, apiPath: string): Json => {
    const o = swagger.paths[apiPath]?.[method.toLowerCase()];
    if (!o) throw new Error(`swagger has no ${method} ${apiPath}`);
    return o;
  };

  return {
    definition(name, body) {
      if (!(name in swagger.definitions)) throw new Error(`swagger has no definition ${name}`);
      const v = ajv.getSchema(`argocd#/definitions/${name}`);
      if (!v) throw new Error(`cannot compile ${name}`);
      return run(v, body);
    },
    response(method, apiPath, status, body) {
      const responses = op(method, apiPath)['responses'] as Record<string, { schema?: unknown }>;
      const schema = responses[status]?.schema;
      if (!schema) throw new Error(`swagger: ${method} ${apiPath} has no ${status} response schema`);
      return run(compile(`${method} ${apiPath} ${status}`, schema), body);
    },
    requestBody(method, apiPath, body) {
      const params = (op(method, apiPath)['parameters'] ?? []) as { in: string; schema?: unknown }[];
      const schema = params.find((p) => p.in === 'body')?.schema;
      if (!schema) throw new Error(`swagger: ${method} ${apiPath} takes no body`);
      return run(compile(`${method} ${apiPath} body`, schema), body);
    },
  };
}

/** `#/definitions/X` → `argocd#/definitions/X`, for schemas compiled outside the definitions document. */
function rebase(node: unknown): Json {
  const walk = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(walk);
    if (typeof n !== 'object' || n === null) return n;
    const out: Json = {};
    for (const [k, v] of Object.entries(n as Json)) {
      out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/') ? `argocd${v}` : walk(v);
    }
    return out;
  };
  return walk(node) as Json;
}

function describe(e: ErrorObject): string {
  const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : '';
  return `${e.instancePath || '/'} ${e.message ?? e.keyword}${extra}`;
}
