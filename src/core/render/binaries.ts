/**
 * Finds the real helm, kustomize (or `kubectl kustomize`) and git binaries: an explicit path from
 * the settings wins, then Home-Ops' tools cache (where `npm run tools:install`, i.e.
 * scripts/tools/install.sh, puts the pinned helm and kustomize: `$HOME_OPS_CACHE/tools/bin`, by
 * default `~/.cache/home-ops/tools/bin`), then PATH; for kustomize, `kubectl kustomize` last.
 * The cache comes before PATH because it is what the user installed for Home-Ops, pinned to the
 * versions Argo CD ships. Versions are asked once per Binaries instance (they go into the
 * render cache key, so a helm upgrade re-renders) and kept for the instance's life: the owner
 * (extension context, CLI run, test) creates one and drops it when settings change.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runProcess, type Runner } from './runner';

export type BinaryName = 'helm' | 'kustomize' | 'git';

export interface BinarySettings {
  /** Explicit paths; empty or undefined: look on PATH. */
  helm?: string;
  kustomize?: string;
  kubectl?: string;
  git?: string;
}

/** Where a binary was found: the user's setting, Home-Ops' tools cache, or PATH. */
export type BinarySource = 'setting' | 'cache' | 'path';

export interface ResolvedBinary {
  name: BinaryName;
  /** The executable to spawn. */
  file: string;
  /** Arguments before the command's own (`['kustomize']` when kustomize is `kubectl kustomize`). */
  prefix: readonly string[];
  /** As the binary reports it (`v3.22.0`, `v5.8.1`, `git version 2.43.0`). */
  version: string;
  via: BinarySource;
  /**
   * The build flags this kustomize accepts, when it is not kustomize itself: `kubectl kustomize`
   * lists fewer (no `--enable-exec`, `--stack-trace`), and refuses a flag it lacks. Undefined:
   * every flag of `kustomize build`.
   */
  flags?: readonly string[];
}

/** How to get each binary, for the message when it is missing. */
export const INSTALL_HINTS: Record<BinaryName, string> = {
  helm: 'Install Helm 3 (https://helm.sh/docs/intro/install/, or `go install helm.sh/helm/v3/cmd/helm@v3.22.0`; in this project `scripts/tools/install.sh`), or set `homeOps.render.helmPath`.',
  kustomize:
    'Install kustomize (https://kubectl.docs.kubernetes.io/installation/kustomize/, or `go install sigs.k8s.io/kustomize/kustomize/v5@v5.8.1`; in this project `scripts/tools/install.sh`), install kubectl (its `kubectl kustomize` is used instead), or set `homeOps.render.kustomizePath`.',
  git: 'Install Git (https://git-scm.com/downloads) or set `git.path`.',
};

export class MissingBinaryError extends Error {
  constructor(
    readonly binary: BinaryName,
    readonly detail: string,
  ) {
    super(`${binary} was not found (${detail}). ${INSTALL_HINTS[binary]}`);
    this.name = 'MissingBinaryError';
  }
}

/** What render and diff need; tests pass stubs that record calls. */
export interface Binaries {
  helm(): Promise<ResolvedBinary>;
  kustomize(): Promise<ResolvedBinary>;
  git(): Promise<ResolvedBinary>;
}

export interface LocateOptions {
  env?: NodeJS.ProcessEnv;
  /** Home-Ops' tools cache (default: toolsCacheDir(env)); null: none. */
  toolsDir?: string | null;
  runner?: Runner;
  /** For version probes (default 10 s). */
  timeoutMs?: number;
}

