/**
 * A local double of the Argo CD API server (loopback only, random port) for the status layer's
 * tests: session, list, get (+refresh), sync, and the application watch stream in both framings
 * (argocd-facts.md §2). The test drives the apps and events and injects faults. Every body it
 * sends is recorded, so the contract test can check each against ../shared/argocd/swagger.json.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Application } from './apps';
import { Conditions } from '../support/conditions';

export type Endpoint = 'session' | 'list' | 'get' | 'sync' | 'watch';

/** What kind of body was sent; the contract test maps each to a swagger definition. */
export type BodyKind = 'session' | 'list' | 'application' | 'streamMessage' | 'error' | 'malformed';

export interface SentBody {
  kind: BodyKind;
  endpoint: Endpoint;
  body: unknown;
}

export interface RequestRecord {
  endpoint: Endpoint | 'other';
  method: string;
  path: string;
  query: URLSearchParams;
  accept: string;
  /** The raw Authorization header: tests grep captured output for the token, never this. */
  authorization?: string;
  body?: unknown;
}

export type Fault =
  | { kind: 'status'; status: number; message?: string }
  /** Answer only after this many ms. */
  | { kind: 'delay'; ms: number }
  /** Body that is not JSON (list/get/session/sync) or a line that is not JSON (watch). */
  | { kind: 'malformed' }
  /** Watch only: write half of the next event, then cut the connection. */
  | { kind: 'dropMidMessage' }
  /** Watch only: send a grpc-gateway stream error chunk with this HTTP code and end. */
  | { kind: 'streamError'; httpCode: number; message?: string };

interface Watcher {
  res: http.ServerResponse;
  sse: boolean;
  minVersion: number;
  drop: boolean;
  malformed: boolean;
  streamError?: { httpCode: number; message: string };
}

export interface FakeArgoCdOptions {
  username?: string;
  password?: string;
  /** How long a started sync stays Running before it Succeeds (ms). */
  syncDurationMs?: number;
  /** Serve the API under this prefix, like `argocd-server --rootpath /argo-cd`. */
  rootPath?: string;
}

const GRPC_CODE: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 409: 6, 500: 13, 502: 14, 503: 14, 504: 4 };
const HTTP_STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' };

export class FakeArgoCd {
  readonly requests: RequestRecord[] = [];
  readonly sent: SentBody[] = [];
  private server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly watchers = new Set<Watcher>();
  private readonly apps = new Map<string, Application>();
  private readonly tokens = new Map<string, { expired: boolean }>();
  private readonly faults = new Map<Endpoint, Fault[]>();
  private readonly conditions = new Conditions();
  private readonly timers = new Set<NodeJS.Timeout>();
  private rv = 100;
  private tokenSeq = 0;
  private port = 0;
  private readonly username: string;
  private readonly password: string;
  private readonly syncDurationMs: number;
  private readonly rootPath: string;

  private constructor(options: FakeArgoCdOptions) {
    this.username = options.username ?? 'admin';
    this.password = options.password ?? 'password';
    this.syncDurationMs = options.syncDurationMs ?? 20;
    this.rootPath = (options.rootPath ?? '').replace(/\/+$/, '');
    this.server = this.createServer();
  }

