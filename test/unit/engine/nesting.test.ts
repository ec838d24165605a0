/**
 * Pathological nesting is bounded work with one report where the limit is passed: a deeply nested
 * ApplicationSet, templatePatch, elementsYaml, generator file or kustomization. Before, a 300 KB
 * templatePatch nested 60,000 levels cost 20 s of CPU (parsed once per generated Application)
 * and a false template-error ("Maximum call stack size exceeded"); a 1.7 MB nested ApplicationSet
 * was an "Invalid YAML" error at a position that changed with the caller's stack depth.
 */
import { strict as assert } from 'node:assert';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import type { Problem } from '../../../src/core/problems';
import { Linter } from '../../../src/core/rules';
import { MAX_NESTING } from '../../../src/core/yaml/nesting';
import { appset, makeRepo, type TempRepo } from '../../support/repo';

const ELEMENTS = Array.from({ length: 35 }, (_, i) => `          - name: a${i}\n`).join('');

/** An ApplicationSet over 35 list elements; `extra` goes under spec (before template), `values` under the source. */
function listAppSet(extra = '', values = ''): string {
  return appset(
    'deep',
    `  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - list:
        elements:
${ELEMENTS.trimEnd()}
${extra}  template:
    metadata:
      name: 'x-{{.name}}'
    spec:
      project: default
      destination: {server: https://kubernetes.default.svc, namespace: x}
      source:
        repoURL: https://example.com/r.git
        path: apps
${values}`,
  );
}

/** Block mappings `depth` levels deep, the first at `indent` spaces. */
const blockMaps = (depth: number, indent: number) => Array.from({ length: depth }, (_, i) => `${' '.repeat(indent + 2 * i)}k${i}:\n`).join('') + `${' '.repeat(indent + 2 * depth)}leaf: '{{.name}}'\n`;

function lint(repo: TempRepo): { model: RepositoryModel; problems: Problem[]; ms: number } {
  const t = performance.now();
  const model = new RepositoryModel(repo.root);
  const problems = new Linter(model).run();
  return { model, problems, ms: performance.now() - t };
}

const noStackErrors = (problems: Problem[]) => assert.deepEqual(problems.filter((p) => /call stack|maximum template depth/i.test(p.message)), []);

