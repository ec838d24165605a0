/**
 * A template of a packaged chart (the chart cache's `.tgz`, or an archive under a repository
 * chart's `charts/`) written out as a file, so that go to definition can point the editor at
 * it: an editor opens files, not entries of an archive. Written on demand, one template at a
 * time, into the chart cache's own folder (`<cache>/.sources/<name>-<version>-<hash>/<name>/…`),
 * never into the repository; only the text the chart loader already holds (bounded there) is
 * written, under a path checked to stay inside that folder, and replaced by rename (a link
 * planted there is replaced, not followed). The files are read-only: editing them would change
 * nothing helm renders.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LoadedChart } from '../charts';

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._+-]/g, '_').slice(0, 80) || '_';
}

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
  try {
    const current = fs.lstatSync(target, { throwIfNoEntry: false });
    if (current?.isFile() && fs.readFileSync(target, 'utf8') === text) return target;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    fs.rmSync(tmp, { force: true });
    fs.writeFileSync(tmp, text, { mode: 0o444, flag: 'wx' });
    fs.renameSync(tmp, target);
    return target;
  } catch {
    return undefined;
  }
}
