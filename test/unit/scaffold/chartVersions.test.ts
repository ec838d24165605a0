import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { compareSemver, listChartVersions, parseBearerChallenge, sortVersions, type ChartVersionsResult } from '../../../src/core/scaffold/chartVersions';

/** Every test talks to 127.0.0.1 only. */
type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void;

async function serve(handler: Handler): Promise<{ base: string; host: string; close: () => Promise<void>; requests: string[] }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}${url.search}${req.headers.authorization ? ` [${req.headers.authorization}]` : ''}`);
    handler(req, res, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function versionsOf(r: ChartVersionsResult): string[] {
  assert.ok(!('unavailable' in r), `expected versions, got unavailable: ${'unavailable' in r ? r.unavailable : ''}`);
  return r.versions;
}

function reasonOf(r: ChartVersionsResult): string {
  assert.ok('unavailable' in r, `expected unavailable, got ${JSON.stringify(r)}`);
  return r.unavailable;
}

const INDEX = `apiVersion: v1
entries:
  app-template:
  - apiVersion: v2
    name: app-template
    description: |
      A chart.

      With a blank line.
    urls:
    - https://example.com/app-template-3.7.3.tgz
    version: 3.7.3
  - name: app-template
    version: 4.0.0-rc.1
  - name: app-template
    version: 4.6.2
  - name: app-template
    version: 4.10.0
  - name: app-template
    version: 4.0.0-beta.2
  - name: app-template
    version: 4.0.0-rc.10
  - name: app-template
    version: 4.0.0
  - name: app-template
    version: "1.10"
  other-chart:
  - name: other-chart
    version: 9.9.9
