/**
 * YAML documents with source ranges. Only files that matter to Argo CD are parsed this way
 * (see classify.ts). The `yaml` package's documents keep node ranges, which every diagnostic
 * needs, but cost most of a lint; so a file is first read by the fast loader (fastLoad.ts,
 * values only). The first range asked for runs the fast loader again with positions, which
 * answer for scalars and keys; anything else (a block scalar, a whole mapping) is asked of the
 * `yaml` package's parse, made then. Both give the same ranges (test/unit/yaml).
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Alias, type Document, type Node, type Scalar, type YAMLError, type YAMLMap } from 'yaml';
import type { Problem, Range } from '../problems';
import { isGoDialect, parseOptionsFor, toJSOptionsFor, type YamlDialect } from './dialect';
import { fastCheck, fastLoadAll, fastPositions, type FastDoc, type NodePos } from './fastLoad';
import { goParse, misplacedTab } from './goParse';
import { goStream, type StreamNote, type StreamReading } from './goStream';
import { goValue, type GoValueResult } from './goValue';
import { LineIndex } from './lineIndex';
import { findExcessiveNesting, nestingMessage, type NestingExcess } from './nesting';
import { READERS, repeatedKeyProblem, type YamlReader } from './readers';

export type YamlPath = ReadonlyArray<string | number>;

export interface YamlDoc {
  /** 0-based index of the document in its file. */
  readonly index: number;
  /** Plain data (maps are plain objects). Null for an empty document. */
  readonly value: unknown;
  /** 0-based line where the document's content starts (the start line of `rangeOf([])`). */
  readonly line: number;
  /** Range of the node at `path`, or of the nearest existing ancestor. */
  rangeOf(path: YamlPath): Range;
  /** Range of the key of the pair at `path` (falls back to rangeOf). */
  keyRangeOf(path: YamlPath): Range;
  /**
   * Where a problem about the field at `path` is best underlined: a scalar value itself, or the
   * key of a collection (underlining a whole block would hide the rest of the file).
   */
  locate(path: YamlPath): Range;
  /**
   * Range of `length` characters at `offset` inside the string scalar at `path`, when the scalar
   * is written without escapes or folding so that string offsets are file offsets.
   */
  rangeInString(path: YamlPath, offset: number, length: number): Range | undefined;
  /** Offset in the file where the scalar at `path` starts its value text (for string offsets). */
  valueStart(path: YamlPath): { offset: number; quoted: boolean } | undefined;
  readonly lineIndex: LineIndex;
}

export interface ParsedYamlFile {
  readonly docs: YamlDoc[];
  readonly problems: Problem[];
}

/**
 * A file's documents as `reader` reads them (readers.ts), with the problems that reader has with
 * it: the first syntax error of each document it reads, and repeated keys (an error where the
 * reader rejects them, a warning naming the consequence where it keeps the last one).
 */
export function parseYamlFile(file: string, text: string, reader: YamlReader): ParsedYamlFile {
  const fast = fastLoadAll(text, READERS[reader].dialect);
  if (fast) return withLazyRanges(file, text, fast, reader);
  return fullReading(file, text, reader);
}

/**
 * As parseYamlFile, for a reading whose values are seldom asked for (a Helm values file is only
 * checked for syntax and repeated keys): the fast loader checks the text without building its
 * values (fastCheck: true exactly when fastLoadAll would answer, so no problem), and builds them
 * the first time `docs` is read. The same documents and problems as parseYamlFile.
 */
export function checkYamlFile(file: string, text: string, reader: YamlReader): ParsedYamlFile {
  const dialect = READERS[reader].dialect;
  if (!fastCheck(text, dialect)) return fullReading(file, text, reader);
  let docs: YamlDoc[] | undefined;
  return {
    problems: [],
    get docs(): YamlDoc[] {
      if (!docs) {
        const fast = fastLoadAll(text, dialect);
        if (!fast) throw new Error(`${file}: the fast YAML loader's check and its reading disagree`);
        docs = withLazyRanges(file, text, fast, reader).docs;
      }
      return docs;
    },
  };
}

