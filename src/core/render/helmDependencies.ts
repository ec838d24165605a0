/**
 * `helm dependency build` for a chart whose dependencies are not in its `charts/` folder, as
 * Argo CD's repo-server does it (reposerver/repository/repository.go `helmTemplate`: template
 * first; on helm's "missing in charts/ directory" error `runHelmBuild`, then template again;
 * util/helm/helm.go `DependencyBuild`: `helm repo add` for each https dependency repository that
 * `getHelmDependencyRepos` reads from Chart.yaml, then `helm dependency build`).
 *
 * It runs in the render's private copy (workdir.ts), so the charts it saves never land in the
 * repository and are reused with the copy. Helm's repository list and index cache are Home-Ops'
 * own (the render's HELM_CONFIG_HOME/HELM_CACHE_HOME), never the user's: a repository's index,
 * once fetched, serves later builds, and the archives a build saved are kept by what the chart
 * asks for (dependencyCacheKey), so the next copy of the same chart builds offline. Only the dependency repositories of this
 * chart are refreshed (`--skip-refresh` on the build: a plain build refreshes every repository
 * ever added, so one unreachable registry of another app would fail this one).
 *
 * A dependency repository the user added to helm with credentials (or its own CA or client
 * certificate) is reached through the user's entry instead, as their own `helm dependency build`
 * would: helm sends an entry's credentials only for a URL its repositories file lists, so the
 * build reads the user's file (helmEnvironment.ts withUserRepositories: read, never written;
 * nothing is added to it). Then helm itself fetches any other dependency repository the user has
 * not added, as it does by hand — and, as by hand, a Chart.lock wants every one of them added.
 * OCI dependencies use the user's registry login through the render's HELM_REGISTRY_CONFIG.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadYaml } from '../yaml/load';
import type { ResolvedBinary } from './binaries';
import { normalRepositoryUrl, userRepositories, withUserRepositories, type HelmHomes, type UserHelmFiles } from './helmEnvironment';
import type { RunOptions, RunResult, Runner } from './runner';

/** util/helm/cmd.go IsMissingDependencyErr: the helm error that makes Argo CD build dependencies. */
export function isMissingDependencyError(stderr: string): boolean {
  return /found in (?:requirements\.yaml|Chart\.yaml), but missing in charts\/ directory/.test(stderr);
}

/** The http(s) repositories a chart's dependencies name (Chart.yaml, or requirements.yaml of apiVersion v1 charts). */
export function dependencyRepositories(chartDir: string): string[] {
  const repos: string[] = [];
  for (const file of ['Chart.yaml', 'requirements.yaml']) {
    let doc: unknown;
    try {
      doc = loadYaml(fs.readFileSync(path.join(chartDir, file), 'utf8'), 'chart-metadata');
    } catch {
      continue; // absent, or invalid: helm says so itself
    }
    const deps = doc && typeof doc === 'object' ? (doc as { dependencies?: unknown }).dependencies : undefined;
    if (!Array.isArray(deps)) continue;
    for (const d of deps) {
      const repo = d && typeof d === 'object' ? (d as { repository?: unknown }).repository : undefined;
      if (typeof repo === 'string' && /^https?:\/\//i.test(repo)) repos.push(normalRepositoryUrl(repo));
    }
  }
  return [...new Set(repos)];
}

/** Home-Ops' name for a repository it adds: stable per URL, never clashing with a user's name. */
export function repositoryName(url: string): string {
  return `home-ops-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`;
}

/** The URLs the repository file lists (`repositories: [{ name, url }]`). */
function knownRepositories(repositoryConfig: string): Set<string> {
  try {
    const v = loadYaml(fs.readFileSync(repositoryConfig, 'utf8'), 'config') as { repositories?: Array<{ url?: unknown }> } | null;
    return new Set((v?.repositories ?? []).map((r) => (typeof r?.url === 'string' ? normalRepositoryUrl(r.url) : '')).filter(Boolean));
  } catch {
    return new Set();
  }
}

/**
 * The key of a chart's built dependencies when they all come from repositories (no `file://`
 * one, whose content may change under the same name): what Chart.yaml, requirements.yaml and
 * Chart.lock/requirements.lock ask for. Undefined when some dependency is local.
 */
export function dependencyCacheKey(chartDir: string): string | undefined {
  const h = createHash('sha256').update('deps-v1\0');
  for (const file of ['Chart.yaml', 'requirements.yaml', 'Chart.lock', 'requirements.lock']) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(chartDir, file), 'utf8');
    } catch {
      continue;
    }
    let deps: unknown;
    try {
      const doc = loadYaml(text, 'chart-metadata');
      deps = doc && typeof doc === 'object' ? (doc as { dependencies?: unknown }).dependencies : undefined;
    } catch {
      return undefined;
    }
    if (!Array.isArray(deps)) continue;
    if (deps.some((d) => !(d && typeof d === 'object' && typeof (d as { repository?: unknown }).repository === 'string' && /^(?:https?|oci):\/\//i.test((d as { repository: string }).repository)))) return undefined;
    h.update(`${file}\0${JSON.stringify(deps)}\0`);
  }
  return h.digest('hex').slice(0, 32);
}

/** Puts cached dependency archives into `charts/`; true when there were some. */
function restoreDependencies(cacheDir: string, chartDir: string): boolean {
  let names: string[];
  try {
    names = fs.readdirSync(cacheDir).filter((n) => n.endsWith('.tgz'));
  } catch {
    return false;
  }
  if (names.length === 0) return false;
  fs.mkdirSync(path.join(chartDir, 'charts'), { recursive: true });
  for (const n of names) fs.copyFileSync(path.join(cacheDir, n), path.join(chartDir, 'charts', n));
  return true;
}

/** Keeps the archives a build saved, for the next copy of the same chart (written aside, then renamed). */
function keepDependencies(cacheDir: string, chartDir: string): void {
  try {
    const names = fs.readdirSync(path.join(chartDir, 'charts')).filter((n) => n.endsWith('.tgz'));
    if (names.length === 0) return;
    const staging = `${cacheDir}.${process.pid}.tmp`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true });
    for (const n of names) fs.copyFileSync(path.join(chartDir, 'charts', n), path.join(staging, n));
    fs.rmSync(cacheDir, { recursive: true, force: true });
    fs.renameSync(staging, cacheDir);
  } catch {
    // A cache that cannot be written only costs the network next time.
  }
}

