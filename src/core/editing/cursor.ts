/**
 * Where the cursor is in a YAML document, for completion. While someone types, the document is
 * usually not valid YAML (`  templ` with no colon yet, an unfinished `{{`), and a parser's tree
 * for broken input says little about what was meant. Block YAML's structure is in its
 * indentation, so the path is read from the lines above the cursor instead: the nearest less
 * indented key is the parent, `- ` markers at one column are the items of one list.
 */

export type CursorPath = Array<string | number>;

export type CursorContext =
  /** Where a key of the object at `path` goes; `siblings` are the keys it already has. */
  | { kind: 'key'; path: CursorPath; prefix: string; start: number; siblings: string[]; inListItem: boolean; restOfLine: string }
  /** After `key:` on the cursor's line (`path` ends with the key) or a bare `- ` list item. */
  | { kind: 'value'; path: CursorPath; prefix: string; start: number }
  /** Inside a block scalar (`key: |`) or a multi-line string: `path` is the string's key. */
  | { kind: 'text'; path: CursorPath };

interface Token {
  type: 'dash' | 'key' | 'scalar';
  col: number;
  name?: string;
  /** For keys: what follows the colon on the line (comment removed). */
  rest?: string;
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[\]},&*!|>%@`-][^#]*?|-[^\s#][^#]*?)\s*:(?=\s|$)/;

function unquote(key: string): string {
  if (key.startsWith('"')) {
    try {
      return JSON.parse(key) as string;
    } catch {
      return key.slice(1, -1);
    }
  }
  if (key.startsWith("'")) return key.slice(1, -1).replace(/''/g, "'");
  return key;
}

function stripComment(s: string): string {
  const m = /(^|\s)#/.exec(s);
  return (m ? s.slice(0, m.index) : s).trim();
}

/** The structure tokens of one line, left to right; empty for blank and comment lines. */
function tokens(line: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < line.length && line[i] === ' ') i++;
  if (i >= line.length || line[i] === '#') return out;
  for (;;) {
    if (line[i] === '-' && (i + 1 === line.length || line[i + 1] === ' ' || line[i + 1] === '\t')) {
      out.push({ type: 'dash', col: i });
      i++;
      while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
      if (i >= line.length || line[i] === '#') return out;
      continue;
    }
    break;
  }
  const rest = line.slice(i);
  const m = KEY.exec(rest);
  if (m) out.push({ type: 'key', col: i, name: unquote((m[1] as string).trim()), rest: stripComment(rest.slice(m[0].length)) });
  else out.push({ type: 'scalar', col: i });
  return out;
}

/** A key's value that continues below it: a block scalar, or a string the line does not finish. */
function opensText(rest: string): boolean {
  if (rest === '') return false;
  if (/^[|>][-+0-9]*$/.test(rest)) return true;
  // `key: value` with the cursor on a deeper line: a multi-line plain or quoted string.
  return !rest.startsWith('{') && !rest.startsWith('[') && !rest.startsWith('&') && !rest.startsWith('!');
}

interface Walk {
  path: CursorPath;
  /** True when the cursor turned out to be inside a string value (see CursorContext 'text'). */
  text: boolean;
}

/**
 * The path of the node that a key at column `col` (or, with `item`, a new list item whose dash
 * is at `col`) on line `line` belongs to, from the lines `first..line-1` above it.
 */
function ancestors(lines: readonly string[], first: number, line: number, col: number, item: boolean): Walk {
  const path: CursorPath = [];
  let state: { kind: 'key' | 'item'; col: number; index: number } = { kind: item ? 'item' : 'key', col, index: 0 };
  const enterItem = (dashCol: number) => {
    state = { kind: 'item', col: dashCol, index: 0 };
  };
  for (let l = line - 1; l >= first; l--) {
    const toks = tokens(lines[l] as string);
    for (let t = toks.length - 1; t >= 0; t--) {
      const tok = toks[t] as Token;
      const next = toks[t + 1];
      if (state.kind === 'key') {
        if (tok.type === 'key' && tok.col < state.col) {
          if (opensText(tok.rest ?? '')) return { path: [...ancestors(lines, first, l, tok.col, false).path, tok.name as string], text: true };
          path.unshift(tok.name as string);
          state = { kind: 'key', col: tok.col, index: 0 };
        } else if (tok.type === 'dash') {
          const contentCol = next ? next.col : undefined;
          if (contentCol === state.col || (contentCol === undefined && tok.col < state.col)) enterItem(tok.col);
          else if (tok.col < state.col && t === 0) {
            // A list item less indented than the cursor that holds something else: the cursor is
            // inside a scalar item spanning lines, or the indentation is broken. Stop here.
            return { path, text: false };
          }
        }
      } else {
        if (tok.type === 'dash' && tok.col === state.col) state.index++;
        else if (tok.type === 'dash' && tok.col < state.col && next?.col === state.col) {
          path.unshift(state.index);
          enterItem(tok.col);
        } else if (tok.type === 'key' && tok.col <= state.col) {
          // A key at the dash's column is the list's owner too (`key:` then `- item` unindented).
          path.unshift(state.index);
          path.unshift(tok.name as string);
          state = { kind: 'key', col: tok.col, index: 0 };
        }
      }
    }
  }
  if (state.kind === 'item') path.unshift(state.index);
  return { path, text: false };
}

/** Keys at column `col` of the same object, above and below the cursor line. */
function siblingKeys(lines: readonly string[], first: number, last: number, line: number, col: number): string[] {
  const out: string[] = [];
  // Upwards the object ends at a less indented line, which still counts when it is the
  // object's first line (`- key:` opening a list item); downwards such a line is outside.
  for (let l = line - 1; l >= first; l--) {
    const toks = tokens(lines[l] as string);
    if (toks.length === 0) continue;
    const key = toks.find((t) => t.type === 'key');
    if (key && key.col === col) out.push(key.name as string);
    if ((toks[0] as Token).col < col) break;
  }
  for (let l = line + 1; l <= last; l++) {
    const toks = tokens(lines[l] as string);
    if (toks.length === 0) continue;
    if ((toks[0] as Token).col < col) break;
    const key = toks.find((t) => t.type === 'key');
    if (key && key.col === col) out.push(key.name as string);
  }
  return out;
}

/** First and last line (inclusive) of the YAML document holding `line`. */
function documentLines(lines: readonly string[], line: number): [number, number] {
  let first = 0;
  for (let l = line; l >= 0; l--) {
    if (/^(---|\.\.\.)(\s|$)/.test(lines[l] as string) && l !== line) {
      first = l + 1;
      break;
    }
  }
  let last = lines.length - 1;
  for (let l = line + 1; l < lines.length; l++) {
    if (/^(---|\.\.\.)(\s|$)/.test(lines[l] as string)) {
      last = l - 1;
      break;
    }
  }
  return [first, last];
}

interface LineAt {
  lines: string[];
  line: number;
  first: number;
  last: number;
  before: string;
  after: string;
}

function lineAt(text: string, offset: number): LineAt {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const line = countLines(text, lineStart);
  const current = lines[line] ?? '';
  const [first, last] = documentLines(lines, line);
  return { lines, line, first, last, before: current.slice(0, offset - lineStart), after: current.slice(offset - lineStart) };
}

/**
 * The path of the string value the cursor is in (a `key: value` on its line, a list item, a
 * line of a block scalar), whatever the text before the cursor looks like.
 */
export function scalarPathAt(text: string, offset: number): CursorPath | undefined {
  const { lines, line, first, before } = lineAt(text, offset);
  const toks = tokens(before);
  const dashes = toks.filter((t) => t.type === 'dash');
  const head = toks.find((t) => t.type !== 'dash');
  if (head?.type === 'key') {
    const walk = dashes.length ? itemWalk(lines, first, line, dashes) : ancestors(lines, first, line, head.col, false);
    return walk.text ? walk.path : [...walk.path, head.name as string];
  }
  if (dashes.length) return itemWalk(lines, first, line, dashes).path;
  if (!head) return undefined;
  const walk = ancestors(lines, first, line, head.col, false);
  return walk.text ? walk.path : undefined;
}

/** The completion context at `offset`; undefined where no completion applies (flow collections, comments). */
export function cursorContext(text: string, offset: number): CursorContext | undefined {
  const { lines, line, first, last, before, after } = lineAt(text, offset);
  if (/^(---|\.\.\.)/.test(before)) return undefined;
  const toks = tokens(before);
  const dashes = toks.filter((t) => t.type === 'dash');
  const head = toks.find((t) => t.type !== 'dash');
  if (before.trimStart().startsWith('#') || (head && /(^|\s)#/.test(before.slice(head.col)))) return undefined;

  if (head?.type === 'key') {
    // After `key:` on this line: a value position (unless a flow collection opens).
    const valueText = before.slice(head.col).replace(KEY, '');
    const prefix = valueText.trimStart();
    if (/^[[{]/.test(prefix)) return undefined;
    const walk = dashes.length ? itemWalk(lines, first, line, dashes) : ancestors(lines, first, line, head.col, false);
    if (walk.text) return { kind: 'text', path: walk.path };
    return { kind: 'value', path: [...walk.path, head.name as string], prefix, start: offset - prefix.length };
  }
  const word = head ? before.slice(head.col) : '';
  if (!/^[\w.\-/"']*$/.test(word)) return undefined;
  const col = head ? head.col : dashes.length ? (dashes[dashes.length - 1] as Token).col + 2 : before.length;
  const walk = dashes.length ? itemWalk(lines, first, line, dashes) : ancestors(lines, first, line, col, false);
  if (walk.text) return { kind: 'text', path: walk.path };
  // A new list item has no keys yet (the lines above belong to the previous item).
  const siblings = dashes.length ? [] : siblingKeys(lines, first, last, line, col);
  return { kind: 'key', path: walk.path, prefix: word, start: offset - word.length, siblings, inListItem: dashes.length > 0, restOfLine: after };
}

/** Path of a key at `col` on a line that starts new list item(s) (`- key`, `- - key`). */
function itemWalk(lines: readonly string[], first: number, line: number, dashes: Token[]): Walk {
  // The outermost dash on the line is a new item of the list above; inner dashes start lists
  // inside it at index 0.
  const outer = ancestors(lines, first, line, (dashes[0] as Token).col, true);
  if (outer.text) return outer;
  return { path: [...outer.path, ...dashes.slice(1).map(() => 0)], text: false };
}

function countLines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
