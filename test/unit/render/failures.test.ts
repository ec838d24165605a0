import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderApp, RenderError, type RenderableApp } from '../../../src/core/render';
import { requireTools } from '../../support/shared';
import { chartRepository, closedPort, type ChartRepository } from './chartRepository';
import { countingRunner, direct, realBinaries, tempDir, tool, toolFailure } from './support';

/**
 * Remote charts from a Helm repository on loopback, through kustomize's helmCharts and through a
 * Chart.yaml dependency, and what a failure says: one line naming the cause, the tool's full
 * output once beside it, and a place in the user's files only when the cause is there.
 */
describe('render: remote charts and one-line failures', function () {
  this.timeout(60000);
  let repo: ChartRepository;
  let root: string;
  let cacheDir: string;
  const binaries = realBinaries();
  const DEMO = path.resolve(__dirname, '../../fixtures/render/homelab/cluster/charts/demo');

  before(async function () {
    requireTools(this, 'remote charts pulled by helm and kustomize from a loopback repository', 'helm', 'kustomize');
    repo = await chartRepository([DEMO]);
  });
  after(async () => repo?.close());
  // Each test its own chart cache: a chart an earlier test pulled would be rendered from the
  // cache (placeCachedCharts.ts) without asking the repository whose failures these tests are about.
  let savedChartCache: string | undefined;
  beforeEach(() => {
    root = tempDir('home-ops-render-remote-');
    cacheDir = tempDir();
    repo.mode = 'serve';
    savedChartCache = process.env['HOME_OPS_CHART_CACHE'];
    process.env['HOME_OPS_CHART_CACHE'] = path.join(cacheDir, 'charts');
  });
  afterEach(() => {
    if (savedChartCache === undefined) delete process.env['HOME_OPS_CHART_CACHE'];
    else process.env['HOME_OPS_CHART_CACHE'] = savedChartCache;
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  const kustomizeApp = (repoUrl: string, version = '0.3.1'): RenderableApp => {
    fs.mkdirSync(path.join(root, 'app'), { recursive: true });
    fs.writeFileSync(path.join(root, 'app/kustomization.yaml'), `namespace: demo\nhelmCharts:\n  - name: demo\n    repo: ${repoUrl}\n    version: ${version}\n    releaseName: demo\n`);
    return { name: 'app', path: 'app' };
  };
  const umbrellaApp = (repoUrl: string, values = 'demo:\n  replicas: 2\n'): RenderableApp => {
    fs.mkdirSync(path.join(root, 'umbrella'), { recursive: true });
    fs.writeFileSync(path.join(root, 'umbrella/Chart.yaml'), `apiVersion: v2\nname: umbrella\nversion: 1.0.0\ndependencies:\n  - name: demo\n    version: 0.3.1\n    repository: ${repoUrl}\n`);
    fs.writeFileSync(path.join(root, 'umbrella/values.yaml'), values);
    return { name: 'umbrella', path: 'umbrella', namespace: 'demo' };
  };
  const render = (app: RenderableApp, extra: Partial<Parameters<typeof renderApp>[1]> = {}) => renderApp(app, { root, trusted: true, cacheDir, binaries, buildOptions: '--enable-helm', ...extra });

  /** The failure a render rejects with, checked for what every failure promises. */
  const failure = async (app: RenderableApp): Promise<RenderError> => {
    const e = await toolFailure(render(app));
    assert.doesNotMatch(e.message, /is 'helm' installed/);
    assert.ok((e.details.stderr ?? '').length > e.message.length / 2, 'the full output is kept beside it');
    return e;
  };

  it('kustomize helmCharts from an http repository renders the chart', async () => {
    const r = await render(kustomizeApp(repo.url));
    // kustomize leaves the chart's CRDs out unless includeCRDs is set.
    assert.deepEqual(r.objects.map((o) => `${o.kind}/${o.namespace ?? ''}/${o.name}`), ['Service/demo/demo', 'Deployment/demo/demo']);
  });

  it('unreachable host: names the host and the chart, no place in the kustomization', async () => {
    const closed = await closedPort();
    const e = await failure(kustomizeApp(closed));
    assert.equal(e.message, `kustomize: chart demo 0.3.1 from ${closed}: host ${closed.slice('http://'.length)} unreachable (connection refused)`);
    assert.equal(e.details.cause, 'unreachable');
    assert.equal(e.details.location, undefined, 'an outage is no mistake in the file');
    assert.match(e.details.stderr ?? '', /connection refused/);
  });

  it('unknown host name: DNS, no place in the kustomization', async () => {
    const e = await failure(kustomizeApp('http://charts.home-ops-test.invalid'));
    assert.equal(e.details.cause, 'dns');
    assert.match(e.message, /^kustomize: chart demo 0\.3\.1 from http:\/\/charts\.home-ops-test\.invalid: host charts\.home-ops-test\.invalid not found \(DNS: /);
    assert.equal(e.details.location, undefined);
  });

  it('401 and 403: authentication required, no place in the kustomization', async () => {
    repo.mode = 'unauthorized';
    const e = await failure(kustomizeApp(repo.url));
    assert.equal(e.details.cause, 'auth');
    assert.match(e.message, new RegExp(`^kustomize: chart demo 0\\.3\\.1 from ${repo.url}: authentication required: ${repo.url}/index\\.yaml answered 401 Unauthorized`));
    assert.equal(e.details.location, undefined);
    repo.mode = 'forbidden';
    const f = await failure(kustomizeApp(repo.url));
    assert.equal(f.details.cause, 'auth');
    assert.match(f.message, /answered 403 Forbidden/);
  });

  it('404 for the index: no chart repository at that address, no place', async () => {
    repo.mode = 'not-found';
    const e = await failure(kustomizeApp(repo.url));
    assert.equal(e.details.cause, 'not-found');
    assert.match(e.message, new RegExp(`no chart repository there: ${repo.url}/index\\.yaml answered 404 Not Found`));
    assert.equal(e.details.location, undefined);
  });

  it('a chart version the repository does not have: on the version line', async () => {
    const e = await failure(kustomizeApp(repo.url, '9.9.9'));
    assert.equal(e.message, `kustomize: chart demo version 9.9.9 not found in ${repo.url}`);
    assert.equal(e.details.cause, 'not-found');
    assert.deepEqual(e.details.location, { file: 'app/kustomization.yaml', line: 4, column: 13, endColumn: 18 });
  });

  it('a kustomization YAML error: the file and line kustomize names', async () => {
    fs.mkdirSync(path.join(root, 'base'), { recursive: true });
    fs.mkdirSync(path.join(root, 'app'), { recursive: true });
    fs.writeFileSync(path.join(root, 'app/kustomization.yaml'), 'resources:\n  - ../base\n');
    fs.writeFileSync(path.join(root, 'base/kustomization.yaml'), 'resources:\n  - cm.yaml\n');
    fs.writeFileSync(path.join(root, 'base/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: 1\n');
    const e = await failure({ name: 'app', path: 'app' });
    assert.equal(e.details.cause, 'syntax');
    assert.equal(e.message, 'kustomize: invalid YAML in ../base/cm.yaml:5: mapping values are not allowed in this context');
    assert.deepEqual(e.details.location, { file: 'base/cm.yaml', line: 4, column: 3, endColumn: 9 });
  });

  it('Chart.yaml dependency from an http repository: `helm repo add` and `helm dependency build` in Home-Ops\' own helm homes, then offline from the cache', async () => {
    const { runner, calls } = countingRunner();
    const app = umbrellaApp(repo.url);
    const r = await render(app, { runner });
    assert.deepEqual(r.objects.map((o) => `${o.kind}/${o.namespace ?? ''}/${o.name}`), ['CustomResourceDefinition//widgets.demo.example.org', 'Service/demo/umbrella-demo', 'Deployment/demo/umbrella-demo']);
    assert.deepEqual(calls.map((c) => c.slice(1, 3).join(' ')), ['template .', 'repo add', 'dependency build', 'template .']);
    assert.deepEqual(fs.readdirSync(path.join(root, 'umbrella')).sort(), ['Chart.yaml', 'values.yaml'], 'nothing written into the repository');
    assert.ok(fs.existsSync(path.join(cacheDir, 'helm/config/repositories.yaml')), "the repository is added to Home-Ops' helm, not the user's");
    // The registry goes away; a value changes, so the render needs a new copy of the chart: its
    // dependencies come from the cache, without the network.
    repo.mode = 'unauthorized';
    const requestsBefore = repo.requests.length;
    fs.writeFileSync(path.join(root, 'umbrella/values.yaml'), 'demo:\n  replicas: 5\n');
    const again = await render(app, { runner });
    assert.match(again.objects[2]?.yaml ?? '', /replicas: 5/);
    assert.equal(repo.requests.length, requestsBefore, 'no request to the repository');
  });

  it("multi-source: a chart from a repository with `$values` from this repository, beside a folder of it; the chart pulled once, then offline", async () => {
    fs.mkdirSync(path.join(root, 'values'));
    fs.writeFileSync(path.join(root, 'values/demo.yaml'), 'replicas: 4\n');
    fs.mkdirSync(path.join(root, 'extra'));
    fs.writeFileSync(path.join(root, 'extra/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: demo\n');
    const sources = (valueFile: string) => [
      { repoURL: repo.url, chart: 'demo', targetRevision: '0.3.1', helm: { releaseName: 'web', valueFiles: [valueFile] } },
      { repoURL: 'https://git.example.org/homelab.git', targetRevision: 'main', ref: 'values' },
      { repoURL: 'https://git.example.org/homelab.git', targetRevision: 'main', path: 'extra' },
    ];
    const app = (valueFile = '$values/values/demo.yaml'): RenderableApp => ({ name: 'multi', namespace: 'demo', manifest: { spec: { sources: sources(valueFile), destination: { namespace: 'demo' } } } });
    const { runner, calls } = countingRunner();
    const r = await render(app(), { runner });
    assert.equal(r.sourceType, 'Multi-source');
    assert.deepEqual(r.objects.map((o) => `${o.kind}/${o.namespace ?? ''}/${o.name}`), ['CustomResourceDefinition//widgets.demo.example.org', 'Service/demo/web-demo', 'Deployment/demo/web-demo', 'ConfigMap/demo/extra']);
    // The chart's part is what helm itself gives for the same chart and options.
    const chartPart = direct(tool('helm'), ['template', '.', '--name-template', 'web', '--namespace', 'demo', '--values', path.join(root, 'values/demo.yaml'), '--include-crds'], DEMO);
    assert.equal(r.manifests, `${chartPart}---\n${fs.readFileSync(path.join(root, 'extra/cm.yaml'), 'utf8')}`);
    assert.match(r.objects[2]?.yaml ?? '', /replicas: 4/);
    assert.deepEqual(calls.map((c) => c[1]), ['pull', 'template']);
    // The registry goes away: the chart comes from Home-Ops' cache.
    repo.mode = 'not-found';
    const before = repo.requests.length;
    assert.match((await render(app(), { runner })).manifests, /replicas: 4/);
    assert.equal(repo.requests.length, before);
    await assert.rejects(render(app('$nope/values/demo.yaml')), /The value file \$nope\/values\/demo\.yaml names no source with ref: nope\./);
  });

  it('Chart.yaml dependency, repository down or asking for credentials: one line, no place in Chart.yaml', async () => {
    const closed = await closedPort();
    const e = await failure(umbrellaApp(closed));
    assert.equal(e.details.cause, 'unreachable');
    assert.equal(e.message, `helm dependency build: repository ${closed}: host ${closed.slice('http://'.length)} unreachable (connection refused)`);
    assert.equal(e.details.location, undefined);
    repo.mode = 'unauthorized';
    const auth = await failure(umbrellaApp(repo.url, 'other: 1\n'));
    assert.equal(auth.details.cause, 'auth');
    assert.match(auth.message, /^helm dependency build: repository http:\/\/127\.0\.0\.1:\d+: authentication required/);
  });
});

describe('render: Chart.yaml dependencies offline (file://)', function () {
  it('a chart whose file:// dependency folder is missing: helm\'s message in one line', async function () {
    requireTools(this, 'helm dependency build on a missing file:// folder', 'helm');
    const root = tempDir('home-ops-render-dep-');
    const cacheDir = tempDir();
    try {
      fs.mkdirSync(path.join(root, 'umbrella'));
      fs.writeFileSync(path.join(root, 'umbrella/Chart.yaml'), 'apiVersion: v2\nname: umbrella\nversion: 1.0.0\ndependencies:\n  - name: gone\n    version: 1.0.0\n    repository: file://../gone\n');
      await assert.rejects(renderApp({ name: 'u', path: 'umbrella' }, { root, trusted: true, cacheDir, binaries: realBinaries() }), (e: RenderError) => {
        assert.equal(e.kind, 'tool');
        assert.ok(!e.message.includes('\n') && e.message.length < 200, e.message);
        assert.match(e.message, /^helm dependency build: /);
        assert.match(e.message, /gone/);
        return true;
      });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