/**
 * Builds the dependencies of the chart in `cwd` (a folder of the private copy). Tries the indexes
 * Home-Ops already has first, without the network; when a repository is not known yet, or the
 * build fails on what is known (a version newer than the cached index), adds or refreshes this
 * chart's repositories and builds again. Returns the commands that ran, for the preview's header;
 * a failure rejects with the runner's error (the caller turns it into a one-line message).
 */
export async function buildHelmDependencies(helm: ResolvedBinary, cwd: string, homes: HelmHomes, run: Runner, runOpts: RunOptions, user?: UserHelmFiles): Promise<string[]> {
  const key = dependencyCacheKey(cwd);
  const cached = key ? path.join(homes.dependencyCache, key) : undefined;
  // The same dependencies were built before (another copy of this chart): no network needed.
  if (cached && restoreDependencies(cached, cwd)) return [`(dependencies from the cache: ${cached})`];
  const commands = await buildOnline(helm, cwd, homes, run, runOpts, user);
  if (cached) keepDependencies(cached, cwd);
  return commands;
}

async function buildOnline(helm: ResolvedBinary, cwd: string, homes: HelmHomes, run: Runner, runOpts: RunOptions, user: UserHelmFiles | undefined): Promise<string[]> {
  const opts = { ...runOpts, cwd };
  const repos = dependencyRepositories(cwd);
  // Every entry of the user's at a URL the chart names gets its index (one without credentials
  // too: helm may pick it for that URL); the user's file is used when one of them has credentials.
  const theirs = user ? userRepositories(user.repositoryConfig).filter((r) => repos.includes(r.url)) : [];
  if (user && theirs.some((r) => r.authenticated)) {
    const names = [...new Set(theirs.map((r) => r.name))];
    const built = await withUserRepositories(helm, user, names, homes, run, opts, (o) => run(helm.file, ['dependency', 'build', '--skip-refresh'], o));
    return [built.command, built.value.command];
  }
  const known = knownRepositories(homes.repositoryConfig);
  const indexed = (url: string) => known.has(url) && fs.existsSync(path.join(homes.repositoryCache, `${repositoryName(url)}-index.yaml`));
  const build = (): Promise<RunResult> => run(helm.file, ['dependency', 'build', '--skip-refresh'], opts);
  const commands: string[] = [];
  if (repos.every(indexed)) {
    try {
      commands.push((await build()).command);
      return commands;
    } catch (e) {
      // Nothing to refresh: the failure is the chart's (a missing file:// folder, a stale lock).
      if (repos.length === 0) throw e;
    }
  }
  for (const url of repos) commands.push((await run(helm.file, ['repo', 'add', '--force-update', repositoryName(url), url], opts)).command);
  commands.push((await build()).command);
  return commands;
}
