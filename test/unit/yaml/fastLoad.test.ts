/**
 * The fast YAML loader against the `yaml` package: whenever fastLoadAll answers, its documents
 * must be exactly `yaml`'s (values and start lines) and `yaml` must find nothing wrong with the
 * text. Written cases pin the subset the loader must handle (so that a loader that always bails
 * fails here); the corpus files and thousands of mutations of them check the contract.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { parseOptionsFor, type YamlDialect } from '../../../src/core/yaml/dialect';
import type { YamlReader } from '../../../src/core/yaml/readers';
import { fastCheck, fastLoadAll } from '../../../src/core/yaml/fastLoad';
import { checkYamlFile, fullParseCount, parseWithRanges, parseYamlFile } from '../../../src/core/yaml/parse';
import { caseSeed, makeRng, mutate } from '../../support/fuzzMutate';
import { generateYaml } from './generatedYaml';
import { EXAMPLE_REPO, SEED_CORPUS } from '../../support/repo';
import { requireShared, sharedIfPresent } from '../../support/shared';

const CORPORA = path.resolve(SEED_CORPUS, '..');

interface Reference {
  clean: boolean;
  docs: Array<{ value: unknown; line: number }>;
}

/** The full reading of each dialect, every document: the reader of ours that reads it so. */
const FULL_READER: Readonly<Record<'k8s' | 'kyaml', YamlReader>> = { k8s: 'argocd-manifest', kyaml: 'kustomize-resource' };

/**
 * The full parse in a dialect, reduced to what the fast loader promises: for YAML 1.2 the `yaml`
 * package's own, for the go-yaml dialects parse.ts's reading as the Go readers do (goValue.ts).
 */
function reference(text: string, dialect: YamlDialect = 'yaml-1.2'): Reference {
  if (dialect === 'k8s' || dialect === 'kyaml') {
    const full = parseWithRanges('f.yaml', text, FULL_READER[dialect]);
    if (full.problems.length > 0) return { clean: false, docs: [] };
    return { clean: true, docs: full.docs.map((d) => ({ value: d.value, line: d.line })) };
  }
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { ...parseOptionsFor(dialect), lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const clean = list.every((d) => d.errors.length === 0 && d.warnings.length === 0);
  if (!clean) return { clean, docs: [] };
  return {
    clean,
    docs: list.map((d) => ({ value: d.toJS({ maxAliasCount: 1000 }), line: lc.linePos((d.contents?.range ?? d.range)[0]).line - 1 })),
  };
}

const DIALECTS = ['yaml-1.2', 'k8s', 'kyaml'] as const;

/**
 * Fails with the text when the loader answers and disagrees with the full parse, in any dialect
 * the loader speaks (YAML 1.2, Kubernetes' go-yaml v2, kustomize's go-yaml v3); says in which
 * dialects it answered.
 */
function checkAll(text: string, label: string): Set<YamlDialect> {
  const answered = new Set<YamlDialect>();
  for (const dialect of DIALECTS) {
    const fast = fastLoadAll(text, dialect);
    // Check mode reads as the loader does without building values: it answers exactly when the loader does.
    assert.equal(fastCheck(text, dialect), fast !== undefined, `${label}: the fast loader (${dialect}) ${fast ? 'answered' : 'bailed'}, its check mode did not:\n${text}`);
    if (fast === undefined) continue;
    answered.add(dialect);
    const ref = reference(text, dialect);
    assert.ok(ref.clean, `${label}: the fast loader (${dialect}) accepted text that the full parse rejects:\n${text}`);
    assert.deepStrictEqual(
      fast.map((d) => ({ value: d.value, line: d.line })),
      ref.docs,
      `${label}: the fast loader and the full parse disagree (${dialect}) on:\n${text}`,
    );
  }
  return answered;
}

/** As checkAll; true when the loader answered in YAML 1.2. */
function check(text: string, label: string): boolean {
  return checkAll(text, label).has('yaml-1.2');
}

function yamlFilesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (/\.ya?ml$|^Kustomization$/.test(e.name)) out.push(abs);
    }
  };
  walk(root);
  return out.sort();
}

