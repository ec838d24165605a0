/**
 * Which charts the repository's values files need that are neither in the repository nor in the
 * chart cache, and fetching them into the cache with the user's own helm (chartCache.ts). Shared
 * by `home-ops charts pull` / `lint --fetch-charts` and the editor's Fetch Chart action and
 * automatic fetching. A failure is an outcome with helm's message, never an exception: a chart
 * that cannot be fetched leaves its values unchecked, it does not make the file wrong.
 */
import { chartRefLabel, type ChartDependency, type ChartRef } from '../charts';
import type { RepositoryModel } from '../model/repositoryModel';
import type { ResolvedBinary } from './binaries';
import type { NodeChartStore } from './chartCache';
import { RunError } from './runner';

/**
 * Charts (their dependencies included) that values uses need and the cache lacks; with `files`,
 * only for the uses that read one of those files or name their chart there.
 */
export function missingCharts(model: RepositoryModel, files?: ReadonlySet<string>): ChartRef[] {
  const out = new Map<string, ChartRef>();
  const add = (ref: ChartRef) => out.set(chartRefLabel(ref), ref);
  for (const use of model.valuesUses()) {
    if (files && !files.has(use.at.file) && !use.layers.some((l) => files.has(l.file)) && !(use.chart.local !== undefined && files.has(use.chart.local === '' ? 'values.yaml' : `${use.chart.local}/values.yaml`))) continue;
    const r = model.chart(use.chart);
    if (!r.ok) {
      if (r.ref) add(r.ref);
      continue;
    }
    const walk = (deps: readonly ChartDependency[]): void => {
      for (const d of deps) {
        if (d.missing?.ref) add(d.missing.ref);
        if (d.chart) walk(d.chart.dependencies);
      }
    };
    walk(r.chart.dependencies);
  }
  return [...out.values()];
}

export interface FetchOutcome {
  ref: ChartRef;
  /** `oci://ghcr.io/x/app-template 4.6.2`. */
  label: string;
  status: 'pulled' | 'cached' | 'failed';
  /** helm's message when it failed. */
  message?: string;
}

/** Pulls each chart in turn (helm runs one at a time: the machine is someone's laptop). */
export async function fetchCharts(refs: readonly ChartRef[], store: NodeChartStore, helm: ResolvedBinary, options: { signal?: AbortSignal; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<FetchOutcome[]> {
  const out: FetchOutcome[] = [];
  for (const ref of refs) {
    const label = chartRefLabel(ref);
    if (options.signal?.aborted) {
      out.push({ ref, label, status: 'failed', message: 'cancelled' });
      continue;
    }
    try {
      out.push({ ref, label, status: await store.pull(ref, helm, options) });
    } catch (e) {
      const message = e instanceof RunError ? e.stderr.trim() || e.message : (e as Error).message;
      out.push({ ref, label, status: 'failed', message: message.replace(/^Error:\s*/, '') });
    }
  }
  return out;
}
