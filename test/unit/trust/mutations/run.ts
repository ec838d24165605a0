/**
 * Runs the cases through the linter in-process and scores them: which expected diagnostics were
 * reported at their line, which only elsewhere, and what each control added to the baseline.
 */
import { RepositoryModel } from '../../../../src/core/model/repositoryModel';
import type { Problem } from '../../../../src/core/problems';
import { Linter } from '../../../../src/core/rules';
import { isControl, type CorpusName, type ExpectedDiagnostic, type MistakeClass, type MutationCase } from './types';
import { lineOf, withEdits, workingCopy, type FileChange } from './workspace';

export function lintRepository(root: string): Problem[] {
  return new Linter(new RepositoryModel(root)).run();
}

/** Identity of a diagnostic for diffing against the baseline (positions and text included). */
export function problemKey(p: Problem): string {
  return `${p.file}\u0000${p.range.start.line}:${p.range.start.character}-${p.range.end.line}:${p.range.end.character}\u0000${p.severity}\u0000${p.rule}\u0000${p.message}`;
}

const baselines = new Map<CorpusName, Problem[]>();

/** The unmutated corpus' diagnostics (its committed copy), computed once. */
export function baseline(corpus: CorpusName): Problem[] {
  let b = baselines.get(corpus);
  if (!b) baselines.set(corpus, (b = lintRepository(workingCopy(corpus))));
  return b;
}

export type Outcome =
  /** Every expected diagnostic reported at its file and line. */
  | 'hit'
  /** Every expected rule reported in its file, at least one on another line. */
  | 'wrong-line'
  | 'miss'
  /** Controls: nothing added at error severity. */
  | 'clean'
  | 'false-error';

export interface CaseResult {
  case: MutationCase;
  outcome: Outcome;
  /** Diagnostics the edit added to the baseline (and, for `problems`, all of them). */
  added: Problem[];
  problems: Problem[];
  changes: FileChange[];
  /** Expectations whose line does not hold their `text` in the mutated file: the case is wrong. */
  staleExpectations: string[];
  ms: number;
}

function matches(p: Problem, e: ExpectedDiagnostic, exactLine: boolean): boolean {
  return p.file === e.file && p.rule === e.rule && (!exactLine || p.range.start.line === e.line - 1) && (e.severity === undefined || p.severity === e.severity);
}

export function score(c: MutationCase, added: Problem[]): Outcome {
  if (isControl(c)) return added.some((p) => p.severity === 'error') ? 'false-error' : 'clean';
  if (c.expect.every((e) => added.some((p) => matches(p, e, true)))) return 'hit';
  if (c.expect.every((e) => added.some((p) => matches(p, e, false)))) return 'wrong-line';
  return 'miss';
}

const results = new Map<MutationCase, CaseResult>();

/**
 * Applies the case to the corpus' working copy, lints it, diffs against the baseline, undoes the
 * edit. Computed once per process: the LSP test compares the server with these same results.
 */
export function runCase(c: MutationCase): CaseResult {
  const known = results.get(c);
  if (known) return known;
  const base = baseline(c.corpus);
  const result = withEdits(c.corpus, c.edits, (root, changes): CaseResult => {
    const started = Date.now();
    const problems = lintRepository(root);
    const ms = Date.now() - started;
    const before = new Set(base.map(problemKey));
    const added = problems.filter((p) => !before.has(problemKey(p)));
    const staleExpectations = isControl(c)
      ? []
      : c.expect.filter((e) => !(lineOf(root, e.file, e.line) ?? '').includes(e.text)).map((e) => `${e.file}:${e.line} does not contain ${JSON.stringify(e.text)} (it reads ${JSON.stringify(lineOf(root, e.file, e.line))})`);
    return { case: c, outcome: score(c, added), added, problems, changes, staleExpectations, ms };
  });
  results.set(c, result);
  return result;
}
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.range.start.line + 1} ${p.severity} ${p.rule}`;
}

export function formatExpected(e: ExpectedDiagnostic): string {
  return `${e.file}:${e.line} ${e.severity ?? ''}${e.severity ? ' ' : ''}${e.rule}`;
}

/** Hit rate per class (mistakes only), sorted by class. */
export function rateByClass(results: readonly CaseResult[]): Array<{ cls: MistakeClass; hits: number; total: number }> {
  const by = new Map<MistakeClass, { hits: number; total: number }>();
  for (const r of results) {
    if (isControl(r.case)) continue;
    const entry = by.get(r.case.class) ?? { hits: 0, total: 0 };
    entry.total++;
    if (r.outcome === 'hit') entry.hits++;
    by.set(r.case.class, entry);
  }
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([cls, v]) => ({ cls, ...v }));
}

/** The per-case table of what did not go as expected, for the test output. */
export function missTable(results: readonly CaseResult[]): string {
  const rows: string[] = [];
  for (const r of results) {
    if (r.outcome === 'hit' || r.outcome === 'clean') continue;
    const c = r.case;
    const expected = isControl(c) ? 'no error' : c.expect.map(formatExpected).join('; ');
    const got = r.added.length ? r.added.map(formatProblem).join('; ') : 'nothing new';
    rows.push(`  ${r.outcome.padEnd(11)} ${c.id}\n      ${c.description}\n      expected: ${expected}\n      got:      ${got}`);
  }
  return rows.join('\n');
}
