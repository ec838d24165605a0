/**
 * The nesting scan (src/core/yaml/nesting.ts): where a text first nests deeper than a limit,
 * counting block levels, compact sequences and flow collections, and nothing inside scalars or
 * comments; linear on generated megabytes; and real repositories stay far below the limit.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { findExcessiveNesting, MAX_NESTING } from '../../../src/core/yaml/nesting';
import { CORPORA, CORPUS_ROOT, corpusPath, requireShared } from '../../support/shared';

/** The smallest limit the text stays within. */
function depthOf(text: string): number {
  let lo = 0;
  let hi = 100000;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (findExcessiveNesting(text, mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Levels of a parsed value: a scalar is 0, a collection one more than its deepest child. */
function valueDepth(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  const kids = v instanceof Map ? [...v.values()] : Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
  return 1 + kids.reduce((m: number, k) => Math.max(m, valueDepth(k)), 0);
}

const blockMaps = (depth: number) => Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}k${i}:\n`).join('') + `${'  '.repeat(depth)}leaf: 1\n`;

describe('yaml: nesting scan', () => {
  it('counts block mappings, compact sequences and flow collections as the parser nests them', () => {
    for (const [text, what] of [
      [blockMaps(6), 'block mappings'],
      ['a:\n  - - - x\n', 'compact sequences'],
      ['a: [[[{b: [1]}]]]\n', 'flow collections'],
      ['- name: a\n  v:\n    - {x: [1, 2]}\n', 'mixed'],
      ['{"a": {"b": [[1]]}}\n', 'JSON'],
      ['a:\n- b:\n  - c:\n    - d: 1\n  - e\nf: 2\n', 'sequences at their key\'s indentation'],
      ['spec:\n  rules:\n  - backendRefs:\n    - group: ""\n      port: 80\n    matches:\n    - path:\n        type: Prefix\n', 'kubectl style'],
    ] as const) {
      assert.equal(depthOf(text), valueDepth(parse(text)), what);
    }
  });

  it('says where the limit is first passed (0-based line and character)', () => {
    assert.deepEqual(findExcessiveNesting(blockMaps(6), 3), { depth: 4, line: 3, character: 6, offset: blockMaps(6).indexOf('k3') });
    assert.deepEqual(findExcessiveNesting('kind: X\nspec: {a: [[1]]}\n', 3), { depth: 4, line: 1, character: 11, offset: 19 });
    assert.equal(findExcessiveNesting(blockMaps(6), 7), undefined);
  });

  it('nothing inside quoted scalars, block scalars, comments or plain scalars counts', () => {
    const text = [
      'a: "[[[[[[[[[["',
      "b: '{{{{{{{{{{ it''s [[[['",
      'c: "multi [[[[[',
      '  line [[[[[ \\" [[[["',
      'd: x-{{.path.basename}}[0]',
      "e: don't [[[[[",
      '# [[[[[[[[[[[',
      'f: 1 # {{{{{{{{{{',
      'templatePatch: |',
      '  spec:',
      '    a: [[[[[[[[[[[[[[[[[[[[[[',
      '            b:',
      '',
      '      c: {{{{{{{{{{{',
      'g: >-',
      '  [[[[[[[[[',
      '- key: |',
      '    [[[[[[[',
      '  other: [1]',
    ].join('\n');
    // The last entry is a sequence item holding a mapping whose `other` is a flow sequence.
    assert.equal(depthOf(text.slice(0, text.indexOf('- key'))), 1);
    assert.equal(depthOf(text.slice(text.indexOf('- key'))), 3);
  });

  it('document markers start over; an unquoted Go template opens flow mappings, as YAML reads it', () => {
    assert.equal(depthOf(`${blockMaps(5)}---\na: 1\n`), 6);
    assert.equal(findExcessiveNesting(`${blockMaps(5)}---\n${blockMaps(5)}`, 6), undefined);
    // {name: {{.path.basename: null}: null}}: a mapping whose key is a mapping, three levels.
    assert.equal(depthOf('name: {{.path.basename}}\n'), 3);
    assert.equal(depthOf('name: x-{{.path.basename}}\n'), 1);
  });

  it('is linear: 2 MB of nesting is scanned in a few milliseconds, and stops at the limit', () => {
    const flow = `a: ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}\n`;
    let t = performance.now();
    assert.equal(findExcessiveNesting(flow)?.depth, MAX_NESTING + 1);
    assert.equal(findExcessiveNesting(flow, 2_000_000), undefined);
    const flowMs = performance.now() - t;
    const block = blockMaps(1400); // 1.9 MB: quadratic indentation
    t = performance.now();
    assert.equal(findExcessiveNesting(block, 2000), undefined);
    const blockMs = performance.now() - t;
    assert.ok(flowMs < 500 && blockMs < 500, `flow ${flowMs.toFixed(0)} ms, block ${blockMs.toFixed(0)} ms`);
  });

  it('on the real repositories: the parser\'s depth for every file, and far below the limit (CRDs included)', function () {
    requireShared(this, 'the corpus of real repositories', ...CORPORA.map(corpusPath));
    let deepest = { depth: 0, file: '' };
    const differ: string[] = [];
    let files = 0;
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const abs = path.join(dir, e.name);
        if (e.isDirectory() && e.name !== '.git') walk(abs);
        else if (e.isFile() && /\.(ya?ml|json)$/i.test(e.name)) {
          const text = fs.readFileSync(abs, 'utf8');
          const d = depthOf(text);
          if (d > deepest.depth) deepest = { depth: d, file: path.relative(CORPUS_ROOT, abs) };
          const docs = parseAllDocuments(text);
          if (docs.some((doc) => doc.errors.length > 0)) continue; // chart templates, broken files
          files++;
          const parsed = Math.max(0, ...docs.map((doc) => valueDepth(doc.toJS({ maxAliasCount: -1 }))));
          if (parsed !== d) differ.push(`${path.relative(CORPUS_ROOT, abs)}: scan ${d}, parser ${parsed}`);
        }
      }
    };
    walk(CORPUS_ROOT);
    assert.ok(files > 1000, `${files} files`);
    assert.deepEqual(differ, []);
    assert.ok(deepest.depth * 4 <= MAX_NESTING, `${deepest.file} nests ${deepest.depth} levels`);
  });
});
