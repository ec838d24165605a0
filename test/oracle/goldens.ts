/**
 * The golden tables of test/unit/template, recomputed by Go. Each table keeps its inputs (the
 * templates, the fmt values and verbs, the JSON documents); this sends them to Go — the goldens
 * program (test/oracle/goldens: text/template with the test function map, fmt.Sprintf,
 * sigs.k8s.io/yaml) and the template oracle (test/oracle/gotemplate: sprig and Argo CD's
 * functions, as the ApplicationSet controller has them) — and returns the tables as Go makes
 * them. test/unit/template/goldens.test.ts compares them with the checked-in files;
 * `npx tsx scripts/goldens.ts --write` rewrites the files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { askGoLines, buildGoProgram } from '../support/go';
import { DATA, GOLDEN_CASES, type GoldenCase } from '../unit/template/go-goldens';
import { FMT_GOLDENS } from '../unit/template/fmt-goldens';
import { ERROR_CASES, RENDER_CASES } from '../unit/template/sprig-go-cases';
import { YAML_CASES } from '../unit/template/sprig-yaml-cases';
import { buildOracle, runOracle } from './harness';

export const GOLDENS_DIR = path.join(__dirname, 'goldens');
const TABLES = path.join(__dirname, '..', 'unit', 'template');

type Pair = readonly [string, string];

export interface GoldenTables {
  template: GoldenCase[];
  fmt: Record<string, [string, string][]>;
  sprigRender: Pair[];
  sprigErrors: Pair[];
  yaml: Pair[];
}

interface Answer {
  out?: string;
  parseErr?: string;
  execErr?: string;
  rows?: [string, string][];
  yaml?: string;
  err?: string;
}

/** One goldens process for every request, answers in order. */
function ask(bin: string, requests: object[]): Promise<Answer[]> {
  return askGoLines<Answer>(bin, 'goldens', requests);
}

/** A request Go could not serve is a broken table or program, never an expectation. */
function served(a: Answer, what: string): Answer {
  if (a.err !== undefined && a.yaml === undefined) throw new Error(`goldens could not answer ${what}: ${a.err}`);
  return a;
}

export async function regenerateGoldens(): Promise<GoldenTables> {
  const bin = buildGoProgram(GOLDENS_DIR, 'goldens');

  const templateAnswers = await ask(
    bin,
    GOLDEN_CASES.map((c) => ({ kind: 'template', t: c.t, data: c.data === undefined ? DATA : c.data, ...(c.options ? { options: c.options } : {}), ...(c.name ? { name: c.name } : {}) })),
  );
  const template = GOLDEN_CASES.map((c, i): GoldenCase => {
    const a = served(templateAnswers[i] as Answer, JSON.stringify(c.t));
    const inputs: GoldenCase = { t: c.t, ...(c.data !== undefined ? { data: c.data } : {}), ...(c.options ? { options: c.options } : {}), ...(c.name ? { name: c.name } : {}) };
    if (a.parseErr !== undefined) return { ...inputs, parseErr: a.parseErr };
    if (a.execErr !== undefined) return { ...inputs, execErr: a.execErr };
    return { ...inputs, out: a.out ?? '' };
  });

  const names = Object.keys(FMT_GOLDENS);
  const fmtAnswers = await ask(
    bin,
    names.map((value) => ({ kind: 'fmt', value, formats: (FMT_GOLDENS[value] ?? []).map(([f]) => f) })),
  );
  const fmt = Object.fromEntries(names.map((n, i) => [n, served(fmtAnswers[i] as Answer, n).rows ?? []]));

  const yamlAnswers = await ask(
    bin,
    YAML_CASES.map(([json]) => ({ kind: 'yaml', json })),
  );
  const yaml = YAML_CASES.map(([json], i): Pair => {
    const a = yamlAnswers[i] as Answer;
    if (a.err?.startsWith('bad json')) throw new Error(`goldens: ${a.err}`);
    return [json, a.yaml ?? `ERR ${a.err ?? ''}`];
  });

  // sprig and Argo CD's functions: the template oracle, on empty data, as the tests render them.
  const oracle = buildOracle();
  const sprigCases = [...RENDER_CASES, ...ERROR_CASES].map(([template], i) => ({ id: `golden/${i}`, template, data: {} }));
  const results = await runOracle(oracle, sprigCases);
  const goOf = (i: number) => results.get(`golden/${i}`) ?? { id: '', error: 'no answer', phase: 'case' as const };
  const sprigRender = RENDER_CASES.map(([t], i): Pair => {
    const r = goOf(i);
    if (r.output === undefined || r.invalidUtf8) throw new Error(`Go does not render ${t}: ${r.error ?? 'invalid UTF-8'}`);
    return [t, r.output];
  });
  const sprigErrors = ERROR_CASES.map(([t], i): Pair => {
    const r = goOf(RENDER_CASES.length + i);
    const m = /error calling \w+: ([\s\S]*)$/.exec(r.error ?? '');
    if (r.output !== undefined || !m) throw new Error(`Go does not fail in a function call on ${t}: ${JSON.stringify(r)}`);
    return [t, m[1] as string];
  });

  return { template, fmt, sprigRender, sprigErrors, yaml };
}

