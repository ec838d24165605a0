/**
 * The lexer of Go's text/template (`text/template/parse/lex.go`), token for token: the parser's
 * error messages name tokens and lines exactly as Go's do, so tokenisation (spaces as tokens,
 * trim markers, where an item starts) has to match. Positions are UTF-16 indices into the text.
 */
import { sprintf } from './fmt';
import { GoInt } from './value';

export enum Item {
  Error,
  Bool,
  Char,
  CharConstant,
  Comment,
  Complex,
  Assign,
  Declare,
  EOF,
  Field,
  Identifier,
  LeftDelim,
  LeftParen,
  Number,
  Pipe,
  RawString,
  RightDelim,
  RightParen,
  Space,
  String,
  Text,
  Variable,
  Keyword,
  Block,
  Break,
  Continue,
  Dot,
  Define,
  Else,
  End,
  If,
  Nil,
  Range,
  Template,
  With,
}

export interface Token {
  typ: Item;
  pos: number;
  val: string;
  line: number;
}

const KEYWORDS: ReadonlyMap<string, Item> = new Map([
  ['.', Item.Dot],
  ['block', Item.Block],
  ['break', Item.Break],
  ['continue', Item.Continue],
  ['define', Item.Define],
  ['else', Item.Else],
  ['end', Item.End],
  ['if', Item.If],
  ['range', Item.Range],
  ['nil', Item.Nil],
  ['template', Item.Template],
  ['with', Item.With],
]);

/** Go's `item.String()`, used in "unexpected X in Y" messages. */
export function tokenString(t: Token): string {
  if (t.typ === Item.EOF) return 'EOF';
  if (t.typ === Item.Error) return t.val;
  if (t.typ > Item.Keyword) return `<${t.val}>`;
  if (t.val.length > 10) return sprintf('%.10q...', t.val);
  return sprintf('%q', t.val);
}

const EOF = -1;

function isSpace(r: number): boolean {
  return r === 32 || r === 9 || r === 13 || r === 10;
}

const LETTER_OR_DIGIT = /[\p{L}\p{Nd}]/u;

function isAlphaNumeric(r: number): boolean {
  if (r < 0x80) {
    return r === 95 || (r >= 48 && r <= 57) || (r >= 65 && r <= 90) || (r >= 97 && r <= 122);
  }
  return r !== EOF && LETTER_OR_DIGIT.test(String.fromCodePoint(r));
}

function hasLeftTrimMarker(s: string, i: number): boolean {
  return i + 1 < s.length && s.charCodeAt(i) === 45 && isSpace(s.charCodeAt(i + 1));
}

