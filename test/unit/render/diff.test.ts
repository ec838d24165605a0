import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { argoGlobMatch, changedApps, diffApp, RenderCache, unifiedDiff, type RenderableApp } from '../../../src/core/render';
import { renderCommand } from '../../../src/cli/renderCommand';
import { committedFixture, git, treeHashes, realBinaries, tempDir, TOOL_ENV } from './support';
import { requireTools } from '../../support/shared';

const BUILD = '--enable-helm --load-restrictor LoadRestrictionsNone';

describe('render: rendered diff against a Git revision', function () {
  let root: string;
  let cacheDir: string;
  const binaries = realBinaries();
  before(function () {
    requireTools(this, 'rendered diffs against a Git revision', 'git');
  });
  beforeEach(() => {
    root = committedFixture();
    cacheDir = tempDir();
    // Second commit: two resources of jellyfin change, radarr does not.
    const jf = path.join(root, 'cluster/apps/media/jellyfin');
    fs.writeFileSync(path.join(jf, 'values.yaml'), fs.readFileSync(path.join(jf, 'values.yaml'), 'utf8').replace('replicas: 2', 'replicas: 3'));
    fs.writeFileSync(path.join(jf, 'route.yaml'), fs.readFileSync(path.join(jf, 'route.yaml'), 'utf8').replace('jellyfin.example.org', 'tv.example.org'));
    git(root, 'commit', '--quiet', '-am', 'second');
    // Uncommitted: the config map changes, and a staged file too (the index must survive).
    fs.writeFileSync(path.join(jf, 'values.yaml'), fs.readFileSync(path.join(jf, 'values.yaml'), 'utf8').replace('Europe/Paris', 'Europe/Berlin'));
    fs.writeFileSync(path.join(root, 'cluster/apps/tools/plain/extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: tools\n');
    git(root, 'add', 'cluster/apps/tools/plain/extra.yaml');
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it('an app folder missing at the revision: every resource is added', async () => {
    fs.cpSync(path.join(root, 'cluster/apps/tools/plain'), path.join(root, 'cluster/apps/tools/plain2'), { recursive: true });
    const d = await diffApp({ name: 'tools-plain2', path: 'cluster/apps/tools/plain2' }, 'HEAD', { root, trusted: true, cacheDir, binaries });
    assert.equal(d.missingAtRevision, true);
    assert.ok(d.resources.length > 0 && d.resources.every((r) => r.status === 'added'));
  });

  it('changedApps: the apps whose inputs changed, including a chart outside the app folder', async () => {
    const model = new RepositoryModel(root);
    const apps = model.apps();
    assert.deepEqual(apps.map((a) => a.name), ['media-jellyfin', 'media-radarr', 'tools-plain']);
    assert.deepEqual((await changedApps(apps, root, 'HEAD', { binaries })).map((a) => a.name), ['media-jellyfin', 'tools-plain']);
    git(root, 'add', '-A');
    git(root, 'commit', '--quiet', '-m', 'third');
    assert.deepEqual((await changedApps(apps, root, 'HEAD', { binaries })).map((a) => a.name), []);
    fs.appendFileSync(path.join(root, 'cluster/charts/demo/templates/service.yaml'), '\n');
    assert.deepEqual((await changedApps(apps, root, 'HEAD', { binaries })).map((a) => a.name), ['media-jellyfin']);
  });

  describe('with the pinned helm and kustomize', function () {
    before(function () {
      requireTools(this, 'rendered diffs of kustomize and helm apps', 'helm', 'kustomize');
    });

    it('lists exactly the resources whose rendering changed, and leaves the working tree, index and worktrees as they were', async () => {
      const status = git(root, 'status', '--porcelain');
      const hashes = treeHashes(root);
      const worktrees = git(root, 'worktree', 'list', '--porcelain');
      const app: RenderableApp = { name: 'media-jellyfin', path: 'cluster/apps/media/jellyfin' };
      const opts = { root, trusted: true, cacheDir, binaries, buildOptions: BUILD, cache: new RenderCache() };

      const vsFirst = await diffApp(app, 'HEAD~1', opts);
      assert.deepEqual(vsFirst.resources.map((r) => `${r.status} ${r.key}`), ['changed ConfigMap/media/jellyfin-demo-config', 'changed Deployment/media/jellyfin-demo', 'changed HTTPRoute/media/jellyfin']);
      const deployment = vsFirst.resources[1]?.patch ?? '';
      assert.match(deployment, /^--- a\/Deployment\/media\/jellyfin-demo\n\+\+\+ b\/Deployment\/media\/jellyfin-demo\n@@ /);
      assert.match(deployment, /^-  replicas: 2$/m);
      assert.match(deployment, /^\+  replicas: 3$/m);

      const vsHead = await diffApp(app, 'HEAD', opts);
      assert.deepEqual(vsHead.resources.map((r) => `${r.status} ${r.key}`), ['changed ConfigMap/media/jellyfin-demo-config']);
      assert.equal(vsHead.resources[0]?.patch, '--- a/ConfigMap/media/jellyfin-demo-config\n+++ b/ConfigMap/media/jellyfin-demo-config\n@@ -1,6 +1,6 @@\n apiVersion: v1\n data:\n-  TZ: Europe/Paris\n+  TZ: Europe/Berlin\n kind: ConfigMap\n metadata:\n   name: jellyfin-demo-config\n');

      const plain = await diffApp({ name: 'tools-plain', path: 'cluster/apps/tools/plain' }, 'HEAD', opts);
      assert.deepEqual(plain.resources.map((r) => `${r.status} ${r.key}`), ['added ConfigMap/tools/extra']);
      assert.match(plain.resources[0]?.patch ?? '', /^--- \/dev\/null\n\+\+\+ b\/ConfigMap\/tools\/extra\n@@ -0,0 \+1,5 @@\n\+apiVersion: v1\n/);

      assert.equal(git(root, 'status', '--porcelain'), status);
      assert.deepEqual(treeHashes(root), hashes);
      assert.equal(git(root, 'worktree', 'list', '--porcelain'), worktrees);
      assert.equal(git(root, 'rev-parse', '--abbrev-ref', 'HEAD').trim(), 'main');
    });

    it('CLI: `home-ops render APP_DIR --diff REV` prints the per-resource diffs, a render error exits 1 with the stderr', async () => {
      const saved = { path: process.env['PATH'], cache: process.env['HOME_OPS_CACHE'] };
      process.env['PATH'] = TOOL_ENV['PATH'];
      process.env['HOME_OPS_CACHE'] = cacheDir;
      try {
        let out = '';
        let err = '';
        const io = { out: (s: string) => (out += s), err: (s: string) => (err += s) };
        assert.equal(await renderCommand([path.join(root, 'cluster/apps/media/jellyfin'), '--diff', 'HEAD~1'], io), 0, err);
        assert.deepEqual(out.match(/^--- a\/.*$/gm), ['--- a/ConfigMap/media/jellyfin-demo-config', '--- a/Deployment/media/jellyfin-demo', '--- a/HTTPRoute/media/jellyfin']);
        assert.match(err, /media-jellyfin: 3 of 5 resources differ from HEAD~1/);
        out = '';
        err = '';
        assert.equal(await renderCommand([path.join(root, 'cluster/apps/media/jellyfin')], io), 0, err);
        assert.match(out, /^kind: HTTPRoute$/m);
        assert.match(err, /build options from cluster\/bootstrap\/argocd-values\.yaml:5/);
        fs.writeFileSync(path.join(root, 'cluster/apps/media/jellyfin/kustomization.yaml'), 'resources:\n  - nope.yaml\n');
        err = '';
        assert.equal(await renderCommand([path.join(root, 'cluster/apps/media/jellyfin'), root], io), 1);
        // The first line: where and why; then the command and kustomize's full output, once.
        assert.match(err, /^home-ops: render of media-jellyfin failed: cluster\/apps\/media\/jellyfin\/kustomization\.yaml:2:5: kustomize: resource nope\.yaml not found \(no such file or directory\)\n  command: .*kustomize build \.[^\n]*\n  \| Error: accumulating resources/);
        assert.equal(err.split('accumulating resources from').length, 2, 'the tool output is printed once');
      } finally {
        process.env['PATH'] = saved.path;
        if (saved.cache === undefined) delete process.env['HOME_OPS_CACHE'];
        else process.env['HOME_OPS_CACHE'] = saved.cache;
      }
    });
  });
});

describe('render: unified diff and Argo CD globs', () => {
  it('writes hunks with context like diff -u', () => {
    const a = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n';
    const b = 'a\nb\nc\nD\ne\nf\ng\nh\ni\nj\nk\nl\n';
    assert.equal(unifiedDiff('K', a, b), '--- a/K\n+++ b/K\n@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n@@ -9,3 +9,4 @@\n i\n j\n k\n+l\n');
    assert.equal(unifiedDiff('K', a, a), '');
    assert.equal(unifiedDiff('K', 'x\n', ''), '--- a/K\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n');
    // Changes 6 lines apart share one hunk.
    assert.equal(unifiedDiff('K', '1\n2\n3\n4\n5\n6\n7\n8\n', 'X\n2\n3\n4\n5\n6\n7\nY\n').split('@@').length, 3);
  });

  it('matches include/exclude like util/glob (gobwas, no separators)', () => {
    assert.ok(argoGlobMatch('*.yaml', 'sub/dir/x.yaml'), '* crosses /');
    assert.ok(argoGlobMatch('{a.yaml,b/*}', 'b/c.yml'));
    assert.ok(!argoGlobMatch('{a.yaml,b/*}', 'c.yaml'));
    assert.ok(argoGlobMatch('[!x]?.json', 'ab.json'));
    assert.ok(!argoGlobMatch('[!x]?.json', 'xb.json'));
    assert.ok(argoGlobMatch('**/*.yaml', 'a/b.yaml'));
    assert.ok(!argoGlobMatch('[', 'x'), 'a broken pattern matches nothing');
  });
});
