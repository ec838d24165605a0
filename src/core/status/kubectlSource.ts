/**
 * Application status straight from Kubernetes through the user's own kubectl, for people without
 * Argo CD API access: `kubectl get applications.argoproj.io -o json` for the list, then
 * `kubectl get ... --watch -o json --output-watch-events`, which prints
 * `{"type": "ADDED|MODIFIED|DELETED", "object": {...}}` values one after another (first an ADDED
 * per existing object, from kubectl's own list, then the watch). kubectl v1.32 prints one compact
 * value per line; the reader splits on JSON structure, not lines, so an indented printer works
 * too. Always spawned with an argument array, never a shell.
 */
import { ChildProcess, spawn as nodeSpawn, SpawnOptions } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { BadResponse, ConfigError, Forbidden, NetworkError, NotFound, StatusError, Timeout, Unauthorized } from './errors';
import { FramingError, JsonValueSplitter } from './framing';
import { StatusSource, WatchSink } from './statusModel';
import { resourceVersionOf } from './types';

export interface KubectlSourceOptions {
  /** The kubectl binary (default `kubectl` on PATH). */
  kubectl?: string;
  kubeconfig?: string;
  context?: string;
  /** Namespace of the Applications (default `argocd`); `'*'` for all namespaces. */
  namespace?: string;
  /** Kubernetes label selector. */
  selector?: string;
  /** Variables added to the environment kubectl runs with. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Limit of the list call. */
  timeoutMs?: number;
  /** For tests. */
  spawn?: (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;
}

const RESOURCE = 'applications.argoproj.io';
const STDERR_KEEP = 8 * 1024;

export function kubectlSource(options: KubectlSourceOptions = {}): StatusSource {
  const kubectl = options.kubectl ?? 'kubectl';
  const spawn = options.spawn ?? nodeSpawn;
  // `--flag=value` so that a value starting with `-` can never be read as another flag.
  const common: string[] = [];
  if (options.kubeconfig) common.push(`--kubeconfig=${options.kubeconfig}`);
  if (options.context) common.push(`--context=${options.context}`);
  const target: string[] = ['get', RESOURCE];
  const ns = options.namespace ?? 'argocd';
  if (ns === '*') target.push('--all-namespaces');
  else target.push(`--namespace=${ns}`);
  if (options.selector) target.push(`--selector=${options.selector}`);
  const description = `kubectl${options.context ? ` (context ${options.context})` : ''}`;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...options.env })) if (v !== undefined) env[k] = v;

  const start = (args: string[]) =>
    spawn(kubectl, [...common, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], shell: false, windowsHide: true });

  const run = (args: string[], signal: AbortSignal, onStdout: (text: string) => StatusError | undefined, onSpawn?: () => void) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return resolve();
      let child: ChildProcess;
      try {
        child = start(args);
      } catch (e) {
        return reject(spawnError(kubectl, e));
      }
      let stderr = '';
      let failed: StatusError | undefined;
      let killTimer: NodeJS.Timeout | undefined;
      const kill = () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        killTimer = setTimeout(() => child.kill('SIGKILL'), 2_000);
        killTimer.unref();
      };
      const onAbort = () => kill();
      signal.addEventListener('abort', onAbort, { once: true });
      const out = new StringDecoder('utf8');
      child.stdout?.on('data', (chunk: Buffer) => {
        if (failed) return;
        const err = onStdout(out.write(chunk));
        if (err) {
          failed = err;
          kill();
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
      });
      child.on('spawn', () => onSpawn?.());
      child.on('error', (e) => {
        failed ??= spawnError(kubectl, e);
      });
      child.on('close', (code, sig) => {
        clearTimeout(killTimer);
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) return resolve();
        if (!failed) {
          const rest = onStdout(out.end());
          if (rest) failed = rest;
        }
        if (failed) return reject(failed);
        if (code === 0) return resolve();
        reject(classify(stderr, code, sig));
      });
    });

  const list = async (signal: AbortSignal): Promise<{ items: unknown[]; resourceVersion?: string }> => {
    let text = '';
    const timeoutMs = options.timeoutMs ?? 60_000;
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      await run([...target, '--output=json'], controller.signal, (t) => {
        text += t;
        return undefined;
      });
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
    if (timedOut) throw new Timeout(`${description}: listing Applications took longer than ${timeoutMs} ms.`);
    if (signal.aborted) return { items: [] };
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new BadResponse(`${description} printed something that is not JSON.`);
    }
    const items = (doc as { items?: unknown })?.items;
    if (!Array.isArray(items)) throw new BadResponse(`${description} printed no list of Applications.`);
    return { items, ...listRv(doc, items) };
  };

  return {
    description,
    list,
    watch(_resourceVersion: string | undefined, sink: WatchSink, signal: AbortSignal) {
      // kubectl takes no resourceVersion: it lists again itself and prints that list as ADDED
      // events before watching. An object deleted between our list and kubectl's is not in the
      // burst and gets no DELETED event, so once kubectl is printing, list once more and apply
      // it as a resync (the model keeps entries newer than that list).
      const splitter = new JsonValueSplitter();
      let resynced = false;
      const resync = () => {
        if (resynced) return;
        resynced = true;
        list(signal).then(
          (l) => {
            if (!signal.aborted) sink.resync(l.items, l.resourceVersion);
          },
          () => undefined, // the watch itself reports failures
        );
      };
      return run(
        [...target, '--watch', '--output=json', '--output-watch-events'],
        signal,
        (text) => {
          let values: string[];
          try {
            values = splitter.push(text);
          } catch (e) {
            return new BadResponse(`${description} --watch printed something that is not JSON (${(e as FramingError).message}).`);
          }
          for (const v of values) {
            let ev: { type?: unknown; object?: unknown };
            try {
              ev = JSON.parse(v) as typeof ev;
            } catch {
              return new BadResponse(`${description} --watch printed something that is not JSON.`);
            }
            if (typeof ev?.type !== 'string') return new BadResponse(`${description} --watch printed an object that is not a watch event.`);
            sink.event(ev.type, ev.object);
            resync();
          }
          return undefined;
        },
        () => sink.open(),
      );
    },
  };
}

