/**
 * A fast, value-only loader for the YAML that Argo CD repositories are made of: block mappings
 * and sequences, plain and quoted one-line scalars, literal and folded block scalars, one-line
 * flow collections, comments and `---` documents.
 *
 * Why: parsing with the `yaml` package keeps a node tree with source ranges, which every
 * diagnostic needs but which costs most of a lint (a lint reads a few hundred small files and
 * finds a problem in almost none). This loader produces the values alone, several times faster,
 * and parse.ts asks the `yaml` package for ranges only when something needs a location.
 *
 * The contract: for any text, `fastLoadAll` either returns `undefined` ("outside the subset",
 * and the caller uses the full parser) or documents whose values are exactly what the `yaml`
 * package's `parseAllDocuments(...).map(d => d.toJS())` gives, with no error and no warning
 * from it. Anchors on block values (`port: &port 80`, `probes: &probes` above a mapping) and
 * aliases as whole values (`readiness: *probes`) are read, as Helm values use them; anything
 * more unusual bails out rather than guessing: merge keys, anchors in flow collections or on
 * keys, aliases to what is not complete yet, tags, directives,
 * `?` keys, multi-line plain or quoted scalars, multi-line flow collections, tabs, carriage
 * returns other than CRLF line ends, control characters, duplicate or non-string keys, and every
 * syntax error.
 * test/unit/yaml/fastLoad.test.ts holds it to that on the seed corpus, on written edge cases
 * and on thousands of mutated files.
 */

import { isGoDialect, plainResolverFor, UNRESOLVED, type YamlDialect } from './dialect';

export interface FastDoc {
  /** The document's value, as `yaml`'s `toJS()` gives it (null for an empty document). */
  readonly value: unknown;
  /** 0-based line where the document's content starts (where `yaml` starts its contents node). */
  readonly line: number;
}

/**
 * Where a node sits in the text, from a second pass in positions mode (fastPositions), so that
 * a range can be given without the full parser. Only one-line plain and quoted scalars and the
 * keys of block mappings have positions; the rest is `other`, left to the full parser.
 */
export type NodePos =
  | { readonly kind: 'map'; readonly entries: ReadonlyMap<string, MapEntryPos> }
  | { readonly kind: 'seq'; readonly items: readonly NodePos[] }
  | { readonly kind: 'scalar'; readonly start: number; readonly end: number; readonly quoted: boolean }
  | { readonly kind: 'other' };

export interface MapEntryPos {
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly value: NodePos;
}

const OTHER: NodePos = { kind: 'other' };

/** Thrown to abandon the fast path; never escapes this module. */
const BAIL: unique symbol = Symbol('outside the fast YAML subset');

const NL = 10;
const SPACE = 32;
const HASH = 35;
const AMP = 38;
const STAR = 42;
/** Anchor and alias names the fast loader reads; others (and their rules per reader) go to the full parser. */
const ANCHOR_CHAR = /[A-Za-z0-9_-]/;
/** More aliases than this in one text are left to the full parser, which bounds alias expansion. */
const MAX_ALIASES = 100;
const COLON = 58;
const DASH = 45;

/**
 * Characters that cannot start a plain scalar here (indicators), as char codes: the loader bails
 * rather than telling apart the cases YAML allows (`-x`, `:x`, `?x` are allowed; `-1` is common
 * and handled separately).
 */
function isIndicatorStart(c: number): boolean {
  // - ? : , [ ] { } # & * ! | > ' " % @ `
  return (
    c === DASH || c === 63 || c === COLON || c === 44 || c === 91 || c === 93 || c === 123 || c === 125 || c === HASH ||
    c === 38 || c === 42 || c === 33 || c === 124 || c === 62 || c === 39 || c === 34 || c === 37 || c === 64 || c === 96
  );
}

function isFlowIndicator(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
}

/** Escapes of double-quoted scalars the loader handles besides `\\uXXXX`: char code → character. */
const SIMPLE_ESCAPES = new Map<number, string>([
  [34, '"'],
  [92, '\\'],
  [47, '/'],
  [110, '\n'],
  [116, '\t'],
  [114, '\r'],
  [48, '\0'],
]);

/** Deeper nesting is left to the full parser, which bounds it (the loader recurses per level). */
const MAX_DEPTH = 64;

