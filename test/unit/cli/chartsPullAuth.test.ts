/**
 * `home-ops charts pull` with the real helm against loopback servers (test/support/chartServers.ts)
 * as users have them: an OCI registry (HTTPS, the distribution API) with a Bearer token challenge
 * answered from the user's registry login, and a Helm repository behind basic auth that the user
 * added to helm with its credentials. Everything helm reads comes from a temporary HELM_* home;
 * the registry's certificate is trusted through SSL_CERT_FILE, as a private CA would be.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../../src/cli/main';
import { NodeChartStore } from '../../../src/core/render';
import { CHART_FIXTURES, packFixtureChart } from '../../support/chartArchive';
import { startHelmRepository, startOciRegistry, type LoopbackServer, type ServedChart, loopbackCertificate } from '../../support/chartServers';
import { makeRepo, type TempRepo } from '../../support/repo';
import { requireTools, toolPath } from '../../support/shared';

const CREDS = { user: 'me', password: 's3cret-pw' };
const BAD_VALUES = 'controllers:\n  main:\n    type: deploymnt\n';
const KUSTOMIZATION = (repo: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nhelmCharts:\n  - name: app-template\n    repo: ${repo}\n    version: 4.6.2\n    valuesFile: values.yaml\n`;

async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('home-ops charts pull with credentials (real helm, loopback OCI registry and Helm repository)', function () {
  this.timeout(60_000);
  let dir: string;
  let tls: { key: Buffer; cert: Buffer };
  let chart: ServedChart;
  let server: LoopbackServer | undefined;
  let repo: TempRepo | undefined;
  let saved: NodeJS.ProcessEnv;
  let cache: string;
  let helmHome: string;

  before(function () {
    requireTools(this, 'helm pull from loopback registries with credentials', 'helm', 'openssl');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-pull-auth-'));
    tls = loopbackCertificate(dir);
    chart = { name: 'app-template', version: '4.6.2', tgz: packFixtureChart(path.join(CHART_FIXTURES, 'app-template')) };
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  beforeEach(() => {
    saved = { ...process.env };
    cache = fs.mkdtempSync(path.join(dir, 'cache-'));
    helmHome = fs.mkdtempSync(path.join(dir, 'helm-'));
    fs.mkdirSync(path.join(helmHome, 'config', 'registry'), { recursive: true });
    Object.assign(process.env, {
      HOME_OPS_CHART_CACHE: cache,
      HOME_OPS_HELM: toolPath('helm') as string,
      HELM_CONFIG_HOME: path.join(helmHome, 'config'),
      HELM_CACHE_HOME: path.join(helmHome, 'cache'),
      HELM_DATA_HOME: path.join(helmHome, 'data'),
      HELM_REPOSITORY_CONFIG: path.join(helmHome, 'config', 'repositories.yaml'),
      HELM_REPOSITORY_CACHE: path.join(helmHome, 'cache', 'repository'),
      HELM_REGISTRY_CONFIG: path.join(helmHome, 'config', 'registry', 'config.json'),
      SSL_CERT_FILE: path.join(dir, 'cert.pem'),
    });
  });
  afterEach(async () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    await server?.close();
    server = undefined;
    repo?.cleanup();
    repo = undefined;
  });

  const login = (host: string) => fs.writeFileSync(process.env['HELM_REGISTRY_CONFIG'] as string, JSON.stringify({ auths: { [host]: { auth: Buffer.from(`${CREDS.user}:${CREDS.password}`).toString('base64') } } }));

  async function pullAndLint(repoUrl: string): Promise<{ pull: Awaited<ReturnType<typeof runCli>>; rules: string[] }> {
    repo = makeRepo({ 'apps/x/kustomization.yaml': KUSTOMIZATION(repoUrl), 'apps/x/values.yaml': BAD_VALUES });
    const pull = await runCli(['charts', 'pull', repo.root]);
    const lint = await runCli(['lint', repo.root, '--format', 'json']);
    return { pull, rules: (JSON.parse(lint.out) as Array<{ rule: string }>).map((p) => p.rule) };
  }

  it('OCI registry with a Bearer token: the registry login gets a token, the chart lands in the cache, lint checks against it', async () => {
    server = await startOciRegistry([chart], tls, { auth: { kind: 'bearer', credentials: CREDS } });
    login(server.host);
    const oci = `oci://${server.host}/charts`;
    const { pull, rules } = await pullAndLint(oci);
    assert.equal(pull.code, 0, pull.err);
    assert.match(pull.err, new RegExp(`pulled oci://${server.host.replace(/\./g, '\\.')}/charts/app-template 4\\.6\\.2`));
    assert.ok(fs.existsSync(new NodeChartStore(cache).pathOf({ repo: oci, name: 'app-template', version: '4.6.2' })));
    assert.deepEqual(rules, ['values-schema']);
    const seen = server.requests.map((r) => `${r.method} ${r.path.replace(/sha256:[0-9a-f]+/, 'sha256:…').replace(/\?.*/, '')} ${r.authorization} ${r.status}`);
    assert.deepEqual(seen.slice(0, 3), ['GET /v2/charts/app-template/manifests/4.6.2 none 401', 'GET /token basic 200', 'GET /v2/charts/app-template/manifests/4.6.2 bearer 200']);
    assert.ok(seen.filter((s) => s.startsWith('GET /v2/charts/app-template/blobs/')).every((s) => s.endsWith('bearer 200')));
  });

  it('OCI registry without a login: pull fails with helm’s message and exit code 1; lint says the chart is missing, with no diagnostic', async () => {
    server = await startOciRegistry([chart], tls, { auth: { kind: 'bearer', credentials: CREDS } });
    const { pull, rules } = await pullAndLint(`oci://${server.host}/charts`);
    assert.equal(pull.code, 1);
    assert.match(pull.err, /could not pull oci:\/\/127\.0\.0\.1:\d+\/charts\/app-template 4\.6\.2: .*(401|unauthorized)/i);
    assert.deepEqual(rules, []);
  });

  it('OCI registry with basic auth', async () => {
    server = await startOciRegistry([chart], tls, { auth: { kind: 'basic', credentials: CREDS } });
    login(server.host);
    const { pull, rules } = await pullAndLint(`oci://${server.host}/charts`);
    assert.equal(pull.code, 0, pull.err);
    assert.deepEqual(rules, ['values-schema']);
    assert.ok(server.requests.some((r) => r.authorization === 'basic' && r.status === 200 && r.path.includes('/blobs/')));
  });

  it('Helm repository with basic auth, added to helm with its credentials: pulled by its helm name, credentials sent', async () => {
    server = await startHelmRepository([chart], { auth: CREDS });
    fs.writeFileSync(process.env['HELM_REPOSITORY_CONFIG'] as string, `apiVersion: ""\ngenerated: "0001-01-01T00:00:00Z"\nrepositories:\n- name: private\n  url: ${server.url}/\n  username: ${CREDS.user}\n  password: ${CREDS.password}\n`);
    const { pull, rules } = await pullAndLint(server.url);
    assert.equal(pull.code, 0, pull.err);
    assert.match(pull.err, /pulled http:\/\/127\.0\.0\.1:\d+\/app-template 4\.6\.2/);
    assert.deepEqual(rules, ['values-schema']);
    assert.ok(server.requests.some((r) => r.path === '/charts/app-template-4.6.2.tgz' && r.authorization === 'basic' && r.status === 200));
    assert.ok(!server.requests.some((r) => r.path.includes(CREDS.password)), 'credentials never travel in a URL');
    assert.ok(!fs.existsSync(process.env['HELM_REPOSITORY_CACHE'] as string), "the repository's index went to a folder of the chart cache's, not into the user's helm cache");
  });

  it('Helm repository with basic auth that helm does not know: fails with helm’s 401, exit code 1', async () => {
    server = await startHelmRepository([chart], { auth: CREDS });
    const { pull, rules } = await pullAndLint(server.url);
    assert.equal(pull.code, 1);
    assert.match(pull.err, /could not pull http:\/\/127\.0\.0\.1:\d+\/app-template 4\.6\.2: .*401 Unauthorized/);
    assert.deepEqual(rules, []);
  });
});
