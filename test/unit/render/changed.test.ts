import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { describeSummary, diffChangedApps, RenderCache } from '../../../src/core/render';
import { renderCommand } from '../../../src/cli/renderCommand';
import { DEFAULT_SETTINGS } from '../../../src/server/settings';
import { WorkspaceFolderState } from '../../../src/server/workspace';
import { committedFixture, git, treeHashes, realBinaries, tempDir, tool, TOOL_ENV } from './support';
import { requireTools } from '../../support/shared';

const BUILD = '--enable-helm --load-restrictor LoadRestrictionsNone';

describe('render: rendered diff of every app a change touches', function () {
  let root: string;
  let cacheDir: string;
  const binaries = realBinaries();
  before(function () {
    requireTools(this, 'rendered diffs of every app a change touches', 'git', 'helm', 'kustomize');
  });
  beforeEach(() => {
    root = committedFixture();
    cacheDir = tempDir();
    // Second commit: two of the three apps change (jellyfin's values, a new file in plain);
    // radarr is not touched.
    const jf = path.join(root, 'cluster/apps/media/jellyfin');
    fs.writeFileSync(path.join(jf, 'values.yaml'), fs.readFileSync(path.join(jf, 'values.yaml'), 'utf8').replace('replicas: 2', 'replicas: 3'));
    fs.writeFileSync(path.join(root, 'cluster/apps/tools/plain/extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: tools\n');
    git(root, 'add', '-A');
    git(root, 'commit', '--quiet', '-m', 'second');
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  function snapshot() {
    return { hashes: treeHashes(root), status: git(root, 'status', '--porcelain'), worktrees: git(root, 'worktree', 'list', '--porcelain'), head: git(root, 'rev-parse', 'HEAD') };
  }

  it('core: exactly the two changed apps, each with its resource changes; the working tree is untouched', async () => {
    const before = snapshot();
    const apps = new RepositoryModel(root).apps();
    assert.deepEqual(apps.map((a) => a.name), ['media-jellyfin', 'media-radarr', 'tools-plain']);
    const progress: string[] = [];
    const r = await diffChangedApps(apps, 'HEAD~1', { root, trusted: true, cacheDir, binaries, buildOptions: BUILD, cache: new RenderCache() }, (done, total, app) => progress.push(`${done}/${total} ${app.name}`));
    assert.equal(r.commit, git(root, 'rev-parse', 'HEAD~1').trim());
    assert.deepEqual(progress, ['0/2 media-jellyfin', '1/2 tools-plain']);
    const byApp = r.apps.map((a) => ('error' in a ? `${a.app.name}: ${a.error.message}` : `${a.app.name}: ${describeSummary(a.summary)}: ${a.diff.resources.map((x) => `${x.status} ${x.key}`).join(', ')}`));
    assert.deepEqual(byApp, ['media-jellyfin: 1 changed: changed Deployment/media/jellyfin-demo', 'tools-plain: 1 added: added ConfigMap/tools/extra']);
    const jellyfin = r.apps[0];
    assert.ok(jellyfin && 'diff' in jellyfin);
    assert.match(jellyfin.diff.resources[0]?.patch ?? '', /^-  replicas: 2\n\+  replicas: 3$/m);
    assert.deepEqual(snapshot(), before);

    assert.deepEqual((await diffChangedApps(apps, 'HEAD', { root, trusted: true, cacheDir, binaries, buildOptions: BUILD })).apps, [], 'nothing changed since HEAD');
  });

  it('server: homeOps/renderChanged lists the two apps with their summaries and both renderings', async () => {
    const before = snapshot();
    const logs: string[] = [];
    const folder = new WorkspaceFolderState(root, DEFAULT_SETTINGS, { publish: () => undefined, modelChanged: () => undefined, log: (m) => logs.push(m) }, 0);
    try {
      const env = { trusted: true, cacheDir, settings: { ...DEFAULT_SETTINGS.render, helmPath: tool('helm'), kustomizePath: tool('kustomize') } };
      const progress: string[] = [];
      const r = await folder.renderChanged('HEAD~1', env, new AbortController().signal, (done, total, app) => progress.push(`${done}/${total} ${app}`));
      assert.deepEqual(progress, ['0/2 media-jellyfin', '1/2 tools-plain']);
      assert.deepEqual(r.apps.map((a) => ({ name: a.name, path: a.path, summary: a.summary, resources: a.resources, error: a.error })), [
        { name: 'media-jellyfin', path: 'cluster/apps/media/jellyfin', summary: { added: 0, removed: 0, changed: 1 }, resources: [{ key: 'Deployment/media/jellyfin-demo', status: 'changed' }], error: undefined },
        { name: 'tools-plain', path: 'cluster/apps/tools/plain', summary: { added: 1, removed: 0, changed: 0 }, resources: [{ key: 'ConfigMap/tools/extra', status: 'added' }], error: undefined },
      ]);
      assert.match(r.apps[0]?.before ?? '', /replicas: 2/);
      assert.match(r.apps[0]?.after ?? '', /replicas: 3/);
      assert.equal(r.commit, git(root, 'rev-parse', 'HEAD~1').trim());
      // Cancelled before it starts: rejects as cancelled.
      const ac = new AbortController();
      ac.abort();
      await assert.rejects(folder.renderChanged('HEAD~1', env, ac.signal), (e: Error & { kind?: string }) => e.kind === 'cancelled');
    } finally {
      folder.dispose();
    }
    assert.deepEqual(snapshot(), before);
  });

  it('CLI: `home-ops render --changed REV [DIR]` prints a header per changed app and its per-resource diffs; exit 0 when nothing changed', async () => {
    const before = snapshot();
    const saved = { path: process.env['PATH'], cache: process.env['HOME_OPS_CACHE'] };
    process.env['PATH'] = TOOL_ENV['PATH'];
    process.env['HOME_OPS_CACHE'] = cacheDir;
    try {
      let out = '';
      let err = '';
      const io = { out: (s: string) => (out += s), err: (s: string) => (err += s) };
      assert.equal(await renderCommand(['--changed', 'HEAD~1', root], io), 0, err);
      assert.deepEqual(out.match(/^(# .*|--- .*|\+\+\+ .*)$/gm), [
        '# media-jellyfin (cluster/apps/media/jellyfin): 1 changed',
        '--- a/Deployment/media/jellyfin-demo',
        '+++ b/Deployment/media/jellyfin-demo',
        '# tools-plain (cluster/apps/tools/plain): 1 added',
        '--- /dev/null',
        '+++ b/ConfigMap/tools/extra',
      ]);
      assert.match(out, /^-  replicas: 2\n\+  replicas: 3$/m);
      assert.match(err, /2 apps changed since HEAD~1/);

      out = '';
      err = '';
      assert.equal(await renderCommand(['--changed', 'HEAD', root], io), 0, err);
      assert.equal(out, '');
      assert.match(err, /no app's inputs differ from HEAD/);

      assert.equal(await renderCommand(['--changed', 'HEAD', 'a', 'b'], io), 2);
      assert.equal(await renderCommand(['--changed', 'no-such-revision', root], io), 1);
    } finally {
      process.env['PATH'] = saved.path;
      if (saved.cache === undefined) delete process.env['HOME_OPS_CACHE'];
      else process.env['HOME_OPS_CACHE'] = saved.cache;
    }
    assert.deepEqual(snapshot(), before);
  });
});
