import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApplicationWatchEvent, ArgoCdClient } from '../../../src/core/status/argocdClient';
import { BadResponse, Forbidden, NetworkError, NotFound, ServerError, StatusError, Timeout, Unauthorized } from '../../../src/core/status/errors';
import { makeApp, withStatus } from '../../argocd/apps';
import { FakeArgoCd } from '../../argocd/server';
import { requireTools, toolPath } from '../../support/shared';

async function rejects<T extends StatusError>(p: Promise<unknown>, type: new (...a: never[]) => T): Promise<T> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
    return e as T;
  }
  assert.fail(`expected ${type.name}`);
}

/** Starts a watch and returns the events as they come, plus the promise of its end. */
function watch(client: ArgoCdClient, rv: string | undefined, opts: { keepAlive?: () => void } = {}) {
  const events: ApplicationWatchEvent[] = [];
  const ac = new AbortController();
  let notify = () => {};
  let opened!: () => void;
  const open = new Promise<void>((r) => (opened = r));
  const done = client.watchApplications(
    rv,
    (e) => {
      events.push(e);
      notify();
    },
    ac.signal,
    { onOpen: () => opened(), ...(opts.keepAlive ? { onKeepAlive: opts.keepAlive } : {}) },
  );
  const until = (n: number) =>
    new Promise<void>((resolve) => {
      notify = () => events.length >= n && resolve();
      notify();
    });
  return { events, done, open, until, abort: () => ac.abort() };
}

