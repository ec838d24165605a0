/**
 * Go encoding/json for Go values: Marshal (sorted map keys, HTML-safe escaping unless raw,
 * Go's float format) and Unmarshal into interface{} with Go's syntax error texts.
 */
import { formatValue, sortedKeys } from '../fmt';
import { GO_JSON, GoInt, GoMap, GoObject, GoValue, elemTypeOf } from '../value';
import { GO_STRING, isStringer } from './util';

export { GO_JSON };

interface JsonMarshaler {
  [GO_JSON](): string;
}

function hasMarshaler(v: unknown): v is JsonMarshaler {
  return typeof v === 'object' && v !== null && typeof (v as Partial<JsonMarshaler>)[GO_JSON] === 'function';
}

export class JsonError extends Error {}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

export function jsonString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    const c = ch.charCodeAt(0);
    if (c < 0x20) {
      const short: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
      out += short[c] ?? '\\u' + hex4(c);
    } else if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (escapeHTML && (ch === '<' || ch === '>' || ch === '&')) out += '\\u' + hex4(c);
    else if (c === 0x2028 || c === 0x2029) out += '\\u' + hex4(c);
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += ch + s[i + 1];
        i++;
      } else out += '\\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return out + '"';
}

function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new JsonError(`json: unsupported value: ${formatValue(f)}`);
  if (Object.is(f, -0)) return '-0';
  // JS and Go agree: shortest digits, exponent form below 1e-6 and from 1e21
  return String(f);
}

/** json.Marshal (indent "" = compact) / json.MarshalIndent(v, "", indent). */
export function marshalJson(v: GoValue, opts: { indent?: string; escapeHTML?: boolean } = {}): string {
  const indent = opts.indent ?? '';
  const esc = opts.escapeHTML ?? true;
  const enc = (x: GoValue, depth: number): string => {
    if (x === null) return 'null';
    if (typeof x === 'string') return jsonString(x, esc);
    if (typeof x === 'boolean') return x ? 'true' : 'false';
    if (typeof x === 'number') return jsonFloat(x);
    if (x instanceof GoInt) return x.toString();
    if (x instanceof GoObject) {
      if (x.goKind === 'complex128') throw new JsonError('json: unsupported type: complex128');
      return x[GO_JSON]();
    }
    if (hasMarshaler(x)) return x[GO_JSON]();
    if (isStringer(x)) return jsonString(x[GO_STRING](), esc);
    const nl = indent ? '\n' + indent.repeat(depth + 1) : '';
    const close = indent ? '\n' + indent.repeat(depth) : '';
    if (Array.isArray(x)) {
      if (elemTypeOf(x) === 'uint8') {
        return '"' + Buffer.from(x.map((b) => (b instanceof GoInt ? b.value : 0))).toString('base64') + '"';
      }
      if (x.length === 0) return '[]';
      return '[' + x.map((e) => nl + enc(e, depth + 1)).join(',') + close + ']';
    }
    const m: GoMap = x;
    const keys = sortedKeys(m);
    if (keys.length === 0) return '{}';
    const sep = indent ? ': ' : ':';
    return '{' + keys.map((k) => nl + jsonString(k, esc) + sep + enc(m[k] as GoValue, depth + 1)).join(',') + close + '}';
  };
  return enc(v, 0);
}

// ---------------------------------------------------------------------------------------------
// Unmarshal into interface{}

function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return '\'"\'';
  const q = JSON.stringify(c);
  return "'" + q.slice(1, -1) + "'";
}

/** json.Unmarshal(data, &interface{}): objects → map, arrays → []interface{}, numbers → float64. */
export function unmarshalJson(text: string): { value: GoValue; error?: JsonError } {
  let i = 0;
  const n = text.length;
  let saved: JsonError | undefined;
  const err = (context: string): never => {
    if (i >= n) throw new JsonError('unexpected end of JSON input');
    throw new JsonError(`invalid character ${quoteChar(text[i] as string)} ${context}`);
  };
  const ws = (): void => {
    while (i < n && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const literal = (word: string, value: GoValue): GoValue => {
    for (let k = 1; k < word.length; k++) {
      i++;
      if (text[i] !== word[k]) err(`in literal ${word} (expecting ${quoteChar(word[k] as string)})`);
    }
    i++;
    return value;
  };
  const number = (): GoValue => {
    const start = i;
    if (text[i] === '-') {
      i++;
      if (!/[0-9]/.test(text[i] ?? '')) err('in numeric literal');
    }
    if (text[i] === '0') i++;
    else while (/[0-9]/.test(text[i] ?? '')) i++;
    if (text[i] === '.') {
      i++;
      if (!/[0-9]/.test(text[i] ?? '')) err('after decimal point in numeric literal');
      while (/[0-9]/.test(text[i] ?? '')) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!/[0-9]/.test(text[i] ?? '')) err('in exponent of numeric literal');
      while (/[0-9]/.test(text[i] ?? '')) i++;
    }
    const lit = text.slice(start, i);
    const f = Number(lit);
    if (Number.isFinite(f)) return f;
    // Go keeps decoding and reports the first such error at the end, with nil in its place
    saved ??= new JsonError(`json: cannot unmarshal number ${lit} into Go value of type float64`);
    return null;
  };
  const string = (): string => {
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= n) err('');
      const ch = text[i] as string;
      if (ch === '"') {
        i++;
        return out;
      }
      if (ch === '\\') {
        i++;
        const e = text[i];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          i++;
        } else if (e === 'u') {
          const h = text.slice(i + 1, i + 5);
          for (let k = 0; k < 4; k++) {
            i++;
            if (!/[0-9a-fA-F]/.test(h[k] ?? '')) err('in \\u hexadecimal character escape');
          }
          i++;
          out += String.fromCharCode(parseInt(h, 16));
        } else err('in string escape code');
        continue;
      }
      if (ch.charCodeAt(0) < 0x20) err('in string literal');
      out += ch;
      i++;
    }
  };
  const value = (ctx: string): GoValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const m: GoMap = {};
      ws();
      if (text[i] === '}') {
        i++;
        return m;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') err('looking for beginning of object key string');
        const k = string();
        ws();
        if (text[i] !== ':') err('after object key');
        i++;
        m[k] = value('looking for beginning of value');
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return m;
        }
        err('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      const a: GoValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return a;
      }
      for (;;) {
        a.push(value('looking for beginning of value'));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return a;
        }
        err('after array element');
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true', true);
    if (c === 'f') return literal('false', false);
    if (c === 'n') return literal('null', null);
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    return err(ctx);
  };
  // Go's decoder checks the whole input is valid before converting any value
  const v = value('looking for beginning of value');
  ws();
  if (i < n) err('after top-level value');
  return saved ? { value: v, error: saved } : { value: v };
}