  static async start(options: FakeArgoCdOptions = {}): Promise<FakeArgoCd> {
    const s = new FakeArgoCd(options);
    await s.listen(0);
    return s;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Open watch streams right now. */
  get watcherCount(): number {
    return this.watchers.size;
  }

  count(endpoint: Endpoint): number {
    return this.requests.filter((r) => r.endpoint === endpoint).length;
  }

  // --- state driven by the test -------------------------------------------------------------

  /** Replaces all apps (no events: as if they had always been there). */
  setApps(apps: Application[]): void {
    this.apps.clear();
    for (const a of apps) {
      const app = structuredClone(a);
      app.metadata.resourceVersion = String(++this.rv);
      this.apps.set(keyOf(app), app);
    }
    this.changed();
  }

  getApp(name: string, namespace = 'argocd'): Application | undefined {
    const app = this.apps.get(`${namespace}/${name}`);
    return app && structuredClone(app);
  }

  appList(): Application[] {
    return [...this.apps.values()].map((a) => structuredClone(a));
  }

  /** Changes the store and sends the event to every watcher. */
  emit(type: 'ADDED' | 'MODIFIED' | 'DELETED', app: Application): Application {
    const next = structuredClone(app);
    next.metadata.namespace ??= 'argocd';
    next.metadata.resourceVersion = String(++this.rv);
    if (type === 'DELETED') this.apps.delete(keyOf(next));
    else this.apps.set(keyOf(next), next);
    this.broadcast(type, next);
    this.changed();
    return structuredClone(next);
  }

  /** A JWT-looking token the server accepts (what `POST /api/v1/session` hands out). */
  issueToken(): string {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const n = ++this.tokenSeq;
    const token = [
      b64({ alg: 'HS256', typ: 'JWT' }),
      b64({ iss: 'argocd', sub: `${this.username}:login`, iat: 1767225600 + n, exp: 1767312000 + n, jti: `jti-${n}-${Math.random().toString(36).slice(2)}` }),
      Buffer.from(`signature-${n}-${Math.random()}`).toString('base64url'),
    ].join('.');
    this.tokens.set(token, { expired: false });
    return token;
  }

  /** Every token issued so far (tests grep for leaks). */
  issuedTokens(): string[] {
    return [...this.tokens.keys()];
  }

  /** Every issued token expires; open watches end with 401 like a restarted server's would. */
  expireTokens(): void {
    for (const t of this.tokens.values()) t.expired = true;
  }

  /** Queues a fault for the next request(s) to an endpoint. */
  inject(endpoint: Endpoint, fault: Fault, times = 1): void {
    const q = this.faults.get(endpoint) ?? [];
    for (let i = 0; i < times; i++) q.push(fault);
    this.faults.set(endpoint, q);
  }

  /** Applies a fault to the watches already open (drop, malformed or stream error on the next event). */
  injectIntoOpenWatches(fault: Extract<Fault, { kind: 'dropMidMessage' | 'malformed' | 'streamError' }>): void {
    for (const w of this.watchers) this.armWatcher(w, fault);
  }

  /** Sends a keep-alive comment to SSE watchers. */
  keepAlive(): void {
    for (const w of this.watchers) if (w.sse) w.res.write(':\n');
  }

  /** Resolves when `predicate` holds; checked after every request and state change. */
  waitFor(predicate: () => boolean): Promise<void> {
    return this.conditions.waitFor(predicate);
  }

  // --- lifecycle ----------------------------------------------------------------------------

  /** Stops listening and cuts every connection (a crashed server). */
  async crash(): Promise<void> {
    for (const w of this.watchers) w.res.destroy();
    this.watchers.clear();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.changed();
  }

  /** Listens again on the same port, state kept (a restarted server). */
  async resume(): Promise<void> {
    this.server = this.createServer();
    await this.listen(this.port);
  }

  async restart(): Promise<void> {
    await this.crash();
    await this.resume();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.crash();
  }

  // --- HTTP ---------------------------------------------------------------------------------

  private createServer(): http.Server {
    const server = http.createServer((req, res) => {
      void this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) this.error(res, 'list', 500, `double failed: ${String(e)}`);
        else res.destroy();
      });
    });
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    return server;
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // server/server.go withRootPath strips the prefix; outside it there is no API.
    const path = url.pathname.startsWith(`${this.rootPath}/`) ? url.pathname.slice(this.rootPath.length) : `/outside-root${url.pathname}`;
    const method = req.method ?? 'GET';
    let endpoint: Endpoint | 'other' = 'other';
    let name = '';
    let m: RegExpMatchArray | null;
    if (path === '/api/v1/session' && method === 'POST') endpoint = 'session';
    else if (path === '/api/v1/applications' && method === 'GET') endpoint = 'list';
    else if (path === '/api/v1/stream/applications' && method === 'GET') endpoint = 'watch';
    else if ((m = path.match(/^\/api\/v1\/applications\/([^/]+)\/sync$/)) && method === 'POST') {
      endpoint = 'sync';
      name = decodeURIComponent(m[1]!);
    } else if ((m = path.match(/^\/api\/v1\/applications\/([^/]+)$/)) && method === 'GET') {
      endpoint = 'get';
      name = decodeURIComponent(m[1]!);
    }

    const raw = method === 'POST' ? await readAll(req) : '';
    let body: unknown;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const record: RequestRecord = {
      endpoint,
      method,
      path,
      query: url.searchParams,
      accept: String(req.headers.accept ?? ''),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(body !== undefined ? { body } : {}),
    };
    this.requests.push(record);
    this.changed();

    if (endpoint === 'other') return this.error(res, 'list', 404, 'Not Found', false);

    const fault = this.faults.get(endpoint)?.shift();
    if (fault?.kind === 'delay') {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          resolve();
        }, fault.ms);
        this.timers.add(t);
      });
      if (res.destroyed || req.destroyed) return;
    }
    if (fault?.kind === 'status') return this.error(res, endpoint, fault.status, fault.message ?? HTTP_STATUS_TEXT[fault.status] ?? 'error');

    if (endpoint === 'session') {
      const b = (body ?? {}) as { username?: unknown; password?: unknown };
      if (b.username !== this.username || b.password !== this.password) {
        return this.error(res, endpoint, 401, 'Invalid username or password');
      }
      if (fault?.kind === 'malformed') return this.malformed(res, endpoint);
      return this.json(res, endpoint, 'session', { token: this.issueToken() });
    }

    const auth = this.authorize(req);
    if (auth) return this.error(res, endpoint, 401, auth);
    if (fault?.kind === 'malformed' && endpoint !== 'watch') return this.malformed(res, endpoint);

    switch (endpoint) {
      case 'list': {
        const items = [...this.apps.values()].sort((a, b) => cmp(keyOf(a), keyOf(b)));
        // `fields` is accepted and ignored: a superset of what was asked for is still valid.
        return this.json(res, endpoint, 'list', { metadata: { resourceVersion: String(this.rv) }, items });
      }
      case 'get': {
        const app = this.apps.get(`${url.searchParams.get('appNamespace') ?? 'argocd'}/${name}`);
        if (!app) return this.error(res, endpoint, 404, `applications.argoproj.io "${name}" not found`);
        const refresh = url.searchParams.get('refresh');
        if (refresh === 'normal' || refresh === 'hard') {
          const next = structuredClone(app);
          next.status = { ...next.status, reconciledAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
          return this.json(res, endpoint, 'application', this.emit('MODIFIED', next));
        }
        return this.json(res, endpoint, 'application', app);
      }
      case 'sync':
        return this.sync(res, name, (body ?? {}) as Record<string, unknown>);
      case 'watch':
        return this.watch(req, res, url, fault);
    }
  }

  private authorize(req: http.IncomingMessage): string | undefined {
    const h = req.headers.authorization;
    let token: string | undefined;
    if (h?.startsWith('Bearer ')) token = h.slice(7);
    else {
      const cookie = /(?:^|;\s*)argocd\.token=([^;]+)/.exec(String(req.headers.cookie ?? ''));
      token = cookie?.[1];
    }
    if (!token) return 'no session information';
    const t = this.tokens.get(token);
    if (!t) return 'invalid session: token signature is invalid';
    if (t.expired) return 'invalid session: token has invalid claims: token is expired';
    return undefined;
  }

  private sync(res: http.ServerResponse, name: string, body: Record<string, unknown>): void {
    const ns = typeof body['appNamespace'] === 'string' ? body['appNamespace'] : 'argocd';
    const app = this.apps.get(`${ns}/${name}`);
    if (!app) return this.error(res, 'sync', 404, `applications.argoproj.io "${name}" not found`);
    const startedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const syncOp: Record<string, unknown> = {
      revision: typeof body['revision'] === 'string' ? body['revision'] : 'HEAD',
      prune: body['prune'] === true,
      dryRun: body['dryRun'] === true,
      syncStrategy: { hook: {} },
    };
    const running = structuredClone(app);
    running.operation = { sync: syncOp, initiatedBy: { username: this.username } };
    running.status = {
      ...running.status,
      operationState: {
        operation: { sync: syncOp, initiatedBy: { username: this.username } },
        phase: 'Running',
        message: 'waiting for completion of hook and 1 more resources',
        startedAt,
      },
    };
    const sent = this.emit('MODIFIED', running);
    const t = setTimeout(() => {
      this.timers.delete(t);
      const current = this.apps.get(keyOf(running));
      if (!current) return;
      const done = structuredClone(current);
      delete done.operation;
      done.status = {
        ...done.status,
        sync: { ...done.status?.sync, status: 'Synced' },
        health: { status: 'Healthy' },
        operationState: {
          ...(done.status?.operationState ?? {}),
          phase: 'Succeeded',
          message: 'successfully synced (all tasks run)',
          finishedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
          syncResult: { revision: syncOp['revision'], resources: [] },
        },
      };
      this.emit('MODIFIED', done);
    }, this.syncDurationMs);
    this.timers.add(t);
    this.json(res, 'sync', 'application', sent);
  }

  private watch(req: http.IncomingMessage, res: http.ServerResponse, url: URL, fault: Fault | undefined): void {
    const sse = /text\/event-stream/.test(String(req.headers.accept ?? ''));
    const rvParam = url.searchParams.get('resourceVersion') ?? '';
    const minVersion = /^\d+$/.test(rvParam) ? Number(rvParam) : 0;
    res.writeHead(200, {
      'Content-Type': sse ? 'text/event-stream' : 'application/json',
      'Cache-Control': 'no-cache',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    const w: Watcher = { res, sse, minVersion, drop: false, malformed: false };
    if (fault?.kind === 'dropMidMessage' || fault?.kind === 'malformed' || fault?.kind === 'streamError') this.armWatcher(w, fault);
    this.watchers.add(w);
    res.on('close', () => {
      this.watchers.delete(w);
      this.changed();
    });
    // Argo CD sends the current apps as ADDED only when no resourceVersion is given
    // (server/application/application.go Watch).
    if (!rvParam) {
      for (const app of [...this.apps.values()].sort((a, b) => cmp(keyOf(a), keyOf(b)))) this.send(w, 'ADDED', app);
    }
    this.changed();
  }

  private armWatcher(w: Watcher, fault: Fault): void {
    if (fault.kind === 'dropMidMessage') w.drop = true;
    else if (fault.kind === 'malformed') w.malformed = true;
    else if (fault.kind === 'streamError') w.streamError = { httpCode: fault.httpCode, message: fault.message ?? HTTP_STATUS_TEXT[fault.httpCode] ?? 'error' };
  }

  private broadcast(type: string, app: Application): void {
    for (const w of [...this.watchers]) {
      const rv = Number(app.metadata.resourceVersion);
      if (w.minVersion > 0 && rv < w.minVersion) continue;
      this.send(w, type, app);
    }
  }

  private send(w: Watcher, type: string, app: Application): void {
    if (w.streamError) {
      const { httpCode, message } = w.streamError;
      const body = { error: { grpc_code: GRPC_CODE[httpCode] ?? 2, http_code: httpCode, message, http_status: HTTP_STATUS_TEXT[httpCode] ?? 'Unknown' } };
      this.sent.push({ kind: 'streamMessage', endpoint: 'watch', body });
      // grpc-gateway writes the error chunk without a delimiter, then the stream ends.
      w.res.end(w.sse ? `data: ${JSON.stringify(body)} \n\n` : JSON.stringify(body));
      this.watchers.delete(w);
      return;
    }
    if (w.malformed) {
      w.malformed = false;
      const garbage = '{"result":{"type":"MODIFIED","application":{"metadata":{"name":';
      this.sent.push({ kind: 'malformed', endpoint: 'watch', body: garbage });
      w.res.write(w.sse ? `data: ${garbage} \n\n\n` : `${garbage}\n`);
      return;
    }
    const body = { result: { type, application: app } };
    const text = JSON.stringify(body);
    const framed = w.sse ? `data: ${text} \n\n\n` : `${text}\n`;
    if (w.drop) {
      w.drop = false;
      this.watchers.delete(w);
      w.res.write(framed.slice(0, Math.floor(framed.length / 2)), () => w.res.destroy());
      return;
    }
    this.sent.push({ kind: 'streamMessage', endpoint: 'watch', body });
    w.res.write(framed);
  }

  private json(res: http.ServerResponse, endpoint: Endpoint, kind: BodyKind, body: unknown): void {
    this.sent.push({ kind, endpoint, body: structuredClone(body) });
    const text = JSON.stringify(body);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private malformed(res: http.ServerResponse, endpoint: Endpoint): void {
    const text = '{"metadata":{"resourceVersion":"1"},"items":[{"metadata":{"name":"x"}';
    this.sent.push({ kind: 'malformed', endpoint, body: text });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  /** grpc-gateway v1.16 DefaultHTTPError body. */
  private error(res: http.ServerResponse, endpoint: Endpoint, status: number, message: string, record = true): void {
    const body = { error: message, code: GRPC_CODE[status] ?? 2, message };
    if (record) this.sent.push({ kind: 'error', endpoint, body });
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  private changed(): void {
    this.conditions.changed();
  }
}

function keyOf(app: Application): string {
  return `${app.metadata.namespace ?? 'argocd'}/${app.metadata.name}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function readAll(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
