/**
 * The YAML dialects the files of a home-ops repository are read in. The same text means
 * different values to different readers: `goTemplate: yes` is `true` for Kubernetes
 * (sigs.k8s.io/yaml reads YAML 1.1, as go-yaml v2 does) and the string "yes" for a YAML 1.2
 * reader. Each reader (readers.ts) names its dialect; this module says what a dialect means, once,
 * for both the `yaml` package and the fast loader.
 *
 * - `yaml-1.2`: the YAML 1.2 core schema (the `yaml` package's default). For files we write or
 *   edit.
 * - `k8s`: go-yaml v2 as sigs.k8s.io/yaml uses it (kubectl, Argo CD, helm, kustomize reading
 *   its kustomization): YAML 1.1 booleans (`yes`, `on`, `y`…), `<<` merge keys, and go-yaml's
 *   numbers: Go's `strconv.ParseInt(s, 0, 64)` after dropping every `_` (`0755` octal, `0o17`,
 *   `0x1F`, `0X1F`, `0b101`, `1_000`), then unsigned 64-bit, then go-yaml's float pattern
 *   (`1e3`, `.5`, `09`); no sexagesimal numbers (`1:30`) and timestamps stay strings; `.`, `e5`
 *   and numbers out of float range (`1e400`) stay strings.
 * - `kyaml`: go-yaml v3 as kustomize reads a resource file it lists (kyaml), after kustomize
 *   turns it into JSON: YAML 1.2 booleans (`true`/`false` only), go-yaml's numbers (as above),
 *   and timestamps (`2001-12-14`) become RFC 3339 strings (`2001-12-14T00:00:00Z`).
 * - `failsafe`: every scalar is the string it is written as (`1.10` stays "1.10"): for surveys
 *   of what a repository writes (chart versions, conventions), where a number would lose text.
 *
 * test/unit/yaml/readers.test.ts holds `k8s` and `kyaml` to the Go readers themselves.
 */
import { Scalar, type ParseOptions, type DocumentOptions, type SchemaOptions, type ToJSOptions, type Tags, type ScalarTag } from 'yaml';

export type YamlDialect = 'yaml-1.2' | 'k8s' | 'kyaml' | 'failsafe';

/** The dialects of go-yaml: their values are built by goValue.ts, as the Go readers build them. */
export function isGoDialect(dialect: YamlDialect): dialect is 'k8s' | 'kyaml' {
  return dialect === 'k8s' || dialect === 'kyaml';
}

/** Bounds what an alias bomb can expand to (the `yaml` package counts alias resolutions). */
export const MAX_ALIAS_COUNT = 1000;

// ---------------------------------------------------------------------------------------------
// go-yaml's plain-scalar resolution (resolve.go of go.yaml.in/yaml v2.4 and v3.0), exactly.

export type GoTag = 'null' | 'bool' | 'int' | 'float' | 'str' | 'merge' | 'timestamp';

export interface GoScalar {
  readonly tag: GoTag;
  readonly value: unknown;
}

const NULL: GoScalar = { tag: 'null', value: null };
const TRUE: GoScalar = { tag: 'bool', value: true };
const FALSE: GoScalar = { tag: 'bool', value: false };