generated: "2025-01-01T00:00:00Z"
`;

describe('chart versions', () => {
  describe('semver order', () => {
    it('compares releases numerically and prereleases by semver rules', () => {
      assert.ok(compareSemver('4.10.0', '4.9.0') > 0);
      assert.ok(compareSemver('v1.17.2', '1.9.0') > 0);
      assert.ok(compareSemver('1.0.0', '1.0.0-rc.1') > 0);
      assert.ok(compareSemver('1.0.0-rc.10', '1.0.0-rc.2') > 0);
      assert.ok(compareSemver('1.0.0-rc.1', '1.0.0-beta.11') > 0);
      assert.ok(compareSemver('1.0.0-alpha.1', '1.0.0-alpha') > 0);
      assert.ok(compareSemver('1.0.0-alpha.beta', '1.0.0-alpha.1') > 0);
      assert.equal(compareSemver('1.2.3+build.1', '1.2.3'), 0);
      assert.ok(compareSemver('1.0.0', 'latest') > 0);
    });

    it('lists releases newest first, then prereleases, or prereleases alone when there is nothing else', () => {
      assert.deepEqual(sortVersions(['1.0.0', '2.0.0-rc.1', '1.10.0', '1.2.0', '2.0.0-beta.1', '1.2.0']), ['1.10.0', '1.2.0', '1.0.0', '2.0.0-rc.1', '2.0.0-beta.1']);
      assert.deepEqual(sortVersions(['0.1.0-alpha', '0.2.0-alpha', '0.1.0-beta']), ['0.2.0-alpha', '0.1.0-beta', '0.1.0-alpha']);
    });

    it('reads a Bearer challenge', () => {
      assert.deepEqual(parseBearerChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:bjw-s-labs/helm/app-template:pull"'), {
        realm: 'https://ghcr.io/token',
        service: 'ghcr.io',
        scope: 'repository:bjw-s-labs/helm/app-template:pull',
      });
      assert.equal(parseBearerChallenge('Basic realm="x"'), undefined);
      assert.equal(parseBearerChallenge(null), undefined);
    });
  });

  describe('Helm repository index', () => {
    let srv: Awaited<ReturnType<typeof serve>>;
    before(async () => {
      srv = await serve((_req, res, url) => {
        const send = (status: number, body: string, type = 'application/x-yaml') => {
          res.writeHead(status, { 'content-type': type });
          res.end(body);
        };
        switch (url.pathname) {
          case '/charts/index.yaml':
            return send(200, INDEX);
          case '/json/index.yaml':
            return send(200, JSON.stringify({ apiVersion: 'v1', entries: { 'app-template': [{ version: '1.0.0' }, { version: '1.1.0' }] } }), 'application/json');
          case '/prerelease/index.yaml':
            return send(200, 'apiVersion: v1\nentries:\n  early:\n  - version: 0.1.0-alpha.1\n  - version: 0.1.0-alpha.2\n');
          case '/html/index.yaml':
            return send(200, '<!doctype html><html><body><h1>Welcome</h1></body></html>', 'text/html');
          case '/garbage/index.yaml':
            return send(200, '\u0000\u0001 {[: not: yaml: at all\n  - ] }}}\n');
          case '/bomb/index.yaml': {
            const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
            for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
            lines.push('entries: { app: [ { version: "1.0.0" } ] }');
            return send(200, lines.join('\n'));
          }
          case '/big/index.yaml':
            return send(200, bigIndex());
          case '/big-broken/index.yaml':
            // Another chart's entry is not YAML: only a reader that parses no more than the wanted entry gets through.
            return send(200, bigIndex().replace('      Chart 7, a description\n', '      Chart 7, a description\n    broken: [unclosed\n'));
          case '/hang/index.yaml':
            return; // never answers
          default:
            return send(404, 'not found', 'text/plain');
        }
      });
    });
    after(() => srv.close());

    it('lists a chart’s versions from index.yaml, newest first, prereleases last, other charts left out', async () => {
      const r = await listChartVersions(`${srv.base}/charts/`, 'app-template');
      assert.deepEqual(versionsOf(r), ['4.10.0', '4.6.2', '4.0.0', '3.7.3', '1.10', '4.0.0-rc.10', '4.0.0-rc.1', '4.0.0-beta.2']);
      assert.equal('source' in r && r.source, 'index');
      assert.ok(srv.requests.includes('GET /charts/index.yaml'));
    });

    it('reads an index served as JSON', async () => {
      assert.deepEqual(versionsOf(await listChartVersions(`${srv.base}/json`, 'app-template')), ['1.1.0', '1.0.0']);
    });

    it('lists prereleases when a chart has nothing else', async () => {
      assert.deepEqual(versionsOf(await listChartVersions(`${srv.base}/prerelease`, 'early')), ['0.1.0-alpha.2', '0.1.0-alpha.1']);
    });

    it('reads one chart out of a large index without parsing it all', async () => {
      const r = await listChartVersions(`${srv.base}/big`, 'chart-150', { timeoutMs: 10_000 });
      assert.deepEqual(versionsOf(r).slice(0, 3), ['1.39.0', '1.38.0', '1.37.0']);
      assert.equal(versionsOf(r).length, 40);
      assert.deepEqual(versionsOf(await listChartVersions(`${srv.base}/big-broken`, 'chart-150', { timeoutMs: 10_000 })), versionsOf(r), 'only chart-150\'s entry is parsed');
      assert.match(reasonOf(await listChartVersions(`${srv.base}/big-broken`, 'chart-7', { timeoutMs: 10_000 })), /not a Helm repository/);
      assert.match(reasonOf(await listChartVersions(`${srv.base}/big`, 'chart-9999', { timeoutMs: 10_000 })), /no chart chart-9999/);
      // The last chart, whose entry runs to the end of `entries`.
      assert.equal(versionsOf(await listChartVersions(`${srv.base}/big`, 'chart-299', { timeoutMs: 10_000 })).length, 40);
    });

    it('says when the chart is not in the index', async () => {
      assert.match(reasonOf(await listChartVersions(`${srv.base}/charts`, 'nope')), /no chart nope/);
      assert.match(reasonOf(await listChartVersions(`${srv.base}/charts`, 'constructor')), /no chart constructor/);
    });

    it('404 → unavailable', async () => {
      assert.match(reasonOf(await listChartVersions(`${srv.base}/missing`, 'app-template')), /404/);
    });

    it('a body that is no Helm index → unavailable', async () => {
      assert.match(reasonOf(await listChartVersions(`${srv.base}/html`, 'app-template')), /not a Helm repository/);
      assert.match(reasonOf(await listChartVersions(`${srv.base}/garbage`, 'app-template')), /not a Helm repository/);
    });

    it('refuses an alias bomb', async () => {
      assert.match(reasonOf(await listChartVersions(`${srv.base}/bomb`, 'app')), /not a Helm repository/);
    });

    it('refuses a body over the size bound', async () => {
      assert.match(reasonOf(await listChartVersions(`${srv.base}/charts`, 'app-template', { maxBytes: 100 })), /too large/);
    });

    it('a server that never answers → timeout within the bound', async () => {
      const t0 = Date.now();
      assert.equal(reasonOf(await listChartVersions(`${srv.base}/hang`, 'app-template', { timeoutMs: 300 })), 'timeout');
      assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
    });

    it('cancels when the signal aborts', async () => {
      const abort = new AbortController();
      const pending = listChartVersions(`${srv.base}/hang`, 'app-template', { signal: abort.signal, timeoutMs: 10_000 });
      setTimeout(() => abort.abort(), 50);
      assert.equal(reasonOf(await pending), 'cancelled');
      assert.equal(reasonOf(await listChartVersions(`${srv.base}/charts`, 'app-template', { signal: AbortSignal.abort() })), 'cancelled');
    });

    it('bad input → unavailable, never a throw', async () => {
      assert.match(reasonOf(await listChartVersions('ftp://example.invalid/charts', 'x')), /not an http/);
      assert.match(reasonOf(await listChartVersions(`${srv.base}/charts`, 'a/b')), /invalid chart name/);
      assert.match(reasonOf(await listChartVersions('https://user:pw@127.0.0.1:1/charts', 'x')), /credentials/);
    });
  });

  it('no network (connection refused) → unavailable', async () => {
    const srv = await serve(() => undefined);
    const base = srv.base;
    const host = srv.host;
    await srv.close();
    assert.equal(reasonOf(await listChartVersions(base, 'app-template', { timeoutMs: 2000 })), 'connection refused');
    assert.equal(reasonOf(await listChartVersions(`oci://${host}/charts`, 'app-template', { timeoutMs: 2000, insecureHttp: true })), 'connection refused');
  });

  describe('OCI registry', () => {
    const TOKEN = 'anon-token-123';
    let srv: Awaited<ReturnType<typeof serve>>;
    let tokenRequests: URL[] = [];
    const pages: Record<string, { tags: string[]; next?: string }> = {
      '': { tags: ['3.7.3', '4.0.0', '4.0.0-rc.1'], next: 'p2' },
      p2: { tags: ['4.10.0', '4.6.2', 'latest'], next: 'p3' },
      p3: { tags: ['4.6.2_build.1', 'sha256-0123abcd.sig', '4.9.0'] },
    };
    before(async () => {
      srv = await serve((req, res, url) => {
        const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(body));
        };
        if (url.pathname === '/token') {
          tokenRequests.push(url);
          if (url.searchParams.get('scope')?.includes('private')) return json(401, { errors: [{ code: 'UNAUTHORIZED' }] });
          return json(200, { token: TOKEN });
        }
        if (url.pathname === '/v2/open/chart/tags/list') return json(200, { name: 'open/chart', tags: ['1.0.0', '1.1.0'] });
        if (url.pathname === '/v2/empty/chart/tags/list') return json(200, { name: 'empty/chart', tags: null });
        if (url.pathname === '/v2/elsewhere/chart/tags/list') return json(200, { tags: ['1.0.0'] }, { link: '<https://evil.example/v2/elsewhere/chart/tags/list?last=1.0.0>; rel="next"' });
        if (url.pathname === '/v2/garbage/chart/tags/list') {
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end('<html>no</html>');
        }
        const m = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
        if (!m) return json(404, { errors: [{ code: 'NAME_UNKNOWN' }] });
        const name = m[1]!;
        if (req.headers.authorization !== `Bearer ${TOKEN}`) {
          return json(401, { errors: [{ code: 'UNAUTHORIZED' }] }, { 'www-authenticate': `Bearer realm="${srv.base}/token",service="127.0.0.1",scope="repository:${name}:pull"` });
        }
        if (name !== 'bjw-s-labs/helm/app-template') return json(404, { errors: [{ code: 'NAME_UNKNOWN' }] });
        const page = pages[url.searchParams.get('last') ?? ''];
        if (!page) return json(400, {});
        const headers: Record<string, string> = page.next ? { link: `</v2/${name}/tags/list?n=3&last=${page.next}>; rel="next"` } : {};
        return json(200, { name, tags: page.tags }, headers);
      });
    });
    beforeEach(() => {
      tokenRequests = [];
      srv.requests.length = 0;
    });
    after(() => srv.close());

    it('fetches an anonymous token on a Bearer challenge and follows Link pagination', async () => {
      const r = await listChartVersions(`oci://${srv.host}/bjw-s-labs/helm`, 'app-template', { insecureHttp: true });
      assert.deepEqual(versionsOf(r), ['4.10.0', '4.9.0', '4.6.2+build.1', '4.6.2', '4.0.0', '3.7.3', '4.0.0-rc.1']);
      assert.equal('source' in r && r.source, 'oci');
      assert.equal(tokenRequests.length, 1, 'one token for every page');
      assert.equal(tokenRequests[0]!.searchParams.get('service'), '127.0.0.1');
      assert.equal(tokenRequests[0]!.searchParams.get('scope'), 'repository:bjw-s-labs/helm/app-template:pull');
      assert.deepEqual(
        srv.requests.filter((q) => q.includes('/v2/')),
        [
          'GET /v2/bjw-s-labs/helm/app-template/tags/list',
          `GET /v2/bjw-s-labs/helm/app-template/tags/list [Bearer ${TOKEN}]`,
          `GET /v2/bjw-s-labs/helm/app-template/tags/list?n=3&last=p2 [Bearer ${TOKEN}]`,
          `GET /v2/bjw-s-labs/helm/app-template/tags/list?n=3&last=p3 [Bearer ${TOKEN}]`,
        ],
      );
    });

    it('stops at the page bound and says the list is truncated', async () => {
      const r = await listChartVersions(`oci://${srv.host}/bjw-s-labs/helm/`, 'app-template', { insecureHttp: true, maxPages: 2 });
      assert.ok('truncated' in r && r.truncated);
      assert.deepEqual(versionsOf(r), ['4.10.0', '4.6.2', '4.0.0', '3.7.3', '4.0.0-rc.1']);
    });

    it('reads an open registry without a token', async () => {
      assert.deepEqual(versionsOf(await listChartVersions(`oci://${srv.host}/open`, 'chart', { insecureHttp: true })), ['1.1.0', '1.0.0']);
      assert.equal(tokenRequests.length, 0);
    });

    it('does not follow a Link to another host', async () => {
      assert.deepEqual(versionsOf(await listChartVersions(`oci://${srv.host}/elsewhere`, 'chart', { insecureHttp: true })), ['1.0.0']);
    });

    it('private chart (no anonymous token) → authentication required', async () => {
      assert.match(reasonOf(await listChartVersions(`oci://${srv.host}/private`, 'chart', { insecureHttp: true })), /authentication required/);
    });

    it('unknown chart → 404', async () => {
      assert.match(reasonOf(await listChartVersions(`oci://${srv.host}/bjw-s-labs/helm`, 'nope', { insecureHttp: true })), /404/);
    });

    it('no tags, or no JSON → unavailable', async () => {
      assert.match(reasonOf(await listChartVersions(`oci://${srv.host}/empty`, 'chart', { insecureHttp: true })), /no versions/);
      assert.match(reasonOf(await listChartVersions(`oci://${srv.host}/garbage`, 'chart', { insecureHttp: true })), /not an OCI registry/);
    });

    it('uses https and refuses a plain-http token realm unless told otherwise', async () => {
      const seen: string[] = [];
      const fetchImpl = (async (input: string | URL | Request) => {
        const url = String(input instanceof Request ? input.url : input);
        seen.push(url);
        return new Response('{}', { status: 401, headers: { 'www-authenticate': 'Bearer realm="http://127.0.0.1:1/token",service="x"' } });
      }) as typeof fetch;
      const r = await listChartVersions('oci://ghcr.io/bjw-s-labs/helm', 'app-template', { fetchImpl });
      assert.match(reasonOf(r), /realm is not https/);
      assert.deepEqual(seen, ['https://ghcr.io/v2/bjw-s-labs/helm/app-template/tags/list']);
      seen.length = 0;
      await listChartVersions('oci://docker.io/bitnamicharts', 'redis', { fetchImpl });
      assert.deepEqual(seen, ['https://registry-1.docker.io/v2/bitnamicharts/redis/tags/list']);
    });

    it('a fetch that ignores the signal still ends within the bound', async () => {
      const fetchImpl = (() => new Promise<Response>(() => undefined)) as typeof fetch;
      const t0 = Date.now();
      assert.equal(reasonOf(await listChartVersions('oci://ghcr.io/x', 'y', { fetchImpl, timeoutMs: 200 })), 'timeout');
      assert.ok(Date.now() - t0 < 2000);
    });
  });
});

/** A Helm-written index of 300 charts × 40 versions (several MB). */
function bigIndex(): string {
  const parts = ['apiVersion: v1\nentries:\n'];
  for (let c = 0; c < 300; c++) {
    parts.push(`  chart-${c}:\n`);
    for (let v = 0; v < 40; v++) {
      parts.push(
        `  - annotations:\n      category: Infrastructure\n    apiVersion: v2\n    appVersion: 1.2.${v}\n    created: "2024-01-01T00:00:00Z"\n    description: |\n      Chart ${c}, a description\n\n      over several lines\n    digest: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n    name: chart-${c}\n    urls:\n    - https://example.com/chart-${c}-1.${v}.0.tgz\n    version: 1.${v}.0\n`,
      );
    }
  }
  parts.push('generated: "2025-01-01T00:00:00Z"\n');
  return parts.join('');
}
