/**
 * `home-ops render` against hostile tools and repositories, through the built CLI as a user runs
 * it: the process must end (a tool's descendant holding the pipes), with a message that says why.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeRepo, type TempRepo } from '../../support/repo';
import { ONE_APP, pipeHoldingTool, tempDir } from './support';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

describe('home-ops render (built CLI): hostile tools', function () {
  this.timeout(30000);
  let repo: TempRepo;
  let dir: string;
  before(() => assert.ok(fs.existsSync(CLI), 'dist/cli.js is built by `npm test` before the unit tests'));
  beforeEach(() => {
    repo = makeRepo(ONE_APP);
    dir = tempDir('home-ops-cli-tools-');
  });
  afterEach(() => {
    repo.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--timeout 3 ends the run within seconds when a descendant of kustomize keeps stdout and stderr open', function () {
    const fake = pipeHoldingTool(dir);
    if (!fake) this.skip(); // no setsid
    try {
      const started = Date.now();
      // spawnSync's own timeout is the hang detector: without the fix the CLI waits for the pipes.
      const r = spawnSync(process.execPath, [CLI, 'render', path.join(repo.root, 'app'), repo.root, '--timeout', '3', '--no-cache'], {
        encoding: 'utf8',
        timeout: 20000,
        env: { ...process.env, HOME_OPS_KUSTOMIZE: fake.file, HOME_OPS_CACHE: dir },
      });
      const seconds = (Date.now() - started) / 1000;
      assert.equal(r.signal, null, `the CLI had to be killed after ${seconds.toFixed(1)} s`);
      assert.equal(r.status, 1, r.stderr);
      assert.ok(seconds < 10, `returned after ${seconds.toFixed(1)} s`);
      assert.match(r.stderr, /render of one failed .*\n.*timed out after 3 s/);
    } finally {
      fake.cleanup();
    }
  });
});
