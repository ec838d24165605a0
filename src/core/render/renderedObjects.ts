/**
 * The check of rendered objects against the API server that will receive them (kubeconform-style,
 * without field schemas): every object needs `apiVersion`, `kind` and `metadata.name` (or
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
 */
import { BUILTIN_KINDS, KUBERNETES_VERSION } from './kubernetesKinds.generated';
import type { RenderedObject } from './render';

export interface RenderedObjectProblem {
  /** Index of the object in the render's objects. */
  index: number;
  /** `Kind/name` as far as the object has them. */
  object: string;
  severity: 'error' | 'warning';
  /** `rendered-object-invalid` (the API server refuses it) or `rendered-object-unknown-api` (not known to be served). */
  rule: 'rendered-object-invalid' | 'rendered-object-unknown-api';
  message: string;
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

/**
 * Problems of a render's objects. `crdKinds` holds `group/Kind` of the CustomResourceDefinitions the
 * repository defines (crdScopesIn's keys); those in the render are added here.
 */
export function checkRenderedObjects(objects: readonly RenderedObject[], crdKinds: Iterable<string>, renderCrdKinds: Iterable<string>): RenderedObjectProblem[] {
  const crds = new Set([...crdKinds, ...renderCrdKinds]);
  const out: RenderedObjectProblem[] = [];
  objects.forEach((o, index) => {
    const p = problemOf(o, crds);
    if (p) out.push({ index, object: `${o.kind || '(no kind)'}/${o.name || '(no name)'}`, ...p });
  });
  return out;
}
