/**
 * The mutation suite case by case: what the linter reports for each edit, and (with --consumers)
 * what kustomize, helm or Argo CD's YAML reading does with it.
 *
 *   npx tsx scripts/mutation-report.ts [--filter REGEX] [--consumers] [--all]
 *
 * --all prints every case, not only those that miss; kustomize and helm are taken from PATH or the
 * tools cache (scripts/tools/install.sh).
 */
import { CASES } from '../test/unit/trust/mutations/cases';
import { missingConsumers, verifyConsumers } from '../test/unit/trust/mutations/consumers';
import { formatExpected, formatProblem, rateByClass, runCase } from '../test/unit/trust/mutations/run';
import { isControl } from '../test/unit/trust/mutations/types';
import { cleanupCopies } from '../test/unit/trust/mutations/workspace';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--filter');
  const filter = at >= 0 ? new RegExp(args[at + 1] ?? '') : undefined;
  const cases = CASES.filter((c) => !filter || filter.test(c.id));
  const verdicts = args.includes('--consumers') ? (missingConsumers().length ? (console.log(`consumers missing: ${missingConsumers().join(', ')}`), new Map()) : await verifyConsumers(cases)) : new Map();
  const results = [];
  for (const c of cases) {
    const r = runCase(c);
    results.push(r);
    const v = verdicts.get(c.id);
    if (!args.includes('--all') && (r.outcome === 'hit' || r.outcome === 'clean') && (!v || v.agrees) && r.staleExpectations.length === 0) continue;
    console.log(`${r.outcome.padEnd(11)} ${c.id}  (${r.ms} ms)\n    ${c.description}`);
    if (!isControl(c)) console.log(`    expected: ${c.expect.map(formatExpected).join('; ')}`);
    for (const p of r.added) console.log(`    added:    ${formatProblem(p)}  ${p.message.split('\n')[0]}`);
    for (const s of r.staleExpectations) console.log(`    STALE:    ${s}`);
    if (v) console.log(`    consumer: ${v.agrees ? 'agrees' : `DISAGREES: ${v.reason}`}\n      $ ${v.result.command}\n      ${v.result.output.trim().split('\n').slice(0, 4).join('\n      ')}`);
  }
  const mistakes = results.filter((r) => !isControl(r.case));
  const hits = mistakes.filter((r) => r.outcome === 'hit').length;
  console.log(`\n${hits}/${mistakes.length} mistakes reported at their line; controls with an added error: ${results.filter((r) => r.outcome === 'false-error').length}/${results.length - mistakes.length}`);
  for (const { cls, hits: h, total } of rateByClass(results)) console.log(`  ${cls.padEnd(30)} ${h}/${total}`);
  cleanupCopies();
}

void main();
