/**
 * Argo CD's toYaml/fromYaml/fromYamlArray, i.e. sigs.k8s.io/yaml v1.6.0 over go-yaml v2.
 *
 * Marshal goes Go value → JSON → go-yaml v2 values (JSON numbers become int, uint64 or float64
 * by YAML resolution, so 3.0 prints `3` and 1e20 prints `1e+20`) → go-yaml v2's emitter. The
 * emitter below reproduces its block style: keys in go-yaml's "natural" order, 2-space indent,
 * indentless sequences under keys, plain/single/double/literal scalar choice, escapes, and its
 * default line folding at column 80 (sigs.k8s.io/yaml does not call yaml.FutureLineWrap).
 */
import { MAX_ALIAS_COUNT, parseDocuments } from '../../yaml/ast';
import { formatFloat } from '../fmt';
import { GoFuncDef, GoInt, GoMap, GoObject, GoValue, elemTypeOf, isGoMap } from '../value';
import { JsonError, marshalJson, unmarshalJson } from './json';
import { GO_STRING, isDigit, isLetter, isStringer, parseGoInt, str } from './util';

type Defs = Record<string, GoFuncDef>;

/** A value as go-yaml v2 holds it after sigs.k8s.io/yaml's JSON round trip. */
type YNode = { k: 'null' } | { k: 'bool'; v: boolean } | { k: 'num'; text: string } | { k: 'str'; v: string } | { k: 'seq'; items: YNode[] } | { k: 'map'; entries: Array<[string, YNode]> };

/** Line width at which go-yaml v2 folds plain and quoted scalars. */
export const YAML_BEST_WIDTH = 80;

function numberNode(jsonText: string): YNode {
  if (/^-?[0-9]+$/.test(jsonText)) {
    const n = BigInt(jsonText);
    if (n >= -(2n ** 63n) && n < 2n ** 64n) return { k: 'num', text: n.toString() };
  }
  const f = Number(jsonText);
  return { k: 'num', text: formatFloat(f, 'g', -1).replace(/^\+Inf$/, '.inf').replace(/^-Inf$/, '-.inf') };
}

/**
 * go-yaml's reader rejects these when they appear raw in the JSON text, and encoding/json
 * leaves them unescaped.
 */
const YAML_FORBIDDEN = /[\x7f-\x84\x86-\x9f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function checkText(s: string): string {
  if (YAML_FORBIDDEN.test(s)) throw new Error('yaml: control characters are not allowed');
  return s;
}

function toNode(v: GoValue): YNode {
  if (v === null) return { k: 'null' };
  if (typeof v === 'boolean') return { k: 'bool', v };
  if (typeof v === 'string') return { k: 'str', v: checkText(v) };
  if (typeof v === 'number' || v instanceof GoInt) return numberNode(marshalJson(v));
  if (v instanceof GoObject || isStringer(v)) {
    const j = unmarshalJson(marshalJson(v)).value;
    return typeof j === 'string' ? { k: 'str', v: j } : toNode(j);
  }
  if (Array.isArray(v)) {
    if (elemTypeOf(v) === 'uint8') return { k: 'str', v: JSON.parse(marshalJson(v)) as string };
    return { k: 'seq', items: v.map(toNode) };
  }
  const m: GoMap = v;
  const keys = Object.keys(m).sort((a, b) => (keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0));
  return { k: 'map', entries: keys.map((key) => [checkText(key), toNode(m[key] as GoValue)]) };
}

/** go-yaml v2's keyList.Less for two string keys: runs of digits compare numerically. */
export function keyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i] as string;
    const bc = br[i] as string;
    if (ac === bc) continue;
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return (ac.codePointAt(0) as number) < (bc.codePointAt(0) as number);
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ac === '0' || bc === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j] as string); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai] as string); ai++) an = an * 10n + BigInt((ar[ai] as string).charCodeAt(0) - 48);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi] as string); bi++) bn = bn * 10n + BigInt((br[bi] as string).charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return (ac.codePointAt(0) as number) < (bc.codePointAt(0) as number);
  }
  return ar.length < br.length;
}

// ---------------------------------------------------------------------------------------------
// Scalar analysis (yaml_emitter_analyze_scalar) and style choice (stringv + select_scalar_style)

const RESOLVES_NON_STR = new Set(
  'y Y yes Yes YES true True TRUE on On ON n N no No NO false False FALSE off Off OFF ~ null Null NULL .nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF'.split(' '),
);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]| )[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]{1,9})?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?$/;

