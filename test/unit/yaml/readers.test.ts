/**
 * Our YAML readers (src/core/yaml: parseYamlFile for problems and values, loadAllYaml for values)
 * against the Go readers they stand for, run by the oracle in test/oracle/yamlread (one Go
 * process for every case): sigs.k8s.io/yaml (kustomization, helm values, generator files, Argo CD's
 * embedded YAML), apimachinery's YAMLOrJSONDecoder as kubectl and Argo CD read manifests, and
 * kustomize's kyaml reading a resource it lists.
 *
 * On every YAML file of the seven corpora, the example repository and the fixtures, on written
 * edge cases and on generated and mutated texts, for each reader: whether the file is rejected
 * (a rejection Go does not make is a false error; one Go makes and we do not, a miss), the values
 * when both read it (numbers by value, keys as the JSON Go makes), and the line of the error.
 * A few differences are known and explained (KNOWN); any other fails the test.
 *
 * Without Go the test is skipped with one line; in CI (CI=true) it fails instead.
 * HOME_OPS_YAML_FUZZ=N sets the number of generated and of mutated texts (default 1200 each).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { READERS } from '../../../src/core/yaml/readers';
import { disagreement, firstLine, GO_READER, ourAnswer, yamlFilesUnder, type ComparedReader, type Disagreement, type OurAnswer } from '../../oracle/yamlread/compare';
import { buildYamlOracle, runYamlOracle, type GoAnswer, type GoCase, type GoReader } from '../../oracle/yamlread/oracle';
import { requireShared, requireTools } from '../../support/shared';
import { caseSeed, makeRng, mutate } from '../../support/fuzzMutate';
import { EXAMPLE_REPO } from '../../support/repo';
import { generateYaml } from './generatedYaml';

const CORPUS = path.resolve(__dirname, '../../../../shared/corpus');
const FIXTURES = path.resolve(__dirname, '../../fixtures');
const FUZZ = Number(process.env['HOME_OPS_YAML_FUZZ'] ?? 1200);
const SEED = Number(process.env['HOME_OPS_FUZZ_SEED'] ?? 20261207);

/** One reader of ours for each Go reader: the others share its rules (checked below). */
const REPRESENTATIVE: Readonly<Record<GoReader, ComparedReader>> = { sigs: 'kustomization', manifests: 'argocd-manifest', kyaml: 'kustomize-resource' };

interface Written {
  readonly text: string | Buffer;
  /** The line a person fixes (1-based), for the common errors: ours must be on it (for the readers named, if so). */
  readonly fix?: number | Partial<Record<GoReader, number>>;
}

