/**
 * Go programs for the tests that compare the engine with Go itself. Whether Go is there is
 * test/support/shared.ts's question (requireTools(ctx, what, 'go')): skip loudly locally, fail
 * in CI, so the oracle cannot silently stop running.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** `go version` output, or undefined when no Go toolchain is on PATH. */
export function goVersion(): string | undefined {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.trim();
}

/**
 * Where a built Go program lives: outside the repository, keyed by its go.mod, go.sum and Go
 * sources and by the toolchain, so that a changed oracle is rebuilt and an unchanged one is not.
 */
export function goBinaryPath(dir: string, name: string, version: string): string {
  const h = createHash('sha256');
  const sources = fs.readdirSync(dir).filter((f) => f === 'go.mod' || f === 'go.sum' || f.endsWith('.go')).sort();
  for (const f of sources) {
    h.update(f);
    h.update(fs.readFileSync(path.join(dir, f)));
  }
  h.update(version);
  const base = process.env['XDG_CACHE_HOME'] ? path.join(process.env['XDG_CACHE_HOME'], 'home-ops-oracle') : path.join(os.tmpdir(), 'home-ops-oracle');
  return path.join(base, `${name}-${h.digest('hex').slice(0, 16)}${process.platform === 'win32' ? '.exe' : ''}`);
}

/**
 * Builds the Go program in `dir` unless a binary for the same sources and toolchain exists. The
 * first build fetches its modules through the Go module proxy (pinned by go.sum).
 */
export function buildGoProgram(dir: string, name: string): string {
  const version = goVersion();
  if (!version) throw new Error('Go toolchain not found on PATH');
  const bin = goBinaryPath(dir, name, version);
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  const tmp = `${bin}.${process.pid}.tmp`;
  const r = spawnSync('go', ['build', '-trimpath', '-o', tmp, '.'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=mod -buildvcs=false' },
    timeout: 540_000,
  });
  if (r.error || r.status !== 0) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`building the Go program in ${dir} failed: ${r.error?.message ?? ''}\n${r.stdout}\n${r.stderr}`);
  }
  fs.renameSync(tmp, bin);
  return bin;
}

/**
 * One run of an oracle that reads JSON lines on stdin and answers one JSON line each: every
 * request in one process, the answers parsed in order. A crash (exit code other than 0) is an
 * error naming `what` with the oracle's stderr.
 */
export function askGoLines<T>(bin: string, what: string, requests: readonly object[]): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    // A crash of the oracle closes its stdin early: the exit code and stderr say why.
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${what} exited with ${code}: ${Buffer.concat(err).toString('utf8').slice(0, 4000)}`));
      const answers = Buffer.concat(out)
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as T);
      if (answers.length !== requests.length) return reject(new Error(`${what} answered ${answers.length} of ${requests.length} requests`));
      resolve(answers);
    });
    child.stdin.end(requests.map((r) => JSON.stringify(r)).join('\n') + '\n');
  });
}
