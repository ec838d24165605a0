/**
 * The mutation suite: realistic one-mistake edits to real repositories (../shared/corpus), each
 * with the diagnostic a user must get — file, line and rule — and controls that must add no
 * error. Every case is linted in-process with default options and compared with the unmutated
 * repository's diagnostics. Cases: test/unit/trust/mutations/cases/; what kustomize, helm and Argo
 * CD do with each edit is checked by mutations.consumers.test.ts. Case by case:
 * `npx tsx scripts/mutation-report.ts`.
 */
import { strict as assert } from 'node:assert';
import { CASES } from './mutations/cases';
import { formatProblem, missTable, rateByClass, runCase, type CaseResult } from './mutations/run';
import { isControl, type CorpusName } from './mutations/types';
import { corpusPath, requireShared, requireTools } from '../../support/shared';

const HIT_RATE = 0.95;

describe('mutation suite: one-mistake edits to real repositories', function () {
  this.timeout(300_000);
  const results: CaseResult[] = [];
  const broken: string[] = [];

  before(function () {
    requireShared(this, 'the mutation suite', ...[...new Set(CASES.map((c) => c.corpus))].map(corpusPath));
    requireTools(this, 'the mutation suite (edits are staged as Argo CD would check them out)', 'git');
    for (const c of CASES) {
      try {
        results.push(runCase(c));
      } catch (e) {
        broken.push(`${c.id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  });


  it('has at least 80 mistakes over at least three repositories, and at least 10 controls', () => {
    const mistakes = CASES.filter((c) => !isControl(c));
    const perCorpus = new Map<CorpusName, number>();
    for (const c of mistakes) perCorpus.set(c.corpus, (perCorpus.get(c.corpus) ?? 0) + 1);
    assert.ok(mistakes.length >= 80, `${mistakes.length} mistakes`);
    assert.ok(perCorpus.size >= 3, `mistakes in ${perCorpus.size} repositories`);
    assert.ok(CASES.length - mistakes.length >= 10, `${CASES.length - mistakes.length} controls`);
    assert.equal(new Set(CASES.map((c) => c.id)).size, CASES.length, 'case ids are unique');
  });

  it('every edit applies to its repository, and every expected line holds the text the case names', () => {
    const stale = results.flatMap((r) => r.staleExpectations.map((s) => `${r.case.id}: ${s}`));
    assert.deepEqual([...broken, ...stale], []);
  });

  it(`reports at least ${HIT_RATE * 100} % of the mistakes at their file, line and rule`, () => {
    const mistakes = results.filter((r) => !isControl(r.case));
    const hits = mistakes.filter((r) => r.outcome === 'hit').length;
    const rows = rateByClass(results).map(({ cls, hits: h, total }) => `  ${cls.padEnd(30)} ${String(h).padStart(3)}/${String(total).padEnd(3)} ${((100 * h) / total).toFixed(0).padStart(3)} %`);
    console.log(`\nmutation suite: ${hits}/${mistakes.length} mistakes reported at their line (${((100 * hits) / Math.max(1, mistakes.length)).toFixed(1)} %)\n${rows.join('\n')}`);
    const table = missTable(results.filter((r) => !isControl(r.case)));
    if (table) console.log(`\nmistakes not reported at their line:\n${table}`);
    assert.ok(hits >= HIT_RATE * mistakes.length, `${hits}/${mistakes.length} mistakes reported at their line; ${HIT_RATE * 100} % needed (table above)`);
  });

  it('adds no error for any control (valid edits kustomize, helm and Argo CD accept)', () => {
    const controls = results.filter((r) => isControl(r.case));
    const notes = controls.filter((r) => r.outcome === 'clean' && r.added.length).map((r) => `  ${r.case.id}: ${r.added.map(formatProblem).join('; ')}`);
    if (notes.length) console.log(`\ncontrols with added warnings or infos (allowed):\n${notes.join('\n')}`);
    const table = missTable(controls);
    if (table) console.log(`\ncontrols with an added error:\n${table}`);
    assert.deepEqual(
      controls.filter((r) => r.outcome !== 'clean').map((r) => r.case.id),
      [],
    );
  });
});
