import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findPlugins, RenderCache, renderApp, RenderError, type RenderableApp, type RenderOptions } from '../../../src/core/render';
import { requireTools } from '../../support/shared';
import { countingRunner, realBinaries, tempDir, treeHashes } from './support';

/**
 * Config Management Plugin discovery as Argo CD's repo-server does it: a source without an
 * explicit type (or with `plugin` and no name) is offered to the plugins' discover rules, in
 * socket-name order, before a kustomization or a Chart.yaml decides. Each test writes its own
 * repository; plugins print what they render with `sh`, for real.
 */
describe('render: Config Management Plugin discovery', () => {
  let root: string;
  let cacheDir: string;
  beforeEach(() => {
    root = tempDir('home-ops-cmp-discovery-');
    cacheDir = tempDir();
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  const write = (files: Record<string, string>) => {
    for (const [f, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.writeFileSync(path.join(root, f), text);
    }
  };
  /** A ConfigManagementPlugin whose generate prints one ConfigMap named after the plugin and the app. */
  const plugin = (name: string, discover: string, extra = '') =>
    `---\napiVersion: argoproj.io/v1alpha1\nkind: ConfigManagementPlugin\nmetadata:\n  name: ${name}\nspec:\n${extra}  generate:\n    command: [sh, -c]\n    args: ['printf "apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: ${name}-%s\\n" "$ARGOCD_APP_NAME$ARGOCD_ENV_SUFFIX"']\n${discover ? `  discover:\n${discover}` : ''}`;
  const KUSTOMIZE_APP = {
    'apps/web/kustomization.yaml': 'resources:\n  - cm.yaml\n',
    'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n',
  };
  const repo = () => {
    const files: string[] = [];
    const walk = (rel: string) => {
      for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(r);
        else files.push(r);
      }
    };
    walk('');
    return { files, readText: (f: string) => fs.readFileSync(path.join(root, f), 'utf8') };
  };
  const app = (source: Record<string, unknown> = {}, appPath = 'apps/web'): RenderableApp => ({ name: 'web', path: appPath, namespace: 'apps', manifest: { spec: { source: { path: appPath, ...source } } } });
  const options = (extra: Partial<RenderOptions> = {}): RenderOptions => ({ root, trusted: true, cacheDir, binaries: realBinaries(), plugins: findPlugins(repo()), buildOptionPolicy: { allowed: ['plugin:*'] }, ...extra });
  const names = (r: { objects: Array<{ name: string }> }) => r.objects.map((o) => o.name);

  it('reads discover rules and versions, from plugin documents and the Argo CD Helm values', () => {
    write({
      'argocd/cmp.yaml': plugin('by-file', '    fileName: "./subdir/s*.yaml"\n', '  version: v2\n'),
      'argocd/values.yaml': 'configs:\n  cmp:\n    plugins:\n      by-command:\n        version: v1\n        generate:\n          command: [cat]\n        discover:\n          find:\n            command: [sh, -c]\n            args: [find . -name env.yaml]\n            glob: "**/x"\n',
    });
    assert.deepEqual(
      findPlugins(repo()).map((p) => [p.name, p.version, p.discover]),
      [
        ['by-file', 'v2', { fileName: './subdir/s*.yaml' }],
        ['by-command', 'v1', { glob: '**/x', command: { command: ['sh', '-c'], args: ['find . -name env.yaml'] } }],
      ],
    );
  });

  it('discover.fileName matches: the plugin renders an app that has no plugin field, even a kustomize one', async () => {
    write({ ...KUSTOMIZE_APP, 'apps/web/main.jsonnet': '{}\n', 'argocd/cmp.yaml': plugin('jsonnet', '    fileName: "*.jsonnet"\n') });
    const before = treeHashes(root);
    const r = await renderApp(app(), options());
    assert.equal(r.sourceType, 'Plugin');
    assert.deepEqual(names(r), ['jsonnet-web']);
    assert.match(r.command, /\(plugin jsonnet, argocd\/cmp\.yaml:5; discovered: discover\.fileName "\*\.jsonnet" matches apps\/web\/main\.jsonnet\)$/);
    assert.deepEqual(treeHashes(root), before);
  });

  it('discover.find.glob matches a nested file (zglob **)', async () => {
    write({ 'apps/web/charts/sub/Chart.yaml': 'name: sub\n', 'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n', 'argocd/cmp.yaml': plugin('nested', '    find:\n      glob: "**/Chart.yaml"\n') });
    const r = await renderApp(app(), options());
    assert.equal(r.sourceType, 'Plugin');
    assert.deepEqual(names(r), ['nested-web']);
    assert.match(r.command, /discovered: discover\.find\.glob "\*\*\/Chart\.yaml" matches apps\/web\/charts\/sub\/Chart\.yaml\)$/);
  });

  it('no rule matches: the plain render, and nothing about plugins', async function () {
    requireTools(this, 'rendering a kustomization', 'kustomize');
    write({ ...KUSTOMIZE_APP, 'argocd/cmp.yaml': plugin('jsonnet', '    fileName: "*.jsonnet"\n') + plugin('charts', '    find:\n      glob: "**/Chart.yaml"\n') });
    const r = await renderApp(app(), options());
    assert.equal(r.sourceType, 'Kustomize');
    assert.deepEqual(names(r), ['plain']);
    assert.deepEqual(r.warnings, []);
  });

  it('an explicit source.kustomize, helm or directory asks no plugin', async function () {
    requireTools(this, 'rendering a kustomization and a chart', 'kustomize', 'helm');
    write({
      ...KUSTOMIZE_APP,
      'apps/chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 0.1.0\n',
      'apps/chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-helm\n',
      'apps/plain/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n',
      // Matches every app folder.
      'argocd/cmp.yaml': plugin('greedy', '    find:\n      glob: "**/*.yaml"\n'),
    });
    assert.equal((await renderApp(app(), options())).sourceType, 'Plugin', 'without an explicit type the plugin claims it');
    const k = await renderApp(app({ kustomize: {} }), options());
    assert.equal(k.sourceType, 'Kustomize');
    assert.deepEqual(names(k), ['plain']);
    const d = await renderApp(app({ directory: { recurse: false } }, 'apps/plain'), options());
    assert.equal(d.sourceType, 'Directory');
    assert.deepEqual(names(d), ['plain']);
    const h = await renderApp(app({ helm: { releaseName: 'x' } }, 'apps/chart'), options());
    assert.equal(h.sourceType, 'Helm');
    assert.deepEqual(names(h), ['from-helm']);
  });

  it('plugin: {} takes the one plugin that matches, with the Application plugin env', async () => {
    write({ 'apps/web/env.yaml': 'x: 1\n', 'argocd/cmp.yaml': plugin('other', '    fileName: "nothing-here"\n') + plugin('envs', '    fileName: "env.yaml"\n') });
    const r = await renderApp(app({ plugin: { env: [{ name: 'SUFFIX', value: '-x' }] } }), options());
    assert.equal(r.sourceType, 'Plugin');
    assert.deepEqual(names(r), ['envs-web-x']);
  });

  it('two plugins match: the one whose socket file name sorts first, not the first defined', async () => {
    write({
      'apps/web/env.yaml': 'x: 1\n',
      'argocd/cmp.yaml': plugin('zeta', '    fileName: "env.yaml"\n') + plugin('alpha', '    find:\n      glob: "*.yaml"\n', '  version: v2\n'),
    });
    // Sockets: alpha-v2.sock < zeta.sock.
    const r = await renderApp(app(), options());
    assert.deepEqual(names(r), ['alpha-web']);
    assert.match(r.command, /\(plugin alpha, argocd\/cmp\.yaml:\d+; discovered: discover\.find\.glob "\*\.yaml" matches apps\/web\/env\.yaml\)$/);
  });

  it('a discovered plugin the user has not allowed: said in one line, nothing runs', async () => {
    write({ 'apps/web/main.jsonnet': '{}\n', 'argocd/cmp.yaml': plugin('jsonnet', '    fileName: "*.jsonnet"\n') });
    const { runner, calls } = countingRunner();
    await assert.rejects(renderApp(app(), options({ runner, buildOptionPolicy: {} })), (e: RenderError) => {
      assert.equal(e.kind, 'source');
      assert.match(e.message, /^web is rendered by plugin "jsonnet" \(argocd\/cmp\.yaml:5; Argo CD discovers it for this app: discover\.fileName "\*\.jsonnet" matches apps\/web\/main\.jsonnet\), whose commands would run on this machine \(sh -c printf .*\)\. Allow "plugin:jsonnet" to preview it \(user setting homeOps\.render\.allowedBuildOptions, or --allow-build-option plugin:jsonnet \/ --trust-repo-config\)\.$/);
      return true;
    });
    assert.deepEqual(calls, []);
  });

  describe('discover.find.command', () => {
    // Prints the app folder's env.yaml when there is one: claims only apps that have it.
    const BY_COMMAND = '    find:\n      command: [sh, -c, "ls env.yaml 2>/dev/null || true"]\n';

    it('allowed: it runs in the app folder of a private copy, and what it prints decides', async function () {
      requireTools(this, 'rendering a kustomization', 'kustomize');
      write({ ...KUSTOMIZE_APP, 'argocd/cmp.yaml': plugin('by-command', BY_COMMAND) });
      const { runner, calls } = countingRunner();
      const before = treeHashes(root);
      const plain = await renderApp(app(), options({ runner }));
      assert.equal(plain.sourceType, 'Kustomize', 'it printed nothing: not the plugin');
      assert.deepEqual(plain.warnings, []);
      assert.deepEqual(calls[0], ['sh', '-c', 'ls env.yaml 2>/dev/null || true']);
      write({ 'apps/web/env.yaml': 'x: 1\n' });
      calls.length = 0;
      const claimed = await renderApp(app(), options({ runner }));
      assert.equal(claimed.sourceType, 'Plugin');
      assert.deepEqual(names(claimed), ['by-command-web']);
      assert.match(claimed.command, /discovered: discover\.find\.command \(sh -c ls env\.yaml 2>\/dev\/null \|\| true\) prints something for it\)$/);
      assert.deepEqual(calls.map((c) => c[0]), ['sh', 'sh'], 'discovery, then generate');
      delete before['apps/web/env.yaml'];
      const after = treeHashes(root);
      delete after['apps/web/env.yaml'];
      assert.deepEqual(after, before, 'nothing written into the repository');
    });

    it('not allowed: the plain render, with one line saying the plugin may render it and how to allow it', async function () {
      requireTools(this, 'rendering a kustomization', 'kustomize');
      write({ ...KUSTOMIZE_APP, 'apps/web/env.yaml': 'x: 1\n', 'argocd/cmp.yaml': plugin('by-command', BY_COMMAND) });
      const { runner, calls } = countingRunner();
      const cache = new RenderCache(path.join(cacheDir, 'render'));
      const r = await renderApp(app(), options({ runner, buildOptionPolicy: {}, cache }));
      assert.equal(r.sourceType, 'Kustomize');
      assert.deepEqual(r.warnings, [
        'Plugin "by-command" (argocd/cmp.yaml:5) may render this app in Argo CD instead: its discovery runs a command (sh -c ls env.yaml 2>/dev/null || true), which Home-Ops runs only once you allow "plugin:by-command" (user setting homeOps.render.allowedBuildOptions, or --allow-build-option plugin:by-command / --trust-repo-config).',
      ]);
      assert.equal(calls.filter((c) => c[0] === 'sh').length, 0, 'the command did not run');
      // From the cache the note is there too; once allowed, the command decides (the cached render is not used).
      const again = await renderApp(app(), options({ runner, buildOptionPolicy: {}, cache }));
      assert.equal(again.cached, true);
      assert.deepEqual(again.warnings, r.warnings);
      const allowed = await renderApp(app(), options({ runner, cache }));
      assert.equal(allowed.sourceType, 'Plugin');
      assert.deepEqual(allowed.warnings, []);
    });

    it('untrusted workspace: nothing runs; a plain directory still previews, with the note', async () => {
      write({ 'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n', 'argocd/cmp.yaml': plugin('by-command', BY_COMMAND) });
      const { runner, calls } = countingRunner();
      const r = await renderApp(app(), options({ runner, trusted: false }));
      assert.equal(r.sourceType, 'Directory');
      assert.match(r.warnings[0] ?? '', /^Plugin "by-command" \(argocd\/cmp\.yaml:5\) may render this app in Argo CD instead: its discovery runs a command \(sh -c ls env\.yaml 2>\/dev\/null \|\| true\), which runs only in a trusted workspace\.$/);
      assert.deepEqual(calls, []);
    });

    it('a plain render that fails keeps the note, on a line of its own after the failure', async () => {
      write({ ...KUSTOMIZE_APP, 'argocd/cmp.yaml': plugin('by-command', BY_COMMAND) });
      const { runner, calls } = countingRunner();
      await assert.rejects(renderApp(app(), options({ runner, trusted: false })), (e: RenderError) => {
        assert.equal(e.kind, 'untrusted');
        const [first, note, ...rest] = e.message.split('\n');
        assert.match(first ?? '', /^Rendering is disabled in an untrusted workspace/);
        assert.match(note ?? '', /^Note: Plugin "by-command" \(argocd\/cmp\.yaml:5\) may render this app in Argo CD instead: its discovery runs a command/);
        assert.deepEqual(rest, []);
        return true;
      });
      assert.deepEqual(calls, []);
    });

    it('plugin: {} with only a command plugin it may not run: refused in one line, no plain render', async () => {
      write({ 'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n', 'argocd/cmp.yaml': plugin('by-command', BY_COMMAND) });
      await assert.rejects(
        renderApp(app({ plugin: {} }), options({ buildOptionPolicy: {} })),
        (e: RenderError) => e.kind === 'source' && /^web is rendered by a plugin Argo CD discovers \(source\.plugin without a name\): plugin "by-command" \(argocd\/cmp\.yaml:5\) may be it, but its discovery runs a command \(.*\), which Home-Ops runs only once you allow "plugin:by-command"/.test(e.message),
      );
      await assert.rejects(renderApp(app({ plugin: {} }), options({ trusted: false })), (e: RenderError) => e.kind === 'untrusted');
    });

    it('a command plugin first in order that may not run, a file rule claiming the app after it: that plugin renders, with the note', async () => {
      write({ 'apps/web/main.jsonnet': '{}\n', 'argocd/cmp.yaml': plugin('a-command', BY_COMMAND) + plugin('b-jsonnet', '    fileName: "*.jsonnet"\n') });
      const r = await renderApp(app(), options({ buildOptionPolicy: { allowed: ['plugin:b-jsonnet'] } }));
      assert.deepEqual(names(r), ['b-jsonnet-web']);
      assert.match(r.warnings[0] ?? '', /^Plugin "a-command" \(argocd\/cmp\.yaml:5\) comes first in Argo CD's order and may render this app instead: its discovery runs a command/);
    });

    it('a named plugin with a command rule: once allowed, the command decides whether Argo CD uses it', async () => {
      write({ 'apps/web/cm.yaml': 'x: 1\n', 'argocd/cmp.yaml': plugin('by-command', BY_COMMAND) });
      const { runner, calls } = countingRunner();
      await assert.rejects(renderApp(app({ plugin: { name: 'by-command' } }), options({ runner, buildOptionPolicy: {} })), (e: RenderError) => e.kind === 'source' && e.message.startsWith('web is rendered by plugin "by-command" (argocd/cmp.yaml:5), whose commands would run on this machine'));
      assert.deepEqual(calls, [], 'not allowed: not even the discover command runs');
      await assert.rejects(renderApp(app({ plugin: { name: 'by-command' } }), options({ runner })), (e: RenderError) => e.message === 'web names plugin "by-command" (argocd/cmp.yaml:5), but its discover.find.command (sh -c ls env.yaml 2>/dev/null || true) prints nothing for it: Argo CD uses a named plugin only where its discovery matches, so it fails ("could not find cmp-server plugin with name "by-command" supporting the given repository").');
      write({ 'apps/web/env.yaml': 'x: 1\n' });
      assert.deepEqual(names(await renderApp(app({ plugin: { name: 'by-command' } }), options({ runner }))), ['by-command-web']);
    });

    it('a command that fails here decides nothing: the note says so', async () => {
      write({ 'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n', 'argocd/cmp.yaml': plugin('broken', '    find:\n      command: [sh, -c, "echo no such tool >&2; exit 3"]\n') });
      const r = await renderApp(app(), options());
      assert.equal(r.sourceType, 'Directory');
      assert.match(r.warnings[0] ?? '', /^Plugin "broken" \(argocd\/cmp\.yaml:5\) may render this app in Argo CD instead: its discovery command \(sh -c echo no such tool >&2; exit 3\) failed here: .*no such tool/);
    });
  });

  it('a named plugin with discover rules: used only where they match, as Argo CD does', async () => {
    write({ 'apps/web/cm.yaml': 'x: 1\n', 'argocd/cmp.yaml': plugin('picky', '    fileName: "*.jsonnet"\n') });
    await assert.rejects(
      renderApp(app({ plugin: { name: 'picky' } }), options()),
      (e: RenderError) =>
        e.kind === 'source' &&
        e.message === 'web names plugin "picky" (argocd/cmp.yaml:5), but its discover.fileName "*.jsonnet" matches nothing in apps/web: Argo CD uses a named plugin only where its discovery matches, so it fails ("could not find cmp-server plugin with name "picky" supporting the given repository").',
    );
    write({ 'apps/web/main.jsonnet': '{}\n' });
    assert.deepEqual(names(await renderApp(app({ plugin: { name: 'picky' } }), options())), ['picky-web']);
  });
});
