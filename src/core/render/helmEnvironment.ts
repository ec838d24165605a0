/**
 * The environment helm runs in for a preview, and the user's own helm logins a preview reads.
 *
 * Helm's homes are Home-Ops' own (`{cacheDir}/helm/…`: HELM_CONFIG_HOME, HELM_CACHE_HOME,
 * HELM_DATA_HOME, HELM_REPOSITORY_CONFIG, HELM_REPOSITORY_CACHE): the repositories a dependency
 * build adds and the indexes it fetches stay out of the user's helm, one of the user's
 * repositories being unreachable cannot break a render that does not use it, and the user's helm
 * plugins do not run. What the user logged in to is theirs to use, though, read and never written:
 *
 * - The registry login (`helm registry login`): every helm run gets HELM_REGISTRY_CONFIG naming
 *   the user's file. helm only reads it when it pulls (pkg/registry/client.go NewClient, an
 *   oras-go file store; `helm registry login`/`logout` are its writers), with Docker's own login
 *   (DOCKER_CONFIG, ~/.docker) as its fallback, which the inherited environment already names.
 *   kustomize passes it on: it runs helm with its own environment plus HELM_CONFIG_HOME,
 *   HELM_CACHE_HOME and HELM_DATA_HOME in a temporary folder (kustomize api v0.21.1
 *   internal/builtins/HelmChartInflationGenerator.go runHelmCommand) — which is also why
 *   `kustomize build --enable-helm` run by hand does not see a `helm registry login` unless
 *   HELM_REGISTRY_CONFIG is set.
 * - A repository added with `helm repo add --username …` (or with its own CA or client
 *   certificate): helm sends those settings only when the chart is reached through the
 *   repository's entry — `helm pull NAME/CHART`, a dependency build whose repositories file lists
 *   the URL — and never for `--repo URL` (pkg/action/install.go LocateChart; so kustomize's
 *   helmCharts cannot use them at all). Such a fetch runs with HELM_REPOSITORY_CONFIG naming the
 *   user's file, which `helm repo update NAME`, `helm pull` and `helm dependency build` only
 *   read, and a temporary index folder of Home-Ops' own (withUserRepositories).
 *
 * No credential is copied anywhere: helm reads the user's files itself, and Home-Ops keeps
 * nothing of them but repository names and URLs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadYaml } from '../yaml/load';
import type { ResolvedBinary } from './binaries';
import { RunError, type RunOptions, type RunResult, type Runner } from './runner';

/** Where Home-Ops' own helm keeps what a dependency build adds and fetches. */
export interface HelmHomes {
  /** HELM_REPOSITORY_CONFIG: the repositories file. */
  repositoryConfig: string;
  /** HELM_REPOSITORY_CACHE: the fetched indexes. */
  repositoryCache: string;
  /** Home-Ops' own cache of built dependencies (`charts/*.tgz`), by what the chart asks for. */
  dependencyCache: string;
  /** Temporary folders (an index folder for the user's repositories), removed after use. */
  tmp: string;
}

/** The user's helm files a preview reads (never writes). */
export interface UserHelmFiles {
  /** `helm registry login`'s credentials: HELM_REGISTRY_CONFIG, else `registry/config.json` in helm's config folder. */
  registryConfig: string;
  /** `helm repo add`'s repositories: HELM_REPOSITORY_CONFIG, else `repositories.yaml` in helm's config folder. */
  repositoryConfig: string;
}

/**
 * The files helm itself would use in `env` (pkg/cli/environment.go, pkg/helmpath): the config
 * folder is HELM_CONFIG_HOME, else `$XDG_CONFIG_HOME/helm`, else the platform's — `~/.config/helm`
 * on Linux, `~/Library/Preferences/helm` on macOS, `%APPDATA%\helm` on Windows. `~` is $HOME as
 * helm reads it (client-go homedir), Node's home folder when $HOME is unset.
 */
export function userHelmFiles(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): UserHelmFiles {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const home = env['HOME'] || os.homedir();
  const platformConfig = platform === 'win32' ? (env['APPDATA'] ?? '') : platform === 'darwin' ? p.join(home, 'Library', 'Preferences') : p.join(home, '.config');
  const configHome = env['HELM_CONFIG_HOME'] || p.join(env['XDG_CONFIG_HOME'] || platformConfig, 'helm');
  return {
    registryConfig: env['HELM_REGISTRY_CONFIG'] || p.join(configHome, 'registry', 'config.json'),
    repositoryConfig: env['HELM_REPOSITORY_CONFIG'] || p.join(configHome, 'repositories.yaml'),
  };
}

/**
 * The environment of a render's helm (and of the helm kustomize runs): the user's, with helm's
 * homes Home-Ops' own under `{cacheDir}/helm` and the user's registry login.
 */
