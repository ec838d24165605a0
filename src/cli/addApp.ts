/**
 * `home-ops add-app` and `home-ops add-category`: the scaffold plans of src/core/scaffold,
 * printed (--dry-run) or written. Exit codes: 0 done, 1 the plan was refused or writing failed,
 * 2 usage error.
 */
import { lastOption, parseArgs, resolveDir } from './args';
import { RepositoryModel } from '../core/model/repositoryModel';
import { applyEdit, applyPlan, ApplyError, isPlanErrors, nodeWriter, parseChartSpec, planAddApp, planAddCategory, type AppSource, type Plan, type PlanErrors } from '../core/scaffold';

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

export const ADD_USAGE = `  add-app CATEGORY NAME [DIR] [--chart REPO/NAME@VERSION | --plain] [--with FILE]... [--dry-run]
      Create the app directory CATEGORY/NAME in DIR (default: .) the way the category's apps
      are written: the chart most of them use (or --chart, e.g.
      oci://ghcr.io/bjw-s-labs/helm/app-template@4.6.2; --plain for plain kustomize), their
      kustomization style, a values.yaml skeleton and the claim the values name; --with FILE
      also writes a file the apps list beside their chart (externalsecret.yaml…), shaped like
      theirs. Prints the Application it generates.
  add-category NAME [DIR] [--dry-run]
      Create an ApplicationSet for a new category modelled on the existing ones (or only the
      category folder when one ApplicationSet covers every category).
`;

interface Parsed {
  positional: string[];
  dryRun: boolean;
  chart?: string;
  plain: boolean;
  siblings: string[];
}

function parse(args: readonly string[], allowSource: boolean): Parsed | string {
  const p = parseArgs(args, { flags: allowSource ? ['--dry-run', '--plain'] : ['--dry-run'], options: allowSource ? ['--chart', '--with'] : [], maxPositional: 3 });
  if ('error' in p) return p.error;
  const chart = lastOption(p, '--chart');
  const out: Parsed = { positional: p.positional, dryRun: p.flags.has('--dry-run'), plain: p.flags.has('--plain'), siblings: p.options.get('--with') ?? [], ...(chart !== undefined ? { chart } : {}) };
  if (out.plain && out.chart !== undefined) return '--chart and --plain exclude each other';
  return out;
}

export function addAppCommand(args: readonly string[], io: CliIo, usageError: (m: string) => number): number {
  const p = parse(args, true);
  if (typeof p === 'string') return usageError(p);
  const [category, name, dir, extra] = p.positional;
  if (category === undefined || name === undefined) return usageError('add-app needs CATEGORY and NAME');
  if (extra !== undefined) return usageError(`unexpected argument ${extra}`);
  let source: AppSource = { kind: 'neighbours' };
  if (p.plain) source = { kind: 'plain' };
  else if (p.chart !== undefined) {
    const chart = parseChartSpec(p.chart);
    if (!chart) return usageError(`--chart takes REPO/NAME@VERSION (e.g. oci://ghcr.io/bjw-s-labs/helm/app-template@4.6.2), not "${p.chart}"`);
    source = { kind: 'chart', ...chart };
  }
  const root = resolveDir(dir, io.err);
  if (root === undefined) return 2;
  const model = new RepositoryModel(root);
  const writer = nodeWriter(root);
  const plan = planAddApp(model, { category, name, source, siblings: p.siblings }, writer);
  if (isPlanErrors(plan)) return refuse(plan, io);
  io.out(`Application ${plan.application.name}${plan.application.namespace ? ` in namespace ${plan.application.namespace}` : ''} (ApplicationSet ${plan.application.appset.name})\n`);
  return finish(plan, root, p.dryRun, io);
}

export function addCategoryCommand(args: readonly string[], io: CliIo, usageError: (m: string) => number): number {
  const p = parse(args, false);
  if (typeof p === 'string') return usageError(p);
  const [name, dir, extra] = p.positional;
  if (name === undefined) return usageError('add-category needs NAME');
  if (extra !== undefined) return usageError(`unexpected argument ${extra}`);
  const root = resolveDir(dir, io.err);
  if (root === undefined) return 2;
  const model = new RepositoryModel(root);
  const writer = nodeWriter(root);
  const plan = planAddCategory(model, name, writer);
  if (isPlanErrors(plan)) return refuse(plan, io);
  if (plan.appset) io.out(`ApplicationSet ${plan.appset.name} over ${plan.appset.pattern}\n`);
  else io.out(`Category folder ${plan.folder}\n`);
  return finish(plan, root, p.dryRun, io);
}

function refuse(plan: PlanErrors, io: CliIo): number {
  for (const e of plan.errors) io.err(`home-ops: ${e}\n`);
  return 1;
}

function finish(plan: Plan, root: string, dryRun: boolean, io: CliIo): number {
  for (const n of plan.notes) io.out(`  ${n}\n`);
  if (dryRun) {
    for (const f of plan.files) io.out(`\n==> ${f.path} (new) <==\n${f.content}`);
    for (const e of plan.edits) io.out(`\n==> ${e.path} (edited) <==\n${applyEdit(e.original, e.line, e.character, e.insert)}`);
    return 0;
  }
  try {
    const result = applyPlan(plan, nodeWriter(root));
    for (const f of result.created) io.out(`created ${f}\n`);
    for (const f of result.edited) io.out(`edited  ${f}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof ApplyError)) throw e;
    io.err(`home-ops: ${e.message}\n`);
    return 1;
  }
}
