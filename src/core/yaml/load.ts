/**
 * Values without ranges: what a reader (readers.ts) makes of a text, for code that needs the
 * data and not where it sits (generator files, rendered output, charts, configs). Problems are
 * thrown as YamlLoadError with the line they are at; for located diagnostics use parse.ts.
 */
import { stringify } from 'yaml';
import { fastLoadAll } from './fastLoad';
import { parseWithRanges } from './parse';
import { READERS, type YamlReader } from './readers';

export class YamlLoadError extends Error {
  constructor(
    message: string,
    /** 1-based line of the problem, when known. */
    readonly line?: number,
  ) {
    super(message);
    this.name = 'YamlLoadError';
  }
}

/**
 * The value of the first document, as `reader` reads it (null for an empty text). Throws
 * YamlLoadError when the reader would reject the text.
 */
export function loadYaml(text: string, reader: YamlReader): unknown {
  return loadDocuments(text, reader, true)[0] ?? null;
}

/** The value of every document the reader reads (one for readers that read the first only). */
export function loadAllYaml(text: string, reader: YamlReader): unknown[] {
  return loadDocuments(text, reader, false);
}

function loadDocuments(text: string, reader: YamlReader, firstOnly: boolean): unknown[] {
  const rules = READERS[reader];
  const onlyFirst = firstOnly || rules.documents === 'first';
  const fast = fastLoadAll(text, rules.dialect);
  if (fast) return (onlyFirst ? fast.slice(0, 1) : fast).map((d) => d.value);
  // Off the fast path, the reading with ranges says what the reader rejects, where.
  const read = parseWithRanges('', text, reader, onlyFirst);
  const error = read.problems.find((p) => p.severity === 'error');
  if (error) throw new YamlLoadError(error.message, error.range.start.line + 1);
  return read.docs.map((d) => d.value);
}

export interface DumpOptions {
  /** Indent sequences under their key (`key:\n  - a`), as most repositories write them. */
  indentSeq?: boolean;
  /** Fold long scalars at this column; 0 (the default): never, as the project writes files. */
  lineWidth?: number;
}

/** YAML text for a value. */
export function dumpYaml(value: unknown, options: DumpOptions = {}): string {
  return stringify(value, { lineWidth: options.lineWidth ?? 0, indentSeq: options.indentSeq ?? true });
}


