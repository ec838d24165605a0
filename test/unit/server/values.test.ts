/**
 * Values files in the language server (over stdio, the built dist/server.js): a wrong type
 * squiggled after an edit, completion inside a nested key and hover with the chart's default,
 * all from the shared chart cache ($HOME_OPS_CHART_CACHE); without the chart, an info in the
 * open file that says how to fetch it.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeChartStore } from '../../../src/core/render';
import { CHART_FIXTURES, packFixtureChart } from '../../support/chartArchive';
import { LspClient, positionOf, SERVER } from '../../support/lspClient';
import { makeRepo, type TempRepo } from '../../support/repo';

const OCI = 'oci://ghcr.io/bjw-s-labs/helm';
const KUSTOMIZATION = (version: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nhelmCharts:\n  - name: app-template\n    repo: ${OCI}\n    version: ${version}\n    valuesFile: values.yaml\n`;
const VALUES = 'controllers:\n  sonarr:\n    replicas: 1\n';

describe('language server over stdio: values files know their chart', function () {
  let repo: TempRepo;
  let client: LspClient;
  let cache: string;
  before(() => {
    assert.ok(fs.existsSync(SERVER), 'dist/server.js is built by `npm test` before the unit tests');
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-charts-'));
    const target = new NodeChartStore(cache).pathOf({ repo: OCI, name: 'app-template', version: '4.6.2' });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, packFixtureChart(path.join(CHART_FIXTURES, 'app-template')));
  });
  after(() => fs.rmSync(cache, { recursive: true, force: true }));
  afterEach(async () => {
    await client?.close();
    repo?.cleanup();
  });

  async function start(version: string): Promise<void> {
    repo = makeRepo({ 'apps/sonarr/kustomization.yaml': KUSTOMIZATION(version), 'apps/sonarr/values.yaml': VALUES });
    client = new LspClient(repo.root, { env: { ...process.env, HOME_OPS_CHART_CACHE: cache } });
    await client.initialize();
    await client.open('apps/sonarr/values.yaml', VALUES);
  }

  it('an edit that writes a wrong type gets an error at the value; fixing it clears it', async () => {
    await start('4.6.2');
    const broken = VALUES.replace('replicas: 1', 'replicas: one');
    await client.change('apps/sonarr/values.yaml', broken);
    const d = await client.waitForDiagnostics('apps/sonarr/values.yaml', (x) => x.some((y) => y.code === 'values-schema'));
    const e = d.find((y) => y.code === 'values-schema');
    assert.equal(e?.severity, 1);
    assert.deepEqual(e?.range, { start: positionOf(broken, 'one'), end: { ...positionOf(broken, 'one'), character: positionOf(broken, 'one').character + 3 } });
    assert.match(e?.message ?? '', /`replicas` must be an integer or empty, not a string/);
    await client.change('apps/sonarr/values.yaml', VALUES);
    await client.waitForDiagnostics('apps/sonarr/values.yaml', (x) => x.length === 0);
  });

  it('completes inside a nested key and hovers with the default from the chart', async () => {
    await start('4.6.2');
    const text = 'controllers:\n  sonarr:\n    replicas: 1\n    \ndefaultPodOptions:\n  restartPolicy: Never\n';
    await client.change('apps/sonarr/values.yaml', text);
    const items = await client.completion('apps/sonarr/values.yaml', { line: 3, character: 4 });
    assert.deepEqual(items.map((i) => i.label).sort(), ['annotations', 'containers', 'enabled', 'pod', 'type']);
    const h = await client.hover('apps/sonarr/values.yaml', positionOf(text, 'restartPolicy'));
    assert.match(h ?? '', /Default: `"Always"`/);
    assert.match(h ?? '', /What the kubelet does when a container exits/);
  });

  it('a chart not in the cache: an info in the open values file saying how to fetch it, nothing in closed files', async () => {
    await start('9.9.9');
    const d = await client.waitForDiagnostics('apps/sonarr/values.yaml', (x) => x.some((y) => y.code === 'values-chart-unavailable'));
    assert.equal(d.find((y) => y.code === 'values-chart-unavailable')?.severity, 3);
    assert.match(d[0]?.message ?? '', /app-template 9\.9\.9 is not in the chart cache.*home-ops charts pull/);
    assert.equal((client.diagnostics.get(client.uri('apps/sonarr/kustomization.yaml')) ?? []).filter((x) => x.code === 'values-chart-unavailable').length, 0);
  });
});
