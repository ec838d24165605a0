/**
 * The chart cache's `.sources/` folder (templates of packaged charts written out for go to
 * definition) is bounded by size, least recently used chart first, and never loses the chart
 * being written nor one just used.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { archiveChartFiles, loadChart, type LoadedChart } from '../../../src/core/charts';
import { chartSourcesDir, chartSourcesUsage, pruneChartSources, writeChartTemplate } from '../../../src/core/render/chartSources';
import { CHART_FIXTURES, packFixtureChart } from '../../support/chartArchive';

function fixture(dir: string): LoadedChart {
  return loadChart(archiveChartFiles(packFixtureChart(path.join(CHART_FIXTURES, dir))), `test ${dir}`, {});
}

/** Sets a chart folder's last use `daysAgo` days back. */
function usedAgo(cache: string, chart: LoadedChart, daysAgo: number): void {
  const t = new Date(Date.now() - daysAgo * 86_400_000);
  fs.utimesSync(path.dirname(chartSourcesDir(cache, chart)), t, t);
}

describe('chart cache: .sources/ stays bounded', () => {
  let cache: string;
  beforeEach(() => (cache = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-sources-'))));
  afterEach(() => fs.rmSync(cache, { recursive: true, force: true }));

  it('counts the charts written out and their bytes', () => {
    assert.deepEqual(chartSourcesUsage(cache), { charts: 0, bytes: 0 });
    const chart = fixture('app-template');
    const file = writeChartTemplate(cache, chart, 'templates/deployment.yaml');
    assert.ok(file);
    assert.deepEqual(chartSourcesUsage(cache), { charts: 1, bytes: fs.statSync(file).size });
  });

  it('over the limit, the charts used longest ago go first; the one being written and one used recently stay', () => {
    const [a, b, c] = [fixture('app-template'), fixture('plain'), fixture('demo')] as [LoadedChart, LoadedChart, LoadedChart];
    const fa = writeChartTemplate(cache, a, 'templates/deployment.yaml');
    const fb = writeChartTemplate(cache, b, [...b.templates.keys()][0] as string);
    assert.ok(fa && fb);
    usedAgo(cache, a, 10);
    usedAgo(cache, b, 20);
    // Asking for a's template again marks a as used now: b is the oldest.
    assert.equal(writeChartTemplate(cache, a, 'templates/deployment.yaml'), fa);
    const sizeA = fs.statSync(fa).size;
    pruneChartSources(cache, sizeA, path.dirname(chartSourcesDir(cache, c)));
    assert.ok(fs.existsSync(fa), 'the chart used recently stays');
    assert.ok(!fs.existsSync(fb), 'the chart used longest ago is removed');
    // The folder being written is kept even when it alone is over the limit.
    const fc = writeChartTemplate(cache, c, [...c.templates.keys()][0] as string);
    assert.ok(fc);
    pruneChartSources(cache, 0, path.dirname(chartSourcesDir(cache, c)));
    assert.ok(fs.existsSync(fc));
    assert.ok(!fs.existsSync(fa));
    assert.deepEqual(chartSourcesUsage(cache).charts, 1);
  });

  it('writing a new chart prunes by itself when the folder is over its limit', () => {
    // A folder left by earlier sessions, larger than the limit and unused for long.
    const old = path.join(cache, '.sources', 'huge-1.0.0-000000000000', 'huge', 'templates');
    fs.mkdirSync(old, { recursive: true });
    fs.writeFileSync(path.join(old, 'big.yaml'), Buffer.alloc(33 * 1024 * 1024, 0x61));
    const t = new Date(Date.now() - 86_400_000);
    fs.utimesSync(path.dirname(path.dirname(old)), t, t);
    const file = writeChartTemplate(cache, fixture('app-template'), 'templates/deployment.yaml');
    assert.ok(file && fs.existsSync(file));
    assert.ok(!fs.existsSync(old), 'the old folder went when the new chart was written');
  });
});
