/**
 * A chart's `values.schema.json` compiled as helm v3.22 reads it (pkg/chartutil/jsonschema.go,
 * santhosh-tekuri/jsonschema v6): the draft its `$schema` names — draft-04, -06, -07, 2019-09 or
 * 2020-12 — and 2020-12 when it names none (that library's default, so not draft-07). Formats
 * are not asserted: helm asserts them for drafts before 2019-09 only, with Go's own format
 * checkers, and a format JavaScript judges differently would be a false error. Patterns are
 * Go (RE2) regular expressions; they compile as JavaScript ones without the `u` flag, which
 * reads the escapes RE2 accepts.
 *
 * Each schema is compiled once per process, by the hash of its text (compiling app-template's
 * takes tens of milliseconds; validating a values file, well under one).
 */
import { createHash } from 'node:crypto';
import type { ErrorObject } from 'ajv';
import Ajv from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import AjvDraft04 from 'ajv-draft-04';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import { describeAt, toIssues, type JsonSchema, type SchemaIssue, type SchemaNodeInfo } from '../schema';

export type Draft = 'draft-04' | 'draft-06' | 'draft-07' | '2019-09' | '2020-12';

export interface CompiledValuesSchema {
  draft: Draft;
  /** The issues of one values object against the schema (empty when it is valid). */
  validate(values: unknown): SchemaIssue[];
  /** What the schema says about a values path: hover and completion. */
  describe(path: ReadonlyArray<string | number>): SchemaNodeInfo | undefined;
}

export type CompileResult = { ok: true; schema: CompiledValuesSchema } | { ok: false; reason: string };

/** Which draft a schema is read as (helm: its `$schema`, else 2020-12). */
export function draftOf(schema: Record<string, unknown>): Draft {
  const s = typeof schema['$schema'] === 'string' ? schema['$schema'] : '';
  if (/draft-04/.test(s)) return 'draft-04';
  if (/draft-06/.test(s)) return 'draft-06';
  if (/draft-07/.test(s)) return 'draft-07';
  if (/2019-09/.test(s)) return '2019-09';
  return '2020-12';
}

const DOC = 'values.schema.json';
const MAX_COMPILED = 64;
const compiled = new Map<string, CompileResult>();

/** The schema compiled (from the cache of this process when the same text was compiled before). */
export function compileValuesSchema(text: string, schema: Record<string, unknown>): CompileResult {
  const key = createHash('sha256').update(text).digest('hex');
  const hit = compiled.get(key);
  if (hit) {
    compiled.delete(key);
    compiled.set(key, hit);
    return hit;
  }
  const result = compile(schema);
  compiled.set(key, result);
  while (compiled.size > MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
  return result;
}

function compile(schema: Record<string, unknown>): CompileResult {
  const draft = draftOf(schema);
  const options = { strict: false, allErrors: true, validateFormats: false, validateSchema: false, unicodeRegExp: false, logger: false as const, addUsedSchema: false } as const;
  let ajv: Ajv;
  if (draft === 'draft-04') ajv = new AjvDraft04(options) as unknown as Ajv;
  else if (draft === '2019-09') ajv = new Ajv2019(options);
  else if (draft === '2020-12') ajv = new Ajv2020(options);
  else {
    ajv = new Ajv(options);
    if (draft === 'draft-06') ajv.addMetaSchema(draft06);
  }
  // The schema as ajv may keep it: `$id` would make a second chart with the same id collide, and
  // `$schema` is already decided. Before 2019-09 a `$ref` stands alone (its siblings are ignored);
  // ajv 8 applies them in every draft, so they go.
  const { $id: _id, $schema: _schema, id: _legacyId, ...rest } = schema;
  const refsDone = draft === 'draft-04' || draft === 'draft-06' || draft === 'draft-07' ? refsAlone(rest) : rest;
  const safe = withoutRiskyPatterns(refsDone);
  if (!safe) return { ok: false, reason: 'its values.schema.json has a patternProperties regular expression that could take exponential time in JavaScript (helm runs it with Go RE2, in linear time), so Home-Ops does not run it' };
  const body = safe;
  let fn: ReturnType<Ajv['compile']>;
  try {
    fn = ajv.compile(body);
  } catch (e) {
    const message = (e as Error).message;
    return { ok: false, reason: /can't resolve reference|missing/i.test(message) ? `its values.schema.json refers to a schema outside it (${message}), which helm would fetch; Home-Ops does not` : `its values.schema.json does not compile (${message})` };
  }
  const docs: Readonly<Record<string, JsonSchema>> = { [DOC]: schema as JsonSchema };
  const describe = (path: ReadonlyArray<string | number>) => describeAt(schema as JsonSchema, DOC, [...path], docs);
  return {
    ok: true,
    schema: {
      draft,
      validate(values) {
        if (fn(values)) return [];
        return toIssues((fn.errors ?? []) as ErrorObject[], values, false, describe, false);
      },
      describe,
    },
  };
}

/** A copy where every object with `$ref` keeps only it (and the definitions other refs point into). */
function refsAlone(node: Record<string, unknown>): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const keep = typeof o['$ref'] === 'string' ? ['$ref', 'definitions'] : Object.keys(o);
    const out: Record<string, unknown> = {};
    for (const k of keep) if (k in o) out[k] = k === '$ref' ? o[k] : walk(o[k]);
    return out;
  };
  return walk(node) as Record<string, unknown>;
}

/**
 * A quantified group that holds a quantifier (`(a+)+`, `(\\w*)*`, `(x{1,})+`): the shape that
 * backtracks exponentially in JavaScript. Helm runs patterns with RE2, which cannot; a schema
 * from a repository must not hang the editor.
 */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*(?:[+*]|\{\d+,\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\d*\})/;

export function isRiskyPattern(pattern: string): boolean {
  return NESTED_QUANTIFIER.test(pattern);
}

/**
 * The schema without `pattern`s that could backtrack exponentially (their check is lost: a
 * missed error, never a hang); undefined when such a regular expression names properties
 * (`patternProperties`), whose removal would turn matching keys into unknown ones.
 */
function withoutRiskyPatterns(node: Record<string, unknown>): Record<string, unknown> | undefined {
  let refused = false;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === 'pattern' && typeof x === 'string' && isRiskyPattern(x)) continue;
      if (k === 'patternProperties' && x && typeof x === 'object' && Object.keys(x).some(isRiskyPattern)) refused = true;
      out[k] = walk(x);
    }
    return out;
  };
  const out = walk(node) as Record<string, unknown>;
  return refused ? undefined : out;
}
