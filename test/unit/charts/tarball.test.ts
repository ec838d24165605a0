/**
 * Packaged charts read in memory: helm's own archives, GNU/pax long names, and archives a
 * repository or a registry could use against the reader (paths out of the chart, inflation
 * bombs, truncation) refused or contained with a clear message.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { archiveChartFiles, chartArchiveFiles, loadChart, readTarball, TarballError } from '../../../src/core/charts';
import { CHART_FIXTURES, packChart } from '../../support/chartArchive';
import { requireTools, toolPath } from '../../support/shared';

describe('chart archives', () => {
  it('reads the files of a chart under its one top folder', () => {
    const tgz = packChart('demo', new Map([['Chart.yaml', 'apiVersion: v2\nname: demo\nversion: 1.0.0\n'], ['values.yaml', 'a: 1\n'], ['templates/cm.yaml', 'kind: ConfigMap\n']]));
    const chart = chartArchiveFiles(readTarball(tgz));
    assert.equal(chart?.top, 'demo');
    assert.deepEqual([...(chart?.files.keys() ?? [])].sort(), ['Chart.yaml', 'templates/cm.yaml', 'values.yaml']);
    const loaded = loadChart(archiveChartFiles(tgz), 'test', {});
    assert.deepEqual(loaded.values, { a: 1 });
    assert.deepEqual([...loaded.templates.keys()], ['templates/cm.yaml']);
  });

  it('a name longer than 100 bytes (ustar prefix) is read whole', () => {
    const long = `templates/${'d'.repeat(60)}/${'f'.repeat(60)}.yaml`;
    const entries = readTarball(packChart('c', new Map([[long, 'x: 1\n']])));
    assert.ok(entries.has(`c/${long}`), [...entries.keys()].join(','));
  });

  it('drops entries that climb out of the chart or are absolute; nothing is written anywhere', () => {
    const tgz = packChart('c', new Map([['Chart.yaml', 'name: c\n'], ['../../etc/passwd', 'root\n']]));
    const files = chartArchiveFiles(readTarball(tgz))?.files;
    assert.deepEqual([...(files?.keys() ?? [])], ['Chart.yaml']);
  });

  it('refuses an archive that inflates past the bound, a truncated one and a corrupt header, with a message', () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024));
    assert.throws(() => readTarball(bomb, { maxBytes: 1024 * 1024, maxEntries: 10 }), (e: unknown) => e instanceof TarballError && /inflates to more than 1048576 bytes/.test(e.message));
    const tar = Buffer.from(readTarballRaw(packChart('c', new Map([['Chart.yaml', 'x'.repeat(2000)]]))));
    assert.throws(() => readTarball(tar.subarray(0, 1024)), /runs past the end of the archive/);
    const corrupt = Buffer.from(tar);
    corrupt[10] = 0x41;
    assert.throws(() => readTarball(corrupt), /bad header checksum/);
    assert.throws(() => archiveChartFiles(Buffer.from('not a chart')), /the chart archive/);
  });

  it('reads what `helm package` writes (real helm)', function () {
    requireTools(this, 'an archive made by helm package', 'helm');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-pkg-'));
    try {
      const r = spawnSync(toolPath('helm') as string, ['package', path.join(CHART_FIXTURES, 'app-template'), '--destination', out], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const chart = loadChart(archiveChartFiles(fs.readFileSync(path.join(out, 'app-template-4.6.2.tgz'))), 'helm package', {});
      assert.equal(chart.name, 'app-template');
      assert.equal(chart.version, '4.6.2');
      assert.equal(chart.schemaText, fs.readFileSync(path.join(CHART_FIXTURES, 'app-template/values.schema.json'), 'utf8'));
      assert.deepEqual([...chart.templates.keys()].sort(), ['templates/deployment.yaml', 'templates/service.yaml']);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

/** The tar inside a .tgz. */
function readTarballRaw(tgz: Buffer): Buffer {
  return gunzipSync(tgz);
}
