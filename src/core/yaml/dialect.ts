/**
 * The YAML dialects the files of a home-ops repository are read in. The same text means
 * different values to different readers: `goTemplate: yes` is `true` for Kubernetes
 * (sigs.k8s.io/yaml reads YAML 1.1, as go-yaml v2 does) and the string "yes" for a YAML 1.2
 * reader. Each reader (read.ts) names its dialect; this module says what a dialect means, once,
 * for both the `yaml` package and the fast loader.
 *
 * - `yaml-1.2`: the YAML 1.2 core schema (the `yaml` package's default). For files we write or
 *   edit, and for readers that follow 1.2.
 * - `k8s`: what sigs.k8s.io/yaml (go-yaml v2) reads, used by kubectl and the API server's
 *   clients, Argo CD (manifests, ApplicationSet generator files), kustomize (its own
 *   kustomization file) and helm (values): YAML 1.1 booleans (`yes`, `on`, `y`…), `0755` octal,
 *   `0b` binary, `_` in numbers, `<<` merge keys; unlike the `yaml` package's YAML 1.1 schema,
 *   no sexagesimal numbers (`1:30` stays a string) and timestamps stay strings.
 * - `failsafe`: every scalar is the string it is written as (`1.10` stays "1.10"): for surveys
 *   of what a repository writes (chart versions, conventions), where a number would lose text.
 */
import type { ParseOptions, DocumentOptions, SchemaOptions, ToJSOptions, Tags } from 'yaml';

export type YamlDialect = 'yaml-1.2' | 'k8s' | 'failsafe';

/** Bounds what an alias bomb can expand to (the `yaml` package counts alias resolutions). */
export const MAX_ALIAS_COUNT = 1000;

/** Tags of the `yaml` package's YAML 1.1 schema that go-yaml v2 does not resolve from plain scalars. */
const NOT_IN_GO_YAML_V2 = new Set(['TIME']);
const TIMESTAMP = 'tag:yaml.org,2002:timestamp';

function k8sTags(tags: Tags): Tags {
  return tags.filter((t) => {
    if (typeof t !== 'object') return true;
    if (t.tag === TIMESTAMP) return false;
    return !('format' in t && t.format !== undefined && NOT_IN_GO_YAML_V2.has(t.format));
  });
}

/** Options for the `yaml` package's parse in a dialect. */
export function parseOptionsFor(dialect: YamlDialect): ParseOptions & DocumentOptions & SchemaOptions {
  if (dialect === 'k8s') return { version: '1.1', merge: true, customTags: k8sTags };
  if (dialect === 'failsafe') return { schema: 'failsafe' };
  return { version: '1.2' };
}

/** Options for `toJS` in a dialect. */
export function toJSOptionsFor(_dialect: YamlDialect): ToJSOptions {
  return { maxAliasCount: MAX_ALIAS_COUNT };
}

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

/** YAML 1.1 words (the `yaml` package's YAML 1.1 null and bool tags). */
const K8S_TRUE = /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const K8S_FALSE = /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
/**
 * The numeric tags of the `yaml` package's YAML 1.1 schema that the k8s dialect keeps (binary,
 * octal, decimal, hex integers; NaN/infinity, exponent and plain floats), as that package tests
 * them. Copied so the fast loader knows which scalars are numbers at all.
 */
const K8S_NUMBER = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?[0-9][0-9_]*|[-+]?0x[0-9a-fA-F_]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*)$/;
/** Numbers whose value is the same in every reading: no sign, no leading zero, no `_`. */
const SIMPLE_INT = /^(?:0|[1-9][0-9]*)$/;
const SIMPLE_FLOAT = /^(?:0|[1-9][0-9]*)\.[0-9]+$/;

/** Sentinel: the fast loader must leave this scalar to the full parser. */
export const UNRESOLVED: unique symbol = Symbol('unresolved plain scalar');

/**
 * The k8s dialect for the fast loader: words and simple numbers are resolved here (they are
 * most scalars); other numbers (octal `0755`, `1_000`, `0x1F`, `.5`, `+1`, `1e3`…) and the
 * merge key `<<` are left to the full parser, whose YAML 1.1 schema is held to go-yaml v2 by a
 * differential test.
 */
function resolveK8s(s: string): unknown {
  if (s.length === 0) return null;
  const c = s.charCodeAt(0);
  // 0-9 + - . e E: the characters a number of the schema can start with.
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 101 || c === 69) {
    if (!K8S_NUMBER.test(s)) return s;
    if (SIMPLE_INT.test(s)) return parseInt(s, 10);
    if (SIMPLE_FLOAT.test(s)) return parseFloat(s);
    return UNRESOLVED;
  }
  if (c === 126 || c === 110 || c === 78) {
    if (NULL_RE.test(s)) return null;
    if (K8S_FALSE.test(s)) return false;
    return s;
  }
  if (K8S_TRUE.test(s)) return true;
  if (K8S_FALSE.test(s)) return false;
  if (c === 60 && s === '<<') return UNRESOLVED;
  return s;
}

/**
 * How the fast loader resolves a plain scalar in a dialect: a value, or UNRESOLVED when the
 * full parser must decide.
 */
export function plainResolverFor(dialect: YamlDialect): (s: string) => unknown {
  return dialect === 'k8s' ? resolveK8s : dialect === 'failsafe' ? leaveToFullParser : resolveCore;
}

/** Failsafe readings are rare and off the hot path: the full parser makes them. */
function leaveToFullParser(): unknown {
  return UNRESOLVED;
}
