import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findPlugins, renderApp, RenderError, type RenderableApp, type RenderOptions } from '../../../src/core/render';
import { countingRunner, realBinaries, tempDir, treeHashes } from './support';

/**
 * Apps rendered by a Config Management Plugin the repository defines (argocd-cmp-cm, the Argo CD
 * Helm values): run in the render's copy when allowed, named in one line otherwise.
 */
describe('render: Config Management Plugins defined in the repository', () => {
  let root: string;
  let cacheDir: string;
  const CMP_CM = `apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cmp-cm
  namespace: argocd
data:
  plugin.yaml: |
    apiVersion: argoproj.io/v1alpha1
    kind: ConfigManagementPlugin
    metadata:
      name: envsubst
    spec:
      version: v1.0
      init:
        command: [sh, -c]
        args: ["echo ran > init.marker"]
      generate:
        command: [sh, -c]
        args: ['sed "s/NAME/$ARGOCD_ENV_GREETING-$ARGOCD_APP_NAME/" cm.tpl']
`;
  const VALUES = 'configs:\n  cmp:\n    create: true\n    plugins:\n      plain-cat:\n        generate:\n          command: [cat]\n          args: [cm.tpl]\n';
  beforeEach(() => {
    root = tempDir('home-ops-render-cmp-');
    cacheDir = tempDir();
    fs.mkdirSync(path.join(root, 'argocd'));
    fs.writeFileSync(path.join(root, 'argocd/argocd-cmp-cm.yaml'), CMP_CM);
    fs.writeFileSync(path.join(root, 'argocd/values.yaml'), VALUES);
    fs.mkdirSync(path.join(root, 'app'));
    fs.writeFileSync(path.join(root, 'app/cm.tpl'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: NAME\n');
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });
  const repo = () => {
    const files = ['argocd/argocd-cmp-cm.yaml', 'argocd/values.yaml'];
    return { files, readText: (f: string) => fs.readFileSync(path.join(root, f), 'utf8') };
  };
  const app = (plugin: Record<string, unknown>): RenderableApp => ({ name: 'demo', path: 'app', namespace: 'apps', manifest: { spec: { source: { path: 'app', plugin } } } });
  const options = (extra: Partial<RenderOptions> = {}): RenderOptions => ({ root, trusted: true, cacheDir, binaries: realBinaries(), plugins: findPlugins(repo()), ...extra });

  it('finds plugins in argocd-cmp-cm and in the Argo CD Helm values, with where they are defined', () => {
    assert.deepEqual(
      findPlugins(repo()).map((p) => [p.name, p.version, p.origin, p.generate.command.join(' ')]),
      [
        ['envsubst', 'v1.0', 'argocd/argocd-cmp-cm.yaml:7', 'sh -c'],
        ['plain-cat', undefined, 'argocd/values.yaml:5', 'cat'],
      ],
    );
  });

  it('not allowed: says which plugin would run what, and runs nothing', async () => {
    const { runner, calls } = countingRunner();
    await assert.rejects(renderApp(app({ name: 'envsubst-v1.0' }), options({ runner })), (e: RenderError) => {
      assert.equal(e.kind, 'source');
      assert.match(e.message, /^demo is rendered by plugin "envsubst" \(argocd\/argocd-cmp-cm\.yaml:7\), whose commands would run on this machine \(sh -c sed .*\)\. Allow "plugin:envsubst" to preview it/);
      return true;
    });
    assert.deepEqual(calls, []);
  });

  it('allowed: init then generate in a private copy, with the plugin environment; the repository is untouched', async () => {
    const before = treeHashes(root);
    const r = await renderApp(app({ name: 'envsubst-v1.0', env: [{ name: 'GREETING', value: 'hello' }] }), options({ buildOptionPolicy: { allowed: ['plugin:envsubst'] } }));
    assert.equal(r.sourceType, 'Plugin');
    assert.equal(r.manifests, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hello-demo\n');
    assert.deepEqual(r.objects.map((o) => `${o.kind}/${o.name}`), ['ConfigMap/hello-demo']);
    assert.match(r.command, /^sh -c 'echo ran > init\.marker' && sh -c .* \(plugin envsubst, argocd\/argocd-cmp-cm\.yaml:7\)$/);
    assert.deepEqual(treeHashes(root), before, 'init.marker was written in the copy only');
    // The Helm values' plugin, with the repository's configuration trusted as a whole.
    const cat = await renderApp(app({ name: 'plain-cat' }), options({ buildOptionPolicy: { trustRepository: true } }));
    assert.match(cat.manifests, /name: NAME/);
  });

  it('a plugin the repository does not define, or one Argo CD discovers: one line, no preview made another way', async () => {
    await assert.rejects(renderApp(app({ name: 'vault' }), options()), (e: RenderError) => e.kind === 'source' && e.message === 'demo is rendered by plugin "vault" in Argo CD; its definition is not in this repository, so it cannot be previewed here.');
    // Neither plugin has discover rules: Argo CD's discovery skips both.
    await assert.rejects(
      renderApp(app({}), options()),
      (e: RenderError) =>
        e.kind === 'source' &&
        e.message ===
          'demo is rendered by a plugin Argo CD discovers (source.plugin without a name), and none of the plugins this repository defines claims it ("envsubst" has no discover rules, so only an Application naming it gets it; "plain-cat" has no discover rules, so only an Application naming it gets it): Argo CD fails ("could not find plugin supporting the given repository") unless a plugin defined elsewhere does.',
    );
    await assert.rejects(renderApp(app({}), { ...options(), plugins: [] }), (e: RenderError) => e.message === 'demo is rendered by a plugin Argo CD discovers (source.plugin without a name) in Argo CD; its definition is not in this repository, so it cannot be previewed here.');
  });

  it('a versioned plugin answers to NAME-VERSION only, as its sidecar socket is named', async () => {
    const { runner, calls } = countingRunner();
    await assert.rejects(
      renderApp(app({ name: 'envsubst' }), options({ runner, buildOptionPolicy: { trustRepository: true } })),
      (e: RenderError) => e.kind === 'source' && e.message === 'demo names plugin "envsubst", which this repository defines with version v1.0 (argocd/argocd-cmp-cm.yaml:7): Argo CD knows it as "envsubst-v1.0" only, so it fails ("could not find cmp-server plugin with name "envsubst" supporting the given repository").',
    );
    assert.deepEqual(calls, []);
  });

  it('plugin beside helm, kustomize or directory: Argo CD refuses the source', async () => {
    const both: RenderableApp = { name: 'demo', path: 'app', manifest: { spec: { source: { path: 'app', plugin: { name: 'plain-cat' }, directory: { recurse: true } } } } };
    await assert.rejects(renderApp(both, options({ buildOptionPolicy: { trustRepository: true } })), (e: RenderError) => e.kind === 'source' && e.message === 'demo: multiple application sources defined: Directory,Plugin (Argo CD accepts one of helm, kustomize, directory, plugin)');
  });

  it('untrusted workspace: nothing runs', async () => {
    const { runner, calls } = countingRunner();
    await assert.rejects(renderApp(app({ name: 'envsubst-v1.0' }), options({ trusted: false, runner, buildOptionPolicy: { trustRepository: true } })), (e: RenderError) => e.kind === 'untrusted');
    assert.deepEqual(calls, []);
  });
});
