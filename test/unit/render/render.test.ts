import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { locateBinaries, MissingBinaryError, objectKey, RenderCache, renderApp, RenderError, resolveBuildOptions, runProcess, RunError, type RenderableApp } from '../../../src/core/render';
import { alive, copyFixture, countingRunner, direct, pipeHoldingTool, realBinaries, recordingBinaries, slowScript, survivors, tempDir, tool, TOOL_ENV, whenFileExists } from './support';
import { renderCommand } from '../../../src/cli/renderCommand';
import { requireTools, toolPath } from '../../support/shared';

const BUILD = '--enable-helm --load-restrictor LoadRestrictionsNone';

describe('render: one app as Argo CD would', function () {
  let root: string;
  let cacheDir: string;
  const binaries = realBinaries();
  beforeEach(() => {
    root = copyFixture();
    cacheDir = tempDir();
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });
  const appDir = (rel: string) => path.join(root, rel);

  it('finds kustomize.buildOptions in the Argo CD Helm values of the repository', () => {
    const model = new RepositoryModel(root);
    const r = resolveBuildOptions({ files: model.tree.files, readText: (f) => model.textOf(f) }, '');
    assert.equal(r.options, BUILD);
    assert.equal(r.origin, 'cluster/bootstrap/argocd-values.yaml:5');
  });

  it('prefers an argocd-cm ConfigMap, and falls back to the caller when the repository says nothing', () => {
    fs.writeFileSync(path.join(root, 'cluster/bootstrap/argocd-cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  kustomize.buildOptions: "--enable-helm"\n');
    const model = new RepositoryModel(root);
    assert.deepEqual(resolveBuildOptions({ files: model.tree.files, readText: (f) => model.textOf(f) }, '').options, '--enable-helm');
    assert.deepEqual(resolveBuildOptions({ files: ['a.yaml'], readText: () => 'x: 1\n' }, '--enable-helm --helm-debug').options, '--enable-helm --helm-debug');
  });

  it('reads an argocd-cm configMapGenerator literal as kustomize does: one pair of quotes dropped', () => {
    // `kustomize build` of this literal gives the value without its quotes (api/kv removeQuotes).
    const text = 'configMapGenerator:\n  - name: argocd-cm\n    literals:\n      - kustomize.buildOptions="--enable-helm --load-restrictor LoadRestrictionsNone"\n';
    assert.equal(resolveBuildOptions({ files: ['argocd/kustomization.yaml'], readText: () => text }, '').options, '--enable-helm --load-restrictor LoadRestrictionsNone');
  });

  it('plain directory: Argo CD file order, skip marker, JSON, recurse/include/exclude', async () => {
    const base = { name: 'tools-plain', path: 'cluster/apps/tools/plain' };
    const keys = async (directory?: Record<string, unknown>) =>
      (await renderApp({ ...base, manifest: { spec: { source: { path: base.path, ...(directory ? { directory } : {}) } } } }, { root, trusted: false, cacheDir, binaries })).objects.map(objectKey);
    assert.deepEqual(await keys(), ['ConfigMap/tools/first', 'ConfigMap/tools/second', 'Namespace/tools', 'Service/tools/svc']);
    assert.deepEqual(await keys({ recurse: true }), ['ConfigMap/tools/first', 'ConfigMap/tools/second', 'Namespace/tools', 'Service/tools/svc', 'ConfigMap/tools/deep', 'Secret/tools/other']);
    assert.deepEqual(await keys({ recurse: true, include: '*.yml' }), ['Secret/tools/other']);
    assert.deepEqual(await keys({ recurse: true, include: '{namespace.yaml,sub/*}', exclude: '*deep*' }), ['Namespace/tools', 'Secret/tools/other']);
    const r = await renderApp(base, { root, trusted: true, cacheDir, binaries });
    const text = (f: string) => fs.readFileSync(appDir(`cluster/apps/tools/plain/${f}`), 'utf8');
    // The documents as written, JSON as YAML.
    assert.equal(r.manifests, `${text('config.yaml').replace('# two documents in one file\n', '')}---\n${text('namespace.yaml')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n  namespace: tools\nspec:\n  ports:\n    - port: 80\n`);
  });

  it('refuses in an untrusted workspace before locating or spawning anything', async () => {
    const { binaries: spy, calls } = recordingBinaries(binaries);
    const { runner, calls: spawns } = countingRunner();
    for (const p of ['cluster/apps/media/jellyfin', 'cluster/apps/media/radarr']) {
      await assert.rejects(renderApp({ name: 'x', path: p }, { root, trusted: false, cacheDir, binaries: spy, runner, buildOptions: BUILD }), (e: RenderError) => {
        assert.equal(e.kind, 'untrusted');
        assert.match(e.message, /untrusted workspace: kustomize can run plugins and Helm charts can run code/);
        return true;
      });
    }
    assert.deepEqual(calls, []);
    assert.deepEqual(spawns, []);
  });

  it('names the missing binary and how to install it', async () => {
    const none = locateBinaries({}, { env: { PATH: cacheDir } });
    await assert.rejects(none.helm(), (e: MissingBinaryError) => {
      assert.ok(e instanceof MissingBinaryError);
      assert.equal(e.binary, 'helm');
      assert.match(e.message, /^helm was not found \(not on PATH\)\. Install Helm 3 .*go install helm\.sh\/helm\/v3\/cmd\/helm@v3\.22\.0.*scripts\/tools\/install\.sh/);
      return true;
    });
    await assert.rejects(renderApp({ name: 'j', path: 'cluster/apps/media/jellyfin' }, { root, trusted: true, cacheDir, binaries: none, buildOptions: BUILD }), (e: RenderError) => {
      assert.equal(e.kind, 'missing-binary');
      assert.equal(e.details.binary, 'kustomize');
      assert.match(e.message, /kustomize was not found \(not on PATH; kubectl: not on PATH\)\. Install kustomize/);
      return true;
    });
    const badSetting = locateBinaries({ kustomize: path.join(cacheDir, 'nope') }, { env: { PATH: '' } });
    await assert.rejects(badSetting.kustomize(), /the configured path .*nope is not an executable file/);
  });

  describe('with the pinned helm and kustomize', function () {
    before(function () {
      requireTools(this, 'renders compared with helm and kustomize themselves', 'helm', 'kustomize');
    });

    it("finds helm and kustomize in Home-Ops' tools cache (HOME_OPS_CACHE or ~/.cache/home-ops), before PATH and before kubectl", async () => {
      const cache = tempDir('home-ops-tools-cache-');
      const onPath = tempDir('home-ops-path-');
      try {
        fs.mkdirSync(path.join(cache, 'tools/bin'), { recursive: true });
        for (const t of ['helm', 'kustomize'] as const) fs.symlinkSync(tool(t), path.join(cache, 'tools/bin', t));
        const kubectl = toolPath('kubectl');
        if (kubectl) fs.symlinkSync(kubectl, path.join(onPath, 'kubectl'));
        const located = locateBinaries({}, { env: { PATH: onPath, HOME_OPS_CACHE: cache } });
        const [h, k] = [await located.helm(), await located.kustomize()];
        assert.deepEqual([h.via, h.file], ['cache', path.join(cache, 'tools/bin/helm')]);
        assert.deepEqual([k.via, k.file, k.prefix], ['cache', path.join(cache, 'tools/bin/kustomize'), []]);
        assert.match(k.version, /^v5\./);
        // The same layout under a home folder, as scripts/tools/install.sh makes it by default.
        const home = tempDir('home-ops-home-');
        try {
          fs.mkdirSync(path.join(home, '.cache/home-ops'), { recursive: true });
          fs.renameSync(path.join(cache, 'tools'), path.join(home, '.cache/home-ops/tools'));
          assert.equal((await locateBinaries({}, { env: { PATH: onPath, HOME: home } }).helm()).via, 'cache');
          // A setting still wins.
          const set = await locateBinaries({ helm: tool('helm') }, { env: { PATH: onPath, HOME: home } }).helm();
          assert.deepEqual([set.via, set.file], ['setting', tool('helm')]);
        } finally {
          fs.rmSync(home, { recursive: true, force: true });
        }
        await assert.rejects(locateBinaries({}, { env: { PATH: onPath, HOME_OPS_CACHE: cache } }).helm(), (e: MissingBinaryError) => e.message.startsWith(`helm was not found (not in ${cache}/tools/bin, not on PATH).`));
      } finally {
        fs.rmSync(cache, { recursive: true, force: true });
        fs.rmSync(onPath, { recursive: true, force: true });
      }
    });

    it('kustomize with helmCharts + helmGlobals.chartHome: output identical to `kustomize build`, objects listed', async () => {
      const model = new RepositoryModel(root);
      const app = model.apps().find((a) => a.name === 'media-jellyfin') as RenderableApp;
      assert.ok(app, 'the appset generates media-jellyfin');
      const r = await renderApp(app, { root, trusted: true, cacheDir, binaries, buildOptions: BUILD });
      const expected = direct(tool('kustomize'), ['build', '.', ...BUILD.split(' ')], appDir('cluster/apps/media/jellyfin'));
      assert.equal(r.manifests, expected);
      assert.equal(r.sourceType, 'Kustomize');
      assert.equal(r.cached, false);
      assert.deepEqual(r.objects.map(objectKey), ['CustomResourceDefinition/widgets.demo.example.org', 'ConfigMap/media/jellyfin-demo-config', 'Service/media/jellyfin-demo', 'Deployment/media/jellyfin-demo', 'HTTPRoute/media/jellyfin']);
      assert.match(r.objects[3]?.yaml ?? '', /replicas: 2/);
      assert.match(r.command, /kustomize build \. --enable-helm --load-restrictor LoadRestrictionsNone/);
    });

    it('applies source.kustomize options with `kustomize edit` in a copy, as Argo CD does, never in the workspace', async () => {
      const dir = appDir('cluster/apps/media/jellyfin');
      const before = fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8');
      const kustomize = { namePrefix: 'x-', images: ['ghcr.io/example/demo:9.9'], commonLabels: { team: 'media' }, patches: [{ patch: '[]' }] };
      const r = await renderApp({ name: 'j', path: 'cluster/apps/media/jellyfin', manifest: { spec: { source: { kustomize } } } }, { root, trusted: true, cacheDir, binaries, buildOptions: BUILD });
      assert.equal(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8'), before);
      assert.deepEqual(r.warnings, ['source.kustomize options not applied by the preview: patches.']);
      // The same by hand: a copy, the edits, the build.
      const copy = tempDir('home-ops-render-manual-');
      try {
        fs.cpSync(root, copy, { recursive: true });
        const cwd = path.join(copy, 'cluster/apps/media/jellyfin');
        direct(tool('kustomize'), ['edit', 'set', 'nameprefix', '--', 'x-'], cwd);
        direct(tool('kustomize'), ['edit', 'set', 'image', 'ghcr.io/example/demo:9.9'], cwd);
        direct(tool('kustomize'), ['edit', 'add', 'label', 'team:media'], cwd);
        assert.equal(r.manifests, direct(tool('kustomize'), ['build', '.', ...BUILD.split(' ')], cwd));
      } finally {
        fs.rmSync(copy, { recursive: true, force: true });
      }
      assert.match(r.manifests, /name: x-jellyfin-demo\n/);
      assert.match(r.manifests, /image: ghcr.io\/example\/demo:9.9/);
      assert.deepEqual(fs.readdirSync(path.join(cacheDir, 'tmp')), [], 'the staging copy is removed');
    });

    it('kustomize without --enable-helm fails as Argo CD would, with the stderr and the kustomization line', async () => {
      const app: RenderableApp = { name: 'jellyfin', path: 'cluster/apps/media/jellyfin' };
      await assert.rejects(renderApp(app, { root, trusted: true, cacheDir, binaries, buildOptions: '' }), (e: RenderError) => {
        assert.equal(e.kind, 'tool');
        assert.match(e.details.stderr ?? '', /must specify --enable-helm/);
        assert.deepEqual(e.details.location && { file: e.details.location.file, line: e.details.location.line }, { file: 'cluster/apps/media/jellyfin/kustomization.yaml', line: 5 }); // helmCharts:
        return true;
      });
    });

    it('locates a missing resource and a missing valuesFile on their kustomization lines', async () => {
      const k = appDir('cluster/apps/media/jellyfin/kustomization.yaml');
      const text = fs.readFileSync(k, 'utf8');
      const app: RenderableApp = { name: 'jellyfin', path: 'cluster/apps/media/jellyfin' };
      fs.writeFileSync(k, text.replace('- route.yaml', '- nope.yaml'));
      await assert.rejects(renderApp(app, { root, trusted: true, cacheDir, binaries, buildOptions: BUILD }), (e: RenderError) => {
        // One line naming what is missing; kustomize's own chain of messages follows, once, in stderr.
        assert.equal(e.message, 'kustomize: resource nope.yaml not found (no such file or directory)');
        assert.match(e.details.stderr ?? '', /accumulating resources from 'nope.yaml'/);
        assert.deepEqual(e.details.location, { file: 'cluster/apps/media/jellyfin/kustomization.yaml', line: 12, column: 4, endColumn: 13 });
        return true;
      });
      fs.writeFileSync(k, text.replace('valuesFile: values.yaml', 'valuesFile: missing-values.yaml'));
      await assert.rejects(renderApp(app, { root, trusted: true, cacheDir, binaries, buildOptions: BUILD }), (e: RenderError) => {
        assert.equal(e.details.location?.line, 9);
        assert.equal(e.details.location?.column, 16);
        assert.match(e.message, /^kustomize: .*missing-values\.yaml.* not found/);
        assert.ok(e.message.length < 200, e.message);
        return true;
      });
    });

    it('Chart.yaml app: `helm template` with release name, namespace, value files, values and parameters, identical to helm itself', async () => {
      const app: RenderableApp = {
        name: 'media-radarr',
        path: 'cluster/apps/media/radarr',
        namespace: 'media',
        manifest: {
          spec: {
            source: {
              path: 'cluster/apps/media/radarr',
              helm: { releaseName: 'radarr', valueFiles: ['values.yaml', 'values-prod.yaml'], valuesObject: { extra: 'from-values-object' }, parameters: [{ name: 'image', value: 'ghcr.io/example/radarr:5.1' }], skipCrds: true },
            },
            destination: { namespace: 'media' },
          },
        },
      };
      const r = await renderApp(app, { root, trusted: true, cacheDir, binaries });
      assert.equal(r.sourceType, 'Helm');
      const dir = appDir('cluster/apps/media/radarr');
      const valuesFile = path.join(cacheDir, 'direct-values.yaml');
      fs.writeFileSync(valuesFile, '{"extra":"from-values-object"}\n');
      const expected = direct(tool('helm'), ['template', '.', '--name-template', 'radarr', '--namespace', 'media', '--set', 'image=ghcr.io/example/radarr:5.1', '--values', path.join(dir, 'values.yaml'), '--values', path.join(dir, 'values-prod.yaml'), '--values', valuesFile], dir);
      assert.equal(r.manifests, expected);
      assert.deepEqual(r.objects.map(objectKey), ['Deployment/media/radarr']);
      assert.match(r.manifests, /containerPort: 7979/);
      assert.match(r.manifests, /image: ghcr.io\/example\/radarr:5.1/);
      assert.match(r.manifests, /value: "from-values-object"/);
      assert.deepEqual(fs.readdirSync(path.join(cacheDir, 'tmp')), [], 'the temporary values file is removed');
    });

    it('Chart.yaml app without options: the app name is the release name and CRDs are included', async () => {
      const chartCopy = appDir('cluster/apps/tools/demo');
      fs.cpSync(appDir('cluster/charts/demo'), chartCopy, { recursive: true });
      const r = await renderApp({ name: 'tools-demo', path: 'cluster/apps/tools/demo', namespace: 'tools' }, { root, trusted: true, cacheDir, binaries });
      assert.equal(r.manifests, direct(tool('helm'), ['template', '.', '--name-template', 'tools-demo', '--namespace', 'tools', '--include-crds'], chartCopy));
      assert.deepEqual(r.objects.map(objectKey), ['CustomResourceDefinition/widgets.demo.example.org', 'Service/tools/tools-demo', 'Deployment/tools/tools-demo']);
    });

    it('umbrella chart with a file:// dependency: `helm dependency build` in the private copy, then `helm template`, as Argo CD does', async () => {
      const rel = 'cluster/apps/tools/umbrella';
      const dir = appDir(rel);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: umbrella\nversion: 1.0.0\ndependencies:\n  - name: demo\n    version: 0.3.1\n    repository: file://../../../charts/demo\n');
      fs.writeFileSync(path.join(dir, 'values.yaml'), 'demo:\n  replicas: 3\n');
      const { runner, calls } = countingRunner();
      const cache = new RenderCache();
      const app: RenderableApp = { name: 'tools-umbrella', path: rel, namespace: 'tools' };
      const r = await renderApp(app, { root, trusted: true, cacheDir, binaries, runner, cache });
      assert.deepEqual(fs.readdirSync(dir).sort(), ['Chart.yaml', 'values.yaml'], 'nothing is written into the repository');
      // The same by hand, in a copy: what Argo CD's repo-server does in its checkout.
      const copy = tempDir('home-ops-render-umbrella-');
      try {
        fs.cpSync(root, copy, { recursive: true });
        const cwd = path.join(copy, rel);
        direct(tool('helm'), ['dependency', 'build'], cwd);
        assert.equal(r.manifests, direct(tool('helm'), ['template', '.', '--name-template', 'tools-umbrella', '--namespace', 'tools', '--include-crds'], cwd));
      } finally {
        fs.rmSync(copy, { recursive: true, force: true });
      }
      assert.deepEqual(r.objects.map(objectKey), ['CustomResourceDefinition/widgets.demo.example.org', 'Service/tools/tools-umbrella-demo', 'Deployment/tools/tools-umbrella-demo']);
      assert.match(r.objects[2]?.yaml ?? '', /replicas: 3/);
      assert.match(r.command, /helm dependency build --skip-refresh && .*helm template \. --name-template tools-umbrella/);
      assert.deepEqual(calls.map((c) => c.slice(1, 3).join(' ')), ['template .', 'dependency build', 'template .']);
      // A changed value re-renders in a new copy of the inputs: the dependency is built again, offline.
      fs.writeFileSync(path.join(dir, 'values.yaml'), 'demo:\n  replicas: 4\n');
      const again = await renderApp(app, { root, trusted: true, cacheDir, binaries, runner, cache });
      assert.match(again.objects[2]?.yaml ?? '', /replicas: 4/);
      // The copy with the built dependency is kept: the same inputs again, without the cache, template only.
      const before = calls.length;
      await renderApp(app, { root, trusted: true, cacheDir, binaries, runner });
      assert.deepEqual(calls.slice(before).map((c) => c.slice(1, 3).join(' ')), ['template .']);
    });

    it('kustomize 5.8: objects of a chart that templates no namespace are named on the `namespace:` line, with where they land; none for a chart that sets them', async () => {
      // A chart with one object that templates its namespace and two that do not (a ConfigMap,
      // and a Widget whose CRD, in the chart, says it is namespaced), and a cluster-scoped one.
      const chart = appDir('cluster/charts/bare');
      fs.mkdirSync(path.join(chart, 'templates'), { recursive: true });
      fs.mkdirSync(path.join(chart, 'crds'));
      fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: bare\nversion: 0.1.0\n');
      fs.writeFileSync(path.join(chart, 'values.yaml'), '');
      fs.copyFileSync(appDir('cluster/charts/demo/crds/widgets.yaml'), path.join(chart, 'crds/widgets.yaml'));
      fs.writeFileSync(path.join(chart, 'templates/objects.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: no-namespace\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: templated\n  namespace: {{ .Release.Namespace }}\n---\napiVersion: demo.example.org/v1\nkind: Widget\nmetadata:\n  name: gadget\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: cluster-wide\n');
      const rel = 'cluster/apps/tools/bare';
      fs.mkdirSync(appDir(rel), { recursive: true });
      fs.writeFileSync(path.join(appDir(rel), 'kustomization.yaml'), 'namespace: tools-bare\nhelmGlobals:\n  chartHome: ../../../charts\nhelmCharts:\n  - name: bare\n    releaseName: bare\n    includeCRDs: true\n');
      const r = await renderApp({ name: 'tools-bare', path: rel, namespace: 'tools' }, { root, trusted: true, cacheDir, binaries, buildOptions: BUILD });
      // What kustomize 5.8 itself gives: the kustomization's namespace on the templated object only.
      assert.deepEqual(r.objects.map(objectKey), ['CustomResourceDefinition/widgets.demo.example.org', 'ClusterRole/cluster-wide', 'ConfigMap/tools-bare/templated', 'ConfigMap/no-namespace', 'Widget/gadget']);
      assert.deepEqual(r.namespaceWarning?.objects, ['ConfigMap/no-namespace', 'Widget/gadget']);
      assert.deepEqual(r.namespaceWarning?.location, { file: `${rel}/kustomization.yaml`, line: 0, column: 11, endColumn: 21 });
      assert.equal(
        r.namespaceWarning?.message,
        'namespace "tools-bare" is not applied to objects from helmCharts since kustomize 5.8 (Argo CD ≥ 3.3): ConfigMap/no-namespace, Widget/gadget have no namespace and will land in the Application\'s destination namespace "tools" (a chart template without `namespace: {{ .Release.Namespace }}` sets none).',
      );
      // The command line says it on stderr, at the line.
      const saved = { path: process.env['PATH'], cache: process.env['HOME_OPS_CACHE'] };
      process.env['PATH'] = TOOL_ENV['PATH'];
      process.env['HOME_OPS_CACHE'] = cacheDir;
      try {
        let err = '';
        assert.equal(await renderCommand([appDir(rel), root, '--no-cache'], { out: () => undefined, err: (t: string) => (err += t) }), 0, err);
        assert.match(err, new RegExp(`^home-ops: warning: ${rel}/kustomization\\.yaml:1:12: namespace "tools-bare" is not applied to objects from helmCharts since kustomize 5\\.8`, 'm'));
      } finally {
        process.env['PATH'] = saved.path;
        if (saved.cache === undefined) delete process.env['HOME_OPS_CACHE'];
        else process.env['HOME_OPS_CACHE'] = saved.cache;
      }
      // The demo chart templates every namespace: nothing to say.
      const jellyfin = await renderApp({ name: 'media-jellyfin', path: 'cluster/apps/media/jellyfin' }, { root, trusted: true, cacheDir, binaries, buildOptions: BUILD });
      assert.equal(jellyfin.namespaceWarning, undefined);
    });

    it('second render of unchanged inputs is a cache hit without spawning; a change in the chart outside the folder misses', async () => {
      const cache = new RenderCache(path.join(cacheDir, 'render'));
      const { runner, calls } = countingRunner();
      const app: RenderableApp = { name: 'media-jellyfin', path: 'cluster/apps/media/jellyfin' };
      const opts = { root, trusted: true, cacheDir, binaries, buildOptions: BUILD, cache, runner };
      const first = await renderApp(app, opts);
      assert.equal(first.cached, false);
      assert.equal(calls.length, 1);
      const second = await renderApp(app, opts);
      assert.equal(second.cached, true);
      assert.equal(calls.length, 1, 'no process spawned for a hit');
      assert.equal(second.manifests, first.manifests);
      // A fresh cache object on the same folder (a new window or CLI run) hits the disk copy.
      assert.equal((await renderApp(app, { ...opts, cache: new RenderCache(path.join(cacheDir, 'render')) })).cached, true);
      // The chart lives in helmGlobals.chartHome, outside the app folder: it is an input too.
      fs.appendFileSync(appDir('cluster/charts/demo/values.yaml'), '# changed\n');
      assert.equal((await renderApp(app, opts)).cached, false);
      assert.equal(calls.length, 2);
      // Other build options are another key.
      assert.equal((await renderApp(app, { ...opts, buildOptions: `${BUILD} --enable-alpha-plugins` })).cached, false);
    });
  });

  describe('without kustomize, with kubectl', function () {
    before(function () {
      requireTools(this, '`kubectl kustomize` as the fallback for a missing kustomize', 'kubectl');
    });

    // A PATH with kubectl (and helm, for helmCharts) alone: kustomize absent for certain,
    // whatever else the machine has.
    let onlyKubectl: string;
    beforeEach(() => {
      onlyKubectl = tempDir('home-ops-only-kubectl-');
      fs.symlinkSync(toolPath('kubectl') as string, path.join(onlyKubectl, 'kubectl'));
    });
    afterEach(() => fs.rmSync(onlyKubectl, { recursive: true, force: true }));

    it('falls back to `kubectl kustomize` when kustomize is absent', async () => {
      const k = await locateBinaries({}, { env: { PATH: onlyKubectl } }).kustomize();
      assert.deepEqual(k.prefix, ['kustomize']);
      assert.match(k.version, /^kubectl v5\./);
      assert.ok(k.flags?.includes('--enable-helm') && k.flags.includes('--load-restrictor'), `flags read from kubectl kustomize --help: ${k.flags?.join(' ')}`);
      assert.ok(!k.flags?.includes('--enable-exec'), 'kubectl kustomize has no --enable-exec');
    });

    it('renders with `kubectl kustomize DIR` and the options kubectl accepts: output identical to kubectl itself', async function () {
      // Locating the fallback alone passed while every render through it failed: kubectl was run
      // as `kubectl kustomize build .`, which it reads as two folders. Render through it.
      requireTools(this, 'helmCharts rendered through `kubectl kustomize`', 'helm');
      fs.symlinkSync(toolPath('helm') as string, path.join(onlyKubectl, 'helm'));
      const fallback = locateBinaries({}, { env: { PATH: onlyKubectl } });
      const app: RenderableApp = { name: 'media-jellyfin', path: 'cluster/apps/media/jellyfin' };
      // --stack-trace is a flag of kustomize build that kubectl kustomize does not have.
      const r = await renderApp(app, { root, trusted: true, cacheDir, binaries: fallback, buildOptions: `${BUILD} --stack-trace` });
      const dir = appDir('cluster/apps/media/jellyfin');
      const expected = direct(toolPath('kubectl') as string, ['kustomize', dir, ...BUILD.split(' '), '--helm-command', path.join(onlyKubectl, 'helm')], root);
      assert.equal(r.manifests, expected);
      assert.deepEqual(r.objects.map(objectKey), ['CustomResourceDefinition/widgets.demo.example.org', 'ConfigMap/media/jellyfin-demo-config', 'Service/media/jellyfin-demo', 'Deployment/media/jellyfin-demo', 'HTTPRoute/media/jellyfin']);
      assert.match(r.command, /kubectl kustomize \. --enable-helm --load-restrictor LoadRestrictionsNone --helm-command /);
      assert.equal(r.warnings.length, 1);
      assert.match(r.warnings[0] ?? '', /^kubectl kustomize \(kustomize v5\.\d+\.\d+\) does not accept --stack-trace: left out\./);
    });
  });
});

describe('render: cancellation and timeout kill the process tree', function () {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('home-ops-render-kill-');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('cancel: the fake helm and its child are both gone, the render rejects as cancelled', async function () {
    if (process.platform === 'win32') this.skip();
    const { script, pidFile } = slowScript(dir);
    const root = path.join(dir, 'repo');
    fs.mkdirSync(path.join(root, 'chart'), { recursive: true });
    fs.writeFileSync(path.join(root, 'chart/Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 1.0.0\n');
    const { binaries } = recordingBinaries(realBinaries(), script);
    const ac = new AbortController();
    const rendering = renderApp({ name: 'c', path: 'chart' }, { root, trusted: true, cacheDir: dir, binaries, signal: ac.signal });
    await whenFileExists(pidFile);
    const pids = fs.readFileSync(pidFile, 'utf8').trim().split(/\s+/).map(Number);
    assert.equal(pids.length, 2);
    assert.ok(pids.every(alive), 'both processes run before the cancel');
    ac.abort();
    await assert.rejects(rendering, (e: RenderError) => e.kind === 'cancelled');
    assert.deepEqual(await survivors(pids), [], 'no process of the tree survives');
  });

  it('timeout: the tree is killed and the error says so', async function () {
    if (process.platform === 'win32') this.skip();
    const { script, pidFile } = slowScript(dir);
    let leader = 0;
    await assert.rejects(runProcess(script, [], { timeoutMs: 300, onSpawn: (p) => (leader = p) }), (e: RunError) => {
      assert.equal(e.failure, 'timeout');
      assert.match(e.message, /timed out after 0 s|timed out/);
      return true;
    });
    const pids = fs.readFileSync(pidFile, 'utf8').trim().split(/\s+/).map(Number);
    assert.equal(pids[0], leader);
    assert.deepEqual(await survivors(pids), [], 'no process of the tree survives');
  });

  it('timeout: settles even when a descendant that left the process group keeps the pipes open', async function () {
    requireTools(this, 'a stand-in tool whose descendant leaves the process group', 'setsid');
    const fake = pipeHoldingTool(dir);
    try {
      const started = performance.now();
      await assert.rejects(runProcess(fake.file, ['build', '.'], { timeoutMs: 300 }), (e: RunError) => e.failure === 'timeout' && /timed out/.test(e.message));
      const ms = performance.now() - started;
      assert.ok(ms < 4000, `settled after ${ms.toFixed(0)} ms`);
    } finally {
      fake.cleanup();
    }
  });

  it('a child that exits while a descendant outside its group holds the pipes: its output, without waiting for the descendant', async function () {
    requireTools(this, 'a stand-in tool whose descendant leaves the process group', 'setsid');
    const fake = pipeHoldingTool(dir, { exitAfterFork: true });
    try {
      const started = performance.now();
      const r = await runProcess(fake.file, ['build', '.'], { timeoutMs: 60_000 });
      assert.equal(r.stdout, 'apiVersion: v1\nkind: ConfigMap\n');
      assert.ok(performance.now() - started < 4000, 'not held until the timeout');
    } finally {
      fake.cleanup();
    }
  });

  it('spawns with an argument array: shell syntax in an argument stays text', async () => {
    const r = await runProcess('/bin/echo', ['$(touch pwned)', '; rm -rf x', '`id`'], { cwd: dir });
    assert.equal(r.stdout, '$(touch pwned) ; rm -rf x `id`\n');
    assert.equal(fs.existsSync(path.join(dir, 'pwned')), false);
  });
});
