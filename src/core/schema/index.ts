/**
 * Schema checks for Argo CD and kustomize manifests, from the project's own JSON Schemas.
 *
 *   validateManifest('ApplicationSet', value)  → SchemaIssue[] (path, key/value, message)
 *   describe('Kustomization', ['helmCharts', 0, 'valuesMerge']) → description, enum, default...
 *   schemaFor('Application') → the JSON Schema document
 *
 * The functions share one lazily created SchemaCatalog: its validators are immutable and
 * identical for every caller, so there is nothing to own or dispose. Code that wants its own
 * (or to measure load time) creates a `SchemaCatalog`.
 */
import { JsonSchema, SchemaCatalog } from './catalog';
import { JsonPath, ManifestKind, SchemaIssue, SchemaNodeInfo } from './types';

export { SchemaCatalog } from './catalog';
export type { JsonSchema } from './catalog';
export { describeAt, locate } from './describe';
export { nodeLabel, toIssues } from './messages';
export { didYouMean } from '../spelling';
export * from './types';

let shared: SchemaCatalog | undefined;

function catalog(): SchemaCatalog {
  shared ??= new SchemaCatalog();
  return shared;
}

/** Schema problems of one parsed document (`value` as the YAML/JSON parser returns it). */
export function validateManifest(kind: ManifestKind, value: unknown): SchemaIssue[] {
  return catalog().validate(kind, value);
}

export function schemaFor(kind: ManifestKind): JsonSchema {
  return catalog().schemaFor(kind);
}

/** What the schema says about the node at `path`; undefined when the schema has no such node. */
export function describe(kind: ManifestKind, path: JsonPath): SchemaNodeInfo | undefined {
  return catalog().describe(kind, path);
}

/** The kind a document's `apiVersion`/`kind` (or a kustomization file name) asks for, if ours. */
export function manifestKindOf(value: unknown, isKustomizationFile = false): ManifestKind | undefined {
  const v = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const apiVersion = typeof v.apiVersion === 'string' ? v.apiVersion : '';
  if (apiVersion.startsWith('argoproj.io/')) {
    if (v.kind === 'Application' || v.kind === 'ApplicationSet' || v.kind === 'AppProject') return v.kind;
    return undefined;
  }
  if (isKustomizationFile) return v.kind === 'Component' ? 'Component' : 'Kustomization';
  return undefined;
}
