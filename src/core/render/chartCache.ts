/**
 * The chart cache: packaged charts (`.tgz`, as `helm pull` writes them) that values files are
 * checked against when the chart is not in the repository. One place for the CLI and the
 * editor — `$HOME_OPS_CHART_CACHE`, else `$HOME_OPS_CACHE/charts`, else `~/.cache/home-ops/charts` — so that
 * `home-ops charts pull` in a terminal (or in CI before an offline lint) serves the editor too.
 *
 * Layout: `<cache>/<repo>-<hash>/<name>-<version>.tgz`, `<repo>` the repository URL made a
 * folder name (readable in `home-ops charts list`), `<hash>` the first 12 hex digits of the
 * URL's SHA-256 (two URLs that read alike stay apart), and `repo.txt` beside the charts holding
 * the URL. A chart is written once, complete (pulled into a temporary folder, then renamed), and
 * never changed: a repository's chart version is immutable.
 *
 * Pulls run `helm pull` with the user's own helm configuration (repositories, registry logins,
 * credentials): a chart repository the user added to helm is pulled by its name there (its
 * credentials go with it; `helm pull --repo URL` would send none), its index fetched into a
 * folder of the cache's own rather than the user's helm cache, an OCI registry with the user's
 * registry login. Only the user's action (the CLI, a trusted workspace's fetching, on by the
 * editor's setting) runs one.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chartRefLabel, type ChartRef, type ChartStore } from '../charts';
import type { ResolvedBinary } from './binaries';
import { normalRepositoryUrl, userHelmFiles, userRepositories, withUserRepositories } from './helmEnvironment';
import { runProcess, type Runner } from './runner';

/** A packaged chart larger than this is not read (the largest public charts are a few MB). */
const MAX_ARCHIVE = 32 * 1024 * 1024;

/** Home-Ops' cache folder: `$HOME_OPS_CACHE`, else `~/.cache/home-ops`. */
export function homeOpsCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['HOME_OPS_CACHE'] || path.join(os.homedir(), '.cache', 'home-ops');
}

/** The chart cache folder: `$HOME_OPS_CHART_CACHE`, else `charts/` in Home-Ops' cache folder. */
export function defaultChartCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['HOME_OPS_CHART_CACHE'] || path.join(homeOpsCacheDir(env), 'charts');
}

export function repoFolderName(repo: string): string {
  const url = normalRepositoryUrl(repo);
  const readable = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return `${readable}-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`;
}

/** The chart's name and version as a file name (a version has no `/`; anything odd is replaced). */
function archiveName(ref: ChartRef): string {
  return `${ref.name}-${ref.version}.tgz`.replace(/[^A-Za-z0-9._+-]/g, '_');
}

export interface CachedChart {
  repo: string;
  file: string;
  /** From the file name: `<name>-<version>.tgz`. */
  archive: string;
  bytes: number;
}

export class NodeChartStore implements ChartStore {
  constructor(readonly dir: string = defaultChartCacheDir()) {}

  pathOf(ref: ChartRef): string {
    return path.join(this.dir, repoFolderName(ref.repo), archiveName(ref));
  }

  get(ref: ChartRef): Uint8Array | undefined {
    const file = this.pathOf(ref);
    try {
      const st = fs.statSync(file);
      if (!st.isFile() || st.size > MAX_ARCHIVE) return undefined;
      return fs.readFileSync(file);
    } catch {
      return undefined;
    }
  }

  describe(): string {
    return this.dir;
  }

  /** Every cached chart, by repository then name. */
  list(): CachedChart[] {
    const out: CachedChart[] = [];
    let repos: string[];
    try {
      repos = fs.readdirSync(this.dir).sort();
    } catch {
      return out;
    }
    for (const r of repos) {
      const folder = path.join(this.dir, r);
      let repo = r;
      try {
        repo = fs.readFileSync(path.join(folder, 'repo.txt'), 'utf8').trim() || r;
      } catch {
        // a folder without repo.txt: named by its folder
      }
      let names: string[];
      try {
        names = fs.readdirSync(folder).filter((n) => n.endsWith('.tgz')).sort();
      } catch {
        continue;
      }
      for (const n of names) {
        try {
          const st = fs.statSync(path.join(folder, n));
          if (st.isFile()) out.push({ repo, file: path.join(folder, n), archive: n, bytes: st.size });
        } catch {
          // removed meanwhile
        }
      }
    }
    return out;
  }

