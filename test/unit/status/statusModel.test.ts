import assert from 'node:assert/strict';
import { argoCdSource } from '../../../src/core/status/argocdSource';
import { ArgoCdClient, ArgoCdClientOptions } from '../../../src/core/status/argocdClient';
import { BadResponse, NetworkError, ServerError, Timeout } from '../../../src/core/status/errors';
import { StatusChange, StatusModel, StatusModelOptions, StatusSource } from '../../../src/core/status/statusModel';
import { parseApplication } from '../../../src/core/status/types';
import { makeApp, withStatus } from '../../argocd/apps';
import { FakeArgoCd } from '../../argocd/server';
import { FakeClock, isState, Transcript, waitForChange, waitForState, waitForStore } from './helpers';

const APPS = () => [
  makeApp('radarr', { appSet: 'media' }),
  makeApp('sonarr', { appSet: 'media', health: 'Progressing' }),
  makeApp('home-assistant', { appSet: 'home', sync: 'OutOfSync' }),
];

/** The server's apps as the model should hold them. */
function expected(server: FakeArgoCd) {
  return server
    .appList()
    .map((a) => parseApplication(a)!)
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}

describe('status/statusModel against the Argo CD double', () => {
  let server: FakeArgoCd;
  let token: string;
  let transcript: Transcript;
  const models: StatusModel[] = [];
  const clients: ArgoCdClient[] = [];

  function model(options: StatusModelOptions = {}, clientOptions: Partial<ArgoCdClientOptions> = {}): StatusModel {
    const client = new ArgoCdClient({ server: server.url, token, timeoutMs: 2_000, ...clientOptions });
    clients.push(client);
    const m = new StatusModel(argoCdSource(client, { token }), { log: transcript.log, ...options });
    transcript.watch(m);
    models.push(m);
    return m;
  }

  beforeEach(async () => {
    server = await FakeArgoCd.start();
    server.setApps(APPS());
    token = server.issueToken();
    transcript = new Transcript();
  });
  afterEach(async () => {
    for (const m of models.splice(0)) m.dispose();
    for (const c of clients.splice(0)) c.dispose();
    await server.stop();
    // The token never appears in anything the layer said, whatever the test did.
    assert.ok(!transcript.text.includes(token), 'token leaked into the transcript');
  });

  for (const framing of ['ndjson', 'sse'] as const) {
    it(`list + watch (${framing}): live, then a MODIFIED changes health within one coalescing interval`, async () => {
      // Fake time stands still: timers of up to the 100 ms interval fire on their own, longer ones
      // never. A change that arrives at all was flushed within one interval, however loaded the machine.
      const clock = new FakeClock(100);
      const m = model({ coalesceMs: 100, clock }, { streamFraming: framing });
      const states: string[] = [];
      m.onDidChangeState((s) => states.push(s.state));
      const first = waitForChange(m);
      m.start();
      await waitForState(m, isState('live'));
      await server.waitFor(() => server.watcherCount === 1);
      assert.deepEqual(states, ['connecting', 'live']);
      assert.equal(m.status.stale, false);
      assert.deepEqual(
        (await first).updated.map((a) => a.name).sort(),
        ['home-assistant', 'radarr', 'sonarr'],
      );
      assert.equal(m.get('argocd/sonarr')?.health, 'Progressing');
      assert.equal(m.get('argocd/radarr')?.appSet, 'media');

      await waitForStore(m, () => m.size === 3); // the resync list after open changes nothing
      const change = waitForChange(m, (c) => c.updated.some((a) => a.name === 'sonarr'));
      server.emit('MODIFIED', withStatus(makeApp('sonarr', { appSet: 'media' }), { health: 'Healthy' }));
      const c = await change;
      assert.equal(c.updated.find((a) => a.name === 'sonarr')?.health, 'Healthy');
      assert.equal(clock.now(), 1_000_000, 'no time had to pass beyond the interval');
      assert.equal(m.get('argocd/sonarr')?.health, 'Healthy');
    });
  }

  it('DELETED removes the app and reports it as removed', async () => {
    const m = model();
    m.start();
    await waitForState(m, isState('live'));
    await waitForStore(m, () => m.size === 3);
    const change = waitForChange(m, (c) => c.removed.length > 0);
    server.emit('DELETED', makeApp('radarr'));
    assert.deepEqual((await change).removed, [{ key: 'argocd/radarr', name: 'radarr', namespace: 'argocd' }]);
    assert.equal(m.get('argocd/radarr'), undefined);
    assert.equal(m.size, 2);
  });

  it('coalesces a burst of events into at most one notification per interval, losing none', async () => {
    // The model's own (fake) clock moves in 5 ms steps while the events stream in; each
    // notification is stamped with it, so the interval between two is exact on any machine.
    const clock = new FakeClock(0);
    const m = model({ coalesceMs: 50, clock });
    m.start();
    await waitForState(m, isState('live'));
    await waitForStore(m, () => m.size === 3);
    const step = async () => {
      clock.advance(5);
      await new Promise((r) => setTimeout(r, 5));
    };
    for (let i = 0; i < 20; i++) await step(); // the initial list's notification goes out
    const notes: { at: number; change: StatusChange }[] = [];
    m.onDidChange((change) => notes.push({ at: clock.now(), change }));
    const names = Array.from({ length: 200 }, (_, i) => `app-${String(i).padStart(3, '0')}`);
    for (const n of names) server.emit('ADDED', makeApp(n));
    for (const n of names) server.emit('MODIFIED', withStatus(makeApp(n), { health: 'Degraded' }));
    while (!names.every((n) => m.get(`argocd/${n}`)?.health === 'Degraded')) await step();
    for (let i = 0; i < 20; i++) await step(); // the last flush
    for (let i = 1; i < notes.length; i++) assert.ok(notes[i]!.at - notes[i - 1]!.at >= 50, `two notifications ${notes[i]!.at - notes[i - 1]!.at} ms apart`);
    const reported = new Set(notes.flatMap((n) => n.change.updated.map((a) => a.name)));
    for (const n of names) assert.ok(reported.has(n), `${n} never reported`);
    assert.ok(notes.length < 50, `${notes.length} notifications for 400 events`);
  });

  it('stream dropped mid-message: reconnects with backoff, re-lists, and ends with exactly the server state', async () => {
    const clock = new FakeClock();
    const m = model({ clock, random: () => 0.5, coalesceMs: 10 });
    m.start();
    await waitForState(m, isState('live'));
    await server.waitFor(() => server.count('list') === 2); // list + resync on open
    await waitForStore(m, () => m.size === 3);
    const liveAt = m.status.lastEventAt;

    server.emit('MODIFIED', withStatus(makeApp('radarr', { appSet: 'media' }), { health: 'Degraded' }));
    server.injectIntoOpenWatches({ kind: 'dropMidMessage' });
    // This event is cut in half on the wire; the store must still end up with it.
    server.emit('MODIFIED', withStatus(makeApp('sonarr', { appSet: 'media' }), { sync: 'OutOfSync', health: 'Missing' }));
    const down = await waitForState(m, isState('reconnecting'));
    assert.ok(down.error instanceof NetworkError, String(down.error));
    assert.equal(down.stale, true);
    assert.ok((down.lastEventAt ?? 0) >= (liveAt ?? 0));
    // While disconnected: one app deleted, one added. Nothing may be lost or duplicated.
    server.emit('DELETED', makeApp('home-assistant'));
    server.emit('ADDED', makeApp('lidarr', { appSet: 'media' }));
    assert.deepEqual(clock.pending().filter((d) => d > 10), [750]); // 1000 ms with equal jitter at random 0.5
    clock.advance(750);
    await waitForState(m, isState('live'));
    await server.waitFor(() => server.watcherCount === 1);
    server.emit('MODIFIED', withStatus(makeApp('lidarr', { appSet: 'media' }), { health: 'Progressing' }));
    await waitForStore(m, () => m.get('argocd/lidarr')?.health === 'Progressing');
    await server.waitFor(() => server.count('list') === 4);
    await waitForStore(m, () => m.get('argocd/home-assistant') === undefined);
    assert.deepEqual(m.list(), expected(server));
    assert.equal(m.get('argocd/sonarr')?.health, 'Missing');
    assert.equal(m.status.state, 'live');
  });

  it('401 (token expired): state unauthorized, asks to reconnect, and no retry storm', async () => {
    const clock = new FakeClock();
    server.expireTokens();
    const m = model({ clock });
    m.start();
    const s = await waitForState(m, isState('unauthorized'));
    assert.match(s.message ?? '', /expired/);
    assert.match(s.message ?? '', /Reconnect/);
    assert.equal(s.stale, true);
    assert.deepEqual(clock.pending(), [], 'a retry is scheduled');
    clock.advance(3_600_000);
    assert.equal(server.count('list'), 1);
    assert.equal(m.status.state, 'unauthorized');

    // Reconnecting with a fresh token works.
    const fresh = server.issueToken();
    const client = new ArgoCdClient({ server: server.url, token: fresh });
    clients.push(client);
    m.reconnect(argoCdSource(client, { token: fresh }));
    await waitForState(m, isState('live'));
    assert.ok(!transcript.text.includes(fresh));
  });

  it('401 in the middle of a live stream: unauthorized, the store kept but stale', async () => {
    const clock = new FakeClock();
    const m = model({ clock, coalesceMs: 0 });
    m.start();
    await waitForState(m, isState('live'));
    await server.waitFor(() => server.count('list') === 2);
    server.expireTokens();
    server.injectIntoOpenWatches({ kind: 'streamError', httpCode: 401, message: 'invalid session: token has invalid claims: token is expired' });
    server.emit('MODIFIED', makeApp('radarr'));
    const s = await waitForState(m, isState('unauthorized'));
    assert.equal(s.stale, true);
    assert.equal(m.size, 3);
    assert.deepEqual(clock.pending(), []);
  });

  it('500: capped exponential backoff with jitter, reconnecting + stale; recovers when the server does', async () => {
    const clock = new FakeClock();
    const m = model({ clock, random: () => 0.5, initialBackoffMs: 1_000, maxBackoffMs: 8_000 });
    m.start();
    await waitForState(m, isState('live'));
    await server.waitFor(() => server.count('list') === 2);
    const lastGood = m.status.lastEventAt;
    server.inject('list', { kind: 'status', status: 500, message: 'internal error' }, 6);
    server.injectIntoOpenWatches({ kind: 'dropMidMessage' });
    server.emit('MODIFIED', makeApp('radarr'));

    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const s = await waitForState(m, (x) => x.state === 'reconnecting' && x.retryAt !== undefined && x.attempt === i + 1);
      if (i > 0) assert.ok(s.error instanceof ServerError, String(s.error));
      assert.equal(s.stale, true);
      assert.equal(s.lastEventAt, lastGood, 'a failure is not a good event');
      delays.push(s.retryAt! - clock.now());
      const lists = server.count('list');
      clock.advance(s.retryAt! - clock.now());
      await server.waitFor(() => server.count('list') === lists + 1);
    }
    // base 1 s doubling, capped at 8 s; equal jitter at random 0.5 → 75 %.
    assert.deepEqual(delays, [750, 1500, 3000, 6000, 6000, 6000]);
    // The sixth 500 was the last: one more wait, then live.
    const last = await waitForState(m, (x) => x.state === 'reconnecting' && x.attempt === 7);
    assert.equal(server.count('list'), 2 + 6);
    clock.advance(last.retryAt! - clock.now());
    await waitForState(m, isState('live'));
    assert.equal(m.status.stale, false);
    assert.ok((m.status.lastEventAt ?? 0) > (lastGood ?? 0));
  });

  it('slow server: requests time out, reconnecting with backoff, then live', async () => {
    const clock = new FakeClock();
    const m = model({ clock, random: () => 0 }, { timeoutMs: 150 });
    server.inject('list', { kind: 'delay', ms: 2_000 });
    m.start();
    const s = await waitForState(m, isState('reconnecting'));
    assert.ok(s.error instanceof Timeout, String(s.error));
    assert.equal(s.stale, true);
    server.inject('watch', { kind: 'delay', ms: 2_000 });
    clock.advance(clock.pending()[0]!);
    const s2 = await waitForState(m, (x) => x.state === 'reconnecting' && x.attempt === 2);
    assert.ok(s2.error instanceof Timeout, String(s2.error));
    assert.equal(m.size, 3, 'the list that did arrive is kept (stale)');
    clock.advance(clock.pending().at(-1)!);
    await waitForState(m, isState('live'));
  });

  it('malformed JSON in the list and in the stream: BadResponse, reconnect, no crash', async () => {
    const clock = new FakeClock();
    const m = model({ clock, random: () => 0 });
    server.inject('list', { kind: 'malformed' });
    m.start();
    const s = await waitForState(m, isState('reconnecting'));
    assert.ok(s.error instanceof BadResponse, String(s.error));
    clock.advance(clock.pending().at(-1)!);
    await waitForState(m, isState('live'));
    await server.waitFor(() => server.watcherCount === 1);
    server.injectIntoOpenWatches({ kind: 'malformed' });
    server.emit('MODIFIED', makeApp('radarr'));
    const s2 = await waitForState(m, isState('reconnecting'));
    assert.ok(s2.error instanceof BadResponse, String(s2.error));
    clock.advance(clock.pending().at(-1)!);
    await waitForState(m, isState('live'));
  });

  it('server restart: cut, refused while down, then recovers with the state changed meanwhile', async () => {
    const clock = new FakeClock();
    const m = model({ clock, random: () => 0 });
    m.start();
    await waitForState(m, isState('live'));
    await server.crash();
    const s = await waitForState(m, isState('reconnecting'));
    assert.equal(s.stale, true);
    server.emit('MODIFIED', withStatus(makeApp('radarr', { appSet: 'media' }), { health: 'Degraded' }));
    clock.advance(clock.pending().at(-1)!);
    const refused = await waitForState(m, (x) => x.state === 'reconnecting' && x.attempt === 2);
    assert.match(refused.error?.message ?? '', /ECONNREFUSED/);
    await server.resume();
    clock.advance(clock.pending().at(-1)!);
    await waitForState(m, isState('live'));
    await waitForStore(m, () => m.get('argocd/radarr')?.health === 'Degraded');
  });

  it('a change between the list and the watch subscription is not lost (resync on open)', async () => {
    const m = model();
    server.inject('watch', { kind: 'delay', ms: 100 });
    m.start();
    await server.waitFor(() => server.count('watch') === 1);
    server.emit('MODIFIED', withStatus(makeApp('radarr', { appSet: 'media' }), { health: 'Suspended' }));
    await waitForState(m, isState('live'));
    await waitForStore(m, () => m.get('argocd/radarr')?.health === 'Suspended');
  });

  it('the token never appears in errors or logs, even when the server echoes it', async () => {
    const clock = new FakeClock();
    const m = model({ clock, random: () => 0 });
    server.inject('list', { kind: 'status', status: 500, message: `upstream rejected Authorization: Bearer ${token}` });
    m.start();
    const s = await waitForState(m, isState('reconnecting'));
    assert.match(s.message ?? '', /\*\*\*/);
    clock.advance(clock.pending().at(-1)!);
    await waitForState(m, isState('live'));
    server.injectIntoOpenWatches({ kind: 'streamError', httpCode: 503, message: `token ${token} overloaded` });
    server.emit('MODIFIED', makeApp('radarr'));
    await waitForState(m, isState('reconnecting'));
    server.injectIntoOpenWatches({ kind: 'malformed' });
    clock.advance(clock.pending().at(-1)!);
    await waitForState(m, isState('live'));
    server.expireTokens();
    server.injectIntoOpenWatches({ kind: 'streamError', httpCode: 401, message: `bad token ${token}` });
    server.emit('MODIFIED', makeApp('radarr'));
    await waitForState(m, isState('unauthorized'));
    assert.ok(transcript.lines.length > 5);
    assert.ok(!transcript.text.includes(token));
    // Errors thrown by the client directly, too.
    const client = new ArgoCdClient({ server: server.url, token });
    clients.push(client);
    for (const p of [client.listApplications(), client.sync('radarr'), client.refresh('radarr', true)]) {
      try {
        await p;
      } catch (e) {
        transcript.add(e);
      }
    }
    assert.ok(!transcript.text.includes(token));
  });

  it('dispose stops everything: stream closed, no timers left, no more notifications', async () => {
    const clock = new FakeClock(0);
    const m = model({ clock, coalesceMs: 100 });
    m.start();
    await waitForState(m, isState('live'));
    await server.waitFor(() => server.watcherCount === 1);
    server.emit('MODIFIED', withStatus(makeApp('radarr'), { health: 'Degraded' }));
    await server.waitFor(() => server.count('list') === 2);
    let notified = 0;
    m.onDidChange(() => notified++);
    m.dispose();
    assert.deepEqual(clock.pending(), []);
    assert.equal(clock.autoPending, 0);
    await server.waitFor(() => server.watcherCount === 0);
    clock.advance(1_000);
    assert.equal(notified, 0);
    assert.equal(m.status.state, 'disconnected');
  });

  it('stop() keeps the store, marked stale as disconnected; start() again goes live', async () => {
    const m = model();
    m.start();
    await waitForState(m, isState('live'));
    m.stop();
    assert.equal(m.status.state, 'disconnected');
    assert.equal(m.status.stale, true);
    assert.equal(m.size, 3);
    await server.waitFor(() => server.watcherCount === 0);
    m.start();
    await waitForState(m, isState('live'));
  });
});

