/**
 * The check of rendered objects against the API server that will receive them (kubeconform-style):
 * every object needs `apiVersion`, `kind` and `metadata.name` (or
 * `generateName`), and its kind must be one Kubernetes serves or one a CustomResourceDefinition
 * in the render or the repository defines. Argo CD applies with kubectl (client- or server-side);
 * the API server refuses an object it has no resource for ("no matches for kind … in version …"),
 * and the whole sync fails.
 *
 * What is certain and what is not decides the severity:
 * - a kind missing from a group/version Kubernetes itself serves (`apps/v1` `Deploymnet`), a
 *   core-group version other than `v1`, an object without kind, apiVersion or name: error — no
 *   CRD can add to those (a CRD's group needs a dot and `*.k8s.io` groups need Kubernetes'
 *   approval, apiextensions validation);
 * - a version of a built-in group that Kubernetes {@link KUBERNETES_VERSION} does not serve
 *   (`autoscaling/v2beta2`, removed): warning — a newer release may serve it;
 * - a group without a dot that no CRD can define (`app/v1`): warning — only an aggregated API
 *   (APIService) could serve it;
 * - any other kind without a CRD in the render or repository: nothing — operators install their
 *   CRDs at run time (Cilium) and clusters ship some (k3s), so silence is the honest answer.
 *
 * An object of a kind Kubernetes serves is then read field by field against that kind's schema
 * (objectSchema.ts), a custom resource against its CRD's when the render or the repository
 * holds it (crdSchema.ts): `rendered-object-schema`, an error at the field — a warning for an unknown
 * field when the sync option `Validate=false` (the Application's or the object's own
 * `argocd.argoproj.io/sync-options`) makes the server drop it rather than refuse it.
 */
import { parseYamlFile } from '../yaml/parse';
import { BUILTIN_KINDS, KUBERNETES_VERSION } from './kubernetesKinds.generated';
import { KUBERNETES_SCHEMAS } from './kubernetesSchemas.generated';
import { customResourceProblems, type CrdSchemaLookup } from './crdSchema';
import { schemaProblems, type SchemaProblem } from './objectSchema';
import type { RenderedObject } from './render';

export interface RenderedObjectProblem {
  /** Index of the object in the render's objects. */
  index: number;
  /** `Kind/name` as far as the object has them. */
  object: string;
  severity: 'error' | 'warning';
  /** `rendered-object-invalid` (the API server refuses it), `rendered-object-unknown-api` (not known to be served) or `rendered-object-schema` (a field its schema refuses). */
  rule: 'rendered-object-invalid' | 'rendered-object-unknown-api' | 'rendered-object-schema';
  message: string;
  /** For a field's problem: the 0-based line of the field in the object's YAML. */
  fieldLine?: number;
}

