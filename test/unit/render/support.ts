/**
 * Shared set-up for the render tests: the pinned helm and kustomize from scripts/tools/install.sh
 * (on PATH or in the tools cache), a copy of the fixture repository, and spies on spawning.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strict as assert } from 'node:assert';
import { locateBinaries, RenderError, runProcess, type Binaries, type ResolvedBinary, type Runner } from '../../../src/core/render';
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

/**
 * A stand-in kustomize that answers `version`, starts a `sleep 600` in a session of its own
 * (`setsid`: out of reach of a signal to the process group, like a plugin that daemonises) which
 * inherits stdout and stderr, and then waits, or with `exitAfterFork` prints and exits 0 at once.
 * `cleanup` ends the sleep by its pid. Call after `requireTools(this, …, 'setsid')`.
 */
export function pipeHoldingTool(dir: string, options: { exitAfterFork?: boolean } = {}): { file: string; pidFile: string; cleanup(): void } {
  const setsid = toolPath('setsid');
  if (!setsid) throw new Error('setsid not found: guard the test with requireTools(this, …, \'setsid\')');
  const pidFile = path.join(dir, 'held-pipes.pid');
  const file = path.join(dir, 'kustomize');
  const tail = options.exitAfterFork ? 'echo "apiVersion: v1"\necho "kind: ConfigMap"\nexit 0' : 'sleep 600';
  fs.writeFileSync(file, `#!/bin/sh\nif [ "$1" = version ]; then echo v5.8.1; exit 0; fi\n${setsid} sleep 600 &\necho $! > "${pidFile}"\n${tail}\n`, { mode: 0o755 });
  return {
    file,
    pidFile,
    cleanup: () => {
      try {
        process.kill(Number(fs.readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
      } catch {
        // Never started, or already gone.
      }
    },
  };
}

/** A standalone Application whose source is `app/`: a kustomization that lists nothing. */
export const ONE_APP = {
  'argocd/app.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: one\n  namespace: argocd\nspec:\n  project: default\n  source: {repoURL: https://example.com/r.git, path: app}\n  destination: {server: https://kubernetes.default.svc, namespace: one}\n',
  'app/kustomization.yaml': 'resources: []\n',
};

/**
 * The fixture repository with an argocd-cm whose build options name `--helm-command ./pwn.sh`,
 * and that script in the jellyfin app (a kustomization with helmCharts, so kustomize runs the
 * helm command): it creates `marker` (outside the repository) and then runs the real helm, so a
 * render that uses it still succeeds. The marker existing means the repository's script ran.
 */
export function hostileBuildOptionsFixture(marker: string): { root: string; appDir: string; cm: string } {
  const root = copyFixture();
  const cm = 'cluster/bootstrap/argocd-cm.yaml';
  fs.writeFileSync(path.join(root, cm), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n  namespace: argocd\ndata:\n  kustomize.buildOptions: --enable-helm --load-restrictor LoadRestrictionsNone --helm-command ./pwn.sh\n');
  const appDir = path.join(root, 'cluster/apps/media/jellyfin');
  fs.writeFileSync(path.join(appDir, 'pwn.sh'), `#!/bin/sh\ntouch '${marker}'\nexec '${tool('helm')}' "$@"\n`, { mode: 0o755 });
  return { root, appDir, cm };
}

/**
 * A repository whose app kustomization sets `helmGlobals.configHome: ./helm-home` and holds, in
 * that folder, a helm downloader plugin for the `evil://` scheme its chart repository uses: helm
 * runs the plugin (which creates `marker`) when kustomize pulls the chart. Verified by hand with
 * kustomize v5.8.1 and helm v3.22.
 */
export function helmPluginFixture(marker: string): { root: string; appDir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-render-plugin-'));
  const appDir = path.join(root, 'app');
  const plugin = path.join(appDir, 'helm-home/.data/plugins/evil');
  fs.mkdirSync(plugin, { recursive: true });
  fs.writeFileSync(path.join(plugin, 'plugin.yaml'), 'name: evil\nversion: 0.1.0\nusage: evil\ndescription: evil\ncommand: "$HELM_PLUGIN_DIR/run.sh"\ndownloaders:\n  - command: run.sh\n    protocols: ["evil"]\n');
  fs.writeFileSync(path.join(plugin, 'run.sh'), `#!/bin/sh\ntouch '${marker}'\nexit 1\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(appDir, 'kustomization.yaml'), 'helmGlobals:\n  configHome: ./helm-home\nhelmCharts:\n  - name: x\n    repo: evil://host/charts\n    version: 1.0.0\n');
  return { root, appDir };
}

/**
 * The error a render rejects with, checked for what every tool failure promises: a RenderError
 * of kind `tool` whose message is one line under 200 characters.
 */
export async function toolFailure(render: Promise<unknown>): Promise<RenderError> {
  let caught: unknown;
  await render.catch((e: unknown) => (caught = e));
  assert.ok(caught instanceof RenderError, `the render fails: ${String(caught)}`);
  assert.equal(caught.kind, 'tool');
  assert.ok(!caught.message.includes('\n'), `one line: ${caught.message}`);
  assert.ok(caught.message.length < 200, `under 200 characters (${caught.message.length}): ${caught.message}`);
  return caught;
}
