/**
 * Fetching charts from the editor, over LSP stdio (the built dist/server.js) with a stand-in
 * helm (homeOps.render.helmPath) that "pulls" a fixture chart or fails as helm fails offline:
 * in a trusted workspace the chart an open values file needs is fetched in the background and
 * the file checked against it; typing is answered meanwhile; a failure is one message and the
 * info stays (never a diagnostic of its own), and is not retried by itself; the "Fetch chart"
 * code action names the chart and homeOps/fetchCharts fetches it; an untrusted workspace runs no helm.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Requests, type FetchChartsResult } from '../../../src/shared/protocol';
import { CHART_FIXTURES, packFixtureChart } from '../../support/chartArchive';
import { LspClient, positionOf, SERVER } from '../../support/lspClient';
import { makeRepo, type TempRepo } from '../../support/repo';

const OCI = 'oci://ghcr.io/bjw-s-labs/helm';
const KUSTOMIZATION = (version: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nhelmCharts:\n  - name: app-template\n    repo: ${OCI}\n    version: ${version}\n    valuesFile: values.yaml\n`;
const BROKEN = 'controllers:\n  sonarr:\n    replicas: one\n';

/** A helm that pulls `$FAKE_CHARTS/<name>-<version>.tgz` (after `$FAKE_DELAY` seconds), else fails like helm offline; each pull is logged. */
const FAKE_HELM = `#!/bin/sh
case "$1" in
  version) echo "v3.22.0"; exit 0 ;;
  pull)
    echo "$*" >> "$FAKE_LOG"
    ref="$2"; version=""; dest=""
    shift 2
    while [ $# -gt 0 ]; do
      case "$1" in
        --version) version="$2"; shift 2 ;;
        --destination) dest="$2"; shift 2 ;;
        *) shift ;;
      esac
    done
    sleep "\${FAKE_DELAY:-0}"
    name=$(basename "$ref")
    if [ -f "$FAKE_CHARTS/$name-$version.tgz" ]; then cp "$FAKE_CHARTS/$name-$version.tgz" "$dest/"; exit 0; fi
    echo "Error: failed to do request: Head \\"https://ghcr.io/v2/bjw-s-labs/helm/$name/manifests/$version\\": dial tcp: lookup ghcr.io: no such host" >&2
    exit 1 ;;
esac
exit 0
`;