/** The full parser's reading, for a text the fast loader leaves to it. */
function fullReading(file: string, text: string, reader: YamlReader): ParsedYamlFile {
  // The fast loader reads no deeper than its own bound; a file it leaves to the full parser may
  // nest deeper than the parsers (and whatever walks their values) can take (nesting.ts).
  const deep = findExcessiveNesting(text);
  return deep ? { docs: [], problems: [nestingProblem(file, deep)] } : parseWithRanges(file, text, reader);
}

/** A file nesting deeper than Home-Ops reads: one warning where the limit is passed. */
export function nestingProblem(file: string, deep: NestingExcess): Problem {
  const at = { line: deep.line, character: deep.character };
  return { file, range: { start: at, end: { line: deep.line, character: deep.character + 1 } }, severity: 'warning', rule: 'nesting-too-deep', message: nestingMessage('This file', deep) };
}

/**
 * Documents from the fast loader, which answers only for text the `yaml` package reads without
 * a problem: the full parse, for ranges, happens on first use and yields the same documents.
 */
function withLazyRanges(file: string, text: string, fast: readonly FastDoc[], reader: YamlReader): ParsedYamlFile {
  const source = new RangesOnDemand(file, text, reader);
  const read = READERS[reader].documents === 'first' ? fast.slice(0, 1) : fast;
  return { docs: read.map((d, index) => new LazyRangedDoc(index, d, source)), problems: [] };
}

/** What one file's documents need for ranges, each made the first time it is asked for. */
class RangesOnDemand {
  private full: ParsedYamlFile | undefined;
  private positions: NodePos[] | undefined;
  private lines: LineIndex | undefined;

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly reader: YamlReader,
  ) {}

  get lineIndex(): LineIndex {
    this.lines ??= new LineIndex(this.text);
    return this.lines;
  }

  /** The fast loader's position tree of document `index`. */
  root(index: number): NodePos {
    this.positions ??= fastPositions(this.text, READERS[this.reader].dialect) ?? [];
    return this.positions[index] ?? { kind: 'other' };
  }

  /** The `yaml` package's document `index`. */
  doc(index: number): YamlDoc {
    this.full ??= parseWithRanges(this.file, this.text, this.reader);
    const doc = this.full.docs.find((d) => d.index === index);
    if (!doc) throw new Error(`${this.file}: the fast and the full YAML parse disagree on document ${index}`);
    return doc;
  }
}

interface PosWalk {
  node: NodePos;
  key: MapEntryKey | undefined;
  complete: boolean;
}

type MapEntryKey = { start: number; end: number };

/** As makeDoc's walk, over the fast loader's positions. */
function walkPositions(root: NodePos, path: YamlPath): PosWalk {
  let node = root;
  let key: MapEntryKey | undefined;
  for (const step of path) {
    if (node.kind === 'map') {
      const entry = node.entries.get(String(step));
      if (!entry) return { node, key, complete: false };
      key = { start: entry.keyStart, end: entry.keyEnd };
      node = entry.value;
    } else if (node.kind === 'seq' && typeof step === 'number') {
      const item = node.items[step];
      if (!item) return { node, key, complete: false };
      key = undefined;
      node = item;
    } else return { node, key, complete: false };
  }
  return { node, key, complete: true };
}

/**
 * A document from the fast loader. Each range method answers from the fast positions when they
 * cover the node (scalars, keys), else from the `yaml` package's document, with the same result.
 */
class LazyRangedDoc implements YamlDoc {
  readonly value: unknown;
  readonly line: number;

  constructor(
    readonly index: number,
    fast: FastDoc,
    private readonly source: RangesOnDemand,
  ) {
    this.value = fast.value;
    this.line = fast.line;
  }

  get lineIndex(): LineIndex {
    return this.source.lineIndex;
  }

  private walk(path: YamlPath): PosWalk {
    return walkPositions(this.source.root(this.index), path);
  }

  private range(start: number, end: number): Range {
    return this.source.lineIndex.range(start, end);
  }