/** Keys longer than this are errors for `yaml` (implicit keys are limited to 1024 characters). */
const MAX_KEY = 1000;

export function fastLoadAll(text: string, dialect: YamlDialect = 'yaml-1.2'): FastDoc[] | undefined {
  return load(text, 'values', dialect)?.docs;
}

/** The position tree of each document, for a text fastLoadAll answers (undefined otherwise). */
export function fastPositions(text: string, dialect: YamlDialect = 'yaml-1.2'): NodePos[] | undefined {
  return load(text, 'positions', dialect)?.positions;
}

/**
 * Whether fastLoadAll answers for `text`, without building its values: the same reading, every
 * check made, but no mapping or sequence is built (the keys of each mapping are only compared).
 * For readings whose values nobody may ask for (a Helm values file is checked for syntax and
 * repeated keys): `true` means the full parser finds no problem with the text.
 */
export function fastCheck(text: string, dialect: YamlDialect = 'yaml-1.2'): boolean {
  return load(text, 'check', dialect) !== undefined;
}

/**
 * What a reading makes: `values` the documents' values; `positions` the values and where their
 * nodes are; `check` only whether the text is in the subset (collections are not built).
 */
type LoadMode = 'values' | 'positions' | 'check';

/** The value of a mapping or sequence in check mode: read and checked, not built. */
const CHECKED: unique symbol = Symbol('a collection read in check mode');

/** Mappings with more keys than this look repeated keys up in a set rather than the list. */
const KEY_SCAN_LIMIT = 16;

const CR_ALONE = /\r(?!\n)/;
/** `---` and more than a comment, tried (sticky) where a line starts with `---`. */
const DASHES_AND_TEXT = /---[ \t]*[^\s#]/y;

/** Whether a line starts with `---` followed by more than a comment (`/(?:^|\n)---[ \t]*[^\s#]/`). */
function dashesAndText(text: string): boolean {
  // `---` is rare (document markers): found by indexOf, rather than a regular expression trying
  // every line start.
  for (let i = text.indexOf('---'); i !== -1; i = text.indexOf('---', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) !== NL) continue;
    DASHES_AND_TEXT.lastIndex = i;
    if (DASHES_AND_TEXT.test(text)) return true;
  }
  return false;
}

/** Characters whose handling differs in corners the loader does not model (tabs and CR among them). */
const UNMODELLED_CHARACTER = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;

function load(text: string, mode: LoadMode, dialect: YamlDialect): Loader | undefined {
  const positions = mode === 'positions';
  // Windows line ends (CRLF) read as LF: the values and lines are the same; offsets are not, so
  // positions are left to the full parser.
  if (text.includes('\r')) {
    if (positions || CR_ALONE.test(text)) return undefined;
    text = text.replace(/\r\n/g, '\n');
  }
  if (UNMODELLED_CHARACTER.test(text)) return undefined;
  // `\/` is an escape of YAML 1.2 that go-yaml rejects: the full reading says so.
  if (isGoDialect(dialect) && text.includes('\\/')) return undefined;
  // kubectl and kustomize reject a line starting with `---` followed by more than a comment.
  if (isGoDialect(dialect) && dashesAndText(text)) return undefined;
  // kustomize's kyaml drops every key named `<<`, quoted too.
  if (dialect === 'kyaml' && text.includes('<<')) return undefined;
  const loader = new Loader(text, positions, mode !== 'check', plainResolverFor(dialect));
  try {
    loader.documents();
    return loader;
  } catch (e) {
    if (e === BAIL) return undefined;
    throw e;
  }
}

/** A line that holds something other than spaces and a comment. */
interface ContentLine {
  /** Offset of the line's first character. */
  start: number;
  /** Number of leading spaces. */
  indent: number;
  /** 0-based line number. */
  line: number;
  /** Offset of the line's end (its newline, or the end of the text). */
  end: number;
}

/**
 * The keys of one mapping in check mode, to find a repeated one as the mapping's properties would
 * (by value: `a` and `"a"` are one key): a list while the mapping is small, a set past that.
 */
class KeysSeen {
  private readonly list: string[] = [];
  private set: Set<string> | undefined;

