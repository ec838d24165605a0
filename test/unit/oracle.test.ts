/**
 * Differential test of the Go template engine against real Go: every case in test/oracle (the
 * hand-written set and the seeded generated set) is rendered by the Go oracle — text/template
 * with sprig v3.3.0 and Argo CD's function map, built from test/oracle/gotemplate — and by our
 * engine; both must print the same text, or both fail in the same phase with Go's message byte
 * for byte (the few exceptions are listed with their reason in MESSAGE_DIFFERENCES). All
 * mismatches are reported at once; `npx tsx scripts/oracle-report.ts` groups them.
 */
import * as assert from 'node:assert/strict';
import { DEFAULT_SEED } from '../oracle/generate';
import { allCases, buildOracle, formatOutcome, loadEngine, MESSAGE_DIFFERENCES, runAll, runOracle, summaryLine } from '../oracle/harness';
import type { OracleCase } from '../oracle/types';
import { requireTools } from '../support/shared';

function requireGo(ctx: Mocha.Context): void {
  requireTools(ctx, "the template engine against Go's text/template and sprig", 'go');
}

/** Answers known from Argo CD's docs and Go's, so a broken oracle cannot pass silently. */
const ORACLE_SELF_CHECK: [OracleCase, { output: string } | { phase: 'parse' | 'exec' }][] = [
  [
    {
      id: 'self/segments',
      template: '{{index .path.segments 3}}-{{.path.basename}}',
      data: { path: { segments: ['k', 'apps', 'media', 'jellyfin'], basename: 'jellyfin' } },
      stringSlices: ['path.segments'],
    },
    { output: 'jellyfin-jellyfin' },
  ],
  [{ id: 'self/float', template: '{{.n}} {{add .n 1}} {{typeOf .s}}', data: { n: 1000000, s: ['a'] }, stringSlices: ['s'] }, { output: '1e+06 1000001 []string' }],
  [{ id: 'self/missing', template: '{{.x}}', options: ['missingkey=error'] }, { phase: 'exec' }],
  [{ id: 'self/default', template: '{{.x}}' }, { output: '<no value>' }],
  [{ id: 'self/env', template: '{{env "HOME"}}' }, { phase: 'parse' }],
  [{ id: 'self/argo', template: '{{normalize "My_App"}} {{slugify 10 "Hello World Foo"}} {{toYaml (dict "a" 1)}}' }, { output: 'my-app hello a: 1' }],
  [{ id: 'self/int', template: '{{trunc (int64 2) "abc"}}' }, { phase: 'exec' }],
];

describe('Go template engine vs the Go oracle', function () {
  before(function () {
    requireGo(this);
  });
  // The first build downloads sprig through the Go module proxy and compiles it.
  this.timeout(600_000);

  it('the Go oracle itself gives the known answers', async () => {
    const results = await runOracle(
      buildOracle(),
      ORACLE_SELF_CHECK.map(([c]) => c),
    );
    for (const [c, want] of ORACLE_SELF_CHECK) {
      const got = results.get(c.id);
      if ('output' in want) assert.equal(got?.output, want.output, `${c.id}: ${JSON.stringify(got)}`);
      else assert.equal(got?.phase, want.phase, `${c.id}: ${JSON.stringify(got)}`);
    }
  });

  it('renders every oracle case exactly as Go text/template + sprig (Argo CD) does', async () => {
    const engine = loadEngine();
    if (typeof engine === 'string') assert.fail(`cannot load the template engine: ${engine}`);

    const cases = allCases();
    const goResults = await runOracle(buildOracle(), cases);
    const summary = runAll(engine, cases, goResults);
    console.log(`    ${summaryLine(summary)} (generated seed ${DEFAULT_SEED})`);

    if (summary.mismatched.length > 0) {
      assert.fail(
        [
          `${summary.mismatched.length} of ${cases.length} cases differ from Go (${summaryLine(summary)}):`,
          '',
          ...summary.mismatched.map((o) => formatOutcome(o)),
          '',
          'Grouped by function: npx tsx scripts/oracle-report.ts [--filter REGEX]',
        ].join('\n'),
      );
    }
    // A listed difference that no longer occurs is stale: the list says only what is true.
    assert.deepEqual(
      summary.knownDifferences.map((o) => o.case.id).sort(),
      Object.keys(MESSAGE_DIFFERENCES).sort(),
    );
  });
});
