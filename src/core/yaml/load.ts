/**
 * Values without ranges: what a reader (readers.ts) makes of a text, for code that needs the
 * data and not where it sits (generator files, rendered output, charts, configs). Problems are
 * thrown as YamlLoadError with the line they are at; for located diagnostics use parse.ts.
 */
import { parseAllDocuments, stringify, type Document } from 'yaml';
import { parseOptionsFor, toJSOptionsFor } from './dialect';
import { fastLoadAll } from './fastLoad';
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
  let docs = parseAllDocuments(text, { ...parseOptionsFor(rules.dialect), uniqueKeys: rules.repeatedKeys === 'rejects', prettyErrors: false }) as Document.Parsed[] | Document.Parsed;
  if (!Array.isArray(docs)) docs = [docs];
  if (onlyFirst) docs = docs.slice(0, 1);
  return docs.map((doc) => {
    const err = doc.errors[0];
    if (err) throw new YamlLoadError(firstLine(err.message), lineAt(text, err.pos[0]));
    return doc.toJS(toJSOptionsFor(rules.dialect)) as unknown;
  });
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

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}
