import { strict as assert } from 'node:assert';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { buildAppTree, problemsOnly, summarize, type AppNode, type CategoryNode, type TreeNode } from '../../../src/core/tree/appTree';
import { treeApps, treeAppSets } from '../../../src/core/tree/fromModel';
import type { AppStatus } from '../../../src/core/status/types';
import { EXAMPLE_REPO, SEED_CORPUS, appset, makeRepo, type TempRepo } from '../../support/repo';
import { requireShared } from '../../support/shared';

function tree(model: RepositoryModel, status?: Map<string, AppStatus>, state: 'offline' | 'live' | 'stale' = status ? 'live' : 'offline'): TreeNode[] {
  return buildAppTree({ appsets: treeAppSets(model), apps: treeApps(model), ...(status ? { status } : {}), state });
}

function status(name: string, sync: AppStatus['sync'], health: AppStatus['health'], extra: Partial<AppStatus> = {}): AppStatus {
  return { key: `argocd/${name}`, name, namespace: 'argocd', sync, health, revisions: [], conditions: [], ...extra };
}

const categories = (nodes: TreeNode[]) => nodes.filter((n): n is CategoryNode => n.kind === 'category');
const allApps = (nodes: readonly TreeNode[]): AppNode[] => nodes.flatMap((n) => (n.kind === 'app' ? [n] : allApps(n.children)));