/** Texts the loader must answer (not bail on), each beside what `yaml` makes of it. */
const HANDLED: string[] = [
  'a: 1\n',
  'a: 1',
  'a: 1  # c\nb:\n  c: x\n  d:\n  - 1\n  -   two  \n  - \n  e: [1, {f: g}]\n# trailing\n\nz: |\n  lit\n  more\n\ny: end\n',
  '---\napiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: Secret\n',
  'a: 1\n---\n',
  '---\n---\n',
  '# only a comment\n---\na: 1\n',
  '--- # a comment\na: 1\n',
  'key:\n- a\n- b\nnext: 1\n',
  '- a: 1\n  b: 2\n-\n  c: 3\n- - x\n  - y\n-\n',
  "a: 'it''s'\nb: \"x\\ty \\\"q\\\" \\u00e9 \\\\ \\/\"\n",
  'n: [~, null, Null, NULL, true, False, TRUE, 0, -0, +12, 007, 0o17, 0x1F, 1.5, -.5, 1., 1e3, 2.5E-3, .inf, -.Inf, .nan, 1_000, 0b1, yes, no, on]\n',
  'url: http://example.org:8080/path?x=1#frag\nglob: apps/*/*\nt: "{{.path.basename}}"\nu: "{{ index .path.segments 3 }}-{{ .path.basename }}"\n',
  'opts: ["missingkey=error"]\nsync: {prune: true, selfHeal: false}\nempty: []\nnone: {}\n',
  'lit: |\n  line 1\n\n  line 3\n    indented\nkeep: |+\n  x\n\nstrip: |-\n  y\n\nnext: 1\n',
  'folded: >\n  one\n  two\n\n  three\nfs: >-\n  a\n  b\nfk: >+\n  c\n\nz: 0\n',
  'spec:\n  templatePatch: |\n    spec:\n      source:\n        helm:\n          valueFiles: [ "{{ .path.path }}/values.yaml" ]\n  goTemplate: true\n',
  '  indented: root\n  second: 2\n',
  '"quoted key": 1\n\'single key\': 2\nkey with spaces: 3\na[0]: 4\n',
  'items:\n  - name: a\n    value: "1"\n  - name: b\n    value: \'2\'\n',
  'k: v # c\n#c2\n',
  'a:  \n',
  'x: 1\n  # a more indented comment\ny: 2\n',
  'ключ: значение\nemoji: "🔑"\n',
  'str: -foo\nneg: -1\ncolon: a:b\nhash: a#b\n',
  'plain scalar document\n',
  '[a, b]\n',
  'a: 1\r\nb:\r\n  - x\r\nc: |\r\n  line\r\n\r\n  more\r\n',
  // Anchors and aliases as Helm values use them (bjw-s app-template: `&port`, `&probes`).
  'a: &x 1\nb: *x\n',
  'env:\n  PORT: &port 8989\nservice:\n  ports:\n    http:\n      port: *port\n',
  'probes:\n  liveness: &probes\n    enabled: true\n    custom: true\n  readiness: *probes\n  startup: *probes # same\n',
  'list: &l\n  - a\n  - b\nagain: *l\nseq:\n  - &item {x: 1}\n  - *item\n',
  'name: &name app\n---\nname: &name other\nref: *name\n',
  // Mappings past the size where check mode looks repeated keys up in a set.
  `${Array.from({ length: 40 }, (_, i) => `key${i}: ${i}`).join('\n')}\nnested:\n${Array.from({ length: 40 }, (_, i) => `  - k${i}: v\n    \"k${i + 1}\": w`).join('\n')}\n`,
];

