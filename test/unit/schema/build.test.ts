import Ajv from 'ajv';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SCHEMA_DIR, VALIDATORS_FILE, buildSchemas, compileValidators, serialise } from '../../../scripts/schemas/build';
import { SchemaCatalog, type JsonSchema } from '../../../src/core/schema';
import { deprecatedPaths } from '../../../src/core/schema/describe';

describe('generated schema files', () => {
  it('schemas/*.json and the compiled validators match scripts/schemas (run `npx tsx scripts/schemas/build.ts`)', () => {
    const schemas = buildSchemas();
    for (const [name, schema] of Object.entries(schemas)) {
      assert.equal(fs.readFileSync(path.join(SCHEMA_DIR, name), 'utf8'), serialise(schema), `${name} is out of date`);
    }
    assert.equal(fs.readFileSync(VALIDATORS_FILE, 'utf8'), compileValidators(schemas), 'src/core/schema/generated/validators.js is out of date');
  });

  it('every schema is valid draft-07 and declares itself so', () => {
    const ajv = new Ajv({ strict: false });
    for (const [name, schema] of Object.entries(buildSchemas())) {
      assert.ok(ajv.validateSchema(schema), `${name}: ${ajv.errorsText(ajv.errors)}`);
      assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#', name);
      assert.equal(schema.$id, name);
    }
  });

  it('the deprecated fields shipped with the validators are those the schemas declare, and warnings use them', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const shipped = (require(VALIDATORS_FILE) as { deprecations: Record<string, unknown> }).deprecations;
    const docs = new SchemaCatalog().documents();
    assert.deepStrictEqual(Object.keys(shipped).sort(), Object.keys(docs).sort());
    for (const id of Object.keys(docs)) assert.deepStrictEqual(shipped[id], deprecatedPaths(docs[id] as JsonSchema, id, docs), id);
    assert.ok((shipped['kustomization.schema.json'] as unknown[]).length >= 5);
    const issues = new SchemaCatalog().validate('Kustomization', { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', bases: ['../base'] });
    assert.ok(issues.some((i) => i.check === 'deprecated' && i.path.join('.') === 'bases'), JSON.stringify(issues));
  });
});
