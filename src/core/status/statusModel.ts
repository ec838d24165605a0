/**
 * The live status store: list, then watch from the list's resourceVersion, apply events by
 * `namespace/name`; on a dropped stream wait (capped exponential backoff with jitter) and start
 * over with a fresh list, which also catches what happened while disconnected. The same loop
 * serves every source (Argo CD API, kubectl).
 *
 * The connection state is explicit so a UI never shows old status as live: anything but `live`
 * means the store is stale as of `lastEventAt`.
 */
import { ConfigError, Forbidden, NetworkError, NotFound, redact, StatusError, Unauthorized } from './errors';
import { appRefOf, AppRef, AppStatus, parseApplication, sameStatus } from './types';

export interface Disposable {
  dispose(): void;
}

/** What the model needs from a source of Application objects. */
export interface StatusSource {
  /** For messages: "Argo CD at https://…", "kubectl (context home)". */
  readonly description: string;
  list(signal: AbortSignal): Promise<{ items: unknown[]; resourceVersion?: string }>;
  /**
   * Watches from `resourceVersion` until the stream ends (resolve) or fails (reject with a
   * StatusError). Must return promptly when `signal` aborts.
   */
  watch(resourceVersion: string | undefined, sink: WatchSink, signal: AbortSignal): Promise<void>;
  /** Credentials the source holds, scrubbed from every message the model produces. */
  secrets?(): readonly string[];
}

export interface WatchSink {
  /** The stream is established: the store is live from now on. */
  open(): void;
  event(type: string, object: unknown): void;
  /** The connection is alive although nothing changed (SSE keep-alive). */
  keepAlive(): void;
  /** A complete list taken while the watch runs (kubectl's own initial list), applied like a re-list. */
  resync(items: unknown[], resourceVersion: string | undefined): void;
}

export type ConnectionState = 'disconnected' | 'connecting' | 'live' | 'reconnecting' | 'unauthorized' | 'error';

export interface ConnectionStatus {
  state: ConnectionState;
  /** True unless `live`: what the store holds may be out of date. */
  stale: boolean;
  /** For people: why the state is what it is (never contains a credential). */
  message?: string;
  /** The last error, when the state is due to one. */
  error?: StatusError;
  /** Last moment (clock ms) the store was known current: a list, an event or a keep-alive. */
  lastEventAt?: number;
  /** When `reconnecting` and waiting: the clock time of the next attempt. */
  retryAt?: number;
  /** Consecutive failed attempts. */
  attempt: number;
}

export interface StatusChange {
  /** Apps added or changed, with their current status. */
  updated: AppStatus[];
  removed: AppRef[];
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export type LogLevel = 'info' | 'warn' | 'error';

export interface StatusModelOptions {
  clock?: Clock;
  /** In [0, 1); drives the jitter. */
  random?: () => number;
  /** Change notifications are coalesced: at most one per this many ms. */
  coalesceMs?: number;
  /** First retry delay. */
  initialBackoffMs?: number;
  /** Cap of the retry delay. */
  maxBackoffMs?: number;
  /** A watch that stayed up this long counts as success: the next failure starts the backoff over. */
  stableAfterMs?: number;
  log?: (level: LogLevel, message: string) => void;
}

const DEFAULTS = {
  coalesceMs: 100,
  initialBackoffMs: 1_000,
  maxBackoffMs: 60_000,
  stableAfterMs: 30_000,
};

export class StatusModel implements Disposable {
  private readonly apps = new Map<string, AppStatus>();
  private readonly changeListeners = new Set<(e: StatusChange) => void>();
  private readonly stateListeners = new Set<(s: ConnectionStatus) => void>();
  private readonly pending = new Map<string, AppRef>();
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly opts: typeof DEFAULTS;
  private current: ConnectionStatus = { state: 'disconnected', stale: true, attempt: 0 };
  private generation = 0;
  private abort: AbortController | undefined;
  private flushTimer: unknown;
  private lastFlushAt = -Infinity;
  private waitTimer: { handle: unknown; resolve: () => void } | undefined;
  private disposed = false;

  constructor(
    private source: StatusSource,
    private readonly options: StatusModelOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.opts = {
      coalesceMs: options.coalesceMs ?? DEFAULTS.coalesceMs,
      initialBackoffMs: options.initialBackoffMs ?? DEFAULTS.initialBackoffMs,
      maxBackoffMs: options.maxBackoffMs ?? DEFAULTS.maxBackoffMs,
      stableAfterMs: options.stableAfterMs ?? DEFAULTS.stableAfterMs,
    };
  }

  // --- queries ------------------------------------------------------------------------------

  get status(): ConnectionStatus {
    return this.current;
  }

  get(key: string): AppStatus | undefined {
    return this.apps.get(key);
  }