function hasRightTrimMarker(s: string, i: number): boolean {
  return i + 1 < s.length && isSpace(s.charCodeAt(i)) && s.charCodeAt(i + 1) === 45;
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function badChar(r: number): string {
  return sprintf('%#U', new GoInt(r, 'int32'));
}

export interface LexOptions {
  breakOK: boolean;
  continueOK: boolean;
}

export class Lexer {
  private pos = 0;
  private start = 0;
  private atEOF = false;
  private parenDepth = 0;
  private line = 1;
  private startLine = 1;
  private insideAction = false;
  private item: Token | undefined;

  constructor(
    private input: string,
    private readonly options: LexOptions,
  ) {}

  private next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    const c = this.input.charCodeAt(this.pos);
    let r = c;
    let w = 1;
    if (c >= 0xd800 && c <= 0xdbff && this.pos + 1 < this.input.length) {
      const d = this.input.charCodeAt(this.pos + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        r = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        w = 2;
      }
    }
    this.pos += w;
    if (r === 10) this.line++;
    return r;
  }

  private backup(): void {
    if (!this.atEOF && this.pos > 0) {
      let w = 1;
      const c = this.input.charCodeAt(this.pos - 1);
      if (c >= 0xdc00 && c <= 0xdfff && this.pos >= 2) {
        const h = this.input.charCodeAt(this.pos - 2);
        if (h >= 0xd800 && h <= 0xdbff) w = 2;
      }
      this.pos -= w;
      if (c === 10) this.line--;
    }
  }

  private peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  private thisItem(typ: Item): Token {
    const t: Token = { typ, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine };
    this.start = this.pos;
    this.startLine = this.line;
    return t;
  }

  private emit(typ: Item): true {
    this.item = this.thisItem(typ);
    return true;
  }

  private ignore(): void {
    this.line += countNewlines(this.input, this.start, this.pos);
    this.start = this.pos;
    this.startLine = this.line;
  }

  private accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) return true;
    this.backup();
    return false;
  }

  private acceptRun(valid: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || !valid.includes(String.fromCodePoint(r))) break;
    }
    this.backup();
  }

  private errorf(msg: string): true {
    this.item = { typ: Item.Error, pos: this.start, val: msg, line: this.startLine };
    this.start = 0;
    this.pos = 0;
    this.input = '';
    return true;
  }

  nextItem(): Token {
    this.item = undefined;
    const eofItem: Token = { typ: Item.EOF, pos: this.pos, val: 'EOF', line: this.startLine };
    let done: boolean;
    do {
      done = this.insideAction ? this.lexInsideAction() : this.lexText();
    } while (!done);
    return this.item ?? eofItem;
  }

  private static readonly TRIM_TRAILING = /[ \t\r\n]*$/;

  private lexText(): boolean {
    const x = this.input.indexOf('{{', this.pos);
    if (x >= 0) {
      if (x > this.pos) {
        this.pos = x;
        let trimLength = 0;
        const delimEnd = this.pos + 2;
        if (hasLeftTrimMarker(this.input, delimEnd)) {
          const text = this.input.slice(this.start, this.pos);
          trimLength = text.length - text.replace(Lexer.TRIM_TRAILING, '').length;
        }
        this.pos -= trimLength;
        this.line += countNewlines(this.input, this.start, this.pos);
        const i = this.thisItem(Item.Text);
        this.pos += trimLength;
        this.ignore();
        if (i.val.length > 0) {
          this.item = i;
          // lexLeftDelim runs on the next call, when insideAction is still false.
          return true;
        }
      }
      return this.lexLeftDelim();
    }
    this.pos = this.input.length;
    if (this.pos > this.start) {
      this.line += countNewlines(this.input, this.start, this.pos);
      return this.emit(Item.Text);
    }
    return this.emit(Item.EOF);
  }

  private atRightDelim(): { delim: boolean; trimSpaces: boolean } {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith('}}', this.pos + 2)) {
      return { delim: true, trimSpaces: true };
    }
    if (this.input.startsWith('}}', this.pos)) return { delim: true, trimSpaces: false };
    return { delim: false, trimSpaces: false };
  }

  private leftTrimLength(from: number): number {
    let i = from;
    while (i < this.input.length && isSpace(this.input.charCodeAt(i))) i++;
    return i - from;
  }

  private lexLeftDelim(): boolean {
    this.pos += 2;
    const trimSpace = hasLeftTrimMarker(this.input, this.pos);
    const afterMarker = trimSpace ? 2 : 0;
    if (this.input.startsWith('/*', this.pos + afterMarker)) {
      this.pos += afterMarker;
      this.ignore();
      return this.lexComment();
    }
    const i = this.thisItem(Item.LeftDelim);
    this.insideAction = true;
    this.pos += afterMarker;
    this.ignore();
    this.parenDepth = 0;
    this.item = i;
    return true;
  }

  private lexComment(): boolean {
    this.pos += 2;
    const x = this.input.indexOf('*/', this.pos);
    if (x < 0) return this.errorf('unclosed comment');
    this.pos = x + 2;
    const { delim, trimSpaces } = this.atRightDelim();
    if (!delim) return this.errorf('comment ends before closing delimiter');
    this.line += countNewlines(this.input, this.start, this.pos);
    this.thisItem(Item.Comment);
    if (trimSpaces) this.pos += 2;
    this.pos += 2;
    if (trimSpaces) this.pos += this.leftTrimLength(this.pos);
    this.ignore();
    // Comments are not emitted (Go emits them only in ParseComments mode); keep lexing text.
    return false;
  }

  private lexRightDelim(): boolean {
    const { trimSpaces } = this.atRightDelim();
    if (trimSpaces) {
      this.pos += 2;
      this.ignore();
    }
    this.pos += 2;
    const i = this.thisItem(Item.RightDelim);
    if (trimSpaces) {
      this.pos += this.leftTrimLength(this.pos);
      this.ignore();
    }
    this.insideAction = false;
    this.item = i;
    return true;
  }

  private lexInsideAction(): boolean {
    const { delim } = this.atRightDelim();
    if (delim) {
      if (this.parenDepth === 0) return this.lexRightDelim();
      return this.errorf('unclosed left paren');
    }
    const r = this.next();
    if (r === EOF) return this.errorf('unclosed action');
    if (isSpace(r)) {
      this.backup();
      return this.lexSpace();
    }
    switch (r) {
      case 61: // =
        return this.emit(Item.Assign);
      case 58: // :
        if (this.next() !== 61) return this.errorf('expected :=');
        return this.emit(Item.Declare);
      case 124: // |
        return this.emit(Item.Pipe);
      case 34: // "
        return this.lexQuote();
      case 96: // `
        return this.lexRawQuote();
      case 36: // $
        return this.lexVariable();
      case 39: // '
        return this.lexChar();
      case 40: // (
        this.parenDepth++;
        return this.emit(Item.LeftParen);
      case 41: // )
        this.parenDepth--;
        if (this.parenDepth < 0) return this.errorf('unexpected right paren');
        return this.emit(Item.RightParen);
    }
    if (r === 46) {
      // ".field" unless a digit follows ('.' can start a number).
      if (this.pos < this.input.length) {
        const c = this.input.charCodeAt(this.pos);
        if (c < 48 || c > 57) return this.lexFieldOrVariable(Item.Field);
      }
      this.backup();
      return this.lexNumber();
    }
    if (r === 43 || r === 45 || (r >= 48 && r <= 57)) {
      this.backup();
      return this.lexNumber();
    }
    if (isAlphaNumeric(r)) {
      this.backup();
      return this.lexIdentifier();
    }
    if (r < 0x80 && r >= 0x20 && r < 0x7f) return this.emit(Item.Char);
    return this.errorf(`unrecognized character in action: ${badChar(r)}`);
  }

  private lexSpace(): boolean {
    let numSpaces = 0;
    for (;;) {
      const r = this.peek();
      if (!isSpace(r)) break;
      this.next();
      numSpaces++;
    }
    if (hasRightTrimMarker(this.input, this.pos - 1) && this.input.startsWith('}}', this.pos + 1)) {
      this.backup();
      if (numSpaces === 1) return this.lexRightDelim();
    }
    return this.emit(Item.Space);
  }

  private lexIdentifier(): boolean {
    for (;;) {
      const r = this.next();
      if (isAlphaNumeric(r)) continue;
      this.backup();
      const word = this.input.slice(this.start, this.pos);
      if (!this.atTerminator()) return this.errorf(`bad character ${badChar(r)}`);
      const kw = KEYWORDS.get(word);
      if (kw !== undefined && kw > Item.Keyword) {
        if ((kw === Item.Break && !this.options.breakOK) || (kw === Item.Continue && !this.options.continueOK)) {
          return this.emit(Item.Identifier);
        }
        return this.emit(kw);
      }
      if (word[0] === '.') return this.emit(Item.Field);
      if (word === 'true' || word === 'false') return this.emit(Item.Bool);
      return this.emit(Item.Identifier);
    }
  }

  private lexVariable(): boolean {
    if (this.atTerminator()) return this.emit(Item.Variable);
    return this.lexFieldOrVariable(Item.Variable);
  }

  private lexFieldOrVariable(typ: Item): boolean {
    if (this.atTerminator()) return this.emit(typ === Item.Variable ? Item.Variable : Item.Dot);
    let r: number;
    for (;;) {
      r = this.next();
      if (!isAlphaNumeric(r)) {
        this.backup();
        break;
      }
    }
    if (!this.atTerminator()) return this.errorf(`bad character ${badChar(r)}`);
    return this.emit(typ);
  }

  private atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    switch (r) {
      case EOF:
      case 46:
      case 44:
      case 124:
      case 58:
      case 41:
      case 40:
        return true;
    }
    return this.input.startsWith('}}', this.pos);
  }

  private lexChar(): boolean {
    for (;;) {
      let r = this.next();
      if (r === 92) {
        r = this.next();
        if (r !== EOF && r !== 10) continue;
        return this.errorf('unterminated character constant');
      }
      if (r === EOF || r === 10) return this.errorf('unterminated character constant');
      if (r === 39) break;
    }
    return this.emit(Item.CharConstant);
  }

  private lexNumber(): boolean {
    if (!this.scanNumber()) return this.errorf(`bad number syntax: ${sprintf('%q', this.input.slice(this.start, this.pos))}`);
    const sign = this.peek();
    if (sign === 43 || sign === 45) {
      if (!this.scanNumber() || this.input[this.pos - 1] !== 'i') {
        return this.errorf(`bad number syntax: ${sprintf('%q', this.input.slice(this.start, this.pos))}`);
      }
      return this.emit(Item.Complex);
    }
    return this.emit(Item.Number);
  }

  private scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }

  private lexQuote(): boolean {
    for (;;) {
      let r = this.next();
      if (r === 92) {
        r = this.next();
        if (r !== EOF && r !== 10) continue;
        return this.errorf('unterminated quoted string');
      }
      if (r === EOF || r === 10) return this.errorf('unterminated quoted string');
      if (r === 34) break;
    }
    return this.emit(Item.String);
  }

  private lexRawQuote(): boolean {
    const x = this.input.indexOf('`', this.pos);
    if (x < 0) {
      this.pos = this.input.length;
      return this.errorf('unterminated raw quoted string');
    }
    this.line += countNewlines(this.input, this.pos, x + 1);
    this.pos = x + 1;
    return this.emit(Item.RawString);
  }
}
