/**
 * The `home-ops-lint` hook of .pre-commit-hooks.yaml, installed and run by the real pre-commit
 * (PyPI, pinned by scripts/tools/install-pre-commit.sh) through `git commit` in a fixture
 * repository: the commit of a broken kustomization is refused, the fixed one goes through.
 *
 * pre-commit installs the hook from a Git clone of this project (a snapshot of the working tree)
 * with `npm install -g git+file://…`, which builds the CLI in the `prepare` script. npm's cache is
 * the user's own, read with prefer-offline (`npm ci` has filled it); npm's logs, pre-commit's
 * store and every repository are temporary.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { git } from '../../support/git';
import { requireTools, toolPath } from '../../support/shared';
import { projectSnapshot, tempDir } from './support';

const BROKEN = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n';
const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n';

describe('pre-commit hook home-ops-lint (real pre-commit)', function () {
  this.timeout(300_000);
  let dir: string;
  let bin: string;
  before(function () {
    if (!requireTools(this, 'the pre-commit hook through the real pre-commit', 'pre-commit', 'git')) return;
    bin = toolPath('pre-commit') as string;
    dir = tempDir('home-ops-pre-commit-');
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses the commit of a kustomization that names a missing file, and takes it once the file is there', () => {
    const hooks = projectSnapshot(dir, git);
    const repo = path.join(dir, 'gitops');
    fs.mkdirSync(path.join(repo, 'apps/web'), { recursive: true });
    fs.writeFileSync(path.join(repo, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hooks.root}\n    rev: ${hooks.rev}\n    hooks:\n      - id: home-ops-lint\n`);
    fs.writeFileSync(path.join(repo, 'apps/web/kustomization.yaml'), BROKEN);
    git(repo, 'init', '--quiet');

    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (/^npm_/i.test(k)) delete env[k];
    Object.assign(env, {
      PRE_COMMIT_HOME: path.join(dir, 'pre-commit-home'),
      npm_config_prefer_offline: 'true',
      npm_config_logs_dir: path.join(dir, 'npm-logs'),
      npm_config_update_notifier: 'false',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
    });
    const install = spawnSync(bin, ['install'], { cwd: repo, env, encoding: 'utf8' });
    assert.equal(install.status, 0, install.stderr);
    const commit = (message: string) => {
      git(repo, 'add', '-A');
      return spawnSync('git', ['-c', 'user.name=Home-Ops Test', '-c', 'user.email=test@example.org', '-c', 'commit.gpgsign=false', 'commit', '-m', message], { cwd: repo, env, encoding: 'utf8' });
    };

    const refused = commit('broken');
    const output = refused.stdout + refused.stderr;
    assert.equal(refused.status, 1, output);
    assert.match(output, /^home-ops lint\.+Failed$/m);
    assert.match(output, /^apps\/web\/kustomization\.yaml:4:5 error kustomize-missing-path "deployment\.yaml" does not exist/m);
    assert.equal(spawnSync('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: repo, env }).status, 1, 'nothing was committed');

    fs.writeFileSync(path.join(repo, 'apps/web/deployment.yaml'), DEPLOYMENT);
    const taken = commit('fixed');
    assert.equal(taken.status, 0, taken.stdout + taken.stderr);
    assert.match(taken.stdout + taken.stderr, /^home-ops lint\.+Passed$/m);
    assert.deepEqual(git(repo, 'ls-files').trim().split('\n'), ['.pre-commit-config.yaml', 'apps/web/deployment.yaml', 'apps/web/kustomization.yaml']);
  });
});