describe('fast YAML loader', () => {
  it('answers the common subset and agrees with yaml on it', () => {
    for (const [i, text] of HANDLED.entries()) assert.ok(check(text, `case ${i}`), `case ${i}: the fast loader bailed on text it should handle:\n${text}`);
  });

  it('leaves what it does not handle to the full parser', () => {
    const bail = [
      // Anchors and aliases beyond whole values: merges, aliases before (or inside) their anchor,
      // across documents, on keys, in flow collections, an anchor redefined.
      'b: *x\na: &x 1\n', 'a: &x\n  b: *x\n', 'a: &x 1\n---\nb: *x\n', '&k a: 1\n', 'a: [&x 1, *x]\n',
      'a: &x 1\nb: &x 2\nc: *x\n', 'a: &x\nb: 1\n', 'a: &x.y 1\n', 'a: !!str 1\n', '%YAML 1.2\n---\na: 1\n', '? complex\n: key\n', 'a: plain\n  continued\n', 'a: "two\n  lines"\n',
      'a: [1,\n  2]\n', 'a:\n\tb: 1\n', 'a: 1\rb: 2\r', '\uFEFFa: 1\n', 'a: 1\na: 2\n', '1: one\n', 'true: x\n', 'a: b: c\n',
      'a: |2\n   x\n', 'a:\n  b: 1\n c: 2\n', 'a: "x"y\n', 'a: @x\n', 'a: `x\n', '...\n', 'a: 1\n...\n', '--- a\n', '__proto__: 1\n',
      'a: |\n  no final newline', 'a: >\n  x\n    more\n  y\n', 'a: [1, 2, ]\n', '{a: 1}: x\n', 'a: - b\n',
      // Repeated keys, written alike or not, in small mappings and in large ones.
      'a: 1\n"a": 2\n', "x:\n  - 'b': 1\n    b: 2\n", `${Array.from({ length: 40 }, (_, i) => `key${i}: ${i}`).join('\n')}\n"key3": again\n`,
      `m:\n${Array.from({ length: 20 }, (_, i) => `  k${i}: ${i}`).join('\n')}\n  k19: again\nnext: 1\n`,
    ];
    for (const text of bail) {
      assert.equal(fastLoadAll(text), undefined, `expected the fast loader to bail on:\n${text}`);
      assert.equal(fastCheck(text), false, `expected the fast loader's check to bail on:\n${text}`);
    }
    // A merge key is a key like any other in YAML 1.2; where readers merge (Kubernetes, kyaml) it is left to the full parser.
    const merge = 'a: &x\n  b: 1\nc:\n  <<: *x\n';
    assert.ok(check(merge, 'merge key'));
    for (const dialect of ['k8s', 'kyaml'] as const) assert.equal(fastLoadAll(merge, dialect), undefined, dialect);
  });

  it('agrees with yaml on every YAML file of the example repository and the fixtures', () => {
    const files = [...yamlFilesUnder(EXAMPLE_REPO), ...yamlFilesUnder(path.resolve(__dirname, '../../fixtures'))];
    assert.ok(files.length > 20);
    let answered = 0;
    for (const f of files) if (check(fs.readFileSync(f, 'utf8'), f)) answered++;
    // Every clean file of the example repository is in the subset (Helm templates are not YAML).
    for (const f of yamlFilesUnder(EXAMPLE_REPO).filter((f) => !f.includes(`${path.sep}templates${path.sep}`))) {
      const text = fs.readFileSync(f, 'utf8');
      if (reference(text).clean) assert.ok(fastLoadAll(text), `the fast loader bailed on ${f}`);
    }
    assert.ok(answered > files.length / 2, `answered ${answered} of ${files.length}`);
  });

  it('agrees with yaml on the seed corpus, and answers every Argo CD and kustomization file there', function () {
    requireShared(this, 'the fast loader on the seed corpus', SEED_CORPUS);
    let answered = 0;
    const files = yamlFilesUnder(SEED_CORPUS);
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      if (check(text, f)) answered++;
      else if (/^kind:\s*(ApplicationSet|Application|AppProject|Kustomization)\b/m.test(text) && reference(text).clean) assert.fail(`the fast loader bailed on ${f}`);
    }
    console.log(`      fast loader answered ${answered} of ${files.length} seed YAML files`);
  });

  it('agrees with the full parse on every YAML file of the seven corpora, and answers most of them in each dialect', function () {
    this.timeout(120_000);
    requireShared(this, 'the fast loader on the seven corpora', CORPORA);
    const rows: string[] = [];
    for (const corpus of fs.readdirSync(CORPORA).filter((d) => fs.statSync(path.join(CORPORA, d)).isDirectory()).sort()) {
      const files = yamlFilesUnder(path.join(CORPORA, corpus));
      const answered = new Map<YamlDialect, number>(DIALECTS.map((d) => [d, 0]));
      const clean = new Map<YamlDialect, number>(DIALECTS.map((d) => [d, 0]));
      for (const f of files) {
        const text = fs.readFileSync(f, 'utf8');
        const got = checkAll(text, f);
        for (const d of DIALECTS) {
          if (got.has(d)) answered.set(d, (answered.get(d) ?? 0) + 1);
          if (got.has(d) || reference(text, d).clean) clean.set(d, (clean.get(d) ?? 0) + 1);
        }
      }
      rows.push(`${corpus}: ${files.length} files; fast loader answered ${DIALECTS.map((d) => `${d} ${answered.get(d)}/${clean.get(d)}`).join(', ')} (of the files the full parse reads without a problem)`);
      // Most: the files it leaves are Helm templates, anchors and the like.
      for (const d of DIALECTS) assert.ok((answered.get(d) ?? 0) >= 0.75 * (clean.get(d) ?? 0), `${corpus}: the fast loader answered only ${answered.get(d)} of ${clean.get(d)} clean files in ${d}`);
    }
    for (const r of rows) console.log(`      ${r}`);
  });

  it('agrees with yaml on 20,000 generated files in its subset and 10,000 mutations of them', function () {
    this.timeout(120_000);
    const seed = Number(process.env['HOME_OPS_FUZZ_SEED'] ?? 20261127);
    let answered = 0;
    let mutatedAnswered = 0;
    const cases = 20000;
    for (let i = 0; i < cases; i++) {
      const rng = makeRng(caseSeed(seed, i));
      const text = generateYaml(rng);
      if (check(text, `generated case ${i} of seed ${seed}`)) answered++;
      if (i % 2 === 0) {
        const m = mutate(text, rng);
        if (check(m.text, `mutated generated case ${i} of seed ${seed} (${m.ops.join(', ')})`)) mutatedAnswered++;
      }
    }
    console.log(`      fast loader answered ${answered} of ${cases} generated files, ${mutatedAnswered} of ${cases / 2} mutated ones`);
    assert.ok(answered > cases / 2, `the fast loader answered only ${answered} of ${cases} generated files`);
  });

  it('agrees with yaml on 20,000 mutated files (or bails)', function () {
    this.timeout(120_000);
    const bases = [...yamlFilesUnder(EXAMPLE_REPO), ...(sharedIfPresent('the seed corpus as mutation bases', SEED_CORPUS) ? yamlFilesUnder(SEED_CORPUS) : [])].map((f) => fs.readFileSync(f, 'utf8')).filter((t) => t.length < 20000);
    const seed = Number(process.env['HOME_OPS_FUZZ_SEED'] ?? 20261127);
    let answered = 0;
    const cases = 20000;
    for (let i = 0; i < cases; i++) {
      const rng = makeRng(caseSeed(seed, i));
      const m = mutate(rng.pick(bases), rng);
      if (check(m.text, `case ${i} of seed ${seed} (${m.ops.join(', ')})`)) answered++;
    }
    console.log(`      fast loader answered ${answered} of ${cases} mutated files`);
    assert.ok(answered > cases / 4, `the fast loader answered only ${answered} of ${cases} mutated files`);
  });
});