  rangeOf(path: YamlPath): Range {
    const { node } = this.walk(path);
    return node.kind === 'scalar' ? this.range(node.start, node.end) : this.source.doc(this.index).rangeOf(path);
  }

  keyRangeOf(path: YamlPath): Range {
    const { node, key, complete } = this.walk(path);
    if (complete && key) return this.range(key.start, key.end);
    return node.kind === 'scalar' ? this.range(node.start, node.end) : this.source.doc(this.index).keyRangeOf(path);
  }

  locate(path: YamlPath): Range {
    const { node, key, complete } = this.walk(path);
    if (complete && key && (node.kind === 'map' || node.kind === 'seq')) return this.range(key.start, key.end);
    return node.kind === 'scalar' ? this.range(node.start, node.end) : this.source.doc(this.index).locate(path);
  }

  rangeInString(path: YamlPath, offset: number, length: number): Range | undefined {
    const { node, complete } = this.walk(path);
    if (node.kind === 'other') return this.source.doc(this.index).rangeInString(path, offset, length);
    if (!complete || node.kind !== 'scalar') return undefined;
    const value = valueAt(this.value, path);
    if (typeof value !== 'string') return undefined;
    const start = node.start + (node.quoted ? 1 : 0);
    const end = node.quoted ? node.end - 1 : node.end;
    // Only exact when the source text is the value itself (no escapes).
    if (end - start !== value.length) return undefined;
    const from = Math.min(start + offset, end);
    return this.range(from, Math.min(from + Math.max(length, 1), end));
  }

  valueStart(path: YamlPath): { offset: number; quoted: boolean } | undefined {
    const { node, complete } = this.walk(path);
    if (node.kind === 'other') return this.source.doc(this.index).valueStart(path);
    if (!complete || node.kind !== 'scalar') return undefined;
    return { offset: node.start + (node.quoted ? 1 : 0), quoted: node.quoted };
  }
}

function valueAt(value: unknown, path: YamlPath): unknown {
  let cur = value;
  for (const step of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[String(step)];
  }
  return cur;
}

/** How many files the `yaml` package has parsed in this process (tests check the fast paths with it). */
export const fullParseCount = { files: 0 };

/**
 * The `yaml` package's parse as `reader` reads the text, with ranges: the documents the reader
 * reads (goStream.ts: Kubernetes and kustomize cut a file at `---` lines themselves and read the
 * top-level node of each piece only), the first syntax error of each, repeated keys by the
 * reader's rules, and what the reader rejects in the values (goValue.ts). `firstOnly`: only the
 * first document is wanted, whatever the reader reads.
 */
