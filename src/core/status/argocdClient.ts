/**
 * A small REST client for the Argo CD API server (the grpc-gateway JSON API the web UI uses).
 * Endpoints, stream framing and error bodies as Argo CD's API server serves them (the
 * ApplicationService of server/application/application.proto through grpc-gateway; the
 * release's assets/swagger.json describes the bodies, and test/unit/status checks our double
 * of it against that file).
 *
 * node:http/https rather than fetch, so that the request timeout, the idle timeout of a watch
 * stream and TLS verification are ours to control per request and per server.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import {
  BadResponse,
  ConfigError,
  Forbidden,
  NetworkError,
  NotFound,
  redact,
  ServerError,
  StatusError,
  Timeout,
  Unauthorized,
  isTlsVerifyError,
} from './errors';
import { FramingError, NdjsonDecoder, SseDecoder } from './framing';
import { AppStatus, parseApplication } from './types';

export interface ArgoCdClientOptions {
  /** `https://argocd.example.com`, with the server's root path if it has one (`https://host/argo-cd`). */
  server: string;
  token?: string;
  /** Skip TLS certificate verification for this server only. Off unless the user chose it. */
  insecure?: boolean;
  /** Extra CA certificates (PEM) to trust for this server. */
  ca?: string | Buffer;
  /** Whole-request timeout of unary calls, and time to the response headers of a watch. */
  timeoutMs?: number;
  /**
   * A `text/event-stream` watch silent for this long is treated as dropped (Argo CD writes a
   * keep-alive comment every 15 s). Newline-delimited JSON has no keep-alive, so there is no idle
   * limit for it. 0 disables.
   */
  streamIdleTimeoutMs?: number;
  /** Framing to ask the watch stream for; the response's Content-Type decides how it is read. */
  streamFraming?: 'sse' | 'ndjson';
  userAgent?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ApplicationWatchEvent {
  /** ADDED | MODIFIED | DELETED; other strings are passed on for the caller to ignore. */
  type: string;
  application: unknown;
}

export interface ApplicationList {
  items: unknown[];
  /** The list's `metadata.resourceVersion`: where a watch should start. */
  resourceVersion?: string;
}

export interface ListOptions {
  /** `fields` selection (list form `items.<path>`); `'all'` asks for whole Applications. */
  fields?: readonly string[] | 'all';
  /** Kubernetes label selector. */
  selector?: string;
  projects?: readonly string[];
  appNamespace?: string;
  signal?: AbortSignal;
}

export interface WatchOptions {
  /** Called once the server accepted the watch (2xx headers received). */
  onOpen?: () => void;
  /** Called on each keep-alive comment of a `text/event-stream` watch. */
  onKeepAlive?: () => void;
  /** `fields` selection (stream form `result.application.<path>`); `'all'` for whole objects. */
  fields?: readonly string[] | 'all';
  selector?: string;
  projects?: readonly string[];
  appNamespace?: string;
}

export interface SyncOptions {
  prune?: boolean;
  dryRun?: boolean;
  revision?: string;
  appNamespace?: string;
  project?: string;
  signal?: AbortSignal;
}

export interface AppOptions {
  appNamespace?: string;
  signal?: AbortSignal;
}

/**
 * The list fields the web UI asks for (ui/.../applications-list.tsx `APP_LIST_FIELDS`): only
 * these are supported by the list endpoint's field processor (server forwarder_overwrite.go).
 */
export const DEFAULT_LIST_FIELDS: readonly string[] = [
  'metadata.resourceVersion',
  'items.metadata.name',
  'items.metadata.namespace',
  'items.metadata.annotations',
  'items.metadata.labels',
  'items.metadata.creationTimestamp',
  'items.metadata.deletionTimestamp',
  'items.spec',
  'items.operation.sync',
  'items.status.sync.status',
  'items.status.sync.revision',
  'items.status.health',
  'items.status.operationState.phase',
  'items.status.operationState.finishedAt',
  'items.status.operationState.startedAt',
  'items.status.operationState.operation.sync',
  'items.status.summary',
];

/**
 * The stream's field filter is generic (dotted JSON paths from the `{"result": ...}` root), so
 * the watch can ask for everything AppStatus reads but leave out the bulky resources and history.
 */
