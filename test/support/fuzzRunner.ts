/**
 * The mutation fuzz loop: per base repository one RepositoryModel and one Linter (as the language
 * server keeps them), and per case an editor overlay with a mutated file, a full lint, checks of
 * every Problem, and the overlay restored. Runs in a worker thread (fuzzWorker.ts) so that the
 * test can stop a case that hangs and name it.
 */
import { RepositoryModel } from '../../src/core/model/repositoryModel';
import type { Problem } from '../../src/core/problems';
import { isRuleId, Linter } from '../../src/core/rules';
import { caseSeed, lineLengths, makeRng, mutate } from './fuzzMutate';

export interface FuzzBase {
  name: string;
  root: string;
  /** Relative share of the cases (the seed corpus lints slower than the example). */
  weight: number;
}

export interface CaseInfo {
  index: number;
  base: string;
  file: string;
  ops: string[];
}

export interface CaseResult extends CaseInfo {
  ms: number;
  problems: number;
}

export interface CaseFailure extends CaseInfo {
  error: string;
  /** The mutated text, for reproducing outside the test. */
  text: string;
}

const SEVERITIES = new Set(['error', 'warning', 'info']);
const nonNegInt = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/**
 * Why a Problem is malformed, or undefined when it is fine. `textOf` gives the text the problem
 * was computed from (undefined for files the engine could not read as text).
 */
export function problemDefect(p: Problem, textOf: (file: string) => string | undefined): string | undefined {
  if (typeof p.file !== 'string') return 'file must be a string';
  if (!isRuleId(p.rule)) return `unknown rule id ${JSON.stringify(p.rule)}`;
  if (!SEVERITIES.has(p.severity)) return `severity ${String(p.severity)}`;
  if (typeof p.message !== 'string' || p.message.trim() === '') return 'empty message';
  const { start, end } = p.range ?? {};
  if (!start || !end || ![start.line, start.character, end.line, end.character].every(nonNegInt)) return `range not made of non-negative integers: ${JSON.stringify(p.range)}`;
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) return `range ends before it starts: ${JSON.stringify(p.range)}`;
  const text = textOf(p.file);
  if (text === undefined) return undefined;
  const lengths = lineLengths(text);
  for (const pos of [start, end]) {
    if (pos.line >= lengths.length) return `line ${pos.line} beyond the text's ${lengths.length} lines: ${JSON.stringify(p.range)}`;
    if (pos.character > (lengths[pos.line] as number)) return `character ${pos.character} beyond line ${pos.line}'s ${lengths[pos.line]} characters: ${JSON.stringify(p.range)}`;
  }
  return undefined;
}

/** Problems as sorted lines: the order of problems at one position is not part of the contract. */
function canonical(problems: readonly Problem[]): string {
  return problems
    .map((p) => JSON.stringify(p))
    .sort()
    .join('\n');
}

interface Prepared {
  base: FuzzBase;
  model: RepositoryModel;
  linter: Linter;
  /** YAML files, each repeated by its weight (Argo CD manifests and kustomizations more often). */
  files: string[];
  argoFiles: string[];
  baseline: string;
}

function prepare(base: FuzzBase): Prepared {
  const model = new RepositoryModel(base.root);
  const linter = new Linter(model);
  const baseline = canonical(linter.run());
  const files: string[] = [];
  const argoFiles: string[] = [];
  for (const f of [...model.tree.files].sort()) {
    if (!/\.ya?ml$/.test(f)) continue;
    const weight = model.parsedFile(f) ? 6 : /(^|\/)kustomization\.ya?ml$/.test(f) ? 3 : 1;
    if (model.parsedFile(f)) argoFiles.push(f);
    for (let i = 0; i < weight; i++) files.push(f);
  }
  return { base, model, linter, files, argoFiles, baseline };
}

export interface RunOptions {
  seed: number;
  bases: FuzzBase[];
  /** The case indices this runner handles. */
  indices: Iterable<number>;
  /** Every `consistencyEvery`-th case also checks that the restored model lints as before. */
  consistencyEvery?: number;
  onStart?(info: CaseInfo): void;
  onResult?(result: CaseResult): void;
  onFailure?(failure: CaseFailure): void;
}

/** Runs the cases; returns the distinct rules seen. Failures go to onFailure, not exceptions. */
export function runFuzzCases(opts: RunOptions): Set<string> {
  const prepared = opts.bases.map(prepare);
  const totalWeight = opts.bases.reduce((s, b) => s + b.weight, 0);
  const rules = new Set<string>();
  for (const index of opts.indices) {
    const rng = makeRng(caseSeed(opts.seed, index));
    let pick = rng.next() * totalWeight;
    const p = prepared.find((x) => (pick -= x.base.weight) < 0) ?? (prepared[prepared.length - 1] as Prepared);
    if (p.files.length === 0) continue;
    let file = rng.pick(p.files);
    let source = p.model.textOf(file) ?? '';
    // A few cases write a mutated manifest to a new path: a file the editor creates.
    if (p.argoFiles.length && rng.chance(0.03)) {
      source = p.model.textOf(rng.pick(p.argoFiles)) ?? '';
      file = `${file.slice(0, file.lastIndexOf('/') + 1)}fuzz-new-${index}.yaml`;
    }
    const { text, ops } = mutate(source, rng);
    const info: CaseInfo = { index, base: p.base.name, file, ops };
    opts.onStart?.(info);
    const started = performance.now();
    let problems: Problem[] = [];
    let phase = 'overlay';
    try {
      p.model.setOverlay(file, text);
      phase = 'lint';
      problems = p.linter.run();
      phase = 'check';
      const texts = new Map<string, string | undefined>();
      const textOf = (f: string) => {
        if (!texts.has(f)) texts.set(f, p.model.textOf(f));
        return texts.get(f);
      };
      for (const problem of problems) {
        rules.add(problem.rule);
        const defect = problemDefect(problem, textOf);
        if (defect) throw new Error(`malformed ${problem.rule} problem in ${problem.file}: ${defect} (message: ${problem.message})`);
      }
      phase = 'restore';
      p.model.setOverlay(file, undefined);
      if (opts.consistencyEvery && index % opts.consistencyEvery === 0) {
        phase = 'consistency';
        const after = canonical(p.linter.run());
        if (after !== p.baseline) {
          const a = new Set(after.split('\n'));
          const b = new Set(p.baseline.split('\n'));
          const diff = [...[...a].filter((x) => !b.has(x)).map((x) => `+ ${x}`), ...[...b].filter((x) => !a.has(x)).map((x) => `- ${x}`)];
          throw new Error(`after restoring ${file}, the lint differs from the first lint of the unchanged repository:\n${diff.slice(0, 6).join('\n')}`);
        }
      }
    } catch (e) {
      const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      opts.onFailure?.({ ...info, error: `${phase}: ${error}`, text });
      try {
        p.model.setOverlay(file, undefined);
      } catch {
        // Reported above; the next case may fail too.
      }
    }
    opts.onResult?.({ ...info, ms: performance.now() - started, problems: problems.length });
  }
  return rules;
}