export function parseWithRanges(file: string, original: string, reader: YamlReader, firstOnly = false): ParsedYamlFile {
  fullParseCount.files++;
  const rules = READERS[reader];
  // go-yaml breaks lines at a carriage return alone and at NEL, LS and PS too (YAML 1.1); the
  // `yaml` package does not. One character for one: every offset stays. (go-yaml keeps an LS or
  // PS it folds in a value, where this reads a space: a difference left.)
  let text = isGoDialect(rules.dialect) && GO_LINE_BREAK.test(original) ? original.replace(/\r(?!\n)|[\u0085\u2028\u2029]/g, '\n') : original;
  // Ranges count lines as the rest of the engine does (line feeds); go-yaml's columns (for where a
  // document's top-level node ends) count every line break it knows.
  const lineIndex = new LineIndex(original);
  const goLines = text === original ? lineIndex : new LineIndex(text);
  const problems: Problem[] = [];
  const docs: YamlDoc[] = [];
  const dialect = rules.dialect;
  const goDialect = isGoDialect(dialect) ? dialect : undefined;
  const who = rules.consumer;
  const parse = (t: string): Document.Parsed[] => {
    const d = parseAllDocuments(t, { ...parseOptionsFor(dialect), lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: false }) as Document.Parsed[] | Document.Parsed;
    return Array.isArray(d) ? d : [d];
  };
  let parsed: Document.Parsed[];
  const notes: StreamNote[] = [];
  let directiveEnds: number[] = [];
  try {
    if (goDialect) {
      const read = goParse(text, parse, who, dialect === 'kyaml');
      text = read.text;
      parsed = read.parsed;
      notes.push(...read.ignored.map((n) => ({ ...n, severity: 'warning' as const })));
      directiveEnds = read.ignored.map((n) => n.start).sort((a, b) => a - b);
    } else parsed = parse(text);
  } catch (e) {
    problems.push({ file, range: lineIndex.range(0, 0), severity: 'error', rule: 'yaml-syntax', message: `YAML could not be read: ${String(e)}` });
    return { docs, problems };
  }
  const splitter = firstOnly || rules.documents === 'first' ? 'first' : dialect === 'kyaml' ? 'kyaml' : 'manifests';
  const column = (offset: number) => goLines.position(offset).character;
  const stream: StreamReading = goDialect
    ? goStream(text, original, parsed, splitter, who, column, directiveEnds)
    : { docs: (splitter === 'first' ? parsed.slice(0, 1) : parsed).map((doc, index) => ({ doc, index })), notes: [] };
  notes.push(...stream.notes);
  for (const n of notes) {
    problems.push({ file, range: lineIndex.range(n.start, n.end), severity: n.severity, rule: n.severity === 'error' ? 'yaml-syntax' : 'yaml-ignored', message: n.message });
  }
  let readFrom: number | undefined = 0;
  let lastRead = -1;
  for (const { doc, index, ignoreFrom } of stream.docs) {
    // One syntax error per document, the first: the rest are usually its consequences, and the
    // reader stops at the first anyway. Errors past the top-level node are never read.
    const first = doc.errors.reduce<(typeof doc.errors)[number] | undefined>((a, e) => ((ignoreFrom === undefined || e.pos[0] < ignoreFrom) && (!a || e.pos[0] < a.pos[0]) ? e : a), undefined);
    // go-yaml stops at tabs the `yaml` package takes for spaces (in the whitespace starting a line).
    // (From the end of the last document read; what was past its top-level node was not read.)
    const from = index === lastRead + 1 ? (readFrom ?? doc.range[0]) : doc.range[0];
    lastRead = index;
    // Up to the line after the first error: the `yaml` package often trips on the line before a
    // tab-indented one (`- a:` then `\t- b`), where go-yaml names the tab.
    const tabsUpTo = first ? endOfNextLine(text, first.pos[0]) : doc.range[2];
    const tab = goDialect && LINE_WITH_TAB.test(text) ? misplacedTab(text, doc, from, Math.min(ignoreFrom ?? doc.range[2], tabsUpTo), column, dialect === 'kyaml') : undefined;
    readFrom = ignoreFrom === undefined ? doc.range[2] : undefined;
    if (tab !== undefined) {
      problems.push({ file, range: lineIndex.range(tab, tab + 1), severity: 'error', rule: 'yaml-syntax', message: `A tab starts this line's indentation (even a blank or comment line counts); ${who} rejects it. Use spaces.` });
      continue;
    }
    if (first) {
      const at = syntaxProblem(first, doc, text, goDialect !== undefined);
      problems.push({ file, range: lineIndex.range(at.start, at.end), severity: 'error', rule: 'yaml-syntax', message: at.message });
      // A document with a syntax error is not used: its reader rejects it too.
      continue;
    }
    for (const repeat of repeatedKeys(doc, dialect)) problems.push(repeatedKeyProblem(file, reader, repeat.key, lineIndex.range(repeat.second[0], repeat.second[1]), lineIndex.range(repeat.first[0], repeat.first[1]), repeat.path));
    const read = goDialect ? goValue(doc, text, goDialect, who, dialect === 'k8s' && rules.documents === 'all') : valueOf(doc, dialect, text);
    if (!read.ok) {
      const [s, e] = read.problem.range;
      problems.push({ file, range: lineIndex.range(s, e), severity: 'error', rule: 'yaml-syntax', message: read.problem.message });
      continue;
    }
    docs.push(makeDoc(doc, index, read.value, lineIndex, text));
  }
  return { docs, problems };
}