describe('engine: pathological nesting is bounded and reported once, where it is', function () {
  this.timeout(60000);
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it('a 1.7 MB ApplicationSet nested 1,300 levels: one warning at the level past the limit, the same from disk and from the editor', () => {
    const text = listAppSet('', `        helm:\n          valuesObject:\n${blockMaps(1300, 12)}`);
    assert.ok(text.length > 1_700_000);
    repo = makeRepo({ 'argocd/deep.yaml': text });
    const { model, problems, ms } = lint(repo);
    const deep = problems.filter((p) => p.file === 'argocd/deep.yaml');
    // Levels 1-6 are the document down to valuesObject; k0 is level 7, so k122 is the 129th.
    const line = text.split('\n').findIndex((l) => l.trimStart() === `k${MAX_NESTING - 6}:`);
    assert.deepEqual(deep.map((p) => [p.rule, p.severity, p.range.start]), [['nesting-too-deep', 'warning', { line, character: 12 + 2 * (MAX_NESTING - 6) }]]);
    assert.match(deep[0]?.message ?? '', /^This file nests deeper than 128 levels \(line \d+, column \d+\); Home-Ops does not read it/);
    assert.ok(ms < 3000, `${ms.toFixed(0)} ms`);
    model.setOverlay('argocd/deep.yaml', `${text}# edited\n`);
    assert.deepEqual(new Linter(model).run().filter((p) => p.file === 'argocd/deep.yaml'), deep);
  });

  it('a templatePatch nested 60,000 levels over 35 Applications: one warning in the patch, not 35 parses', () => {
    const patch = `  templatePatch: |\n    spec: ${'{a: '.repeat(60000)}'{{.name}}'${'}'.repeat(60000)}\n`;
    repo = makeRepo({ 'argocd/deep.yaml': listAppSet(patch) });
    const { model, problems, ms } = lint(repo);
    noStackErrors(problems);
    const deep = problems.filter((p) => p.file === 'argocd/deep.yaml' && p.rule !== 'missingkey-error');
    assert.equal(deep.length, 1, JSON.stringify(deep));
    assert.equal(deep[0]?.rule, 'nesting-too-deep');
    assert.equal(deep[0]?.severity, 'warning');
    // In the patch's own line, where the 129th level opens.
    const patchLine = listAppSet(patch).split('\n').findIndex((l) => l.startsWith('    spec: {a:'));
    // `spec` is level 1 of the patch, each `{a: ` one more: the 128th brace opens level 129.
    assert.deepEqual(deep[0]?.range.start, { line: patchLine, character: 4 + 'spec: '.length + 4 * (MAX_NESTING - 1) });
    assert.equal(model.appsets()[0]?.complete, false, 'the ApplicationSet is not fully evaluated');
    assert.ok(ms < 3000, `${ms.toFixed(0)} ms (20 s before)`);
  });

  it('an elementsYaml nested 3,000 levels: one warning, not a generator error', () => {
    const yaml = Array.from({ length: 35 }, (_, i) => `          - {name: b${i}, v: ${'['.repeat(3000)}${']'.repeat(3000)}}`).join('\n');
    repo = makeRepo({ 'argocd/deep.yaml': listAppSet().replace('        elements:\n', `        elementsYaml: |\n${yaml}\n        elements:\n`) });
    const { problems, ms } = lint(repo);
    noStackErrors(problems);
    const deep = problems.filter((p) => p.file === 'argocd/deep.yaml' && p.rule !== 'missingkey-error');
    assert.deepEqual(deep.map((p) => [p.rule, p.severity]), [['nesting-too-deep', 'warning']]);
    assert.match(deep[0]?.message ?? '', /^This elementsYaml nests deeper than 128 levels \(line 1, column \d+\)/);
    assert.ok(ms < 3000, `${ms.toFixed(0)} ms`);
  });

  it('a git files generator input and a kustomization nested 5,000 levels: one warning each, in the file', () => {
    const files = appset(
      'files',
      `  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - git:
        repoURL: https://example.com/r.git
        revision: HEAD
        files:
          - path: config/*.yaml
  template:
    metadata:
      name: 'f-{{.name}}'
    spec:
      project: default
      destination: {server: https://kubernetes.default.svc, namespace: x}
      source: {repoURL: https://example.com/r.git, path: 'apps/{{.name}}'}`,
    );
    repo = makeRepo({
      'argocd/files.yaml': files,
      'config/deep.yaml': `name: deep\nv: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
      'config/ok.yaml': 'name: ok\n',
      'apps/ok/kustomization.yaml': `resources: []\nx: ${'{a: '.repeat(5000)}1${'}'.repeat(5000)}\n`,
      'apps/deep/kustomization.yaml': 'resources: []\n',
    });
    const { model, problems, ms } = lint(repo);
    noStackErrors(problems);
    const deep = problems.filter((p) => p.rule === 'nesting-too-deep');
    assert.deepEqual(deep.map((p) => [p.file, p.severity, p.range.start]).sort(), [
      ['apps/ok/kustomization.yaml', 'warning', { line: 1, character: 3 + 4 * (MAX_NESTING - 1) }],
      ['argocd/files.yaml', 'warning', { line: 12, character: 8 }],
      ['config/deep.yaml', 'warning', { line: 1, character: 3 + MAX_NESTING - 1 }],
    ]);
    assert.match(deep.find((p) => p.file === 'argocd/files.yaml')?.message ?? '', /^config\/deep\.yaml nests deeper than 128 levels/);
    // Argo CD reads the file: no error says otherwise, and the generator is not claimed complete.
    assert.deepEqual(problems.filter((p) => p.severity === 'error'), []);
    assert.equal(model.appsets()[0]?.complete, false);
    assert.ok(ms < 3000, `${ms.toFixed(0)} ms`);
  });

  it(`just below the limit (${MAX_NESTING - 8} levels in the template, the patch and the file) everything is read and evaluated`, () => {
    const depth = MAX_NESTING - 8;
    const patch = `  templatePatch: |\n    spec:\n      source:\n        helm:\n          valuesObject:\n${blockMaps(depth - 6, 12)}`;
    repo = makeRepo({ 'argocd/deep.yaml': listAppSet(patch, `        helm:\n          valuesObject:\n${blockMaps(depth - 6, 12)}`) });
    const { model, problems } = lint(repo);
    noStackErrors(problems);
    assert.deepEqual(problems.filter((p) => p.rule === 'nesting-too-deep'), []);
    assert.equal(model.apps().length, 35);
    let v: unknown = (model.apps()[7]?.manifest as { spec: { source: { helm: { valuesObject: unknown } } } }).spec.source.helm.valuesObject;
    for (let i = 0; i < depth - 6; i++) v = (v as Record<string, unknown>)[`k${i}`];
    assert.deepEqual(v, { leaf: 'a7' }, 'rendered at the bottom');
  });
});