  /** Adds `key`; bails (the full parser reports it) when the mapping has it already. */
  add(key: string): void {
    if (this.set) {
      if (this.set.has(key)) throw BAIL;
      this.set.add(key);
      return;
    }
    const list = this.list;
    for (let i = 0; i < list.length; i++) if (list[i] === key) throw BAIL;
    list.push(key);
    if (list.length > KEY_SCAN_LIMIT) this.set = new Set(list);
  }
}

class Loader {
  /** Offset of the first line not consumed yet. */
  private pos = 0;
  /** Line number of `pos`. */
  private lineNo = 0;
  /** Collections open around the current position. */
  private depth = 0;
  /** Positions mode: the position of the node a parse method just returned. */
  private lastPos: NodePos = OTHER;
  /** Anchors of the current document (they do not cross `---`), by name, once their node is read. */
  private anchors = new Map<string, unknown>();
  /** Anchors whose node is being read: an alias to one of them is a cycle, for the full parser to refuse. */
  private readonly anchorsOpen = new Set<string>();
  private aliases = 0;
  readonly docs: FastDoc[] = [];
  /** Positions mode: each document's root. */
  readonly positions: NodePos[] = [];

  constructor(
    private readonly text: string,
    private readonly withPositions: boolean,
    /** False in check mode: mappings and sequences are read but not built. */
    private readonly withValues: boolean,
    private readonly resolveWith: (s: string) => unknown,
  ) {}

  /** A plain scalar's value in the loader's dialect; bails where the full parser must decide. */
  private resolvePlain(s: string): unknown {
    const v = this.resolveWith(s);
    if (v === UNRESOLVED) throw BAIL;
    return v;
  }

  documents(): void {
    const t = this.text;
    let explicit = false; // a `---` opened the document being read
    let markerEnd = 0;
    for (;;) {
      const next = this.nextContent();
      if (!next) {
        if (explicit) this.pushDoc({ value: null, line: this.lineOf(markerEnd) }, OTHER);
        return;
      }
      if (next.indent === 0 && this.isMarker(next.start, DASH)) {
        // `---` alone (or with a comment) on its line; anything after it on the line is not ours.
        if (!this.restIsBlank(next.start + 3)) throw BAIL;
        if (explicit) this.pushDoc({ value: null, line: this.lineOf(markerEnd) }, OTHER);
        explicit = true;
        markerEnd = next.start + 3;
        this.advanceLine(next);
        continue;
      }
      if (next.indent === 0 && (this.isMarker(next.start, 46) || t.charCodeAt(next.start) === 37)) throw BAIL; // `...`, directives
      const value = this.blockNode(next.start + next.indent, next.indent, -1, next);
      this.pushDoc({ value, line: next.line }, this.lastPos);
      explicit = false;
      // The root node ends at the end of the document: what follows must be `---` or nothing.
      const after = this.nextContent();
      if (after && !(after.indent === 0 && this.isMarker(after.start, DASH))) throw BAIL;
    }
  }

  private pushDoc(doc: FastDoc, pos: NodePos): void {
    this.anchors = new Map();
    this.docs.push(doc);
    if (this.withPositions) this.positions.push(pos);
  }

  /** `---` or `...` at `start`, followed by a space or the end of the line. */
  private isMarker(start: number, c: number): boolean {
    const t = this.text;
    if (t.charCodeAt(start) !== c || t.charCodeAt(start + 1) !== c || t.charCodeAt(start + 2) !== c) return false;
    const after = t.charCodeAt(start + 3);
    return Number.isNaN(after) || after === NL || after === SPACE;
  }

  private lineOf(offset: number): number {
    let line = 0;
    for (let i = this.text.indexOf('\n'); i !== -1 && i < offset; i = this.text.indexOf('\n', i + 1)) line++;
    return line;
  }

  private lineEnd(from: number): number {
    const e = this.text.indexOf('\n', from);
    return e === -1 ? this.text.length : e;
  }

  /** True when only spaces, then a comment or the end of the line, follow `from`. */
  private restIsBlank(from: number): boolean {
    const t = this.text;
    let i = from;
    while (t.charCodeAt(i) === SPACE) i++;
    const c = t.charCodeAt(i);
    if (Number.isNaN(c) || c === NL) return true;
    return c === HASH && i > from;
  }