  /**
   * Keeps a packaged chart someone else pulled (a preview's kustomize): written once, complete
   * (a temporary file renamed), never over a chart already there. False when it was there or
   * is too large.
   */
  put(ref: ChartRef, bytes: Uint8Array): boolean {
    const target = this.pathOf(ref);
    if (bytes.byteLength > MAX_ARCHIVE || fs.existsSync(target)) return false;
    const repoDir = path.dirname(target);
    fs.mkdirSync(repoDir, { recursive: true });
    fs.writeFileSync(path.join(repoDir, 'repo.txt'), `${normalRepositoryUrl(ref.repo)}\n`);
    const tmpBase = path.join(this.dir, '.tmp');
    fs.mkdirSync(tmpBase, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(tmpBase, 'put-'));
    try {
      fs.writeFileSync(path.join(tmp, 'chart.tgz'), bytes);
      fs.renameSync(path.join(tmp, 'chart.tgz'), target);
      return true;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }

  /**
   * Pulls a chart with helm into the cache (nothing happens when it is there already). Throws
   * a RunError (helm's message) or an Error when helm wrote no chart.
   */
  async pull(ref: ChartRef, helm: ResolvedBinary, options: { runner?: Runner; env?: NodeJS.ProcessEnv; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<'pulled' | 'cached'> {
    const target = this.pathOf(ref);
    if (fs.existsSync(target)) return 'cached';
    const run = options.runner ?? runProcess;
    const repoDir = path.dirname(target);
    fs.mkdirSync(repoDir, { recursive: true });
    fs.writeFileSync(path.join(repoDir, 'repo.txt'), `${normalRepositoryUrl(ref.repo)}\n`);
    const tmpBase = path.join(this.dir, '.tmp');
    fs.mkdirSync(tmpBase, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(tmpBase, 'pull-'));
    try {
      const repo = normalRepositoryUrl(ref.repo);
      const runOptions = { env: options.env ?? process.env, timeoutMs: options.timeoutMs ?? 120_000, ...(options.signal ? { signal: options.signal } : {}) };
      const helmRun = (args: string[]) => run(helm.file, [...helm.prefix, ...args], runOptions);
      const version = ['--version', ref.version, '--destination', tmp];
      if (repo.startsWith('oci://')) await helmRun(['pull', `${repo}/${ref.name}`, ...version]);
      else {
        // helm pull --repo URL sends no credentials (only --username/--password, which would show
        // in the process list): a repository the user added to helm with its credentials is
        // pulled by its name instead, as `helm pull NAME/CHART` does with them, its index fetched
        // into a folder of the cache's own rather than the user's helm cache (helmEnvironment.ts).
        const files = userHelmFiles(runOptions.env);
        const named = userRepositories(files.repositoryConfig).find((r) => r.url === repo);
        if (named === undefined) await helmRun(['pull', ref.name, '--repo', repo, ...version]);
        else await withUserRepositories(helm, files, [named.name], { tmp: tmpBase }, run, runOptions, (o) => run(helm.file, [...helm.prefix, 'pull', `${named.name}/${ref.name}`, ...version], o));
      }
      const written = fs.readdirSync(tmp).filter((n) => n.endsWith('.tgz'));
      if (written.length !== 1) throw new Error(`helm pull wrote ${written.length} chart archives for ${chartRefLabel(ref)}`);
      const st = fs.statSync(path.join(tmp, written[0] as string));
      if (st.size > MAX_ARCHIVE) throw new Error(`${chartRefLabel(ref)} is ${st.size} bytes, over the ${MAX_ARCHIVE} bytes the cache keeps`);
      fs.renameSync(path.join(tmp, written[0] as string), target);
      return 'pulled';
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
}

