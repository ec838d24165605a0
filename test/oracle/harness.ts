/**
 * The differential harness: builds the Go oracle (test/oracle/gotemplate), feeds it every case in
 * one process, runs the same cases through our engine and compares. Shared by
 * test/unit/oracle.test.ts and scripts/oracle-report.ts.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildGoProgram, goVersion } from '../support/go';
import { GoInt, typedMap, typedSlice, type GoMap, type GoValue } from '../../src/core/template/value';
import { handwrittenCases } from './cases';
import { DEFAULT_COUNT, DEFAULT_SEED, generateCases } from './generate';
import type { DataType, GoResult, JsonObject, OracleCase } from './types';

export const ORACLE_DIR = path.join(__dirname, 'gotemplate');

/** All cases: hand-written first, then the generated set for `seed`. */
export function allCases(seed = DEFAULT_SEED, count = DEFAULT_COUNT): OracleCase[] {
  return [...handwrittenCases(), ...generateCases(seed, count)];
}

export { goVersion };

/** The built oracle (cached outside the repository, keyed by its sources and the toolchain). */
export function buildOracle(): string {
  return buildGoProgram(ORACLE_DIR, 'oracle');
}

function caseLine(c: OracleCase): string {
  const line: Record<string, unknown> = { id: c.id, template: c.template, data: c.data ?? {} };
  if (c.options) line.options = c.options;
  if (c.stringSlices) line.stringSlices = c.stringSlices;
  if (c.dataTypes) line.dataTypes = c.dataTypes;
  return JSON.stringify(line);
}

/** Runs every case through one oracle process (TZ=UTC, as in Argo CD's container). */
export function runOracle(bin: string, cases: OracleCase[]): Promise<Map<string, GoResult>> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [], { env: { ...process.env, TZ: 'UTC' }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`oracle exited with ${code}: ${Buffer.concat(err).toString('utf8')}`));
        return;
      }
      const results = new Map<string, GoResult>();
      for (const line of Buffer.concat(out).toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        const r = JSON.parse(line) as GoResult;
        results.set(r.id, r);
      }
      resolve(results);
    });
    child.stdin.end(cases.map(caseLine).join('\n') + '\n');
  });
}

// ---------------------------------------------------------------------------------------------
// Our engine

/** What our engine did with a case. `crash` = it threw something other than a GoTemplateError. */
export type OurResult = { output: string } | { error: string; kind: 'parse' | 'exec' | 'crash' };

export interface Engine {
  render(template: string, data: GoMap, options: string[]): string;
  /** 'parse' | 'exec' for a GoTemplateError, undefined for anything else thrown. */
  errorKind(e: unknown): 'parse' | 'exec' | undefined;
}

type EngineIndex = typeof import('../../src/core/template');
type SprigIndex = typeof import('../../src/core/template/sprig');

export const ENGINE_PATH = path.join(__dirname, '..', '..', 'src', 'core', 'template', 'index.ts');
export const SPRIG_PATH = path.join(__dirname, '..', '..', 'src', 'core', 'template', 'sprig', 'index.ts');

