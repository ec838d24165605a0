import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { EXAMPLE_REPO, SEED_CORPUS, appset, makeRepo, type TempRepo } from '../../support/repo';
import { requireShared } from '../../support/shared';

describe('repository model', () => {
  describe('on the bundled example repository', () => {
    it('lists the 10 generated Applications and the bootstrap Application', () => {
      const m = new RepositoryModel(EXAMPLE_REPO);
      assert.deepEqual(
        m.apps().map((a) => `${a.name} ${a.namespace} ${a.path}`),
        [
          'cert-manager cert-manager homelab/kubernetes/apps/cert-manager',
          'media-audiobookshelf media homelab/kubernetes/apps/media/audiobookshelf',
          'media-jellyfin media homelab/kubernetes/apps/media/jellyfin',
          'media-navidrome media homelab/kubernetes/apps/media/navidrome',
          'observability-blackbox-probes observability homelab/kubernetes/apps/observability/blackbox-probes',
          'observability-uptime-kuma observability homelab/kubernetes/apps/observability/uptime-kuma',
          'selfhosted-linkding selfhosted homelab/kubernetes/apps/selfhosted/linkding',
          'selfhosted-miniflux selfhosted homelab/kubernetes/apps/selfhosted/miniflux',
          'selfhosted-vaultwarden selfhosted homelab/kubernetes/apps/selfhosted/vaultwarden',
          'selfhosted-welcome selfhosted homelab/kubernetes/apps/selfhosted/welcome',
        ],
      );
      assert.deepEqual(m.standaloneApps().map((a) => a.name), ['argocd-bootstrap']);
      assert.deepEqual(m.projects().map((p) => p.name), ['homelab']);
      assert.deepEqual(m.problems().filter((p) => p.severity !== 'info'), []);
    });
  });

  describe('on the seed corpus', function () {
    before(function () {
      requireShared(this, 'the model on the seed corpus', SEED_CORPUS);
    });

    it('lists exactly the 62 Applications of its 14 ApplicationSets', () => {
      const m = new RepositoryModel(SEED_CORPUS);
      assert.equal(m.appsets().length, 14);
      const apps = m.apps();
      assert.equal(apps.length, 62);
      assert.equal(new Set(apps.map((a) => a.name)).size, 62);
      const jellyfin = apps.find((a) => a.name === 'media-jellyfin');
      assert.ok(jellyfin);
      assert.equal(jellyfin.namespace, 'media');
      assert.equal(jellyfin.path, 'pitower/kubernetes/apps/media/jellyfin');
      assert.equal(jellyfin.project, 'apps');
      assert.equal(jellyfin.appset.name, 'media');
      assert.equal(jellyfin.appset.file, 'pitower/kubernetes/argocd/appset-media.yaml');
      assert.deepEqual(jellyfin.levels, [{ index: 4, value: 'jellyfin' }]);
      const openebs = apps.find((a) => a.name === 'openebs');
      assert.ok(openebs, 'the appset without a glob generates its category directory');
      assert.equal(openebs.namespace, 'openebs');
      assert.deepEqual(openebs.levels, []);
      // Every app is one directory under its appset's category folder.
      for (const a of apps) assert.match(a.path ?? '', /^pitower\/kubernetes\/apps\/[^/]+(\/[^/]+)?$/);
      assert.equal(m.appsets().every((e) => e.complete), true);
      assert.deepEqual(m.problems().filter((p) => p.severity === 'error'), []);
    });
  });

  describe('incremental updates', () => {
    let repo: TempRepo;
    afterEach(() => repo?.cleanup());

    const GEN = (name: string, dir: string) =>
      appset(name, `  goTemplate: true\n  generators:\n    - git:\n        repoURL: x\n        revision: HEAD\n        directories: [{path: '${dir}/*'}]\n  template:\n    metadata: {name: '${name}-{{.path.basename}}'}\n    spec: {project: default, destination: {server: s, namespace: ns}}`);

    it('adds and removes an app when its directory appears and goes, re-evaluating only its appset', () => {
      repo = makeRepo({ 'argocd/a.yaml': GEN('media', 'media'), 'argocd/b.yaml': GEN('web', 'web'), 'media/one/x.yaml': 'a: 1', 'web/site/x.yaml': 'a: 1' });
      const m = new RepositoryModel(repo.root);
      assert.deepEqual(m.apps().map((a) => a.name), ['media-one', 'web-site']);
      repo.write('media/two/kustomization.yaml', 'resources: []\n');
      const change = m.applyChanges(['media/two']);
      assert.deepEqual(change.reevaluated, [{ file: 'argocd/a.yaml', docIndex: 0 }]);
      assert.deepEqual(m.apps().map((a) => a.name), ['media-one', 'media-two', 'web-site']);
      repo.remove('media/one');
      m.applyChanges(['media/one']);
      assert.deepEqual(m.apps().map((a) => a.name), ['media-two', 'web-site']);
    });

    it('re-evaluates an appset when its file is edited, and drops it when deleted', () => {
      repo = makeRepo({ 'argocd/a.yaml': GEN('media', 'media'), 'media/one/x.yaml': 'a: 1' });
      const m = new RepositoryModel(repo.root);
      m.setOverlay('argocd/a.yaml', GEN('video', 'media'));
      assert.deepEqual(m.apps().map((a) => a.name), ['video-one']);
      m.setOverlay('argocd/a.yaml', undefined);
      assert.deepEqual(m.apps().map((a) => a.name), ['media-one']);
      repo.remove('argocd/a.yaml');
      m.applyChanges(['argocd/a.yaml']);
      assert.deepEqual(m.apps(), []);
      assert.deepEqual(m.appsets(), []);
    });

    it('updates a files-generator app when its file changes', () => {
      repo = makeRepo({
        'argocd/f.yaml': appset('f', `  goTemplate: true\n  generators:\n    - git:\n        repoURL: x\n        revision: HEAD\n        files: [{path: 'envs/*.json'}]\n  template:\n    metadata: {name: '{{.name}}'}\n    spec: {project: default, destination: {server: s, namespace: ns}}`),
        'envs/a.json': '{"name": "first"}',
      });
      const m = new RepositoryModel(repo.root);
      assert.deepEqual(m.apps().map((a) => a.name), ['first']);
      repo.write('envs/a.json', '{"name": "second"}');
      m.applyChanges(['envs/a.json']);
      assert.deepEqual(m.apps().map((a) => a.name), ['second']);
    });

    it('honours a .gitignore change', () => {
      repo = makeRepo({ 'argocd/a.yaml': GEN('media', 'media'), 'media/one/x.yaml': 'a: 1', 'media/two/x.yaml': 'a: 1' });
      const m = new RepositoryModel(repo.root);
      repo.write('.gitignore', 'media/two/\n');
      m.applyChanges(['.gitignore']);
      assert.deepEqual(m.apps().map((a) => a.name), ['media-one']);
    });
  });

  describe('bad input', () => {
    let repo: TempRepo;
    afterEach(() => repo?.cleanup());

    it('reports invalid YAML, binary files, symlink loops and huge files with a location, and keeps going', () => {
      repo = makeRepo({
        'argocd/good.yaml': appset('good', `  goTemplate: true\n  generators:\n    - list: {elements: [{nm: a}]}\n  template:\n    metadata: {name: '{{.nm}}'}\n    spec: {project: default, destination: {server: s, namespace: ns}}`),
        'argocd/broken.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: a: b\nspec: {}\n',
        'argocd/binary.yaml': Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x00, 0xff, 0xfe]),
        'argocd/loop.yaml': { symlink: 'loop.yaml' },
        'argocd/dup.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\n  name: b\nspec: {}\n',
      });
      fs.writeFileSync(`${repo.root}/argocd/huge.yaml`, 'apiVersion: argoproj.io/v1alpha1\nkind: Application\n' + 'x: 1\n'.repeat(700_000));
      const m = new RepositoryModel(repo.root);
      assert.deepEqual(m.apps().map((a) => a.name), ['a']);
      const byRule = (rule: string) => m.problems().filter((p) => p.rule === rule);
      const syntax = byRule('yaml-syntax');
      assert.equal(syntax.length, 1);
      assert.equal(syntax[0]!.file, 'argocd/broken.yaml');
      assert.equal(syntax[0]!.range.start.line, 3);
      assert.equal(byRule('binary-file')[0]?.file, 'argocd/binary.yaml');
      assert.match(byRule('broken-symlink')[0]?.message ?? '', /loop/);
      // kubectl and Argo CD (sigs.k8s.io/yaml) keep the last of repeated keys: a warning, not an error.
      assert.equal(byRule('duplicate-key-last-wins')[0]?.range.start.line, 4);
      assert.equal(byRule('duplicate-key').length, 0);
      assert.equal(byRule('file-too-large')[0]?.file, 'argocd/huge.yaml');
    });

    it('stays bounded on an alias bomb', () => {
      const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
      for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`);
      repo = makeRepo({ 'bomb.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: bomb}\n${lines.join('\n')}\nspec: {}\n` });
      // Bounded by the reader's alias limit, not by luck: the expansion stops and says so.
      const m = new RepositoryModel(repo.root);
      assert.deepEqual(
        m.problems().filter((p) => p.file === 'bomb.yaml').map((p) => `${p.severity} ${p.rule} ${p.message}`),
        ['error yaml-syntax Aliases here expand to more than 1000 copies; the file is not read further.'],
      );
    });
  });
});
