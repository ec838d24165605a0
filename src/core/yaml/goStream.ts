/**
 * Which parts of a text the Go readers read. The `yaml` package reads a YAML stream as the spec
 * says; the Go readers do not:
 *
 * - kubectl and Argo CD (k8s.io/apimachinery's YAMLReader) cut the file themselves at every line
 *   that starts with `---`, and reject such a line with anything but a comment after the dashes
 *   (`--- a`, `----`); kustomize's kyaml cuts at `\n---…\n` with the same rule (its first line
 *   excepted). So a `%YAML` directive, which must precede a `---`, ends up alone: an error.
 * - go-yaml decodes one document per piece, and of it the top-level node only: what follows that
 *   node is never read — a `...` and the text after it up to the next `---`, or lines indented
 *   less than an indented top-level map, which the `yaml` package reports as errors.
 *
 * Held to the Go readers by test/unit/yaml/readers.test.ts.
 */
import { isMap, isScalar, isSeq, type Document } from 'yaml';

/** A reader's name (`kustomize`, `the ApplicationSet controller`) to start a sentence with. */
export function sentence(who: string): string {
  return who.charAt(0).toUpperCase() + who.slice(1);
}

/** How a reader cuts a text: the first document only, or kubectl's or kyaml's pieces. */
export type Splitter = 'first' | 'manifests' | 'kyaml';

export interface ReadDocument {
  readonly doc: Document.Parsed;
  /** Index of the document in the file (as the `yaml` package counts them). */
  readonly index: number;
  /** Errors from this offset on are after the document's top-level node: never read. */
  readonly ignoreFrom?: number;
}

