/**
 * `home-ops charts list | pull` and `home-ops lint` with the chart cache: a chart pulled (by the
 * real helm, from a Helm repository served on the loopback interface) is found by the next lint
 * offline, and `charts list` shows where it is and its size.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../../src/cli/main';
import { NodeChartStore, repoFolderName } from '../../../src/core/render';
import { CHART_FIXTURES, packFixtureChart } from '../../support/chartArchive';
import { makeRepo, type TempRepo } from '../../support/repo';
import { requireTools, toolPath } from '../../support/shared';

async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const KUSTOMIZATION = (repo: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nhelmCharts:\n  - name: app-template\n    repo: ${repo}\n    version: 4.6.2\n    valuesFile: values.yaml\n`;
const BAD_VALUES = 'controllers:\n  main:\n    type: deploymnt\n';

/** Sets environment variables for one test and puts them back after. */
function withEnv(vars: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

describe('home-ops charts and lint with the chart cache', () => {
  let repo: TempRepo | undefined;
  let cache: string;
  let restore: () => void;
  beforeEach(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-charts-'));
    restore = withEnv({ HOME_OPS_CHART_CACHE: cache });
  });
  afterEach(() => {
    restore();
    repo?.cleanup();
    repo = undefined;
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it('lint says in one line which charts are missing, then checks the values once the chart is cached', async () => {
    const REPO = 'oci://ghcr.io/bjw-s-labs/helm';
    repo = makeRepo({ 'apps/x/kustomization.yaml': KUSTOMIZATION(REPO), 'apps/x/values.yaml': BAD_VALUES });
    const before = await runCli(['lint', repo.root, '--format', 'json']);
    assert.equal(before.code, 0);
    assert.deepEqual(JSON.parse(before.out), []);
    assert.match(before.err, /the values of 1 chart reference are not \(fully\) checked: 1 chart is neither in the repository nor in the chart cache.*home-ops charts pull/);
    const target = new NodeChartStore(cache).pathOf({ repo: REPO, name: 'app-template', version: '4.6.2' });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, packFixtureChart(path.join(CHART_FIXTURES, 'app-template')));
    const after = await runCli(['lint', repo.root, '--format', 'json']);
    assert.equal(after.code, 1);
    const problems = JSON.parse(after.out) as Array<{ file: string; rule: string; range: { start: { line: number } } }>;
    assert.deepEqual(problems.map((p) => `${p.file}:${p.range.start.line + 1} ${p.rule}`), ['apps/x/values.yaml:3 values-schema']);
    assert.doesNotMatch(after.err, /not checked/);
  });

  it('charts list prints the cache folder, each chart with its repository and size, and the total', async () => {
    const store = new NodeChartStore(cache);
    const target = store.pathOf({ repo: 'https://charts.example.test/', name: 'plain', version: '1.2.0' });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(path.join(path.dirname(target), 'repo.txt'), 'https://charts.example.test\n');
    const bytes = packFixtureChart(path.join(CHART_FIXTURES, 'plain'));
    fs.writeFileSync(target, bytes);
    const r = await runCli(['charts', 'list']);
    assert.equal(r.code, 0);
    assert.equal(r.out.split('\n')[0], `Chart cache: ${cache}`);
    const size = bytes.length < 1024 ? `${bytes.length} B` : `${(bytes.length / 1024).toFixed(1)} KiB`;
    assert.ok(r.out.includes(`  https://charts.example.test  plain-1.2.0.tgz  ${size}\n`), r.out);
    assert.match(r.out, /^1 chart, /m);
    assert.doesNotMatch(r.out, /\.sources/, 'nothing written out yet: no line for it');
    // Templates written out for go to definition are part of the cache's size.
    const written = path.join(cache, '.sources', 'plain-1.2.0-0123456789ab', 'plain', 'templates');
    fs.mkdirSync(written, { recursive: true });
    fs.writeFileSync(path.join(written, 'a.yaml'), Buffer.alloc(3072, 0x61));
    const withSources = await runCli(['charts', 'list']);
    assert.ok(withSources.out.includes('  .sources/  templates of 1 chart written out for go to definition (at most 32.0 MiB kept)  3.0 KiB\n'), withSources.out);
    assert.ok(withSources.out.endsWith(`1 chart, ${((bytes.length + 3072) / 1024).toFixed(1)} KiB\n`), withSources.out);
    assert.match(path.relative(cache, target), /^charts\.example\.test-[0-9a-f]{12}\/plain-1\.2\.0\.tgz$/);
    assert.equal(repoFolderName('https://charts.example.test/'), repoFolderName('https://charts.example.test'), 'a trailing slash names the same repository');
  });

  it('charts needs a subcommand; unknown ones are usage errors', async () => {
    assert.equal((await runCli(['charts'])).code, 2);
    assert.equal((await runCli(['charts', 'fetch'])).code, 2);
  });

  describe('charts pull, from a Helm repository on the loopback interface (real helm)', () => {
    let server: http.Server;
    let url: string;
    let requests: string[];
    before(async function () {
      requireTools(this, 'helm pull from a loopback Helm repository', 'helm');
      const tgz = packFixtureChart(path.join(CHART_FIXTURES, 'app-template'));
      requests = [];
      server = http.createServer((req, res) => {
        requests.push(req.url ?? '');
        if (req.url === '/index.yaml') {
          res.setHeader('Content-Type', 'application/x-yaml');
          res.end(`apiVersion: v1\nentries:\n  app-template:\n    - apiVersion: v2\n      name: app-template\n      version: 4.6.2\n      urls: [charts/app-template-4.6.2.tgz]\n      created: "2026-01-01T00:00:00Z"\n      digest: ""\ngenerated: "2026-01-01T00:00:00Z"\n`);
        } else if (req.url === '/charts/app-template-4.6.2.tgz') res.end(tgz);
        else {
          res.statusCode = 404;
          res.end();
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => server?.close());

    it('pulls the chart a values file needs into the cache; lint then checks it offline; a second pull fetches nothing', async () => {
      const helmHome = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-helm-'));
      const undo = withEnv({ HOME_OPS_HELM: toolPath('helm') as string, HELM_CACHE_HOME: path.join(helmHome, 'cache'), HELM_CONFIG_HOME: path.join(helmHome, 'config'), HELM_DATA_HOME: path.join(helmHome, 'data') });
      try {
        repo = makeRepo({ 'apps/x/kustomization.yaml': KUSTOMIZATION(url), 'apps/x/values.yaml': BAD_VALUES });
        const pulled = await runCli(['charts', 'pull', repo.root]);
        assert.equal(pulled.code, 0, pulled.err);
        assert.match(pulled.err, new RegExp(`pulled ${url.replace(/[.]/g, '\\.')}/app-template 4\\.6\\.2`));
        assert.ok(requests.includes('/charts/app-template-4.6.2.tgz'));
        assert.ok(fs.existsSync(new NodeChartStore(cache).pathOf({ repo: url, name: 'app-template', version: '4.6.2' })));
        const lint = await runCli(['lint', repo.root, '--format', 'json']);
        assert.deepEqual((JSON.parse(lint.out) as Array<{ rule: string }>).map((p) => p.rule), ['values-schema']);
        requests.length = 0;
        const again = await runCli(['charts', 'pull', repo.root]);
        assert.equal(again.code, 0);
        assert.deepEqual(requests, []);
        assert.match(again.err, /^0 charts pulled/m);
      } finally {
        undo();
        fs.rmSync(helmHome, { recursive: true, force: true });
      }
    });

    it('a chart the repository does not have fails the pull with helm’s message and exit code 1', async () => {
      const helmHome = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-helm-'));
      const undo = withEnv({ HOME_OPS_HELM: toolPath('helm') as string, HELM_CACHE_HOME: path.join(helmHome, 'cache'), HELM_CONFIG_HOME: path.join(helmHome, 'config'), HELM_DATA_HOME: path.join(helmHome, 'data') });
      try {
        repo = makeRepo({ 'apps/x/kustomization.yaml': KUSTOMIZATION(url).replace('4.6.2', '5.0.0'), 'apps/x/values.yaml': BAD_VALUES });
        const r = await runCli(['charts', 'pull', repo.root]);
        assert.equal(r.code, 1);
        assert.match(r.err, /could not pull .*app-template 5\.0\.0: .*5\.0\.0/);
        assert.deepEqual(new NodeChartStore(cache).list(), []);
      } finally {
        undo();
        fs.rmSync(helmHome, { recursive: true, force: true });
      }
    });
  });
});
