/**
 * Where a chart's templates read its values: `.Values.a.b`, `$.Values.a.b`, `index .Values "a"
 * "b"` (and `hasKey`/`get` with a literal key), a variable bound to values (`$c := .Values.a`,
 * `range $k, $v := .Values.a`), and the dot inside `with .Values.a` / `range .Values.a` (`.b`).
 * A read under a `range` element has `*` for the element's key or index, so
 * `range $name, $c := .Values.controllers` … `$c.replicas` is `controllers.*.replicas`.
 *
 * This is a scan of the template actions, not an execution: what a helper (`include`) or a
 * function computes from the values is not followed, and a path built at run time is where its
 * literal part ends. It answers "which templates read this key" for go to definition, never
 * whether a key is read at all (no diagnostic rests on it).
 */

/** One read: the values path (`*` for any key or index) and where it is written (offsets in the template). */
export interface TemplateRead {
  path: string[];
  start: number;
  end: number;
}

type Dot = { kind: 'root' } | { kind: 'values'; path: string[] } | { kind: 'unknown' };

interface Block {
  keyword: string;
  dot: Dot;
  outer: Dot;
  vars: Map<string, string[] | undefined>;
}

interface Token {
  kind: 'field' | 'var' | 'dot' | 'ident' | 'string' | 'other' | 'pipe' | 'declare';
  text: string;
  start: number;
  end: number;
}

const TOKEN = /\s+|[0-9][0-9A-Za-z_.]*|("(?:[^"\\\n]|\\.)*")|(`[^`]*`)|('(?:[^'\\]|\\.)*')|(\$[A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)|((?:\.[A-Za-z_][A-Za-z0-9_]*)+)|(\.)|([A-Za-z_][A-Za-z0-9_]*)|(:=|=)|(\|)|(.)/gy;

function tokenize(text: string, base: number): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < text.length && (m = TOKEN.exec(text))) {
    const start = base + m.index;
    const end = start + m[0].length;
    if (m[1] !== undefined || m[2] !== undefined) out.push({ kind: 'string', text: m[1] !== undefined ? unquote(m[1]) : (m[2] as string).slice(1, -1), start, end });
    else if (m[3] !== undefined) out.push({ kind: 'other', text: m[3], start, end });
    else if (m[4] !== undefined) out.push({ kind: 'var', text: m[4], start, end });
    else if (m[5] !== undefined) out.push({ kind: 'field', text: m[5], start, end });
    else if (m[6] !== undefined) out.push({ kind: 'dot', text: '.', start, end });
    else if (m[7] !== undefined) out.push({ kind: 'ident', text: m[7], start, end });
    else if (m[8] !== undefined) out.push({ kind: 'declare', text: m[8], start, end });
    else if (m[9] !== undefined) out.push({ kind: 'pipe', text: '|', start, end });
    else if (m[10] !== undefined) out.push({ kind: 'other', text: m[10], start, end });
  }
  return out;
}

function unquote(s: string): string {
  try {
    return JSON.parse(s) as string;
  } catch {
    return s.slice(1, -1);
  }
}

