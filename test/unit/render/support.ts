/**
 * Shared set-up for the render tests: the pinned helm and kustomize from scripts/tools/install.sh
 * (on PATH or in the tools cache), a copy of the fixture repository, and spies on spawning.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { locateBinaries, runProcess, type Binaries, type ResolvedBinary, type Runner } from '../../../src/core/render';
import { TOOL_ENV, toolPath } from '../../support/shared';

export const FIXTURE_REPO = path.resolve(__dirname, '../../fixtures/render/homelab');
export const CHARTS = path.resolve(__dirname, '../../fixtures/charts');
export { TOOL_ENV };

export function realBinaries(): Binaries {
  return locateBinaries({}, { env: TOOL_ENV });
}

/** The pinned binary; call after requireTools said it is there. */
export function tool(name: 'helm' | 'kustomize'): string {
  return toolPath(name) as string;
}

/** Runs a binary directly, the way a person would, and returns what it prints. */
export function direct(file: string, args: string[], cwd: string): string {
  const r = spawnSync(file, args, { cwd, env: TOOL_ENV, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

export function copyFixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-render-'));
  fs.cpSync(FIXTURE_REPO, dir, { recursive: true });
  return dir;
}

export function tempDir(prefix = 'home-ops-render-cache-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A Runner that records every spawn before delegating to the real one. */
export function countingRunner(): { runner: Runner; calls: string[][] } {
  const calls: string[][] = [];
  const runner: Runner = (file, args, options) => {
    calls.push([file, ...args]);
    return runProcess(file, args, options);
  };
  return { runner, calls };
}

/** Binaries whose every lookup is recorded; `helm` may be replaced by a fake script. */
export function recordingBinaries(inner: Binaries, fakeHelm?: string): { binaries: Binaries; calls: string[] } {
  const calls: string[] = [];
  const fake: ResolvedBinary | undefined = fakeHelm ? { name: 'helm', file: fakeHelm, prefix: [], version: 'v3.0.0-fake', via: 'setting' } : undefined;
  return {
    calls,
    binaries: {
      helm: async () => (calls.push('helm'), fake ?? inner.helm()),
      kustomize: async () => (calls.push('kustomize'), inner.kustomize()),
      git: async () => (calls.push('git'), inner.git()),
    },
  };
}

/** Whether a process exists and is not a zombie (a killed child not yet reaped by init). */
export function alive(pid: number): boolean {
  if (fs.existsSync('/proc')) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The processes of `pids` still alive after up to `ms`: SIGKILL is delivered when the kernel next
 * schedules the process, which on a busy machine can be a few milliseconds after kill() returns.
 */
export async function survivors(pids: readonly number[], ms = 2000): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = pids.filter(alive);
    if (left.length === 0 || Date.now() >= deadline) return left;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Resolves when `file` exists (fs.watch on its folder; no polling sleeps). */
export function whenFileExists(file: string): Promise<void> {
  return new Promise((resolve) => {
    const check = (): boolean => fs.existsSync(file) && fs.readFileSync(file, 'utf8').trim().split(/\s+/).length >= 2;
    if (check()) return resolve();
    const w = fs.watch(path.dirname(file), () => {
      if (check()) {
        w.close();
        resolve();
      }
    });
  });
}

/** A stand-in "helm" that starts a child (`sleep`), writes both pids, and waits forever. */
export function slowScript(dir: string): { script: string; pidFile: string } {
  const pidFile = path.join(dir, 'pids');
  const script = path.join(dir, 'slow-helm');
  fs.writeFileSync(script, `#!/bin/sh\nsleep 300 &\nchild=$!\necho "$$ $child" > "${pidFile}.tmp" && mv "${pidFile}.tmp" "${pidFile}"\nwait\n`, { mode: 0o755 });
  return { script, pidFile };
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Home-Ops Test', '-c', 'user.email=test@example.org', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
}

/** Content hashes of every file below `root` (`.git` excluded): "the working tree is untouched". */
export function treeHashes(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      if (e.name === '.git') continue;
      if (e.isDirectory()) walk(abs);
      else out[path.relative(root, abs)] = createHash('sha256').update(fs.readFileSync(abs)).digest('hex');
    }
  };
  walk(root);
  return out;
}

/** The fixture repository as a Git repository with one commit on `main`. */
export function committedFixture(): string {
  const root = copyFixture();
  git(root, 'init', '--quiet', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '--quiet', '-m', 'first');
  return root;
}