export function renderHelmEnvironment(cacheDir: string, userEnv: NodeJS.ProcessEnv = process.env): { env: NodeJS.ProcessEnv; homes: HelmHomes; user: UserHelmFiles } {
  const helmHome = path.join(cacheDir, 'helm');
  const homes: HelmHomes = {
    repositoryConfig: path.join(helmHome, 'config', 'repositories.yaml'),
    repositoryCache: path.join(helmHome, 'cache', 'repository'),
    dependencyCache: path.join(helmHome, 'dependencies'),
    tmp: path.join(cacheDir, 'tmp'),
  };
  const user = userHelmFiles(userEnv);
  const env: NodeJS.ProcessEnv = {
    ...userEnv,
    HELM_CACHE_HOME: path.join(helmHome, 'cache'),
    HELM_CONFIG_HOME: path.join(helmHome, 'config'),
    HELM_DATA_HOME: path.join(helmHome, 'data'),
    HELM_REPOSITORY_CONFIG: homes.repositoryConfig,
    HELM_REPOSITORY_CACHE: homes.repositoryCache,
    HELM_REGISTRY_CONFIG: user.registryConfig,
  };
  return { env, homes, user };
}

/** A repository URL as helm compares them (pkg/repo urlutil.Equal ignores a trailing slash). */
export function normalRepositoryUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/** An entry of the user's repositories file; its credentials are not kept. */
export interface UserRepository {
  name: string;
  /** Without a trailing slash. */
  url: string;
  /** Whether the entry carries what reaching the repository may need: credentials, a CA, a client certificate, skipped TLS verification. */
  authenticated: boolean;
}

/** The entries of a repositories file (`helm repo add`); none when it is absent or unreadable. */
export function userRepositories(repositoryConfig: string): UserRepository[] {
  let doc: unknown;
  try {
    doc = loadYaml(fs.readFileSync(repositoryConfig, 'utf8'), 'config');
  } catch {
    return [];
  }
  const entries = doc && typeof doc === 'object' ? (doc as { repositories?: unknown }).repositories : undefined;
  if (!Array.isArray(entries)) return [];
  const out: UserRepository[] = [];
  for (const e of entries) {
    if (!e || typeof e !== 'object') continue;
    const r = e as Record<string, unknown>;
    if (typeof r['name'] !== 'string' || typeof r['url'] !== 'string') continue;
    const set = (k: string) => typeof r[k] === 'string' && r[k] !== '';
    const authenticated = ['username', 'password', 'certFile', 'keyFile', 'caFile'].some(set) || r['insecure_skip_tls_verify'] === true;
    out.push({ name: r['name'], url: normalRepositoryUrl(r['url']), authenticated });
  }
  return out;
}

/** The user's entry for a repository URL that carries credentials or TLS settings, if there is one. */
export function authenticatedUserRepository(url: string, user: UserHelmFiles): UserRepository | undefined {
  const wanted = normalRepositoryUrl(url);
  return userRepositories(user.repositoryConfig).find((r) => r.url === wanted && r.authenticated);
}

/** What helm accepts as an index: one that lists no chart. */
const EMPTY_INDEX = 'apiVersion: v1\nentries: {}\n';

/**
 * Runs `fn` with helm reading the user's repositories file (never writing it) and a temporary
 * index folder of Home-Ops' own, which holds the indexes of `names` fetched now with the entries'
 * credentials (`helm repo update NAMES --fail-on-repo-update-fail`: without the flag helm reports
 * a failed fetch on stdout and exits 0) and an empty index for every other entry: helm loads an
 * index for each entry before a dependency build (pkg/downloader/manager.go
 * loadChartRepositories), and a repository this chart does not name — one the user cannot
 * reach any more, say — must not fail it. The user's own index cache is neither read nor
 * written. Returns `fn`'s result and the update's command, for the preview's header.
 */
export async function withUserRepositories<T>(
  helm: ResolvedBinary,
  user: UserHelmFiles,
  names: readonly string[],
  homes: Pick<HelmHomes, 'tmp'>,
  run: Runner,
  runOpts: RunOptions,
  fn: (opts: RunOptions) => Promise<T>,
): Promise<{ value: T; command: string }> {
  fs.mkdirSync(homes.tmp, { recursive: true });
  const indexes = fs.mkdtempSync(path.join(homes.tmp, 'user-indexes-'));
  try {
    const opts: RunOptions = { ...runOpts, env: { ...(runOpts.env ?? process.env), HELM_REPOSITORY_CONFIG: user.repositoryConfig, HELM_REPOSITORY_CACHE: indexes } };
    // `helm repo update` without a name would fetch every repository the user ever added.
    if (names.length === 0) throw new Error('withUserRepositories: no repository to fetch');
    let update: RunResult;
    try {
      update = await run(helm.file, ['repo', 'update', ...names, '--fail-on-repo-update-fail'], opts);
    } catch (e) {
      // The reason (`failed to fetch …/index.yaml : 401 Unauthorized`) is on stdout, the error on stderr only names the URL.
      if (e instanceof RunError && e.failure === 'exit') throw new RunError(e.message, e.failure, e.command, `${e.stdout}${e.stderr}`, e.exitCode, e.durationMs, e.stdout);
      throw e;
    }
    for (const r of userRepositories(user.repositoryConfig)) {
      // A name that is no plain file name (a hand-edited file) gets nothing written for it.
      if (r.name !== path.basename(r.name) || r.name === '.' || r.name === '..') continue;
      const file = path.join(indexes, `${r.name}-index.yaml`);
      if (!fs.existsSync(file)) fs.writeFileSync(file, EMPTY_INDEX);
    }
    return { value: await fn(opts), command: update.command };
  } finally {
    fs.rmSync(indexes, { recursive: true, force: true });
  }
}