/** Every path of a value, and beside each node paths that are not there. */
function pathsOf(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(value)) {
    value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
    out.push([...prefix, value.length]);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
    out.push([...prefix, 'not-there'], [...prefix, 'not-there', 0]);
  } else out.push([...prefix, 'below-a-scalar']);
  return out;
}

/** The ranges parse.ts gives for a text the fast loader answers are those of the full parse. */
function checkRanges(text: string, label: string): number {
  const lazy = parseYamlFile('f.yaml', text, 'editor');
  const full = parseWithRanges('f.yaml', text, 'editor');
  let compared = 0;
  for (const doc of lazy.docs) {
    const ref = full.docs.find((d) => d.index === doc.index);
    assert.ok(ref, `${label}: document ${doc.index} is missing from the full parse`);
    assert.equal(doc.line, ref.line, `${label}: start line of document ${doc.index}`);
    for (const p of pathsOf(doc.value)) {
      const at = `${label}: document ${doc.index}, path ${JSON.stringify(p)}`;
      assert.deepStrictEqual(doc.rangeOf(p), ref.rangeOf(p), `${at}: rangeOf`);
      assert.deepStrictEqual(doc.keyRangeOf(p), ref.keyRangeOf(p), `${at}: keyRangeOf`);
      assert.deepStrictEqual(doc.locate(p), ref.locate(p), `${at}: locate`);
      assert.deepStrictEqual(doc.valueStart(p), ref.valueStart(p), `${at}: valueStart`);
      assert.deepStrictEqual(doc.rangeInString(p, 1, 2), ref.rangeInString(p, 1, 2), `${at}: rangeInString`);
      compared++;
    }
  }
  return compared;
}