  /**
   * The next line with content, from `pos`, skipping blank and comment-only lines; moves `pos`
   * to that line (or to the end). Undefined at the end of the text.
   */
  private nextContent(): ContentLine | undefined {
    const t = this.text;
    let start = this.pos;
    let line = this.lineNo;
    while (start < t.length) {
      let i = start;
      while (t.charCodeAt(i) === SPACE) i++;
      const c = t.charCodeAt(i);
      const e = this.lineEnd(i);
      if (c !== NL && c !== HASH && !Number.isNaN(c)) {
        this.pos = start;
        this.lineNo = line;
        return { start, indent: i - start, line, end: e };
      }
      start = e + 1;
      line++;
    }
    this.pos = t.length;
    this.lineNo = line;
    return undefined;
  }

  private advanceLine(l: ContentLine): void {
    this.pos = l.end + 1;
    this.lineNo = l.line + 1;
  }

  /** Moves past line `l`, from offset `at` on it, where only a comment may follow. */
  private endLineAt(at: number, l: ContentLine): void {
    if (!this.restIsBlank(at)) throw BAIL;
    this.pos = l.end + 1;
    this.lineNo = l.line + 1;
  }

  /**
   * A block node whose first character is at offset `p`, column `col`, on line `l`; its parent
   * is indented `parentIndent` (-1 for the root). Leaves `pos` at the first line after it.
   */
  private blockNode(p: number, col: number, parentIndent: number, l: ContentLine): unknown {
    const t = this.text;
    const c = t.charCodeAt(p);
    const c1 = t.charCodeAt(p + 1);
    if (c === DASH && (c1 === SPACE || c1 === NL || Number.isNaN(c1))) return this.blockSeq(p, col, l);
    const key = this.keyAt(p, l.end);
    if (key !== undefined) return this.blockMap(p, col, l, key);
    return this.inlineValue(p, parentIndent, l);
  }

  /**
   * If a mapping key starts at `p` (on one line, followed by `:` and a space or the end of the
   * line), returns [key, offset after the colon, end of the key's text]. Bails on keys the loader
   * does not handle.
   */
  private keyAt(p: number, lineEnd: number): [string, number, number] | undefined {
    const t = this.text;
    const c = t.charCodeAt(p);
    if (c === 34 || c === 39) {
      const [value, end] = c === 34 ? this.doubleQuoted(p) : this.singleQuoted(p);
      let i = end;
      while (t.charCodeAt(i) === SPACE) i++;
      if (t.charCodeAt(i) !== COLON) return undefined;
      const after = t.charCodeAt(i + 1);
      if (!(after === SPACE || after === NL || Number.isNaN(after))) throw BAIL;
      if (end - p > MAX_KEY) throw BAIL;
      return [value, i + 1, end];
    }
    if (c === 91 || c === 123) return undefined; // a flow collection, or a flow key (not ours)
    // The first `: ` (or `:` at the end of the line) ends the key, unless a comment (` #`) starts
    // before; never searched past the line's end. One scan of char codes: this runs on every line.
    let colon = p;
    for (;;) {
      if (colon === lineEnd) return undefined;
      const x = t.charCodeAt(colon);
      if (x === COLON && (colon + 1 === lineEnd || t.charCodeAt(colon + 1) === SPACE)) break;
      if (x === SPACE && t.charCodeAt(colon + 1) === HASH) return undefined;
      colon++;
    }
    if (colon === p || isIndicatorStart(c)) throw BAIL;
    let k = colon;
    while (t.charCodeAt(k - 1) === SPACE) k--;
    if (k - p > MAX_KEY) throw BAIL;
    const key = t.slice(p, k);
    if (typeof this.resolvePlain(key) !== 'string' || key === '__proto__') throw BAIL;
    return [key, colon + 1, k];
  }

  private blockMap(p: number, col: number, first: ContentLine, firstKey: [string, number, number]): unknown {
    if (++this.depth > MAX_DEPTH) throw BAIL;
    // Check mode builds no mapping: the keys are kept only to find a repeated one.
    const out: Record<string, unknown> | undefined = this.withValues ? {} : undefined;
    const keys = out ? undefined : new KeysSeen();
    const entries = this.withPositions ? new Map<string, MapEntryPos>() : undefined;
    let l = first;
    let at = p;
    let found: [string, number, number] | undefined = firstKey;
    for (;;) {
      if (!found) throw BAIL;
      const [key, afterColon, keyEnd] = found;
      if (key === '__proto__') throw BAIL;
      if (out) {
        if (Object.prototype.hasOwnProperty.call(out, key)) throw BAIL;
        out[key] = this.valueAfter(afterColon, col, l, true);
      } else {
        (keys as KeysSeen).add(key);
        this.valueAfter(afterColon, col, l, true);
      }
      entries?.set(key, { keyStart: at, keyEnd, value: this.lastPos });
      const next = this.nextContent();
      if (!next || next.indent < col || (col === 0 && (this.isMarker(next.start, DASH) || this.isMarker(next.start, 46)))) {
        if (entries) this.lastPos = { kind: 'map', entries };
        this.depth--;
        return out ?? CHECKED;
      }
      if (next.indent > col) throw BAIL;
      l = next;
      at = next.start + col;
      found = this.keyAt(at, next.end);
    }
  }

