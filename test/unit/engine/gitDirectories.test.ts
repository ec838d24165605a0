import { strict as assert } from 'node:assert';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { appset, makeRepo, type TempRepo } from '../../support/repo';

const TEMPLATE = `
  template:
    metadata:
      name: '{{.path.basename}}'
    spec:
      project: default
      source:
        repoURL: https://example.com/repo.git
        path: '{{.path.path}}'
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{index .path.segments 1}}'`;

function dirAppset(patterns: string, extra = ''): string {
  return appset(
    'dirs',
    `
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - git:
        repoURL: https://example.com/repo.git
        revision: HEAD
${extra}        directories:
${patterns}
${TEMPLATE}`,
  );
}

describe('git directory generator', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  const names = (model: RepositoryModel) => model.apps().map((a) => a.name);

  it('matches directories with Go path.Match: one level per `*`, hidden folders skipped, exclude wins', () => {
    repo = makeRepo({
      'argocd/appset.yaml': dirAppset(`          - path: apps/*\n          - path: apps/b\n            exclude: true`),
      'apps/a/kustomization.yaml': 'resources: []\n',
      'apps/b/kustomization.yaml': 'resources: []\n',
      'apps/b/sub/x.yaml': 'a: 1\n',
      'apps/.hidden/x.yaml': 'a: 1\n',
      'apps/c/x.yaml': 'a: 1\n',
    });
    const model = new RepositoryModel(repo.root);
    assert.deepEqual(names(model), ['a', 'c']);
    const a = model.apps()[0]!;
    assert.equal(a.path, 'apps/a');
    assert.equal(a.namespace, 'a');
    assert.deepEqual(a.levels, [{ index: 1, value: 'a' }]);
    assert.deepEqual((a.manifest['metadata'] as { finalizers: string[] }).finalizers, ['resources-finalizer.argocd.argoproj.io']);
    assert.equal((a.manifest['metadata'] as { namespace: string }).namespace, 'argocd');
  });

  it('treats a pattern without glob as that directory, and `**` as a single level', () => {
    repo = makeRepo({
      'argocd/appset.yaml': dirAppset(`          - path: apps/openebs\n          - path: deep/**`),
      'apps/openebs/kustomization.yaml': 'resources: []\n',
      'deep/x/y/z.yaml': 'a: 1\n',
    });
    const model = new RepositoryModel(repo.root);
    assert.deepEqual(names(model), ['openebs', 'x']);
    assert.deepEqual(model.apps()[0]!.levels, []);
  });

  it('sees what Git would have: empty and ignored directories do not count, new untracked ones do', () => {
    repo = makeRepo({
      'argocd/appset.yaml': dirAppset(`          - path: apps/*`),
      '.gitignore': 'apps/ignored/\n*.tmp\n',
      'apps/kept/kustomization.yaml': 'resources: []\n',
      'apps/ignored/kustomization.yaml': 'resources: []\n',
      'apps/only-tmp/file.tmp': 'x',
    });
    repo.mkdir('apps/empty');
    const model = new RepositoryModel(repo.root);
    assert.deepEqual(names(model), ['kept']);
  });

  it('does not follow a symlinked directory, as Argo CD does not', () => {
    repo = makeRepo({
      'argocd/appset.yaml': dirAppset(`          - path: apps/*`),
      'apps/real/kustomization.yaml': 'resources: []\n',
      'apps/link': { symlink: 'real' },
    });
    const model = new RepositoryModel(repo.root);
    assert.deepEqual(names(model), ['real']);
  });

  it('gives legacy flat parameters and pathParamPrefix', () => {
    repo = makeRepo({
      'argocd/legacy.yaml': appset(
        'legacy',
        `
  generators:
    - git:
        repoURL: https://example.com/repo.git
        revision: HEAD
        pathParamPrefix: infra
        directories:
          - path: apps/*
  template:
    metadata:
      name: '{{infra.path.basename}}-{{infra.path[0]}}'
    spec:
      project: default
      source: { repoURL: https://example.com/repo.git, path: '{{infra.path}}' }
      destination: { server: https://kubernetes.default.svc, namespace: '{{unknown}}' }`,
      ),
      'apps/My_App/x.yaml': 'a: 1\n',
    });
    const model = new RepositoryModel(repo.root);
    const app = model.apps()[0]!;
    assert.equal(app.name, 'My_App-apps');
    assert.equal(app.path, 'apps/My_App');
    assert.equal(app.namespace, '{{unknown}}', 'legacy templates leave unknown tags as they are');
    assert.equal(app.params['infra.path.basenameNormalized'], 'my-app');
  });

  it('adds `values` rendered against the generator parameters', () => {
    repo = makeRepo({
      'argocd/appset.yaml': dirAppset(`          - path: apps/*`, `        values:\n          ns: 'team-{{.path.basename}}'\n`).replace(
        "namespace: '{{index .path.segments 1}}'",
        "namespace: '{{.values.ns}}'",
      ),
      'apps/a/x.yaml': 'a: 1\n',
    });
    const model = new RepositoryModel(repo.root);
    assert.equal(model.apps()[0]!.namespace, 'team-a');
  });

  it('reports an invalid pattern at its location and keeps the other patterns', () => {
    repo = makeRepo({
      'argocd/appset.yaml': dirAppset(`          - path: apps/[\n          - path: apps/*`),
      'apps/a/x.yaml': 'a: 1\n',
    });
    const model = new RepositoryModel(repo.root);
    assert.deepEqual(names(model), ['a']);
    const p = model.problems().find((x) => x.rule === 'generator-path');
    assert.ok(p, 'a problem for the bad pattern');
    assert.equal(p.file, 'argocd/appset.yaml');
    assert.equal(p.range.start.line, 13);
  });
});
