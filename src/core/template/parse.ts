/**
 * The parse tree and parser of Go's text/template (`text/template/parse/parse.go`, `node.go`).
 * Node positions and `String()` forms follow Go, because execution errors quote them
 * (`template: NAME:1:3: executing "NAME" at <.a.b>: ...`).
 */
import { GoTemplateError, goLineCol } from './errors';
import { Item, Lexer, type Token, tokenString } from './lexer';
import { quote } from './fmt';
import { goBytesToString } from './value';

export type Node = ListNode | TextNode | CommentNode | ActionNode | IfNode | RangeNode | WithNode | TemplateNode | BreakNode | ContinueNode;

export type ArgNode =
  | FieldNode
  | ChainNode
  | IdentifierNode
  | PipeNode
  | VariableNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode;

export interface ListNode {
  type: 'list';
  pos: number;
  nodes: Node[];
}
export interface TextNode {
  type: 'text';
  pos: number;
  text: string;
}
export interface CommentNode {
  type: 'comment';
  pos: number;
  text: string;
}
export interface ActionNode {
  type: 'action';
  pos: number;
  pipe: PipeNode;
}
export interface BranchNode<T extends 'if' | 'range' | 'with'> {
  type: T;
  pos: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | undefined;
}
export type IfNode = BranchNode<'if'>;
export type RangeNode = BranchNode<'range'>;
export type WithNode = BranchNode<'with'>;
export interface TemplateNode {
  type: 'template';
  pos: number;
  name: string;
  pipe: PipeNode | undefined;
}
export interface BreakNode {
  type: 'break';
  pos: number;
}
export interface ContinueNode {
  type: 'continue';
  pos: number;
}
export interface PipeNode {
  type: 'pipe';
  pos: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface CommandNode {
  type: 'command';
  pos: number;
  args: ArgNode[];
}
export interface FieldNode {
  type: 'field';
  pos: number;
  ident: string[];
}
export interface ChainNode {
  type: 'chain';
  pos: number;
  node: ArgNode;
  field: string[];
}
export interface IdentifierNode {
  type: 'identifier';
  pos: number;
  ident: string;
}
export interface VariableNode {
  type: 'variable';
  pos: number;
  ident: string[];
}
export interface DotNode {
  type: 'dot';
  pos: number;
}
export interface NilNode {
  type: 'nil';
  pos: number;
}
export interface BoolNode {
  type: 'bool';
  pos: number;
  value: boolean;
}
export interface StringNode {
  type: 'string';
  pos: number;
  quoted: string;
  text: string;
}
export interface NumberNode {
  type: 'number';
  pos: number;
  text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  /** Exact; a bigint only outside the safe integer range. */
  int64: number | bigint;
  uint64: number | bigint;
  float64: number;
  /** The complex128 value when isComplex. */
  real: number;
  imag: number;
}

/** Nodes that end an item list; never part of a finished tree. */
interface EndNode {
  type: 'end';
  pos: number;
}
interface ElseNode {
  type: 'else';
  pos: number;
}

export type AnyNode = Node | ArgNode | CommandNode | EndNode | ElseNode;

/** Go's `Node.String()`. */
export function nodeString(n: AnyNode): string {
  switch (n.type) {
    case 'list':
      return n.nodes.map(nodeString).join('');
    case 'text':
      return n.text;
    case 'comment':
      return `{{${n.text}}}`;
    case 'action':
      return `{{${nodeString(n.pipe)}}}`;
    case 'if':
    case 'range':
    case 'with': {
      let s = `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}`;
      if (n.elseList) s += `{{else}}${nodeString(n.elseList)}`;
      return s + '{{end}}';
    }
    case 'template':
      return `{{template ${quote(n.name)}${n.pipe ? ' ' + nodeString(n.pipe) : ''}}}`;
    case 'break':
      return '{{break}}';
    case 'continue':
      return '{{continue}}';
    case 'end':
      return '{{end}}';
    case 'else':
      return '{{else}}';
    case 'pipe': {
      let s = '';
      if (n.decl.length > 0) {
        s = n.decl.map(nodeString).join(', ') + (n.isAssign ? ' = ' : ' := ');
      }
      return s + n.cmds.map(nodeString).join(' | ');
    }
    case 'command':
      return n.args.map((a) => (a.type === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'field':
      return n.ident.map((id) => '.' + id).join('');
    case 'chain':
      return (n.node.type === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node)) + n.field.map((f) => '.' + f).join('');
    case 'identifier':
      return n.ident;
    case 'variable':
      return n.ident.join('.');
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return n.value ? 'true' : 'false';
    case 'string':
      return n.quoted;
    case 'number':
      return n.text;
  }
}

/** A parsed template: its main tree plus the trees it defines with `define`/`block`. */
export interface Tree {
  name: string;
  root: ListNode;
}

export interface ParseResult {
  /** The text that was parsed (error positions refer to it). */
  text: string;
  name: string;
  trees: Map<string, Tree>;
}

class ParseAbort {
  constructor(readonly error: GoTemplateError) {}
}

const MAX_STACK_DEPTH = 10000;

// ---------------------------------------------------------------------------------------------
// strconv.Unquote / UnquoteChar and number parsing

function unquoteChar(s: string, i: number, quoteCh: number): { value: string; next: number } | undefined {
  const c = s.charCodeAt(i);
  if (c === quoteCh && (quoteCh === 39 || quoteCh === 34)) return undefined;
  if (c !== 92) {
    const cp = s.codePointAt(i) ?? c;
    return { value: String.fromCodePoint(cp), next: i + (cp > 0xffff ? 2 : 1) };
  }
  if (i + 1 >= s.length) return undefined;
  const e = s[i + 1];
  let j = i + 2;
  switch (e) {
    case 'a':
      return { value: '\x07', next: j };
    case 'b':
      return { value: '\b', next: j };
    case 'f':
      return { value: '\f', next: j };
    case 'n':
      return { value: '\n', next: j };
    case 'r':
      return { value: '\r', next: j };
    case 't':
      return { value: '\t', next: j };
    case 'v':
      return { value: '\v', next: j };
    case '\\':
      return { value: '\\', next: j };
    case "'":
    case '"':
      if (e.charCodeAt(0) !== quoteCh) return undefined;
      return { value: e, next: j };
    case 'x':
    case 'u':
    case 'U': {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = s.slice(j, j + n);
      if (hex.length < n || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
      const v = parseInt(hex, 16);
      j += n;
      if (e === 'x') {
        // A \x byte above 0x7f is a raw byte in Go; JS strings cannot hold one, so it
        // becomes the Latin-1 code point of the same value.
        return { value: String.fromCharCode(v), next: j };
      }
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
      return { value: String.fromCodePoint(v), next: j };
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      const oct = s.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      const v = parseInt(oct, 8);
      if (v > 255) return undefined;
      return { value: String.fromCharCode(v), next: i + 4 };
    }
    default:
      return undefined;
  }
}

/** Go's `strconv.Unquote` for the literal forms the lexer produces; undefined on syntax error. */
export function unquote(lit: string): string | undefined {
  const q = lit.charCodeAt(0);
  if (q === 96) {
    const body = lit.slice(1, -1);
    return body.includes('\r') ? body.replace(/\r/g, '') : body;
  }
  const body = lit.slice(1, -1);
  if (!body.includes('\\')) return body;
  let out = '';
  // \x and octal escapes are bytes in Go; runs of them are decoded as UTF-8 together, so
  // "\xc3\xa9" is "é" (invalid bytes are escaped as value.ts describes).
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) {
      out += goBytesToString(Uint8Array.from(bytes));
      bytes = [];
    }
  };
  let i = 0;
  while (i < body.length) {
    const r = unquoteChar(body, i, q);
    if (!r) return undefined;
    const e = body[i + 1];
    if (body.charCodeAt(i) === 92 && (e === 'x' || (e !== undefined && e >= '0' && e <= '7'))) {
      bytes.push(r.value.charCodeAt(0));
    } else {
      flush();
      out += r.value;
    }
    i = r.next;
  }
  flush();
  return out;
}

function lower(c: string): string {
  return c.toLowerCase();
}

/** Go's `underscoreOK` from strconv. */
function underscoreOK(s0: string): boolean {
  let s = s0;
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(lower(s[1] as string))) {
    i = 2;
    saw = '0';
    hex = lower(s[1] as string) === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i] as string;
    if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's `strconv.ParseInt(s, 0, 64)` / `ParseUint`: a BigInt, or undefined. */
function parseIntBase0(text: string, unsigned: boolean): bigint | undefined {
  let s = text;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    if (unsigned) return undefined;
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s.length === 0) return undefined;
  let base = 10;
  let digits = s;
  if (s[0] === '0') {
    if (s.length >= 3 && lower(s[1] as string) === 'x') {
      base = 16;
      digits = s.slice(2);
    } else if (s.length >= 3 && lower(s[1] as string) === 'o') {
      base = 8;
      digits = s.slice(2);
    } else if (s.length >= 3 && lower(s[1] as string) === 'b') {
      base = 2;
      digits = s.slice(2);
    } else {
      base = 8;
      digits = s.slice(1);
    }
  }
  if (digits.includes('_')) {
    if (!underscoreOK(s)) return undefined;
    digits = digits.replace(/_/g, '');
  }
  if (digits.length === 0) return base === 8 && s === '0' ? 0n : base === 8 && /^0+$/.test(s) ? 0n : undefined;
  const valid = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return undefined;
  let v = 0n;
  const b = BigInt(base);
  for (const d of digits) v = v * b + BigInt(parseInt(d, base));
  if (neg) v = -v;
  if (unsigned) return v > UINT64_MAX ? undefined : v;
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

/** Go's `strconv.ParseFloat(s, 64)` for Go number syntax; undefined on syntax error. */
function parseFloatGo(text: string): number | undefined {
  let s = text;
  if (s.includes('_')) {
    if (!underscoreOK(s)) return undefined;
    s = s.replace(/_/g, '');
  }
  let sign = 1;
  if (s[0] === '+' || s[0] === '-') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (/^0[xX]/.test(s)) {
    const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(s);
    if (!m || ((m[1] ?? '') === '' && (m[2] ?? '') === '')) return undefined;
    const intPart = m[1] ?? '';
    const frac = m[2] ?? '';
    let mant = 0;
    for (const d of intPart + frac) mant = mant * 16 + parseInt(d, 16);
    return sign * mant * Math.pow(2, Number(m[3]) - 4 * frac.length);
  }
  if (!/^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(s)) return undefined;
  return sign * Number(s);
}

function exactInt(b: bigint): number | bigint {
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

/** fmt.Sscan of a complex128 as the lexer delimits it (`1+2i`, `-1.5e3-2i`). */
function scanComplex(text: string): [number, number] | undefined {
  if (!text.endsWith('i')) return undefined;
  // The imaginary part starts at the last sign that is not an exponent's.
  for (let k = text.length - 2; k > 0; k--) {
    const c = text[k];
    if ((c === '+' || c === '-') && !/[eEpP]/.test(text[k - 1] as string)) {
      const re = parseFloatGo(text.slice(0, k));
      const im = parseFloatGo(text.slice(k, -1));
      return re === undefined || im === undefined ? undefined : [re, im];
    }
  }
  return undefined;
}

/** Go's `simplifyComplex`: a complex constant with zero imaginary part is also a float (and int). */
function simplifyComplex(n: NumberNode, re: number, im: number): NumberNode {
  n.isComplex = true;
  n.real = re;
  n.imag = im;
  n.isFloat = im === 0;
  if (n.isFloat) {
    n.float64 = re;
    n.isInt = Number.isInteger(re) && re >= -(2 ** 63) && re < 2 ** 63;
    if (n.isInt) n.int64 = exactInt(BigInt(re));
    n.isUint = Number.isInteger(re) && re >= 0 && re < 2 ** 64;
    if (n.isUint) n.uint64 = exactInt(BigInt(re));
  }
  return n;
}

/** Go's `newNumber`, or an error message. */
function newNumber(pos: number, text: string, typ: Item): NumberNode | string {
  const n: NumberNode = {
    type: 'number',
    pos,
    text,
    isInt: false,
    isUint: false,
    isFloat: false,
    isComplex: false,
    int64: 0,
    uint64: 0,
    float64: 0,
    real: 0,
    imag: 0,
  };
  if (typ === Item.CharConstant) {
    const r = unquoteChar(text, 1, 39);
    if (!r) return 'invalid syntax';
    if (text.slice(r.next) !== "'") return `malformed character constant: ${text}`;
    const cp = r.value.codePointAt(0) ?? 0;
    n.int64 = cp;
    n.uint64 = cp;
    n.float64 = cp;
    n.isInt = n.isUint = n.isFloat = true;
    return n;
  }
  if (typ === Item.Complex) {
    const c = scanComplex(text);
    if (!c) return `expected integer`;
    return simplifyComplex(n, c[0], c[1]);
  }
  // Imaginary constants can only be complex unless they are zero (Go's own comment).
  if (text.endsWith('i')) {
    const f = parseFloatGo(text.slice(0, -1));
    if (f !== undefined) return simplifyComplex(n, 0, f);
  }
  const u = parseIntBase0(text, true);
  if (u !== undefined) {
    n.isUint = true;
    n.uint64 = exactInt(u);
  }
  const i = parseIntBase0(text, false);
  if (i !== undefined) {
    n.isInt = true;
    n.int64 = exactInt(i);
    if (i === 0n) {
      n.isUint = true;
      n.uint64 = 0;
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float64 = Number(n.int64);
  } else if (n.isUint) {
    n.isFloat = true;
    n.float64 = Number(n.uint64);
  } else {
    const f = parseFloatGo(text);
    if (f !== undefined) {
      if (!/[.eEpP]/.test(text)) return `integer overflow: ${quote(text)}`;
      n.isFloat = true;
      n.float64 = f;
      if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
        n.isInt = true;
        n.int64 = exactInt(BigInt(f));
      }
      if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
        n.isUint = true;
        n.uint64 = exactInt(BigInt(f));
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) return `illegal number syntax: ${quote(text)}`;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Parser

export interface ParseOptions {
  name: string;
  hasFunction: (name: string) => boolean;
}

class Parser {
  private readonly token: Token[] = [];
  private peekCount = 0;
  private vars: string[] = ['$'];
  private actionLine = 0;
  private rangeDepth = 0;
  private stackDepth = 0;
  private readonly lex: Lexer;

  constructor(
    private readonly text: string,
    private readonly opts: ParseOptions,
    private readonly trees: Map<string, Tree>,
    lex?: Lexer,
  ) {
    this.lex =
      lex ??
      new Lexer(text, {
        breakOK: !opts.hasFunction('break'),
        continueOK: !opts.hasFunction('continue'),
      });
  }

  // -- token buffer, as Go's three-token look-ahead

  private next(): Token {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount] as Token;
  }
  private backup(): void {
    this.peekCount++;
  }
  private backup2(t1: Token): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }
  private backup3(t2: Token, t1: Token): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }
  private peek(): Token {
    if (this.peekCount > 0) return this.token[this.peekCount - 1] as Token;
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }
  private nextNonSpace(): Token {
    let t: Token;
    do t = this.next();
    while (t.typ === Item.Space);
    return t;
  }
  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  // -- errors

  errorf(msg: string): never {
    const t = this.token[0];
    const line = t ? t.line : 1;
    const offset = t ? Math.min(t.pos, this.text.length) : 0;
    let length = t && t.typ !== Item.Error && t.typ !== Item.EOF ? t.val.length : 1;
    if (offset + length > this.text.length) length = Math.max(0, this.text.length - offset);
    throw new ParseAbort(
      new GoTemplateError('parse', `template: ${this.opts.name}:${line}: ${msg}`, offset, length),
    );
  }

  private unexpected(token: Token, context: string): never {
    if (token.typ === Item.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.opts.name}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${tokenString(token)}${extra}`);
    }
    this.errorf(`unexpected ${tokenString(token)} in ${context}`);
  }

  private expect(expected: Item, context: string): Token {
    const t = this.nextNonSpace();
    if (t.typ !== expected) this.unexpected(t, context);
    return t;
  }

  private expectOneOf(e1: Item, e2: Item, context: string): Token {
    const t = this.nextNonSpace();
    if (t.typ !== e1 && t.typ !== e2) this.unexpected(t, context);
    return t;
  }

  // -- grammar

  parse(): ListNode {
    const root: ListNode = { type: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().typ !== Item.EOF) {
      if (this.peek().typ === Item.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === Item.Define) {
          const sub = new Parser(this.text, this.opts, this.trees, this.lex);
          sub.token[0] = this.token[0] as Token;
          sub.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      root.nodes.push(n);
    }
    return root;
  }

  addTree(name: string, root: ListNode): void {
    const existing = this.trees.get(name);
    if (!existing || isEmptyTree(existing.root)) {
      this.trees.set(name, { name, root });
      return;
    }
    if (!isEmptyTree(root)) this.errorf(`template: multiple definition of template ${quote(name)}`);
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const name = this.expectOneOf(Item.String, Item.RawString, context);
    const s = unquote(name.val);
    if (s === undefined) this.errorf('invalid syntax');
    this.expect(Item.RightDelim, context);
    const [root, end] = this.itemList();
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.addTree(s, root);
  }

  private itemList(): [ListNode, EndNode | ElseNode] {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().typ !== Item.EOF) {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node | EndNode | ElseNode {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case Item.Text:
        return { type: 'text', pos: token.pos, text: token.val };
      case Item.LeftDelim: {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      case Item.Comment:
        return { type: 'comment', pos: token.pos, text: token.val };
      default:
        this.unexpected(token, 'input');
    }
  }

  private action(): Node | EndNode | ElseNode {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case Item.Block:
        return this.blockControl();
      case Item.Break:
        return this.breakControl(token.pos);
      case Item.Continue:
        return this.continueControl(token.pos);
      case Item.Else:
        return this.elseControl();
      case Item.End:
        return { type: 'end', pos: this.expect(Item.RightDelim, 'end').pos };
      case Item.If:
        return this.branch('if');
      case Item.Range:
        return this.branch('range');
      case Item.Template:
        return this.templateControl();
      case Item.With:
        return this.branch('with');
    }
    this.backup();
    const t = this.peek();
    return { type: 'action', pos: t.pos, pipe: this.pipeline('command', Item.RightDelim) };
  }

  private breakControl(pos: number): BreakNode {
    const t = this.nextNonSpace();
    if (t.typ !== Item.RightDelim) this.unexpected(t, '{{break}}');
    if (this.rangeDepth === 0) this.errorf('{{break}} outside {{range}}');
    return { type: 'break', pos };
  }

  private continueControl(pos: number): ContinueNode {
    const t = this.nextNonSpace();
    if (t.typ !== Item.RightDelim) this.unexpected(t, '{{continue}}');
    if (this.rangeDepth === 0) this.errorf('{{continue}} outside {{range}}');
    return { type: 'continue', pos };
  }

  private pipeline(context: string, end: Item): PipeNode {
    const token = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: token.pos, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ === Item.Variable) {
        this.next();
        const tokenAfterVariable = this.peek();
        const next = this.peekNonSpace();
        if (next.typ === Item.Assign || next.typ === Item.Declare) {
          pipe.isAssign = next.typ === Item.Assign;
          this.nextNonSpace();
          pipe.decl.push(newVariable(v.pos, v.val));
          this.vars.push(v.val);
        } else if (next.typ === Item.Char && next.val === ',') {
          this.nextNonSpace();
          pipe.decl.push(newVariable(v.pos, v.val));
          this.vars.push(v.val);
          if (context === 'range' && pipe.decl.length < 2) {
            const p = this.peekNonSpace().typ;
            if (p === Item.Variable || p === Item.RightDelim || p === Item.RightParen) continue decls;
            this.errorf('range can only initialize variables');
          }
          this.errorf(`too many declarations in ${context}`);
        } else if (tokenAfterVariable.typ === Item.Space) {
          this.backup3(v, tokenAfterVariable);
        } else {
          this.backup2(v);
        }
      }
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.typ === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.typ) {
        case Item.Bool:
        case Item.CharConstant:
        case Item.Complex:
        case Item.Dot:
        case Item.Field:
        case Item.Identifier:
        case Item.Number:
        case Item.Nil:
        case Item.RawString:
        case Item.String:
        case Item.Variable:
        case Item.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const first = (pipe.cmds[i] as CommandNode).args[0];
      switch (first?.type) {
        case 'bool':
        case 'dot':
        case 'nil':
        case 'number':
        case 'string':
          this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  private branch<T extends 'if' | 'range' | 'with'>(context: T): BranchNode<T> {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, Item.RightDelim);
      if (context === 'range') this.rangeDepth++;
      const [list, next0] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next0.type === 'else') {
        if (context === 'if' && this.peek().typ === Item.If) {
          this.next();
          elseList = { type: 'list', pos: next0.pos, nodes: [this.branch('if')] };
        } else if (context === 'with' && this.peek().typ === Item.With) {
          this.next();
          elseList = { type: 'list', pos: next0.pos, nodes: [this.branch('with')] };
        } else {
          const [l, next] = this.itemList();
          if (next.type !== 'end') this.errorf(`expected end; found ${nodeString(next)}`);
          elseList = l;
        }
      }
      return { type: context, pos: pipe.pos, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private elseControl(): ElseNode {
    const peek = this.peekNonSpace();
    if (peek.typ === Item.If || peek.typ === Item.With) return { type: 'else', pos: peek.pos };
    const t = this.expect(Item.RightDelim, 'else');
    return { type: 'else', pos: t.pos };
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, Item.RightDelim);
    const sub = new Parser(this.text, this.opts, this.trees, this.lex);
    sub.token[0] = this.token[0] as Token;
    const [root, end] = sub.itemList();
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    sub.addTree(name, root);
    return { type: 'template', pos: token.pos, name, pipe };
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().typ !== Item.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, Item.RightDelim);
    }
    return { type: 'template', pos: token.pos, name, pipe };
  }

  private parseTemplateName(token: Token, context: string): string {
    if (token.typ === Item.String || token.typ === Item.RawString) {
      const s = unquote(token.val);
      if (s === undefined) this.errorf('invalid syntax');
      return s;
    }
    this.unexpected(token, context);
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.typ === Item.Space) continue;
      if (t.typ === Item.RightDelim || t.typ === Item.RightParen) this.backup();
      else if (t.typ !== Item.Pipe) this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | undefined {
    const node = this.term();
    if (!node) return undefined;
    if (this.peek().typ === Item.Field) {
      const chain: ChainNode = { type: 'chain', pos: this.peek().pos, node, field: [] };
      while (this.peek().typ === Item.Field) chain.field.push(this.next().val.slice(1));
      switch (node.type) {
        case 'field':
          return { type: 'field', pos: chain.pos, ident: [...node.ident, ...chain.field] };
        case 'variable':
          return { type: 'variable', pos: chain.pos, ident: [...node.ident, ...chain.field] };
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        case 'dot':
          this.errorf(`unexpected . after term ${quote(nodeString(node))}`);
      }
      return chain;
    }
    return node;
  }

  private term(): ArgNode | undefined {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case Item.Identifier:
        if (!this.opts.hasFunction(token.val)) this.errorf(`function ${quote(token.val)} not defined`);
        return { type: 'identifier', pos: token.pos, ident: token.val };
      case Item.Dot:
        return { type: 'dot', pos: token.pos };
      case Item.Nil:
        return { type: 'nil', pos: token.pos };
      case Item.Variable:
        return this.useVar(token.pos, token.val);
      case Item.Field:
        return { type: 'field', pos: token.pos, ident: token.val.slice(1).split('.') };
      case Item.Bool:
        return { type: 'bool', pos: token.pos, value: token.val === 'true' };
      case Item.CharConstant:
      case Item.Complex:
      case Item.Number: {
        const n = newNumber(token.pos, token.val, token.typ);
        if (typeof n === 'string') this.errorf(n);
        return n;
      }
      case Item.LeftParen: {
        if (this.stackDepth >= MAX_STACK_DEPTH) this.errorf('max expression depth exceeded');
        this.stackDepth++;
        try {
          return this.pipeline('parenthesized pipeline', Item.RightParen);
        } finally {
          this.stackDepth--;
        }
      }
      case Item.String:
      case Item.RawString: {
        const s = unquote(token.val);
        if (s === undefined) this.errorf('invalid syntax');
        return { type: 'string', pos: token.pos, quoted: token.val, text: s };
      }
    }
    this.backup();
    return undefined;
  }

  private useVar(pos: number, name: string): VariableNode {
    const v = newVariable(pos, name);
    const first = v.ident[0] as string;
    if (this.vars.includes(first)) return v;
    this.errorf(`undefined variable ${quote(first)}`);
  }
}

function newVariable(pos: number, ident: string): VariableNode {
  return { type: 'variable', pos, ident: ident.split('.') };
}

/** Go's `IsEmptyTree`: nothing but space and comments. */
export function isEmptyTree(n: Node): boolean {
  switch (n.type) {
    case 'comment':
      return true;
    case 'list':
      return n.nodes.every(isEmptyTree);
    case 'text':
      return n.text.trim().length === 0;
    default:
      return false;
  }
}

/** Parses `text` like Go's `template.New(name).Funcs(...).Parse(text)`. Throws GoTemplateError. */
export function parse(text: string, opts: ParseOptions): ParseResult {
  const trees = new Map<string, Tree>();
  // Most ApplicationSet strings have no action at all; they need no lexer.
  if (!text.includes('{{')) {
    const root: ListNode = { type: 'list', pos: 0, nodes: text.length > 0 ? [{ type: 'text', pos: 0, text }] : [] };
    trees.set(opts.name, { name: opts.name, root });
    return { text, name: opts.name, trees };
  }
  const p = new Parser(text, opts, trees);
  try {
    const root = p.parse();
    p.addTree(opts.name, root);
  } catch (e) {
    if (e instanceof ParseAbort) throw e.error;
    throw e;
  }
  return { text, name: opts.name, trees };
}

/** Go's `Tree.ErrorContext`: `NAME:LINE:COL` of a node (column in bytes) and its String(). */
export function errorContext(result: ParseResult, n: AnyNode): { location: string; context: string } {
  const { line, col } = goLineCol(result.text, n.pos);
  return { location: `${result.name}:${line}:${col}`, context: nodeString(n) };
}