/** go-yaml's resolve map (v2 has the YAML 1.1 words, v3 only true/false). */
function resolveMap(v3: boolean): ReadonlyMap<string, GoScalar> {
  const m = new Map<string, GoScalar>();
  const put = (r: GoScalar, words: string[]) => words.forEach((w) => m.set(w, r));
  if (!v3) {
    put(TRUE, ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
    put(FALSE, ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
  }
  put(TRUE, ['true', 'True', 'TRUE']);
  put(FALSE, ['false', 'False', 'FALSE']);
  put(NULL, ['', '~', 'null', 'Null', 'NULL']);
  put({ tag: 'float', value: NaN }, ['.nan', '.NaN', '.NAN']);
  put({ tag: 'float', value: Number.POSITIVE_INFINITY }, ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']);
  put({ tag: 'float', value: Number.NEGATIVE_INFINITY }, ['-.inf', '-.Inf', '-.INF']);
  put({ tag: 'merge', value: '<<' }, ['<<']);
  return m;
}
const MAP_V2 = resolveMap(false);
const MAP_V3 = resolveMap(true);

/** After `.`: Go's ParseFloat on a text that starts with a dot (no `_` is dropped there). */
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;
/** Go's ParseInt(s, 0, 64) syntax, on the text without `_`. */
const GO_INT = /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/;
/** go-yaml's yamlStyleFloat, on the text without `_`. */
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const SIMPLE_INT = /^(?:0|[1-9][0-9]{0,14})$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

function goInt(sign: string, body: string): number | undefined {
  const digits = body.length > 1 && body[0] === '0' && /[0-7]/.test(body[1] as string) ? `0o${body.slice(1)}` : body;
  let n = BigInt(digits);
  if (sign === '-') n = -n;
  if (n >= INT64_MIN && n <= INT64_MAX) return Number(n);
  // ParseUint takes no sign at all.
  if (sign === '' && n <= UINT64_MAX) return Number(n);
  return undefined;
}

/** go-yaml's hint table: what the first character allows (0: only a string). */
const HINT = new Uint8Array(128);
for (const c of 'yYnNtTfFoO~<') HINT[c.charCodeAt(0)] = 1; // words of the resolve map
for (const c of '0123456789+-') HINT[c.charCodeAt(0)] = 2; // numbers (and timestamps)
HINT[46] = 3; // `.`: floats, `.inf`, `.nan`

/** How go-yaml resolves the plain scalar `s` (v2 for sigs.k8s.io/yaml, v3 for kyaml). */
export function goResolve(s: string, v3: boolean): GoScalar {
  if (s.length === 0) return NULL;
  const c = s.charCodeAt(0);
  const hint = c < 128 ? (HINT[c] as number) : 0;
  if (hint === 0) return { tag: 'str', value: s };
  const known = (v3 ? MAP_V3 : MAP_V2).get(s);
  if (known) return known;
  if (hint === 3) {
    if (DOT_FLOAT.test(s)) {
      const f = parseFloat(s);
      if (Number.isFinite(f)) return { tag: 'float', value: f };
    }
    return { tag: 'str', value: s };
  }
  if (hint === 1) return { tag: 'str', value: s };
  if (SIMPLE_INT.test(s)) return { tag: 'int', value: parseInt(s, 10) };
  if (v3) {
    const t = goTimestamp(s);
    if (t !== undefined) return { tag: 'timestamp', value: t };
  }
  const plain = s.includes('_') ? s.replace(/_/g, '') : s;
  const m = GO_INT.exec(plain);
  if (m) {
    const n = goInt(m[1] as string, m[2] as string);
    if (n !== undefined) return { tag: 'int', value: n };
  }
  if (GO_FLOAT.test(plain)) {
    const f = parseFloat(plain);
    // Out of float64's range, ParseFloat fails and go-yaml keeps the text.
    if (Number.isFinite(f)) return { tag: 'float', value: f };
  }
  return { tag: 'str', value: s };
}

/**
 * go-yaml v3's timestamps (parseTimestamp: `2006-1-2T15:4:5.999999999Z07:00`, the same with a
 * lower-case `t`, `2006-1-2 15:4:5.999999999`, `2006-1-2`), as kustomize writes them once
 * decoded: RFC 3339 with nanoseconds, trailing zeros dropped. Undefined when not one.
 */
const TIMESTAMP = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:([Tt ])([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,]([0-9]+))?(Z|[-+][0-9]{2}:[0-9]{2})?)?$/;
function goTimestamp(s: string): string | undefined {
  const m = TIMESTAMP.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, sep, h, mi, se, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  const pad = (n: number | string, w = 2) => String(n).padStart(w, '0');
  const date = `${y}-${pad(month)}-${pad(day)}`;
  if (sep === undefined) return `${date}T00:00:00Z`;
  // `T` needs a zone (the layout ends in Z07:00); a space takes none.
  if ((sep === ' ') === (zone !== undefined)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(se) > 59) return undefined;
  if (zone !== undefined && zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4)) > 59)) return undefined;
  const nanos = (frac ?? '').slice(0, 9).replace(/0+$/, '');
  const z = zone === undefined || zone === 'Z' || /^[-+]00:00$/.test(zone) ? 'Z' : zone;
  return `${date}T${pad(h as string)}:${pad(mi as string)}:${pad(se as string)}${nanos ? `.${nanos}` : ''}${z}`;
}