/** Edge cases, each read by every reader of ours. */
const WRITTEN: readonly Written[] = [
  // YAML 1.1 words, as values and as keys (`y: 1` is the key "true" for sigs.k8s.io/yaml).
  { text: 'a: y\nb: n\nc: on\nd: yes\ne: No\nf: off\ng: Y\nh: NO\ni: True\nj: ~\nk: null\nl:\n' },
  { text: 'y: 1\nn: 2\non: 3\nyes: 4\nNo: 5\n' },
  { text: 'true: 1\n1: a\n0755: b\n1.5: c\n1e6: d\n3.14159265358979: e\n.inf: f\n-0.0: g\n0x1F: h\n' },
  { text: 'data:\n  1: a\n' },
  { text: 'data:\n  y: a\n  true: b\n' },
  // Numbers as go-yaml reads them.
  { text: 'a: 0755\nb: 0o17\nc: 09\nd: 1_000\ne: 0b101\nf: .5\ng: +12\nh: 1e3\ni: e5\nj: -e5\nk: 1:30\nl: 0x1F\nm: 0X1F\nn: 0B101\no: +0x1F\np: 0_x1F\nq: -0\nr: 1.\ns: 0.1\nt: ._5\nu: .\nv: +.5\nw: -.5e3\n' },
  { text: 'a: 1e400\nb: .5e400\nc: 1e-400\nd: 99999999999999999999\ne: -9223372036854775809\nf: 18446744073709551615\ng: 0xFFFFFFFFFFFFFFFFF\nh: 9223372036854775807\n' },
  { text: 'a: .inf\n', fix: 1 },
  { text: 'a: [1, -.Inf]\n', fix: 1 },
  { text: 'a: .nan\n', fix: 1 },
  // Timestamps: strings for sigs.k8s.io/yaml, RFC 3339 for kustomize's resources.
  { text: 'a: 2001-12-14\nb: 2001-12-14t21:59:43.10-05:00\nc: 2001-12-14 21:59:43.10\nd: 2001-12-14T21:59:43Z\ne: 2001-02-30\nf: 2001-12-14 21:59:43.10 -5\ng: 2024-1-5\nh: 2001-12-14T21:59:43.1234567891+00:00\n' },
  // Merge keys.
  { text: 'base: &b {a: 1, c: 3}\nm:\n  a: 2\n  <<: *b\n' },
  { text: 'base: &b {a: 1}\nm:\n  <<: *b\n  a: 2\n' },
  { text: 'x: &x {a: 1}\ny: &y {a: 2, b: 2}\nm:\n  <<: [*x, *y]\n' },
  { text: 'a: &a\n  b: &b\n    c: 1\n  d:\n    <<: *b\n    e: 2\nf:\n  <<: *a\n' },
  { text: 'm:\n  <<: {a: 1}\n  <<: {b: 2}\n' },
  { text: 'm:\n  <<: 1\n', fix: 2 },
  { text: 'm:\n  <<: [1]\n', fix: 2 },
  { text: 'm:\n  "<<": {a: 1}\n' },
  // Anchors and aliases.
  { text: 'a: &x 1\nb: *x\nc: &y [1, 2]\nd: *y\n' },
  { text: 'a: *x\n', fix: 1 },
  { text: 'a: &x [1, *x]\n', fix: 1 },
  { text: '&a a: b\n*a : c\n' },
  // Tags.
  { text: 'a: !!str 12\nb: !!int "12"\nc: !!float 1\nd: !custom x\ne: !!binary aGVsbG8=\nf: !!str\ng: !!bool true\n' },
  { text: 'a: !!int x\n', fix: 1 },
  { text: 'a: !!null x\n', fix: 1 },
  { text: 'a: !!bool yes\n' },
  { text: 'a: !!binary not*base64\n', fix: 1 },
  { text: 's: !!set {a, b}\no: !!omap [a: 1]\np: !!pairs [b: 2]\n' },
  // Tabs.
  { text: 'a:\n\tb: 1\n', fix: 2 },
  { text: 'a:\tb\nc: d\t# c\n' },
  { text: 'a: 1\n\t\nb: 2\n', fix: 2 },
  { text: 'a:\n  b: 1\n\t# c\n  c: 2\n', fix: 3 },
  { text: '\t# c\na: 1\n', fix: 1 },
  { text: '- a\n-\tb\n', fix: 2 },
  { text: 'a: |\n  x\n\t\n  y\n' },
  { text: 'a:\n  # c\n\t# d\n  b: 1\n' },
  // Line breaks, byte order mark, characters.
  { text: 'a: 1\r\nb: |\r\n  x\r\n  y\r\n' },
  { text: '\ufeffa: 1\n' },
  { text: 'a: 1\rb: 2\r' },
  { text: 'a: x\u0085b: 2\n' },
  { text: 'a: "x\u0007"\n', fix: 1 },
  { text: 'a: x\u007f\n', fix: 1 },
  { text: 'a: "\\x41\\u00e9\\U0001F600 \\t\\\\"\n' },
  { text: 'a: "\\/"\n', fix: 1 },
  { text: Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a]) },
  // Repeated keys, at several depths.
  { text: 'a: 1\na: 2\n', fix: 2 },
  { text: 'a:\n  b: 1\n  c: 2\n  b: 3\n', fix: 4 },
  { text: '- a: 1\n  a: 2\n', fix: 2 },
  { text: 'a: {b: 1, b: 2}\n', fix: 1 },
  { text: 'a: 1\n"a": 2\n', fix: 2 },
  { text: '1: a\n01: b\n' },
  // Documents.
  { text: 'a: 1\n---\nb: [\n', fix: 3 },
  { text: 'a: [\n---\nb: 1\n', fix: 1 },
  { text: 'a: 1\n---\nb: 1\nb: 2\n', fix: 4 },
  { text: 'a: 1\n---\n---\nb: 2\n' },
  { text: '---\n' },
  { text: '--- \n---\n' },
  { text: '# only a comment\n' },
  { text: '' },
  { text: 'a: 1\n...\nb: 2\n' },
  { text: 'a: 1\n...\n---\nb: 2\n' },
  { text: '...\na: 1\n', fix: 1 },
  { text: '--- a\n' },
  { text: 'a: 1\n--- b\n', fix: 2 },
  { text: 'a: 1\n----\nb: 2\n', fix: { manifests: 2, kyaml: 2 } },
  { text: 'a: 1\n--- # c\nb: 2\n' },
  { text: 'a: |\n  x\n---\n  y\n' },
  { text: '%YAML 1.1\n---\na: yes\n', fix: 1 },
  { text: '%YAML 1.2\n---\na: 1\n', fix: 1 },
  { text: 'a: 1\n%YAML 1.1\n---\nb: 2\n' },
  { text: '--- |\nfoo\nbar: 1\n' },
  { text: 'a: |\n  no final line break' },
  { text: '  a: 1\n b: 2\n', fix: 2 },
  { text: '- a\nb: 1\n', fix: 2 },
  { text: '[a, b]\nc: 1\n' },
  // Flow collections and quotes, closed and not.
  { text: 'a: [1, 2\nb: 3\n', fix: 1 },
  { text: 'a:\n  b: {c: 1\n  d: 2\n', fix: 2 },
  { text: 'a: [b, c]: d\n', fix: 1 },
  { text: 'a: {b, c}\nd: [e: f]\ng: [,]\n', fix: 3 },
  { text: 'a:\n  b: [1,\n2]\n' },
  { text: 'a:\n  b: "x\ny"\n' },
  { text: "a:\n  b: 'x\n y'\n" },
  { text: 'a: "x\n', fix: 1 },
  { text: "a: 'x\nb: 1\n", fix: 1 },
  { text: '{"a": 1, "b": [true, null, 1.5]}\n' },
  // Indentation.
  { text: 'a:\n  b: 1\n c: 2\n', fix: 3 },
  { text: 'a:\n  - b\n  c: 1\n', fix: 3 },
  { text: 'a: b: c\n', fix: 1 },
  { text: 'a:\n  b: 1\n    c: 2\n', fix: 3 },
  { text: 'a: b\n  c\n' },
  { text: 'key:\n- a\n- b\nnext: 1\n' },
  // Keys.
  { text: `${'k'.repeat(1100)}: 1\n` },
  { text: `"${'k'.repeat(1100)}": 1\n` },
  { text: '~: 1\n', fix: 1 },
  { text: '[a]: 1\n', fix: 1 },
  { text: '? {a: 1}\n: 2\n', fix: 1 },
  { text: '? a\n: 1\n' },
  { text: '__proto__: 1\nconstructor: 2\n' },
];

