import { strict as assert } from 'node:assert';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { buildAppTree, isContainer, problemsOnly, summarize, type AppNode, type CategoryNode, type TreeNode } from '../../../src/core/tree/appTree';
import { treeApps, treeAppSets } from '../../../src/core/tree/fromModel';
import type { AppStatus } from '../../../src/core/status/types';
import { EXAMPLE_REPO, SEED_CORPUS, appset, makeRepo, type TempRepo } from '../../support/repo';
import { requireShared } from '../../support/shared';
import { Linter } from '../../../src/core/rules';
import { corpusPath } from '../../support/shared';

function tree(model: RepositoryModel, status?: Map<string, AppStatus>, state: 'offline' | 'live' | 'stale' = status ? 'live' : 'offline'): TreeNode[] {
  return buildAppTree({ appsets: treeAppSets(model), apps: treeApps(model), ...(status ? { status } : {}), state });
}

function status(name: string, sync: AppStatus['sync'], health: AppStatus['health'], extra: Partial<AppStatus> = {}): AppStatus {
  return { key: `argocd/${name}`, name, namespace: 'argocd', sync, health, revisions: [], conditions: [], ...extra };
}

const categories = (nodes: TreeNode[]) => nodes.filter((n): n is CategoryNode => n.kind === 'category');
const allApps = (nodes: readonly TreeNode[]): AppNode[] => nodes.flatMap((n) => (n.kind === 'app' ? [n] : isContainer(n) ? allApps(n.children) : []));
const appsOf = (c: CategoryNode): AppNode[] => c.children.filter((a): a is AppNode => a.kind === 'app');