  private blockSeq(p: number, col: number, first: ContentLine): unknown {
    const t = this.text;
    if (++this.depth > MAX_DEPTH) throw BAIL;
    const out: unknown[] = [];
    const items = this.withPositions ? ([] as NodePos[]) : undefined;
    let l = first;
    let at = p;
    for (;;) {
      const item = this.valueAfter(at + 1, col, l, false);
      if (this.withValues) out.push(item);
      items?.push(this.lastPos);
      const next = this.nextContent();
      let more = next !== undefined && next.indent >= col;
      if (next && more) {
        if (next.indent > col) throw BAIL;
        at = next.start + col;
        const c1 = t.charCodeAt(at + 1);
        more = t.charCodeAt(at) === DASH && (c1 === SPACE || c1 === NL || Number.isNaN(c1)); // else the parent map's next key
        l = next;
      }
      if (!more) {
        if (items) this.lastPos = { kind: 'seq', items };
        this.depth--;
        return this.withValues ? out : CHECKED;
      }
    }
  }

  /**
   * The value after a key's colon or a sequence dash at offset `from` on line `l`, for a node
   * (map or sequence) at column `col`. In a map, a sequence may sit at the key's own column.
   */
  private valueAfter(from: number, col: number, l: ContentLine, inMap: boolean): unknown {
    const t = this.text;
    let i = from;
    while (t.charCodeAt(i) === SPACE) i++;
    const c = t.charCodeAt(i);
    if (c === AMP) return this.anchored(i, col, l, inMap);
    if (c === STAR) return this.alias(i, col, l);
    const comment = c === HASH && i > from;
    if (!(c === NL || Number.isNaN(c) || comment)) {
      if (c === HASH) throw BAIL;
      if (inMap) return this.inlineValue(i, col, l);
      // A compact node after `- `: a map whose keys sit at this column, a nested sequence, ...
      return this.blockNode(i, col + (i - (from - 1)), col, l);
    }
    this.advanceLine(l);
    this.lastPos = OTHER; // an empty value (null) has no position of its own here
    const next = this.nextContent();
    if (!next) return null;
    if (next.indent > col) {
      if (col === -1) throw BAIL;
      return this.blockNode(next.start + next.indent, next.indent, col, next);
    }
    if (inMap && next.indent === col) {
      const at = next.start + col;
      const c1 = t.charCodeAt(at + 1);
      if (t.charCodeAt(at) === DASH && (c1 === SPACE || c1 === NL || Number.isNaN(c1))) return this.blockSeq(at, col, next);
    }
    return null;
  }

  /**
   * `&name` at `p`, then the node it names: on the same line, or the block below it. The node is
   * read as any other and kept for the aliases that follow. Positions of anchored nodes are left
   * to the full parser (ranges are rarely asked for and the anchor's own text lies in between).
   */
  private anchored(p: number, col: number, l: ContentLine, inMap: boolean): unknown {
    const [name, end] = this.nodeName(p);
    if (this.anchors.has(name) || this.anchorsOpen.has(name)) throw BAIL; // redefined: the full parser decides
    this.anchorsOpen.add(name);
    let value: unknown;
    if (this.restIsBlank(end) || end === l.end) {
      // The node is the block below (a mapping or a sequence), as after `key:` with nothing else.
      this.advanceLine(l);
      const next = this.nextContent();
      if (!next || next.indent < col || (next.indent === col && !inMap)) throw BAIL; // an anchored null
      if (next.indent === col) {
        const at = next.start + col;
        const c1 = this.text.charCodeAt(at + 1);
        if (!(this.text.charCodeAt(at) === DASH && (c1 === SPACE || c1 === NL || Number.isNaN(c1)))) throw BAIL;
        value = this.blockSeq(at, col, next);
      } else value = this.blockNode(next.start + next.indent, next.indent, col, next);
    } else {
      let i = end;
      while (this.text.charCodeAt(i) === SPACE) i++;
      const c = this.text.charCodeAt(i);
      // A scalar or flow collection; a compact mapping or a nested anchor is not ours.
      if (c === AMP || c === STAR || c === DASH || this.keyAt(i, l.end) !== undefined) throw BAIL;
      value = this.inlineValue(i, col, l);
    }
    if (value === null || value === undefined) throw BAIL;
    this.anchorsOpen.delete(name);
    this.anchors.set(name, value);
    this.lastPos = OTHER;
    return value;
  }