// ---------------------------------------------------------------------------------------------
// The `yaml` package's tags for the go-yaml dialects.

const TAG = 'tag:yaml.org,2002:';

/**
 * A `test` for the `yaml` package that is go-yaml's resolution itself (the package only calls
 * `test.test(text)`): the ranges of Go's integers and floats are no regular language.
 */
function resolvesTo(tag: GoTag, start: RegExp, v3: boolean): RegExp {
  return { test: (s: string) => start.test(s) && goResolve(s, v3).tag === tag } as RegExp;
}

/** A default tag: plain scalars whose go-yaml resolution has this tag. */
function goDefaultTag(tag: GoTag, test: RegExp, v3: boolean): ScalarTag {
  return {
    tag: `${TAG}${tag}`,
    default: true,
    test,
    identify: () => false,
    resolve: (s: string) => new Scalar(goResolve(s, v3).value),
  };
}

/**
 * An explicit tag (`!!int 12`): go-yaml resolves the text and fails unless it has that tag (an
 * int is accepted as a float).
 */
function goExplicitTag(tag: 'null' | 'bool' | 'int' | 'float', v3: boolean): ScalarTag {
  return {
    tag: `${TAG}${tag}`,
    default: false,
    identify: () => false,
    resolve(s: string, onError: (message: string) => void) {
      const r = goResolve(s, v3);
      if (r.tag === tag) return new Scalar(r.value);
      if (tag === 'float' && r.tag === 'int') return new Scalar(r.value);
      onError(`cannot decode !!${r.tag === 'timestamp' ? 'timestamp' : r.tag} \`${s}\` as a !!${tag}`);
      return s;
    },
  };
}

/** `!!binary`: go-yaml decodes the base64 (line breaks skipped, padding required) into a string. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BINARY: ScalarTag = {
  tag: `${TAG}binary`,
  default: false,
  identify: () => false,
  resolve(s: string, onError: (message: string) => void) {
    const b64 = s.replace(/[\r\n]/g, '');
    if (!BASE64.test(b64)) {
      onError('!!binary value contains invalid base64 data');
      return s;
    }
    return Buffer.from(b64, 'base64').toString('utf8');
  },
};

/**
 * The tags of a go-yaml dialect: the collections and strings of the `yaml` package, and
 * go-yaml's scalars. Tags go-yaml does not know (`!!set`, `!!omap`, `!!pairs`, `!!timestamp` in
 * v2) are left out, so that the collections they mark read as plain maps and lists.
 */
