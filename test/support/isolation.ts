/**
 * Loaded before the unit tests (.mocharc.json `require`): what the tests write that a user keeps
 * goes to a temporary folder of this run, never the user's own. The chart cache is the user's
 * (`~/.cache/home-ops/charts`) unless HOME_OPS_CHART_CACHE says otherwise: renders and pulls of
 * loopback charts would otherwise land there. The tools cache (pinned helm and kustomize) is
 * read, not written, by the tests and stays where it is.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

if (!process.env['HOME_OPS_CHART_CACHE']) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-test-charts-'));
  process.env['HOME_OPS_CHART_CACHE'] = dir;
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
}
