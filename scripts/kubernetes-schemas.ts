/**
 * Writes the two tables the check of rendered objects reads, from what the API server of one
 * Kubernetes release serves:
 * - src/core/render/kubernetesKinds.generated.ts: the kinds by group and version
 *   (renderedObjects.ts);
 * - src/core/render/kubernetesSchemas.generated.ts: their fields (objectSchema.ts).
 *
 * Source: the OpenAPI (v2) document Kubernetes publishes for its release,
 * `api/openapi-spec/swagger.json` of the k8s.io/kubernetes module at {@link RELEASE}, fetched
 * through the Go module proxy (`go mod download`). The kinds are those whose definition carries
 * `x-kubernetes-group-version-kind` and `metadata` (the API's objects; Go's client scheme, used
 * before, also registers versions the server stopped serving, such as `extensions/v1beta1`,
 * which hid their removal). Why this and not a package for the fields: the API
 * server decodes and validates with exactly these types, the document is the one kubectl and
 * kubeconform's schemas derive from, and trimmed to types and required fields (descriptions,
 * patch strategies and list types left out) it adds tens of KiB to the bundle, where
 * @kubernetes-models/* would bring a compiled validator per kind (megabytes) and
 * @monokle/validation a runtime with its own schemas to download.
 *
 * Run: `npm run generate:kinds` after changing {@link RELEASE}.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

interface SwaggerProperty {
  type?: string;
  format?: string;
  $ref?: string;
  items?: SwaggerProperty;
  additionalProperties?: SwaggerProperty | boolean;
}
interface SwaggerDefinition extends SwaggerProperty {
  properties?: Record<string, SwaggerProperty>;
  required?: string[];
  'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }>;
}

/** The Kubernetes release whose API the tables describe. */
const RELEASE = 'v1.37.2';

const here = __dirname;
const release = RELEASE;
const download = JSON.parse(execFileSync('go', ['mod', 'download', '-json', `k8s.io/kubernetes@${release}`], { cwd: os.tmpdir(), encoding: 'utf8', maxBuffer: 1 << 20 })) as { Dir: string };
const swagger = JSON.parse(fs.readFileSync(path.join(download.Dir, 'api', 'openapi-spec', 'swagger.json'), 'utf8')) as { definitions: Record<string, SwaggerDefinition> };
const definitions = swagger.definitions;

/**
 * Types whose JSON form is not what their OpenAPI entry says, as their Go decoders accept:
 * a Quantity takes a number or a string (resource.Quantity.UnmarshalJSON), an IntOrString an
 * integer or a string; RawExtension, FieldsV1, Patch and apiextensions' JSON take any JSON of
 * their own; the empty structs
 * (`type: object`, no properties) are left open rather than promised empty.
 */
