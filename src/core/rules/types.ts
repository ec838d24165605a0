import type { RepositoryModel } from '../model/repositoryModel';
import type { BuildOptionPolicy } from '../argocd/buildOptionPolicy';
import type { Problem, Range, Severity } from '../problems';
import type { ParsedYamlFile } from '../yaml/parse';

export type SeveritySetting = Severity | 'off';

/** Everything a rule may look at; I/O goes through the model. */
export interface RuleContext {
  readonly model: RepositoryModel;
  readonly options: { readonly schemaValidation?: 'auto' | 'always' | 'never'; readonly redHatYamlActive?: boolean; readonly buildOptionPolicy?: BuildOptionPolicy };
  /**
   * Kept by the Linter between runs, for results a rule can reuse while their inputs hold (each
   * rule keys its entries by what they depend on: file text, model.structureVersion).
   */
  readonly store: Map<string, unknown>;
  /** Lives for one Linter.run: results that several rules of the run share. */
  readonly run: Map<string, unknown>;
  /** Any YAML file of the tree parsed with ranges, cached by content. */
  parsed(file: string): ParsedYamlFile | undefined;
  /**
   * Reports a problem under the rule's id (or, for a rule that reports problems the engine
   * defines, such as yaml-syntax's duplicate keys, under that engine rule's id).
   */
  report(problem: Omit<Problem, 'severity' | 'rule'> & { severity?: Severity; rule?: string }): void;
}

export interface Rule {
  /** Stable id used in settings, suppression comments and output. */
  readonly id: string;
  /** One line for docs, hover and `home-ops lint --list-rules`. */
  readonly description: string;
  readonly defaultSeverity: Severity;
  /** Absent for rules the engine reports itself (their problems carry this id). */
  run?(ctx: RuleContext): void;
}

export interface QuickFixData {
  /** What the fix does, for the code action title. */
  title: string;
  edits: Array<{ file: string; range: Range; newText: string }>;
  /** Files to create (never overwriting an existing one). */
  create?: Array<{ file: string; content: string }>;
}
