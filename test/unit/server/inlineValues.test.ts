/**
 * Inline Helm values know their chart in the language server (over stdio, the built
 * dist/server.js), as values files do: completion, hover and go to definition inside kustomize's
 * `valuesInline` and an Application's `helm.valuesObject`, from the chart in the shared chart
 * cache; the manifest's own completion and hover stay outside the inline mapping.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeChartStore } from '../../../src/core/render';
import { CHART_FIXTURES, packFixtureChart } from '../../support/chartArchive';
import { LspClient, positionOf, SERVER, type Position } from '../../support/lspClient';
import { makeRepo, type TempRepo } from '../../support/repo';

const OCI = 'oci://ghcr.io/bjw-s-labs/helm';
const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
helmCharts:
  - name: app-template
    repo: ${OCI}
    version: 4.6.2
    valuesInline:
      controllers:
        sonarr:
          replicas: 1
          
      defaultPodOptions:
        restartPolicy: Never
`;
const APPLICATION = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
spec:
  project: default
  source:
    repoURL: ghcr.io/bjw-s-labs/helm
    chart: app-template
    targetRevision: 4.6.2
    helm:
      valuesObject:
        defaultPodOptions:
          restartPolicy: Never
  destination: {server: https://kubernetes.default.svc, namespace: web}
`;

function textAt(file: string, range: { start: Position; end: Position }): string {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  return (lines[range.start.line] ?? '').slice(range.start.character, range.end.character);
}

describe('language server over stdio: inline values know their chart', function () {
  let repo: TempRepo;
  let client: LspClient;
  let cache: string;
  before(async () => {
    assert.ok(fs.existsSync(SERVER), 'dist/server.js is built by `npm test` before the unit tests');
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-charts-'));
    const target = new NodeChartStore(cache).pathOf({ repo: OCI, name: 'app-template', version: '4.6.2' });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, packFixtureChart(path.join(CHART_FIXTURES, 'app-template')));
    repo = makeRepo({ 'apps/sonarr/kustomization.yaml': KUSTOMIZATION, 'argocd/web.yaml': APPLICATION });
    client = new LspClient(repo.root, { env: { ...process.env, HOME_OPS_CHART_CACHE: cache } });
    await client.initialize();
    await client.open('apps/sonarr/kustomization.yaml', KUSTOMIZATION);
    await client.open('argocd/web.yaml', APPLICATION);
  });
  after(async () => {
    await client?.close();
    repo?.cleanup();
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it('valuesInline: completion of a nested key, hover with the default, go to definition to the template that reads it', async () => {
    const items = await client.completion('apps/sonarr/kustomization.yaml', { line: 10, character: 10 });
    assert.deepEqual(items.map((i) => i.label).sort(), ['annotations', 'containers', 'enabled', 'pod', 'type']);
    const h = await client.hover('apps/sonarr/kustomization.yaml', positionOf(KUSTOMIZATION, 'restartPolicy'));
    assert.match(h ?? '', /\*\*`defaultPodOptions\.restartPolicy`\*\*.*chart app-template 4\.6\.2/);
    assert.match(h ?? '', /Default: `"Always"`/);
    const places = await client.definition('apps/sonarr/kustomization.yaml', positionOf(KUSTOMIZATION, 'replicas', 2));
    assert.deepEqual(places.map((p) => [path.basename(fileURLToPath(p.uri)), textAt(fileURLToPath(p.uri), p.range)]), [['deployment.yaml', '$controller.replicas']]);
  });

  it("an Application's valuesObject: hover and definition from the chart; the manifest's own keys keep their help", async () => {
    const h = await client.hover('argocd/web.yaml', positionOf(APPLICATION, 'restartPolicy'));
    assert.match(h ?? '', /Default: `"Always"`/);
    const places = await client.definition('argocd/web.yaml', positionOf(APPLICATION, 'restartPolicy', 1));
    assert.deepEqual(places.map((p) => textAt(fileURLToPath(p.uri), p.range)), ['$.Values.defaultPodOptions.restartPolicy']);
    // The key holding the values and the fields beside it are the Application's, not the chart's.
    assert.doesNotMatch((await client.hover('argocd/web.yaml', positionOf(APPLICATION, 'valuesObject'))) ?? '', /chart app-template/);
    assert.deepEqual(await client.definition('argocd/web.yaml', positionOf(APPLICATION, 'targetRevision', 1)), []);
    const topLevel = await client.completion('argocd/web.yaml', { line: 10, character: 6 });
    assert.ok(!topLevel.some((i) => i.label === 'defaultPodOptions'), JSON.stringify(topLevel.map((i) => i.label)));
  });
});