describe('language server over stdio: fetching the charts values files need', function () {
  this.timeout(20_000);
  let repo: TempRepo;
  let client: LspClient;
  let work: string;
  let cache: string;
  let charts: string;
  let log: string;
  let helm: string;
  before(() => {
    assert.ok(fs.existsSync(SERVER), 'dist/server.js is built by `npm test` before the unit tests');
  });
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-fetch-'));
    cache = path.join(work, 'cache');
    charts = path.join(work, 'charts');
    log = path.join(work, 'helm.log');
    helm = path.join(work, 'helm');
    fs.mkdirSync(charts);
    fs.writeFileSync(path.join(charts, 'app-template-4.6.2.tgz'), packFixtureChart(path.join(CHART_FIXTURES, 'app-template')));
    fs.writeFileSync(helm, FAKE_HELM, { mode: 0o755 });
  });
  afterEach(async () => {
    await client?.close();
    repo?.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  async function start(version: string, options: { trusted?: boolean; fetch?: boolean; delay?: number } = {}): Promise<void> {
    repo = makeRepo({ 'apps/sonarr/kustomization.yaml': KUSTOMIZATION(version), 'apps/sonarr/values.yaml': BROKEN });
    client = new LspClient(repo.root, {
      env: { ...process.env, HOME_OPS_CHART_CACHE: cache, FAKE_CHARTS: charts, FAKE_LOG: log, FAKE_DELAY: String(options.delay ?? 0) },
      settings: { charts: { fetch: options.fetch ?? true }, render: { helmPath: helm } },
    });
    await client.initialize({ trusted: options.trusted ?? true, cacheDir: path.join(work, 'storage'), fetchChartsCommand: true });
    await client.open('apps/sonarr/values.yaml', BROKEN);
  }
  const pulls = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []);

  it('fetches the chart of an open values file in the background, then checks the file against it', async () => {
    await start('4.6.2');
    const d = await client.waitForDiagnostics('apps/sonarr/values.yaml', (x) => x.some((y) => y.code === 'values-schema'));
    assert.match(d.find((y) => y.code === 'values-schema')?.message ?? '', /`replicas` must be an integer/);
    assert.ok(!d.some((y) => y.code === 'values-chart-unavailable'));
    assert.deepEqual(pulls(), [`pull ${OCI}/app-template --version 4.6.2 --destination ${pulls()[0]?.split(' --destination ')[1]}`]);
    assert.equal(fs.readdirSync(cache).filter((f) => !f.startsWith('.')).length, 1, 'the chart is in the shared chart cache');
  });

  it('answers typing while helm runs', async () => {
    await start('4.6.2', { delay: 3 });
    const started = Date.now();
    await client.hover('apps/sonarr/values.yaml', positionOf(BROKEN, 'replicas'));
    await client.completion('apps/sonarr/values.yaml', { line: 2, character: 4 });
    assert.ok(Date.now() - started < 2000, `hover and completion took ${Date.now() - started} ms while the pull sleeps 3 s`);
    await client.waitForDiagnostics('apps/sonarr/values.yaml', (x) => x.some((y) => y.code === 'values-schema'));
  });

  it('a chart that cannot be fetched: one message, the info stays, no diagnostic of its own, no retry by itself', async () => {
    await start('9.9.9');
    await waitFor(() => client.shownMessages.length > 0);
    assert.equal(client.shownMessages.length, 1);
    assert.match(client.shownMessages[0] ?? '', /could not fetch chart oci:\/\/ghcr\.io\/bjw-s-labs\/helm\/app-template 9\.9\.9 \(failed to do request: .*no such host\)/);
    const d = await client.waitForDiagnostics('apps/sonarr/values.yaml', (x) => x.some((y) => y.code === 'values-chart-unavailable'));
    assert.deepEqual(d.map((y) => [y.code, y.severity]), [['values-chart-unavailable', 3]]);
    await client.change('apps/sonarr/values.yaml', BROKEN.replace('one', 'two'));
    await client.waitForDiagnostics('apps/sonarr/values.yaml', (x) => x.some((y) => y.code === 'values-chart-unavailable'));
    assert.equal(pulls().length, 1, 'a failed chart is not pulled again on every edit');
    assert.equal(client.shownMessages.length, 1);
  });

  it('the Fetch chart code action names the chart; homeOps/fetchCharts fetches it and the file is checked', async () => {
    await start('9.9.9', { fetch: false });
    const d = await client.waitForDiagnostics('apps/sonarr/values.yaml', (x) => x.some((y) => y.code === 'values-chart-unavailable'));
    assert.equal(pulls().length, 0, 'with homeOps.charts.fetch off nothing is fetched by itself');
    const actions = await client.codeActions('apps/sonarr/values.yaml', d.filter((y) => y.code === 'values-chart-unavailable'));
    const fetch = actions.find((a) => a.title.startsWith('Fetch chart'));
    assert.equal(fetch?.title, `Fetch chart ${OCI}/app-template 9.9.9`);
    assert.equal(fetch?.command?.command, 'homeOps.fetchCharts');
    const args = fetch?.command?.arguments?.[0] as { root: string; charts: unknown[] };
    assert.deepEqual(args, { root: repo.root, charts: [{ repo: OCI, name: 'app-template', version: '9.9.9' }] });
    fs.copyFileSync(path.join(charts, 'app-template-4.6.2.tgz'), path.join(charts, 'app-template-9.9.9.tgz'));
    const r = await client.connection.sendRequest(Requests.fetchCharts, args as never);
    assert.deepEqual(r, { pulled: [`${OCI}/app-template 9.9.9`], cached: [], failed: [] } satisfies FetchChartsResult);
    await client.waitForDiagnostics('apps/sonarr/values.yaml', (x) => x.some((y) => y.code === 'values-schema'));
  });

  it('an untrusted workspace runs no helm: nothing fetched by itself, the request refused with the reason', async () => {
    await start('4.6.2', { trusted: false });
    await client.waitForDiagnostics('apps/sonarr/values.yaml', (x) => x.some((y) => y.code === 'values-chart-unavailable'));
    const r = await client.connection.sendRequest(Requests.fetchCharts, { root: repo.root });
    assert.match(r.refused ?? '', /only in a trusted workspace/);
    assert.equal(pulls().length, 0);
  });
});

async function waitFor(ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