/** The common errors, by go-yaml's words (for the line agreement report). */
const COMMON_ERRORS: ReadonlyArray<[string, RegExp]> = [
  ['unclosed flow collection', /did not find expected ',' or '[\]}]'/],
  ['bad indentation', /did not find expected key|did not find expected '-' indicator|mapping values are not allowed/],
  ['tab in indentation', /found character that cannot start any token|tab character that violates indentation/],
  ['repeated key (kustomize)', /already defined/],
  ['unclosed quote', /found unexpected end of stream/],
];

interface Case {
  readonly id: string;
  readonly origin: string;
  readonly text: string;
  readonly bytes: string | Buffer;
  readonly ours: ComparedReader;
  readonly goReader: GoReader;
  readonly fix?: number;
}

/**
 * Differences left, each explained: a rare construct where matching go-yaml would cost more than
 * it is worth. They are counted and printed; any other difference fails the test.
 */
const KNOWN: ReadonlyArray<{ id: string; why: string; applies: (c: Case, d: Disagreement, ours: OurAnswer, go: GoAnswer) => boolean }> = [
  {
    id: 'json-stream',
    why: 'kubectl and Argo CD read a file that starts with `{` as a stream of JSON objects before trying YAML (several objects are several documents)',
    applies: (c) => c.goReader === 'manifests' && /^\s*\{/.test(c.text),
  },
  {
    id: 'line-separator-in-value',
    why: 'go-yaml keeps a line or paragraph separator (U+2028, U+2029) that it folds in a value, where we read a space',
    applies: (c, d) => d.kind === 'value' && /[\u2028\u2029]/.test(c.text),
  },
  {
    id: 'nel-in-manifest',
    why: 'kubectl and Argo CD read the JSON of each document again as YAML, where a NEL (U+0085) in a string becomes a space',
    applies: (c, d) => c.goReader === 'manifests' && d.kind === 'value' && /\u0085|\\N/.test(c.text),
  },
  {
    id: 'kyaml-token-past-document-end',
    why: 'go-yaml v3 (kustomize) reads one token past the end of a document\'s top-level node (after `...`, a `%` line, or a top-level block scalar ended by a line at column 0): a bad token there fails kustomize only',
    applies: (c, d, ours) => c.goReader === 'kyaml' && d.kind !== 'value' && (ours.ignored || /(?:^|\n)(?:\.\.\.|%)|^--- *[|>]/m.test(c.text)),
  },
  {
    id: 'cr-cr-lf',
    why: 'kubectl (line by line) and kyaml turn CRLF into LF before go-yaml reads, so CR CR LF is one line break for them and two for us (and sigs.k8s.io/yaml)',
    applies: (c) => c.goReader !== 'sigs' && c.text.includes('\r\r\n'),
  },
  {
    id: 'invalid-utf-8',
    why: 'the Go readers reject a file that is not UTF-8 ("invalid leading UTF-8 octet"); ours are given text the file reader has already decoded (U+FFFD for each bad byte): that reader must say so',
    applies: (c) => Buffer.isBuffer(c.bytes) && !Buffer.from(c.text, 'utf8').equals(c.bytes),
  },
  {
    id: 'escaped-single-quote',
    why: "go-yaml accepts `\\'` in a double-quoted string, which the `yaml` package rejects",
    applies: (c, d) => d.kind === 'false-error' && c.text.includes("\\'"),
  },
];

function collectCases(): Case[] {
  const cases: Case[] = [];
  const add = (origin: string, bytes: string | Buffer, readers: readonly ComparedReader[], fix?: Written['fix']) => {
    // As the linter reads a file: UTF-8, invalid bytes replaced.
    const text = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8').toString('utf8') : bytes.toString('utf8');
    for (const ours of readers) {
      const goReader = GO_READER[ours];
      cases.push({ id: `${cases.length}`, origin, text, bytes: typeof bytes === 'string' ? text : bytes, ours, goReader, fix: typeof fix === 'object' ? fix[goReader] : fix });
    }
  };
  const representatives = Object.values(REPRESENTATIVE);
  const roots = [...fs.readdirSync(CORPUS).filter((d) => fs.statSync(path.join(CORPUS, d)).isDirectory()).map((d) => path.join(CORPUS, d)), EXAMPLE_REPO, FIXTURES];
  for (const root of roots) for (const f of yamlFilesUnder(root)) add(path.relative(path.resolve(CORPUS, '..'), f), fs.readFileSync(f), representatives);
  WRITTEN.forEach((w, i) => add(`written case ${i}`, w.text, Object.keys(GO_READER) as ComparedReader[], w.fix));
  const bases = yamlFilesUnder(CORPUS).map((f) => fs.readFileSync(f, 'utf8')).filter((t) => t.length < 8000);
  for (let i = 0; i < FUZZ; i++) {
    const rng = makeRng(caseSeed(SEED, i));
    add(`generated case ${i} of seed ${SEED}`, generateYaml(rng), representatives);
    const m = mutate(rng.pick(bases), rng);
    add(`mutated case ${i} of seed ${SEED} (${m.ops.join(', ')})`, m.text, representatives);
  }
  return cases;
}

interface Outcome {
  readonly c: Case;
  readonly go: GoAnswer;
  readonly ours: OurAnswer;
  readonly d: Disagreement | undefined;
}

describe('YAML readers against the Go readers (test/oracle/yamlread)', function () {
  this.timeout(240_000);
  let outcomes: Outcome[] = [];

  before(async function () {
    if (!requireShared(this, 'YAML readers against the Go readers', CORPUS)) return;
    if (!requireTools(this, 'YAML readers against the Go readers', 'go')) return;
    const cases = collectCases();
    const started = Date.now();
    // One Go case per text and Go reader; every reader of ours is held to it.
    const goCases = new Map<string, GoCase>();
    const key = (c: Case) => `${c.goReader}\u0000${c.text}`;
    for (const c of cases) if (!goCases.has(key(c))) goCases.set(key(c), { id: `${goCases.size}`, reader: c.goReader, text: c.bytes });
    const answers = await runYamlOracle(buildYamlOracle(), [...goCases.values()]);
    const goMs = Date.now() - started;
    outcomes = cases.map((c) => {
      const go = answers.get((goCases.get(key(c)) as GoCase).id);
      assert.ok(go, `${c.origin}: the oracle gave no answer`);
      const ours = ourAnswer(c.text, c.ours);
      return { c, go, ours, d: disagreement(ours, go) };
    });
    console.log(`      ${cases.length} readings (${goCases.size} by Go, in ${goMs} ms; ours in ${Date.now() - started - goMs} ms)`);
  });

  it('has one Go reader behind each reader of ours, with the same rules as the one tested on every file', () => {
    for (const [ours, go] of Object.entries(GO_READER) as Array<[ComparedReader, GoReader]>) {
      const rep = READERS[REPRESENTATIVE[go]];
      const r = READERS[ours];
      assert.deepEqual([r.dialect, r.documents, r.repeatedKeys], [rep.dialect, rep.documents, rep.repeatedKeys], `${ours} reads as ${REPRESENTATIVE[go]} does`);
    }
  });

  it('reject, accept and read every text as Go does, but for the known differences', () => {
    const known = new Map<string, Outcome[]>();
    const other: Outcome[] = [];
    for (const o of outcomes) {
      if (!o.d) continue;
      const k = KNOWN.find((x) => x.applies(o.c, o.d as Disagreement, o.ours, o.go));
      if (k) known.set(k.id, [...(known.get(k.id) ?? []), o]);
      else other.push(o);
    }
    const byKind = (kind: string) => outcomes.filter((o) => o.d?.kind === kind).length;
    console.log(`      ${outcomes.length} readings: ${outcomes.filter((o) => !o.d).length} agree (${outcomes.filter((o) => !o.d && !o.go.ok).length} rejected by both); false errors ${byKind('false-error')}, misses ${byKind('miss')}, values ${byKind('value')}, parse≠load ${byKind('load-vs-parse')}`);
    for (const [id, os] of known) console.log(`      known difference ${id}: ${os.length} (${KNOWN.find((k) => k.id === id)?.why})`);
    const show = (o: Outcome) => `${o.c.origin} [${o.c.ours}] ${o.d?.kind}: ${o.d?.detail}; Go: ${o.go.ok ? 'accepts' : firstLine(o.go.error ?? '')}\n${JSON.stringify(o.c.text.length > 400 ? `${o.c.text.slice(0, 400)}…` : o.c.text)}`;
    assert.deepEqual(other.slice(0, 8).map(show), [], `${other.length} readings differ from Go`);
  });

  it('reject the written cases on the line a person fixes, within the document Go rejects', () => {
    const wrong: string[] = [];
    for (const o of outcomes) {
      if (o.c.fix === undefined || o.go.ok) continue;
      assert.equal(o.ours.ok, false, `${o.c.origin} [${o.c.ours}]: Go rejects it, we do not`);
      if (o.ours.line !== o.c.fix) wrong.push(`${o.c.origin} [${o.c.ours}]: ours at line ${o.ours.line}, to fix: line ${o.c.fix} (Go names ${o.go.line}): ${o.ours.message}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('put every error in the document Go rejects, and report how often on the line Go names', () => {
    // Lines are counted as editors count them (a carriage return alone, NEL, LS and PS break them
    // too); Go's messages count line feeds only: those texts are left out.
    const both = outcomes.filter((o) => !o.d && !o.go.ok && !o.ours.ok && !/\r(?!\n)|[\u0085\u2028\u2029]/.test(o.c.text));
    const named = both.filter((o) => o.go.line > 0);
    const same = named.filter((o) => o.ours.line === o.go.line).length;
    // go-yaml names the line before the problem for its parser's errors, and the line of the
    // construct it was reading for v3's: a person reads the line named, and the next one.
    const near = named.filter((o) => Math.abs((o.ours.line ?? 0) - o.go.line) <= 1).length;
    const located = both.filter((o) => o.go.docFrom > 0);
    const outside = located.filter((o) => (o.ours.line ?? 0) < o.go.docFrom || (o.ours.line ?? 0) > o.go.docTo);
    const pct = (n: number, of: number) => `${((100 * n) / Math.max(of, 1)).toFixed(1)}%`;
    console.log(`      errors rejected by both: ${both.length}; Go names a line for ${named.length}: ours on it ${pct(same, named.length)}, within one line ${pct(near, named.length)}; in Go's document ${pct(located.length - outside.length, located.length)} of ${located.length}`);
    for (const [name, pattern] of COMMON_ERRORS) {
      const of = named.filter((o) => pattern.test(o.go.error ?? ''));
      const on = of.filter((o) => o.ours.line === o.go.line).length;
      const by1 = of.filter((o) => Math.abs((o.ours.line ?? 0) - o.go.line) <= 1).length;
      console.log(`        ${name}: ${of.length}, ours on Go's line ${pct(on, of.length)}, within one line ${pct(by1, of.length)}`);
    }
    assert.deepEqual(
      outside.slice(0, 5).map((o) => `${o.c.origin} [${o.c.ours}]: ours at line ${o.ours.line}, Go's document is lines ${o.go.docFrom}-${o.go.docTo} (${firstLine(o.go.error ?? '')})`),
      [],
    );
    assert.ok(near >= named.length * 0.6, `only ${near} of ${named.length} errors within one line of the line Go names`);
  });
});