export const DEFAULT_WATCH_FIELDS: readonly string[] = [
  'result.type',
  ...[
    'metadata.name',
    'metadata.namespace',
    'metadata.resourceVersion',
    'metadata.ownerReferences',
    'metadata.annotations',
    'metadata.labels',
    'metadata.creationTimestamp',
    'metadata.deletionTimestamp',
    'spec',
    'operation.sync',
    'status.sync.status',
    'status.sync.revision',
    'status.sync.revisions',
    'status.health',
    'status.reconciledAt',
    'status.conditions',
    'status.operationState.phase',
    'status.operationState.message',
    'status.operationState.startedAt',
    'status.operationState.finishedAt',
    'status.operationState.operation.sync',
    'status.summary',
  ].map((f) => `result.application.${f}`),
];

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_SSE_IDLE_MS = 45_000;
const MAX_BODY_BYTES = 256 * 1024 * 1024;

interface RawResponse {
  status: number;
  body: string;
}

export class ArgoCdClient {
  private readonly base: URL;
  private readonly basePath: string;
  private token: string | undefined;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;
  private readonly secrets: (string | undefined)[] = [];

  constructor(private readonly options: ArgoCdClientOptions) {
    let url: URL;
    try {
      url = new URL(options.server);
    } catch {
      throw new ConfigError(`Argo CD server "${options.server}" is not a URL (expected https://host[:port][/root-path]).`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ConfigError(`Argo CD server URL must be http(s), not ${url.protocol}`);
    }
    if (url.username || url.password) throw new ConfigError('Argo CD server URL must not carry credentials.');
    this.base = url;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.agent = this.isHttps
      ? new https.Agent({ keepAlive: true, rejectUnauthorized: !options.insecure, ...(options.ca ? { ca: options.ca } : {}) })
      : new http.Agent({ keepAlive: true });
  }

  /** The server URL without credentials, for messages and the web UI link. */
  get serverUrl(): string {
    return this.base.origin + this.basePath;
  }

  get hasToken(): boolean {
    return !!this.token;
  }

  private get isHttps(): boolean {
    return this.base.protocol === 'https:';
  }

  /** Closes idle keep-alive sockets. Open watches end through their AbortSignal. */
  dispose(): void {
    this.agent.destroy();
  }

  /** `POST /api/v1/session`: exchanges a username and password for a token, which this client then uses. */
  async login(username: string, password: string, signal?: AbortSignal): Promise<string> {
    this.secrets.push(password);
    try {
      const res = await this.request('POST', '/api/v1/session', { body: { username, password }, signal, auth: false });
      const body = this.json(res.body, 'session') as { token?: unknown };
      if (typeof body?.token !== 'string' || body.token === '') throw new BadResponse('Argo CD answered the sign-in without a token.');
      this.token = body.token;
      return body.token;
    } finally {
      this.secrets.pop();
    }
  }

  /** `GET /api/v1/applications`, by default with the web UI's field selection. */
  async listApplications(options: ListOptions = {}): Promise<ApplicationList> {
    const query = new URLSearchParams();
    const fields = options.fields ?? DEFAULT_LIST_FIELDS;
    if (fields !== 'all') query.set('fields', fields.join(','));
    this.addFilters(query, options);
    const res = await this.request('GET', '/api/v1/applications', { query, signal: options.signal });
    const body = this.json(res.body, 'application list');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadResponse('Argo CD application list is not an object.');
    const list = body as { items?: unknown; metadata?: { resourceVersion?: unknown } };
    // Go marshals an empty slice field as null.
    if (list.items !== undefined && list.items !== null && !Array.isArray(list.items)) {
      throw new BadResponse('Argo CD application list has no items array.');
    }
    const rv = list.metadata?.resourceVersion;
    const result: ApplicationList = { items: Array.isArray(list.items) ? list.items : [] };
    if (typeof rv === 'string' && rv !== '') result.resourceVersion = rv;
    return result;
  }

  /** `GET /api/v1/applications/{name}`. */
  async getApplication(name: string, options: AppOptions = {}): Promise<AppStatus> {
    return this.getApp(name, undefined, options);
  }

  /** `GET /api/v1/applications/{name}?refresh=normal|hard`: asks Argo CD to reconcile now. */
  async refresh(name: string, hard = false, options: AppOptions = {}): Promise<AppStatus> {
    return this.getApp(name, hard ? 'hard' : 'normal', options);
  }

  /** `POST /api/v1/applications/{name}/sync`; the answer is the Application with its new operation. */
  async sync(name: string, options: SyncOptions = {}): Promise<AppStatus> {
    const body: Record<string, unknown> = { name, prune: !!options.prune, dryRun: !!options.dryRun };
    if (options.revision) body['revision'] = options.revision;
    if (options.appNamespace) body['appNamespace'] = options.appNamespace;
    if (options.project) body['project'] = options.project;
    const res = await this.request('POST', `/api/v1/applications/${encodeURIComponent(name)}/sync`, { body, signal: options.signal });
    return this.app(res.body);
  }

  /**
   * `GET /api/v1/stream/applications` from `resourceVersion`. Resolves when the server ends the
   * stream or `signal` aborts it; rejects with a StatusError when it fails or breaks (a stream
   * that stops in the middle of a message is a NetworkError, a message that is not JSON a
   * BadResponse, an `{"error":...}` message the error it describes).
   */
  watchApplications(
    resourceVersion: string | undefined,
    onEvent: (event: ApplicationWatchEvent) => void,
    signal?: AbortSignal,
    options: WatchOptions = {},
  ): Promise<void> {
    const query = new URLSearchParams();
    if (resourceVersion) query.set('resourceVersion', resourceVersion);
    const fields = options.fields ?? DEFAULT_WATCH_FIELDS;
    if (fields !== 'all') query.set('fields', fields.join(','));
    this.addFilters(query, options);
    const sse = (this.options.streamFraming ?? 'sse') === 'sse';

    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return resolve();
      let settled = false;
      let idleTimer: NodeJS.Timeout | undefined;
      let idleMs = 0;
      const finish = (err?: StatusError) => {
        if (settled) return;
        settled = true;
        clearTimeout(headerTimer);
        clearTimeout(idleTimer);
        signal?.removeEventListener('abort', onAbort);
        req.destroy();
        if (err && !signal?.aborted) reject(err);
        else resolve();
      };
      const onAbort = () => finish();
      const touch = () => {
        if (idleMs <= 0) return;
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => finish(new Timeout(`Argo CD watch stream was silent for ${idleMs} ms.`)), idleMs);
      };

      const req = this.transport().request(this.url('/api/v1/stream/applications', query), {
        method: 'GET',
        headers: { ...this.headers(true), Accept: sse ? 'text/event-stream' : 'application/json' },
        agent: false,
        ...this.tlsOptions(),
      });
      const headerTimer = setTimeout(
        () => finish(new Timeout(`Argo CD at ${this.serverUrl} did not answer the watch within ${this.timeoutMs} ms.`)),
        this.timeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (e) => finish(this.networkError(e)));
      req.on('response', (res) => {
        clearTimeout(headerTimer);
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) {
          readBody(res).then(
            (text) => finish(this.httpError(status, text)),
            () => finish(this.httpError(status, '')),
          );
          return;
        }
        const isSse = /^text\/event-stream/i.test(String(res.headers['content-type'] ?? ''));
        idleMs = isSse ? (this.options.streamIdleTimeoutMs ?? DEFAULT_SSE_IDLE_MS) : 0;
        touch();
        try {
          options.onOpen?.();
        } catch {
          // A listener's failure is not the stream's.
        }
        const decoder = new StringDecoder('utf8');
        const nd = new NdjsonDecoder();
        const ev = new SseDecoder();
        const handle = (text: string): StatusError | undefined => {
          let msg: unknown;
          try {
            msg = JSON.parse(text);
          } catch {
            return new BadResponse(`Argo CD watch stream sent a message that is not JSON: ${this.snippet(text)}`);
          }
          const m = msg as { result?: { type?: unknown; application?: unknown }; error?: unknown };
          if (m && typeof m === 'object' && m.error !== undefined && m.result === undefined) return this.streamError(m.error);
          if (!m || typeof m !== 'object' || typeof m.result !== 'object' || m.result === null) {
            return new BadResponse(`Argo CD watch stream sent an unexpected message: ${this.snippet(text)}`);
          }
          const type = typeof m.result.type === 'string' ? m.result.type : '';
          onEvent({ type, application: m.result.application });
          return undefined;
        };
        const onText = (text: string) => {
          touch();
          try {
            if (isSse) {
              for (const message of ev.push(text)) {
                if (message.kind === 'comment') options.onKeepAlive?.();
                else {
                  const err = handle(message.data);
                  if (err) return finish(err);
                }
              }
            } else {
              for (const line of nd.push(text)) {
                const err = handle(line);
                if (err) return finish(err);
              }
            }
          } catch (e) {
            if (e instanceof FramingError) return finish(new BadResponse(`Argo CD watch stream: ${e.message}`));
            // onEvent threw: that is the caller's bug, but it must not leave the stream half-read.
            return finish(new BadResponse(`Argo CD watch event could not be handled: ${this.clean(String((e as Error)?.message ?? e))}`));
          }
        };
        res.on('data', (chunk: Buffer) => {
          if (!settled) onText(decoder.write(chunk));
        });
        res.on('end', () => {
          if (settled) return;
          onText(decoder.end());
          if (settled) return;
          const rest = isSse ? ev.end() : nd.end();
          if (rest) {
            // The gateway writes an error chunk without a trailing newline; anything else that
            // is left over is a message the connection cut short.
            let parsed: unknown;
            try {
              parsed = JSON.parse(rest);
            } catch {
              return finish(new NetworkError('Argo CD watch stream ended in the middle of a message.'));
            }
            if (parsed && typeof parsed === 'object' && 'error' in parsed) return finish(this.streamError((parsed as { error: unknown }).error));
            const err = handle(rest);
            if (err) return finish(err);
          }
          finish();
        });
        res.on('error', (e) => finish(this.networkError(e, 'Argo CD watch stream broke')));
        res.on('close', () => {
          if (!res.complete) finish(new NetworkError('Argo CD watch stream was cut off.'));
        });
      });
      req.end();
    });
  }

  // --- plumbing ---------------------------------------------------------------------------

  private async getApp(name: string, refresh: 'normal' | 'hard' | undefined, options: AppOptions): Promise<AppStatus> {
    const query = new URLSearchParams();
    if (refresh) query.set('refresh', refresh);
    if (options.appNamespace) query.set('appNamespace', options.appNamespace);
    const res = await this.request('GET', `/api/v1/applications/${encodeURIComponent(name)}`, { query, signal: options.signal });
    return this.app(res.body);
  }

  private app(text: string): AppStatus {
    const app = parseApplication(this.json(text, 'application'));
    if (!app) throw new BadResponse('Argo CD answered with an Application that has no name.');
    return app;
  }

  private addFilters(query: URLSearchParams, o: { selector?: string; projects?: readonly string[]; appNamespace?: string }): void {
    if (o.selector) query.set('selector', o.selector);
    for (const p of o.projects ?? []) query.append('projects', p);
    if (o.appNamespace) query.set('appNamespace', o.appNamespace);
  }

  private url(path: string, query?: URLSearchParams): URL {
    const url = new URL(this.base.origin);
    url.pathname = this.basePath + path;
    if (query && [...query.keys()].length > 0) url.search = query.toString();
    return url;
  }

  private transport(): typeof http | typeof https {
    return this.isHttps ? https : http;
  }

  private tlsOptions(): https.RequestOptions {
    if (!this.isHttps) return {};
    return { rejectUnauthorized: !this.options.insecure, ...(this.options.ca ? { ca: this.options.ca } : {}) };
  }

  private headers(auth: boolean): Record<string, string> {
    const h: Record<string, string> = { 'User-Agent': this.options.userAgent ?? 'home-ops' };
    if (auth && this.token) h['Authorization'] = `Bearer ${this.token}`;
    return h;
  }

  private request(
    method: 'GET' | 'POST',
    path: string,
    o: { query?: URLSearchParams; body?: unknown; signal?: AbortSignal | undefined; auth?: boolean },
  ): Promise<RawResponse> {
    const payload = o.body === undefined ? undefined : Buffer.from(JSON.stringify(o.body));
    const what = `${method} ${path}`;
    return new Promise<RawResponse>((resolve, reject) => {
      if (o.signal?.aborted) return reject(new NetworkError(`${what} was cancelled.`));
      let settled = false;
      const finish = (err: StatusError | undefined, res?: RawResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
        if (err) {
          req.destroy();
          reject(err);
        } else resolve(res!);
      };
      const onAbort = () => finish(new NetworkError(`${what} was cancelled.`));
      const headers: Record<string, string> = { ...this.headers(o.auth !== false), Accept: 'application/json' };
      if (payload) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = String(payload.length);
      }
      const req = this.transport().request(this.url(path, o.query), { method, headers, agent: this.agent, ...this.tlsOptions() });
      const timer = setTimeout(
        () => finish(new Timeout(`Argo CD at ${this.serverUrl} did not answer ${what} within ${this.timeoutMs} ms.`)),
        this.timeoutMs,
      );
      o.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (e) => finish(this.networkError(e)));
      req.on('response', (res) => {
        readBody(res).then(
          (text) => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status <= 299) finish(undefined, { status, body: text });
            else finish(this.httpError(status, text));
          },
          (e: unknown) => finish(e instanceof StatusError ? e : this.networkError(e as Error, `Argo CD answer to ${what} broke`)),
        );
      });
      req.end(payload);
    });
  }

  private json(text: string, what: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw new BadResponse(`Argo CD sent a ${what} that is not JSON: ${this.snippet(text)}`);
    }
  }

  private clean(text: string): string {
    return redact(text, [this.token, this.options.token, ...this.secrets]);
  }

  private snippet(text: string): string {
    const t = text.length > 120 ? `${text.slice(0, 120)}…` : text;
    return JSON.stringify(this.clean(t));
  }

  /** grpc-gateway unary error body `{"error","code","message"}` → a typed error. */
  private httpError(status: number, text: string): StatusError {
    let detail = '';
    try {
      const body = JSON.parse(text) as { message?: unknown; error?: unknown };
      const m = typeof body?.message === 'string' ? body.message : typeof body?.error === 'string' ? body.error : '';
      detail = m;
    } catch {
      detail = text.trim().split('\n')[0] ?? '';
    }
    if (detail.length > 300) detail = `${detail.slice(0, 300)}…`;
    return this.statusError(status, this.clean(detail));
  }

  private statusError(status: number, detail: string): StatusError {
    const suffix = detail ? `: ${detail}` : '';
    const server = this.serverUrl;
    if (status === 401) {
      return new Unauthorized(
        `Argo CD at ${server} rejected the credentials (the token is missing, invalid or expired)${suffix}. Reconnect to sign in again.`,
        status,
      );
    }
    if (status === 403) return new Forbidden(`Argo CD at ${server} does not allow this (permission denied)${suffix}.`, status);
    if (status === 404) return new NotFound(`Argo CD at ${server}: not found${suffix}.`, status);
    return new ServerError(`Argo CD at ${server} answered HTTP ${status}${suffix}.`, status);
  }

  /** grpc-gateway `StreamError` `{grpc_code, http_code, message, http_status}` → a typed error. */
  private streamError(error: unknown): StatusError {
    const e = (typeof error === 'object' && error !== null ? error : {}) as { http_code?: unknown; message?: unknown };
    const status = typeof e.http_code === 'number' ? e.http_code : 500;
    const message = typeof e.message === 'string' ? this.clean(e.message) : '';
    return this.statusError(status, message);
  }

  private networkError(e: Error & { code?: unknown }, prefix?: string): StatusError {
    const code = typeof e?.code === 'string' ? e.code : '';
    const where = prefix ?? `Cannot reach Argo CD at ${this.serverUrl}`;
    if (isTlsVerifyError(code)) {
      return new NetworkError(
        `${where}: its TLS certificate is not trusted (${code}). Add its CA, or allow an insecure connection for this server only if you trust the network.`,
        true,
      );
    }
    if (code === 'ETIMEDOUT') return new Timeout(`${where}: connection timed out.`);
    const detail = this.clean(code || e?.message || String(e));
    return new NetworkError(`${where} (${detail}).`);
  }
}

function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        res.destroy();
        reject(new BadResponse('Argo CD answer is too large.'));
        return;
      }
      chunks.push(c);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('close', () => {
      if (!res.complete) reject(Object.assign(new Error('connection closed before the answer was complete'), { code: 'ECONNRESET' }));
    });
  });
}
