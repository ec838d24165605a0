/** Shared types of the schema layer (no ajv types leak out of src/core/schema). */

/** The manifests the project has its own schema for. `Component` shares the kustomization schema. */
export type ManifestKind = 'Application' | 'ApplicationSet' | 'AppProject' | 'Kustomization' | 'Component';

export const MANIFEST_KINDS: readonly ManifestKind[] = ['Application', 'ApplicationSet', 'AppProject', 'Kustomization', 'Component'];

/** Keys and list indexes from the document root to a node, e.g. `['spec', 'generators', 0, 'git']`. */
export type JsonPath = Array<string | number>;

export interface SchemaIssue {
  /** The offending node: for an unknown field, the field itself; for a missing one, its parent. */
  path: JsonPath;
  /** What to underline: the key of the node at `path` (unknown/missing/deprecated field), or its value. */
  target: 'key' | 'value';
  severity: 'error' | 'warning';
  /** A sentence for the user, with field names in backticks. */
  message: string;
  /** Which schema check failed (`additionalProperties`, `enum`, `type`, `required`, `deprecated`...). */
  check: string;
}

/** What a schema says about one node: for hover and completion. */
export interface SchemaNodeInfo {
  description?: string;
  markdownDescription?: string;
  type?: string | string[];
  enum?: unknown[];
  enumDescriptions?: string[];
  default?: unknown;
  examples?: unknown[];
  deprecated?: boolean;
  deprecationMessage?: string;
  /** Known fields of an object node (for completion), in schema order. */
  properties?: string[];
  required?: string[];
  /** True where anything is accepted (status, Helm values, list elements...). */
  freeForm?: boolean;
  /** What a value must look like, in words, when the schema has a pattern. */
  patternErrorMessage?: string;
  /** The schema's own message for any failure of this node. */
  errorMessage?: string;
}
