import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { appInputs, hashInputs, RenderCache, renderApp, RenderError, type RenderableApp } from '../../../src/core/render';
import { withWorkCopy } from '../../../src/core/render/workdir';
import { CHARTS, copyFixture, countingRunner, direct, realBinaries, tempDir, tool, TOOL_ENV } from './support';
import { requireTools } from '../../support/shared';

const BUILD = '--enable-helm --load-restrictor LoadRestrictionsNone';

/** Every entry under `dir` (folders, files, links) with its content hash: a new file or folder shows. */
function treeState(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const abs = path.join(d, name);
      const rel = path.relative(dir, abs);
      const st = fs.lstatSync(abs);
      if (st.isSymbolicLink()) out[rel] = `link ${fs.readlinkSync(abs)}`;
      else if (st.isDirectory()) {
        out[rel] = 'dir';
        walk(abs);
      } else out[rel] = `${st.mode.toString(8)} ${createHash('sha256').update(fs.readFileSync(abs)).digest('hex')}`;
    }
  };
  walk(dir);
  return out;
}

/**
 * A Helm chart repository on 127.0.0.1 (`helm package` + `helm repo index`), served from this
 * process: the binaries under test must run asynchronously while it answers.
 */
async function serveChartRepo(dir: string): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const file = path.join(dir, path.basename(decodeURIComponent((req.url ?? '/').split('?')[0] as string)));
    if (!fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.endsWith('.yaml') ? 'text/yaml' : 'application/gzip' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  direct(tool('helm'), ['package', path.join(CHARTS, 'demo'), '--destination', dir], dir);
  direct(tool('helm'), ['repo', 'index', dir, '--url', url], dir);
  return { url, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('render: binaries run in a private copy, never in the workspace', function () {
  let root: string;
  let cacheDir: string;
  let repoDir: string;
  const binaries = realBinaries();
  beforeEach(() => {
    root = copyFixture();
    cacheDir = tempDir();
    repoDir = tempDir('home-ops-chart-repo-');
  });
  afterEach(() => {
    for (const d of [root, cacheDir, repoDir]) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a copy is kept under the inputs\' hash only when it holds those inputs (a file saved in between is not kept)', async () => {
    const appDir = path.join(root, 'cluster/apps/tools/plain');
    const inputs = appInputs(appDir, 'Directory', { path: 'cluster/apps/tools/plain' } as never, root);
    const inputsHash = hashInputs(inputs, root) as string;
    const seen: string[] = [];
    const use = (hash: string) => withWorkCopy(root, inputs, cacheDir, { inputsHash: hash, extra: {} }, async () => undefined, async (copy) => (seen.push(fs.readFileSync(path.join(copy.root, 'cluster/apps/tools/plain/namespace.yaml'), 'utf8')), copy.reused));
    assert.equal(await use('stale-hash'), false);
    assert.deepEqual(fs.existsSync(path.join(cacheDir, 'work')) ? fs.readdirSync(path.join(cacheDir, 'work')) : [], [], 'content that does not match its key is not kept');
    assert.equal(await use(inputsHash), false);
    assert.equal(await use(inputsHash), true, 'the second use reuses the kept copy');
    assert.equal(fs.readdirSync(path.join(cacheDir, 'work')).length, 1);
    assert.deepEqual(fs.readdirSync(path.join(cacheDir, 'tmp')), []);
    assert.equal(seen[2], fs.readFileSync(path.join(appDir, 'namespace.yaml'), 'utf8'));
  });

  describe('with the pinned helm and kustomize', function () {
    before(function () {
      requireTools(this, 'kustomize and helm run in a private copy', 'helm', 'kustomize');
    });

    it('a chart pulled from a repository lands in the copy: the app folder stays byte for byte the same, the output is what kustomize prints, and the pull is reused', async () => {
      const repo = await serveChartRepo(repoDir);
      try {
        const rel = 'cluster/apps/media/pulled';
        const appDir = path.join(root, rel);
        fs.mkdirSync(appDir, { recursive: true });
        fs.writeFileSync(path.join(appDir, 'kustomization.yaml'), `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: media\nhelmCharts:\n  - name: demo\n    repo: ${repo.url}\n    version: 0.3.1\n    releaseName: pulled\n    namespace: media\n    valuesFile: values.yaml\nresources:\n  - extra.yaml\n`);
        fs.writeFileSync(path.join(appDir, 'values.yaml'), 'replicas: 4\n');
        fs.writeFileSync(path.join(appDir, 'extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n');
        const before = treeState(root);

        const app: RenderableApp = { name: 'media-pulled', path: rel };
        const { runner, calls } = countingRunner();
        const opts = { root, trusted: true, cacheDir, binaries, buildOptions: BUILD, runner, cache: new RenderCache() };
        const r = await renderApp(app, opts);
        assert.deepEqual(treeState(root), before, 'no file or folder appears or changes in the repository');
        assert.equal(fs.existsSync(path.join(appDir, 'charts')), false);
        assert.ok(repo.requests.some((u) => u.endsWith('.tgz')), `the chart was pulled: ${repo.requests.join(', ')}`);

        // The same build by hand, in a throw-away copy of the app folder (asynchronously: the
        // repository is served by this process).
        const manual = tempDir('home-ops-render-manual-');
        try {
          fs.cpSync(appDir, manual, { recursive: true });
          const helmHome = path.join(manual, '.helm-home');
          const env = { ...TOOL_ENV, HELM_CACHE_HOME: path.join(helmHome, 'c'), HELM_CONFIG_HOME: path.join(helmHome, 'cf'), HELM_DATA_HOME: path.join(helmHome, 'd') };
          const { stdout } = await promisify(execFile)(tool('kustomize'), ['build', '.', ...BUILD.split(' '), '--helm-command', tool('helm')], { cwd: manual, env, maxBuffer: 64 * 1024 * 1024 });
          assert.equal(r.manifests, stdout);
          assert.ok(fs.existsSync(path.join(manual, 'charts', 'demo-0.3.1', 'demo', 'Chart.yaml')), 'kustomize does pull into chartHome of the folder it builds');
        } finally {
          fs.rmSync(manual, { recursive: true, force: true });
        }
        assert.match(r.manifests, /name: pulled-demo\n/);
        assert.match(r.manifests, /replicas: 4/);
        assert.match(r.manifests, /name: extra\n/);

        // Another render of the same inputs without a cached result (other build options) runs
        // kustomize again, in the same copy: the chart is not pulled a second time.
        const pulls = repo.requests.length;
        const again = await renderApp(app, { ...opts, cache: undefined, buildOptions: `${BUILD} --enable-alpha-plugins` });
        assert.equal(again.cached, false);
        assert.equal(calls.length, 2);
        assert.equal(again.manifests, r.manifests);
        assert.equal(repo.requests.length, pulls, 'no second pull');
        assert.deepEqual(treeState(root), before);
        assert.deepEqual(fs.readdirSync(path.join(cacheDir, 'tmp')), [], 'no staging copy is left behind');
        assert.equal(fs.readdirSync(path.join(cacheDir, 'work')).length, 1, 'one kept copy for one set of inputs');

        // A changed input is another copy (the old one stays for the old inputs).
        fs.writeFileSync(path.join(appDir, 'values.yaml'), 'replicas: 5\n');
        const changed = await renderApp(app, opts);
        assert.match(changed.manifests, /replicas: 5/);
        assert.equal(fs.readdirSync(path.join(cacheDir, 'work')).length, 2);
        assert.equal(fs.existsSync(path.join(appDir, 'charts')), false);
      } finally {
        await repo.close();
      }
    });

    it('errors name the repository files, never the copy, and still locate on the kustomization line', async () => {
      const k = path.join(root, 'cluster/apps/media/jellyfin/kustomization.yaml');
      fs.writeFileSync(k, fs.readFileSync(k, 'utf8').replace('valuesFile: values.yaml', 'valuesFile: missing-values.yaml'));
      await assert.rejects(renderApp({ name: 'j', path: 'cluster/apps/media/jellyfin' }, { root, trusted: true, cacheDir, binaries, buildOptions: BUILD }), (e: RenderError) => {
        assert.equal(e.kind, 'tool');
        assert.ok(!e.message.includes(cacheDir) && !(e.details.stderr ?? '').includes(cacheDir), e.message);
        assert.ok((e.details.stderr ?? '').includes(path.join(root, 'cluster/apps/media/jellyfin/missing-values.yaml')), e.details.stderr);
        assert.deepEqual(e.details.location, { file: 'cluster/apps/media/jellyfin/kustomization.yaml', line: 9, column: 16, endColumn: 35 });
        return true;
      });
      assert.deepEqual(fs.readdirSync(path.join(cacheDir, 'work')), [], 'a copy whose run failed is not kept');
    });

    it('a symlink inside the repository is copied as its content; one leaving the repository is refused', async () => {
      const dir = path.join(root, 'cluster/apps/media/jellyfin');
      const shared = path.join(root, 'cluster/shared');
      fs.mkdirSync(shared);
      fs.renameSync(path.join(dir, 'route.yaml'), path.join(shared, 'route.yaml'));
      fs.symlinkSync('../../../shared/route.yaml', path.join(dir, 'route.yaml'));
      const before = treeState(root);
      const app: RenderableApp = { name: 'j', path: 'cluster/apps/media/jellyfin' };
      const r = await renderApp(app, { root, trusted: true, cacheDir, binaries, buildOptions: BUILD });
      assert.match(r.manifests, /kind: HTTPRoute/);
      const [copy] = fs.readdirSync(path.join(cacheDir, 'work'));
      const copied = path.join(cacheDir, 'work', copy as string, 'tree', 'cluster/apps/media/jellyfin/route.yaml');
      assert.equal(fs.lstatSync(copied).isSymbolicLink(), false, 'no link in the copy can lead back into the repository');
      assert.deepEqual(treeState(root), before);

      const outside = tempDir('home-ops-outside-');
      try {
        fs.writeFileSync(path.join(outside, 'secret.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: secret\n');
        fs.rmSync(path.join(dir, 'route.yaml'));
        fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, 'route.yaml'));
        const { runner, calls } = countingRunner();
        await assert.rejects(renderApp(app, { root, trusted: true, cacheDir, binaries, buildOptions: BUILD, runner }), (e: RenderError) => {
          assert.equal(e.kind, 'source');
          assert.match(e.message, /cluster\/apps\/media\/jellyfin\/route\.yaml is a symbolic link to .*outside the repository/);
          assert.equal(e.details.location?.file, 'cluster/apps/media/jellyfin/route.yaml');
          return true;
        });
        assert.deepEqual(calls, [], 'nothing ran');
        // A linked folder out of the repository is refused the same way.
        fs.rmSync(path.join(dir, 'route.yaml'));
        fs.renameSync(path.join(shared, 'route.yaml'), path.join(dir, 'route.yaml'));
        fs.symlinkSync(outside, path.join(dir, 'linked'));
        await assert.rejects(renderApp(app, { root, trusted: true, cacheDir, binaries, buildOptions: BUILD }), /jellyfin\/linked is a symbolic link/);
      } finally {
        fs.rmSync(outside, { recursive: true, force: true });
      }
    });
  });
});