const LINE_WITH_TAB = /(?:^|\n)[ ?:-]*\t/;

/** The offset where the line after the one holding `offset` ends. */
function endOfNextLine(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  if (end < 0) return text.length;
  const next = text.indexOf('\n', end + 1);
  return next < 0 ? text.length : next;
}

const GO_LINE_BREAK = /\r(?!\n)|[\u0085\u2028\u2029]/;

/** The `yaml` package's own value, for the dialects no Go reader reads (ours, surveys). */
function valueOf(doc: Document.Parsed, dialect: YamlDialect, text: string): GoValueResult {
  let value: unknown;
  try {
    value = doc.toJS(toJSOptionsFor(dialect));
  } catch (e) {
    const r = doc.contents?.range ?? doc.range;
    return { ok: false, problem: { range: [r[0], r[0]], message: firstLine(String((e as Error).message ?? e)) } };
  }
  // An alias inside its own anchor (`a: &x {b: *x}`) makes the `yaml` package return a cyclic
  // value, which every consumer (schema validation, rendering, cloning) would walk forever.
  const cycle = text.includes('*') ? selfContainedAlias(doc) : undefined;
  if (cycle) {
    const r = cycle.range ?? doc.range;
    return { ok: false, problem: { range: [r[0], Math.max(r[1], r[0])], message: `The anchor &${cycle.source} contains an alias to itself; YAML readers reject it.` } };
  }
  return { ok: true, value };
}


interface RepeatedKey {
  key: string;
  /** Path of the mapping that holds the key twice. */
  path: Array<string | number>;
  first: [number, number];
  second: [number, number];
}

/**
 * Keys that appear more than once in one mapping, each repeat against the first occurrence, in
 * document order. Walked with a stack: documents can nest deeper than the call stack allows.
 */
function repeatedKeys(doc: Document.Parsed, dialect: YamlDialect): RepeatedKey[] {
  const out: RepeatedKey[] = [];
  const stack: Array<{ node: unknown; path: Array<string | number> }> = [{ node: doc.contents, path: [] }];
  const seenNodes = new Set<unknown>();
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: unknown; path: Array<string | number> };
    if (!node || typeof node !== 'object' || seenNodes.has(node)) continue;
    seenNodes.add(node);
    if (isMap(node)) {
      const firstOf = new Map<string, [number, number]>();
      for (const pair of (node as YAMLMap<unknown, unknown>).items) {
        // An alias as a key (`*a : x`) is the key its anchor holds, where the alias stands.
        const written = pair.key as Node | null;
        const k = isAlias(written) ? written.resolve(doc) : written;
        if (isScalar(k) && written?.range && typeof k.value !== 'symbol') {
          const name = keyIdentity(k, dialect);
          const at = firstOf.get(name);
          if (at) out.push({ key: name, path, first: at, second: [written.range[0], written.range[1]] });
          else firstOf.set(name, [written.range[0], written.range[1]]);
          stack.push({ node: pair.value, path: [...path, name] });
        } else stack.push({ node: pair.value, path });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: item, path: [...path, i] }));
    }
  }
  return out.sort((a, b) => a.second[0] - b.second[0]);
}

/**
 * What makes two keys one for the reader: go-yaml v3 (kyaml) compares the text written (`1` and
 * `01` are two keys, `a` and `"a"` one); the others compare values (`y` and `true` are one key
 * for Kubernetes).
 */
function keyIdentity(k: Scalar, dialect: YamlDialect): string {
  if (dialect === 'kyaml') return k.type === 'PLAIN' ? String(k.source) : String(k.value);
  return String(k.value);
}

/**
 * A syntax error of the `yaml` package, said as what a person must fix, where: an unclosed
 * bracket or quote at its opening (the `yaml` package notices it lines later, go-yaml's message
 * names the line before that); the rest where the `yaml` package found it. One line each; the
 * go-yaml wording the Kubernetes tools print is given where it differs, so that the two can be
 * matched. `go`: the reader is go-yaml, which never minds the indentation inside brackets and
 * quotes.
 */
