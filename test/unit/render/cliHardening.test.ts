/**
 * `home-ops render` and `lint` against hostile tools and repositories: the process must end (a
 * tool's descendant holding the pipes; through the built CLI, as a user runs it), and a program
 * the repository names must not run unless the user says so.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from '../../../src/cli/main';
import { renderCommand } from '../../../src/cli/renderCommand';
import { makeRepo, type TempRepo } from '../../support/repo';
import { git, helmPluginFixture, hostileBuildOptionsFixture, ONE_APP, pipeHoldingTool, tempDir, TOOL_ENV } from './support';
import { requireTools } from '../../support/shared';

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
    requireTools(this, 'a stand-in tool whose descendant leaves the process group', 'setsid');
    const fake = pipeHoldingTool(dir);
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
      assert.match(r.stderr, /render of one failed: kustomize timed out after 3 s/);
    } finally {
      fake.cleanup();
    }
  });
});

describe('home-ops render and lint: build options the repository chooses', function () {
  this.timeout(60000);
  let root: string;
  let appDir: string;
  let cm: string;
  let dir: string;
  let marker: string;
  const saved = { path: process.env['PATH'], cache: process.env['HOME_OPS_CACHE'] };
  before(function () {
    requireTools(this, 'render and lint: build options the repository chooses', 'helm', 'kustomize');
  });
  beforeEach(() => {
    dir = tempDir('home-ops-cli-options-');
    marker = path.join(dir, 'pwned');
    ({ root, appDir, cm } = hostileBuildOptionsFixture(marker));
    process.env['PATH'] = TOOL_ENV['PATH'];
    process.env['HOME_OPS_CACHE'] = dir;
  });
  afterEach(() => {
    process.env['PATH'] = saved.path;
    if (saved.cache === undefined) delete process.env['HOME_OPS_CACHE'];
    else process.env['HOME_OPS_CACHE'] = saved.cache;
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const render = async (args: string[]) => {
    let out = '';
    let err = '';
    const code = await renderCommand(args, { out: (s) => (out += s), err: (s) => (err += s) });
    return { code, out, err };
  };

  it('`--helm-command ./pwn.sh` from an argocd-cm is not used: the script does not run, the first line says so and how to allow it', async () => {
    const r = await render([appDir, root, '--no-cache']);
    assert.equal(r.code, 0, r.err);
    assert.equal(fs.existsSync(marker), false, 'the repository\'s script ran');
    const first = r.err.split('\n')[0] ?? '';
    assert.match(first, /^home-ops: Build options from cluster\/bootstrap\/argocd-cm\.yaml:7 not used: --helm-command \.\/pwn\.sh \(it runs the program it names instead of helm\)/);
    assert.match(first, /--allow-build-option --helm-command, or --trust-repo-config/);
    // The rest of the options are used: the chart renders (helmCharts need --enable-helm).
    assert.match(r.out, /^kind: HTTPRoute$/m);
    assert.match(r.err, /kustomize build \. --enable-helm --load-restrictor LoadRestrictionsNone --helm-command \/.*helm /);
  });

  it('with --trust-repo-config (or --allow-build-option --helm-command) the repository\'s options are used as they are', async () => {
    const r = await render([appDir, root, '--no-cache', '--trust-repo-config']);
    assert.equal(r.code, 0, r.err);
    assert.equal(fs.existsSync(marker), true, 'the repository\'s helm command ran');
    assert.doesNotMatch(r.err, /not used/);
    fs.rmSync(marker);
    const allowed = await render([appDir, root, '--no-cache', '--allow-build-option', '--helm-command']);
    assert.equal(allowed.code, 0, allowed.err);
    assert.equal(fs.existsSync(marker), true);
  });

  it('render --changed screens them too', async () => {
    git(root, 'init', '--quiet', '-b', 'main');
    git(root, 'add', '-A');
    git(root, 'commit', '--quiet', '-m', 'first');
    fs.appendFileSync(path.join(appDir, 'values.yaml'), '# changed\n');
    const r = await render(['--changed', 'HEAD', root, '--no-cache']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err.split('\n')[0] ?? '', /not used: --helm-command \.\/pwn\.sh/);
    assert.equal(fs.existsSync(marker), false);
  });

  it('a kustomization whose helmGlobals.configHome holds a helm plugin: refused at its line, the plugin does not run; --trust-repo-config runs it', async () => {
    const plugin = helmPluginFixture(marker);
    try {
      const r = await render([plugin.appDir, plugin.root, '--no-cache']);
      assert.equal(r.code, 1, r.err);
      assert.equal(fs.existsSync(marker), false, "the repository's helm plugin ran");
      assert.match(r.err, /app\/kustomization\.yaml:2:3: app: app\/kustomization\.yaml sets helmGlobals\.configHome, which kustomize gives helm as its plugin folder.*--allow-build-option helmGlobals\.configHome/);
      await render([plugin.appDir, plugin.root, '--no-cache', '--trust-repo-config']);
      assert.equal(fs.existsSync(marker), true, 'trusted: kustomize ran helm with the repository\'s plugin folder');
    } finally {
      fs.rmSync(plugin.root, { recursive: true, force: true });
    }
  });

  it('lint reports build-option-refused at the line that sets it; --trust-repo-config silences it', () => {
    const lint = (extra: string[]) => {
      let out = '';
      run(['lint', root, '--format', 'json', ...extra], { out: (s) => (out += s), err: () => undefined });
      return (JSON.parse(out) as Array<{ file: string; rule: string; severity: string; message: string; range: { start: { line: number; character: number } } }>).filter((p) => p.rule === 'build-option-refused');
    };
    const found = lint([]);
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0]?.file, cm);
    assert.equal(found[0]?.severity, 'info', 'Argo CD runs with the option: only the preview differs');
    assert.deepEqual(found[0]?.range.start, { line: 6, character: '  kustomize.buildOptions: --enable-helm --load-restrictor LoadRestrictionsNone '.length });
    assert.match(found[0]?.message ?? '', /--helm-command \.\/pwn\.sh \(it runs the program it names instead of helm\).*homeOps\.render\.allowedBuildOptions.*--trust-repo-config/);
    assert.deepEqual(lint(['--trust-repo-config']), []);
    assert.deepEqual(lint(['--allow-build-option', '--helm-command']), []);
  });
});