  /** `*name` at `p` as a whole value: the node its anchor named, earlier in this document. */
  private alias(p: number, parentIndent: number, l: ContentLine): unknown {
    const [name, end] = this.nodeName(p);
    if (!this.anchors.has(name) || ++this.aliases > MAX_ALIASES) throw BAIL;
    this.endLineAt(end, l);
    const next = this.nextContent();
    if (next && next.indent > parentIndent) throw BAIL;
    this.lastPos = OTHER;
    return this.anchors.get(name);
  }

  /** An anchor or alias name after `&`/`*` at `p` (the characters every reader accepts), and where it ends. */
  private nodeName(p: number): [string, number] {
    const t = this.text;
    let e = p + 1;
    while (e < t.length && ANCHOR_CHAR.test(t[e] as string)) e++;
    const after = t.charCodeAt(e);
    if (e === p + 1 || !(after === SPACE || after === NL || Number.isNaN(after))) throw BAIL;
    return [t.slice(p + 1, e), e];
  }

  /**
   * A scalar, block scalar or flow collection starting at `p` on line `l`, inside a node
   * indented `parentIndent`. Nothing more indented than the parent may follow it (that would be
   * a multi-line scalar, or an error).
   */
  private inlineValue(p: number, parentIndent: number, l: ContentLine): unknown {
    const t = this.text;
    const c = t.charCodeAt(p);
    let value: unknown;
    let pos: NodePos = OTHER;
    if (c === 124 || c === 62) {
      this.lastPos = OTHER;
      return this.blockScalar(p, parentIndent, l);
    }
    if (c === 34 || c === 39) {
      const [v, end] = c === 34 ? this.doubleQuoted(p) : this.singleQuoted(p);
      value = v;
      if (this.withPositions) pos = { kind: 'scalar', start: p, end, quoted: true };
      this.endLineAt(end, l);
    } else if (c === 91 || c === 123) {
      const [v, end] = this.flowNode(p);
      value = v;
      this.endLineAt(end, l);
    } else {
      if (isIndicatorStart(c) && !(c === DASH && this.plainDashOk(p))) throw BAIL;
      const e = l.end;
      // A comment starts at ` #`; before it, `: ` or a final `:` would be a nested mapping (`a: b: c`).
      let end = p;
      for (; end < e; end++) {
        const x = t.charCodeAt(end);
        if (x === COLON && (end + 1 === e || t.charCodeAt(end + 1) === SPACE)) throw BAIL;
        if (x === SPACE && t.charCodeAt(end + 1) === HASH) break;
      }
      while (t.charCodeAt(end - 1) === SPACE) end--;
      value = this.resolvePlain(t.slice(p, end));
      if (this.withPositions) pos = { kind: 'scalar', start: p, end, quoted: false };
      this.pos = e + 1;
      this.lineNo = l.line + 1;
    }
    const next = this.nextContent();
    if (next && next.indent > parentIndent) {
      // Only a document marker may follow a root scalar; anything else is not ours.
      if (!(parentIndent === -1 && next.indent === 0 && this.isMarker(next.start, DASH))) throw BAIL;
    }
    this.lastPos = pos;
    return value;
  }

  /** `-` starting a plain scalar: `-1`, `-foo` (not `- `, which is a sequence). */
  private plainDashOk(p: number): boolean {
    const c1 = this.text.charCodeAt(p + 1);
    return !(c1 === SPACE || c1 === NL || Number.isNaN(c1)) && !isFlowIndicator(c1);
  }

