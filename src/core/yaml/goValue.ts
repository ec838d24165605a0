/**
 * The value a Go reader makes of a parsed document, in place of the `yaml` package's `toJS`, for
 * the two go-yaml dialects (dialect.ts), with the first thing that reader rejects, located.
 *
 * - `k8s`, go-yaml v2 then JSON, as sigs.k8s.io/yaml reads for kubectl, Argo CD, helm and
 *   kustomize's kustomization: a merge key (`<<`) assigns the merged map's keys where it stands,
 *   so a key written *before* `<<` is overwritten by the merged one; keys become JSON strings as
 *   sigs.k8s.io/yaml makes them (`y` → "true", `1.5` → "1.5" in float32 `%g`, `1e6` → "1e+06"),
 *   and a null key or a list or map used as a key is an error; NaN and infinities are errors
 *   (JSON has none).
 * - `kyaml`, go-yaml v3 as kustomize reads a resource it lists: kyaml resolves every alias to a
 *   copy and merges `<<` itself (the map's own keys win, then the earlier merged maps; two `<<` in
 *   one map are an error, and so is an alias inside its own anchor: kustomize dies of a stack
 *   overflow), then turns the document into JSON: the top-level keys are the text written, and
 *   a key of a nested map must be a string (`1: x` below the top is an error).
 *
 * Both are held to the Go readers themselves by test/unit/yaml/readers.test.ts.
 */
import { isAlias, isMap, isScalar, isSeq, type Alias, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { goResolve, MAX_ALIAS_COUNT } from './dialect';

export interface ValueProblem {
  /** Offsets in the text. */
  readonly range: readonly [number, number];
  readonly message: string;
}

export type GoValueResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: ValueProblem };

class Rejected {
  constructor(readonly problem: ValueProblem) {}
}

/**
 * The document's value as the reader of `dialect` makes it; `who` names that reader in
 * messages ("Kubernetes", "kustomize").
 */
export function goValue(doc: Document.Parsed, text: string, dialect: 'k8s' | 'kyaml', who: string, addsFinalBreak: boolean): GoValueResult {
  const reader = new GoReader(doc, text, dialect === 'kyaml', who, addsFinalBreak && !text.endsWith('\n'));
  try {
    const value = reader.value(doc.contents, 0);
    const notJson = findNotJson(value);
    if (notJson) {
      const n = notJson.node;
      const r = n.range ?? doc.range;
      return { ok: false, problem: { range: [r[0], Math.max(r[1], r[0])], message: `\`${String(n.source)}\` is ${Number.isNaN(n.value) ? 'NaN' : 'an infinity'}, which JSON cannot hold; ${who} rejects the file (quote it to keep it as text).` } };
    }
    return { ok: true, value };
  } catch (e) {
    if (e instanceof Rejected) return { ok: false, problem: e.problem };
    if (e instanceof RangeError) {
      const r = doc.contents?.range ?? doc.range;
      return { ok: false, problem: { range: [r[0], r[0]], message: `This document nests too deeply to be read (${e.message}).` } };
    }
    throw e;
  }
}

const TAG = 'tag:yaml.org,2002:';
const ANCHOR_NAME = /^[0-9A-Za-z_-]+$/;

/** A NaN or an infinity, which the reader's conversion to JSON rejects if it is still there. */
class NotJson {
  constructor(readonly node: Scalar) {}
}

/** The first NotJson left in a value (walked with a stack: values nest deep). */
function findNotJson(value: unknown): NotJson | undefined {
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v instanceof NotJson) return v;
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    else if (v !== null && typeof v === 'object') stack.push(...Object.values(v).reverse());
  }
  return undefined;
}

type MapNode = YAMLMap<unknown, unknown>;