function loadModule<T>(file: string): T | string {
  if (!fs.existsSync(file)) return `${file} does not exist yet`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as T;
  } catch (e) {
    return `loading ${file} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
  }
}

/**
 * Our engine as Argo CD uses it: `renderGoTemplate` with `argoCdFuncs()` and the case's
 * `goTemplateOptions`. Loaded by path (types checked via `typeof import`) so that a broken or
 * unfinished engine is reported as one clear failure, not as a crash of the test file.
 */
export function loadEngine(): Engine | string {
  const idx = loadModule<EngineIndex>(ENGINE_PATH);
  if (typeof idx === 'string') return idx;
  const sprig = loadModule<SprigIndex>(SPRIG_PATH);
  if (typeof sprig === 'string') return sprig;
  let funcs: ReturnType<SprigIndex['argoCdFuncs']>;
  try {
    funcs = sprig.argoCdFuncs();
  } catch (e) {
    return `argoCdFuncs() failed: ${e instanceof Error ? e.message : String(e)}`;
  }
  return {
    render: (template, data, options) => {
      const opts = idx.parseGoTemplateOptions(options);
      if (opts.error !== undefined) {
        // Go parses first and panics in Template.Option afterwards, so a parse error wins.
        idx.parseGoTemplateCached(template, { funcs });
        throw new idx.GoTemplateError('exec', opts.error, 0, 0);
      }
      return idx.renderGoTemplate(template, data, { funcs, missingKey: opts.missingKey });
    },
    errorKind: (e) => (e instanceof idx.GoTemplateError ? e.kind : undefined),
  };
}

function setAt(data: JsonObject, dotted: string, conv: (v: GoValue) => GoValue): void {
  const parts = dotted.split('.');
  let cur: GoMap = data as GoMap;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (typeof next !== 'object' || next === null || Array.isArray(next) || next instanceof GoInt) return;
    cur = next;
  }
  const last = parts[parts.length - 1] ?? '';
  if (!(last in cur)) return;
  cur[last] = conv(cur[last] ?? null);
}

const CONVERT: Record<DataType, (v: GoValue) => GoValue> = {
  '[]string': (v) => typedSlice(v as GoValue[], 'string'),
  int: (v) => new GoInt(v as number, 'int'),
  int64: (v) => new GoInt(v as number, 'int64'),
  '[]int': (v) =>
    typedSlice(
      (v as number[]).map((n) => new GoInt(n, 'int')),
      'int',
    ),
  'map[string]string': (v) => typedMap(v as GoMap, 'string'),
};

/** The case's data as engine values: a deep copy (engines may not mutate cases) with Go types applied. */
export function engineData(c: OracleCase): GoMap {
  const data = structuredClone(c.data ?? {}) as JsonObject;
  for (const p of c.stringSlices ?? []) setAt(data, p, CONVERT['[]string']);
  for (const [p, t] of Object.entries(c.dataTypes ?? {})) setAt(data, p, CONVERT[t]);
  return data as GoMap;
}

export function runOurs(engine: Engine, c: OracleCase): OurResult {
  try {
    return { output: engine.render(c.template, engineData(c), c.options ?? []) };
  } catch (e) {
    const kind = engine.errorKind(e) ?? 'crash';
    const msg = e instanceof Error ? (kind === 'crash' ? (e.stack ?? e.message) : e.message) : String(e);
    return { error: msg, kind };
  }
}

// ---------------------------------------------------------------------------------------------
// Comparison

export type Verdict = 'identical' | 'both-error' | 'known-difference' | 'mismatch';

/**
 * Cases where both fail in the same phase but the messages differ for a reason that is not the
 * engine's to fix: each names the reason, and the part of the message that must still be Go's.
 * Every other error message must be Go's byte for byte.
 */
export const MESSAGE_DIFFERENCES: Readonly<Record<string, { reason: string; goPrefix: string }>> = {
  'exec-error/045': {
    reason:
      "fromYaml on malformed YAML: the parser's own words. Go's come from go-yaml v2 (through sigs.k8s.io/yaml), ours from the yaml package, and go-yaml's syntax errors are not modelled one by one.",
    goPrefix: 'template: :1:2: executing "" at <fromYaml "a: [">: error calling fromYaml: error converting YAML to JSON: yaml: ',
  },
};

/**
 * Go's message as Argo CD's user would read it. The oracle marks a panic it recovered (Template.Option
 * rejecting an option) with `panic: `; the panic's value is the message, and our engine returns it as is.
 */
function goMessage(go: GoResult): string {
  return (go.error ?? '').replace(/^panic: /, '');
}

export interface Outcome {
  case: OracleCase;
  go: GoResult;
  ours: OurResult;
  verdict: Verdict;
  /** Why it is a mismatch. */
  reason?: string;
}

export function compare(c: OracleCase, go: GoResult, ours: OurResult): Outcome {
  const o = (verdict: Verdict, reason?: string): Outcome => ({ case: c, go, ours, verdict, reason });
  if (go.phase === 'case') return o('mismatch', `malformed case: ${go.error ?? ''}`);
  if (go.output !== undefined) {
    if ('output' in ours) return ours.output === go.output ? o('identical') : o('mismatch', 'different output');
    return o('mismatch', `Go rendered, ours failed (${ours.kind})`);
  }
  if ('output' in ours) return o('mismatch', `Go failed (${go.phase ?? '?'}), ours rendered`);
  if (ours.kind === 'crash') return o('mismatch', 'ours threw a non-GoTemplateError');
  if (ours.kind !== go.phase) return o('mismatch', `Go failed at ${go.phase ?? '?'}, ours at ${ours.kind}`);
  if (ours.error === goMessage(go)) return o('both-error');
  const known = MESSAGE_DIFFERENCES[c.id];
  if (known && goMessage(go).startsWith(known.goPrefix) && ours.error.startsWith(known.goPrefix)) return o('known-difference', known.reason);
  return o('mismatch', `same ${ours.kind} error, different message`);
}

export interface Summary {
  outcomes: Outcome[];
  identical: number;
  /** Both failed alike: same phase, same message. */
  bothError: number;
  /** Both failed in the same phase; the messages differ as MESSAGE_DIFFERENCES says. */
  knownDifferences: Outcome[];
  mismatched: Outcome[];
}

export function runAll(engine: Engine, cases: OracleCase[], goResults: Map<string, GoResult>): Summary {
  const outcomes: Outcome[] = [];
  for (const c of cases) {
    const go = goResults.get(c.id) ?? { id: c.id, error: 'the oracle returned no result', phase: 'case' as const };
    outcomes.push(compare(c, go, runOurs(engine, c)));
  }
  return {
    outcomes,
    identical: outcomes.filter((o) => o.verdict === 'identical').length,
    bothError: outcomes.filter((o) => o.verdict === 'both-error').length,
    knownDifferences: outcomes.filter((o) => o.verdict === 'known-difference'),
    mismatched: outcomes.filter((o) => o.verdict === 'mismatch'),
  };
}

export function summaryLine(s: Summary): string {
  return `oracle: ${s.outcomes.length} cases, ${s.identical} identical, ${s.bothError} both-error with Go's message, ${s.knownDifferences.length} known message differences, ${s.mismatched.length} mismatched`;
}

