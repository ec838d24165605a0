/**
 * `home-ops charts list` and `home-ops charts pull [DIR]`: the chart cache that values files are
 * checked against (render/chartCache.ts). `pull` fetches, with the user's own helm and its
 * configuration, every chart the repository's values files need that is neither in the
 * repository nor cached, so that a CI job can pull once and lint offline afterwards.
 */
import { chartRefLabel } from '../core/charts';
import { RepositoryModel } from '../core/model/repositoryModel';
import { defaultChartCacheDir, locateBinaries, MissingBinaryError, NodeChartStore } from '../core/render';
import { fetchCharts, missingCharts } from '../core/render/chartFetch';
import { chartSourcesUsage, SOURCES_MAX_BYTES } from '../core/render/chartSources';
import { parseArgs, resolveDir } from './args';

export const CHARTS_USAGE = `  charts list
      Print where the chart cache is, the charts it holds and its size.
  charts pull [DIR]
      Fetch (helm pull, with your helm configuration and credentials) the charts the values
      files in DIR need that are neither in the repository nor in the cache; lint checks
      values files against them afterwards, offline. Exit code 1 when a chart cannot be pulled.
`;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** The chart cache of this run (render/chartCache.ts: one place for the CLI and the editor). */
export function chartStore(): NodeChartStore {
  return new NodeChartStore(defaultChartCacheDir());
}

export async function chartsCommand(args: readonly string[], io: Io, usageError: (m: string) => number): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    const p = parseArgs(rest, { maxPositional: 0 });
    if ('error' in p) return usageError(p.error);
    const store = chartStore();
    const charts = store.list();
    // Templates written out for go to definition count too: they are the cache's disk use.
    const sources = chartSourcesUsage(store.dir);
    const total = charts.reduce((n, c) => n + c.bytes, 0) + sources.bytes;
    io.out(`Chart cache: ${store.dir}\n`);
    for (const c of charts) io.out(`  ${c.repo}  ${c.archive}  ${formatBytes(c.bytes)}\n`);
    if (sources.charts > 0) io.out(`  .sources/  templates of ${sources.charts} chart${sources.charts === 1 ? '' : 's'} written out for go to definition (at most ${formatBytes(SOURCES_MAX_BYTES)} kept)  ${formatBytes(sources.bytes)}\n`);
    io.out(`${charts.length} chart${charts.length === 1 ? '' : 's'}, ${formatBytes(total)}\n`);
    return 0;
  }
  if (sub === 'pull') {
    const p = parseArgs(rest, { maxPositional: 1 });
    if ('error' in p) return usageError(p.error);
    const root = resolveDir(p.positional[0], io.err);
    if (root === undefined) return 2;
    const store = chartStore();
    const model = new RepositoryModel(root, { charts: store });
    return (await pullMissingCharts(model, store, io)).failed > 0 ? 1 : 0;
  }
  return usageError(sub === undefined ? 'charts needs list or pull' : `unknown charts command ${sub}`);
}

/**
 * Pulls what `missingCharts` names; a pulled chart's own dependencies that are not packaged in
 * it are pulled in the next round (three at most).
 */
export async function pullMissingCharts(model: RepositoryModel, store: NodeChartStore, io: Io): Promise<{ pulled: number; failed: number }> {
  const helmBinary = locateBinaries({ helm: process.env['HOME_OPS_HELM'] }).helm;
  let pulled = 0;
  let failed = 0;
  const tried = new Set<string>();
  for (let round = 0; round < 3; round++) {
    const todo = missingCharts(model).filter((r) => !tried.has(chartRefLabel(r)));
    if (todo.length === 0) break;
    let helm;
    try {
      helm = await helmBinary();
    } catch (e) {
      io.err(`home-ops: ${e instanceof MissingBinaryError ? e.message : String(e)}\n`);
      return { pulled, failed: failed + todo.length };
    }
    for (const ref of todo) tried.add(chartRefLabel(ref));
    for (const o of await fetchCharts(todo, store, helm)) {
      if (o.status === 'failed') {
        failed++;
        io.err(`home-ops: could not pull ${o.label}: ${o.message ?? ''}\n`);
        continue;
      }
      if (o.status === 'pulled') pulled++;
      io.err(`${o.status} ${o.label}\n`);
    }
  }
  io.err(`${pulled} chart${pulled === 1 ? '' : 's'} pulled into ${store.dir}${failed ? `, ${failed} failed` : ''}\n`);
  return { pulled, failed };
}

/** One line for `home-ops lint`: values not checked because their charts are not available. */
export function unavailableSummary(model: RepositoryModel): string | undefined {
  // Counted by the place that names the chart: an ApplicationSet's template is one reference
  // however many Applications it generates with values of their own.
  const unchecked = new Set<string>();
  const charts = new Set<string>();
  for (const use of model.valuesUses()) {
    const r = model.chart(use.chart);
    const missing: string[] = [];
    if (!r.ok) missing.push(r.ref ? chartRefLabel(r.ref) : use.chart.name);
    else {
      // An umbrella chart's dependencies that are not there leave their part unchecked.
      const walk = (deps: typeof r.chart.dependencies): void => {
        for (const d of deps) {
          if (!d.chart) missing.push(d.missing?.ref ? chartRefLabel(d.missing.ref) : d.name);
          else walk(d.chart.dependencies);
        }
      };
      walk(r.chart.dependencies);
    }
    if (missing.length === 0) continue;
    unchecked.add(JSON.stringify([use.at, use.chart]));
    for (const m of missing) charts.add(m);
  }
  if (unchecked.size === 0) return undefined;
  return `home-ops: the values of ${unchecked.size} chart reference${unchecked.size === 1 ? '' : 's'} are not (fully) checked: ${charts.size} chart${charts.size === 1 ? ' is' : 's are'} neither in the repository nor in the chart cache. \`home-ops charts pull\` fetches them (or lint with --fetch-charts).\n`;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