/** Whether go-yaml v2 would read the unquoted text as something other than a string. */
function resolvesNonString(s: string): boolean {
  if (s === '') return true;
  if (RESOLVES_NON_STR.has(s)) return true;
  const c = s[0] as string;
  if (c === '.') return /^\.[0-9]/.test(s) || YAML_FLOAT.test(s) ? Number.isFinite(Number(s)) || YAML_FLOAT.test(s) : false;
  if (!/[-+0-9]/.test(c)) return false;
  if (TIMESTAMP.test(s) && validTimestamp(s)) return true;
  const plain = s.replace(/_/g, '');
  if (parseGoInt(plain) !== undefined) return true;
  if (/^[0-9]+$/.test(plain) || /^0[xX][0-9a-fA-F]+$/.test(plain)) return true; // uint64 range
  if (YAML_FLOAT.test(plain)) return true;
  if (/^-?0b[01]+$/.test(plain)) return true;
  return false;
}

function validTimestamp(s: string): boolean {
  const m = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})/.exec(s);
  if (!m) return false;
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(Number(m[1]), mo, 0)).getUTCDate();
  if (d > days) return false;
  const t = /[Tt ]([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})/.exec(s);
  if (t && (Number(t[1]) > 23 || Number(t[2]) > 59 || Number(t[3]) > 59)) return false;
  // the space-separated form takes no zone
  if (/ /.test(s) && /(Z|[+-][0-9]{2}:[0-9]{2})$/.test(s)) return false;
  return true;
}

const isBreak = (c: string): boolean => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isBlankZ = (c: string | undefined): boolean => c === undefined || c === ' ' || c === '\t' || isBreak(c);

function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0) as number;
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

