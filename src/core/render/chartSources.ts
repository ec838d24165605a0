/**
 * A template of a packaged chart (the chart cache's `.tgz`, or an archive under a repository
 * chart's `charts/`) written out as a file, so that go to definition can point the editor at
 * it: an editor opens files, not entries of an archive. Written on demand, one template at a
 * time, into the chart cache's own folder (`<cache>/.sources/<name>-<version>-<hash>/<name>/…`),
 * never into the repository; only the text the chart loader already holds (bounded there) is
 * written, under a path checked to stay inside that folder, and replaced by rename (a link
 * planted there is replaced, not followed). The files are read-only: editing them would change
 * nothing helm renders.
 *
 * The folder is bounded by size, least recently used chart first: when a chart's folder is
 * created and `.sources/` holds more than SOURCES_MAX_BYTES, the folders used longest ago go
 * (a folder's modification time is bumped whenever one of its templates is asked for). Size,
 * not age, because an age limit bounds nothing (a day of browsing an umbrella chart's tree can
 * write any amount) while everything here is re-written from the `.tgz` in milliseconds when
 * asked again.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LoadedChart } from '../charts';

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._+-]/g, '_').slice(0, 80) || '_';
}

/** What `.sources/` may hold before the folders used longest ago are removed. */
export const SOURCES_MAX_BYTES = 32 * 1024 * 1024;

/** The folder a packaged chart's templates are written to. */
export function chartSourcesDir(cacheDir: string, chart: LoadedChart): string {
  const hash = createHash('sha256').update(`${chart.origin}\n${chart.name}\n${chart.version}`).digest('hex').slice(0, 12);
  return path.join(cacheDir, '.sources', `${safeName(chart.name)}-${safeName(chart.version)}-${hash}`, safeName(chart.name));
}

/**
 * The absolute path of `template` (chart-relative) of a packaged chart, written when missing or
 * different; undefined when the chart has no such template, its path is not a plain relative
 * one, or it cannot be written.
 */
export function writeChartTemplate(cacheDir: string, chart: LoadedChart, template: string): string | undefined {
  const text = chart.templates.get(template);
  if (text === undefined) return undefined;
  const parts = template.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\') || p.includes('\0'))) return undefined;
  const root = path.resolve(chartSourcesDir(cacheDir, chart));
  const target = path.resolve(root, ...parts);
  if (!target.startsWith(root + path.sep)) return undefined;
  const chartFolder = path.dirname(root);
  try {
    const current = fs.lstatSync(target, { throwIfNoEntry: false });
    if (current?.isFile() && fs.readFileSync(target, 'utf8') === text) {
      touch(chartFolder);
      return target;
    }
    const created = !fs.existsSync(chartFolder);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (created) pruneChartSources(cacheDir, SOURCES_MAX_BYTES, chartFolder);
    else touch(chartFolder);
    const tmp = `${target}.${process.pid}.tmp`;
    fs.rmSync(tmp, { force: true });
    fs.writeFileSync(tmp, text, { mode: 0o444, flag: 'wx' });
    fs.renameSync(tmp, target);
    return target;
  } catch {
    return undefined;
  }
}

function touch(folder: string): void {
  try {
    const now = new Date();
    fs.utimesSync(folder, now, now);
  } catch {
    // removed meanwhile: written again when asked
  }
}

/** The bytes of the files under `dir` (links not followed). */
function bytesUnder(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += bytesUnder(p);
    else if (e.isFile()) {
      try {
        total += fs.lstatSync(p).size;
      } catch {
        // removed meanwhile
      }
    }
  }
  return total;
}

/** The charts written out under `<cacheDir>/.sources` and their size, for `home-ops charts list`. */
export function chartSourcesUsage(cacheDir: string): { charts: number; bytes: number } {
  const dir = path.join(cacheDir, '.sources');
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return { charts: 0, bytes: 0 };
  }
  return { charts: names.length, bytes: bytesUnder(dir) };
}

/**
 * Removes the chart folders of `.sources/` used longest ago until it holds at most `maxBytes`;
 * `keep` (the folder being written) stays whatever its size. Another process pruning at the same
 * time only removes folders this one would have.
 */
export function pruneChartSources(cacheDir: string, maxBytes: number, keep?: string): void {
  const dir = path.join(cacheDir, '.sources');
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const folders = names.map((n) => {
    const p = path.join(dir, n);
    let mtime = 0;
    try {
      mtime = fs.lstatSync(p).mtimeMs;
    } catch {
      // removed meanwhile
    }
    return { p, mtime, bytes: bytesUnder(p) };
  });
  let total = folders.reduce((n, f) => n + f.bytes, 0);
  for (const f of folders.sort((a, b) => a.mtime - b.mtime)) {
    if (total <= maxBytes) break;
    if (keep !== undefined && path.resolve(f.p) === path.resolve(keep)) continue;
    try {
      fs.rmSync(f.p, { recursive: true, force: true });
      total -= f.bytes;
    } catch {
      // kept: tried again with the next new chart
    }
  }
}
