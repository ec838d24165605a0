/**
 * Mismatches between our Go template engine and the Go oracle, grouped by function, for the
 * people fixing the engine.
 *
 *   npx tsx scripts/oracle-report.ts [--filter REGEX] [--seed N] [--count N] [--examples N] [--all] [--go]
 *
 * --filter REGEX  only cases whose id or template matches
 * --seed/--count  the generated set (default: the seed and size the unit test uses)
 * --examples N    examples shown per function (default 3); --all shows every mismatch
 * --go            print what Go renders for the selected cases and compare nothing
 */
import { DEFAULT_COUNT, DEFAULT_SEED } from '../test/oracle/generate';
import { allCases, buildOracle, formatOutcome, goVersion, groupByFeature, loadEngine, runAll, runOracle, summaryLine } from '../test/oracle/harness';

interface Args {
  filter?: RegExp;
  seed: number;
  count: number;
  examples: number;
  all: boolean;
  goOnly: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { seed: DEFAULT_SEED, count: DEFAULT_COUNT, examples: 3, all: false, goOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--filter') args.filter = new RegExp(value());
    else if (a === '--seed') args.seed = Number(value());
    else if (a === '--count') args.count = Number(value());
    else if (a === '--examples') args.examples = Number(value());
    else if (a === '--all') args.all = true;
    else if (a === '--go') args.goOnly = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!goVersion()) {
    console.error('Go toolchain not found on PATH: the oracle cannot run.');
    return 2;
  }
  const filter = args.filter;
  const cases = allCases(args.seed, args.count).filter((c) => !filter || filter.test(c.id) || filter.test(c.template));
  const goResults = await runOracle(buildOracle(), cases);
  if (args.goOnly) {
    for (const c of cases) {
      const r = goResults.get(c.id);
      const answer = r?.output !== undefined ? JSON.stringify(r.output) : `${r?.phase ?? '?'} error: ${r?.error ?? 'no result'}`;
      console.log(`${c.id}\t${JSON.stringify(c.template)}\t${answer}`);
    }
    return 0;
  }
  const engine = loadEngine();
  if (typeof engine === 'string') {
    console.error(`cannot load the template engine: ${engine}`);
    return 2;
  }
  const summary = runAll(engine, cases, goResults);
  console.log(`${summaryLine(summary)} (generated seed ${args.seed}, ${args.count} generated${filter ? `, filter ${filter}` : ''})\n`);
  if (summary.mismatched.length === 0) return 0;

  const groups = groupByFeature(summary.mismatched);
  console.log('Mismatches by function/feature (a case counts under every function it calls):');
  for (const [feature, outcomes] of groups) console.log(`  ${String(outcomes.length).padStart(5)}  ${feature}`);
  console.log('');

  const reasons = new Map<string, number>();
  for (const o of summary.mismatched) reasons.set(o.reason ?? '', (reasons.get(o.reason ?? '') ?? 0) + 1);
  console.log('Mismatches by kind:');
  for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(5)}  ${reason}`);
  console.log('');

  if (args.all) {
    for (const o of summary.mismatched) console.log(`${formatOutcome(o)}\n`);
    return 1;
  }
  // Each mismatch is shown once, under its most frequent function, so the list is short.
  const shown = new Set<string>();
  for (const [feature, outcomes] of groups) {
    const fresh = outcomes.filter((o) => !shown.has(o.case.id)).slice(0, args.examples);
    if (fresh.length === 0) continue;
    console.log(`=== ${feature} (${outcomes.length})`);
    for (const o of fresh) {
      shown.add(o.case.id);
      console.log(`${formatOutcome(o)}\n`);
    }
  }
  return 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(2);
  },
);
