/**
 * The golden tables in this folder say "recorded from Go": where Go is present (CI), they are
 * recomputed with Go from their own inputs (test/oracle/goldens.ts) and must be what Go prints,
 * to the byte. A table that drifted is rewritten with `npx tsx scripts/goldens.ts --write`.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { regenerateGoldens, tableTexts, type GoldenTables } from '../../oracle/goldens';
import { requireTools } from '../../support/shared';
import { GOLDEN_CASES } from './go-goldens';
import { FMT_GOLDENS } from './fmt-goldens';
import { ERROR_CASES, RENDER_CASES } from './sprig-go-cases';
import { YAML_CASES } from './sprig-yaml-cases';

describe('golden tables: what Go prints, recomputed from their inputs', function () {
  this.timeout(600_000);
  let go: GoldenTables;

  before(async function () {
    requireTools(this, 'the golden tables recomputed with Go', 'go');
    go = await regenerateGoldens();
  });

  it('go-goldens.ts: text/template outputs and error messages', () => assert.deepEqual(go.template, GOLDEN_CASES));
  it('fmt-goldens.ts: fmt.Sprintf of every value with every verb', () => assert.deepEqual(go.fmt, FMT_GOLDENS));
  it('sprig-go-cases.ts: sprig and Argo CD functions, outputs and errors', () => {
    assert.deepEqual(go.sprigRender, RENDER_CASES);
    assert.deepEqual(go.sprigErrors, ERROR_CASES);
  });
  it('sprig-yaml-cases.ts: sigs.k8s.io/yaml', () => assert.deepEqual(go.yaml, YAML_CASES));

  it('the files are byte for byte what scripts/goldens.ts --write would write', () => {
    for (const [file, text] of tableTexts(go)) assert.ok(fs.readFileSync(file, 'utf8') === text, `${path.basename(file)}: run npx tsx scripts/goldens.ts --write`);
  });
});