describe('status/argocdClient against the Argo CD double', () => {
  let server: FakeArgoCd;
  let client: ArgoCdClient;
  let token: string;

  beforeEach(async () => {
    server = await FakeArgoCd.start();
    server.setApps([makeApp('radarr', { appSet: 'media' }), makeApp('sonarr', { appSet: 'media', health: 'Progressing' })]);
    token = server.issueToken();
    client = new ArgoCdClient({ server: server.url, token, timeoutMs: 2_000 });
  });
  afterEach(async () => {
    client.dispose();
    await server.stop();
  });

  it('login: POST /api/v1/session returns a token the client then uses; a wrong password is Unauthorized without echoing it', async () => {
    const c = new ArgoCdClient({ server: server.url });
    const t = await c.login('admin', 'password');
    assert.match(t, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const list = await c.listApplications();
    assert.equal(list.items.length, 2);
    assert.equal(server.requests.at(-1)?.authorization, `Bearer ${t}`);
    const err = await rejects(new ArgoCdClient({ server: server.url }).login('admin', 'hunter2-secret'), Unauthorized);
    assert.doesNotMatch(err.message, /hunter2/);
    c.dispose();
  });

  it('listApplications: items, the list resourceVersion, and the web UI field selection', async () => {
    const list = await client.listApplications();
    assert.deepEqual(
      list.items.map((a) => (a as { metadata: { name: string } }).metadata.name),
      ['radarr', 'sonarr'],
    );
    assert.match(list.resourceVersion ?? '', /^\d+$/);
    const fields = server.requests.at(-1)!.query.get('fields')!;
    assert.ok(fields.split(',').includes('metadata.resourceVersion'));
    assert.ok(fields.split(',').includes('items.status.health'));
    await client.listApplications({ fields: 'all', projects: ['a', 'b'], selector: 'team=x' });
    const q = server.requests.at(-1)!.query;
    assert.equal(q.get('fields'), null);
    assert.deepEqual(q.getAll('projects'), ['a', 'b']);
    assert.equal(q.get('selector'), 'team=x');
  });

  for (const framing of ['ndjson', 'sse'] as const) {
    it(`watchApplications (${framing}): ADDED/MODIFIED/DELETED from the resourceVersion`, async () => {
      const c = new ArgoCdClient({ server: server.url, token, streamFraming: framing });
      const list = await c.listApplications();
      let keepAlives = 0;
      const w = watch(c, list.resourceVersion, { keepAlive: () => keepAlives++ });
      await w.open;
      assert.equal(server.requests.at(-1)!.accept, framing === 'sse' ? 'text/event-stream' : 'application/json');
      server.keepAlive();
      server.emit('MODIFIED', withStatus(makeApp('radarr', { appSet: 'media' }), { health: 'Degraded' }));
      server.emit('ADDED', makeApp('lidarr'));
      server.emit('DELETED', makeApp('sonarr'));
      await w.until(3);
      assert.deepEqual(
        w.events.map((e) => `${e.type} ${(e.application as { metadata: { name: string } }).metadata.name}`),
        ['MODIFIED radarr', 'ADDED lidarr', 'DELETED sonarr'],
      );
      assert.equal(keepAlives, framing === 'sse' ? 1 : 0);
      w.abort();
      await w.done;
      c.dispose();
    });
  }

  it('watchApplications without resourceVersion: the server first sends every app as ADDED', async () => {
    const w = watch(client, undefined);
    await w.until(2);
    assert.deepEqual(
      w.events.map((e) => e.type),
      ['ADDED', 'ADDED'],
    );
    w.abort();
    await w.done;
  });

  it('a mid-stream error chunk becomes the typed error it describes', async () => {
    server.inject('watch', { kind: 'streamError', httpCode: 403, message: 'permission denied: applications, get' });
    const w = watch(client, '1');
    await w.open;
    server.emit('MODIFIED', makeApp('radarr'));
    const err = await rejects(w.done, Forbidden);
    assert.match(err.message, /permission denied/);
  });

  it('a stream cut in the middle of a message is a NetworkError', async () => {
    const w = watch(client, '1');
    await w.open;
    server.injectIntoOpenWatches({ kind: 'dropMidMessage' });
    server.emit('MODIFIED', makeApp('radarr'));
    await rejects(w.done, NetworkError);
    assert.equal(w.events.length, 0);
  });

  it('malformed JSON: BadResponse from list and from the stream', async () => {
    server.inject('list', { kind: 'malformed' });
    await rejects(client.listApplications(), BadResponse);
    const w = watch(client, '1');
    await w.open;
    server.injectIntoOpenWatches({ kind: 'malformed' });
    server.emit('MODIFIED', makeApp('radarr'));
    await rejects(w.done, BadResponse);
  });

  it('HTTP errors are typed: 401 Unauthorized (asks to reconnect), 403, 404, 500; grpc-gateway message kept', async () => {
    const anon = new ArgoCdClient({ server: server.url });
    const e401 = await rejects(anon.listApplications(), Unauthorized);
    assert.match(e401.message, /Reconnect/);
    assert.match(e401.message, /no session information/);
    server.expireTokens();
    assert.match((await rejects(client.listApplications(), Unauthorized)).message, /token is expired/);
    const fresh = new ArgoCdClient({ server: server.url, token: server.issueToken() });
    server.inject('list', { kind: 'status', status: 403, message: 'permission denied' });
    await rejects(fresh.listApplications(), Forbidden);
    await rejects(fresh.getApplication('nope'), NotFound);
    server.inject('list', { kind: 'status', status: 500, message: 'etcd is sad' });
    const e500 = await rejects(fresh.listApplications(), ServerError);
    assert.equal(e500.status, 500);
    assert.match(e500.message, /etcd is sad/);
    anon.dispose();
    fresh.dispose();
  });

  it('slow answers time out: unary request and watch headers', async () => {
    const c = new ArgoCdClient({ server: server.url, token, timeoutMs: 150 });
    server.inject('list', { kind: 'delay', ms: 1_500 });
    await rejects(c.listApplications(), Timeout);
    server.inject('watch', { kind: 'delay', ms: 1_500 });
    await rejects(c.watchApplications('1', () => {}, undefined), Timeout);
    c.dispose();
  });

  it('an SSE watch silent past the idle limit times out; keep-alives hold it open', async () => {
    const c = new ArgoCdClient({ server: server.url, token, streamIdleTimeoutMs: 200 });
    let keepAlives = 0;
    const w = watch(c, '1', { keepAlive: () => keepAlives++ });
    await w.open;
    server.keepAlive();
    await rejects(w.done, Timeout);
    assert.equal(keepAlives, 1);
    c.dispose();
  });

  it('sync starts an operation whose phase changes; refresh sends refresh=normal|hard', async () => {
    const list = await client.listApplications();
    const w = watch(client, list.resourceVersion);
    await w.open;
    const app = await client.sync('sonarr', { prune: true, dryRun: false, revision: 'main' });
    assert.equal(app.operation?.phase, 'Running');
    assert.deepEqual(server.requests.at(-1)!.body, { name: 'sonarr', prune: true, dryRun: false, revision: 'main' });
    await w.until(2);
    const last = w.events.at(-1)!.application as { status: { operationState: { phase: string } } };
    assert.equal(last.status.operationState.phase, 'Succeeded');
    await client.refresh('radarr', true);
    assert.equal(server.requests.at(-1)!.query.get('refresh'), 'hard');
    await client.refresh('radarr');
    assert.equal(server.requests.at(-1)!.query.get('refresh'), 'normal');
    w.abort();
    await w.done;
  });

  it('a server URL with a root path (argocd-server --rootpath) prefixes every call', async () => {
    const rooted = await FakeArgoCd.start({ rootPath: '/argo-cd' });
    try {
      rooted.setApps([makeApp('radarr')]);
      const t = rooted.issueToken();
      const c = new ArgoCdClient({ server: `${rooted.url}/argo-cd/`, token: t });
      assert.equal((await c.listApplications()).items.length, 1);
      assert.equal(c.serverUrl, `${rooted.url}/argo-cd`);
      const w = watch(c, '1');
      await w.open;
      w.abort();
      await w.done;
      await rejects(new ArgoCdClient({ server: rooted.url, token: t }).listApplications(), NotFound);
      c.dispose();
    } finally {
      await rooted.stop();
    }
  });

  it('a refused connection is a NetworkError naming the server, not the token', async () => {
    await server.crash();
    const err = await rejects(client.listApplications(), NetworkError);
    assert.match(err.message, /ECONNREFUSED/);
    assert.ok(!err.message.includes(token));
    await server.resume();
  });
});

describe('status/argocdClient TLS', function () {
  let dir: string;
  let srv: https.Server;
  let url: string;

  before(function () {
    requireTools(this, 'TLS against a server with a self-signed certificate', 'openssl');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-tls-'));
    const r = spawnSync(
      toolPath('openssl') as string,
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      { encoding: 'utf8' },
    );
    // openssl runs here: a certificate it cannot make is a failure to see, not a reason to skip.
    assert.equal(r.status, 0, `openssl could not make a test certificate: ${r.error?.message ?? r.stderr}`);
  });
  beforeEach(async () => {
    srv = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"metadata":{"resourceVersion":"7"},"items":[]}');
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    url = `https://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    srv.closeAllConnections();
    await new Promise<void>((r) => srv.close(() => r()));
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('verifies certificates by default; insecure or the CA for this server only', async () => {
    const strict = new ArgoCdClient({ server: url, token: 'tok-123456' });
    const err = await rejects(strict.listApplications(), NetworkError);
    assert.equal(err.tls, true);
    assert.match(err.message, /not trusted/);
    const insecure = new ArgoCdClient({ server: url, token: 'tok-123456', insecure: true });
    assert.equal((await insecure.listApplications()).resourceVersion, '7');
    const withCa = new ArgoCdClient({ server: url, token: 'tok-123456', ca: fs.readFileSync(path.join(dir, 'cert.pem')) });
    assert.equal((await withCa.listApplications()).resourceVersion, '7');
    // The insecure client did not make the strict one insecure.
    await rejects(strict.listApplications(), NetworkError);
    for (const c of [strict, insecure, withCa]) c.dispose();
  });
});
