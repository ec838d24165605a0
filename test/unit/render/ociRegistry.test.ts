/**
 * Charts from an OCI registry rendered with the real helm and kustomize against a loopback
 * registry (test/support/chartServers.ts: HTTPS with a self-signed certificate, the distribution
 * API, optionally behind a Bearer challenge). helm talks TLS to a registry unless told
 * `--plain-http`, which kustomize cannot pass it; the certificate is trusted the way a user trusts
 * a private CA, through SSL_CERT_FILE in the environment the render inherits (process.env), not
 * through an option of the render.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { renderApp, RenderError, type RenderableApp } from '../../../src/core/render';
import { packFixtureChart } from '../../support/chartArchive';
import { startOciRegistry, type LoopbackServer, type ServedChart, loopbackCertificate } from '../../support/chartServers';
import { requireTools, TOOL_ENV } from '../../support/shared';
import { realBinaries, tempDir, tool, toolFailure } from './support';

const DEMO = path.resolve(__dirname, '../../fixtures/render/homelab/cluster/charts/demo');

/** Every file under a folder with its content, to show a render wrote nothing there. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(e.parentPath, e.name);
    out[path.relative(dir, full)] = e.isFile() ? fs.readFileSync(full, 'utf8') : '(folder)';
  }
  return out;
}

describe('render: charts from a loopback OCI registry (real helm and kustomize, HTTPS)', function () {
  this.timeout(60_000);
  let certDir: string;
  let tls: { key: Buffer; cert: Buffer };
  let chart: ServedChart;
  let server: LoopbackServer | undefined;
  let root: string;
  let cacheDir: string;
  let savedCertFile: string | undefined;
  const binaries = realBinaries();

  before(function () {
    requireTools(this, 'charts pulled by helm and kustomize from a loopback OCI registry', 'helm', 'kustomize', 'openssl');
    certDir = tempDir('home-ops-oci-cert-');
    tls = loopbackCertificate(certDir);
    chart = { name: 'demo', version: '0.3.1', tgz: packFixtureChart(DEMO) };
  });
  after(() => certDir && fs.rmSync(certDir, { recursive: true, force: true }));

  beforeEach(() => {
    root = tempDir('home-ops-render-oci-');
    cacheDir = tempDir();
    // The user's environment, as the CLI or the language server inherits it.
    savedCertFile = process.env['SSL_CERT_FILE'];
    process.env['SSL_CERT_FILE'] = path.join(certDir, 'cert.pem');
  });
  afterEach(async () => {
    if (savedCertFile === undefined) delete process.env['SSL_CERT_FILE'];
    else process.env['SSL_CERT_FILE'] = savedCertFile;
    await server?.close();
    server = undefined;
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  const KUSTOMIZATION = (repo: string, version: string) => `namespace: demo\nhelmCharts:\n  - name: demo\n    repo: ${repo}\n    version: ${version}\n    releaseName: demo\n    valuesFile: values.yaml\n`;
  const kustomizeApp = (repo: string, version = '0.3.1'): RenderableApp => {
    fs.mkdirSync(path.join(root, 'app'), { recursive: true });
    fs.writeFileSync(path.join(root, 'app/kustomization.yaml'), KUSTOMIZATION(repo, version));
    fs.writeFileSync(path.join(root, 'app/values.yaml'), 'replicas: 3\n');
    return { name: 'app', path: 'app' };
  };
  const render = (app: RenderableApp) => renderApp(app, { root, trusted: true, cacheDir, binaries, buildOptions: '--enable-helm' });

  /** The failure a render rejects with, checked for what every failure promises. */
  const failure = async (app: RenderableApp): Promise<RenderError> => {
    const e = await toolFailure(render(app));
    assert.doesNotMatch(e.message, /is 'helm' installed/);
    const stderr = e.details.stderr ?? '';
    assert.ok(stderr.length > e.message.length / 2, 'the full output is kept beside it');
    assert.ok(!stderr.includes(e.message), 'the summary is not repeated inside the kept output');
    return e;
  };

  it('kustomize helmCharts with an oci:// repo: the same output as kustomize build by hand, nothing written into the repository', async () => {
    server = await startOciRegistry([chart], tls);
    const repo = `oci://${server.host}/charts`;
    const app = kustomizeApp(repo);
    const before = snapshot(root);
    const r = await render(app);
    assert.deepEqual(snapshot(root), before, 'the chart kustomize pulled stays out of the repository');
    // The same build by hand, in a copy, with the same environment (SSL_CERT_FILE included).
    const byHand = tempDir('home-ops-render-oci-hand-');
    try {
      fs.cpSync(path.join(root, 'app'), byHand, { recursive: true });
      // Asynchronously: the registry answers from this process.
      const k = await promisify(execFile)(tool('kustomize'), ['build', '.', '--enable-helm', '--helm-command', tool('helm')], { cwd: byHand, env: { ...process.env, PATH: TOOL_ENV['PATH'] }, encoding: 'utf8' });
      assert.equal(r.manifests, k.stdout);
    } finally {
      fs.rmSync(byHand, { recursive: true, force: true });
    }
    assert.deepEqual(r.objects.map((o) => `${o.kind}/${o.namespace ?? ''}/${o.name}`), ['Service/demo/demo', 'Deployment/demo/demo']);
    assert.match(r.manifests, /replicas: 3\b/, 'the values file was applied');
    assert.ok(server.requests.some((q) => q.path === '/v2/charts/demo/manifests/0.3.1' && q.status === 200), 'helm fetched the manifest by tag from the registry');
  });

  it('an Argo CD Application with chart + oci:// repoURL: pulled from the registry, templated like the same chart in the repository', async () => {
    server = await startOciRegistry([chart], tls);
    fs.cpSync(DEMO, path.join(root, 'charts/demo'), { recursive: true });
    const before = snapshot(root);
    const helm = { valuesObject: { replicas: 2 } };
    const remote = await render({ name: 'demo', destinationNamespace: 'demo', manifest: { spec: { source: { repoURL: `oci://${server.host}/charts`, chart: 'demo', targetRevision: '0.3.1', helm } } } });
    const local = await render({ name: 'demo', destinationNamespace: 'demo', path: 'charts/demo', manifest: { spec: { source: { repoURL: 'https://git.example/repo', path: 'charts/demo', helm } } } });
    assert.deepEqual(snapshot(root), before);
    assert.equal(remote.manifests.replace(/^# Source: .*\n/gm, ''), local.manifests.replace(/^# Source: .*\n/gm, ''));
    assert.ok(remote.objects.some((o) => o.kind === 'Deployment' && /replicas: 2\b/.test(o.yaml)));
    assert.match(remote.command, new RegExp(`helm pull oci://${server.host.replace(/\./g, '\\.')}/charts/demo --version 0\\.3\\.1`));
  });

  it('a registry answering 401 without credentials: one line saying authentication is required, on no line of the kustomization', async () => {
    server = await startOciRegistry([chart], tls, { auth: { kind: 'bearer', credentials: { user: 'me', password: 's3cret-pw' } } });
    const e = await failure(kustomizeApp(`oci://${server.host}/charts`));
    assert.equal(e.details.cause, 'auth', `${e.message}\n${e.details.stderr ?? ''}`);
    assert.match(e.message, new RegExp(`^kustomize: chart demo 0\\.3\\.1 from oci://${server.host.replace(/\./g, '\\.')}/charts: authentication required`));
    assert.equal(e.details.location, undefined, 'a registry wanting credentials is no mistake in the file');
    assert.match(e.details.stderr ?? '', /401|unauthorized/i);
    assert.ok(server.requests.some((q) => q.status === 401));
  });

  it('a version the registry does not have: one line saying it is not found, on the version line', async () => {
    server = await startOciRegistry([chart], tls);
    const e = await failure(kustomizeApp(`oci://${server.host}/charts`, '9.9.9'));
    assert.equal(e.details.cause, 'not-found');
    assert.match(e.message, new RegExp(`^kustomize: chart demo 9\\.9\\.9 from oci://${server.host.replace(/\./g, '\\.')}/charts: not found in the registry`));
    assert.deepEqual(e.details.location, { file: 'app/kustomization.yaml', line: 4, column: 13, endColumn: 18 });
    assert.ok(server.requests.some((q) => q.path === '/v2/charts/demo/manifests/9.9.9' && q.status === 404));
  });
});
