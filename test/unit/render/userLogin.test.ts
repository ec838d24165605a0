/**
 * Previews of charts behind the user's own helm logins, with the real helm and kustomize against
 * loopback servers (test/support/chartServers.ts): an OCI registry over HTTPS behind a Bearer
 * challenge, logged in to with `helm registry login`, and a Helm repository behind basic auth,
 * added with `helm repo add --username … --password-stdin`. The user's helm lives in a temporary
 * home: HOME and DOCKER_CONFIG point there and every HELM_* and XDG_* variable is unset, for this
 * process and the tools it starts, so helm (by hand and in the render) finds the login where it
 * put it by default. The registry's certificate is trusted through SSL_CERT_FILE, as a private
 * CA would be.
 *
 * What every render here promises: the user's helm files are byte-identical afterwards (nothing
 * written, nothing added), and neither the render cache nor anything the render returns holds a
 * credential.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderApp, RenderError, UNTRUSTED_MESSAGE, type RenderableApp, type RenderResult } from '../../../src/core/render';
import { userHelmFiles } from '../../../src/core/render/helmEnvironment';
import { CHART_FIXTURES, packFixtureChart } from '../../support/chartArchive';
import { startHelmRepository, startOciRegistry, type LoopbackServer, type ServedChart, loopbackCertificate } from '../../support/chartServers';
import { requireTools, TOOL_ENV } from '../../support/shared';
import { realBinaries, tempDir, tool, toolFailure } from './support';

const DEMO = path.resolve(__dirname, '../../fixtures/render/homelab/cluster/charts/demo');
const CREDS = { user: 'me', password: 's3cret-pw' };
/** What must never be written or shown: the password, the basic credentials helm stores, the registry's token. */
const SECRETS = [CREDS.password, Buffer.from(`${CREDS.user}:${CREDS.password}`).toString('base64'), 'loopback-token-1234'];

/** A tool run the way the user runs it, asynchronously: the servers answer from this process. */
function asUser(file: string, args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: { ...process.env, PATH: TOOL_ENV['PATH'], ...options.env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(file)} ${args.join(' ')} failed (${code}): ${err}`))));
    child.stdin.end(options.input ?? '');
  });
}

/** Every file under a folder by content hash: "byte-identical afterwards". */
function fileHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(e.parentPath, e.name);
    if (e.isFile()) out[path.relative(dir, full)] = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    else if (e.isDirectory()) out[`${path.relative(dir, full)}/`] = '(folder)';
  }
  return out;
}

/** The files under `dir` holding one of SECRETS. */
function filesWithSecrets(dir: string): string[] {
  const hits: string[] = [];
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath, e.name);
    const bytes = fs.readFileSync(full);
    if (SECRETS.some((s) => bytes.includes(s))) hits.push(path.relative(dir, full));
  }
  return hits;
}

function assertNoSecret(text: string, what: string): void {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${what} shows no credential`);
}

