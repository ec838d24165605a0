/**
 * The lint engine: the engine's own problems plus every rule, with per-rule severity settings
 * and in-file suppression comments. Used by the language server and `home-ops lint`.
 */
import type { RepositoryModel } from '../model/repositoryModel';
import type { Problem } from '../problems';
import type { BuildOptionPolicy } from '../argocd/buildOptionPolicy';
import { isKustomizationName } from '../yaml/classify';
import { RuleCache } from './cache';
import { isReadProblem } from './readFiles';
import { readSuppressions } from './suppressions';
import type { SchemaValidationMode } from './schemaRule';
import { RULES, type RuleId } from './table';
import type { RuleContext, SeveritySetting } from './types';

export type { Rule, SeveritySetting } from './types';
export type { SchemaValidationMode } from './schemaRule';
export { RULES, isRuleId, type RuleId } from './table';
export { emptyReasonText } from './appsetGeneratesNothing';

export interface LintOptions {
  /** Rule id → severity, or 'off'. */
  severities?: Readonly<Partial<Record<RuleId, SeveritySetting>>>;
  /**
   * Our schema checks: 'auto' (the default) leaves files with a Red Hat YAML `$schema` modeline
   * to Red Hat YAML when `redHatYamlActive` says it validates them, and checks every file
   * otherwise (the CLI: no Red Hat YAML runs in CI); 'always'; 'never'.
   */
  schemaValidation?: SchemaValidationMode;
  /** The editor runs Red Hat YAML, which validates files against their modeline's schema. */
  redHatYamlActive?: boolean;
  /** Which repository-chosen build options the user allows (build-option-refused says what is left out). */
  buildOptionPolicy?: BuildOptionPolicy;
  /** Problems found outside the engine (rendered manifests: `lint --render`), subject to the same severities and suppressions. */
  extra?: readonly Problem[];
}

/**
 * Runs every rule over a model; rules keep what they may reuse between runs in `store`, and the
 * model keeps parsed files while their text holds, so a lint after an edit re-parses only what
 * changed.
 */
export class Linter {
  private readonly store = new RuleCache();

  constructor(private readonly model: RepositoryModel) {}

  run(options: LintOptions = {}): Problem[] {
    const reads = this.model.reads();
    // How a file reads is reported by yaml-syntax for each reader that reads it (the model's own
    // parse of Argo CD files is one reading among several); problems of an Argo CD file nothing
    // applies are moot: Argo CD never sees it (not-applied says so).
    const problems: Problem[] = [...this.model.problems().filter((p) => !(isReadProblem(p) && this.model.isArgoFile(p.file)) && !reads.whyNotApplied(p.file)), ...(options.extra ?? [])];
    const keyOf = (p: Problem) => `${p.file}:${p.range.start.line}:${p.range.start.character}:${p.rule}:${p.message}`;
    // A rule that reports exactly what the engine reported (a file too deeply nested, seen by the
    // model and by yaml-syntax's read of it) says it once.
    const seen = new Set<string>(problems.map(keyOf));
    const texts = new Map<string, string | undefined>();
    const textOf = (file: string) => {
      if (!texts.has(file)) texts.set(file, this.model.textOf(file));
      return texts.get(file);
    };
    const shared = new RuleCache();
    for (const rule of RULES) {
      if (!rule.run) continue;
      const setting = options.severities?.[rule.id];
      if (rule.offByDefault ? setting === undefined || setting === 'off' : false) continue;
      const ctx: RuleContext = {
        model: this.model,
        options,
        store: this.store,
        run: shared,
        parsed: (file) => this.model.parsed(file, isKustomizationName(file.slice(file.lastIndexOf('/') + 1)) ? 'kustomization' : 'argocd-manifest'),
        report: (p) => {
          const problem: Problem = { severity: rule.defaultSeverity, ...p, rule: p.rule ?? rule.id };
          if (rule.id !== 'not-applied' && reads.whyNotApplied(problem.file)) return;
          const key = keyOf(problem);
          if (!seen.has(key)) {
            seen.add(key);
            problems.push(problem);
          }
        },
      };
      rule.run?.(ctx);
    }
    const severities = options.severities ?? {};
    const suppressions = new Map<string, ReturnType<typeof readSuppressions>>();
    const out: Problem[] = [];
    for (const p of problems) {
      const setting = severities[p.rule];
      if (setting === 'off') continue;
      let s = suppressions.get(p.file);
      if (!s) {
        const text = textOf(p.file);
        s = readSuppressions(text ?? '');
        suppressions.set(p.file, s);
      }
      if (s.suppressed(p)) continue;
      out.push(setting ? { ...p, severity: setting } : p);
    }
    return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character));
  }
}
