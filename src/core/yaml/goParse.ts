/**
 * The `yaml` package's parse, brought to what go-yaml accepts where the two disagree on syntax
 * (what follows: the Go readers' values and problems; goStream.ts: which documents they read):
 *
 * - Continuation lines of a quoted scalar or a flow collection may be indented less than the
 *   block they sit in (go-yaml does not look at indentation inside them; the `yaml` package, as
 *   the YAML spec, rejects it: "Missing closing quote", "Flow sequence … must be sufficiently
 *   indented"). Such lines are indented for the parse, and every range is mapped back.
 * - go-yaml takes a line that starts with `%` for a directive, which ends the document it is in:
 *   what follows, up to the next `---` line, is never read. Those lines become comments of the
 *   same length (offsets and lines stay) and are reported as ignored.
 *
 * The returned documents have ranges in the given text.
 */
import { isCollection, isScalar, visit, type Document, type Node, type Scalar } from 'yaml';
import { sentence } from './goStream';

export interface GoParse {
  readonly parsed: Document.Parsed[];
  /** The text with the lines go-yaml never reads made comments (same length, same lines). */
  readonly text: string;
  readonly ignored: ReadonlyArray<{ readonly start: number; readonly end: number; readonly message: string }>;
}

/** A directive go-yaml's scanner reads: `%YAML 1.1`, `%TAG !e! prefix`, a comment after. */
const DIRECTIVE = /^%(?:YAML[ \t]+[0-9]+\.[0-9]+|TAG[ \t]+!(?:[0-9A-Za-z_-]*!)?[ \t]+[0-9A-Za-z;/?:@&=+$,_.!~*'()[\]%-]+)[ \t]*(?:#.*)?$/;

/**
 * Whether a directive line at `at` ends a document for go-yaml rather than failing: there is
 * content before it since the last `---` line, or that `---` opens the text (then the document
 * is empty). A directive first in a piece kubectl or kyaml cut has no document after it.
 */
function endsADocument(text: string, at: number): boolean {
  const lines = text.slice(0, at).split('\n');
  lines.pop();
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as string;
    if (/^---(?:[ \t]|$)/.test(line)) return lines.slice(0, i).every((l) => /^[ \t]*(?:#.*)?$/.test(l));
    if (!/^[ \t]*(?:#.*)?$/.test(line)) return true;
  }
  return false;
}

/** Each round fixes one construct; a text needing more is read as it stands. */
const MAX_ROUNDS = 32;

/**
 * Parses `text` with `parse` (the reader's dialect) as go-yaml reads it; `who` names the reader,
 * `v3`: the reader is go-yaml v3 (kyaml).
 */
export function goParse(text: string, parse: (text: string) => Document.Parsed[], who: string, v3: boolean): GoParse {
  const ignored: Array<{ start: number; end: number; message: string }> = [];
  /** Spaces inserted before offsets of `text`, sorted: the indentation added for the parse. */
  const inserts: Array<{ at: number; count: number }> = [];
  let shown = text;
  let parsed = parse(shown);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const first = firstError(parsed);
    if (!first) break;
    const at = toOriginal(inserts, first.pos[0]);
    if (text[at] === '%' && (at === 0 || text[at - 1] === '\n')) {
      // Only a directive go-yaml can scan ends the document; any other `%` line fails it, and so
      // does a directive first in a piece kubectl or kyaml cut (a document must follow it).
      if (!DIRECTIVE.test(text.slice(at, lineEnd(text, at))) || !endsADocument(text, at)) break;
      // go-yaml v3 reads one token past the directive line, with no simple key allowed there: a
      // key or a `-` right on the next line is an error (a blank or comment line between is not).
      const next = text.slice(lineEnd(text, at) + 1).split('\n', 1)[0] as string;
      if (v3 && lineEnd(text, at) < text.length && !/^(?:[ \t]*(?:#.*)?$|---|\.\.\.)/.test(next)) break;
      const separator = /\n---/g;
      separator.lastIndex = at;
      const end = separator.exec(text)?.index ?? text.length;
      ignored.push({ start: at, end: lineEnd(text, at), message: `${sentence(who)} takes a line starting with \`%\` for a directive, which ends the document: this line and what follows up to the next \`---\` are ignored.` });
      // Comment lines of the same length: they end a block scalar, as the `%` line does in go-yaml.
      text = text.slice(0, at) + text.slice(at, end).replace(/[^\n]+/g, (line) => `#${' '.repeat(line.length - 1)}`) + text.slice(end);
    } else {
      const construct = underIndented(first, parsed, shown);
      if (!construct) break;
      const column = construct.start - (shown.lastIndexOf('\n', construct.start - 1) + 1);
      const added = reindent(text, toOriginal(inserts, construct.start), toOriginal(inserts, construct.end), column, inserts);
      if (!added) break;
    }
    shown = withInserts(text, inserts);
    parsed = parse(shown);
  }
  if (inserts.length > 0) for (const doc of parsed) remap(doc, inserts);
  return { parsed, text, ignored };
}

type YamlError = Document.Parsed['errors'][number];

function firstError(parsed: Document.Parsed[]): YamlError | undefined {
  for (const doc of parsed) {
    const first = doc.errors.reduce<YamlError | undefined>((a, e) => (!a || e.pos[0] < a.pos[0] ? e : a), undefined);
    if (first) return first;
  }
  return undefined;
}

/**
 * The quoted scalar or flow collection cut by an under-indented line, as [its start, its true
 * end] in `shown`: the `yaml` package stopped it at the line; go-yaml reads on to the closing
 * quote or bracket.
 */
function underIndented(error: YamlError, parsed: Document.Parsed[], shown: string): { start: number; end: number } | undefined {
  const quote = error.code === 'MISSING_CHAR' && /^Missing closing ['"]quote/.test(error.message);
  const flow = error.code === 'BAD_INDENT' && /^Flow (?:sequence|map) in block collection must be sufficiently indented/.test(error.message);
  if (!quote && !flow) return undefined;
  // The construct that starts last before the error.
  let start = -1;
  for (const doc of parsed) {
    visit(doc, {
      Node(_key, node: Node) {
        const r = node.range;
        if (!r || r[0] > error.pos[0] || r[0] <= start) return;
        if (quote && isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')) start = r[0];
        if (flow && isCollection(node) && node.flow) start = r[0];
      },
    });
  }
  if (start < 0) return undefined;
  const end = quote ? closingQuote(shown, start) : closingBracket(shown, start);
  return end === undefined ? undefined : { start, end };
}

/** The closing quote of the quoted scalar opening at `start`, as go-yaml finds it. */
function closingQuote(text: string, start: number): number | undefined {
  const q = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' && documentMarkerAt(text, i + 1)) return undefined;
    if (q === '"' && c === '\\') i++;
    else if (c === q) {
      if (q === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return undefined;
}

/** The bracket closing the flow collection opening at `start` (quotes and comments skipped). */
function closingBracket(text: string, start: number): number | undefined {
  let depth = 0;
  let tokenStart = true;
  for (let i = start; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\n' && documentMarkerAt(text, i + 1)) return undefined;
    if ((c === '"' || c === "'") && tokenStart) {
      const end = closingQuote(text, i);
      if (end === undefined) return undefined;
      i = end;
      tokenStart = false;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1] as string))) {
      const nl = text.indexOf('\n', i);
      if (nl === -1) return undefined;
      i = nl - 1;
      continue;
    }
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i;
    }
    if (/[[{,:?\s]/.test(c)) tokenStart = true;
    else tokenStart = false;
  }
  return undefined;
}

function documentMarkerAt(text: string, at: number): boolean {
  return (text.startsWith('---', at) || text.startsWith('...', at)) && /^(?:[ \t\r\n]|$)/.test(text.charAt(at + 3));
}

/**
 * Indents every line after the first of [start, end] of the original text to `column` (as the
 * parse sees them, with the spaces already added), recording the spaces in `inserts`. False when
 * no line needed it.
 */
function reindent(text: string, start: number, end: number, column: number, inserts: Array<{ at: number; count: number }>): boolean {
  let added = false;
  for (let nl = text.indexOf('\n', start); nl !== -1 && nl < end; nl = text.indexOf('\n', nl + 1)) {
    const at = nl + 1;
    let indent = 0;
    while (text[at + indent] === ' ') indent++;
    const existing = inserts.find((i) => i.at === at);
    const shownIndent = indent + (existing?.count ?? 0);
    if (shownIndent >= column) continue;
    if (existing) existing.count += column - shownIndent;
    else inserts.push({ at, count: column - shownIndent });
    added = true;
  }
  inserts.sort((a, b) => a.at - b.at);
  return added;
}

function withInserts(text: string, inserts: ReadonlyArray<{ at: number; count: number }>): string {
  let out = '';
  let from = 0;
  for (const i of inserts) {
    out += text.slice(from, i.at) + ' '.repeat(i.count);
    from = i.at;
  }
  return out + text.slice(from);
}

/** An offset of the indented text, in the original text. */
function toOriginal(inserts: ReadonlyArray<{ at: number; count: number }>, offset: number): number {
  let shift = 0;
  for (const i of inserts) {
    const shownAt = i.at + shift;
    if (offset < shownAt) break;
    if (offset < shownAt + i.count) return i.at;
    shift += i.count;
  }
  return offset - shift;
}

/** Every range of a document, and its errors' positions, back in the original text. */
function remap(doc: Document.Parsed, inserts: ReadonlyArray<{ at: number; count: number }>): void {
  const map = (r: [number, number, number]) => {
    r[0] = toOriginal(inserts, r[0]);
    r[1] = toOriginal(inserts, r[1]);
    r[2] = toOriginal(inserts, r[2]);
  };
  map(doc.range);
  visit(doc, {
    Node(_key, node: Node) {
      if (node.range) map(node.range as [number, number, number]);
    },
  });
  for (const e of [...doc.errors, ...doc.warnings]) e.pos = [toOriginal(inserts, e.pos[0]), toOriginal(inserts, e.pos[1])];
}

function lineEnd(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return (nl === -1 ? text.length : nl) - (text[nl - 1] === '\r' ? 1 : 0);
}

/**
 * A tab where go-yaml's scanner stops (`found character that cannot start any token`, `found a
 * tab character that violates indentation`), in [from, to): in the whitespace that starts a
 * line (blank and comment lines included) or follows a block indicator (`- `), unless that
 * whitespace continues a plain scalar ending the line above and the tab sits right of the block
 * holding that scalar. Lines inside a scalar spanning several lines or a flow collection are the
 * scalar's own. go-yaml v3 (`v3`) also reads on through blank and comment lines after a comment.
 * Undefined when none.
 */
export function misplacedTab(text: string, doc: Document.Parsed, from: number, to: number, column: (offset: number) => number, v3: boolean): number | undefined {
  // Spaces, block indicators (`- `, `? `, `: `: a simple key may follow them), then a tab.
  const tabbed = /(?:^|\n)([ ]*(?:[-?:](?=[ \t])[ ]*)*)\t/g;
  tabbed.lastIndex = from > 0 ? from - 1 : 0;
  let layout: Layout | undefined;
  for (let m = tabbed.exec(text); m && m.index < to; m = tabbed.exec(text)) {
    const lineStart = m.index + (m[0].startsWith('\n') ? 1 : 0);
    tabbed.lastIndex = lineStart + m[0].length - (m[0].startsWith('\n') ? 1 : 0);
    if (lineStart < from || lineStart >= to) continue;
    const tab = lineStart + (m[1] as string).length;
    const indicators = /[-?:]/.test(m[1] as string);
    if (!indicators && v3 && /^[ \t]*(?:#.*)?$/.test(lineOf(text, lineStart)) && followsComment(text, lineStart)) continue;
    layout ??= layoutOf(text, doc);
    const at = tabVerdict(text, layout, lineStart, tab, indicators, column);
    if (at !== undefined) return at;
  }
  return undefined;
}

function lineOf(text: string, lineStart: number): string {
  const nl = text.indexOf('\n', lineStart);
  return text.slice(lineStart, nl === -1 ? text.length : nl);
}

/** The nearest line above with content holds a comment (go-yaml v3 reads comment blocks whole). */
function followsComment(text: string, lineStart: number): boolean {
  for (let end = lineStart - 1; end > 0; ) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end);
    if (!/^[ \t]*$/.test(line)) return /(?:^|[ \t])#/.test(line);
    end = start - 1;
  }
  return false;
}

interface ScalarAt {
  readonly node: Scalar;
  /** The collection holding it. */
  readonly parent: Node | undefined;
  readonly isKey: boolean;
}

/** What a document's lines are made of, for tabVerdict: collected once per document. */
interface Layout {
  /** Scalars spanning lines and flow collections, [start, end): their lines are theirs. */
  readonly spans: ReadonlyArray<readonly [number, number]>;
  /** Scalars by where they end. */
  readonly scalars: readonly ScalarAt[];
}

function layoutOf(text: string, doc: Document.Parsed): Layout {
  const spans: Array<[number, number]> = [];
  const scalars: ScalarAt[] = [];
  visit(doc, {
    Node(key, node: Node, path) {
      const r = node.range;
      if (!r) return;
      if ((isScalar(node) && (node.type !== 'PLAIN' || text.slice(r[0], r[1]).includes('\n'))) || (isCollection(node) && node.flow)) spans.push([r[0], r[1]]);
      if (isScalar(node)) scalars.push({ node, parent: [...path].reverse().find((p) => isCollection(p)) as Node | undefined, isKey: key === 'key' });
    },
  });
  scalars.sort((a, b) => (a.node.range?.[1] ?? 0) - (b.node.range?.[1] ?? 0));
  return { spans, scalars };
}

/** Whether go-yaml stops at the tab at `tab`, on the line starting at `lineStart`. */
function tabVerdict(text: string, layout: Layout, lineStart: number, tab: number, indicators: boolean, column: (offset: number) => number): number | undefined {
  if (layout.spans.some(([s, e]) => s < lineStart && e > lineStart)) return undefined;
  if (indicators) return tab;
  // The scalar that comes last before the line (binary search by end).
  let lo = 0;
  let hi = layout.scalars.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((layout.scalars[mid]?.node.range?.[1] ?? 0) <= lineStart) lo = mid + 1;
    else hi = mid;
  }
  const last = layout.scalars[lo - 1];
  // A plain scalar's scan runs on over the blank lines after it and checks tabs against its block.
  const node = last?.node;
  if (last && !last.isKey && node?.type === 'PLAIN' && node.range && last.parent?.range && /^[ \t]*\n(?:[ \t]*\n)*$/.test(text.slice(node.range[1], lineStart))) {
    return column(tab) <= column(last.parent.range[0]) ? tab : undefined;
  }
  return tab;
}
