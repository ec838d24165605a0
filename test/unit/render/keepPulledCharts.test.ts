/**
 * Previews fill the chart cache: after `kustomize build --enable-helm` pulled a chart into the
 * render's private copy, the chart is kept in the chart cache at its exact version, so the values
 * files are checked against it without another pull; and the other way, a chart the cache holds
 * is put where kustomize looks before pulling, in a new private copy. End to end with the real
 * kustomize and helm and a loopback Helm repository; and what is not kept or used (a folder or an
 * archive that is not the chart it claims to be, a range version, links).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { archiveChartFiles, loadChart, readTarball, writeTarball } from '../../../src/core/charts';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { NodeChartStore, renderApp } from '../../../src/core/render';
import { keepPulledCharts } from '../../../src/core/render/keepPulledCharts';
import { CHART_FIXTURES, folderFiles, packChart, packFixtureChart } from '../../support/chartArchive';
import { startHelmRepository, type LoopbackServer } from '../../support/chartServers';
import { makeRepo, type TempRepo } from '../../support/repo';
import { requireTools } from '../../support/shared';
import { realBinaries, tempDir } from './support';

const KUSTOMIZATION = (repo: string, version: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nhelmCharts:\n  - name: app-template\n    repo: ${repo}\n    version: ${version}\n    releaseName: sonarr\n    valuesFile: values.yaml\n`;

describe('previews fill the chart cache', () => {
  let work: string;
  let store: NodeChartStore;
  beforeEach(() => {
    work = tempDir('home-ops-keep-');
    store = new NodeChartStore(path.join(work, 'charts-cache'));
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  function copyWith(version: string, chartVersion = version): string {
    const copy = path.join(work, 'copy');
    fs.mkdirSync(path.join(copy, 'apps/x'), { recursive: true });
    fs.writeFileSync(path.join(copy, 'apps/x/kustomization.yaml'), KUSTOMIZATION('https://charts.example.test', version));
    const pulled = path.join(copy, 'apps/x/charts', `app-template-${version}`, 'app-template');
    fs.cpSync(path.join(CHART_FIXTURES, 'app-template'), pulled, { recursive: true });
    fs.writeFileSync(path.join(pulled, 'Chart.yaml'), fs.readFileSync(path.join(pulled, 'Chart.yaml'), 'utf8').replace(/^version: .*$/m, `version: ${chartVersion}`));
    return copy;
  }

  it('keeps a chart pulled at an exact version, once, readable as the chart it is', () => {
    const copy = copyWith('4.6.2');
    fs.symlinkSync('/etc/passwd', path.join(copy, 'apps/x/charts/app-template-4.6.2/app-template/templates/link.yaml'));
    const ref = { repo: 'https://charts.example.test', name: 'app-template', version: '4.6.2' };
    assert.deepEqual(keepPulledCharts(copy, 'apps/x', store), [ref]);
    const chart = loadChart(archiveChartFiles(store.get(ref) as Uint8Array), 'test', {});
    assert.equal(chart.name, 'app-template');
    assert.equal(chart.version, '4.6.2');
    assert.ok(chart.schema, 'the schema came along');
    assert.deepEqual([...chart.templates.keys()].sort(), ['templates/deployment.yaml', 'templates/service.yaml'], 'a symbolic link is left out');
    assert.deepEqual(keepPulledCharts(copy, 'apps/x', store), [], 'a chart already cached is not written again');
  });

  it('keeps nothing that is not the chart it claims to be, nor a version that is a range', () => {
    assert.deepEqual(keepPulledCharts(copyWith('4.6.2', '9.9.9'), 'apps/x', store), []);
    fs.rmSync(path.join(work, 'copy'), { recursive: true });
    assert.deepEqual(keepPulledCharts(copyWith('~4.6.0'), 'apps/x', store), []);
    assert.deepEqual(store.list(), []);
  });

  it('archives with long paths read back (pax records)', () => {
    const long = `chart/${'deep/'.repeat(30)}file.yaml`;
    const entries = readTarball(writeTarball(new Map([[long, Buffer.from('x: 1\n')], ['chart/Chart.yaml', Buffer.from('name: chart\n')]])));
    assert.equal(entries.get(long)?.toString(), 'x: 1\n');
    assert.equal(entries.get('chart/Chart.yaml')?.toString(), 'name: chart\n');
  });

  describe('end to end: a preview with the real kustomize and helm', () => {
    let server: LoopbackServer;
    let repo: TempRepo;
    let saved: string | undefined;
    before(async function () {
      requireTools(this, 'a preview pulling a chart from a loopback Helm repository', 'helm', 'kustomize');
      server = await startHelmRepository([{ name: 'app-template', version: '4.6.2', tgz: packFixtureChart(path.join(CHART_FIXTURES, 'app-template')) }]);
    });
    after(async () => {
      await server?.close();
    });
    afterEach(() => {
      if (saved === undefined) delete process.env['HOME_OPS_CHART_CACHE'];
      else process.env['HOME_OPS_CHART_CACHE'] = saved;
      repo?.cleanup();
    });

    it('after a successful render the pulled chart is in the chart cache, and the values file is checked against it', async () => {
      saved = process.env['HOME_OPS_CHART_CACHE'];
      process.env['HOME_OPS_CHART_CACHE'] = store.dir;
      repo = makeRepo({ 'apps/x/kustomization.yaml': KUSTOMIZATION(server.url, '4.6.2'), 'apps/x/values.yaml': 'controllers:\n  main:\n    replicas: 2\n' });
      const r = await renderApp({ name: 'x', path: 'apps/x' }, { root: repo.root, trusted: true, cacheDir: path.join(work, 'render'), binaries: realBinaries(), buildOptions: '--enable-helm' });
      assert.match(r.manifests, /kind: Deployment/);
      assert.ok(server.requests.some((q) => q.path === '/charts/app-template-4.6.2.tgz'), 'kustomize pulled the chart');
      const ref = { repo: server.url, name: 'app-template', version: '4.6.2' };
      assert.ok(store.get(ref), 'the pulled chart is in the chart cache');
      assert.ok(!fs.existsSync(path.join(repo.root, 'apps/x/charts')), 'nothing lands in the repository');
      fs.writeFileSync(path.join(repo.root, 'apps/x/values.yaml'), 'controllers:\n  main:\n    replicas: two\n');
      const model = new RepositoryModel(repo.root, { charts: store });
      const use = model.valuesUses()[0];
      assert.ok(use);
      assert.equal(model.chart(use.chart).ok, true);
    });

    it('a chart in the chart cache is not pulled again: a values edit (a new private copy) renders without the registry', async () => {
      saved = process.env['HOME_OPS_CHART_CACHE'];
      process.env['HOME_OPS_CHART_CACHE'] = store.dir;
      const ref = { repo: server.url, name: 'app-template', version: '4.6.2' };
      assert.ok(store.put(ref, packFixtureChart(path.join(CHART_FIXTURES, 'app-template'))));
      repo = makeRepo({ 'apps/x/kustomization.yaml': KUSTOMIZATION(server.url, '4.6.2'), 'apps/x/values.yaml': 'controllers:\n  main:\n    replicas: 2\n' });
      const before = server.requests.length;
      const render = () => renderApp({ name: 'x', path: 'apps/x' }, { root: repo.root, trusted: true, cacheDir: path.join(work, 'render'), binaries: realBinaries(), buildOptions: '--enable-helm' });
      assert.match((await render()).manifests, /kind: Deployment\nmetadata:\n  name: main\nspec:\n  replicas: 2/);
      fs.writeFileSync(path.join(repo.root, 'apps/x/values.yaml'), 'controllers:\n  main:\n    replicas: 3\n');
      assert.match((await render()).manifests, /replicas: 3/);
      assert.deepEqual(server.requests.slice(before), [], 'helm asked the registry nothing');
      assert.ok(!fs.existsSync(path.join(repo.root, 'apps/x/charts')), 'nothing lands in the repository');
    });

    it('a cached archive that is not the chart it is filed as is not used: kustomize pulls', async () => {
      saved = process.env['HOME_OPS_CHART_CACHE'];
      process.env['HOME_OPS_CHART_CACHE'] = store.dir;
      const files = folderFiles(path.join(CHART_FIXTURES, 'app-template'));
      files.set('Chart.yaml', Buffer.from('apiVersion: v2\nname: app-template\nversion: 9.9.9\n'));
      files.set('templates/deployment.yaml', Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-the-chart\n'));
      store.put({ repo: server.url, name: 'app-template', version: '4.6.2' }, packChart('app-template', files));
      repo = makeRepo({ 'apps/x/kustomization.yaml': KUSTOMIZATION(server.url, '4.6.2'), 'apps/x/values.yaml': 'controllers:\n  main:\n    replicas: 2\n' });
      const before = server.requests.length;
      const r = await renderApp({ name: 'x', path: 'apps/x' }, { root: repo.root, trusted: true, cacheDir: path.join(work, 'render'), binaries: realBinaries(), buildOptions: '--enable-helm' });
      assert.doesNotMatch(r.manifests, /not-the-chart/);
      assert.match(r.manifests, /kind: Deployment/);
      assert.ok(server.requests.slice(before).some((q) => q.path === '/charts/app-template-4.6.2.tgz'), 'kustomize pulled the chart');
    });
  });
});
