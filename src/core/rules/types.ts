import type { RepositoryModel } from '../model/repositoryModel';
import type { BuildOptionPolicy } from '../argocd/buildOptionPolicy';
import type { Problem, Range, Severity } from '../problems';
import type { ParsedYamlFile } from '../yaml/parse';
import type { RuleCache } from './cache';
import type { RuleId } from './table';

export type SeveritySetting = Severity | 'off';

/** Everything a rule may look at; I/O goes through the model. */
export interface RuleContext {
  readonly model: RepositoryModel;
  readonly options: { readonly schemaValidation?: 'auto' | 'always' | 'never'; readonly redHatYamlActive?: boolean; readonly buildOptionPolicy?: BuildOptionPolicy };
  /**
   * Kept by the Linter between runs, for results a rule can reuse while their inputs hold (each
   * entry records what it depends on: file text, model.structureVersion).
   */
  readonly store: RuleCache;
  /** Lives for one Linter.run: results that several rules of the run share. */
  readonly run: RuleCache;
  /** Any YAML file of the tree parsed with ranges, cached by content. */
  parsed(file: string): ParsedYamlFile | undefined;
  /**
   * Reports a problem under the rule's id (or, for a rule that reports problems the engine
   * defines, such as yaml-syntax's duplicate keys, under that engine rule's id).
   */
  report(problem: Omit<Problem, 'severity' | 'rule'> & { severity?: Severity; rule?: RuleId }): void;
}

export interface Rule<Id extends string = string> {
  /** Stable id used in settings, suppression comments and output (RuleId is their union). */
  readonly id: Id;
  /** One line for docs, hover and `home-ops lint --list-rules`. */
  readonly description: string;
  readonly defaultSeverity: Severity;
  /** A rule that runs only when a severity setting turns it on (`defaultSeverity` is then what it reports at). */
  readonly offByDefault?: boolean;
  /** Absent for rules the engine reports itself (their problems carry this id). */
  run?(ctx: RuleContext): void;
}

/** A rule whose id keeps its literal type, so the rule table can derive RuleId from it. */
export function defineRule<const Id extends string>(rule: Rule<Id>): Rule<Id> {
  return rule;
}

export interface QuickFixData {
  /** What the fix does, for the code action title. */
  title: string;
  edits: Array<{ file: string; range: Range; newText: string }>;
  /** Files to create (never overwriting an existing one). */
  create?: Array<{ file: string; content: string }>;
}
