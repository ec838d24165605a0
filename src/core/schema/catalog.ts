/**
 * The project's JSON Schemas (schemas/*.json) and their validators. The validators are compiled
 * ahead of time (generated/validators.js, by scripts/schemas/build.ts): compiling the four
 * schemas with ajv at run time takes ~200 ms, loading the compiled module ~15 ms.
 */
import application from '../../../schemas/application.schema.json';
import applicationSet from '../../../schemas/applicationset.schema.json';
import appProject from '../../../schemas/appproject.schema.json';
import kustomization from '../../../schemas/kustomization.schema.json';
import { describeAt, deprecatedPaths } from './describe';
import { DeprecatedField, deprecationIssues, toIssues } from './messages';
import { JsonPath, ManifestKind, SchemaIssue, SchemaNodeInfo } from './types';
import type { CompiledValidator } from './generated/validators';

export type JsonSchema = { [key: string]: unknown };

const DOCUMENTS: Readonly<Record<string, JsonSchema>> = {
  'application.schema.json': application as JsonSchema,
  'applicationset.schema.json': applicationSet as JsonSchema,
  'appproject.schema.json': appProject as JsonSchema,
  'kustomization.schema.json': kustomization as JsonSchema,
};

const SCHEMA_ID: Record<ManifestKind, string> = {
  Application: 'application.schema.json',
  ApplicationSet: 'applicationset.schema.json',
  AppProject: 'appproject.schema.json',
  Kustomization: 'kustomization.schema.json',
  Component: 'kustomization.schema.json',
};

type Validators = Record<'Application' | 'ApplicationSet' | 'AppProject' | 'Kustomization', CompiledValidator> & {
  deprecations?: Record<string, DeprecatedField[]>;
};

export class SchemaCatalog {
  private validators: Validators | undefined;
  private readonly deprecations = new Map<string, DeprecatedField[]>();
  private loadMs = 0;

  /** The schema document for a kind (the root of `describe` paths). */
  schemaFor(kind: ManifestKind): JsonSchema {
    return DOCUMENTS[SCHEMA_ID[kind]] as JsonSchema;
  }

  /** Every schema document by `$id`, for resolving cross-file `$ref`s. */
  documents(): Readonly<Record<string, JsonSchema>> {
    return DOCUMENTS;
  }

  describe(kind: ManifestKind, path: JsonPath): SchemaNodeInfo | undefined {
    return describeAt(this.schemaFor(kind), SCHEMA_ID[kind], path, DOCUMENTS);
  }

  validate(kind: ManifestKind, value: unknown): SchemaIssue[] {
    const fn = this.load()[kind === 'Component' ? 'Kustomization' : kind];
    const ok = fn(value);
    const issues = ok ? [] : toIssues(fn.errors ?? [], value, kind === 'ApplicationSet', (p) => this.describe(kind, p));
    const deprecated = this.deprecatedFields(kind);
    return deprecated.length ? issues.concat(deprecationIssues(deprecated, value)) : issues;
  }

  /** Load the compiled validators now (e.g. while a server starts) rather than on first use. */
  warmUp(): void {
    this.load();
    for (const kind of Object.keys(SCHEMA_ID) as ManifestKind[]) this.deprecatedFields(kind);
  }

  /** Milliseconds spent loading the compiled validators (once per catalog). */
  get loadTime(): number {
    return this.loadMs;
  }

  private load(): Validators {
    if (!this.validators) {
      const t0 = performance.now();
      // Required lazily: 0.8 MB of generated code that a front end not validating never needs.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      this.validators = require('./generated/validators') as Validators;
      this.loadMs = performance.now() - t0;
    }
    return this.validators;
  }

  private deprecatedFields(kind: ManifestKind): DeprecatedField[] {
    const id = SCHEMA_ID[kind];
    let list = this.deprecations.get(id);
    if (!list) {
      // Computed at build time with the validators; walking the schemas here is the fallback.
      list = this.load().deprecations?.[id] ?? deprecatedPaths(DOCUMENTS[id] as JsonSchema, id, DOCUMENTS);
      this.deprecations.set(id, list);
    }
    return list;
  }
}
