import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { LspClient, SERVER } from '../../support/lspClient';
import { appset, makeRepo, type TempRepo } from '../../support/repo';
import { ClientNotifications } from '../../../src/shared/protocol';

const APPSET = (nameTemplate: string) =>
  appset(
    'media',
    `  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - git:
        repoURL: https://example.com/repo.git
        revision: HEAD
        directories:
          - path: apps/media/*
  template:
    metadata:
      name: '${nameTemplate}'
    spec:
      project: default
      source: {repoURL: https://example.com/repo.git, path: '{{.path.path}}'}
      destination: {server: https://kubernetes.default.svc, namespace: media}`,
  );

describe('language server over stdio: diagnostics', function () {
  let repo: TempRepo;
  let client: LspClient;
  before(() => assert.ok(fs.existsSync(SERVER), 'dist/server.js is built by `npm test` before the unit tests'));
  afterEach(async () => {
    await client?.close();
    repo?.cleanup();
  });

  it('publishes a template error with its exact range while typing, and clears it when fixed', async () => {
    repo = makeRepo({ 'argocd/media.yaml': APPSET('media-{{.path.basename}}'), 'apps/media/jellyfin/kustomization.yaml': 'resources: []\n' });
    client = new LspClient(repo.root);
    await client.initialize();
    const broken = APPSET('media-{{index .path.segments 5}}');
    await client.open('argocd/media.yaml', broken);
    const diags = await client.waitForDiagnostics('argocd/media.yaml', (d) => d.some((x) => x.code === 'template-error'));
    const d = diags.find((x) => x.code === 'template-error')!;
    assert.equal(d.severity, 1);
    assert.equal(d.source, 'home-ops');
    assert.match(d.message, /^For apps\/media\/jellyfin: at <index \.path\.segments 5>: error calling index: index out of range: 5$/);
    const line = broken.split('\n')[d.range.start.line]!;
    const underlined = line.slice(d.range.start.character, d.range.end.character);
    assert.ok(underlined.length > 0 && '{{index .path.segments 5}}'.includes(underlined), `underlines part of the failing action, not "${underlined}"`);
    await client.change('argocd/media.yaml', APPSET('media-{{.path.basename}}'));
    await client.waitForDiagnostics('argocd/media.yaml', (x) => x.length === 0);
  });

  it('re-validates a kustomization when the file it names appears on disk', async () => {
    repo = makeRepo({ 'app/kustomization.yaml': 'resources:\n  - deployment.yaml\n' });
    client = new LspClient(repo.root);
    await client.initialize();
    const missing = await client.waitForDiagnostics('app/kustomization.yaml', (d) => d.some((x) => x.code === 'kustomize-missing-path'));
    assert.equal(missing[0]!.range.start.line, 1);
    repo.write('app/deployment.yaml', 'kind: Deployment\n');
    await client.filesChanged(['app/deployment.yaml']);
    await client.waitForDiagnostics('app/kustomization.yaml', (d) => d.length === 0);
  });

  it('re-validates a kustomization edited on disk (no cached text outlives the change)', async () => {
    repo = makeRepo({ 'app/kustomization.yaml': 'resources:\n  - deployment.yaml\n', 'app/deployment.yaml': 'kind: Deployment\n' });
    client = new LspClient(repo.root);
    await client.initialize();
    repo.write('app/kustomization.yaml', 'resources:\n  - deployment.yaml\n  - service.yaml\n');
    await client.filesChanged(['app/kustomization.yaml']);
    const d = await client.waitForDiagnostics('app/kustomization.yaml', (x) => x.some((y) => y.code === 'kustomize-missing-path'));
    assert.equal(d.find((y) => y.code === 'kustomize-missing-path')!.range.start.line, 2);
  });

  describe('schema checks and Red Hat YAML', () => {
    // `chartVersion` is no helmCharts field: a schema error, on line 6.
    const MODELINE = '# yaml-language-server: $schema=https://json.schemastore.org/kustomization.json\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nhelmCharts:\n  - name: app\n    repo: https://charts.example.com\n    chartVersion: 1.0.0\n';
    // A second file without a modeline has a diagnostic in every mode: once it is published, the
    // modeline file's diagnostics of the same lint run are known too.
    const PLAIN = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - missing.yaml\n';
    const schemaOn = (d: Array<{ code?: unknown; range: { start: { line: number } } }>) => d.filter((x) => x.code === 'schema').map((x) => x.range.start.line);
    const settled = async () => client.waitForDiagnostics('plain/kustomization.yaml', (d) => d.some((x) => x.code === 'kustomize-missing-path'));

    it('leaves files with a modeline to Red Hat YAML while the client says it validates, and checks them once it stops', async () => {
      repo = makeRepo({ 'app/kustomization.yaml': MODELINE, 'plain/kustomization.yaml': PLAIN });
      client = new LspClient(repo.root);
      await client.initialize({ redHatYaml: true });
      await settled();
      assert.deepEqual(schemaOn(client.diagnostics.get(client.uri('app/kustomization.yaml')) ?? []), []);
      await client.connection.sendNotification(ClientNotifications.redHatYaml, { active: false });
      const d = await client.waitForDiagnostics('app/kustomization.yaml', (x) => schemaOn(x).length > 0);
      assert.deepEqual(schemaOn(d), [6]);
      await client.connection.sendNotification(ClientNotifications.redHatYaml, { active: true });
      await client.waitForDiagnostics('app/kustomization.yaml', (x) => schemaOn(x).length === 0);
    });

    it('checks files with a modeline for a client that says nothing about Red Hat YAML (another editor)', async () => {
      repo = makeRepo({ 'app/kustomization.yaml': MODELINE, 'plain/kustomization.yaml': PLAIN });
      client = new LspClient(repo.root);
      await client.initialize();
      const d = await client.waitForDiagnostics('app/kustomization.yaml', (x) => schemaOn(x).length > 0);
      assert.deepEqual(schemaOn(d), [6]);
    });
  });

  it('re-validates an appset when a new app directory is created', async () => {
    repo = makeRepo({ 'argocd/media.yaml': APPSET('media-{{.path.basename}}'), 'apps/media/jellyfin/kustomization.yaml': 'resources: []\n' });
    client = new LspClient(repo.root);
    await client.initialize();
    await client.open('argocd/media.yaml', APPSET('{{.path.basename}}'));
    repo.write('apps/media/Bad_Name/kustomization.yaml', 'resources: []\n');
    await client.filesChanged(['apps/media/Bad_Name']);
    // The open buffer names apps `{{.path.basename}}`, not the file on disk's `media-…`; the
    // server may publish the disk's view first if the folder is read before the buffer arrives.
    const expected = /^For apps\/media\/Bad_Name: "Bad_Name" is not a valid Application name/;
    const d = await client.waitForDiagnostics('argocd/media.yaml', (x) => x.some((y) => y.code === 'invalid-app-name' && expected.test(y.message)));
    assert.equal(d.filter((y) => y.code === 'invalid-app-name').length, 1);
  });
});
