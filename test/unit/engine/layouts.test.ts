import { strict as assert } from 'node:assert';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { appset, makeRepo, type TempRepo } from '../../support/repo';

/**
 * The same owner's repository changes layout over time; the model must expose enough to group
 * apps by category either way: an ApplicationSet per category, or one ApplicationSet whose
 * category is a path level.
 */
describe('repository layouts', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it('exposes both directory levels of one ApplicationSet over kubernetes/apps/<cluster>/*/*', () => {
    repo = makeRepo({
      'kubernetes/argocd/apps.yaml': appset(
        'pitower-apps',
        `  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - git:
        repoURL: https://example.com/home-ops
        revision: main
        directories:
          - path: kubernetes/apps/pitower/*/*
  template:
    metadata:
      name: 'pitower-{{index .path.segments 3}}-{{index .path.segments 4}}'
    spec:
      project: default
      source: {repoURL: https://example.com/home-ops, targetRevision: main, path: '{{.path.path}}'}
      destination: {server: https://kubernetes.default.svc, namespace: '{{index .path.segments 3}}'}`,
      ),
      'kubernetes/apps/pitower/media/jellyfin/kustomization.yaml': 'resources: []\n',
      'kubernetes/apps/pitower/media/sonarr/kustomization.yaml': 'resources: []\n',
      'kubernetes/apps/pitower/selfhosted/miniflux/kustomization.yaml': 'resources: []\n',
    });
    const m = new RepositoryModel(repo.root);
    assert.deepEqual(
      m.apps().map((a) => [a.name, a.namespace, a.levels]),
      [
        ['pitower-media-jellyfin', 'media', [{ index: 3, value: 'media' }, { index: 4, value: 'jellyfin' }]],
        ['pitower-media-sonarr', 'media', [{ index: 3, value: 'media' }, { index: 4, value: 'sonarr' }]],
        ['pitower-selfhosted-miniflux', 'selfhosted', [{ index: 3, value: 'selfhosted' }, { index: 4, value: 'miniflux' }]],
      ],
    );
  });

  it('evaluates legacy {{path.basename}} templates and several clusters in one repository', () => {
    const legacy = (cluster: string) =>
      appset(
        `${cluster}-apps`,
        `  generators:
    - git:
        repoURL: https://example.com/home-ops
        revision: main
        directories:
          - path: clusters/${cluster}/apps/*
  template:
    metadata:
      name: '${cluster}-{{path.basename}}'
    spec:
      project: default
      source: {repoURL: https://example.com/home-ops, targetRevision: main, path: '{{path}}'}
      destination: {name: ${cluster}, namespace: '{{path[3]}}'}`,
      );
    repo = makeRepo({
      'clusters/prod/argocd/apps.yaml': legacy('prod'),
      'clusters/lab/argocd/apps.yaml': legacy('lab'),
      'clusters/prod/apps/grafana/kustomization.yaml': 'resources: []\n',
      'clusters/lab/apps/grafana/kustomization.yaml': 'resources: []\n',
      'clusters/lab/apps/scratch/values.yaml': 'a: 1\n',
    });
    const m = new RepositoryModel(repo.root);
    assert.deepEqual(
      m.apps().map((a) => [a.name, a.namespace, a.destinationName, a.path]),
      [
        ['lab-grafana', 'grafana', 'lab', 'clusters/lab/apps/grafana'],
        ['lab-scratch', 'scratch', 'lab', 'clusters/lab/apps/scratch'],
        ['prod-grafana', 'grafana', 'prod', 'clusters/prod/apps/grafana'],
      ],
    );
  });
});