  /** `"..."` on one line: [value, offset after the closing quote]. */
  private doubleQuoted(p: number): [string, number] {
    const t = this.text;
    let out = '';
    let run = p + 1;
    for (let i = p + 1; ; i++) {
      const c = t.charCodeAt(i);
      if (Number.isNaN(c) || c === NL) throw BAIL; // multi-line or unterminated
      if (c === 34) return [out + t.slice(run, i), i + 1];
      if (c !== 92) continue;
      out += t.slice(run, i);
      const e = t.charCodeAt(i + 1);
      if (e === 117) {
        // \uXXXX
        const hex = t.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw BAIL;
        const code = parseInt(hex, 16);
        if (code >= 0xd800 && code <= 0xdfff) throw BAIL; // surrogate halves
        out += String.fromCharCode(code);
        i += 4;
      } else {
        const escaped = SIMPLE_ESCAPES.get(e);
        if (escaped === undefined) throw BAIL; // rarer escapes: left to the full parser
        out += escaped;
      }
      i++;
      run = i + 1;
    }
  }

  /** `'...'` on one line: [value, offset after the closing quote]. */
  private singleQuoted(p: number): [string, number] {
    const t = this.text;
    let out = '';
    let run = p + 1;
    for (let i = p + 1; ; i++) {
      const c = t.charCodeAt(i);
      if (Number.isNaN(c) || c === NL) throw BAIL;
      if (c !== 39) continue;
      if (t.charCodeAt(i + 1) === 39) {
        out += t.slice(run, i + 1);
        i++;
        run = i + 1;
        continue;
      }
      return [out + t.slice(run, i), i + 1];
    }
  }

  /** A flow collection that closes on its own line: [value, offset after it]. */
  private flowNode(p: number): [unknown, number] {
    if (++this.depth > MAX_DEPTH) throw BAIL;
    try {
      return this.flowCollection(p);
    } finally {
      this.depth--;
    }
  }

  private flowCollection(p: number): [unknown, number] {
    const t = this.text;
    const open = t.charCodeAt(p);
    const close = open === 91 ? 93 : 125;
    const seq: unknown[] = [];
    const map: Record<string, unknown> = {};
    let i = this.skipFlowSpaces(p + 1);
    if (t.charCodeAt(i) === close) return [open === 91 ? seq : map, i + 1];
    for (;;) {
      if (open === 91) {
        const [v, end] = this.flowItem(i);
        seq.push(v);
        i = this.skipFlowSpaces(end);
        if (t.charCodeAt(i) === COLON) throw BAIL; // a single-pair map inside [...]
      } else {
        const c = t.charCodeAt(i);
        let key: unknown;
        let end: number;
        if (c === 34 || c === 39) [key, end] = c === 34 ? this.doubleQuoted(i) : this.singleQuoted(i);
        else {
          if (isIndicatorStart(c)) throw BAIL;
          end = this.flowPlainEnd(i);
          key = this.resolvePlain(t.slice(i, end));
        }
        if (typeof key !== 'string' || key === '__proto__' || Object.prototype.hasOwnProperty.call(map, key) || end - i > MAX_KEY) throw BAIL;
        i = end;
        if (t.charCodeAt(i) !== COLON || t.charCodeAt(i + 1) !== SPACE) throw BAIL;
        i = this.skipFlowSpaces(i + 1);
        const nc = t.charCodeAt(i);
        if (nc === 44 || nc === close) throw BAIL; // empty value
        const [v, vend] = this.flowItem(i);
        map[key] = v;
        i = this.skipFlowSpaces(vend);
      }
      const c = t.charCodeAt(i);
      if (c === close) return [open === 91 ? seq : map, i + 1];
      if (c !== 44) throw BAIL;
      i = this.skipFlowSpaces(i + 1);
      const after = t.charCodeAt(i);
      if (after === close || after === 44) throw BAIL; // trailing or doubled comma
    }
  }

  private skipFlowSpaces(i: number): number {
    const t = this.text;
    while (t.charCodeAt(i) === SPACE) i++;
    const c = t.charCodeAt(i);
    if (c === NL || Number.isNaN(c) || c === HASH) throw BAIL; // multi-line flow, or a comment in it
    return i;
  }