describe('checked readings (values built only when asked for)', () => {
  const READERS_CHECKED: readonly YamlReader[] = ['helm-values', 'generator-file', 'directory-manifest', 'chart-metadata', 'kustomize-resource'];

  /** checkYamlFile gives what parseYamlFile gives: the same problems, and the same documents once asked for. */
  function sameReading(text: string, reader: YamlReader, label: string): void {
    const checked = checkYamlFile('f.yaml', text, reader);
    const parsed = parseYamlFile('f.yaml', text, reader);
    const at = `${label} (${reader})`;
    assert.deepStrictEqual(checked.problems, parsed.problems, `${at}: problems`);
    assert.deepStrictEqual(
      checked.docs.map((d) => ({ index: d.index, value: d.value, line: d.line })),
      parsed.docs.map((d) => ({ index: d.index, value: d.value, line: d.line })),
      `${at}: documents`,
    );
    for (const [i, doc] of checked.docs.entries()) assert.deepStrictEqual(doc.locate([]), parsed.docs[i]?.locate([]), `${at}: range of document ${i}`);
  }

  it('are the full readings for every YAML file of the seven corpora', function () {
    this.timeout(120_000);
    let files = 0;
    for (const corpus of fs.readdirSync(CORPORA).filter((d) => fs.statSync(path.join(CORPORA, d)).isDirectory())) {
      for (const f of yamlFilesUnder(path.join(CORPORA, corpus))) {
        const text = fs.readFileSync(f, 'utf8');
        for (const reader of READERS_CHECKED) sameReading(text, reader, f);
        files++;
      }
    }
    assert.ok(files > 500, `compared ${files} files`);
  });

  it('are the full readings for 3,000 mutated files, problems included', function () {
    this.timeout(120_000);
    const bases = [...yamlFilesUnder(EXAMPLE_REPO), ...(sharedIfPresent('the seed corpus as mutation bases', SEED_CORPUS) ? yamlFilesUnder(SEED_CORPUS) : [])].map((f) => fs.readFileSync(f, 'utf8')).filter((t) => t.length < 20000);
    const seed = Number(process.env['HOME_OPS_FUZZ_SEED'] ?? 20261127);
    let withProblems = 0;
    for (let i = 0; i < 3000; i++) {
      const rng = makeRng(caseSeed(seed, i));
      const m = mutate(rng.pick(bases), rng);
      for (const reader of READERS_CHECKED) sameReading(m.text, reader, `case ${i} of seed ${seed} (${m.ops.join(', ')})`);
      if (parseYamlFile('f.yaml', m.text, 'helm-values').problems.length > 0) withProblems++;
    }
    assert.ok(withProblems > 100, `only ${withProblems} mutated files had a problem`);
  });

  it('give the values when asked for, the same ones each time', () => {
    const checked = checkYamlFile('values.yaml', 'image:\n  tag: "1.2"\nreplicas: 2\nenabled: yes\n', 'helm-values');
    assert.deepStrictEqual(checked.problems, []);
    assert.deepStrictEqual(checked.docs[0]?.value, { image: { tag: '1.2' }, replicas: 2, enabled: true });
    assert.equal(checked.docs, checked.docs, 'the documents are built once');
  });
});