/**
 * kubectl prints a list it assembled itself, whose resourceVersion is empty; the newest item's
 * resourceVersion is a safe stand-in (the real list version is at least that).
 */
function listRv(doc: unknown, items: unknown[]): { resourceVersion?: string } {
  const own = resourceVersionOf(doc);
  if (own) return { resourceVersion: own };
  let max: number | undefined;
  for (const item of items) {
    const rv = resourceVersionOf(item);
    if (rv === undefined || !/^\d{1,15}$/.test(rv)) return {};
    max = Math.max(max ?? 0, Number(rv));
  }
  return max === undefined ? {} : { resourceVersion: String(max) };
}

function spawnError(kubectl: string, e: unknown): StatusError {
  const code = (e as { code?: unknown })?.code;
  if (code === 'ENOENT') return new ConfigError(`kubectl was not found ("${kubectl}"). Install it or set its path.`);
  return new ConfigError(`kubectl ("${kubectl}") could not be started: ${(e as Error)?.message ?? String(e)}`);
}

/** kubectl reports API errors on stderr as `error: ...` / `Error from server (Reason): ...`. */
function classify(stderr: string, code: number | null, sig: NodeJS.Signals | null): StatusError {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^[EIW]\d{4} /.test(l)); // klog lines repeat what the final message says
  const last = lines[lines.length - 1] ?? (sig ? `killed by ${sig}` : `exit code ${code}`);
  const msg = `kubectl: ${last.length > 300 ? `${last.slice(0, 300)}…` : last}`;
  if (/\(Unauthorized\)|must be logged in|Unauthorized/i.test(stderr)) {
    return new Unauthorized(`${msg} — the kubeconfig credentials were rejected; log in to the cluster again.`, 401);
  }
  if (/\(Forbidden\)|forbidden/i.test(stderr)) return new Forbidden(msg, 403);
  if (/doesn't have a resource type|the server could not find the requested resource|\(NotFound\)/i.test(stderr)) {
    return new NotFound(`${msg} — is Argo CD (its Application CRD) installed in this cluster?`, 404);
  }
  if (/context .* does not exist|no configuration has been provided|invalid configuration|error loading config/i.test(stderr)) {
    return new ConfigError(msg);
  }
  return new NetworkError(msg);
}