class GoReader {
  private aliases = 0;
  /** Nodes being read: an alias to one of them is an alias inside its own anchor. */
  private readonly open = new Set<unknown>();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly text: string,
    private readonly v3: boolean,
    private readonly who: string,
    /** The reader ends the text with a line break (kubectl's splitter ends every line with one). */
    private readonly finalBreak: boolean,
  ) {}

  private reject(node: unknown, message: string): never {
    const r = (node as Node | undefined)?.range ?? this.doc.contents?.range ?? this.doc.range;
    throw new Rejected({ range: [r[0], Math.max(r[1], r[0])], message });
  }

  /** The node an alias names, counted and checked. */
  private target(alias: Alias): Node {
    const target = alias.resolve(this.doc) as Node | undefined;
    if (!target) this.reject(alias, `The alias *${alias.source} names no anchor defined before it; ${this.who} rejects the file.`);
    if (this.open.has(target)) {
      this.reject(alias, this.v3 ? `The anchor &${alias.source} contains an alias to itself; kustomize crashes on it (stack overflow).` : `The anchor &${alias.source} contains an alias to itself; ${this.who} rejects the file.`);
    }
    if (++this.aliases > MAX_ALIAS_COUNT) this.reject(alias, `Aliases here expand to more than ${MAX_ALIAS_COUNT} copies; the file is not read further.`);
    return target;
  }

  value(node: unknown, depth: number): unknown {
    if (node === null || node === undefined) return null;
    // go-yaml's scanner takes letters, digits, `_` and `-` in an anchor's or alias's name.
    const name = isAlias(node) ? node.source : (node as { anchor?: string }).anchor;
    if (name !== undefined && !ANCHOR_NAME.test(name)) {
      this.reject(node, `The name \`${name}\` of this ${isAlias(node) ? 'alias' : 'anchor'} has characters go-yaml does not take (only letters, digits, \`_\` and \`-\`); ${this.who} rejects the file.`);
    }
    if (isAlias(node)) return this.value(this.target(node), depth);
    if (isScalar(node)) return this.scalar(node);
    this.open.add(node);
    try {
      if (isSeq(node)) return node.items.map((item) => this.value(item, depth + 1));
      if (isMap(node)) return this.v3 ? this.mapV3(node as MapNode, depth) : this.mapV2(node as MapNode, {});
    } finally {
      this.open.delete(node);
    }
    return null;
  }

  private scalar(node: Scalar): unknown {
    const v = node.value;
    if (node.type === 'QUOTE_DOUBLE' && node.range) {
      // YAML 1.2 added `\/`; go-yaml's scanner stops at it.
      const raw = this.text.slice(node.range[0], node.range[1]);
      for (let i = raw.indexOf('\\'); i !== -1; i = raw.indexOf('\\', i + 2)) {
        if (raw[i + 1] === '/') this.reject(node, `\`\\/\` is not an escape go-yaml knows; ${this.who} rejects the file (write \`/\`).`);
      }
    }
    // A top-level block scalar needs its lines indented in go-yaml (at least one space): from a
    // line at column 0 on, it reads an empty scalar and then nothing more.
    if ((node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && node === this.doc.contents && node.range) {
      const header = this.text.indexOf('\n', node.range[0]);
      const firstLine = header === -1 ? undefined : /^(?:[ \t]*\n)*( *)\S/.exec(this.text.slice(header + 1));
      if (firstLine && firstLine[1] === '') return '';
    }
    // A block scalar cut by the end of the text keeps no line break in go-yaml (clip or keep
    // chomping); the `yaml` package adds one. kubectl's splitter ends every line with one.
    if ((node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && typeof v === 'string' && v.endsWith('\n') && !this.finalBreak && !this.text.endsWith('\n') && (node.range?.[1] ?? 0) >= this.text.length) {
      return v.slice(0, -1);
    }
    // Judged when the value is turned into JSON, at the end: a repeated key may drop it first.
    if (typeof v === 'number' && !Number.isFinite(v)) return new NotJson(node);
    return v;
  }

  // -- go-yaml v2 (sigs.k8s.io/yaml) -------------------------------------------------------

  /** go-yaml v2's mapping decode: pairs in order, `<<` assigning the merged keys where it stands. */
  private mapV2(node: MapNode, out: Record<string, unknown>): Record<string, unknown> {
    for (const pair of node.items) {
      if (!isMergeKey(pair.key)) setKey(out, this.keyV2(pair), this.value(pair.value, 1));
      else {
        this.mergeV2(pair);
        for (const [k, v] of this.mergedV2(pair)) setKey(out, k, v);
      }
    }
    return out;
  }

  /** Checks a merge's value (go-yaml v2's `merge`: a map, an alias of one, or a list of them). */
  private mergeV2(pair: Pair<unknown, unknown>): void {
    const v = pair.value;
    const isMapLike = (n: unknown) => isMap(n) || (isAlias(n) && isMap(n.resolve(this.doc)));
    if (isMapLike(v) || (isSeq(v) && v.items.every(isMapLike))) return;
    this.reject(pair.value ?? pair.key, `A merge key (<<) needs a map, an alias of a map, or a list of them; ${this.who} rejects the file.`);
  }

  /** The merged keys in the order go-yaml v2 assigns them: a list's last map first. */
  private mergedV2(pair: Pair<unknown, unknown>): Array<[string, unknown]> {
    const v = pair.value;
    const sources = isSeq(v) ? [...v.items].reverse() : [v];
    const out: Array<[string, unknown]> = [];
    for (const s of sources) {
      const m = isAlias(s) ? this.target(s) : s;
      this.open.add(m);
      try {
        out.push(...Object.entries(this.mapV2(m as MapNode, {})));
      } finally {
        this.open.delete(m);
      }
    }
    return out;
  }

  /** A key as sigs.k8s.io/yaml writes it into JSON. */
  private keyV2(pair: Pair<unknown, unknown>): string {
    const k = isAlias(pair.key) ? this.target(pair.key) : pair.key;
    if (!isScalar(k)) return this.reject(k ?? pair.value, `A list or map is used as a key; ${this.who} rejects the file (a key must be a string, number or boolean).`);
    const v = k.value;
    if (v === null || v === undefined) return this.reject(k, `This key is null (\`${String(k.source ?? '')}\`); ${this.who} rejects the file (quote it, or name it).`);
    if (typeof v === 'number' && isFloatScalar(k)) return goFloat32Key(v);
    return String(v);
  }

  // -- kyaml (go-yaml v3 nodes, kustomize's merge, then JSON) ------------------------------

  private mapV3(node: MapNode, depth: number): Record<string, unknown> {

    const merged = new Map<string, unknown>();
    const merges = node.items.filter((p) => isMergeKey(p.key));
    if (merges.length > 1) this.reject(merges[1]?.key, 'Two merge keys (<<) in one mapping; kustomize rejects the file ("duplicate merge key").');
    if (merges[0]) {
      for (const source of this.mergeSourcesV3(merges[0])) {
        this.open.add(source);
        try {
          for (const [k, v] of Object.entries(this.mapV3(source, depth))) merged.set(k, v);
        } finally {
          this.open.delete(source);
        }
      }
    }
    for (const pair of node.items) {
      if (isMergeKey(pair.key)) continue;
      const key = this.keyV3(pair, depth);
      // kyaml clears every field named `<<` once merged, even a quoted one, which is no merge.
      if (key !== '<<') merged.set(key, this.value(pair.value, depth + 1));
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of merged) setKey(out, k, v);
    return out;
  }

  /** kyaml's findMergeValues: the maps a `<<` names, a list's last one first (earlier ones win). */
  private mergeSourcesV3(pair: Pair<unknown, unknown>): MapNode[] {
    const one = (n: unknown): MapNode => {
      const m = isAlias(n) ? this.target(n) : n;
      if (isMap(m)) return m as MapNode;
      if (isSeq(m)) return this.reject(m, 'A merge key (<<) lists a list; kustomize rejects the file ("invalid map merge: received a nested sequence").');
      return this.reject(m ?? pair.key, `A merge key (<<) needs a map, an alias of a map, or a list of them; kustomize rejects the file.`);
    };
    const v = pair.value;
    return isSeq(v) ? v.items.map(one).reverse() : [one(v)];
  }

  /**
   * A key as kustomize's JSON has it: the text written for the top-level keys of a document;
   * below, only string keys can be turned into JSON.
   */
  private keyV3(pair: Pair<unknown, unknown>, depth: number): string {
    const k = isAlias(pair.key) ? this.target(pair.key) : pair.key;
    if (!isScalar(k)) return this.reject(k ?? pair.value, 'A list or map is used as a key; kustomize rejects the file ("invalid map key").');
    if (k.value === null || k.value === undefined) return this.reject(k, `This key is null (\`${String(k.source ?? '')}\`); kustomize rejects the file (quote it, or name it).`);
    // (`!` alone is the non-specific tag: a string.)
    if (depth > 0 && k.tag && k.tag !== `${TAG}str` && k.tag !== '!') {
      return this.reject(k, `The key \`${String(k.source)}\` has the tag \`${k.tag}\`, so it is no string to go-yaml; kustomize cannot turn this map into JSON and rejects the file (remove the tag).`);
    }
    if (depth > 0 && typeof k.value !== 'string') {
      return this.reject(k, `The key \`${String(k.source)}\` is read as a ${typeof k.value === 'number' ? 'number' : typeof k.value}, not a string; kustomize cannot turn this map into JSON and rejects the file (quote the key).`);
    }
    return typeof k.value === 'string' && k.type !== 'PLAIN' ? k.value : String(k.source ?? k.value);
  }
}

/** `<<` written plain: a merge key in both go-yaml dialects. */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol' && (key.type === undefined || key.type === 'PLAIN');
}

