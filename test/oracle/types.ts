/**
 * One differential case: a template, the parameters it renders against, and the
 * `goTemplateOptions`. The same JSON line is fed to the Go oracle (test/oracle/gotemplate) and,
 * converted to engine values, to our engine; both must agree.
 */
export interface OracleCase {
  /** Stable id, `group/name` (hand-written) or `gen/<seed>/<n>` (generated). */
  id: string;
  template: string;
  /** Parameters as JSON (numbers are float64, as after Go's json.Unmarshal). Default `{}`. */
  data?: JsonObject;
  /** `template.Option` strings, e.g. `missingkey=error`. */
  options?: string[];
  /** Dotted paths whose JSON list is a Go `[]string` (as `path.segments` from the git generator). */
  stringSlices?: string[];
  /** Dotted paths whose value has another Go type than JSON decoding gives. */
  dataTypes?: Record<string, DataType>;
}

export type DataType = 'int' | 'int64' | '[]string' | '[]int' | 'map[string]string';

export type Json = string | number | boolean | null | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** What the Go oracle answers for one case. */
export interface GoResult {
  id: string;
  output?: string;
  error?: string;
  /** `case` means the case itself is malformed (bad data or unknown data type). */
  phase?: 'parse' | 'exec' | 'case';
  invalidUtf8?: boolean;
}
