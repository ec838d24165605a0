/**
 * Runs helm, kustomize and git for the render feature: argument arrays, never a shell (a path or
 * value from a repository can hold any character), and a timeout or cancellation that ends the
 * whole process tree. kustomize starts helm, helm may start plugins, a kustomize exec plugin may
 * start anything: killing only the direct child would leave those running. On POSIX the child
 * leads its own process group (`detached`), so one signal to the group reaches every descendant
 * that did not deliberately leave it; on Windows `taskkill /T` walks the tree.
 *
 * A descendant that did leave the group (`setsid`, a daemonising plugin) cannot be reached, and it
 * may hold our stdout/stderr pipes open: waiting for them to close would wait for it. So the run
 * settles on the direct child's `exit`, after a short grace period for the output already in the
 * pipes, and our ends of the pipes are closed.
 */
import { spawn, spawnSync } from 'node:child_process';

export interface RunOptions {
  cwd?: string;
  /** The complete environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Kills the tree after this long (ms); 0 or undefined: no limit. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Output above this many bytes (stdout + stderr) kills the tree: a runaway chart must not exhaust memory. */
  maxOutputBytes?: number;
  /** Called with the child's pid once it runs (tests use it to watch the tree die). */
  onSpawn?: (pid: number) => void;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  durationMs: number;
  /** The command as a person would type it, for logs and the preview's header. */
  command: string;
}

export type RunFailure = 'exit' | 'timeout' | 'cancelled' | 'spawn' | 'output-limit';

export class RunError extends Error {
  constructor(
    message: string,
    readonly failure: RunFailure,
    readonly command: string,
    readonly stderr: string,
    readonly exitCode: number | null,
    readonly durationMs: number,
    /** What the process printed on stdout before it failed: some report their failure there (`helm repo update`). */
    readonly stdout = '',
  ) {
    super(message);
    this.name = 'RunError';
  }
}

/** A function with runProcess's signature; render takes one so tests can count or fake spawns. */
export type Runner = (file: string, args: readonly string[], options?: RunOptions) => Promise<RunResult>;

const DEFAULT_MAX_OUTPUT = 256 * 1024 * 1024;
/** Time between SIGTERM and SIGKILL: helm and kustomize exit at once on SIGTERM; a plugin may not. */
const KILL_GRACE_MS = 1500;
/**
 * Time after the direct child exits for its pipes to close: what it wrote is already in them and
 * drains at once; a pipe still open after this is held by a descendant that left the group.
 */
const PIPE_GRACE_MS = 1000;

export const runProcess: Runner = (file, args, options = {}) =>
  new Promise<RunResult>((resolve, reject) => {
    const command = formatCommand(file, args);
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    if (options.signal?.aborted) {
      reject(new RunError(`${command}: cancelled`, 'cancelled', command, '', null, 0));
      return;
    }
    const child = spawn(file, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      shell: false,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    const limit = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
    let failure: RunFailure | undefined;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;

    const killTree = (why: RunFailure): void => {
      if (failure !== undefined) return;
      failure = why;
      signalTree(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalTree(child.pid, 'SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    const onAbort = (): void => killTree('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs && options.timeoutMs > 0) timer = setTimeout(() => killTree('timeout'), options.timeoutMs);

    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit) killTree('output-limit');
      else into.push(chunk);
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    if (child.pid !== undefined) options.onSpawn?.(child.pid);

    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };

    child.on('error', (e: NodeJS.ErrnoException) => {
      finish(() => reject(new RunError(`${command}: ${e.code === 'ENOENT' ? `${file} not found` : e.message}`, 'spawn', command, '', null, elapsed())));
    });
    let pipeTimer: NodeJS.Timeout | undefined;
    const settle = (code: number | null, sig: NodeJS.Signals | null): void => {
      if (settled) return;
      if (pipeTimer) clearTimeout(pipeTimer);
      // The direct child is gone; descendants still in its group get the signal too, so a
      // grandchild that ignored SIGTERM is not left behind when the leader exited first.
      if (failure !== undefined) signalTree(child.pid, 'SIGKILL');
      if (killTimer) clearTimeout(killTimer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      const ms = elapsed();
      finish(() => {
        if (failure === 'timeout') reject(new RunError(`${command}: timed out after ${Math.round((options.timeoutMs ?? 0) / 1000)} s`, 'timeout', command, stderr, null, ms));
        else if (failure === 'cancelled') reject(new RunError(`${command}: cancelled`, 'cancelled', command, stderr, null, ms));
        else if (failure === 'output-limit') reject(new RunError(`${command}: output exceeded ${Math.round(limit / 1024 / 1024)} MiB`, 'output-limit', command, stderr, null, ms));
        else if (code !== 0) reject(new RunError(`${command} failed (${code === null ? `signal ${sig}` : `exit code ${code}`})${stderr.trim() ? `:\n${stderr.trim()}` : ''}`, 'exit', command, stderr, code, ms, stdout));
        else resolve({ stdout, stderr, durationMs: ms, command });
      });
    };
    child.on('close', settle);
    child.on('exit', (code, sig) => {
      pipeTimer = setTimeout(() => {
        // Something holds the pipes after the child is gone: a leftover of this run in the group
        // (killed), or a descendant that left it (out of reach). Stop reading and settle.
        signalTree(child.pid, 'SIGKILL');
        child.stdout.destroy();
        child.stderr.destroy();
        settle(code, sig);
      }, PIPE_GRACE_MS);
    });
  });

function signalTree(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' });
    return;
  }
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Quotes arguments the way a POSIX shell would need them, for display only (never executed). */
export function formatCommand(file: string, args: readonly string[]): string {
  return [file, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