interface Analysis {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

function analyze(value: string): Analysis {
  if (value === '') return { multiline: false, flowPlain: false, blockPlain: true, singleQuoted: true, block: false };
  const rs = Array.from(value);
  let blockInd = false;
  let flowInd = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let prevSpace = false;
  let prevBreak = false;
  if (value.startsWith('---') || value.startsWith('...')) {
    blockInd = true;
    flowInd = true;
  }
  let precededByWs = true;
  for (let i = 0; i < rs.length; i++) {
    const c = rs[i] as string;
    const followedByWs = isBlankZ(rs[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) {
        flowInd = true;
        blockInd = true;
      } else if (c === '?' || c === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      } else if (c === '-' && followedByWs) {
        flowInd = true;
        blockInd = true;
      }
    } else if (',?[]{}'.includes(c)) flowInd = true;
    else if (c === ':') {
      flowInd = true;
      if (followedByWs) blockInd = true;
    } else if (c === '#' && precededByWs) {
      flowInd = true;
      blockInd = true;
    }
    if (!isPrintable(c)) special = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === rs.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === rs.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWs = isBlankZ(c);
  }
  const a: Analysis = { multiline: lineBreaks, flowPlain: true, blockPlain: true, singleQuoted: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.flowPlain = a.blockPlain = false;
  if (trailingSpace) a.block = false;
  if (breakSpace) a.flowPlain = a.blockPlain = a.singleQuoted = false;
  if (spaceBreak || special) a.flowPlain = a.blockPlain = a.singleQuoted = a.block = false;
  if (lineBreaks) a.flowPlain = a.blockPlain = false;
  if (flowInd) a.flowPlain = false;
  if (blockInd) a.blockPlain = false;
  return a;
}

type Style = 'plain' | 'single' | 'double' | 'literal';

function stringStyle(s: string, simpleKey: boolean): Style {
  const canPlain = !resolvesNonString(s) && !BASE60_FLOAT.test(s);
  let style: Style = s.includes('\n') ? 'literal' : canPlain ? 'plain' : 'double';
  const a = analyze(s);
  if (simpleKey && a.multiline) style = 'double';
  if (style === 'plain') {
    if (!a.blockPlain) style = 'single';
    if (s === '' && simpleKey) style = 'single';
  }
  if (style === 'single' && !a.singleQuoted) style = 'double';
  if (style === 'literal' && (!a.block || simpleKey)) style = 'double';
  return style;
}

// ---------------------------------------------------------------------------------------------
// Writer

class Writer {
  out = '';
  column = 0;

  write(s: string): void {
    this.out += s;
    this.column += Array.from(s).length;
  }
  newline(): void {
    this.out += '\n';
    this.column = 0;
  }
  /** Starts a new line unless a block scalar just ended one. */
  lineStart(indent: number): void {
    if (this.column > 0) this.newline();
    this.write(' '.repeat(indent));
  }
  /** yaml_emitter_write_indent inside a scalar: a fresh line padded to `indent`. */
  indentLine(indent: number): void {
    this.newline();
    this.write(' '.repeat(Math.max(indent, 0)));
  }

  scalar(s: string, style: Style, indent: number, allowBreaks: boolean): void {
    const rs = Array.from(s);
    if (style === 'plain') {
      let spaces = false;
      for (let i = 0; i < rs.length; i++) {
        const c = rs[i] as string;
        if (c === ' ') {
          if (allowBreaks && !spaces && this.column > YAML_BEST_WIDTH && rs[i + 1] !== ' ') this.indentLine(indent);
          else this.write(c);
          spaces = true;
        } else {
          this.write(c);
          spaces = false;
        }
      }
    } else if (style === 'single') {
      this.write("'");
      let spaces = false;
      for (let i = 0; i < rs.length; i++) {
        const c = rs[i] as string;
        if (c === ' ') {
          if (allowBreaks && !spaces && this.column > YAML_BEST_WIDTH && i !== 0 && i !== rs.length - 1 && rs[i + 1] !== ' ') {
            this.indentLine(indent);
          } else this.write(c);
          spaces = true;
        } else {
          this.write(c === "'" ? "''" : c);
          spaces = false;
        }
      }
      this.write("'");
    } else if (style === 'double') {
      this.write('"');
      let spaces = false;
      for (let i = 0; i < rs.length; i++) {
        const c = rs[i] as string;
        if (!isPrintable(c) || c === '\ufeff' || isBreak(c) || c === '"' || c === '\\') {
          this.write('\\' + doubleEscape(c));
          spaces = false;
        } else if (c === ' ') {
          if (allowBreaks && !spaces && this.column > YAML_BEST_WIDTH && i !== 0 && i !== rs.length - 1) {
            this.indentLine(indent);
            if (rs[i + 1] === ' ') this.write('\\');
          } else this.write(c);
          spaces = true;
        } else {
          this.write(c);
          spaces = false;
        }
      }
      this.write('"');
    } else this.literal(s, rs, indent);
  }

  literal(s: string, rs: string[], indent: number): void {
    let hints = '|';
    if (rs[0] === ' ' || isBreak(rs[0] as string)) hints += '2';
    const last = rs[rs.length - 1] as string;
    if (!isBreak(last)) hints += '-';
    else if (rs.length === 1 || isBreak(rs[rs.length - 2] as string)) hints += '+';
    this.write(hints);
    this.newline();
    let breaks = true;
    for (const c of rs) {
      if (isBreak(c)) {
        this.out += c === '\r' || c === '\n' ? '\n' : c;
        this.column = 0;
        breaks = true;
      } else {
        if (breaks) this.write(' '.repeat(indent));
        this.write(c);
        breaks = false;
      }
    }
    void s;
  }
}

function doubleEscape(c: string): string {
  const named: Record<string, string> = {
    '\0': '0', '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\v': 'v', '\f': 'f', '\r': 'r', '\x1b': 'e',
    '"': '"', '\\': '\\', '\u0085': 'N', '\u00a0': '_', '\u2028': 'L', '\u2029': 'P',
  };
  const n = named[c];
  if (n !== undefined) return n;
  const cp = c.codePointAt(0) as number;
  const hex = cp.toString(16).toUpperCase();
  if (cp <= 0xff) return 'x' + hex.padStart(2, '0');
  if (cp <= 0xffff) return 'u' + hex.padStart(4, '0');
  return 'U' + hex.padStart(8, '0');
}

function scalarText(n: YNode): string | undefined {
  switch (n.k) {
    case 'null':
      return 'null';
    case 'bool':
      return n.v ? 'true' : 'false';
    case 'num':
      return n.text;
    default:
      return undefined;
  }
}

/** Emits `n` as a node whose scalar indent is `indent` (where continuation lines go). */
function emitValue(w: Writer, n: YNode, indent: number): void {
  const t = scalarText(n);
  if (t !== undefined) w.write(t);
  else if (n.k === 'str') w.scalar(n.v, stringStyle(n.v, false), indent, true);
  else if (n.k === 'seq' && n.items.length === 0) w.write('[]');
  else if (n.k === 'map' && n.entries.length === 0) w.write('{}');
}

function emitMapping(w: Writer, entries: Array<[string, YNode]>, indent: number, firstInline: boolean): void {
  entries.forEach(([key, value], idx) => {
    if (idx > 0 || !firstInline) w.lineStart(indent);
    if (Array.from(key).some(isBreak) || Buffer.byteLength(key, 'utf8') > 128) {
      // not a simple key: go-yaml writes `? key` and `: value` on their own lines
      w.write('? ');
      w.scalar(key, stringStyle(key, false), indent + 2, true);
      w.lineStart(indent);
    } else w.scalar(key, stringStyle(key, true), indent + 2, false);
    w.write(':');
    if (value.k === 'map' && value.entries.length > 0) {
      emitMapping(w, value.entries, indent + 2, false);
    } else if (value.k === 'seq' && value.items.length > 0) {
      // go-yaml v2 writes sequences under a key without extra indentation
      emitSequence(w, value.items, indent, false);
    } else {
      w.write(' ');
      emitValue(w, value, indent + 2);
    }
  });
}

function emitSequence(w: Writer, items: YNode[], indent: number, firstInline: boolean): void {
  items.forEach((item, idx) => {
    if (idx > 0 || !firstInline) w.lineStart(indent);
    w.write('- ');
    if (item.k === 'map' && item.entries.length > 0) emitMapping(w, item.entries, indent + 2, true);
    else if (item.k === 'seq' && item.items.length > 0) emitSequence(w, item.items, indent + 2, true);
    else emitValue(w, item, indent + 2);
  });
}

/** sigs.k8s.io/yaml.Marshal(v): the YAML text with its final newline. */
export function marshalYaml(v: GoValue): string {
  let node: YNode;
  try {
    node = toNode(v);
  } catch (e) {
    if (e instanceof JsonError) throw new Error(`error marshaling into JSON: ${e.message}`);
    throw e;
  }
  const w = new Writer();
  if (node.k === 'map' && node.entries.length > 0) emitMapping(w, node.entries, 0, true);
  else if (node.k === 'seq' && node.items.length > 0) emitSequence(w, node.items, 0, true);
  else emitValue(w, node, 2);
  return w.column > 0 ? w.out + '\n' : w.out;
}


// ---------------------------------------------------------------------------------------------
// fromYaml / fromYamlArray

function fromYamlValue(text: string): GoValue | undefined {
  // Argo CD's fromYaml is sigs.k8s.io/yaml: go-yaml v2's YAML 1.1, repeated keys kept (the last wins).
  const arr = parseDocuments(text, 'argocd-embedded');
  const doc = arr[0];
  if (doc === undefined) return undefined;
  const err = doc.errors[0];
  if (err) throw new Error(`error converting YAML to JSON: yaml: ${err.message.split('\n')[0] ?? ''}`);
  const js: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  if (js === undefined || (js === null && doc.contents === null)) return undefined;
  return jsonable(js);
}

/** What sigs.k8s.io/yaml hands to encoding/json: numbers become float64, keys strings. */
function jsonable(v: unknown): GoValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return goTimestamp(v);
  if (Array.isArray(v)) return v.map(jsonable);
  if (v instanceof Map) {
    const m: GoMap = {};
    for (const [k, x] of v) m[keyString(k)] = jsonable(x);
    return m;
  }
  if (typeof v === 'object') {
    const m: GoMap = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) m[k] = jsonable(x);
    return m;
  }
  return null;
}

function keyString(k: unknown): string {
  if (typeof k === 'number') return formatFloat(k, 'g', -1);
  if (k === null) return 'null';
  return String(k);
}

function goTimestamp(d: Date): string {
  return d.toISOString().replace(/\.?0+Z$/, 'Z').replace(/\.Z$/, 'Z');
}

function kindWord(v: GoValue): string {
  if (Array.isArray(v)) return 'array';
  if (v !== null && isGoMap(v)) return 'object';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  return 'bool';
}

export const yamlFuncs: Defs = {
  toYaml: { params: ['interface {}'], fn: (v) => marshalYaml(v as GoValue).replace(/\n$/, '') },
  fromYaml: {
    params: ['string'],
    fn: (s) => {
      const v = fromYamlValue(str(s));
      if (v === undefined || v === null) return {};
      if (!isGoMap(v)) {
        throw new Error(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kindWord(v)} into Go value of type map[string]interface {}`);
      }
      return v;
    },
  },
  fromYamlArray: {
    params: ['string'],
    fn: (s) => {
      const v = fromYamlValue(str(s));
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v)) {
        throw new Error(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kindWord(v)} into Go value of type []interface {}`);
      }
      return v;
    },
  },
};

export { GO_STRING };