/** The actions of a template: their inner text and where it starts (comments and trim markers left out). */
function actions(text: string): Array<{ inner: string; start: number }> {
  const out: Array<{ inner: string; start: number }> = [];
  let i = 0;
  while ((i = text.indexOf('{{', i)) >= 0) {
    let start = i + 2;
    if (text.startsWith('- ', start) || text.startsWith('-\t', start) || text.startsWith('-\n', start)) start += 1;
    const trimmed = text.slice(start).trimStart();
    if (trimmed.startsWith('/*')) {
      const close = text.indexOf('*/', start);
      if (close < 0) break;
      const end = text.indexOf('}}', close);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    // The action ends at the first `}}` outside a string.
    let j = start;
    let end = -1;
    while (j < text.length) {
      const c = text[j];
      if (c === '"' || c === "'") {
        j++;
        while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
        j++;
      } else if (c === '`') {
        const close = text.indexOf('`', j + 1);
        j = close < 0 ? text.length : close + 1;
      } else if (c === '}' && text[j + 1] === '}') {
        end = j;
        break;
      } else j++;
    }
    if (end < 0) break;
    let innerEnd = end;
    if (text[end - 1] === '-' && /\s/.test(text[end - 2] ?? '')) innerEnd = end - 1;
    out.push({ inner: text.slice(start, innerEnd), start });
    i = end + 2;
  }
  return out;
}

const BLOCKS = new Set(['if', 'with', 'range', 'define', 'block']);
/** Functions whose literal string arguments go one level deeper into the mapping before them. */
const KEY_FUNCTIONS = new Set(['index', 'hasKey', 'get']);

/** Every values read of one template (see the module comment). */
export function templateValuesReads(text: string): TemplateRead[] {
  const reads: TemplateRead[] = [];
  const stack: Block[] = [{ keyword: 'root', dot: { kind: 'root' }, outer: { kind: 'root' }, vars: new Map() }];
  const top = (): Block => stack[stack.length - 1] as Block;
  const lookup = (name: string): string[] | undefined => {
    for (let i = stack.length - 1; i >= 0; i--) if ((stack[i] as Block).vars.has(name)) return (stack[i] as Block).vars.get(name);
    return undefined;
  };

  /** The values path an operand token names, or undefined. */
  const operand = (t: Token): string[] | undefined => {
    const dot = top().dot;
    if (t.kind === 'dot') return dot.kind === 'values' ? dot.path : undefined;
    if (t.kind === 'field') {
      const fields = t.text.slice(1).split('.');
      if (dot.kind === 'root') return fields[0] === 'Values' ? fields.slice(1) : undefined;
      return dot.kind === 'values' ? [...dot.path, ...fields] : undefined;
    }
    if (t.kind === 'var') {
      const [name, ...fields] = t.text.split('.') as [string, ...string[]];
      // `$` is the data the template was given: the chart's root context in templates and helpers.
      if (name === '$') return fields[0] === 'Values' ? fields.slice(1) : undefined;
      const v = lookup(name);
      return v ? [...v, ...fields] : undefined;
    }
    return undefined;
  };

  /** Records the reads of a command (tokens between pipes) and returns the path it yields when it is only a values path. */
  const command = (tokens: Token[]): string[] | undefined => {
    let yielded: string[] | undefined;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] as Token;
      if (t.kind === 'ident' && KEY_FUNCTIONS.has(t.text)) {
        const target = tokens[i + 1];
        const base = target ? operand(target) : undefined;
        if (!target || !base) continue;
        const keys: string[] = [];
        let j = i + 2;
        for (; j < tokens.length && (tokens[j] as Token).kind === 'string'; j++) keys.push((tokens[j] as Token).text);
        if (keys.length === 0) continue;
        const path = [...base, ...(t.text === 'index' ? keys : keys.slice(0, 1))];
        if (base.length > 0) reads.push({ path: base, start: target.start, end: target.end });
        reads.push({ path, start: t.start, end: (tokens[j - 1] as Token).end });
        if (i === 0 && t.text === 'index' && j === tokens.length) yielded = path;
        i = j - 1;
        continue;
      }
      const p = operand(t);
      if (p === undefined) continue;
      if (p.length > 0) reads.push({ path: p, start: t.start, end: t.end });
      if (tokens.length === 1) yielded = p;
    }
    return yielded;
  };

  /** Records the reads of a pipeline and returns the path it yields when its first command is only a values path. */
  const pipeline = (tokens: Token[]): string[] | undefined => {
    let first: string[] | undefined;
    let cmd: Token[] = [];
    let index = 0;
    const flush = () => {
      const p = command(cmd.filter((t) => t.text !== '(' && t.text !== ')'));
      if (index++ === 0) first = p;
      cmd = [];
    };
    for (const t of tokens) {
      if (t.kind === 'pipe') flush();
      else cmd.push(t);
    }
    flush();
    // `.Values.a | default …` still yields `a` for a `with` or `range`; a function in front does not.
    return first;
  };

  /** `$a := …`, `$k, $v := …`: the variable names and the tokens after the declaration. */
  const declaration = (tokens: Token[]): { names: string[]; rest: Token[] } => {
    const at = tokens.findIndex((t) => t.kind === 'declare');
    if (at < 0 || !tokens.slice(0, at).every((t) => t.kind === 'var' || t.text === ',')) return { names: [], rest: tokens };
    return { names: tokens.slice(0, at).filter((t) => t.kind === 'var').map((t) => t.text), rest: tokens.slice(at + 1) };
  };

  for (const action of actions(text)) {
    const tokens = tokenize(action.inner, action.start);
    const head = tokens[0];
    if (!head) continue;
    const word = head.kind === 'ident' ? head.text : '';
    if (word === 'end') {
      if (stack.length > 1) stack.pop();
      continue;
    }
    if (word === 'else') {
      const block = top();
      block.dot = block.outer;
      const next = tokens[1];
      if (next?.kind === 'ident' && (next.text === 'with' || next.text === 'if')) {
        const { names, rest } = declaration(tokens.slice(2));
        const p = pipeline(rest);
        if (next.text === 'with') {
          block.dot = p ? { kind: 'values', path: p } : { kind: 'unknown' };
          for (const n of names) block.vars.set(n, p);
        }
      }
      continue;
    }
    if (BLOCKS.has(word)) {
      const outer = top().dot;
      const block: Block = { keyword: word, dot: outer, outer, vars: new Map() };
      if (word === 'define' || word === 'block') {
        block.dot = { kind: 'root' };
        if (word === 'block') pipeline(tokens.slice(2));
        stack.push(block);
        continue;
      }
      const { names, rest } = declaration(tokens.slice(1));
      const p = pipeline(rest);
      if (word === 'with') {
        block.dot = p ? { kind: 'values', path: p } : { kind: 'unknown' };
        for (const n of names) block.vars.set(n, p);
      } else if (word === 'range') {
        const element = p ? [...p, '*'] : undefined;
        block.dot = element ? { kind: 'values', path: element } : { kind: 'unknown' };
        // `range $v := …` binds the element; `range $k, $v := …` the key (not values) and the element.
        names.forEach((n, i) => block.vars.set(n, i === names.length - 1 ? element : undefined));
      } else for (const n of names) block.vars.set(n, undefined);
      stack.push(block);
      continue;
    }
    const { names, rest } = declaration(tokens);
    const p = pipeline(rest);
    for (const n of names) {
      // `$x = …` assigns the variable where it was declared; `$x := …` declares it here.
      const assign = tokens.find((t) => t.kind === 'declare')?.text === '=';
      const owner = assign ? [...stack].reverse().find((b) => b.vars.has(n)) : undefined;
      (owner ?? top()).vars.set(n, p);
    }
  }
  return reads;
}

/** Whether a read's path (with `*` for any key) names `path` itself or something under it. */
export function readCovers(read: readonly string[], path: readonly string[]): boolean {
  if (read.length < path.length) return false;
  return path.every((seg, i) => read[i] === '*' || read[i] === seg);
}

/** Whether a read's path is exactly `prefix` (with `*` for any key). */
export function readIs(read: readonly string[], prefix: readonly string[]): boolean {
  return read.length === prefix.length && readCovers(read, prefix);
}