function special(name: string, d: SwaggerDefinition): string | undefined {
  if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') return 'q';
  // A CRD's schema: below it, apiextensions' own UnmarshalJSON decodes with encoding/json (keys
  // matched case-insensitively, unknown ones ignored, `null` refused where a bool is allowed):
  // not modelled; generated schemas are rarely wrong by hand.
  if (name === 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps') return '*';
  if (name === 'io.k8s.apimachinery.pkg.util.intstr.IntOrString') return 'x';
  if (d.properties) return undefined;
  if (d.type === 'string') return 's';
  if (d.type === 'object') return 'o';
  return '*';
}

/** Short, still unique names: the `io.k8s.` prefix and the `pkg.apis.` of the apimachinery-style modules dropped. */
function short(name: string): string {
  return name.replace(/^io\.k8s\./, '').replace(/\.pkg\.apis\./, '.');
}

const used = new Map<string, SwaggerDefinition>();
function typeOf(p: SwaggerProperty): string {
  if (p.$ref) {
    const name = p.$ref.replace('#/definitions/', '');
    const d = definitions[name];
    if (!d) throw new Error(`no definition ${name}`);
    const s = special(name, d);
    if (s) return s;
    if (!used.has(name)) {
      used.set(name, d);
      for (const q of Object.values(d.properties ?? {})) typeOf(q);
    }
    return `#${short(name)}`;
  }
  switch (p.type) {
    case 'string':
      // []byte: JSON carries it as base64 text.
      return p.format === 'byte' ? 'y' : 's';
    case 'boolean':
      return 'b';
    case 'number':
      return 'n';
    case 'integer':
      return p.format === 'int32' ? 'i' : 'l';
    case 'array':
      if (!p.items) throw new Error('array without items');
      return `[${typeOf(p.items)}`;
    case 'object':
      return typeof p.additionalProperties === 'object' ? `{${typeOf(p.additionalProperties)}` : 'o';
    default:
      return '*';
  }
}

const kinds: Record<string, string> = {};
/** Group → version → kinds served; a group whose versions are all gone keeps its key with none. */
const served: Record<string, Record<string, string[]>> = {};
for (const [name, d] of Object.entries(definitions)) {
  for (const gvk of d['x-kubernetes-group-version-kind'] ?? []) {
    served[gvk.group] ??= {};
    // DeleteOptions and WatchEvent carry every group version the server ever had; objects have `metadata`.
    if (!d.properties?.['metadata'] || gvk.kind.endsWith('Options') || gvk.kind === 'WatchEvent') continue;
    (served[gvk.group] as Record<string, string[]>)[gvk.version] ??= [];
    served[gvk.group]?.[gvk.version]?.push(gvk.kind);
    if (!gvk.kind.endsWith('List')) kinds[`${gvk.group ? `${gvk.group}/` : ''}${gvk.version}/${gvk.kind}`] = typeOf({ $ref: `#/definitions/${name}` }).slice(1);
  }
}
// kubectl and Argo CD unwrap a `v1` `List` into its items before anything reaches the server.
served['']?.['v1']?.push('List');
const out: Record<string, { f: Record<string, string>; r?: string[] }> = {};
for (const [name, d] of [...used].sort(([a], [b]) => a.localeCompare(b))) {
  const f: Record<string, string> = {};
  for (const [field, p] of Object.entries(d.properties ?? {})) f[field] = typeOf(p);
  out[short(name)] = d.required?.length ? { f, r: d.required } : { f };
}
const sortedKinds = Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b)));
const body = [
  `// Generated by scripts/kubernetes-schemas.ts (k8s.io/kubernetes ${release} api/openapi-spec/swagger.json): do not edit.`,
  "import type { KubernetesSchemas } from './objectSchema';",
  '',
  `export const KUBERNETES_SCHEMAS: KubernetesSchemas = ${JSON.stringify({ release, kinds: sortedKinds, definitions: out })};`,
  '',
].join('\n');
fs.writeFileSync(path.join(here, '..', 'src', 'core', 'render', 'kubernetesSchemas.generated.ts'), body);

const sortedServed = Object.fromEntries(
  Object.entries(served)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([g, vs]) => [g, Object.fromEntries(Object.entries(vs).sort(([a], [b]) => a.localeCompare(b)).map(([v, ks]) => [v, [...new Set(ks)].sort()]))]),
);
const minor = /^v1\.(\d+)\./.exec(release)?.[1];
fs.writeFileSync(
  path.join(here, '..', 'src', 'core', 'render', 'kubernetesKinds.generated.ts'),
  [
    `// Generated by scripts/kubernetes-schemas.ts (k8s.io/kubernetes ${release} api/openapi-spec/swagger.json): do not edit.`,
    '/** The Kubernetes release the table comes from. */',
    `export const KUBERNETES_VERSION = '1.${minor}';`,
    '',
    "/** Kinds the API server serves, by API group ('' is the core group) and version; a group whose versions are all removed has none. */",
    `export const BUILTIN_KINDS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = ${JSON.stringify(sortedServed, null, 2).replace(/"/g, "'")};`,
    '',
  ].join('\n'),
);
console.log(`kubernetes-schemas: ${Object.keys(sortedKinds).length} kinds, ${Object.keys(out).length} definitions, ${body.length} bytes`);