function split(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The API server's answer to an unknown resource, as kubectl prints it. */
function noMatch(kind: string, apiVersion: string): string {
  return `no matches for kind "${kind}" in version "${apiVersion}"`;
}

function problemOf(o: RenderedObject, crdKinds: ReadonlySet<string>): Omit<RenderedObjectProblem, 'index' | 'object'> | undefined {
  const invalid = (message: string) => ({ severity: 'error' as const, rule: 'rendered-object-invalid' as const, message });
  const unknown = (message: string) => ({ severity: 'warning' as const, rule: 'rendered-object-unknown-api' as const, message });
  if (!o.apiVersion) return invalid('has no apiVersion: Argo CD cannot apply it.');
  if (!o.kind) return invalid('has no kind: Argo CD cannot apply it.');
  // Argo CD creates hooks with generateName; anything else without a name is refused.
  if (!o.name && !/^[ \t]+generateName:[ \t]*\S/m.test(o.yaml)) return invalid('has no metadata.name: the API server refuses it ("resource name may not be empty").');
  const { group, version } = split(o.apiVersion);
  if (crdKinds.has(`${group}/${o.kind}`)) return undefined;
  const versions = BUILTIN_KINDS[group];
  if (versions) {
    const kinds = versions[version];
    const servedIn = Object.keys(versions).filter((v) => versions[v]?.includes(o.kind));
    const hint = servedIn.length ? ` (Kubernetes serves ${o.kind} as ${servedIn.map((v) => (group ? `${group}/${v}` : v)).join(', ')})` : '';
    if (kinds) return kinds.includes(o.kind) ? undefined : invalid(`${noMatch(o.kind, o.apiVersion)}: ${o.apiVersion} has no kind ${o.kind}${hint}; the sync fails.`);
    if (group === '') return invalid(`${noMatch(o.kind, o.apiVersion)}: the core API group has only version v1; the sync fails.`);
    return unknown(`${noMatch(o.kind, o.apiVersion)}: Kubernetes ${KUBERNETES_VERSION} does not serve ${o.apiVersion}${hint}; the sync fails unless the cluster serves it.`);
  }
  if (!group.includes('.')) return unknown(`${noMatch(o.kind, o.apiVersion)}: API group "${group}" is not one of Kubernetes and no CustomResourceDefinition can define a group without a dot; the sync fails unless an aggregated API serves it.`);
  return undefined;
}

/** What the server does with each kind of field problem, after the field's own words. */
function consequence(kind: SchemaProblem['kind'], validates: boolean, custom: boolean): { severity: 'error' | 'warning'; text: string } {
  if (kind === 'unknown-field') {
    return validates
      ? { severity: 'error', text: 'kubectl validates strictly, so the API server refuses the object ("strict decoding error") and the sync fails.' }
      : { severity: 'warning', text: 'with the sync option Validate=false the API server drops it without a word.' };
  }
  if (custom) return { severity: 'error', text: "the API server refuses the object (its CustomResourceDefinition's schema) and the sync fails." };
  if (kind === 'required') return { severity: 'error', text: 'the API server refuses the object ("Required value") and the sync fails.' };
  return { severity: 'error', text: 'the API server cannot decode it and the sync fails.' };
}

function disablesValidation(syncOptions: unknown): boolean {
  const list = typeof syncOptions === 'string' ? syncOptions.split(',') : Array.isArray(syncOptions) ? syncOptions : [];
  return list.some((o) => typeof o === 'string' && o.trim() === 'Validate=false');
}

/** The field problems of one object of a kind with a schema, each at its line in the object's YAML. */
function fieldProblems(o: RenderedObject, appValidates: boolean, crdSchemas: CrdSchemaLookup | undefined): Array<Omit<RenderedObjectProblem, 'index' | 'object'>> {
  if (!o.apiVersion) return [];
  const gvk = `${o.apiVersion}/${o.kind}`;
  const builtin = KUBERNETES_SCHEMAS.kinds[gvk] !== undefined;
  const crd = builtin || !o.apiVersion.includes('/') ? undefined : crdSchemas?.(gvk);
  if (!builtin && !crd) return [];
  // Argo CD reads the render as sigs.k8s.io/yaml does (YAML 1.1): the same reader as a directory source's files.
  const doc = parseYamlFile('rendered object', o.yaml, 'directory-manifest').docs[0];
  if (!doc || doc.value === null || typeof doc.value !== 'object') return [];
  const found = crd ? customResourceProblems(doc.value, crd) : (schemaProblems(doc.value, o.apiVersion, o.kind, KUBERNETES_SCHEMAS) ?? []);
  if (found.length === 0) return [];
  const annotations = ((doc.value as { metadata?: { annotations?: Record<string, unknown> } }).metadata?.annotations ?? {}) as Record<string, unknown>;
  const validates = appValidates && !disablesValidation(annotations['argocd.argoproj.io/sync-options']);
  return found.map((p) => {
    const then = consequence(p.kind, validates, crd !== undefined);
    const line = p.path.length ? doc.locate(p.path).start.line : doc.line;
    return { severity: then.severity, rule: 'rendered-object-schema' as const, message: `${p.message}: ${then.text}`, fieldLine: line };
  });
}

/**
 * Problems of a render's objects. `crdKinds` holds `group/Kind` of the CustomResourceDefinitions the
 * repository defines (crdScopesIn's keys); those in the render are added here. `syncOptions` are
 * the Application's (`spec.syncPolicy.syncOptions`), for `Validate=false`; `crdSchemas` finds
 * the schema of a custom resource's version (crdSchema.ts) in the render's or the repository's CRDs.
 */
export function checkRenderedObjects(objects: readonly RenderedObject[], crdKinds: Iterable<string>, renderCrdKinds: Iterable<string>, syncOptions?: unknown, crdSchemas?: CrdSchemaLookup): RenderedObjectProblem[] {
  const crds = new Set([...crdKinds, ...renderCrdKinds]);
  const validates = !disablesValidation(syncOptions);
  const out: RenderedObjectProblem[] = [];
  objects.forEach((o, index) => {
    const object = `${o.kind || '(no kind)'}/${o.name || '(no name)'}`;
    const p = problemOf(o, crds);
    if (p) out.push({ index, object, ...p });
    else for (const f of fieldProblems(o, validates, crdSchemas)) out.push({ index, object, ...f });
  });
  return out;
}
