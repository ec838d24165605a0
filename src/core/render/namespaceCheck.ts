/**
 * kustomize 5.8 (Argo CD ≥ 3.3) no longer applies a kustomization's `namespace:` to the objects
 * of its `helmCharts` (kubernetes-sigs/kustomize#6014, #6058; verified with v5.8.1 against
 * kubectl's v5.5.0): a chart template without `namespace: {{ .Release.Namespace }}` gives an
 * object with no namespace, which Argo CD then creates in the Application's destination
 * namespace — not the one the kustomization names. After a render made with kustomize ≥ 5.8,
 * such objects are exactly the namespaced ones left without a namespace while the kustomization
 * sets one (kustomize gives every other resource its namespace).
 *
 * Namespaced means: a built-in kind known to be namespaced, or a kind whose
 * CustomResourceDefinition in the render or in the repository says `scope: Namespaced`. A kind Home-Ops cannot place
 * (a CRD that is not in the render) is left out rather than guessed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { atLeast, plainVersion } from '../argocd/toolVersions';
import { loadYaml } from '../yaml/load';
import type { RepoFiles } from '../argocd/source';
import type { ErrorLocation, RenderedObject } from './render';
import { kustomizationFile } from './sourceType';

/** Built-in namespaced kinds by API group ('' is the core group). */
const BUILTIN_NAMESPACED: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['', new Set(['ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'Pod', 'PodTemplate', 'ReplicationController', 'Endpoints', 'Event', 'LimitRange', 'ResourceQuota', 'PersistentVolumeClaim'])],
  ['apps', new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ControllerRevision'])],
  ['batch', new Set(['Job', 'CronJob'])],
  ['autoscaling', new Set(['HorizontalPodAutoscaler'])],
  ['networking.k8s.io', new Set(['Ingress', 'NetworkPolicy'])],
  ['policy', new Set(['PodDisruptionBudget'])],
  ['rbac.authorization.k8s.io', new Set(['Role', 'RoleBinding'])],
  ['coordination.k8s.io', new Set(['Lease'])],
  ['discovery.k8s.io', new Set(['EndpointSlice'])],
  ['events.k8s.io', new Set(['Event'])],
  ['storage.k8s.io', new Set(['CSIStorageCapacity'])],
]);

export interface NamespaceWarning {
  location: ErrorLocation;
  message: string;
  /** `Kind/name` of each object without a namespace. */
  objects: string[];
}

function groupOf(apiVersion: string | undefined): string {
  const v = apiVersion ?? '';
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

/** Namespaced kinds the render's own CustomResourceDefinitions declare, by `group/Kind`. */
function crdScopes(objects: readonly RenderedObject[]): Map<string, boolean> {
  const scopes = new Map<string, boolean>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition') continue;
    let v: unknown;
    try {
      v = loadYaml(o.yaml, 'directory-manifest');
    } catch {
      continue;
    }
    const spec = (v as { spec?: { group?: unknown; scope?: unknown; names?: { kind?: unknown } } } | null)?.spec;
    if (typeof spec?.group === 'string' && typeof spec.names?.kind === 'string') scopes.set(`${spec.group}/${spec.names.kind}`, spec.scope === 'Namespaced');
  }
  return scopes;
}

/**
 * The scopes the repository's own CustomResourceDefinitions declare, by `group/Kind`. CRD files
 * are large (a vendored operator's run to megabytes) and the three fields sit at fixed places
 * of a CRD document (`spec.group`, `spec.scope`, `spec.names.kind`), so they are read by line
 * instead of parsing the schema; a document read otherwise is left out (its kind stays unknown).
 */
export function crdScopesIn(repo: RepoFiles): Map<string, boolean> {
  return crdScopesOf(crdDocumentsIn(repo));
}

/** crdScopesIn over CRD documents already found (the same scan serves the schemas: crdSchema.ts). */
export function crdScopesOf(documents: readonly CrdDocument[]): Map<string, boolean> {
  const scopes = new Map<string, boolean>();
  for (const d of documents) if (d.scope === 'Namespaced' || d.scope === 'Cluster') scopes.set(`${d.group}/${d.kind}`, d.scope === 'Namespaced');
  return scopes;
}

export interface CrdDocument {
  group: string;
  kind: string;
  scope: string | undefined;
  /** The document's text, for a reading of its schema when an object of its kind needs it. */
  text: string;
}

/** The repository's CustomResourceDefinition documents, read by line as crdScopesIn says why. */
export function crdDocumentsIn(repo: RepoFiles): CrdDocument[] {
  const out: CrdDocument[] = [];
  for (const file of repo.files) {
    if (!/\.ya?ml$/i.test(file)) continue;
    const text = repo.readText(file);
    if (text === undefined || !text.includes('CustomResourceDefinition')) continue;
    for (const doc of text.split(/^---[ \t]*$/m)) {
      if (!/^kind:[ \t]*["']?CustomResourceDefinition["']?[ \t]*$/m.test(doc)) continue;
      const spec = /^spec:[ \t]*\n((?:(?:[ \t]+.*|[ \t]*)(?:\n|$))*)/m.exec(doc)?.[1] ?? '';
      const indent = /^([ \t]+)\S/m.exec(spec)?.[1] ?? '  ';
      const field = (name: string, within = spec, at = indent) => new RegExp(`^${at}${name}:[ \\t]*["']?([\\w.-]+)["']?[ \\t]*$`, 'm').exec(within)?.[1];
      const names = new RegExp(`^${indent}names:[ \\t]*\\n((?:${indent}[ \\t]+.*\\n?)*)`, 'm').exec(spec)?.[1] ?? '';
      const group = field('group');
      const kind = field('kind', names, /^([ \t]+)\S/.exec(names)?.[1] ?? '');
      if (group && kind) out.push({ group, kind, scope: field('scope'), text: doc });
    }
  }
  return out;
}

/** Whether the object is namespaced; undefined when Home-Ops cannot tell. */
export function isNamespaced(o: Pick<RenderedObject, 'apiVersion' | 'kind'>, crds: ReadonlyMap<string, boolean>): boolean | undefined {
  const group = groupOf(o.apiVersion);
  if (BUILTIN_NAMESPACED.get(group)?.has(o.kind)) return true;
  return crds.get(`${group}/${o.kind}`);
}

/**
 * The warning for a kustomize render (`kustomizeVersion` as the binary reports it) of the app in
 * `appDir`: undefined unless kustomize is ≥ 5.8, the app's kustomization sets `namespace:`, it or
 * a kustomization it includes inflates charts (`usesHelm`: the namespace does not reach them
 * through a nested kustomization either), and some namespaced object came out without one.
 */
export function helmChartNamespaceWarning(objects: readonly RenderedObject[], appDir: string, root: string, kustomizeVersion: string, usesHelm: boolean, destinationNamespace: string | undefined, repositoryScopes: ReadonlyMap<string, boolean> = new Map()): NamespaceWarning | undefined {
  if (!usesHelm) return undefined;
  const v = plainVersion(kustomizeVersion);
  if (!v || !atLeast(v, 5, 8)) return undefined;
  const file = kustomizationFile(appDir);
  if (!file) return undefined;
  let text: string;
  let k: Record<string, unknown>;
  try {
    text = fs.readFileSync(file, 'utf8');
    const value = loadYaml(text, 'kustomization');
    if (!value || typeof value !== 'object') return undefined;
    k = value as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const namespace = k['namespace'];
  if (typeof namespace !== 'string' || namespace === '') return undefined;
  const crds = new Map([...repositoryScopes, ...crdScopes(objects)]);
  const homeless = objects.filter((o) => o.namespace === undefined && o.kind !== '' && isNamespaced(o, crds) === true).map((o) => `${o.kind}/${o.name}`);
  if (homeless.length === 0) return undefined;
  const lines = text.split('\n');
  const line = Math.max(0, lines.findIndex((l) => /^namespace\s*:/.test(l)));
  const lineText = lines[line] ?? '';
  const at = lineText.indexOf(namespace);
  const where = destinationNamespace ? `the Application's destination namespace "${destinationNamespace}"` : "the Application's destination namespace (none is set: the cluster's default)";
  const shown = homeless.length > 5 ? `${homeless.slice(0, 5).join(', ')} and ${homeless.length - 5} more` : homeless.join(', ');
  return {
    location: { file: path.relative(root, file).split(path.sep).join('/'), line, column: at >= 0 ? at : 0, endColumn: at >= 0 ? at + namespace.length : lineText.length },
    message: `namespace "${namespace}" is not applied to objects from helmCharts since kustomize 5.8 (Argo CD ≥ 3.3): ${shown} ${homeless.length === 1 ? 'has' : 'have'} no namespace and will land in ${where} (a chart template without \`namespace: {{ .Release.Namespace }}\` sets none).`,
    objects: homeless,
  };
}