function goTags(v3: boolean): (tags: Tags) => Tags {
  const word = (words: string[]) => new RegExp(`^(?:${words.map((w) => w.replace(/[.+]/g, '\\$&')).join('|')})$`);
  const scalars: ScalarTag[] = [
    goDefaultTag('null', /^(?:~|null|Null|NULL)?$/, v3),
    goDefaultTag('bool', word(v3 ? ['true', 'True', 'TRUE', 'false', 'False', 'FALSE'] : ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE']), v3),
    goDefaultTag('float', word(['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF']), v3),
    // Texts that can be numbers (or timestamps): go-yaml's resolution says which they are.
    goDefaultTag('int', resolvesTo('int', /^[-+0-9]/, v3), v3),
    goDefaultTag('float', resolvesTo('float', /^[-+0-9.]/, v3), v3),
    ...(v3 ? [goDefaultTag('timestamp', resolvesTo('timestamp', /^[0-9]{4}-/, v3), v3)] : []),
    goExplicitTag('null', v3),
    goExplicitTag('bool', v3),
    goExplicitTag('int', v3),
    goExplicitTag('float', v3),
    BINARY,
  ];
  const kept = new Set([`${TAG}map`, `${TAG}seq`, `${TAG}str`]);
  return (tags) => [...tags.filter((t) => typeof t === 'object' && kept.has(t.tag)), ...scalars];
}
const K8S_TAGS = goTags(false);
const KYAML_TAGS = goTags(true);

/** Options for the `yaml` package's parse in a dialect. */
export function parseOptionsFor(dialect: YamlDialect): ParseOptions & DocumentOptions & SchemaOptions {
  // The `yaml` package's warnings (a map used as a key, say) go to process.emitWarning: a line on
  // the user's terminal from a library. What matters is reported as a problem instead.
  const quiet = { logLevel: 'error' } as const;
  if (dialect === 'k8s') return { ...quiet, version: '1.1', merge: true, customTags: K8S_TAGS, resolveKnownTags: false };
  if (dialect === 'kyaml') return { ...quiet, version: '1.2', merge: true, customTags: KYAML_TAGS, resolveKnownTags: false };
  if (dialect === 'failsafe') return { ...quiet, schema: 'failsafe' };
  return { ...quiet, version: '1.2' };
}

/** Options for `toJS` in a dialect. */
export function toJSOptionsFor(_dialect: YamlDialect): ToJSOptions {
  return { maxAliasCount: MAX_ALIAS_COUNT };
}

// ---------------------------------------------------------------------------------------------
// The fast loader's plain scalars.

/** Plain-scalar resolution of the YAML 1.2 core schema, in the `yaml` package's order. */
const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT_RE = /^0o[0-7]+$/;
const INT_RE = /^[-+]?[0-9]+$/;
const INT_HEX_RE = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

function resolveCore(s: string): unknown {
  if (s.length === 0) return null;
  // The first character tells which tags can match at all: most scalars are plain words.
  const c = s.charCodeAt(0);
  if (c === 126 || c === 110 || c === 78) return NULL_RE.test(s) ? null : s; // ~ n N
  if (c === 116 || c === 84 || c === 102 || c === 70) return BOOL_RE.test(s) ? c === 116 || c === 84 : s; // t T f F
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return s; // 0-9 + - .
  if (INT_OCT_RE.test(s)) return parseInt(s.substring(2), 8);
  if (INT_RE.test(s)) return parseInt(s, 10);
  if (INT_HEX_RE.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_NAN_RE.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP_RE.test(s) || FLOAT_RE.test(s)) return parseFloat(s);
  return s;
}

/** Sentinel: the fast loader must leave this scalar to the full parser. */
export const UNRESOLVED: unique symbol = Symbol('unresolved plain scalar');

/**
 * A go-yaml dialect for the fast loader: go-yaml's own resolution, except what the full reading
 * must judge (the merge key `<<`; NaN and infinities, which no JSON can carry).
 */
function goResolverFor(v3: boolean): (s: string) => unknown {
  return (s) => {
    // Most scalars are words that can only be strings: no resolution to allocate.
    const c = s.charCodeAt(0);
    if (c >= 128 || HINT[c] === 0) return s;
    const r = goResolve(s, v3);
    if (r.tag === 'merge') return UNRESOLVED;
    if (r.tag === 'float' && !Number.isFinite(r.value as number)) return UNRESOLVED;
    return r.value;
  };
}
const RESOLVE_K8S = goResolverFor(false);
const RESOLVE_KYAML = goResolverFor(true);

/**
 * How the fast loader resolves a plain scalar in a dialect: a value, or UNRESOLVED when the
 * full parser must decide.
 */
export function plainResolverFor(dialect: YamlDialect): (s: string) => unknown {
  if (dialect === 'k8s') return RESOLVE_K8S;
  if (dialect === 'kyaml') return RESOLVE_KYAML;
  return dialect === 'failsafe' ? leaveToFullParser : resolveCore;
}

/** Failsafe readings are rare and off the hot path: the full parser makes them. */
function leaveToFullParser(): unknown {
  return UNRESOLVED;
}
