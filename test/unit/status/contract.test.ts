/**
 * The Argo CD double must not drift from the real API: every body it produced while the client
 * and the model exercised all its endpoints and faults is validated against Argo CD's swagger
 * (closed world, see test/argocd/swagger.ts), and so is every request body the client sent.
 */
import assert from 'node:assert/strict';
import { ArgoCdClient } from '../../../src/core/status/argocdClient';
import { makeApp, withStatus } from '../../argocd/apps';
import { Endpoint, FakeArgoCd } from '../../argocd/server';
import { loadSwagger, SWAGGER_PATH, SwaggerValidator } from '../../argocd/swagger';
import { requireShared } from '../../support/shared';

const ROUTES: Record<Endpoint, [method: string, path: string]> = {
  session: ['POST', '/api/v1/session'],
  list: ['GET', '/api/v1/applications'],
  get: ['GET', '/api/v1/applications/{name}'],
  sync: ['POST', '/api/v1/applications/{name}/sync'],
  watch: ['GET', '/api/v1/stream/applications'],
};

async function settle(p: Promise<unknown>): Promise<void> {
  await p.then(
    () => undefined,
    () => undefined,
  );
}

describe('status/contract: the Argo CD double against swagger.json', function () {
  let swagger: SwaggerValidator;

  before(function () {
    requireShared(this, "the Argo CD double checked against Argo CD's swagger.json", SWAGGER_PATH);
    swagger = loadSwagger();
  });

  it('the validator is strict enough to notice drift', () => {
    const app = makeApp('a');
    assert.deepEqual(swagger.definition('v1alpha1Application', app), []);
    assert.notDeepEqual(swagger.definition('v1alpha1Application', { ...app, bogus: 1 }), []);
    assert.notDeepEqual(swagger.definition('v1alpha1Application', { ...app, status: { health: { status: 7 } } }), []);
    assert.notDeepEqual(swagger.response('GET', '/api/v1/stream/applications', '200', { result: { type: 'ADDED', app } }), []);
    assert.notDeepEqual(swagger.response('GET', '/api/v1/applications', 'default', { error: 'x', code: 'sixteen' }), []);
    assert.notDeepEqual(swagger.definition('v1alpha1Application', { ...app, metadata: { ...app.metadata, creationTimestamp: 'yesterday' } }), []);
  });

  it('requires what a real server always sends: a body without it fails', () => {
    const app = makeApp('a');
    const without = (pathTo: string[]): unknown => {
      const copy = structuredClone(app) as unknown as Record<string, unknown>;
      let at = copy;
      for (const k of pathTo.slice(0, -1)) at = at[k] as Record<string, unknown>;
      delete at[pathTo[pathTo.length - 1] as string];
      return copy;
    };
    for (const missing of [['status'], ['spec', 'project'], ['spec', 'destination'], ['status', 'sync'], ['status', 'sync', 'status'], ['status', 'health'], ['metadata', 'resourceVersion'], ['metadata', 'uid'], ['metadata', 'creationTimestamp']]) {
      assert.match(swagger.definition('v1alpha1Application', without(missing)).join('; '), new RegExp(`must have required property '${missing[missing.length - 1]}'`), missing.join('.'));
    }
    assert.notDeepEqual(swagger.response('GET', '/api/v1/applications', '200', { metadata: { resourceVersion: '1' } }), [], 'a list without items');
    assert.notDeepEqual(swagger.response('GET', '/api/v1/applications', '200', { metadata: {}, items: [] }), [], 'a list without its resourceVersion');
    assert.notDeepEqual(swagger.response('GET', '/api/v1/stream/applications', '200', { result: { type: 'MODIFIED' } }), [], 'an event without its application');
    assert.notDeepEqual(swagger.response('POST', '/api/v1/session', '200', {}), [], 'a session without its token');
  });

  it('every body the double produced, and every request the client sent, validates', async () => {
    const server = await FakeArgoCd.start({ syncDurationMs: 5 });
    try {
      server.setApps([
        makeApp('radarr', { appSet: 'media', conditions: [{ type: 'SyncError', message: 'x' }] }),
        makeApp('sonarr', { appSet: 'media', health: 'Progressing', healthMessage: 'waiting' }),
        makeApp('bootstrap', { project: 'platform' }),
      ]);
      const anon = new ArgoCdClient({ server: server.url, timeoutMs: 2_000 });
      await settle(anon.login('admin', 'wrong'));
      const token = await anon.login('admin', 'password');
      const client = new ArgoCdClient({ server: server.url, token, timeoutMs: 2_000 });
      const list = await client.listApplications();
      await client.listApplications({ fields: 'all' });
      await client.getApplication('radarr');
      await settle(client.getApplication('missing'));
      await client.refresh('radarr', true);

      // Watches in both framings, from a version and from scratch, through a sync.
      for (const framing of ['ndjson', 'sse'] as const) {
        for (const rv of [list.resourceVersion, undefined]) {
          const c = new ArgoCdClient({ server: server.url, token, streamFraming: framing });
          const ac = new AbortController();
          let seen = 0;
          let notify = () => {};
          let opened!: () => void;
          const open = new Promise<void>((r) => (opened = r));
          const done = c.watchApplications(
            rv,
            () => {
              seen++;
              notify();
            },
            ac.signal,
            { onOpen: () => opened() },
          );
          await open;
          const before = seen;
          server.keepAlive();
          await c.sync('sonarr', { prune: true, revision: 'main' });
          server.emit('MODIFIED', withStatus(makeApp('radarr', { appSet: 'media' }), { health: 'Degraded', healthMessage: 'CrashLoopBackOff' }));
          server.emit('ADDED', makeApp('lidarr'));
          server.emit('DELETED', makeApp('lidarr'));
          await new Promise<void>((resolve) => {
            notify = () => seen >= before + 5 && resolve(); // sync Running, Succeeded, MODIFIED, ADDED, DELETED
            notify();
          });
          ac.abort();
          await done;
          c.dispose();
        }
      }

      // Errors: unary and mid-stream.
      await settle(anon.listApplications());
      for (const status of [403, 404, 500, 503]) {
        server.inject('list', { kind: 'status', status });
        await settle(client.listApplications());
      }
      server.inject('sync', { kind: 'status', status: 403, message: 'permission denied' });
      await settle(client.sync('radarr'));
      for (const framing of ['ndjson', 'sse'] as const) {
        const c = new ArgoCdClient({ server: server.url, token, streamFraming: framing });
        server.inject('watch', { kind: 'streamError', httpCode: 403 });
        const ac = new AbortController();
        let opened!: () => void;
        const open = new Promise<void>((r) => (opened = r));
        const done = c.watchApplications('1', () => {}, ac.signal, { onOpen: () => opened() });
        await open;
        server.emit('MODIFIED', makeApp('radarr'));
        await settle(done);
        c.dispose();
      }
      server.expireTokens();
      await settle(client.listApplications());
      anon.dispose();
      client.dispose();

      // Validate.
      const kinds = new Set<string>();
      const failures: string[] = [];
      for (const s of server.sent) {
        if (s.kind === 'malformed') continue;
        const [method, apiPath] = ROUTES[s.endpoint];
        const errors = swagger.response(method, apiPath, s.kind === 'error' ? 'default' : '200', s.body);
        kinds.add(`${s.endpoint}:${s.kind}${s.kind === 'streamMessage' ? (('error' in (s.body as object)) ? ':error' : ':result') : ''}`);
        if (errors.length) failures.push(`${s.endpoint} ${s.kind}: ${errors.join('; ')}\n  ${JSON.stringify(s.body).slice(0, 300)}`);
      }
      for (const r of server.requests) {
        if (r.body === undefined || r.endpoint === 'other') continue;
        const [method, apiPath] = ROUTES[r.endpoint];
        const errors = swagger.requestBody(method, apiPath, r.body);
        kinds.add(`request:${r.endpoint}`);
        if (errors.length) failures.push(`request ${r.endpoint}: ${errors.join('; ')}`);
      }
      assert.deepEqual(failures, []);
      // Everything the double can say was said.
      assert.deepEqual(
        [...kinds].sort(),
        [
          'get:application',
          'get:error',
          'list:error',
          'list:list',
          'request:session',
          'request:sync',
          'session:error',
          'session:session',
          'sync:application',
          'sync:error',
          'watch:streamMessage:error',
          'watch:streamMessage:result',
        ],
      );
    } finally {
      await server.stop();
    }
  });
});