function show(v: string | undefined, max = 400): string {
  if (v === undefined) return '-';
  const j = JSON.stringify(v);
  return j.length > max ? `${j.slice(0, max)}…(${j.length} chars)` : j;
}

/** The data, or when long only the top-level keys the template names (`.key`). */
function showData(c: OracleCase, max = 300): string {
  const d: JsonObject = c.data ?? {};
  const j = JSON.stringify(d);
  if (j.length <= max) return j;
  const used: JsonObject = {};
  for (const m of c.template.matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const k = m[1] ?? '';
    const v = d[k];
    if (v !== undefined) used[k] = v;
  }
  const u = JSON.stringify(used);
  const shown = u.length > 2 * max ? `${u.slice(0, 2 * max)}…` : u;
  return `${shown} (only the keys the template names, of ${Object.keys(d).length})`;
}

/** One mismatch, readable: id, template, options, data, Go's answer and ours. */
export function formatOutcome(o: Outcome, withData = true): string {
  const lines = [`[${o.case.id}] ${o.reason ?? ''}`, `  template: ${show(o.case.template)}`];
  if (o.case.options?.length) lines.push(`  options:  ${o.case.options.join(' ')}`);
  if (withData) {
    lines.push(`  data:     ${showData(o.case)}`);
    const types = [...(o.case.stringSlices ?? []).map((p) => `${p}=[]string`), ...Object.entries(o.case.dataTypes ?? {}).map(([p, t]) => `${p}=${t}`)];
    if (types.length) lines.push(`  types:    ${types.join(' ')}`);
  }
  lines.push(
    o.go.output !== undefined ? `  go:       ${show(o.go.output)}${o.go.invalidUtf8 ? ' (invalid UTF-8, bad bytes shown as U+FFFD)' : ''}` : `  go:       ${o.go.phase} error: ${show(o.go.error)}`,
  );
  lines.push('output' in o.ours ? `  ours:     ${show(o.ours.output)}` : `  ours:     ${o.ours.kind} error: ${show(o.ours.error, 600)}`);
  return lines.join('\n');
}

const IDENT = /(?:^|[\s|(])([A-Za-z_][A-Za-z0-9_]*)(?=[\s)|}]|$)/g;
const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'break', 'continue', 'define', 'template', 'block', 'true', 'false', 'nil']);

/**
 * The functions a template calls (identifiers that are not keywords, fields or variables), or
 * the case's group (`range`, `printf`, ...) when it calls none; mismatches are grouped by these.
 */
export function featuresOf(c: OracleCase): string[] {
  const names = new Set<string>();
  for (const action of c.template.matchAll(/\{\{-?([\s\S]*?)-?\}\}/g)) {
    const body = (action[1] ?? '').replace(/"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)*'/g, ' ');
    for (const m of body.matchAll(IDENT)) {
      const name = m[1] ?? '';
      if (!KEYWORDS.has(name)) names.add(name);
    }
    for (const kw of ['if', 'range', 'with', 'break', 'continue']) if (new RegExp(`^\\s*${kw}\\b`).test(action[1] ?? '')) names.add(`{{${kw}}}`);
  }
  if (names.size === 0) names.add(`group:${c.id.split('/')[0] ?? c.id}`);
  return [...names].sort();
}

/** Mismatches grouped by function/feature, largest group first. */
export function groupByFeature(mismatches: Outcome[]): [string, Outcome[]][] {
  const groups = new Map<string, Outcome[]>();
  for (const o of mismatches) {
    for (const f of featuresOf(o.case)) {
      const g = groups.get(f) ?? [];
      g.push(o);
      groups.set(f, g);
    }
  }
  return [...groups.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
}
