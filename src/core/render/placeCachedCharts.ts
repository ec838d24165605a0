/**
 * The other way round from keepPulledCharts.ts: a chart the chart cache holds is put where
 * `kustomize build --enable-helm` looks before it pulls, in the render's private copy. kustomize
 * v5.8.1 (api/internal/builtins/HelmChartInflationGenerator.go, `chartExistsLocally`) runs
 * `helm pull --untar --untardir {chartHome}/{name}-{version}` only when
 * `{chartHome}/{name}-{version}/{name}` is not a folder; the copy leaves that folder out (the
 * repository's own pulled chart is no input, workdir.ts), so without this every new copy — each
 * values edit makes one — pulled the chart again, and a render needed the registry even with
 * the chart cached (`home-ops charts pull`, or an earlier preview).
 *
 * A chart version is immutable, which the chart cache relies on already: what is placed is what
 * the pull would have written (the archive's files under `{name}/`), and only an archive whose
 * Chart.yaml names the same chart and version. Anything that does not fit is left alone, and
 * kustomize pulls as it would have. Never throws: the render does not depend on it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chartArchiveFiles, mapChartFiles, readTarball } from '../charts';
import { defaultChartCacheDir, NodeChartStore } from './chartCache';
import { isInside } from './directory';
import type { PulledChart } from './inputs';
import { cacheRefOf, isChartOf } from './keepPulledCharts';

/**
 * Places the cached ones of `charts` (the app's `inputs.pulledCharts`, repository paths) at their
 * places in the copy rooted at `copyRoot`. Returns the charts placed, as `{name}-{version}`.
 */
export function placeCachedCharts(repoRoot: string, copyRoot: string, charts: readonly PulledChart[], store: NodeChartStore = new NodeChartStore(defaultChartCacheDir())): string[] {
  const placed: string[] = [];
  for (const c of charts) {
    try {
      const ref = cacheRefOf(c);
      const rel = path.relative(repoRoot, c.untarDir);
      if (!ref || rel.startsWith('..') || path.isAbsolute(rel)) continue;
      const untarDir = path.join(copyRoot, rel);
      const target = path.join(untarDir, c.name);
      if (!isInside(target, copyRoot) || fs.existsSync(target)) continue;
      const bytes = store.get(ref);
      if (!bytes) continue;
      const archive = chartArchiveFiles(readTarball(bytes));
      // helm untars the archive's top folder; kustomize looks for the chart's name there.
      if (!archive || archive.top !== c.name || !isChartOf(mapChartFiles(archive.files), ref, 'the chart cache')) continue;
      // Written aside, then renamed: a half-written chart would stop kustomize from pulling.
      fs.mkdirSync(untarDir, { recursive: true });
      const staging = fs.mkdtempSync(path.join(untarDir, `.${c.name}-`));
      try {
        for (const [file, content] of archive.files) {
          const abs = path.join(staging, file);
          if (!isInside(abs, staging)) continue;
          fs.mkdirSync(path.dirname(abs), { recursive: true });
          fs.writeFileSync(abs, content);
        }
        fs.renameSync(staging, target);
      } finally {
        fs.rmSync(staging, { recursive: true, force: true });
      }
      placed.push(`${c.name}-${c.version}`);
    } catch {
      // kustomize pulls this one as it would have.
    }
  }
  return placed;
}