// ---------------------------------------------------------------------------------------------
// Writing the tables back in their own format (headers and comments kept).

const q = (v: unknown) => JSON.stringify(v);

/** Replaces the lines of the literal opened on the line of `decl` and closed by `closing`. */
function replaceBody(text: string, decl: string, body: string[], closing = '\n];'): string {
  const start = text.indexOf(decl);
  if (start < 0) throw new Error(`no ${decl} in the table`);
  const open = text.indexOf('\n', start) + 1;
  const close = text.indexOf(closing, open - 1);
  if (close < 0) throw new Error(`${decl} is not closed by ${JSON.stringify(closing)}`);
  return text.slice(0, open) + body.join('\n') + text.slice(close);
}

function caseLine(c: GoldenCase): string {
  const parts = [`t: ${q(c.t)}`];
  if (c.data !== undefined) parts.push(`data: ${q(c.data)}`);
  if (c.options) parts.push(`options: ${q(c.options)}`);
  if (c.name) parts.push(`name: ${q(c.name)}`);
  if (c.parseErr !== undefined) parts.push(`parseErr: ${q(c.parseErr)}`);
  else if (c.execErr !== undefined) parts.push(`execErr: ${q(c.execErr)}`);
  else parts.push(`out: ${q(c.out)}`);
  return `  { ${parts.join(', ')} },`;
}

/** The values in the file's order (an object's own order puts integer-like names such as "0" first). */
function fmtOrder(text: string): string[] {
  return [...text.matchAll(/^ {2}("(?:[^"\\]|\\.)*"): \[$/gm)].map((m) => JSON.parse(m[1] as string) as string);
}

/** The files' new texts, by path. */
export function tableTexts(t: GoldenTables): Map<string, string> {
  const read = (f: string) => fs.readFileSync(path.join(TABLES, f), 'utf8');
  const out = new Map<string, string>();
  out.set(path.join(TABLES, 'go-goldens.ts'), replaceBody(read('go-goldens.ts'), 'export const GOLDEN_CASES', t.template.map(caseLine)));
  out.set(
    path.join(TABLES, 'fmt-goldens.ts'),
    replaceBody(
      read('fmt-goldens.ts'),
      'export const FMT_GOLDENS: Record<',
      fmtOrder(read('fmt-goldens.ts')).flatMap((name) => [`  ${q(name)}: [`, ...(t.fmt[name] ?? []).map(([f, v]) => `    [${q(f)}, ${q(v)}],`), '  ],']),
      '\n};',
    ),
  );
  const pairs = (xs: readonly Pair[]) => xs.map(([a, b]) => `  [${q(a)}, ${q(b)}],`);
  out.set(path.join(TABLES, 'sprig-go-cases.ts'), replaceBody(replaceBody(read('sprig-go-cases.ts'), 'export const RENDER_CASES', pairs(t.sprigRender)), 'export const ERROR_CASES', pairs(t.sprigErrors)));
  out.set(path.join(TABLES, 'sprig-yaml-cases.ts'), replaceBody(read('sprig-yaml-cases.ts'), 'export const YAML_CASES', pairs(t.yaml)));
  return out;
}
