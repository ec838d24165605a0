/**
 * Finding the chart a values source is for, without the network: the folder the consumer uses
 * when it is there (kustomize's `chartHome/<name>` or `chartHome/<name>-<version>/<name>`, an
 * Argo CD source's own folder), else the chart cache (ChartStore) by repository, name and exact
 * version. What cannot be found says why, and — when it is a chart of a repository — which one
 * `home-ops charts pull` would fetch.
 */
import { archiveChartFiles, chartRefLabel, ChartLoadError, isExactVersion, join, loadChart, type ChartFiles, type ChartRef, type ChartStore, type LoadedChart } from './chart';

/** The chart a consumer uses, as its reference names it. */
export interface ChartRequest {
  name: string;
  /** The repository folder the consumer reads the chart from when it exists there. */
  local?: string;
  /** Where the consumer pulls it from otherwise (version as written; may be a range or empty). */
  remote?: { repo: string; name: string; version: string };
}

export type Resolved = { ok: true; chart: LoadedChart } | { ok: false; reason: string; ref?: ChartRef };

/** The repository's files as the resolver reads them (a FileTree gives these). */
export interface RepositoryFiles {
  readBytes(rel: string, maxBytes: number): Buffer | undefined;
  /** Whether a regular file is on disk there, whether or not the tree holds it. */
  isFile(rel: string): boolean;
  listOnDisk(rel: string): string[] | undefined;
  /** Changes whenever a file of the folder may have changed (keeps a loaded chart while it holds). */
  stamp(dir: string): string;
}

const MAX_CHART_FILE = 16 * 1024 * 1024;

/** Loads charts for requests, keeping each while its files hold. Owned by one model. */
export class ChartResolver {
  private readonly local = new Map<string, { stamp: string; result: Resolved }>();
  private readonly cached = new Map<string, Resolved>();

  constructor(
    private readonly repo: RepositoryFiles,
    private readonly store: ChartStore | undefined,
  ) {}

  resolve(req: ChartRequest): Resolved {
    if (req.local !== undefined && this.repo.isFile(req.local === '' ? 'Chart.yaml' : `${req.local}/Chart.yaml`)) return this.loadLocal(req.local);
    const r = req.remote;
    if (!r || !r.repo) return { ok: false, reason: req.local !== undefined ? `no chart at ${req.local} and no repository to pull it from` : `chart ${req.name} has no repository` };
    if (!isExactVersion(r.version)) return { ok: false, reason: r.version ? `its version ${r.version} is not an exact version, so which chart helm would pull is not known offline` : 'it names no version, so which chart helm would pull (the latest) is not known offline' };
    // helm reads `v1.2.3` as the constraint =1.2.3: the chart's own version has no `v`.
    const ref: ChartRef = { repo: r.repo, name: r.name, version: r.version.replace(/^v(?=\d)/, '') };
    return this.fromStore(ref);
  }

  private fromStore(ref: ChartRef): Resolved {
    const key = chartRefLabel(ref);
    const hit = this.cached.get(key);
    if (hit) return hit;
    const bytes = this.store?.get(ref);
    if (!bytes) return { ok: false, reason: `${key} is not in the chart cache`, ref };
    let result: Resolved;
    try {
      result = { ok: true, chart: loadChart(archiveChartFiles(bytes), `${key} (chart cache)`, this.context()) };
    } catch (e) {
      result = { ok: false, reason: `${key} in the chart cache cannot be read: ${e instanceof ChartLoadError ? e.message : String(e)}`, ref };
    }
    // A cached chart does not change; one that failed to read is asked again after a new pull.
    if (result.ok) this.cached.set(key, result);
    return result;
  }

  private loadLocal(dir: string): Resolved {
    const stamp = this.repo.stamp(dir);
    const hit = this.local.get(dir);
    if (hit && hit.stamp === stamp) return hit.result;
    let result: Resolved;
    try {
      result = { ok: true, chart: loadChart(this.folder(dir), dir, this.context(), dir) };
    } catch (e) {
      result = { ok: false, reason: e instanceof ChartLoadError ? e.message : String(e) };
    }
    this.local.set(dir, { stamp, result });
    return result;
  }

  private context() {
    return {
      localFolder: (dir: string) => (this.repo.isFile(dir === '' ? 'Chart.yaml' : `${dir}/Chart.yaml`) ? this.folder(dir) : undefined),
      ...(this.store ? { store: this.store } : {}),
    };
  }

  private folder(dir: string): ChartFiles {
    return {
      read: (p) => {
        const f = join(dir, p);
        return f === undefined ? undefined : this.repo.readBytes(f, MAX_CHART_FILE);
      },
      list: (d) => {
        const f = d === '' ? dir : join(dir, d);
        return (f === undefined ? undefined : this.repo.listOnDisk(f)) ?? [];
      },
    };
  }
}