describe('ranges of fast-loaded files', () => {
  it('are those of the full parse, for every path of the written cases, the example repository and generated files', () => {
    let compared = 0;
    for (const [i, text] of HANDLED.entries()) compared += checkRanges(text, `case ${i}`);
    for (const f of yamlFilesUnder(EXAMPLE_REPO)) compared += checkRanges(fs.readFileSync(f, 'utf8'), f);
    if (sharedIfPresent('the seed corpus ranges', SEED_CORPUS)) for (const f of yamlFilesUnder(SEED_CORPUS)) compared += checkRanges(fs.readFileSync(f, 'utf8'), f);
    const seed = Number(process.env['HOME_OPS_FUZZ_SEED'] ?? 20261127);
    for (let i = 0; i < 3000; i++) {
      const text = generateYaml(makeRng(caseSeed(seed, i)));
      if (fastLoadAll(text)) compared += checkRanges(text, `generated case ${i} of seed ${seed}`);
    }
    assert.ok(compared > 10000, `compared ${compared} paths`);
  });

  it('locate scalars and keys without the full parser', () => {
    const text = 'apiVersion: v1\nkind: Kustomization\nnamespace: "media"\nresources:\n  - app.yaml\n  - name: x\n';
    const before = fullParseCount.files;
    const [doc] = parseYamlFile('k.yaml', text, 'kustomization').docs;
    assert.ok(doc);
    assert.deepStrictEqual(doc.locate(['namespace']), { start: { line: 2, character: 11 }, end: { line: 2, character: 18 } });
    assert.deepStrictEqual(doc.locate(['resources']), { start: { line: 3, character: 0 }, end: { line: 3, character: 9 } });
    assert.deepStrictEqual(doc.rangeInString(['resources', 0], 4, 4), { start: { line: 4, character: 8 }, end: { line: 4, character: 12 } });
    assert.deepStrictEqual(doc.keyRangeOf(['resources', 1, 'name']), { start: { line: 5, character: 4 }, end: { line: 5, character: 8 } });
    assert.equal(fullParseCount.files, before, 'the yaml package parsed the file');
    // A whole mapping's range is the full parser's to give.
    doc.rangeOf(['resources', 1]);
    assert.equal(fullParseCount.files, before + 1);
  });
});

describe('fast YAML loader on deep nesting', () => {
  it('leaves 10,000 levels of block or flow nesting to the full parser instead of overflowing the stack', () => {
    const block = Array.from({ length: 10000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    const flow = `a: ${'['.repeat(10000)}${']'.repeat(10000)}\n`;
    const seq = Array.from({ length: 10000 }, (_, i) => `${' '.repeat(i * 2)}- `).join('\n');
    for (const text of [block, flow, seq]) assert.equal(fastLoadAll(text), undefined);
    // 50 levels are still in the subset.
    assert.ok(fastLoadAll(Array.from({ length: 50 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')));
  });
});