function syntaxProblem(first: YAMLError, doc: Document.Parsed, text: string, go: boolean): { start: number; end: number; message: string } {
  // A quote or bracket left open explains the errors the `yaml` package finds before its end
  // (`resources: [` then `- a.yaml`: "block collections are not allowed within flow collections").
  const error =
    doc.errors.find((x) => x.code === 'MISSING_CHAR' && /^Missing closing ['"]quote/.test(x.message)) ??
    doc.errors.find((x) => UNCLOSED_FLOW.test(x.message)) ??
    first;
  const [s, e] = error.pos;
  const where = { start: s, end: Math.max(e, s) };
  const quote = error.code === 'MISSING_CHAR' ? /^Missing closing (["'])quote/.exec(error.message) : null;
  const bracket = UNCLOSED_FLOW.exec(error.message);
  if (quote || bracket) {
    const opener = openerBefore(doc, s, quote ? 'quote' : 'flow');
    const close = (quote?.[1] ?? bracket?.[1]) as string;
    const open = quote ? close : close === ']' ? '[' : '{';
    const indent = go ? '' : ' (a line inside it indented less than its key ends it too)';
    const said = quote ? 'found unexpected end of stream' : `did not find expected ',' or '${close}'`;
    if (opener !== undefined) return { start: opener, end: opener + 1, message: `This \`${open}\` is never closed${indent}: add the closing \`${close}\` (go-yaml: "${said}").` };
    return { ...where, message: `A \`${open}\` above is never closed${indent}: add the closing \`${close}\` (go-yaml: "${said}").` };
  }
  if (error.code === 'BLOCK_AS_IMPLICIT_KEY' || error.code === 'MULTILINE_IMPLICIT_KEY') {
    // A line indented past the key above continues its value, up to a `: ` that makes it a key:
    // the line to fix is the over-indented one, where go-yaml stops too. At the same indentation,
    // the first line is the mistake: its `:` is missing (`releaseName authelia`).
    const key = doc.errors.find((x) => x.code === 'MULTILINE_IMPLICIT_KEY' && x.pos[0] === s);
    const colon = key?.pos[1];
    if (colon !== undefined && text[colon] === ':' && text.slice(s, colon).includes('\n')) {
      const lineStart = text.lastIndexOf('\n', colon - 1) + 1;
      const first = lineStart + (/^[ \t]*/.exec(text.slice(lineStart)) as RegExpExecArray)[0].length;
      const keyLineStart = text.lastIndexOf('\n', s - 1) + 1;
      if (first - lineStart === s - keyLineStart) {
        const keyLineEnd = text.indexOf('\n', s);
        return { start: s, end: keyLineEnd < 0 ? text.length : keyLineEnd, message: 'This line has no `:` after its key, so it runs into the next line: add the `:` (go-yaml: "could not find expected \':\'").' };
      }
      return { start: first, end: Math.max(colon, first), message: 'This line is indented more than the key above it, so it continues that value and its `:` is out of place: indent it like the key above (go-yaml: "mapping values are not allowed in this context").' };
    }
  }
  if (error.code === 'MISSING_CHAR' && /^Missing , between flow (?:map|sequence) items/.test(error.message)) {
    // Reported at the next item; the comma goes after the one before it.
    const before = lastTokenBefore(text, s);
    if (before !== undefined) return { start: before, end: before + 1, message: 'A `,` is missing after this item (go-yaml: "did not find expected \',\' or \'}\'").' };
  }
  if (error.code === 'BAD_INDENT' && /same column/.test(error.message)) {
    // Reported at the end of the line above; the misaligned line is the next one with content.
    const next = nextContentAfter(text, s);
    if (next !== undefined) return { start: next, end: Math.max(next, text.indexOf('\n', next) < 0 ? text.length : text.indexOf('\n', next)), message: syntaxMessage(error.code, error.message) };
  }
  return { ...where, message: syntaxMessage(error.code, error.message) };
}

/** A flow collection the `yaml` package found never closed, with the closer it wanted. */
const UNCLOSED_FLOW = /^Flow (?:sequence|map) (?:in block collection must be sufficiently indented and end|must end) with an? ([\]}])/;

/** The last character before `offset` that is not white space (the end of the previous item). */
function lastTokenBefore(text: string, offset: number): number | undefined {
  for (let i = offset - 1; i >= 0; i--) if (!/\s/.test(text[i] as string)) return i;
  return undefined;
}

/** The first character with content after the line holding `offset`, unless `offset` has content after it on its line. */
function nextContentAfter(text: string, offset: number): number | undefined {
  const end = text.indexOf('\n', offset);
  if (end < 0 || /\S/.test(text.slice(offset, end).replace(/#.*$/, ''))) return undefined;
  const m = /\S/.exec(text.slice(end + 1));
  return m ? end + 1 + m.index : undefined;
}

/** The quoted scalar or flow collection that starts last before `offset`. */
function openerBefore(doc: Document.Parsed, offset: number, kind: 'quote' | 'flow'): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Node(_key, node: Node) {
      const r = node.range;
      if (!r || r[0] > offset || (found !== undefined && r[0] <= found)) return;
      const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
      // A flow collection closed before the error is not the one left open.
      const flow = (isMap(node) || isSeq(node)) && node.flow === true && r[1] >= offset;
      if (kind === 'quote' ? quoted : flow) found = r[0];
    },
  });
  return found;
}

/** The `yaml` package's message for a syntax error, in words a person editing the file reads. */
function syntaxMessage(code: string, message: string): string {
  const text = firstLine(message).replace(/ at line \d+, column \d+:?$/, '');
  const lower = `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'A tab is used for indentation; YAML allows only spaces there (go-yaml: "found character that cannot start any token").';
    case 'BAD_INDENT':
      if (/same column/.test(text)) return 'This line is not aligned with the keys above it: indent it like them, or further under a key that ends with `:` (go-yaml: "did not find expected key").';
      return `Invalid YAML: ${lower} (check the indentation of this line and the one above).`;
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'A second `key: value` on one line: a value cannot itself be a map written on the same line; quote the value or move it to its own indented lines (go-yaml: "mapping values are not allowed in this context").';
    case 'MULTILINE_IMPLICIT_KEY':
      return 'This reads as a key running over several lines: the line above probably lacks a `:`, or this line is indented too far.';
    case 'MISSING_CHAR':
      if (/^Implicit map keys need to be followed by map values/.test(text)) return 'This line reads as a key with no `:` after it: add the `:` or fix its indentation (go-yaml: "could not find expected \':\'").';
      return `Invalid YAML: ${lower}.`;
    case 'BAD_DQ_ESCAPE':
      return `Invalid YAML: ${lower} in a double-quoted string: write \`\\\\\` for a backslash, or use single quotes.`;
    case 'UNEXPECTED_TOKEN':
    case 'BAD_SCALAR_START':
      return `Invalid YAML: ${lower} (check the indentation of this line and the one above).`;
    default:
      return `Invalid YAML: ${lower}`;
  }
}

/**
 * The file offset of `offset` in the value of a literal block scalar (`|`) whose header starts at
 * `header`: each line of the value is a line of the file without the block's indentation, so a
 * template error inside a templatePatch can be underlined where it is. Undefined when the lines
 * do not give back the value (an indentation indicator, tabs): then no place is better than a
 * wrong one.
 */
function literalBlockOffset(text: string, header: number, value: string, offset: number): number | undefined {
  const headerEnd = text.indexOf('\n', header);
  if (headerEnd < 0 || /[1-9]/.test(text.slice(header, headerEnd).replace(/#.*$/, ''))) return undefined;
  const lines: Array<{ start: number; text: string }> = [];
  for (let start = headerEnd + 1; start < text.length; ) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end);
    lines.push({ start, text: line });
    start = end < 0 ? text.length : end + 1;
  }
  const first = lines.find((l) => l.text.trim() !== '');
  if (!first) return undefined;
  const indent = first.text.length - first.text.trimStart().length;
  const valueLines = value.split('\n');
  // The value's lines must be the block's lines, de-indented (trailing lines may differ by chomping).
  for (let i = 0; i < valueLines.length - 1; i++) {
    const src = lines[i];
    if (!src || src.text.slice(indent) !== valueLines[i] || (src.text.trim() !== '' && !src.text.startsWith(' '.repeat(indent)))) return undefined;
  }
  const before = value.slice(0, Math.min(offset, value.length));
  const row = before.split('\n').length - 1;
  const col = before.length - (before.lastIndexOf('\n') + 1);
  const line = lines[row];
  return line ? line.start + indent + col : undefined;
}

/** The first alias that refers to an anchor around it, if any. */
function selfContainedAlias(doc: Document.Parsed): Alias | undefined {
  let found: Alias | undefined;
  try {
    visit(doc, {
      Alias(_key, node, path) {
        const target = node.resolve(doc);
        if (target && path.includes(target)) {
          found = node;
          return visit.BREAK;
        }
        return undefined;
      },
    });
  } catch {
    // Too deep to walk: toJS above walked it already, so it is no deeper than the stack allows.
  }
  return found;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

function makeDoc(doc: Document.Parsed, index: number, value: unknown, lineIndex: LineIndex, text: string): YamlDoc {
  const docRange = (): Range => {
    const r = doc.contents?.range ?? doc.range;
    return lineIndex.range(r[0], r[0]);
  };
  /** Walks to the deepest existing node on the path; returns it and its pair key if any. */
  const walk = (path: YamlPath): { node: Node | null; key: Node | null; complete: boolean } => {
    let node = doc.contents as Node | null;
    let key: Node | null = null;
    for (const step of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
        if (!pair) return { node, key, complete: false };
        key = pair.key as Node;
        node = (pair.value as Node | null) ?? (pair.key as Node);
      } else if (isSeq(node) && typeof step === 'number') {
        const item = node.items[step] as Node | undefined;
        if (!item) return { node, key, complete: false };
        key = null;
        node = item;
      } else return { node, key, complete: false };
    }
    return { node, key, complete: true };
  };
  return {
    index,
    value,
    line: docRange().start.line,
    lineIndex,
    rangeOf(path) {
      const { node } = walk(path);
      const r = node?.range;
      return r ? lineIndex.range(r[0], r[1]) : docRange();
    },
    keyRangeOf(path) {
      const { key, node, complete } = walk(path);
      const r = (complete ? key?.range : undefined) ?? node?.range;
      return r ? lineIndex.range(r[0], r[1]) : docRange();
    },
    locate(path) {
      const { node, key, complete } = walk(path);
      const r = (complete && !isScalar(node) && key?.range) || node?.range;
      return r ? lineIndex.range(r[0], r[1]) : docRange();
    },
    rangeInString(path, offset, length) {
      const { node, complete } = walk(path);
      if (!complete || !isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
      if (node.type === 'BLOCK_LITERAL') {
        const at = literalBlockOffset(text, node.range[0], node.value, offset);
        return at === undefined ? undefined : lineIndex.range(at, at + Math.max(length, 1));
      }
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      if (node.type !== 'PLAIN' && !quoted) return undefined;
      const start = node.range[0] + (quoted ? 1 : 0);
      const end = quoted ? node.range[1] - 1 : node.range[1];
      // Only exact when the source text is the value itself (no escapes, no line folding).
      if (end - start !== node.value.length) return undefined;
      const from = Math.min(start + offset, end);
      return lineIndex.range(from, Math.min(from + Math.max(length, 1), end));
    },
    valueStart(path) {
      const { node, complete } = walk(path);
      if (!complete || !isScalar(node) || !node.range) return undefined;
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      return { offset: node.range[0] + (quoted ? 1 : 0), quoted };
    },
  };
}
