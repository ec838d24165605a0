/**
 * Go to definition from a values key to the chart templates that read it, over LSP stdio (the
 * built dist/server.js): a chart of the chart cache (its template written out into the cache's
 * own folder, never the repository), a dependency under its alias that is a folder of the
 * repository, and a key nothing reads.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeChartStore } from '../../../src/core/render';
import { CHART_FIXTURES, folderFiles, packFixtureChart } from '../../support/chartArchive';
import { LspClient, positionOf, SERVER, type Position } from '../../support/lspClient';
import { makeRepo, type RepoFiles, type TempRepo } from '../../support/repo';

const OCI = 'oci://ghcr.io/bjw-s-labs/helm';
const VALUES = 'controllers:\n  sonarr:\n    replicas: 1\ndefaultPodOptions:\n  restartPolicy: Never\n';
const UMBRELLA_APP = `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: umbrella, namespace: argocd}\nspec:\n  project: default\n  source: {repoURL: https://github.com/me/home-ops.git, path: charts/umbrella, targetRevision: HEAD}\n  destination: {server: https://kubernetes.default.svc, namespace: web}\n`;

function textAt(file: string, range: { start: Position; end: Position }): string {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  assert.equal(range.start.line, range.end.line);
  return (lines[range.start.line] ?? '').slice(range.start.character, range.end.character);
}

describe('language server over stdio: go to definition from a values key to the templates', function () {
  let repo: TempRepo;
  let client: LspClient;
  let cache: string;
  before(async () => {
    assert.ok(fs.existsSync(SERVER), 'dist/server.js is built by `npm test` before the unit tests');
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-charts-'));
    const store = new NodeChartStore(cache);
    for (const [repoUrl, dir, version] of [[OCI, 'app-template', '4.6.2'], ['https://charts.example.test', 'plain', '1.2.0']] as const) {
      const target = store.pathOf({ repo: repoUrl, name: dir, version });
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, packFixtureChart(path.join(CHART_FIXTURES, dir)));
    }
    const files: RepoFiles = {
      '.git/config': '[remote "origin"]\n\turl = https://github.com/me/home-ops.git\n',
      'apps/sonarr/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nhelmCharts:\n  - name: app-template\n    repo: ${OCI}\n    version: 4.6.2\n    valuesFile: values.yaml\n`,
      'apps/sonarr/values.yaml': VALUES,
      'argocd/umbrella.yaml': UMBRELLA_APP,
    };
    for (const dir of ['umbrella', 'app-template']) for (const [rel, bytes] of folderFiles(path.join(CHART_FIXTURES, dir))) files[`charts/${dir}/${rel}`] = bytes;
    // Helm hands `global` to every chart of the tree: a subchart's template reads the umbrella's.
    files['charts/app-template/templates/labels.yaml'] = 'metadata:\n  labels:\n    team: {{ .Values.global.labels.team }}\n';
    repo = makeRepo(files);
    client = new LspClient(repo.root, { env: { ...process.env, HOME_OPS_CHART_CACHE: cache } });
    await client.initialize();
    await client.open('apps/sonarr/values.yaml', VALUES);
  });
  after(async () => {
    await client?.close();
    repo?.cleanup();
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it('a key of a cached chart: its template, written out into the chart cache folder, at the read', async () => {
    const places = await client.definition('apps/sonarr/values.yaml', positionOf(VALUES, 'replicas', 2));
    assert.equal(places.length, 1, JSON.stringify(places));
    const file = fileURLToPath(places[0]!.uri);
    assert.ok(file.startsWith(path.join(cache, '.sources') + path.sep), file);
    assert.ok(!file.startsWith(repo.root), 'nothing is written into the repository');
    assert.equal(path.basename(file), 'deployment.yaml');
    assert.equal(textAt(file, places[0]!.range), '$controller.replicas');
    const restart = await client.definition('apps/sonarr/values.yaml', positionOf(VALUES, 'restartPolicy', 1));
    assert.deepEqual(restart.map((p) => textAt(fileURLToPath(p.uri), p.range)), ['$.Values.defaultPodOptions.restartPolicy']);
  });

  it('a key nothing reads by name goes to the read of its nearest parent', async () => {
    // `sonarr` is a key of the map the template ranges over: the range is where it is read.
    const places = await client.definition('apps/sonarr/values.yaml', positionOf(VALUES, 'sonarr', 1));
    assert.deepEqual(places.map((p) => textAt(fileURLToPath(p.uri), p.range)), ['$controller.replicas']);
  });

  it("a key under a dependency's alias: that dependency's templates, in the repository when it is a folder there", async () => {
    const text = fs.readFileSync(path.join(repo.root, 'charts/umbrella/values.yaml'), 'utf8');
    await client.open('charts/umbrella/values.yaml', text);
    const web = await client.definition('charts/umbrella/values.yaml', positionOf(text, 'controllers', 1));
    // The key itself and what is read under it (a controller's replicas).
    assert.deepEqual(web.map((p) => p.uri), [client.uri('charts/app-template/templates/deployment.yaml'), client.uri('charts/app-template/templates/deployment.yaml')]);
    assert.deepEqual(web.map((p) => textAt(fileURLToPath(p.uri), p.range)), ['.Values.controllers', '$controller.replicas']);
    const db = await client.definition('charts/umbrella/values.yaml', positionOf(text, 'replicaCount', 1));
    assert.equal(db.length, 1);
    assert.ok(fileURLToPath(db[0]!.uri).startsWith(path.join(cache, '.sources')));
    assert.equal(textAt(fileURLToPath(db[0]!.uri), db[0]!.range), '.Values.replicaCount');
    const cacheSize = await client.definition('charts/umbrella/values.yaml', positionOf(text, 'size', 1));
    assert.deepEqual(cacheSize.map((p) => [p.uri, textAt(fileURLToPath(p.uri), p.range)]), [[client.uri('charts/umbrella/charts/plain-vendored/templates/configmap.yaml'), '.Values.size']]);
    const team = await client.definition('charts/umbrella/values.yaml', positionOf(text, 'team', 1));
    assert.deepEqual(team.map((p) => [p.uri, textAt(fileURLToPath(p.uri), p.range)]), [[client.uri('charts/app-template/templates/labels.yaml'), '.Values.global.labels.team']]);
    const nothing = await client.definition('charts/umbrella/values.yaml', positionOf(text, 'enabled', 1));
    assert.deepEqual(nothing, [], 'no template reads cache.enabled (helm reads it as the condition): no guess');
  });
});
