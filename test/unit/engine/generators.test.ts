import { strict as assert } from 'node:assert';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { appset, makeRepo, type TempRepo } from '../../support/repo';
import { corpusPath, requireShared } from '../../support/shared';

const GIT = `repoURL: https://example.com/repo.git
        revision: HEAD`;

function template(name: string, namespace = 'default', path = 'apps'): string {
  return `
  template:
    metadata:
      name: '${name}'
    spec:
      project: default
      source: { repoURL: https://example.com/repo.git, path: '${path}' }
      destination: { server: https://kubernetes.default.svc, namespace: '${namespace}' }`;
}

function goAppset(name: string, generators: string, tmpl: string, extra = ''): string {
  return appset(name, `  goTemplate: true\n  goTemplateOptions: ["missingkey=error"]\n${extra}  generators:\n${generators}\n${tmpl}`);
}

describe('generators', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  const load = (files: Record<string, string>) => {
    repo = makeRepo(files);
    return new RepositoryModel(repo.root);
  };
  const names = (m: RepositoryModel) => m.apps().map((a) => a.name);
  const errors = (m: RepositoryModel) => m.problems().filter((p) => p.severity === 'error');

  describe('git files', () => {
    it('turns each selected file into parameters, `*` crossing folders, in path order', () => {
      const m = load({
        'appset.yaml': goAppset(
          'files',
          `    - git:\n        ${GIT}\n        files:\n          - path: clusters/*/config.json\n          - path: clusters/skip/config.json\n            exclude: true`,
          template('{{.cluster.name}}-{{.path.basename}}', '{{.path.filename}}', '{{.path.path}}'),
        ),
        'clusters/prod/config.json': '{"cluster": {"name": "prod", "replicas": 1000000}}',
        'clusters/dev/eu/config.json': '{"cluster": {"name": "dev"}}',
        'clusters/skip/config.json': '{"cluster": {"name": "skip"}}',
      });
      assert.deepEqual(names(m), ['dev-eu', 'prod-prod']);
      assert.equal(m.apps()[0]!.path, 'clusters/dev/eu');
      assert.equal(m.apps()[0]!.namespace, 'config.json');
    });

    it('gives one parameter set per element of a YAML list and flattens in legacy mode', () => {
      const m = load({
        'appset.yaml': appset(
          'legacy-files',
          `  generators:\n    - git:\n        ${GIT}\n        files:\n          - path: envs/*.yaml\n${template('{{name}}-{{size}}-{{path.filename}}', '{{nested.ns}}')}`,
        ),
        'envs/list.yaml': '- name: a\n  size: 1000000\n  nested: {ns: x}\n- name: b\n  size: 1.5\n  nested: {ns: on}\n',
      });
      // Numbers are float64 after Argo CD's JSON round trip, printed with Go's %v.
      assert.deepEqual(names(m), ['a-1e+06-list.yaml', 'b-1.5-list.yaml']);
      // sigs.k8s.io/yaml reads YAML 1.1: an unquoted `on` is the boolean true.
      assert.deepEqual(m.apps().map((a) => a.namespace), ['x', 'true']);
    });

    it('reports a file that is neither an object nor a list of objects', () => {
      const m = load({
        'appset.yaml': goAppset('bad', `    - git:\n        ${GIT}\n        files:\n          - path: envs/*.yaml`, template('{{.name}}')),
        'envs/a.yaml': '- just\n- strings\n',
      });
      assert.deepEqual(names(m), []);
      const e = errors(m);
      assert.equal(e.length, 1);
      assert.match(e[0]!.message, /unable to process file 'envs\/a.yaml'/);
      assert.equal(m.appsets()[0]!.complete, false);
    });
  });

  describe('list', () => {
    it('reads a multi-document file by its first document, as sigs.k8s.io/yaml does', () => {
      // Each case as sigs.k8s.io/yaml v1.4.0 Unmarshal reads it (checked with a Go program):
      // later documents are never looked at, not even for syntax; a comment alone is no document.
      const cases: Record<string, [string, string | undefined]> = {
        later: ['ns: first\n---\nns: second\n', 'first'],
        leading: ['---\nns: first\n---\nns: second\n', 'first'],
        'empty-first': ['---\n---\nns: second\n', undefined],
        'comment-first': ['# parked\n---\nns: second\n', 'second'],
        'broken-later': ['ns: first\n---\nns: [unclosed\n', 'first'],
        'list-later': ['ns: first\n---\n- x\n', 'first'],
      };
      const files: Record<string, string> = {
        'appset.yaml': goAppset('multi', `    - git:\n        ${GIT}\n        files:\n          - path: cfg/*/config.yaml`, template('{{.path.basename}}', 'default', '{{.path.path}}')),
      };
      for (const [name, [text]] of Object.entries(cases)) files[`cfg/${name}/config.yaml`] = text;
      const m = load(files);
      assert.deepEqual(errors(m), []);
      const got = Object.fromEntries(m.apps().map((a) => [a.name, a.params['ns']]));
      assert.deepEqual(got, Object.fromEntries(Object.entries(cases).map(([name, [, ns]]) => [name, ns])));
    });

    it('generates every Application of acelinkio/argocd-homelab, whose generator files are multi-document manifests', function () {
      const root = corpusPath('acelinkio__argocd-homelab');
      requireShared(this, 'the files generator on acelinkio/argocd-homelab', root);
      const m = new RepositoryModel(root);
      // SOURCE.md counts 34 files matched by pineapp/**/manifest.yaml, one Application each.
      assert.equal(m.apps().length, 34);
      assert.ok(m.apps().every((a) => a.name === `${a.path!.split('/').pop()}.manifest`));
      assert.deepEqual(errors(m), []);
    });

    it('reads elementsYaml as YAML 1.1, as sigs.k8s.io/yaml does: a key `n` is the boolean false', () => {
      const m = load({
        'appset.yaml': goAppset('yaml11', `    - list:\n        elementsYaml: |\n          - cluster: b\n            n: 4`, template('{{.cluster}}-{{index . "false"}}')),
      });
      assert.deepEqual(names(m), ['b-4']);
    });

    it('uses elements and elementsYaml', () => {
      const m = load({
        'appset.yaml': goAppset(
          'list',
          `    - list:\n        elements:\n          - cluster: a\n            size: 3\n        elementsYaml: |\n          - cluster: b\n            size: 4`,
          template('{{.cluster}}-{{add .size 1}}'),
        ),
      });
      assert.deepEqual(names(m), ['a-4', 'b-5']);
    });

    it('requires strings in legacy mode, with the element located', () => {
      const m = load({ 'appset.yaml': appset('legacy-list', `  generators:\n    - list:\n        elements:\n          - cluster: a\n            n: 3\n${template('{{cluster}}')}`) });
      const e = errors(m);
      assert.equal(e.length, 1);
      assert.match(e[0]!.message, /error parsing value as string/);
      assert.equal(e[0]!.range.start.line, 10);
    });
  });

  describe('matrix', () => {
    it('combines a git directory generator with a list, child-0 parameters winning', () => {
      const m = load({
        'appset.yaml': goAppset(
          'matrix',
          `    - matrix:\n        generators:\n          - git:\n              ${GIT.replace('\n', '\n      ')}\n              directories:\n                - path: apps/*\n          - list:\n              elements:\n                - env: prod\n                - env: dev`,
          template('{{.path.basename}}-{{.env}}'),
        ),
        'apps/a/x.yaml': 'x: 1',
        'apps/b/x.yaml': 'x: 1',
      });
      assert.deepEqual(names(m), ['a-prod', 'a-dev', 'b-prod', 'b-dev']);
      assert.equal(m.apps()[0]!.generator, 'matrix(git directories, list)');
      assert.equal(m.apps()[0]!.origins.length, 2);
    });

    it('renders the second child with each parameter set of the first', () => {
      const m = load({
        'appset.yaml': goAppset(
          'matrix-files',
          `    - matrix:\n        generators:\n          - git:\n              ${GIT.replace('\n', '\n      ')}\n              directories:\n                - path: apps/*\n          - git:\n              ${GIT.replace('\n', '\n      ')}\n              pathParamPrefix: cfg\n              files:\n                - path: '{{.path.path}}/config.json'`,
          template('{{.path.basename}}-{{.replicas}}'),
        ),
        'apps/a/config.json': '{"replicas": 2}',
        'apps/b/config.json': '{"replicas": 3}',
      });
      assert.deepEqual(names(m), ['a-2', 'b-3']);
    });

    it('rejects more than two children and a third nesting level', () => {
      const three = load({
        'appset.yaml': goAppset('m3', `    - matrix:\n        generators:\n          - list: {elements: [{a: '1'}]}\n          - list: {elements: [{b: '1'}]}\n          - list: {elements: [{c: '1'}]}`, template('x')),
      });
      assert.match(errors(three)[0]!.message, /more than two generators/);
      repo.cleanup();
      const deep = load({
        'appset.yaml': goAppset(
          'deep',
          `    - matrix:\n        generators:\n          - matrix:\n              generators:\n                - matrix:\n                    generators: []\n                - list: {elements: [{a: '1'}]}\n          - list: {elements: [{b: '1'}]}`,
          template('x'),
        ),
      });
      assert.match(errors(deep)[0]!.message, /child generator generated no parameters/);
    });

    it('refuses conflicting keys in legacy mode', () => {
      const m = load({
        'appset.yaml': appset('legacy-matrix', `  generators:\n    - matrix:\n        generators:\n          - list: {elements: [{k: a}]}\n          - list: {elements: [{k: b}]}\n${template('{{k}}')}`),
      });
      assert.match(errors(m)[0]!.message, /found duplicate key k with different value/);
    });
  });

  describe('merge', () => {
    it('overrides base parameter sets by merge key and ignores unmatched ones', () => {
      const m = load({
        'appset.yaml': goAppset(
          'merge',
          `    - merge:\n        mergeKeys: [name]\n        generators:\n          - list: {elements: [{name: a, size: s}, {name: b, size: s}]}\n          - list: {elements: [{name: b, size: xl}, {name: c, size: xl}]}`,
          template('{{.name}}-{{.size}}'),
        ),
      });
      assert.deepEqual(names(m), ['a-s', 'b-xl']);
    });

    it('rejects parameter sets that are not unique by the merge keys', () => {
      const m = load({
        'appset.yaml': goAppset('merge-dup', `    - merge:\n        mergeKeys: [name]\n        generators:\n          - list: {elements: [{name: a}, {name: a}]}\n          - list: {elements: []}`, template('{{.name}}')),
      });
      assert.match(errors(m)[0]!.message, /not unique by the given mergeKeys/);
    });
  });

  describe('clusters', () => {
    const secret = (name: string, server: string, env: string) =>
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  labels:\n    argocd.argoproj.io/secret-type: cluster\n    env: ${env}\nstringData:\n  name: ${name}\n  server: ${server}\n`;

    it('evaluates against the cluster Secrets the repository declares, in-cluster last', () => {
      const m = load({
        'appset.yaml': goAppset('clusters', `    - clusters: {}`, template('app-{{.name}}', '{{index .metadata.labels "env" | default "none"}}')),
        'secrets/prod.yaml': secret('prod', 'https://prod.example.com', 'prod'),
      });
      assert.deepEqual(names(m), ['app-prod', 'app-in-cluster']);
      assert.deepEqual(m.apps().map((a) => a.namespace), ['prod', 'none']);
    });

    it('applies the selector and says so when a Secret is encrypted', () => {
      const m = load({
        'appset.yaml': goAppset('clusters', `    - clusters:\n        selector:\n          matchLabels: {env: prod}`, template('app-{{.name}}')),
        'secrets/prod.yaml': secret('prod', 'https://prod.example.com', 'prod'),
        'secrets/dev.yaml': secret('dev', 'https://dev.example.com', 'dev'),
        'secrets/enc.sops.yaml': secret('enc', 'ENC[AES256_GCM,data:xx]', 'prod') + 'sops:\n  mac: ENC[xx]\n',
      });
      assert.deepEqual(names(m), ['app-prod']);
      const w = m.problems().find((p) => p.rule === 'generator-offline');
      assert.ok(w);
      assert.match(w.message, /secrets\/enc.sops.yaml:1 is encrypted/);
    });
  });

  it('filters parameter sets with a generator selector', () => {
    const m = load({
      'appset.yaml': goAppset('sel', `    - list:\n        elements: [{name: a, tier: web}, {name: b, tier: db}]\n      selector:\n        matchExpressions:\n          - {key: tier, operator: In, values: [db]}`, template('{{.name}}')),
    });
    assert.deepEqual(names(m), ['b']);
  });

  it('reports generators that need an API as not evaluable offline, with their location', () => {
    const m = load({
      'appset.yaml': goAppset('scm', `    - scmProvider:\n        github: {organization: x}\n    - list: {elements: [{name: a}]}`, template('{{.name}}')),
    });
    assert.deepEqual(names(m), ['a']);
    const p = m.problems().find((x) => x.rule === 'generator-offline');
    assert.ok(p);
    assert.equal(p.range.start.line, 9);
    assert.match(p.message, /cannot be evaluated offline/);
    assert.equal(m.appsets()[0]!.complete, false);
  });

  it('names the likely generator when a key has a typo', () => {
    const m = load({ 'appset.yaml': goAppset('typo', `    - gti:\n        ${GIT}\n        directories: [{path: 'apps/*'}]`, template('x')) });
    assert.match(errors(m)[0]!.message, /Unknown generator "gti"; did you mean "git"\?/);
  });
});