export interface StreamNote {
  readonly start: number;
  readonly end: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface StreamReading {
  readonly docs: ReadDocument[];
  readonly notes: StreamNote[];
}

/**
 * The documents of `parsed` (the `yaml` package's reading of `text`) that the reader reads, and
 * what it says about the rest; `who` names the reader, `column` gives an offset's column.
 * `original` is the text before go-yaml's other line breaks became `\n`; `ignored`, the offsets
 * of the `%` lines that end a document (goParse.ts).
 */
export function goStream(text: string, original: string, parsed: Document.Parsed[], splitter: Splitter, who: string, column: (offset: number) => number, ignored: readonly number[] = []): StreamReading {
  /** Where go-yaml stops reading at or after `from` (a `%` line goParse found), else `to`. */
  const stopsBy = (from: number, to: number) => ignored.find((at) => at >= from && at < to) ?? to;
  const notes: StreamNote[] = [];
  const opening = parsed[0] ? openingProblem(text, parsed[0], who) : undefined;
  if (splitter === 'first') {
    const doc = parsed[0];
    const read = doc ? readDocument(text, doc, 0, who, column, notes) : undefined;
    // go-yaml's reader checks characters as it decodes its input, 512 bytes at a time, a little
    // ahead of the end of what it reads.
    const readTo = stopsBy(0, read?.ignoreFrom ?? parsed[1]?.range[0] ?? text.length);
    const unprintable = firstUnprintable(original, 0, decodedUpTo(original, readTo + 4, 0));
    if (unprintable) return { docs: [], notes: [unprintableNote(unprintable, who)] };
    if (opening) return { docs: [], notes: [opening] };
    return { docs: read ? [read] : [], notes };
  }
  // The reader stops at the first piece it cannot read: nothing from there on is read.
  let stop = text.length + 1;
  // The splitters cut at `\n` only (`text` has every line break go-yaml knows as `\n`).
  const separator = badSeparator(original, splitter);
  if (separator) {
    stop = separator.start;
    notes.push({ ...separator, severity: 'error', message: `${sentence(who)} reads a line starting with \`---\` as a document separator and rejects anything after it but a comment (\`${separator.text}\`); put the content on the next line.` });
  }
  if (opening && opening.start < stop) {
    stop = opening.start;
    notes.push(opening);
  }
  const docs: ReadDocument[] = [];
  let previousEnd = 0;
  /** Where the piece being read began (after the previous piece), for go-yaml's reader. */
  let pieceStart = 0;
  /** Where each document's piece ends: at the next document that starts with `---`. */
  const pieceEnds: number[] = [];
  for (let i = parsed.length - 1, end = text.length; i >= 0; i--) {
    pieceEnds[i] = end;
    if ((parsed[i] as Document.Parsed).directives.docStart === true) end = (parsed[i] as Document.Parsed).range[0];
  }
  for (const [index, doc] of parsed.entries()) {
    const start = doc.range[0];
    const directive = directiveStartingPiece(text, previousEnd, start);
    if (directive !== undefined && directive < stop) {
      stop = directive;
      notes.push({ start: directive, end: lineEndOf(text, directive), severity: 'error', message: `${sentence(who)} cannot read a \`%\` directive here: it cuts the file at \`---\` lines before reading YAML, which leaves the directive without its document. Remove the line.` });
    }
    previousEnd = doc.range[2];
    if (start >= stop) break;
    if (index > 0 && doc.directives.docStart !== true) {
      // After `...`: go-yaml ended the piece's document there and never reads on to the next `---`.
      const r = doc.contents?.range ?? doc.range;
      notes.push({ start: r[0], end: r[0], severity: 'warning', message: `This follows an end-of-document marker (\`...\`) without a \`---\` line: ${who} ignores it, up to the next \`---\`.` });
      continue;
    }
    const read = readDocument(text, doc, index, who, column, notes);
    // go-yaml's reader checks characters as it decodes a piece, 512 bytes at a time, a little past
    // what it reads of it: the document, up to what follows its top-level node or its `...`.
    const next = parsed[index + 1];
    const pieceEnd = pieceEnds[index] as number;
    const readTo = stopsBy(pieceStart, Math.min(read.ignoreFrom ?? pieceEnd, next && next.directives.docStart !== true ? next.range[0] : pieceEnd));
    const unprintable = firstUnprintable(original, pieceStart, Math.min(pieceEnd, decodedUpTo(original, readTo + 4, pieceStart)));
    pieceStart = pieceEnd;
    if (unprintable && unprintable.at < stop) {
      notes.push(unprintableNote(unprintable, who));
      break;
    }
    docs.push(read);
  }
  return { docs, notes };
}

/**
 * What go-yaml rejects at the start of a text: a `...` before any content (it finds no node), a
 * `%YAML` directive for another version than 1.1.
 */
function openingProblem(text: string, doc: Document.Parsed, who: string): StreamNote | undefined {
  const head = text.slice(0, doc.range[0]);
  const version = /(?:^|\n)%YAML[ \t]+([^\s#]+)/.exec(head);
  if (version && version[1] !== '1.1') {
    const at = version.index + (version[0].startsWith('\n') ? 1 : 0);
    return { start: at, end: lineEndOf(text, at), severity: 'error', message: `${sentence(who)} reads YAML 1.1 documents only and rejects \`%YAML ${version[1]}\` ("found incompatible YAML document"). Remove the line.` };
  }
  const empty = doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null && doc.contents.range[0] === doc.contents.range[1]);
  if (doc.directives.docStart !== true && empty) {
    const end = /(?:^|\n)\.\.\.(?=[ \t\r\n]|$)/.exec(text.slice(doc.range[0], doc.range[2]));
    if (end) {
      const at = doc.range[0] + end.index + (end[0].startsWith('\n') ? 1 : 0);
      return { start: at, end: at + 3, severity: 'error', message: `An end-of-document marker (\`...\`) before any content: ${who} finds no document here and rejects the file. Remove the line.` };
    }
  }
  return undefined;
}

/**
 * A `%` directive line between `from` and `to` that starts its piece (only blank and comment
 * lines since the last `---` line): go-yaml finds no document after it. A directive after
 * content is past that content's top-level node, where nothing is read.
 */
function directiveStartingPiece(text: string, from: number, to: number): number | undefined {
  const m = /(?:^|\n)%/.exec(text.slice(from, to));
  if (!m) return undefined;
  const at = from + m.index + (m[0].length - 1);
  const lines = text.slice(0, at).split('\n');
  lines.pop();
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as string;
    if (line.startsWith('---')) return at;
    if (!/^\s*(?:#.*)?$/.test(line)) return undefined;
  }
  return at;
}

function lineEndOf(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return (nl === -1 ? text.length : nl) - (text[nl - 1] === '\r' ? 1 : 0);
}

/** What go-yaml's reader accepts: tab, line breaks, and the printable characters of Unicode. */
// (UTF-16 units: a surrogate, paired or not, is a character outside the BMP or, read from a file,
// could only be one; alone it is written out as U+FFFD, printable too.)
const UNPRINTABLE = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ud800-\udfff\ue000-\ufffd]/;

function firstUnprintable(text: string, from: number, to: number): { at: number; code: number } | undefined {
  const m = UNPRINTABLE.exec(text.slice(from, to));
  return m ? { at: from + m.index, code: m[0].charCodeAt(0) } : undefined;
}

/**
 * The offset where go-yaml's reader has decoded the text to, once it has read to `offset` of
 * the piece starting at `from`: its input is decoded 512 bytes at a time.
 */
function decodedUpTo(text: string, offset: number, from: number): number {
  const end = Math.min(offset, text.length);
  const bytes = Buffer.byteLength(text.slice(from, end), 'utf8');
  const decoded = Math.ceil(bytes / 512) * 512;
  if (decoded >= Buffer.byteLength(text.slice(from), 'utf8')) return text.length;
  // Back from bytes to characters, from `end` on.
  let at = end;
  for (let b = bytes; at < text.length; at++) {
    const c = text.codePointAt(at) as number;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (b + size > decoded) break;
    b += size;
    if (c >= 0x10000) at++;
  }
  return at;
}

function unprintableNote(u: { at: number; code: number }, who: string): StreamNote {
  const name = `U+${u.code.toString(16).toUpperCase().padStart(4, '0')}`;
  return { start: u.at, end: u.at + 1, severity: 'error', message: `A control character (${name}) is in the file; ${who} rejects it: YAML allows only printable characters, tabs and line breaks.` };
}

/**
 * A document, with the offset from which its errors are past its top-level node: what go-yaml
 * never reads. The top-level node ends at the node itself for a scalar or a flow collection, and
 * at the first line indented less than it for a block map or list (nothing is indented less than
 * column 0: there, what follows is part of it).
 */
function readDocument(text: string, doc: Document.Parsed, index: number, who: string, column: (offset: number) => number, notes: StreamNote[]): ReadDocument {
  const root = doc.contents;
  const first = doc.errors.reduce<(typeof doc.errors)[number] | undefined>((a, e) => (!a || e.pos[0] < a.pos[0] ? e : a), undefined);
  if (!first) return { doc, index };
  // go-yaml ends a document at a `---` or `...` marker and reads nothing after it on that line.
  const lineStart = text.lastIndexOf('\n', first.pos[0] - 1) + 1;
  const marker = /^(?:---|\.\.\.)(?:[ \t]|$)/.test(text.slice(lineStart, lineStart + 4)) && first.pos[0] >= lineStart + 3;
  // (Not the document's own `---`: what follows it on the line is the document.)
  if (marker && !(text.startsWith('---', lineStart) && lineStart <= doc.range[0])) {
    notes.push({ start: first.pos[0], end: Math.max(first.pos[1], first.pos[0]), severity: 'warning', message: `${sentence(who)} reads nothing after a document marker on its line: this is ignored.` });
    return { doc, index, ignoreFrom: first.pos[0] };
  }
  // Only a token the `yaml` package found where the node had ended (not, say, a quote left open).
  if (!root || first.code !== 'UNEXPECTED_TOKEN' || first.pos[0] < root.range[1]) return { doc, index };
  const block = (isMap(root) || isSeq(root)) && !root.flow;
  // A `%` line at column 0 ends the top-level node too (go-yaml takes it for a directive).
  const directive = column(first.pos[0]) === 0 && text[first.pos[0]] === '%';
  if (block && !directive && column(first.pos[0]) >= column(root.range[0])) return { doc, index };
  const at = first.pos[0];
  notes.push({
    start: at,
    end: Math.max(first.pos[1], at),
    severity: 'warning',
    message: block
      ? `This line is indented less than the top-level ${isMap(root) ? 'map' : 'list'} above it, so it is outside the document: ${who} ignores it and everything after it up to the next \`---\`. Check its indentation.`
      : `${sentence(who)} reads a document's first node only: this and everything after it up to the next \`---\` is ignored.`,
  });
  return { doc, index, ignoreFrom: at };
}

/** The first line the reader rejects as a separator: `---` followed by something not a comment. */
function badSeparator(text: string, splitter: 'manifests' | 'kyaml'): { start: number; end: number; text: string } | undefined {
  const bad = (start: number, end: number) => {
    const rest = text.slice(start + 3, end).trim();
    return rest.length > 0 && !rest.startsWith('#') ? { start, end: start + text.slice(start, end).trimEnd().length, text: text.slice(start, end).trim() } : undefined;
  };
  if (splitter === 'kyaml') {
    // kyaml's own pattern, `\n---.*\n`, matched as Go does (no overlap; `.` is anything but \n).
    const sep = /\n---[^\n]*\n/g;
    for (let m = sep.exec(text); m; m = sep.exec(text)) {
      const found = bad(m.index + 1, m.index + m[0].length - 1);
      if (found) return found;
    }
    return undefined;
  }
  // apimachinery's YAMLReader: every line that starts with `---`.
  for (let lineStart = 0; lineStart < text.length; ) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl === -1 ? text.length : nl;
    if (text.startsWith('---', lineStart)) {
      const found = bad(lineStart, lineEnd);
      if (found) return found;
    }
    if (nl === -1) break;
    lineStart = nl + 1;
  }
  return undefined;
}
