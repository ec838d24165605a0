/**
 * How deep a YAML text nests, found by one linear scan before any parser sees it. The parsers
 * (and everything that walks their values: the evaluator, the schema checks) recurse once or
 * more per level, so a generated file nesting thousands of levels costs seconds and ends in
 * "Maximum call stack size exceeded" at a depth that depends on how deep the caller's stack
 * already was. Argo CD, kubectl and kustomize (go-yaml) accept up to 10,000 levels, so such a file
 * is not wrong; it is more than Home-Ops checks. The scan says where the limit is passed, so the
 * caller can skip the file with one problem at that position.
 *
 * The count is of structure, not exact YAML depth: each block indentation level, each entry of a
 * compact sequence (`- - x`), each open flow collection. Quoted scalars, block scalars (`|`,
 * `>`), comments and plain scalars (`a[0]`, `don't`) add nothing. An unusual layout may count a
 * level or two more or less than a parser would, far below any limit worth setting.
 */

/** Deeper than this, a file is not parsed; real manifests, values and CRDs stay far below (see nesting.test.ts). */
export const MAX_NESTING = 128;

export interface NestingExcess {
  /** The depth reached at the position (limit + 1). */
  depth: number;
  /** 0-based line and character (UTF-16) where the limit is passed, and the text offset. */
  line: number;
  character: number;
  offset: number;
}

const MAP = 1;
const SEQ = 2;

interface Level {
  /** The indentation of its entries. */
  col: number;
  kind: typeof MAP | typeof SEQ;
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const HASH = 0x23;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const BACKSLASH = 0x5c;
const DASH = 0x2d;
const DOT = 0x2e;
const OPEN_SQ = 0x5b;
const CLOSE_SQ = 0x5d;
const OPEN_CURLY = 0x7b;
const CLOSE_CURLY = 0x7d;
const COMMA = 0x2c;
const PIPE = 0x7c;
const GT = 0x3e;

/** The first place `text` nests deeper than `limit` levels; undefined when it never does. */
export function findExcessiveNesting(text: string, limit = MAX_NESTING): NestingExcess | undefined {
  const n = text.length;
  /** The open block collections, innermost last. */
  const levels: Level[] = [];
  /** The last block line was `key:` with its value on the lines below. */
  let openValue = false;
  let flow = 0;
  /** Inside a quoted scalar that continues on the next line: its quote character, else 0. */
  let quote = 0;
  /** Inside a block scalar: the indentation its content must exceed, else -1. */
  let blockScalar = -1;
  let line = 0;
  for (let start = 0; start < n; line++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    const next = end + 1;
    let i = start;
    while (i < end && text.charCodeAt(i) === SPACE) i++;
    const indent = i - start;
    const blank = i === end || (i === end - 1 && text.charCodeAt(i) === CR);
    if (blockScalar >= 0) {
      if (blank || indent > blockScalar) {
        start = next;
        continue;
      }
      blockScalar = -1;
    }
    if (quote === 0 && flow === 0) {
      if (blank || text.charCodeAt(i) === HASH) {
        start = next;
        continue;
      }
      if (indent === 0 && isDocumentMarker(text, i, end)) {
        levels.length = 0;
        openValue = false;
        start = next;
        continue;
      }
      const isSeq = text.charCodeAt(i) === DASH && isBlankCode(text.charCodeAt(i + 1));
      const kind = isSeq ? SEQ : isMappingEntry(text, i, end) ? MAP : 0;
      while (levels.length > 0 && (levels[levels.length - 1] as Level).col > indent) levels.pop();
      const top = levels[levels.length - 1];
      if (top && top.col === indent) {
        if (kind === SEQ && top.kind === MAP && openValue) {
          // `key:` then `- item` at the key's own indentation: the sequence is the key's value.
          levels.push({ col: indent, kind: SEQ });
        } else if (top.kind !== kind) {
          levels.pop();
          // A sequence at its key's indentation ends where the next key of that mapping starts.
          const under = levels[levels.length - 1];
          if (!(kind === MAP && under && under.col === indent && under.kind === MAP)) {
            if (kind !== 0) levels.push({ col: indent, kind });
          }
        }
      } else if (kind !== 0) {
        // A block sequence or mapping at this indentation is a level; a scalar or flow node here (a
        // value continued from the line above) is not.
        levels.push({ col: indent, kind });
      }
      if (levels.length > limit) return excess(levels.length, line, start, i);
      // Compact sequences: each `- ` but the last opens a nested sequence; the last one's content
      // is a level when it is a mapping (`- key: v`); a scalar is not, and a flow collection
      // counts below.
      let dashes = 0;
      while (i + 1 < end && text.charCodeAt(i) === DASH && isBlankCode(text.charCodeAt(i + 1))) {
        if (dashes > 0) {
          levels.push({ col: i - start, kind: SEQ });
          if (levels.length > limit) return excess(levels.length, line, start, i);
        }
        dashes++;
        i += 2;
        while (i < end && text.charCodeAt(i) === SPACE) i++;
      }
      if (dashes > 0 && i < end && isMappingEntry(text, i, end)) {
        levels.push({ col: i - start, kind: MAP });
        if (levels.length > limit) return excess(levels.length, line, start, i);
      }
    }
    // The rest of the line: quoted scalars (which may go on to the next line), plain scalars,
    // comments, and flow collections, which open only where a node starts.
    let expectNode = quote === 0;
    let afterSpace = true;
    let header = -1;
    let lastSignificant = -1;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (quote !== 0) {
        if (quote === DQUOTE && c === BACKSLASH) i++;
        else if (c === quote) {
          if (quote === SQUOTE && i + 1 < end && text.charCodeAt(i + 1) === SQUOTE) i++;
          else {
            quote = 0;
            lastSignificant = i;
            afterSpace = false;
          }
        }
        continue;
      }
      if (c === SPACE || c === TAB || c === CR) {
        afterSpace = true;
        continue;
      }
      if (c === HASH && afterSpace) break;
      const spaced = afterSpace;
      afterSpace = false;
      lastSignificant = i;
      if (expectNode) {
        if (c === DQUOTE || c === SQUOTE) {
          quote = c;
          expectNode = false;
        } else if (c === OPEN_SQ || c === OPEN_CURLY) {
          flow++;
          if (levels.length + flow > limit) return excess(levels.length + flow, line, start, i);
        } else if (c === 0x26 /* & */ || c === 0x21 /* ! */) {
          // An anchor or a tag: the node follows it.
          while (i + 1 < end && !isBlankCode(text.charCodeAt(i + 1))) i++;
        } else if (flow > 0 && (c === CLOSE_SQ || c === CLOSE_CURLY)) {
          flow--;
          expectNode = false;
        } else if (flow > 0 && c === COMMA) {
          // An empty entry; the next node starts after it.
        } else {
          if ((c === PIPE || c === GT) && flow === 0) header = i;
          expectNode = false;
        }
        continue;
      }
      // Inside a scalar (or after a node): what ends it and lets the next node start.
      const next1 = i + 1 < end ? text.charCodeAt(i + 1) : LF;
      if (c === 0x3a /* : */ && (isBlankCode(next1) || (flow > 0 && (next1 === COMMA || next1 === OPEN_SQ || next1 === OPEN_CURLY || next1 === CLOSE_SQ || next1 === CLOSE_CURLY || text.charCodeAt(i - 1) === DQUOTE || text.charCodeAt(i - 1) === SQUOTE)))) {
        expectNode = true;
      } else if (flow > 0 && c === COMMA) {
        expectNode = true;
      } else if (flow > 0 && (c === CLOSE_SQ || c === CLOSE_CURLY)) {
        flow--;
      } else if (flow > 0 && (c === OPEN_SQ || c === OPEN_CURLY) && spaced) {
        // Not valid inside a flow scalar: the parser reads a collection.
        flow++;
        if (levels.length + flow > limit) return excess(levels.length + flow, line, start, i);
        expectNode = true;
      }
    }
    // A block scalar header (`|`, `>-`, `|2+`…) ending a block line: its content follows, more
    // indented than the mapping or sequence it is a value of.
    if (quote === 0 && flow === 0 && header >= 0 && lastSignificant >= header && isBlockScalarHeader(text, header, lastSignificant)) blockScalar = levels[levels.length - 1]?.col ?? indent;
    if (quote === 0 && flow === 0) openValue = expectNode && lastSignificant >= 0 && text.charCodeAt(lastSignificant) === 0x3a;
    start = next;
  }
  return undefined;
}

