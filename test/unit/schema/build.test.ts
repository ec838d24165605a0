import Ajv from 'ajv';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SCHEMA_DIR, VALIDATORS_FILE, buildSchemas, compileValidators, serialise } from '../../../scripts/schemas/build';

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
});
