/**
 * YAML documents with source ranges. Only files that matter to Argo CD are parsed this way
 * (see classify.ts). The `yaml` package's documents keep node ranges, which every diagnostic
 * needs, but cost most of a lint; so a file is first read by the fast loader (fastLoad.ts,
 * values only). The first range asked for runs the fast loader again with positions, which
 * answer for scalars and keys; anything else (a block scalar, a whole mapping) is asked of the
 * `yaml` package's parse, made then. Both give the same ranges (test/unit/yaml).
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Alias, type Document, type Node, type YAMLMap } from 'yaml';
import type { Problem, Range } from '../problems';
import { parseOptionsFor, toJSOptionsFor } from './dialect';
import { fastLoadAll, fastPositions, type FastDoc, type NodePos } from './fastLoad';
import { LineIndex } from './lineIndex';
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
  return fast ? withLazyRanges(file, text, fast, reader) : parseWithRanges(file, text, reader);
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
    const doc = this.full.docs[index];
    if (doc?.index !== index) throw new Error(`${this.file}: the fast and the full YAML parse disagree on document ${index}`);
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
 * The `yaml` package's parse as `reader` reads the text, with ranges: the first syntax error of
 * each document read, located; repeated keys by the reader's rules.
 */
export function parseWithRanges(file: string, text: string, reader: YamlReader): ParsedYamlFile {
  fullParseCount.files++;
  const rules = READERS[reader];
  const lineIndex = new LineIndex(text);
  const problems: Problem[] = [];
  const docs: YamlDoc[] = [];
  let parsed: Document.Parsed[];
  try {
    parsed = parseAllDocuments(text, { ...parseOptionsFor(rules.dialect), lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: false }) as Document.Parsed[];
  } catch (e) {
    problems.push({ file, range: lineIndex.range(0, 0), severity: 'error', rule: 'yaml-syntax', message: `YAML could not be read: ${String(e)}` });
    return { docs, problems };
  }
  if (!Array.isArray(parsed)) parsed = [parsed];
  if (rules.documents === 'first') parsed = parsed.slice(0, 1);
  parsed.forEach((doc, index) => {
    // One syntax error per document, the first: the rest are usually its consequences, and the
    // reader stops at the first anyway.
    // An unclosed `[` or `{` is reported where the parser gave up, after what it then misread:
    // the opener itself is the first thing wrong.
    const located = doc.errors.map((err) => ({ err, pos: unclosedFlowAt(text, err.message, err.pos[0]) ?? err.pos }));
    const firstLocated = located.reduce<(typeof located)[number] | undefined>((a, x) => (!a || x.pos[0] < a.pos[0] ? x : a), undefined);
    const first = firstLocated?.err;
    if (first && firstLocated) {
      const [s, e] = firstLocated.pos;
      problems.push({ file, range: lineIndex.range(s, Math.max(e, s)), severity: 'error', rule: 'yaml-syntax', message: syntaxMessage(first.code, first.message) });
      // A document with a syntax error is not used: its reader rejects it too.
      return;
    }
    for (const repeat of repeatedKeys(doc)) problems.push(repeatedKeyProblem(file, reader, repeat.key, lineIndex.range(repeat.second[0], repeat.second[1]), lineIndex.range(repeat.first[0], repeat.first[1]), repeat.path));
    let value: unknown;
    try {
      value = doc.toJS(toJSOptionsFor(rules.dialect));
    } catch (e) {
      const r = doc.contents?.range;
      problems.push({ file, range: lineIndex.range(r?.[0] ?? 0, r?.[0] ?? 0), severity: 'error', rule: 'yaml-syntax', message: firstLine(String((e as Error).message ?? e)) });
      return;
    }
    // An alias inside its own anchor (`a: &x {b: *x}`) makes the `yaml` package return a cyclic
    // value, which every consumer (schema validation, rendering, cloning) would walk forever.
    // go-yaml rejects it ("anchor 'x' value contains itself"), so Argo CD does too.
    const cycle = text.includes('*') ? selfContainedAlias(doc) : undefined;
    if (cycle) {
      const r = cycle.range ?? doc.range;
      problems.push({ file, range: lineIndex.range(r[0], Math.max(r[1], r[0])), severity: 'error', rule: 'yaml-syntax', message: `The anchor &${cycle.source} contains an alias to itself; YAML readers such as Argo CD's reject it.` });
      return;
    }
    docs.push(makeDoc(doc, index, value, lineIndex, text));
  });
  return { docs, problems };
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
function repeatedKeys(doc: Document.Parsed): RepeatedKey[] {
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
        const k = pair.key;
        if (isScalar(k) && k.range && k.value !== '<<') {
          const name = String(k.value);
          const at = firstOf.get(name);
          if (at) out.push({ key: name, path, first: at, second: [k.range[0], k.range[1]] });
          else firstOf.set(name, [k.range[0], k.range[1]]);
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
 * For "flow collection not closed" errors the `yaml` package points where it gave up (often the
 * end of the file); go-yaml, and the person fixing it, mean the `[` or `{` that is never closed.
 * Finds the innermost opener still open before `at`, skipping quoted scalars and comments;
 * undefined when the error is of another kind or no opener is found.
 */
function unclosedFlowAt(text: string, message: string, at: number): [number, number] | undefined {
  if (!/^Flow (?:sequence|map|collection)\b.*\bend with an? [\]}]/.test(message) && !/^Expected (?:a )?flow (?:sequence|map) end/i.test(message)) return undefined;
  const open: number[] = [];
  let lineStart = true;
  let prev = '';
  for (let i = 0; i < at && i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\n') {
      lineStart = true;
      prev = '';
      continue;
    }
    if (c === ' ') continue;
    if (c === '#' && (lineStart || text[i - 1] === ' ')) {
      while (i < text.length && text[i] !== '\n') i++;
      i--;
      continue;
    }
    if ((c === '"' || c === "'") && (lineStart || open.length > 0 || /[:\-?,[{]/.test(prev))) {
      for (i++; i < text.length && text[i] !== c; i++) if (c === '"' && text[i] === '\\') i++;
      prev = c;
      lineStart = false;
      continue;
    }
    // A flow collection starts only where a node does (not inside a plain scalar like `a[0]`).
    if ((c === '[' || c === '{') && (lineStart || open.length > 0 || /[:\-?,[{]/.test(prev))) open.push(i);
    else if ((c === ']' || c === '}') && open.length > 0) {
      const top = open[open.length - 1] as number;
      // A closer of the other kind leaves the innermost opener unclosed: that is the mistake.
      if (text[top] !== (c === ']' ? '[' : '{')) return [top, top + 1];
      open.pop();
    }
    prev = c;
    lineStart = false;
  }
  const start = open.pop();
  return start === undefined ? undefined : [start, start + 1];
}

/** The `yaml` package's message for a syntax error, in words a person editing the file reads. */
function syntaxMessage(code: string, message: string): string {
  const text = firstLine(message).replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'A tab is used for indentation; YAML allows only spaces there.';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'MULTILINE_IMPLICIT_KEY':
    case 'UNEXPECTED_TOKEN':
      return `Invalid YAML: ${text.charAt(0).toLowerCase()}${text.slice(1)} (check the indentation of this line and the one above).`;
    default:
      return `Invalid YAML: ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
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