describe('app tree', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it('groups the example repository by ApplicationSet, with the generator path as description', () => {
    const nodes = tree(new RepositoryModel(EXAMPLE_REPO));
    assert.deepEqual(
      categories(nodes).map((c) => `${c.label} (${c.description}): ${c.children.map((a) => a.name).join(', ')}`),
      [
        'cert-manager (homelab/kubernetes/apps/cert-manager): cert-manager',
        'media (homelab/kubernetes/apps/media/*): media-audiobookshelf, media-jellyfin, media-navidrome',
        'observability (homelab/kubernetes/apps/observability/*): observability-blackbox-probes, observability-uptime-kuma',
        'selfhosted (homelab/kubernetes/apps/selfhosted/*): selfhosted-linkding, selfhosted-miniflux, selfhosted-vaultwarden, selfhosted-welcome',
      ],
    );
    const media = categories(nodes).find((c) => c.label === 'media')!;
    assert.equal(media.folder, 'homelab/kubernetes/apps/media');
    const standalone = nodes.find((n) => n.kind === 'group' && n.id === 'standalone');
    assert.deepEqual(standalone?.kind === 'group' && standalone.children.map((a) => a.name), ['argocd-bootstrap']);
    assert.ok(allApps(nodes).every((n) => n.presence === 'repo-only'));
  });

  it('shows the seed corpus as 14 categories and 62 apps', function () {
    requireShared(this, 'the tree of the seed corpus', SEED_CORPUS);
    const cats = categories(tree(new RepositoryModel(SEED_CORPUS)));
    assert.equal(cats.length, 14);
    assert.equal(cats.reduce((n, c) => n + c.children.length, 0), 62);
    const media = cats.find((c) => c.label === 'media')!;
    assert.equal(media.description, 'pitower/kubernetes/apps/media/*');
    assert.ok(media.children.some((a) => a.name === 'media-jellyfin'));
  });

  it('makes the first glob level the category when one ApplicationSet covers them all', () => {
    repo = makeRepo({
      'argocd/apps.yaml': appset(
        'pitower',
        `  goTemplate: true\n  generators:\n    - git:\n        repoURL: x\n        revision: HEAD\n        directories: [{path: 'kubernetes/apps/pitower/*/*'}]\n  template:\n    metadata: {name: 'pitower-{{index .path.segments 3}}-{{index .path.segments 4}}'}\n    spec: {project: default, source: {repoURL: x, path: '{{.path.path}}'}, destination: {server: s, namespace: '{{index .path.segments 3}}'}}`,
      ),
      'kubernetes/apps/pitower/media/jellyfin/k.yaml': 'a: 1',
      'kubernetes/apps/pitower/media/sonarr/k.yaml': 'a: 1',
      'kubernetes/apps/pitower/selfhosted/miniflux/k.yaml': 'a: 1',
    });
    const cats = categories(tree(new RepositoryModel(repo.root)));
    assert.deepEqual(
      cats.map((c) => [c.label, c.description, c.folder, c.children.map((a) => a.name)]),
      [
        ['media', 'kubernetes/apps/pitower/media/*', 'kubernetes/apps/pitower/media', ['pitower-media-jellyfin', 'pitower-media-sonarr']],
        ['selfhosted', 'kubernetes/apps/pitower/selfhosted/*', 'kubernetes/apps/pitower/selfhosted', ['pitower-selfhosted-miniflux']],
      ],
    );
  });

  it('joins live status by name, and shows apps missing on either side', () => {
    const model = new RepositoryModel(EXAMPLE_REPO);
    const live = new Map<string, AppStatus>([
      ['media-jellyfin', status('media-jellyfin', 'Synced', 'Healthy', { appSet: 'media' })],
      ['media-navidrome', status('media-navidrome', 'OutOfSync', 'Degraded', { appSet: 'media' })],
      ['argocd-bootstrap', status('argocd-bootstrap', 'Synced', 'Progressing')],
      ['old-app', status('old-app', 'Synced', 'Healthy')],
    ]);
    const nodes = tree(model, live);
    const apps = allApps(nodes);
    const byName = new Map(apps.map((a) => [a.name, a]));
    assert.equal(byName.get('media-jellyfin')?.presence, 'deployed');
    assert.equal(byName.get('media-jellyfin')?.status?.health, 'Healthy');
    assert.equal(byName.get('media-audiobookshelf')?.presence, 'not-deployed');
    const orphans = nodes.find((n) => n.kind === 'group' && n.id === 'not-in-repo');
    assert.deepEqual(orphans?.kind === 'group' && orphans.children.map((a) => [a.name, a.presence]), [['old-app', 'not-in-repo']]);
    const summary = summarize(nodes);
    assert.deepEqual(summary, { apps: 12, syncedHealthy: 2, progressing: 1, degraded: 1, outOfSync: 1, missing: 0, notDeployed: 8, notInRepo: 1 });
    const problems = allApps(problemsOnly(nodes)).map((a) => a.name);
    assert.ok(!problems.includes('media-jellyfin'));
    assert.ok(problems.includes('media-navidrome') && problems.includes('old-app') && problems.includes('media-audiobookshelf'));
  });

  it('joins by owner too: an Application of the same name from another ApplicationSet needs attention', () => {
    const nodes = tree(new RepositoryModel(EXAMPLE_REPO), new Map([['media-jellyfin', status('media-jellyfin', 'Synced', 'Healthy', { appSet: 'legacy-media' })]]));
    const jellyfin = allApps(nodes).find((a) => a.name === 'media-jellyfin')!;
    assert.deepEqual(jellyfin.ownerMismatch, { live: 'legacy-media', repository: 'media' });
    assert.ok(allApps(problemsOnly(nodes)).some((a) => a.name === 'media-jellyfin'));
  });

  it('marks status as stale while disconnected', () => {
    const nodes = tree(new RepositoryModel(EXAMPLE_REPO), new Map([['media-jellyfin', status('media-jellyfin', 'Synced', 'Healthy', { appSet: 'media' })]]), 'stale');
    const jellyfin = categories(nodes).flatMap((c) => c.children).find((a) => a.name === 'media-jellyfin');
    assert.equal(jellyfin?.stale, true);
  });

  it('adds a cluster level when apps go to more than one destination', () => {
    const legacy = (cluster: string) =>
      appset(`${cluster}-apps`, `  generators:\n    - git:\n        repoURL: x\n        revision: HEAD\n        directories: [{path: 'clusters/${cluster}/apps/*'}]\n  template:\n    metadata: {name: '${cluster}-{{path.basename}}'}\n    spec: {project: default, source: {repoURL: x, path: '{{path}}'}, destination: {name: ${cluster}, namespace: '{{path.basename}}'}}`);
    repo = makeRepo({ 'a.yaml': legacy('prod'), 'b.yaml': legacy('lab'), 'clusters/prod/apps/grafana/k.yaml': 'a: 1', 'clusters/lab/apps/grafana/k.yaml': 'a: 1' });
    const nodes = tree(new RepositoryModel(repo.root));
    assert.deepEqual(
      nodes.map((n) => (n.kind === 'cluster' ? `${n.label}: ${n.children.map((c) => c.label).join(', ')}` : n.kind)),
      ['lab: lab-apps', 'prod: prod-apps'],
    );
  });
});
