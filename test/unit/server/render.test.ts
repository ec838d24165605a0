/**
 * The language server's render requests against hostile tools and repositories: every request
 * is answered, with an error that says what happened.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { LspClient, SERVER } from '../../support/lspClient';
import { makeRepo, type TempRepo } from '../../support/repo';
import * as path from 'node:path';
import { hostileBuildOptionsFixture, ONE_APP, pipeHoldingTool, tempDir, TOOL_ENV } from '../render/support';
import { requireTools, toolPath } from '../../support/shared';
import type { CheckToolsResult, RenderResponse } from '../../../src/shared/protocol';

describe('language server over stdio: render requests', function () {
  this.timeout(30000);
  let repo: TempRepo;
  let dir: string;
  let client: LspClient | undefined;
  before(() => assert.ok(fs.existsSync(SERVER), 'dist/server.js is built by `npm test` before the unit tests'));
  beforeEach(() => {
    repo = makeRepo(ONE_APP);
    dir = tempDir('home-ops-server-render-');
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    repo.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers homeOps/render with a timeout error when a descendant of kustomize keeps the pipes open', async function () {
    requireTools(this, 'a stand-in tool whose descendant leaves the process group', 'setsid');
    const fake = pipeHoldingTool(dir);
    try {
      client = new LspClient(repo.root, { settings: { render: { kustomizePath: fake.file, timeoutSeconds: 2 } } });
      await client.initialize({ trusted: true, cacheDir: dir });
      const started = Date.now();
      const answer = client.connection.sendRequest('homeOps/render', { root: repo.root, app: 'one' });
      const unanswered = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('homeOps/render unanswered after 15 s')), 15000));
      await assert.rejects(Promise.race([answer, unanswered]), (e: Error & { data?: { kind?: string } }) => {
        assert.match(e.message, /timed out after 2 s/);
        assert.equal(e.data?.kind, 'timeout');
        return true;
      });
      assert.ok(Date.now() - started < 10000, `answered after ${Date.now() - started} ms`);
    } finally {
      fake.cleanup();
    }
  });

  it('answers homeOps/render with the problems of the rendered objects, each at its line of the manifests', async function () {
    requireTools(this, 'a kustomize render through the language server', 'kustomize');
    repo.write('app/kustomization.yaml', 'resources:\n  - objects.yaml\n');
    repo.write('app/objects.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n---\napiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: web\n');
    client = new LspClient(repo.root, { settings: { render: { kustomizePath: toolPath('kustomize') as string } } });
    await client.initialize({ trusted: true, cacheDir: dir });
    const r = await client.connection.sendRequest<RenderResponse>('homeOps/render', { root: repo.root, app: 'one' });
    assert.deepEqual(
      r.objectProblems?.map((p) => ({ ...p, message: p.message.split(':')[0] })),
      [{ object: 'Deploymnet/web', severity: 'error', rule: 'rendered-object-invalid', message: 'no matches for kind "Deploymnet" in version "apps/v1"', line: r.manifests.split('\n').indexOf('kind: Deploymnet') - 1 }],
    );
    assert.equal(r.manifests.split('\n')[r.objectProblems?.[0]?.line ?? -1], 'apiVersion: apps/v1');
  });
});

describe('language server over stdio: build options the repository chooses', function () {
  this.timeout(60000);
  let root: string;
  let cm: string;
  let dir: string;
  let marker: string;
  let client: LspClient | undefined;
  before(function () {
    assert.ok(fs.existsSync(SERVER), 'dist/server.js is built by `npm test` before the unit tests');
    requireTools(this, 'language server: build options the repository chooses', 'helm', 'kustomize');
  });
  beforeEach(() => {
    dir = tempDir('home-ops-server-options-');
    marker = path.join(dir, 'pwned');
    ({ root, cm } = hostileBuildOptionsFixture(marker));
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = async (settings: Record<string, unknown>) => {
    client = new LspClient(root, { env: TOOL_ENV, settings });
    await client.initialize({ trusted: true, cacheDir: dir });
    return client;
  };
  const renderJellyfin = (c: LspClient) => c.connection.sendRequest<{ manifests: string; command: string; buildOptionsRefused?: string }>('homeOps/render', { root, app: 'media-jellyfin' });

  it('homeOps/render leaves `--helm-command ./pwn.sh` out and says so; the argocd-cm line gets build-option-refused', async () => {
    const c = await start({});
    const diagnostics = await c.waitForDiagnostics(cm, (d) => d.some((x) => x.code === 'build-option-refused'));
    const d = diagnostics.find((x) => x.code === 'build-option-refused');
    assert.equal(d?.range.start.line, 6);
    assert.match(d?.message ?? '', /--helm-command \.\/pwn\.sh .*homeOps\.render\.allowedBuildOptions/);
    const r = await renderJellyfin(c);
    assert.equal(fs.existsSync(marker), false, "the repository's script ran");
    assert.match(r.buildOptionsRefused ?? '', /^Build options from cluster\/bootstrap\/argocd-cm\.yaml:7 not used: --helm-command \.\/pwn\.sh .*homeOps\.render\.allowedBuildOptions/);
    assert.match(r.manifests, /^kind: HTTPRoute$/m);
    assert.doesNotMatch(r.command, /pwn/);
  });

  it('with "--helm-command" in homeOps.render.allowedBuildOptions the repository\'s command is used, and nothing is reported', async () => {
    const c = await start({ render: { allowedBuildOptions: ['--helm-command'] } });
    await c.connection.sendRequest('homeOps/model');
    const r = await renderJellyfin(c);
    assert.equal(fs.existsSync(marker), true, "the allowed helm command did not run");
    assert.equal(r.buildOptionsRefused, undefined);
    assert.ok(!(c.diagnostics.get(c.uri(cm)) ?? []).some((x) => x.code === 'build-option-refused'));
  });
});

describe('language server over stdio: Check Tools and the tool-version note', function () {
  this.timeout(60000);
  let repo: TempRepo;
  let dir: string;
  let client: LspClient | undefined;
  before(function () {
    assert.ok(fs.existsSync(SERVER), 'dist/server.js is built by `npm test` before the unit tests');
    requireTools(this, 'Check Tools against kubectl kustomize', 'kubectl');
  });
  beforeEach(() => {
    // The repository installs Argo CD 3.3 (argo-cd chart 9.4.x), whose kustomize is 5.8.1.
    repo = makeRepo({ ...ONE_APP, 'bootstrap/kustomization.yaml': 'helmCharts:\n  - name: argo-cd\n    version: 9.4.2\n    repo: https://argoproj.github.io/argo-helm\n    releaseName: argocd\n' });
    dir = tempDir('home-ops-server-tools-');
    // Only kubectl (kustomize v5.5 inside): no tools cache, no kustomize.
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.symlinkSync(toolPath('kubectl') as string, path.join(dir, 'bin/kubectl'));
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    repo.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const start = async (trusted: boolean) => {
    client = new LspClient(repo.root, { env: { ...process.env, PATH: path.join(dir, 'bin'), HOME_OPS_CACHE: path.join(dir, 'cache') } });
    await client.initialize({ trusted, cacheDir: path.join(dir, 'storage') });
    return client;
  };

  it('homeOps/checkTools lists the binaries, how they were found, and what Argo CD ships', async () => {
    const c = await start(true);
    const [r] = await c.connection.sendRequest<CheckToolsResult[]>('homeOps/checkTools');
    assert.equal(r?.root, repo.root);
    const kustomize = r?.report.tools.find((t) => t.name === 'kustomize');
    assert.equal(kustomize?.via, 'kubectl');
    assert.match(kustomize?.version ?? '', /^kubectl v5\./);
    assert.match(r?.report.tools.find((t) => t.name === 'helm')?.problem ?? '', new RegExp(`^helm was not found \\(not in ${dir}/cache/tools/bin, not on PATH\\)`));
    assert.equal(r?.report.expected?.kustomize, '5.8.1');
    assert.match(r?.lines.join('\n') ?? '', /Argo CD 3\.3 \(9\.4\.2, bootstrap\/kustomization\.yaml:3\) ships kustomize 5\.8\.1 and helm 3\.19\.4/);
    assert.match(r?.report.note ?? '', /kustomize 5\.8\.1 \(here 5\.\d+\.\d+\)\. What can differ: from kustomize 5\.8 a kustomization's namespace is not applied to helmCharts objects/);
  });

  it('the note comes with the first render only; untrusted, Check Tools runs nothing', async () => {
    const c = await start(true);
    const render = () => c.connection.sendRequest<{ toolsNote?: string; command: string }>('homeOps/render', { root: repo.root, app: 'one' });
    const first = await render();
    assert.match(first.command, /kubectl kustomize \./);
    assert.match(first.toolsNote ?? '', /^Argo CD 3\.3 .* renders with kustomize 5\.8\.1 \(here 5\./);
    assert.equal((await render()).toolsNote, undefined, 'said once');
    await c.close();
    const u = await start(false);
    await assert.rejects(u.connection.sendRequest('homeOps/checkTools'), (e: Error & { data?: { kind?: string } }) => e.data?.kind === 'untrusted');
  });
});