  /** Every app, in key order. */
  list(): AppStatus[] {
    return [...this.apps.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  get size(): number {
    return this.apps.size;
  }

  onDidChange(listener: (e: StatusChange) => void): Disposable {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  /** Fired synchronously on every state transition. */
  onDidChangeState(listener: (s: ConnectionStatus) => void): Disposable {
    this.stateListeners.add(listener);
    return { dispose: () => this.stateListeners.delete(listener) };
  }

  // --- control ------------------------------------------------------------------------------

  /** Starts the list/watch loop (no-op when already running). */
  start(): void {
    if (this.disposed) throw new Error('StatusModel is disposed');
    if (this.running) return;
    void this.run(++this.generation);
  }

  /**
   * Connects again now: after `unauthorized` or `error` (optionally with a new source, e.g. a
   * new token), or to skip the remaining wait while `reconnecting`.
   */
  reconnect(source?: StatusSource): void {
    if (this.disposed) throw new Error('StatusModel is disposed');
    if (source) this.source = source;
    if (this.running && !source && this.waitTimer) {
      this.current = { ...this.current, attempt: 0 };
      this.cancelWait();
      return;
    }
    this.halt();
    this.current = { ...this.current, attempt: 0 };
    void this.run(++this.generation);
  }

  /** Stops watching; the store keeps what it had, marked stale. */
  stop(): void {
    this.halt();
    this.setState({ state: 'disconnected', message: 'Disconnected.' });
  }

  dispose(): void {
    if (this.disposed) return;
    this.halt();
    this.disposed = true;
    if (this.flushTimer !== undefined) this.clock.clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.pending.clear();
    this.changeListeners.clear();
    this.stateListeners.clear();
    this.current = { state: 'disconnected', stale: true, attempt: 0 };
  }

  private get running(): boolean {
    return this.abort !== undefined;
  }

  private halt(): void {
    this.generation++;
    this.abort?.abort();
    this.abort = undefined;
    this.cancelWait();
  }

  // --- the loop -----------------------------------------------------------------------------

  private async run(gen: number): Promise<void> {
    const controller = new AbortController();
    this.abort = controller;
    const signal = controller.signal;
    const alive = () => gen === this.generation && !this.disposed;
    let everLive = this.current.state === 'live' || this.current.lastEventAt !== undefined;
    try {
      while (alive()) {
        this.setState({ state: everLive ? 'reconnecting' : 'connecting', message: `Connecting to ${this.source.description}…` });
        let openedAt: number | undefined;
        let failure: StatusError | undefined;
        try {
          const list = await this.source.list(signal);
          if (!alive()) return;
          this.applyList(list.items, list.resourceVersion);
          this.touch();
          await this.source.watch(
            list.resourceVersion,
            {
              open: () => {
                if (!alive()) return;
                openedAt = this.clock.now();
                everLive = true;
                this.touch();
                this.setState({ state: 'live', message: `Live from ${this.source.description}.`, attempt: this.current.attempt });
              },
              event: (type, object) => {
                if (!alive()) return;
                this.applyEvent(type, object);
                this.touch();
              },
              keepAlive: () => {
                if (alive()) this.touch();
              },
              resync: (items, rv) => {
                if (!alive()) return;
                this.applyList(items, rv);
                this.touch();
              },
            },
            signal,
          );
          if (!alive()) return;
          failure = new NetworkError(`${this.source.description}: the watch stream ended.`);
        } catch (e) {
          if (!alive()) return;
          failure = this.toStatusError(e);
        }

        if (failure instanceof Unauthorized) {
          this.setState({ state: 'unauthorized', message: this.clean(failure.message), error: failure });
          this.log('warn', failure.message);
          return;
        }
        if (
          failure instanceof Forbidden ||
          failure instanceof NotFound ||
          failure instanceof ConfigError ||
          (failure instanceof NetworkError && failure.tls)
        ) {
          // Waiting will not fix permissions, a wrong URL, configuration or an untrusted certificate.
          this.setState({ state: 'error', message: this.clean(failure.message), error: failure });
          this.log('error', failure.message);
          return;
        }
        const now = this.clock.now();
        let attempt = this.current.attempt;
        if (openedAt !== undefined && now - openedAt >= this.opts.stableAfterMs) attempt = 0;
        const delay = this.backoff(attempt);
        this.setState({
          state: 'reconnecting',
          message: `${this.clean(failure.message)} Retrying in ${Math.ceil(delay / 1000)} s.`,
          error: failure,
          retryAt: now + delay,
          attempt: attempt + 1,
        });
        this.log('warn', `${failure.message} Retrying in ${delay} ms.`);
        await this.wait(delay);
      }
    } catch (e) {
      // Only a listener or log callback can get here; the loop must not become an unhandled rejection.
      this.setState({ state: 'error', message: `Status loop failed: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      if (this.abort === controller) this.abort = undefined;
    }
  }

  private backoff(attempt: number): number {
    const raw = Math.min(this.opts.maxBackoffMs, this.opts.initialBackoffMs * 2 ** Math.min(attempt, 30));
    // "Equal jitter": half fixed, half random, so retries of many clients spread out but none
    // comes back immediately.
    return Math.round(raw / 2 + (raw / 2) * this.random());
  }

  private wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const handle = this.clock.setTimeout(() => {
        this.waitTimer = undefined;
        resolve();
      }, ms);
      this.waitTimer = { handle, resolve };
    });
  }

  /** Ends a pending wait at once; the loop then checks whether it is still wanted. */
  private cancelWait(): void {
    const w = this.waitTimer;
    if (!w) return;
    this.waitTimer = undefined;
    this.clock.clearTimeout(w.handle);
    w.resolve();
  }

  private toStatusError(e: unknown): StatusError {
    if (e instanceof StatusError) return e;
    return new NetworkError(`${this.source.description}: ${this.clean(e instanceof Error ? e.message : String(e))}`);
  }

  private touch(): void {
    this.current = { ...this.current, lastEventAt: this.clock.now() };
  }

  private setState(next: Omit<ConnectionStatus, 'stale' | 'lastEventAt' | 'attempt'> & { attempt?: number }): void {
    const status: ConnectionStatus = {
      state: next.state,
      stale: next.state !== 'live',
      attempt: next.attempt ?? this.current.attempt,
    };
    if (next.message !== undefined) status.message = this.clean(next.message);
    if (next.error) status.error = next.error;
    if (next.retryAt !== undefined) status.retryAt = next.retryAt;
    if (this.current.lastEventAt !== undefined) status.lastEventAt = this.current.lastEventAt;
    this.current = status;
    for (const l of [...this.stateListeners]) {
      try {
        l(status);
      } catch (e) {
        this.log('error', `state listener failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  // --- the store ----------------------------------------------------------------------------

  /**
   * Replaces the store with a list. An entry newer than the list (both resourceVersions numeric,
   * as Kubernetes and Argo CD compare them) is kept: a watch event can overtake a list.
   */
  private applyList(items: unknown[], listRv: string | undefined): void {
    const seen = new Set<string>();
    for (const item of items) {
      const app = parseApplication(item);
      if (!app) continue;
      seen.add(app.key);
      this.upsert(app);
    }
    const listN = numericRv(listRv);
    for (const [key, app] of this.apps) {
      if (seen.has(key)) continue;
      const n = numericRv(app.resourceVersion);
      if (listN !== undefined && n !== undefined && n > listN) continue;
      this.remove(key);
    }
  }

  private applyEvent(type: string, object: unknown): void {
    if (type === 'DELETED') {
      const ref = appRefOf(object);
      if (ref) this.remove(ref.key);
      return;
    }
    if (type !== 'ADDED' && type !== 'MODIFIED') return; // BOOKMARK and unknown types
    const app = parseApplication(object);
    if (app) this.upsert(app);
  }

  private upsert(app: AppStatus): void {
    const old = this.apps.get(app.key);
    if (old) {
      const a = numericRv(app.resourceVersion);
      const b = numericRv(old.resourceVersion);
      if (a !== undefined && b !== undefined && a < b) return; // an older copy
      if (sameStatus(old, app)) {
        this.apps.set(app.key, app);
        return;
      }
    }
    this.apps.set(app.key, app);
    this.queue({ key: app.key, name: app.name, namespace: app.namespace });
  }

  private remove(key: string): void {
    const old = this.apps.get(key);
    if (!old) return;
    this.apps.delete(key);
    this.queue({ key, name: old.name, namespace: old.namespace });
  }

  private queue(ref: AppRef): void {
    this.pending.set(ref.key, ref);
    if (this.flushTimer !== undefined || this.disposed) return;
    const delay = Math.max(0, Math.min(this.opts.coalesceMs, this.lastFlushAt + this.opts.coalesceMs - this.clock.now()));
    this.flushTimer = this.clock.setTimeout(() => this.flush(), delay);
  }

  private flush(): void {
    this.flushTimer = undefined;
    this.lastFlushAt = this.clock.now();
    if (this.pending.size === 0) return;
    const change: StatusChange = { updated: [], removed: [] };
    for (const ref of this.pending.values()) {
      const app = this.apps.get(ref.key);
      if (app) change.updated.push(app);
      else change.removed.push(ref);
    }
    this.pending.clear();
    for (const l of [...this.changeListeners]) {
      try {
        l(change);
      } catch (e) {
        this.log('error', `change listener failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private clean(text: string): string {
    return redact(text, this.source.secrets?.() ?? []);
  }

  private log(level: LogLevel, message: string): void {
    try {
      this.options.log?.(level, this.clean(message));
    } catch {
      // A failing logger must not stop the loop.
    }
  }
}

function numericRv(rv: string | undefined): number | undefined {
  if (rv === undefined || !/^\d{1,15}$/.test(rv)) return undefined;
  return Number(rv);
}
