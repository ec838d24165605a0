/**
 * The seven real repositories of ../shared/corpus as a user's CI would lint them: exactly the
 * diagnostics listed in test/corpus/expected/<corpus>.json (file, line, rule, severity — each
 * with a line there saying what Argo CD, kustomize or helm does), and the Applications derived
 * by hand. A new diagnostic on a real repository fails this test until someone has judged it
 * and written it down with its justification (test/corpus/JUDGEMENT.md says how they were judged).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../../src/cli/main';
import { CORPORA, corpusPath, requireShared } from '../../support/shared';

interface Expected {
  corpus: string;
  apps: { generated: number; standalone: number; names: string[]; needsRender?: string[] };
  diagnostics: Array<{ file: string; line: number; rule: string; severity: string; why: string }>;
}

const EXPECTED_DIR = path.resolve(__dirname, '../../corpus/expected');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('real repositories: the judged diagnostics and Applications', function () {
  this.timeout(60_000);
  // Their remote charts are not cached: whatever the machine's chart cache holds, the judged
  // diagnostics are those of an empty one (values files unchecked, one note on stderr).
  let chartCache: string;
  let previousChartCache: string | undefined;
  before(function () {
    requireShared(this, 'the corpus of real repositories', ...CORPORA.map(corpusPath));
    previousChartCache = process.env['HOME_OPS_CHART_CACHE'];
    chartCache = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-no-charts-'));
    process.env['HOME_OPS_CHART_CACHE'] = chartCache;
  });
  after(() => {
    if (previousChartCache === undefined) delete process.env['HOME_OPS_CHART_CACHE'];
    else process.env['HOME_OPS_CHART_CACHE'] = previousChartCache;
    if (chartCache) fs.rmSync(chartCache, { recursive: true, force: true });
  });

  for (const name of CORPORA) {
    const expected = JSON.parse(fs.readFileSync(path.join(EXPECTED_DIR, `${name}.json`), 'utf8')) as Expected;

    it(`${name}: every diagnostic of \`home-ops lint\` is one judged true, and none is missing`, async () => {
      for (const d of expected.diagnostics) assert.ok(d.why.length > 20, `${d.file}:${d.line} ${d.rule} has no justification`);
      const { out, code } = await cli(['lint', corpusPath(name), '--format', 'json']);
      const got = (JSON.parse(out) as Array<{ file: string; range: { start: { line: number } }; rule: string; severity: string }>).map((p) => `${p.file}:${p.range.start.line + 1} ${p.severity} ${p.rule}`).sort();
      const want = expected.diagnostics.map((d) => `${d.file}:${d.line} ${d.severity} ${d.rule}`).sort();
      assert.deepEqual(got, want);
      assert.equal(code, want.some((w) => w.includes(' error ')) ? 1 : 0, 'exit code: 1 exactly when an error is reported');
    });

    it(`${name}: the Applications derived by hand`, async () => {
      const { out } = await cli(['apps', corpusPath(name), '--json']);
      const apps = JSON.parse(out) as Array<{ name: string; appset: unknown }>;
      const generated = apps.filter((a) => a.appset !== null).map((a) => a.name).sort();
      const needsRender = new Set(expected.apps.needsRender ?? []);
      // Applications of an ApplicationSet that exists only once helm renders a chart are not generated offline.
      assert.deepEqual(generated, expected.apps.names.filter((n) => !needsRender.has(n)).sort());
      assert.equal(generated.length + needsRender.size, expected.apps.generated);
      assert.equal(apps.filter((a) => a.appset === null).length, expected.apps.standalone);
    });
  }
});