describe('status/statusModel with a scripted source', () => {
  it('a source that throws something odd does not crash the loop; listeners that throw do not either', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const source: StatusSource = {
      description: 'scripted',
      list: async () => {
        calls++;
        if (calls === 1) throw 'a string';
        return { items: [null, 42, makeApp('a')], resourceVersion: 'not-a-number' };
      },
      watch: (_rv, sink, signal) =>
        new Promise<void>((resolve) => {
          sink.open();
          sink.event('BOOKMARK', {});
          sink.event('MODIFIED', { garbage: true });
          sink.event('MODIFIED', withStatus(makeApp('a'), { health: 'Degraded' }));
          signal.addEventListener('abort', () => resolve());
        }),
    };
    const m = new StatusModel(source, { clock, random: () => 0, coalesceMs: 0 });
    m.onDidChange(() => {
      throw new Error('listener bug');
    });
    m.onDidChangeState(() => {
      throw new Error('listener bug');
    });
    m.start();
    await waitForState(m, isState('reconnecting'));
    assert.ok(m.status.error instanceof NetworkError);
    clock.advance(clock.pending().at(-1)!);
    await waitForState(m, isState('live'));
    assert.equal(m.get('argocd/a')?.health, 'Degraded');
    clock.advance(1);
    m.dispose();
    assert.deepEqual(clock.pending(), []);
  });

  it('a watch that stayed up long enough resets the backoff', async () => {
    const clock = new FakeClock();
    let end: () => void = () => {};
    const source: StatusSource = {
      description: 'scripted',
      list: async () => ({ items: [] }),
      watch: (_rv, sink) =>
        new Promise<void>((resolve) => {
          sink.open();
          end = resolve;
        }),
    };
    const m = new StatusModel(source, { clock, random: () => 1, initialBackoffMs: 1_000, stableAfterMs: 30_000 });
    m.start();
    await waitForState(m, isState('live'));
    end();
    assert.equal((await waitForState(m, isState('reconnecting'))).retryAt! - clock.now(), 1_000);
    clock.advance(1_000);
    await waitForState(m, isState('live'));
    end();
    assert.equal((await waitForState(m, isState('reconnecting'))).retryAt! - clock.now(), 2_000);
    clock.advance(2_000);
    await waitForState(m, isState('live'));
    clock.advance(30_000);
    end();
    assert.equal((await waitForState(m, isState('reconnecting'))).retryAt! - clock.now(), 1_000);
    m.dispose();
  });
});
