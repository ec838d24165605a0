/**
 * A chart Argo CD fetches from a Helm repository (`repoURL` + `chart` + `targetRevision`) or an
 * OCI registry (`repoURL: oci://…`), pulled once per repository, chart and version into Home-Ops'
 * own cache (`{cacheDir}/helm/charts/{key}`) and reused from there, offline: a version of a chart
 * does not change. Nothing is written into the repository.
 *
 * A Helm repository the user added to helm with credentials is pulled through the user's entry
 * (`helm pull NAME/CHART`: `--repo URL` would send none; helmEnvironment.ts), an OCI registry
 * with the user's registry login (the render's HELM_REGISTRY_CONFIG).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedBinary } from './binaries';
import { withUserRepositories, type HelmHomes, type UserHelmFiles, type UserRepository } from './helmEnvironment';
import type { RunOptions, Runner } from './runner';

export interface RemoteChart {
  repoURL: string;
  /** '' for an OCI artifact named by its repoURL alone. */
  chart: string;
  version: string;
  /** Folder inside the pulled artifact (`path` of an OCI source), '' or '.' for its root. */
  path: string;
}

export function remoteChartOf(source: Record<string, unknown>): RemoteChart {
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  return { repoURL: s(source['repoURL']), chart: s(source['chart']), version: s(source['targetRevision']), path: s(source['path']) };
}

/**
 * What `helm pull` is given: `oci://host/repo/chart`, the chart through the user's repository
 * entry `repositoryName` (`NAME/CHART`), or the chart name with `--repo`.
 */
export function pullArgs(c: RemoteChart, untarDir: string, repositoryName?: string): string[] {
  const version = c.version && c.version !== 'HEAD' ? ['--version', c.version] : [];
  if (c.repoURL.startsWith('oci://')) {
    const ref = c.chart ? `${c.repoURL.replace(/\/+$/, '')}/${c.chart}` : c.repoURL;
    return ['pull', ref, ...version, '--untar', '--untardir', untarDir];
  }
  if (repositoryName !== undefined) return ['pull', `${repositoryName}/${c.chart}`, ...version, '--untar', '--untardir', untarDir];
  return ['pull', c.chart, '--repo', c.repoURL, ...version, '--untar', '--untardir', untarDir];
}

/** The user's repository entry a chart is pulled through, with the files and folder that takes. */
export interface UserRepositoryPull {
  repository: UserRepository;
  files: UserHelmFiles;
  homes: Pick<HelmHomes, 'tmp'>;
}

/**
 * The pulled chart's folder (with the source's `path` inside it), pulling it when the cache does
 * not have it. Returns the command that ran, or undefined when the cache served it.
 */
export async function pullChart(helm: ResolvedBinary, c: RemoteChart, cacheDir: string, run: Runner, runOpts: RunOptions, through?: UserRepositoryPull): Promise<{ dir: string; command?: string }> {
  const key = createHash('sha256').update(`chart-v1\0${c.repoURL}\0${c.chart}\0${c.version}`).digest('hex').slice(0, 32);
  const home = path.join(cacheDir, 'helm', 'charts', key);
  const inside = (base: string): string => {
    const folders = fs.readdirSync(base, { withFileTypes: true }).filter((e) => e.isDirectory());
    const top = path.join(base, folders[0]?.name ?? '');
    return c.path && c.path !== '.' ? path.join(top, c.path) : top;
  };
  if (fs.existsSync(path.join(home, 'ready'))) return { dir: inside(path.join(home, 'chart')) };
  fs.mkdirSync(path.join(cacheDir, 'tmp'), { recursive: true });
  const staging = fs.mkdtempSync(path.join(cacheDir, 'tmp', 'pull-'));
  try {
    const opts = { ...runOpts, cwd: staging };
    const pull = (o: RunOptions) => run(helm.file, pullArgs(c, path.join(staging, 'chart'), through?.repository.name), o);
    let command: string;
    if (through) {
      const r = await withUserRepositories(helm, through.files, [through.repository.name], through.homes, run, opts, pull);
      command = `${r.command} && ${r.value.command}`;
    } else command = (await pull(opts)).command;
    fs.writeFileSync(path.join(staging, 'ready'), '');
    fs.mkdirSync(path.dirname(home), { recursive: true });
    fs.rmSync(home, { recursive: true, force: true });
    try {
      fs.renameSync(staging, home);
    } catch (e) {
      // Another render pulled the same chart first: use that one.
      if (!fs.existsSync(path.join(home, 'ready'))) throw e;
    }
    return { dir: inside(path.join(home, 'chart')), command };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
