/**
 * YAML documents with source ranges. Only files that matter to Argo CD are parsed this way
 * (see classify.ts). The `yaml` package's documents keep node ranges, which every diagnostic
 * needs, but cost most of a lint; so a file is first read by the fast loader (fastLoad.ts,
 * values only). The first range asked for runs the fast loader again with positions, which
 * answer for scalars and keys; anything else (a block scalar, a whole mapping) is asked of the
 * `yaml` package's parse, made then. Both give the same ranges (test/unit/yaml).
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Alias, type Document, type Node } from 'yaml';
import type { Problem, Range } from '../problems';
import { fastLoadAll, fastPositions, type FastDoc, type NodePos } from './fastLoad';
import { LineIndex } from './lineIndex';

/** Bounds what an alias bomb can expand to (the `yaml` package counts alias resolutions). */
const MAX_ALIAS_COUNT = 1000;

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

export function parseYamlFile(file: string, text: string): ParsedYamlFile {
  const fast = fastLoadAll(text);
  return fast ? withLazyRanges(file, text, fast) : parseWithRanges(file, text);
}

/**
 * Documents from the fast loader, which answers only for text the `yaml` package reads without
 * a problem: the full parse, for ranges, happens on first use and yields the same documents.
 */
function withLazyRanges(file: string, text: string, fast: readonly FastDoc[]): ParsedYamlFile {
  const source = new RangesOnDemand(file, text);
  return { docs: fast.map((d, index) => new LazyRangedDoc(index, d, source)), problems: [] };
}

/** What one file's documents need for ranges, each made the first time it is asked for. */
class RangesOnDemand {
  private full: ParsedYamlFile | undefined;
  private positions: NodePos[] | undefined;
  private lines: LineIndex | undefined;

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  get lineIndex(): LineIndex {
    this.lines ??= new LineIndex(this.text);
    return this.lines;
  }

  /** The fast loader's position tree of document `index`. */
  root(index: number): NodePos {
    this.positions ??= fastPositions(this.text) ?? [];
    return this.positions[index] ?? { kind: 'other' };
  }

  /** The `yaml` package's document `index`. */
  doc(index: number): YamlDoc {
    this.full ??= parseWithRanges(this.file, this.text);
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

/** The `yaml` package's parse, with ranges and every syntax problem located. */
export function parseWithRanges(file: string, text: string): ParsedYamlFile {
  fullParseCount.files++;
  const lineIndex = new LineIndex(text);
  const problems: Problem[] = [];
  const docs: YamlDoc[] = [];
  let parsed: Document.Parsed[];
  try {
    parsed = parseAllDocuments(text, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: true }) as Document.Parsed[];
  } catch (e) {
    problems.push({ file, range: lineIndex.range(0, 0), severity: 'error', rule: 'yaml-syntax', message: `YAML could not be read: ${String(e)}` });
    return { docs, problems };
  }
  if (!Array.isArray(parsed)) parsed = [parsed];
  parsed.forEach((doc, index) => {
    for (const err of doc.errors) {
      const [s, e] = err.pos;
      const rule = err.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax';
      problems.push({ file, range: lineIndex.range(s, Math.max(e, s)), severity: 'error', rule, message: firstLine(err.message) });
    }
    // A document with syntax errors is not used: Argo CD (sigs.k8s.io/yaml) would reject it too.
    if (doc.errors.some((e) => e.code !== 'DUPLICATE_KEY')) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
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
    docs.push(makeDoc(doc, index, value, lineIndex));
  });
  return { docs, problems };
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

function makeDoc(doc: Document.Parsed, index: number, value: unknown, lineIndex: LineIndex): YamlDoc {
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