describe('app tree', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it('groups the example repository by ApplicationSet, with the generator path as description', () => {
    const nodes = tree(new RepositoryModel(EXAMPLE_REPO));
    assert.deepEqual(
      categories(nodes).map((c) => `${c.label} (${c.description}): ${appsOf(c).map((a) => a.name).join(', ')}`),
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
    assert.equal(cats.reduce((n, c) => n + appsOf(c).length, 0), 62);
    const media = cats.find((c) => c.label === 'media')!;
    assert.equal(media.description, 'pitower/kubernetes/apps/media/*');
    assert.ok(appsOf(media).some((a) => a.name === 'media-jellyfin'));
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
      cats.map((c) => [c.label, c.description, c.folder, appsOf(c).map((a) => a.name)]),
      [
        ['media', 'kubernetes/apps/pitower/media/*', 'kubernetes/apps/pitower/media', ['pitower-media-jellyfin', 'pitower-media-sonarr']],
        ['selfhosted', 'kubernetes/apps/pitower/selfhosted/*', 'kubernetes/apps/pitower/selfhosted', ['pitower-selfhosted-miniflux']],
      ],
    );
    // Labels say what the category does not: `pitower-media-jellyfin` under media is `jellyfin`.
    assert.deepEqual(cats.flatMap(appsOf).map((a) => a.label), ['jellyfin', 'sonarr', 'miniflux']);
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
    const jellyfin = categories(nodes).flatMap(appsOf).find((a) => a.name === 'media-jellyfin');
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
  describe('what a new user reads in the tree', () => {
    it('labels apps by what tells them apart in their category, never repeating it; the full name stays', function () {
      requireShared(this, 'the tree of the seed corpus', SEED_CORPUS);
      const cats = categories(tree(new RepositoryModel(SEED_CORPUS)));
      const ai = cats.find((c) => c.label === 'ai')!;
      assert.equal(appsOf(ai).find((a) => a.name === 'ai-kagent')?.label, 'kagent');
      for (const c of cats) {
        const labels = appsOf(c).map((a) => a.label);
        assert.equal(new Set(labels).size, labels.length, `${c.label}: labels unique`);
        for (const a of appsOf(c)) {
          assert.ok(a.name.endsWith(a.label), `${a.name} ends with ${a.label}`);
          assert.ok(a.label === a.name || !a.label.startsWith(`${c.label}-`), `${a.label} does not repeat ${c.label}`);
          assert.equal(a.category, c.label);
        }
      }
      assert.ok(cats.flatMap(appsOf).filter((a) => a.label !== a.name).length > 50, 'most seed labels are shorter than the names');
    });

    it('keeps full names where two short labels would read the same', () => {
      repo = makeRepo({
        'argocd/a.yaml': appset('web', `  goTemplate: true
  generators:
    - git:
        repoURL: x
        revision: HEAD
        directories: [{path: 'apps/*/site'}]
  template:
    metadata: {name: '{{index .path.segments 1}}-site'}
    spec: {project: default, source: {repoURL: x, path: '{{.path.path}}'}, destination: {server: s, namespace: web}}`),
        'apps/blog/site/k.yaml': 'a: 1',
        'apps/shop/site/k.yaml': 'a: 1',
      });
      const web = categories(tree(new RepositoryModel(repo.root)))[0]!;
      assert.deepEqual(appsOf(web).map((a) => a.label), ['blog-site', 'shop-site']);
    });

    it('an ApplicationSet that generates nothing is a category that says why, at the line that decides it', () => {
      repo = makeRepo({
        'argocd/edge.yaml': appset('edge', `  goTemplate: true
  generators:
    - clusters:
        selector:
          matchLabels: {role: edge}
  template:
    metadata: {name: 'edge-{{.name}}'}
    spec: {project: default, source: {repoURL: x, path: apps}, destination: {server: '{{.server}}', namespace: edge}}`),
        'apps/k.yaml': 'a: 1',
        'clusters/home.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: home\n  namespace: argocd\n  labels:\n    argocd.argoproj.io/secret-type: cluster\n    role: home\nstringData:\n  name: home\n  server: https://home.example:6443\n',
      });
      const model = new RepositoryModel(repo.root);
      const edge = categories(buildAppTree({ appsets: treeAppSets(model, new Linter(model).run()), apps: treeApps(model), state: 'offline' }))[0]!;
      assert.equal(appsOf(edge).length, 0);
      assert.equal(edge.generators, 'clusters with role=edge');
      const notes = edge.children.filter((n) => n.kind === 'note');
      assert.equal(notes.length, 1);
      assert.match(notes[0]!.kind === 'note' ? notes[0]!.message : '', /^Its `selector` matches none of the 1 cluster Secret the repository declares \(a cluster registered with Argo CD outside the repository would still count\)$/);
      assert.match(notes[0]!.kind === 'note' ? notes[0]!.detail ?? '' : '', /^This generator produces no parameter set: .*, so ApplicationSet edge generates no Application\.$/);
      assert.equal(notes[0]!.kind === 'note' && notes[0]!.file, 'argocd/edge.yaml');
      assert.ok(notes[0]!.kind === 'note' && (notes[0]!.line ?? 0) > 1, 'at the line inside the ApplicationSet');
      // Without the linter's problems the category still says it has none.
      const bare = categories(tree(model))[0]!;
      assert.match(bare.children[0]!.kind === 'note' ? bare.children[0]!.message : '', /produce no Application/);
    });

    it('describes every generator type, and a files generator by its pattern, not an app\'s folder', function () {
      requireShared(this, 'the corpora', corpusPath('kyleseneker__homelab'));
      const cats = categories(tree(new RepositoryModel(corpusPath('kyleseneker__homelab'))));
      const files = cats.filter((c) => c.generators?.startsWith('git files'));
      assert.ok(files.length > 0, 'a files-generator category');
      for (const c of files) {
        assert.match(c.description, /\*/, `${c.label}: the pattern (${c.description})`);
        assert.ok(!appsOf(c).some((a) => a.app?.path === c.description), `${c.label}: not an app's folder`);
      }
    });

    it('counts what the problems filter keeps out of what a category holds', () => {
      const nodes = tree(new RepositoryModel(EXAMPLE_REPO), new Map([['media-jellyfin', status('media-jellyfin', 'OutOfSync', 'Healthy', { appSet: 'media' })]]));
      const media = categories(problemsOnly(nodes)).find((c) => c.label === 'media')!;
      assert.equal(media.total, 3);
      assert.equal(appsOf(media).length, 3, 'not deployed counts as needing attention too');
    });
  });
});