describe("render: charts behind the user's own helm logins (real helm and kustomize, loopback registry and repository with auth)", function () {
  this.timeout(90_000);
  let certDir: string;
  let tls: { key: Buffer; cert: Buffer };
  let demo: ServedChart;
  let plain: ServedChart;
  const servers: LoopbackServer[] = [];
  let saved: NodeJS.ProcessEnv;
  let home: string;
  let root: string;
  let cacheDir: string;
  const binaries = realBinaries();

  before(function () {
    requireTools(this, "charts pulled with the user's helm logins from loopback servers", 'helm', 'kustomize', 'openssl');
    certDir = tempDir('home-ops-login-cert-');
    tls = loopbackCertificate(certDir);
    demo = { name: 'demo', version: '0.3.1', tgz: packFixtureChart(DEMO) };
    plain = { name: 'plain', version: '1.2.0', tgz: packFixtureChart(path.join(CHART_FIXTURES, 'plain')) };
  });
  after(() => certDir && fs.rmSync(certDir, { recursive: true, force: true }));

  beforeEach(() => {
    saved = { ...process.env };
    home = tempDir('home-ops-login-home-');
    root = tempDir('home-ops-login-repo-');
    cacheDir = tempDir('home-ops-login-cache-');
    for (const k of Object.keys(process.env)) if (/^(HELM_|XDG_)/.test(k)) delete process.env[k];
    Object.assign(process.env, { HOME: home, DOCKER_CONFIG: path.join(home, '.docker'), SSL_CERT_FILE: path.join(certDir, 'cert.pem') });
  });
  afterEach(async () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    await Promise.all(servers.splice(0).map((s) => s.close()));
    for (const d of [home, root, cacheDir]) fs.rmSync(d, { recursive: true, force: true });
  });

  const registry = async () => {
    const s = await startOciRegistry([demo, plain], tls, { auth: { kind: 'bearer', credentials: CREDS } });
    servers.push(s);
    return s;
  };
  const repository = async () => {
    const s = await startHelmRepository([demo, plain], { auth: CREDS });
    servers.push(s);
    return s;
  };
  const helm = (args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}) => asUser(tool('helm'), args, options);
  const login = (host: string) => helm(['registry', 'login', host, '--username', CREDS.user, '--password-stdin'], { input: CREDS.password });
  const addRepository = (name: string, url: string) => helm(['repo', 'add', name, url, '--username', CREDS.user, '--password-stdin'], { input: CREDS.password });

  const render = (app: RenderableApp, trusted = true) => renderApp(app, { root, trusted, cacheDir, binaries, buildOptions: '--enable-helm' });
  const kustomizeApp = (repo: string): RenderableApp => {
    fs.mkdirSync(path.join(root, 'app'), { recursive: true });
    fs.writeFileSync(path.join(root, 'app/kustomization.yaml'), `namespace: demo\nhelmCharts:\n  - name: demo\n    repo: ${repo}\n    version: 0.3.1\n    releaseName: demo\n    valuesFile: values.yaml\n`);
    fs.writeFileSync(path.join(root, 'app/values.yaml'), 'replicas: 3\n');
    return { name: 'app', path: 'app' };
  };
  const chartApp = (repoURL: string): RenderableApp => ({ name: 'demo', destinationNamespace: 'demo', manifest: { spec: { source: { repoURL, chart: 'demo', targetRevision: '0.3.1' } } } });

  /** The one-line failure of a render, checked for what every failure promises, with no credential shown. */
  const failure = async (app: RenderableApp): Promise<RenderError> => {
    const caught = await toolFailure(render(app));
    assert.equal(caught.details.cause, 'auth', `${caught.message}\n${caught.details.stderr ?? ''}`);
    assert.match(caught.message, /authentication required/);
    assert.equal(caught.details.location, undefined, 'a login missing on this machine is no mistake in the file');
    assertNoSecret(`${caught.message}\n${caught.details.stderr ?? ''}\n${caught.details.command ?? ''}`, 'the failure');
    return caught;
  };

  /** The user's helm (config, cache, data) and Docker folders, byte for byte. */
  const userFiles = () => fileHashes(home);

  /** What a successful render promises about credentials: none in the cache, the repository or what it returns. */
  const assertNothingLeaked = (r: RenderResult) => {
    assert.deepEqual(filesWithSecrets(cacheDir), [], 'the render cache holds no credential');
    assert.deepEqual(filesWithSecrets(root), [], 'the repository holds no credential');
    assertNoSecret(`${r.manifests}\n${r.command}\n${r.warnings.join('\n')}`, 'the preview');
  };

  it('finds the login where helm itself looks (pkg/helmpath): HELM_* variables, then XDG_CONFIG_HOME, then the platform folder', () => {
    assert.deepEqual(userHelmFiles({ HOME: '/home/u' }, 'linux'), { registryConfig: '/home/u/.config/helm/registry/config.json', repositoryConfig: '/home/u/.config/helm/repositories.yaml' });
    assert.deepEqual(userHelmFiles({ HOME: '/Users/u' }, 'darwin'), { registryConfig: '/Users/u/Library/Preferences/helm/registry/config.json', repositoryConfig: '/Users/u/Library/Preferences/helm/repositories.yaml' });
    assert.deepEqual(userHelmFiles({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32'), { registryConfig: 'C:\\Users\\u\\AppData\\Roaming\\helm\\registry\\config.json', repositoryConfig: 'C:\\Users\\u\\AppData\\Roaming\\helm\\repositories.yaml' });
    assert.deepEqual(userHelmFiles({ HOME: '/Users/u', XDG_CONFIG_HOME: '/x' }, 'darwin'), { registryConfig: '/x/helm/registry/config.json', repositoryConfig: '/x/helm/repositories.yaml' });
    assert.deepEqual(userHelmFiles({ HOME: '/home/u', XDG_CONFIG_HOME: '/x', HELM_CONFIG_HOME: '/h' }, 'linux'), { registryConfig: '/h/registry/config.json', repositoryConfig: '/h/repositories.yaml' });
    assert.deepEqual(userHelmFiles({ HOME: '/home/u', HELM_CONFIG_HOME: '/h', HELM_REGISTRY_CONFIG: '/r.json', HELM_REPOSITORY_CONFIG: '/r.yaml' }, 'linux'), { registryConfig: '/r.json', repositoryConfig: '/r.yaml' });
    // What the real helm says for the temporary home of these tests.
    const env = spawnSync(tool('helm'), ['env'], { env: { ...process.env, PATH: TOOL_ENV['PATH'] }, encoding: 'utf8' }).stdout;
    const said = (name: string) => new RegExp(`^${name}="(.*)"$`, 'm').exec(env)?.[1];
    assert.deepEqual(userHelmFiles(), { registryConfig: said('HELM_REGISTRY_CONFIG'), repositoryConfig: said('HELM_REPOSITORY_CONFIG') });
  });

  it('kustomize helmCharts from an OCI registry: "authentication required" without a login; after `helm registry login`, what kustomize gives with that login', async () => {
    const server = await registry();
    const repo = `oci://${server.host}/charts`;
    const app = kustomizeApp(repo);
    const e = await failure(app);
    assert.match(e.message, new RegExp(`^kustomize: chart demo 0\\.3\\.1 from ${repo.replace(/\./g, '\\.')}: authentication required`));

    await login(server.host);
    const before = userFiles();
    const r = await render(app);
    assert.deepEqual(userFiles(), before, "the user's helm files are untouched");
    assertNothingLeaked(r);
    assert.deepEqual(r.objects.map((o) => `${o.kind}/${o.namespace ?? ''}/${o.name}`), ['Service/demo/demo', 'Deployment/demo/demo']);
    assert.match(r.manifests, /replicas: 3\b/);
    assert.ok(server.requests.some((q) => q.path === '/v2/charts/demo/manifests/0.3.1' && q.authorization === 'bearer' && q.status === 200), 'the chart was fetched with the token the login got');

    // kustomize by hand: it gives helm a HELM_CONFIG_HOME of its own, so `helm registry login`
    // reaches it only through HELM_REGISTRY_CONFIG — and then the output is the preview's.
    const byHand = tempDir('home-ops-login-hand-');
    try {
      fs.cpSync(path.join(root, 'app'), byHand, { recursive: true });
      const build = (env: NodeJS.ProcessEnv = {}) => asUser(tool('kustomize'), ['build', '.', '--enable-helm', '--helm-command', tool('helm')], { cwd: byHand, env });
      await assert.rejects(build(), /401|unauthorized/i);
      fs.rmSync(path.join(byHand, 'charts'), { recursive: true, force: true });
      assert.equal(r.manifests, await build({ HELM_REGISTRY_CONFIG: path.join(home, '.config/helm/registry/config.json') }));
    } finally {
      fs.rmSync(byHand, { recursive: true, force: true });
    }
  });

  it('kustomize helmCharts from a Helm repository behind basic auth: kustomize cannot send credentials, and the one line says so when the user has them', async () => {
    const server = await repository();
    const app = kustomizeApp(server.url);
    const anonymous = await failure(app);
    assert.equal(anonymous.message, `kustomize: chart demo 0.3.1 from ${server.url}: authentication required: ${server.url}/index.yaml answered 401 Unauthorized`);

    await addRepository('private', server.url);
    const before = userFiles();
    const e = await failure(app);
    assert.equal(e.message, `kustomize: chart demo 0.3.1 from ${server.url}: authentication required; kustomize cannot pass helm the credentials your helm repository "private" has for it`);
    assert.deepEqual(userFiles(), before, "the user's helm files are untouched");
    assert.deepEqual(filesWithSecrets(cacheDir), []);
    // Only `helm repo add` sent them; kustomize's helm pull --repo never does.
    const sentBy = server.requests.filter((q) => q.authorization === 'basic');
    assert.deepEqual(sentBy.map((q) => `${q.path} ${q.status}`), ['/index.yaml 200']);
  });

  it("an Application's chart from a Helm repository the user added with credentials: pulled through that entry, the same as helm by hand; without it, authentication required", async () => {
    const server = await repository();
    const app = chartApp(server.url);
    const e = await failure(app);
    assert.match(e.message, new RegExp(`^helm pull of ${server.url.replace(/\./g, '\\.')} demo 0\\.3\\.1: .*authentication required`));

    await addRepository('private', server.url);
    const requests = server.requests.length;
    await assert.rejects(render(app, false), (u: RenderError) => u.message === UNTRUSTED_MESSAGE);
    assert.equal(server.requests.length, requests, 'an untrusted workspace runs nothing, logged in or not');

    const before = userFiles();
    const r = await render(app);
    assert.deepEqual(userFiles(), before, "the user's helm files are untouched (its index cache too)");
    assertNothingLeaked(r);
    assert.match(r.command, /^\S*helm repo update private --fail-on-repo-update-fail && \S*helm pull private\/demo --version 0\.3\.1 --untar --untardir \S+ && \S*helm template \. --name-template demo --namespace demo --include-crds \(chart /);
    assert.ok(server.requests.some((q) => q.path === '/charts/demo-0.3.1.tgz' && q.authorization === 'basic' && q.status === 200));
    assert.ok(!fs.existsSync(path.join(cacheDir, 'helm/config/repositories.yaml')), "nothing was added to Home-Ops' own helm either");

    const byHand = tempDir('home-ops-login-hand-');
    try {
      await helm(['pull', 'private/demo', '--version', '0.3.1', '--untar', '--untardir', byHand]);
      assert.equal(r.manifests, await helm(['template', '.', '--name-template', 'demo', '--namespace', 'demo', '--include-crds'], { cwd: path.join(byHand, 'demo') }));
    } finally {
      fs.rmSync(byHand, { recursive: true, force: true });
    }
  });

  it("an Application's chart from an OCI registry: pulled with the user's registry login, the same as helm by hand; without it, authentication required", async () => {
    const server = await registry();
    const app = chartApp(`oci://${server.host}/charts`);
    await failure(app);

    await login(server.host);
    const before = userFiles();
    const r = await render(app);
    assert.deepEqual(userFiles(), before, "the user's helm files are untouched");
    assertNothingLeaked(r);
    const byHand = tempDir('home-ops-login-hand-');
    try {
      await helm(['pull', `oci://${server.host}/charts/demo`, '--version', '0.3.1', '--untar', '--untardir', byHand]);
      assert.equal(r.manifests, await helm(['template', '.', '--name-template', 'demo', '--namespace', 'demo', '--include-crds'], { cwd: path.join(byHand, 'demo') }));
    } finally {
      fs.rmSync(byHand, { recursive: true, force: true });
    }
  });

  it("Chart.yaml dependencies in the private Helm repository and the private OCI registry: built with the user's logins, the same as helm by hand; a repository of the user's that is gone does not matter", async () => {
    const oci = await registry();
    const repo = await repository();
    fs.mkdirSync(path.join(root, 'umbrella'));
    fs.writeFileSync(path.join(root, 'umbrella/Chart.yaml'), `apiVersion: v2\nname: umbrella\nversion: 1.0.0\ndependencies:\n  - name: demo\n    version: 0.3.1\n    repository: ${repo.url}\n  - name: plain\n    version: 1.2.0\n    repository: oci://${oci.host}/charts\n`);
    fs.writeFileSync(path.join(root, 'umbrella/values.yaml'), 'demo:\n  replicas: 2\nplain:\n  replicaCount: 4\n');
    const app: RenderableApp = { name: 'umbrella', path: 'umbrella', namespace: 'demo' };
    const e = await failure(app);
    assert.match(e.message, /^helm dependency build: /);

    // A repository the user added once and that has gone away since (its index stays in their cache).
    const gone = await startHelmRepository([demo]);
    await helm(['repo', 'add', 'gone', gone.url]);
    await gone.close();
    await login(oci.host);
    const stillAnonymous = await failure(app);
    assert.match(stillAnonymous.message, new RegExp(`^helm dependency build: repository ${repo.url.replace(/\./g, '\\.')}: authentication required`));
    await addRepository('private', repo.url);

    const before = userFiles();
    const r = await render(app);
    assert.deepEqual(userFiles(), before, "the user's helm files are untouched");
    assertNothingLeaked(r);
    assert.deepEqual(r.objects.map((o) => `${o.kind}/${o.namespace ?? ''}/${o.name}`), ['CustomResourceDefinition//widgets.demo.example.org', 'Service/demo/umbrella-demo', 'Deployment/demo/umbrella-demo', 'Deployment//umbrella']);
    assert.match(r.command, /helm repo update private --fail-on-repo-update-fail && \S*helm dependency build --skip-refresh && /);
    assert.deepEqual(fs.readdirSync(path.join(root, 'umbrella')).sort(), ['Chart.yaml', 'values.yaml'], 'nothing written into the repository');

    const byHand = tempDir('home-ops-login-hand-');
    try {
      fs.cpSync(path.join(root, 'umbrella'), byHand, { recursive: true });
      await helm(['dependency', 'build', '--skip-refresh'], { cwd: byHand });
      assert.equal(r.manifests, await helm(['template', '.', '--name-template', 'umbrella', '--namespace', 'demo', '--include-crds'], { cwd: byHand }));
    } finally {
      fs.rmSync(byHand, { recursive: true, force: true });
    }
  });
});