/** Binaries from settings and PATH, each located and version-probed at most once. */
export function locateBinaries(settings: BinarySettings = {}, options: LocateOptions = {}): Binaries {
  const env = options.env ?? process.env;
  const run = options.runner ?? runProcess;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const memo = new Map<BinaryName, Promise<ResolvedBinary>>();
  const once = (name: BinaryName, find: () => Promise<ResolvedBinary>) => (): Promise<ResolvedBinary> => {
    let p = memo.get(name);
    if (!p) {
      p = find();
      // A failed lookup is retried next time: the user may have installed the binary meanwhile.
      p.catch(() => memo.delete(name));
      memo.set(name, p);
    }
    return p;
  };

  const toolsDir = options.toolsDir === undefined ? toolsCacheDir(env) : (options.toolsDir ?? undefined);
  const locate = (name: string, setting: string | undefined): { file: string; via: BinarySource } | string => {
    if (setting && setting.trim()) {
      const file = setting.trim();
      return isExecutable(file) ? { file, via: 'setting' } : `the configured path ${file} is not an executable file`;
    }
    const cached = toolsDir && name !== 'git' && name !== 'kubectl' ? findIn(toolsDir, name, env) : undefined;
    if (cached) return { file: cached, via: 'cache' };
    const found = findOnPath(name, env);
    return found ? { file: found, via: 'path' } : toolsDir && name !== 'git' && name !== 'kubectl' ? `not in ${toolsDir}, not on PATH` : 'not on PATH';
  };

  const probe = async (file: string, args: string[]): Promise<string> => {
    const r = await run(file, args, { env, timeoutMs });
    return r.stdout.trim() || r.stderr.trim();
  };

  return {
    helm: once('helm', async () => {
      const where = locate('helm', settings.helm);
      if (typeof where === 'string') throw new MissingBinaryError('helm', where);
      const version = await probe(where.file, ['version', '--short']);
      if (!/^v?[34]\./.test(version)) throw new MissingBinaryError('helm', `${where.file} reports version "${version}"; Helm 3 or 4 is needed`);
      return { name: 'helm', file: where.file, prefix: [], version, via: where.via };
    }),
    kustomize: once('kustomize', async () => {
      const where = locate('kustomize', settings.kustomize);
      if (typeof where !== 'string') {
        const version = (await probe(where.file, ['version'])).split('\n')[0] ?? '';
        return { name: 'kustomize', file: where.file, prefix: [], version, via: where.via };
      }
      const kubectl = locate('kubectl', settings.kubectl);
      if (typeof kubectl === 'string') throw new MissingBinaryError('kustomize', `${where}; kubectl: ${kubectl}`);
      const out = await probe(kubectl.file, ['version', '--client']);
      const m = /Kustomize Version:\s*(\S+)/.exec(out);
      const flags = kubectlKustomizeFlags(await probe(kubectl.file, ['kustomize', '--help']));
      return { name: 'kustomize', file: kubectl.file, prefix: ['kustomize'], version: `kubectl ${m?.[1] ?? out.split('\n')[0] ?? ''}`, via: kubectl.via, flags };
    }),
    git: once('git', async () => {
      const where = locate('git', settings.git);
      if (typeof where === 'string') throw new MissingBinaryError('git', where);
      return { name: 'git', file: where.file, prefix: [], version: await probe(where.file, ['--version']), via: where.via };
    }),
  };
}

/**
 * The flags `kubectl kustomize --help` lists (`    --enable-helm=false:`, `    -e, --env=[]:`),
 * plus the deprecated ones it accepts without listing them (kubectl v1.32 takes `--reorder` and
 * `--enable-managedby-label` with a deprecation notice; both change the output, so they are kept).
 */
export function kubectlKustomizeFlags(help: string): string[] {
  const listed = [...help.matchAll(/^\s+(?:-\w, )?(--[\w-]+)[=:]/gm)].map((m) => m[1] as string);
  return [...new Set([...listed, '--reorder', '--enable-managedby-label'])];
}

/**
 * Home-Ops' tools cache as scripts/tools/install.sh fills it: `$HOME_OPS_CACHE/tools/bin`, else
 * `~/.cache/home-ops/tools/bin` of the environment's home; undefined without either.
 */
export function toolsCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const cache = env['HOME_OPS_CACHE'];
  if (cache) return path.join(cache, 'tools', 'bin');
  const home = env['HOME'] ?? env['USERPROFILE'];
  return home ? path.join(home, '.cache', 'home-ops', 'tools', 'bin') : undefined;
}

export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env['PATH'] ?? env['Path'] ?? '').split(path.delimiter).filter(Boolean)) {
    const file = findIn(dir, name, env);
    if (file) return file;
  }
  return undefined;
}

function findIn(dir: string, name: string, env: NodeJS.ProcessEnv): string | undefined {
  const exts = process.platform === 'win32' ? (env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const ext of exts) {
    const file = path.join(dir, name + ext);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