function isFloatScalar(k: Scalar): boolean {
  if (k.tag) return k.tag === `${TAG}float`;
  return k.type === 'PLAIN' && goResolve(String(k.source), false).tag === 'float';
}

/** A key set as data, even `__proto__`. */
function setKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}

/**
 * A float key as sigs.k8s.io/yaml writes it: `strconv.FormatFloat(f, 'g', -1, 32)` (the shortest
 * text that reads back as the same float32; exponent form from 1e+06 and below 1e-04), with
 * go-yaml's words for the infinities and NaN.
 */
export function goFloat32Key(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  const x = Math.fround(f);
  if (x === Number.POSITIVE_INFINITY) return '.inf';
  if (x === Number.NEGATIVE_INFINITY) return '-.inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  let digits = '';
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const s = Math.abs(x).toExponential(p - 1);
    if (Math.fround(Number(s)) === Math.abs(x)) {
      const [mant, e] = s.split('e') as [string, string];
      digits = mant.replace('.', '');
      exp = Number(e);
      break;
    }
  }
  const sign = x < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${e}`;
  }
  const dp = exp + 1;
  if (dp <= 0) return `${sign}0.${'0'.repeat(-dp)}${digits}`;
  if (dp >= digits.length) return `${sign}${digits}${'0'.repeat(dp - digits.length)}`;
  return `${sign}${digits.slice(0, dp)}.${digits.slice(dp)}`;
}