  private flowItem(i: number): [unknown, number] {
    const t = this.text;
    const c = t.charCodeAt(i);
    if (c === 91 || c === 123) return this.flowNode(i);
    if (c === 34) return this.doubleQuoted(i);
    if (c === 39) return this.singleQuoted(i);
    if (isIndicatorStart(c) && !(c === DASH && this.plainDashOk(i))) throw BAIL;
    const end = this.flowPlainEnd(i);
    return [this.resolvePlain(t.slice(i, end)), end];
  }

  /** End of a plain scalar in a flow collection (trailing spaces excluded). */
  private flowPlainEnd(i: number): number {
    const t = this.text;
    let e = i;
    for (;;) {
      const c = t.charCodeAt(e);
      if (Number.isNaN(c) || c === NL) throw BAIL;
      if (isFlowIndicator(c)) break;
      if (c === COLON) {
        const after = t.charCodeAt(e + 1);
        if (after === SPACE || isFlowIndicator(after)) break;
      }
      if (c === HASH && t.charCodeAt(e - 1) === SPACE) throw BAIL;
      e++;
    }
    while (t.charCodeAt(e - 1) === SPACE) e--;
    if (e === i) throw BAIL;
    return e;
  }

  /**
   * `|` or `>` with an optional chomping indicator, at `p` on line `l`, the value of a node
   * indented `parentIndent`. The content's indentation is that of its first non-empty line.
   */
  private blockScalar(p: number, parentIndent: number, l: ContentLine): string {
    const t = this.text;
    if (parentIndent < 0) throw BAIL;
    const folded = t.charCodeAt(p) === 62;
    let i = p + 1;
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    const ch = t.charCodeAt(i);
    if (ch === DASH) chomp = 'strip';
    else if (ch === 43) chomp = 'keep';
    if (chomp !== 'clip') i++;
    const after = t.charCodeAt(i);
    if (!(after === SPACE || after === NL || Number.isNaN(after))) throw BAIL; // indentation indicators and the like
    if (!this.restIsBlank(i)) throw BAIL;
    // Collect the lines: [start, end) of each, until a non-empty line indented less than the content.
    let start = this.lineEnd(p) + 1;
    let line = l.line + 1;
    if (start > t.length) throw BAIL; // header on the last line without a newline
    let indent = -1;
    const lines: string[] = [];
    let trailingEmpty = 0;
    let leadingEmptyMax = 0;
    while (start < t.length) {
      const e = this.lineEnd(start);
      let s = start;
      while (t.charCodeAt(s) === SPACE) s++;
      const spaces = s - start;
      if (s === e) {
        // A line of spaces only (at the very end without a line break, it adds nothing).
        if (indent !== -1 && spaces > indent) throw BAIL; // spaces that would be content
        if (e === t.length) break;
        if (indent === -1) leadingEmptyMax = Math.max(leadingEmptyMax, spaces);
        lines.push('');
        trailingEmpty++;
      } else {
        if (indent === -1) {
          if (spaces <= parentIndent) break; // an empty block scalar
          indent = spaces;
          if (leadingEmptyMax > indent) throw BAIL;
        } else if (spaces < indent) break;
        if (e === t.length) throw BAIL; // content without a final line break
        const content = t.slice(start + indent, e);
        if (folded && content.charCodeAt(0) === SPACE) throw BAIL; // more-indented lines fold differently
        lines.push(content);
        trailingEmpty = 0;
      }
      start = e + 1;
      line++;
    }
    if (indent === -1) throw BAIL;
    // Lines after the content that are empty belong to the scalar (chomping decides); the
    // terminating line is left for the parent.
    this.pos = Math.min(start, t.length);
    this.lineNo = line;
    const body = lines.slice(0, lines.length - trailingEmpty);
    let text: string;
    if (!folded) text = body.join('\n');
    else {
      text = '';
      let emptyRun = 0;
      let seenContent = false;
      for (const ln of body) {
        if (ln === '') {
          emptyRun++;
          continue;
        }
        if (!seenContent) text += '\n'.repeat(emptyRun);
        else text += emptyRun === 0 ? ' ' : '\n'.repeat(emptyRun);
        text += ln;
        emptyRun = 0;
        seenContent = true;
      }
    }
    if (chomp === 'strip') return text;
    if (chomp === 'clip') return `${text}\n`;
    return `${text}\n${'\n'.repeat(trailingEmpty)}`;
  }
}
