/**
 * What the engine reports to every front end (CLI, language server, tree view). Positions are
 * 0-based like LSP; files are repository-relative with `/` separators.
 */

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
  rule: string;
  message: string;
}

export const START_OF_FILE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** `file:line:col` (1-based) for humans, as compilers print it. */
export function formatLocation(p: Pick<Problem, 'file' | 'range'>): string {
  return `${p.file}:${p.range.start.line + 1}:${p.range.start.character + 1}`;
}
