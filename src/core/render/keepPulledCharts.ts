/**
 * Previews fill the chart cache: `kustomize build --enable-helm` pulls each remote chart of a
 * kustomization into the render's private copy (`<chartHome>/<name>-<version>/<name>`, workdir.ts;
 * the repository's own folder there is left out of the copy, so what is there came from the
 * chart's repository). After a successful build, a chart pulled at an exact version is packed
 * and kept in the chart cache (chartCache.ts), so the values files of that app are checked
 * against it without another pull. Only a chart whose Chart.yaml names the same chart and
 * version is kept, bounded in files and bytes; symbolic links and special files are left out.
 * Never throws: the preview does not depend on it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { archiveChartFiles, isExactVersion, loadChart, writeTarball, type ChartFiles, type ChartRef } from '../charts';
import { loadYaml } from '../yaml/load';
import { defaultChartCacheDir, NodeChartStore } from './chartCache';
import { isInside } from './directory';

const MAX_FILES = 5_000;
const MAX_BYTES = 32 * 1024 * 1024;
const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * Keeps in the chart cache the charts kustomize pulled for the kustomization in `copyRoot/sourcePath`
 * (called from render's success path). Returns the charts it added.
 */
export function keepPulledCharts(copyRoot: string, sourcePath: string, store: NodeChartStore = new NodeChartStore(defaultChartCacheDir())): ChartRef[] {
  const added: ChartRef[] = [];
  try {
    const dir = path.join(copyRoot, sourcePath);
    const file = KUSTOMIZATION_NAMES.map((n) => path.join(dir, n)).find((f) => fs.existsSync(f));
    if (!file) return added;
    const k = loadYaml(fs.readFileSync(file, 'utf8'), 'kustomization') as Record<string, unknown> | null;
    const globals = (k?.['helmGlobals'] ?? {}) as Record<string, unknown>;
    const home = typeof globals['chartHome'] === 'string' && globals['chartHome'] !== '' ? globals['chartHome'] : 'charts';
    if (path.isAbsolute(home)) return added;
    const chartHome = path.resolve(dir, home);
    if (!isInside(chartHome, copyRoot)) return added;
    for (const raw of Array.isArray(k?.['helmCharts']) ? (k['helmCharts'] as unknown[]) : []) {
      const c = (raw ?? {}) as Record<string, unknown>;
      const name = typeof c['name'] === 'string' ? c['name'] : '';
      const version = c['version'] === undefined || c['version'] === null ? '' : String(c['version']);
      const ref = cacheRefOf({ repo: typeof c['repo'] === 'string' ? c['repo'] : '', name, version });
      if (!ref || store.get(ref)) continue;
      const folder = path.join(chartHome, `${name}-${version}`, name);
      const files = chartFolderFiles(folder);
      if (!files) continue;
      const tgz = writeTarball(new Map([...files].map(([rel, bytes]) => [`${name}/${rel}`, bytes])));
      if (!isChartOf(archiveChartFiles(tgz), ref, 'pulled by kustomize')) continue;
      if (store.put(ref, tgz)) added.push(ref);
    }
  } catch {
    // A chart that cannot be kept is pulled again by the next preview or `home-ops charts pull`.
  }
  return added;
}

/**
 * The chart cache's key for a chart kustomize pulls: an `http(s)://` or `oci://` repository and
 * an exact version (`v` dropped, as helm resolves it); undefined for anything else (a range, a
 * name that is a path), which the cache does not hold.
 */
export function cacheRefOf(c: { repo: string; name: string; version: string }): ChartRef | undefined {
  if (!c.name || !c.repo || !/^(https?|oci):\/\//.test(c.repo) || !isExactVersion(c.version) || c.name.includes('/') || c.name.includes('..')) return undefined;
  return { repo: c.repo, name: c.name, version: c.version.replace(/^v(?=\d)/, '') };
}

/** Whether the files are the chart `ref` names (its Chart.yaml's name and version). */
export function isChartOf(files: ChartFiles, ref: ChartRef, origin: string): boolean {
  try {
    const chart = loadChart(files, origin, {});
    return chart.name === ref.name && chart.version.replace(/^v(?=\d)/, '') === ref.version;
  } catch {
    return false;
  }
}

/** Regular files under a folder (relative paths), or undefined when it is absent or over the bounds. */
function chartFolderFiles(root: string): Map<string, Buffer> | undefined {
  const out = new Map<string, Buffer>();
  let bytes = 0;
  const walk = (rel: string): boolean => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!walk(r)) return false;
      } else if (e.isFile()) {
        const st = fs.statSync(path.join(root, r));
        bytes += st.size;
        if (out.size >= MAX_FILES || bytes > MAX_BYTES) return false;
        out.set(r, fs.readFileSync(path.join(root, r)));
      }
    }
    return true;
  };
  if (!fs.existsSync(path.join(root, 'Chart.yaml'))) return undefined;
  return walk('') ? out : undefined;
}