function isBlankCode(c: number): boolean {
  return c === SPACE || c === TAB || c === CR || c === LF || Number.isNaN(c);
}

function isDocumentMarker(text: string, i: number, end: number): boolean {
  const c = text.charCodeAt(i);
  if ((c !== DASH && c !== DOT) || text.charCodeAt(i + 1) !== c || text.charCodeAt(i + 2) !== c) return false;
  return i + 3 >= end || isBlankCode(text.charCodeAt(i + 3));
}

/** Whether `header..last` is a block scalar header: `|` or `>`, then chomping (`+`, `-`) and indentation (1-9) indicators. */
function isBlockScalarHeader(text: string, header: number, last: number): boolean {
  for (let j = header + 1; j <= last; j++) {
    const c = text.charCodeAt(j);
    if (!(c === 0x2b /* + */ || c === DASH || (c >= 0x31 && c <= 0x39))) return false;
  }
  return true;
}

/** Whether a node starting at `i` is a mapping entry (`key: value`, `"key": v`, `key:`), not a scalar. */
function isMappingEntry(text: string, i: number, end: number): boolean {
  let j = i;
  const q = text.charCodeAt(j);
  if (q === DQUOTE || q === SQUOTE) {
    for (j++; j < end; j++) {
      const c = text.charCodeAt(j);
      if (q === DQUOTE && c === BACKSLASH) j++;
      else if (c === q) {
        if (q === SQUOTE && text.charCodeAt(j + 1) === SQUOTE) j++;
        else break;
      }
    }
    j++;
    while (j < end && text.charCodeAt(j) === SPACE) j++;
    return j < end && text.charCodeAt(j) === 0x3a && isBlankCode(text.charCodeAt(j + 1));
  }
  if (q === OPEN_SQ || q === OPEN_CURLY || q === PIPE || q === GT || q === HASH) return false;
  for (; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x3a && isBlankCode(text.charCodeAt(j + 1))) return true;
    if (c === HASH && isBlankCode(text.charCodeAt(j - 1))) return false;
  }
  return false;
}

function excess(depth: number, line: number, lineStart: number, at: number): NestingExcess {
  return { depth, line, character: at - lineStart, offset: at };
}

/** The sentence for a text that passes the limit: where, and why it is not read. */
export function nestingMessage(what: string, excess: NestingExcess, limit = MAX_NESTING): string {
  return `${what} nests deeper than ${limit} levels (line ${excess.line + 1}, column ${excess.character + 1}); Home-Ops does not read it, so it is not checked. Argo CD, kubectl and kustomize read up to 10,000 levels.`;
}

/** A text not read because it nests deeper than the limit: callers report it as a warning (`nesting-too-deep`), not as a failure of Argo CD. */
export class NestingLimitError extends Error {
  constructor(
    what: string,
    readonly excess: NestingExcess,
  ) {
    super(nestingMessage(what, excess));
    this.name = 'NestingLimitError';
  }
}
