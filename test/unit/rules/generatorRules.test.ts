import { strict as assert } from 'node:assert';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { Linter } from '../../../src/core/rules';
import type { Problem } from '../../../src/core/problems';
import { appset, makeRepo, type RepoFiles, type TempRepo } from '../../support/repo';

/** An ApplicationSet with the given generators block (YAML under `generators:`, 4 spaces in). */
const APPSET = (generators: string, name = 'apps') =>
  appset(
    name,
    `  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
${generators.replace(/^\n/, '').replace(/\s+$/, '')}
  template:
    metadata: {name: '{{.name}}'}
    spec:
      project: default
      source: {repoURL: https://example.com/repo.git, path: apps}
      destination: {server: https://kubernetes.default.svc, namespace: default}`,
  );

const GIT = 'repoURL: https://example.com/repo.git\n        revision: HEAD';
const KEEP = 'kind: ConfigMap\n';

describe('rules on generators', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  const lint = (files: RepoFiles): Problem[] => {
    repo = makeRepo(files);
    return new Linter(new RepositoryModel(repo.root)).run();
  };
  const only = (problems: Problem[], rule: string) => problems.filter((p) => p.rule === rule);
  const lines = (problems: Problem[]) => problems.map((p) => `${p.file}:${p.range.start.line}`);

  describe('generator-exclude-no-match', () => {
    it('warns at a directories exclude that can never match what the includes select, or a literal folder they do not select; not at a guard glob', () => {
      const problems = lint({
        'argocd/a.yaml': APPSET(`    - git:
        ${GIT}
        directories:
          - path: apps/*
          - path: apps/old
            exclude: true
          - path: apps/*/old
            exclude: true
          - path: apps/olb
            exclude: true
          - path: apps/tmp-*
            exclude: true
`).replace("'{{.name}}'", "'{{.path.basename}}'"),
        'apps/one/k.yaml': KEEP,
        'apps/old/k.yaml': KEEP,
        'apps/one/old/k.yaml': KEEP,
      });
      const p = only(problems, 'generator-exclude-no-match');
      // `apps/*/old` is a real folder, but `apps/*` never selects it (`*` stays in one folder).
      assert.deepEqual(lines(p), ['argocd/a.yaml:16', 'argocd/a.yaml:18']);
      assert.match(p[0]!.message, /This exclude can never remove anything: no include pattern can select a folder it matches/);
      assert.match(p[1]!.message, /This exclude names apps\/olb, which is not among the 2 directories the include entry selects, so it excludes nothing/);
    });

    it('checks a literal files exclude with git pathspecs (`*` crosses folders), leaving globs alone', () => {
      const problems = lint({
        'argocd/a.yaml': APPSET(`    - git:
        ${GIT}
        files:
          - path: clusters/*/config.yaml
          - path: clusters/*/staging/config.yaml
            exclude: true
          - path: clusters/eu/stagign/config.yaml
            exclude: true
          - path: clusters/*/tmp-*/config.yaml
            exclude: true
`),
        'clusters/eu/prod/config.yaml': 'name: prod\n',
        'clusters/eu/staging/config.yaml': 'name: staging\n',
      });
      const p = only(problems, 'generator-exclude-no-match');
      assert.deepEqual(lines(p), ['argocd/a.yaml:16']);
      assert.match(p[0]!.message, /names clusters\/eu\/stagign\/config.yaml, which is not among the 2 files/);
    });

    it('leaves an exclude alone when the includes select nothing (generator-path-no-match says so)', () => {
      const problems = lint({ 'argocd/a.yaml': APPSET(`    - git:\n        ${GIT}\n        directories:\n          - path: nothing/*\n          - path: nothing/x\n            exclude: true\n`), 'apps/one/k.yaml': KEEP });
      assert.deepEqual(only(problems, 'generator-exclude-no-match'), []);
      assert.equal(only(problems, 'generator-path-no-match').length, 1);
    });
  });

  describe('appset-generates-nothing', () => {
    it('names the reason: every directory excluded', () => {
      const problems = lint({
        'argocd/a.yaml': APPSET(`    - git:\n        ${GIT}\n        directories:\n          - path: apps/*\n          - path: apps/*\n            exclude: true\n`),
        'apps/one/k.yaml': KEEP,
        'apps/two/k.yaml': KEEP,
      });
      const p = only(problems, 'appset-generates-nothing');
      assert.deepEqual(lines(p), ['argocd/a.yaml:9']);
      assert.match(p[0]!.message, /^This generator produces no parameter set: all 2 directories its include patterns match are excluded by its `exclude: true` patterns, so ApplicationSet apps generates no Application\.$/);
    });

    it('names the reason: a selector that drops every parameter set, an empty list', () => {
      const problems = lint({
        'argocd/a.yaml': APPSET(`    - list:\n        elements: [{name: a, enabled: "false"}, {name: b, enabled: "false"}]\n      selector:\n        matchLabels: {enabled: "true"}\n`),
        'argocd/b.yaml': APPSET('    - list:\n        elements: []\n', 'empty'),
      });
      const p = only(problems, 'appset-generates-nothing');
      // At the selector that decides it; an empty list at the generator.
      assert.deepEqual(lines(p), ['argocd/a.yaml:11', 'argocd/b.yaml:9']);
      assert.match(p[0]!.message, /a `selector` drops every parameter set \(2\)/);
      assert.match(p[1]!.message, /its list has no elements/);
    });

    it('names the reason: a clusters selector that no declared cluster Secret matches', () => {
      const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: prod\n  namespace: argocd\n  labels:\n    argocd.argoproj.io/secret-type: cluster\n    env: prod\nstringData:\n  name: prod\n  server: https://prod.example.com\n';
      const problems = lint({ 'argocd/a.yaml': APPSET('    - clusters:\n        selector:\n          matchLabels: {env: staging}\n'), 'clusters/prod.yaml': secret });
      const p = only(problems, 'appset-generates-nothing');
      assert.deepEqual(lines(p), ['argocd/a.yaml:10'], 'at the selector');
      assert.match(p[0]!.message, /its `selector` matches none of the 1 cluster Secret the repository declares/);
    });

    it('says nothing when the patterns match nothing (generator-path-no-match says it), or when Applications are generated', () => {
      const nothing = lint({ 'argocd/a.yaml': APPSET(`    - git:\n        ${GIT}\n        directories:\n          - path: nowhere/*\n`) });
      assert.deepEqual(only(nothing, 'appset-generates-nothing'), []);
      assert.equal(only(nothing, 'generator-path-no-match').length, 1);
      repo.cleanup();
      const some = lint({ 'argocd/a.yaml': APPSET('    - list:\n        elements: [{name: a}]\n    - list:\n        elements: []\n') });
      assert.deepEqual(only(some, 'appset-generates-nothing'), []);
    });
  });
});
