/**
 * What the engine reports to every front end (CLI, language server, tree view). Positions are
 * 0-based like LSP; files are repository-relative with `/` separators.
 */
// Type only: the ids are derived from the rule table, which every layer's problems must use.
import type { RuleId } from './rules/table';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Problem {
  file: string;
  range: Range;
  severity: Severity;
  /** Stable id, e.g. `yaml-syntax`, `template-error`, `generator-offline`. */
  rule: RuleId;
  message: string;
  /**
   * Edits that fix the problem without a choice left to the user, computed by the rule that saw
   * it (the editor offers them as quick fixes). Same shape as rules' `QuickFixData`.
   */
  fixes?: Array<{ title: string; edits: Array<{ file: string; range: Range; newText: string }>; create?: Array<{ file: string; content: string }> }>;
}

export const START_OF_FILE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** `file:line:col` (1-based) for humans, as compilers print it. */
export function formatLocation(p: Pick<Problem, 'file' | 'range'>): string {
  return `${p.file}:${p.range.start.line + 1}:${p.range.start.character + 1}`;
}

/**
 * Whether `range` covers exactly `length` characters on one line: a text offset inside a YAML
 * string maps one to one onto the file there (no escape, no folded line), so an edit of the
 * string's characters can be made on the file's.
 */
export function spansExactly(range: Range, length: number): boolean {
  return range.start.line === range.end.line && range.end.character - range.start.character === length;
}
