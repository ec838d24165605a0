import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from '../../../src/cli/main';
import { EXAMPLE_REPO, SEED_CORPUS, appset, makeRepo, type TempRepo } from '../../support/repo';
import { requireShared } from '../../support/shared';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('home-ops apps', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it('prints a table of the example repository and exits 0', async () => {
    const r = await runCli(['apps', EXAMPLE_REPO]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^NAME +NAMESPACE +PROJECT +PATH +FROM$/m);
    assert.match(r.out, /^media-jellyfin +media +homelab +homelab\/kubernetes\/apps\/media\/jellyfin +appset media$/m);
    assert.match(r.out, /10 generated Applications, 1 standalone/);
  });

  it('prints JSON with name, namespace, project, path, appset and generator (built CLI on the seed corpus)', function () {
    requireShared(this, '`home-ops apps --json` on the seed corpus', SEED_CORPUS);
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is built by `npm test` before the unit tests');
    const r = spawnSync(process.execPath, [CLI, 'apps', SEED_CORPUS, '--json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const apps = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    const generated = apps.filter((a) => a['appset'] !== null);
    assert.equal(generated.length, 62);
    const jellyfin = generated.find((a) => a['name'] === 'media-jellyfin');
    assert.deepEqual(
      { name: jellyfin?.['name'], namespace: jellyfin?.['namespace'], project: jellyfin?.['project'], path: jellyfin?.['path'], appset: jellyfin?.['appset'], generator: jellyfin?.['generator'] },
      {
        name: 'media-jellyfin',
        namespace: 'media',
        project: 'apps',
        path: 'pitower/kubernetes/apps/media/jellyfin',
        appset: { name: 'media', file: 'pitower/kubernetes/argocd/appset-media.yaml', line: 1 },
        generator: 'git directories',
      },
    );
    assert.deepEqual(apps.filter((a) => a['appset'] === null).map((a) => a['name']), ['argocd-bootstrap']);
  });

  it('reports problems as file:line:col on stderr, keeps the other appsets, and exits 1', async () => {
    repo = makeRepo({
      'good.yaml': appset('good', `  goTemplate: true\n  generators:\n    - list: {elements: [{nm: a}]}\n  template:\n    metadata: {name: '{{.nm}}'}\n    spec: {project: default, destination: {server: s, namespace: ns}}`),
      'bad.yaml': appset('bad', `  goTemplate: true\n  generators:\n    - list: {elements: [{nm: a}]}\n  template:\n    metadata: {name: '{{.nm | nope}}'}\n    spec: {project: default, destination: {server: s, namespace: ns}}`),
    });
    const r = await runCli(['apps', repo.root, '--json']);
    assert.equal(r.code, 1);
    assert.deepEqual((JSON.parse(r.out) as Array<{ name: string }>).map((a) => a.name), ['a']);
    assert.match(r.err, /^bad\.yaml:11:\d+ error template-error /m);
    assert.match(r.err, /1 ApplicationSet could not be fully evaluated: bad \(bad\.yaml:1\)/);
  });

  it('exits 2 on usage errors', async () => {
    assert.equal((await runCli(['apps', '--nope'])).code, 2);
    assert.equal((await runCli(['frobnicate'])).code, 2);
    assert.equal((await runCli(['apps', '/does/not/exist'])).code, 2);
    // render waits for kustomize/helm: its exit code is what run() resolves to, not a later process.exitCode.
    assert.equal((await runCli(['render', '/does/not/exist'])).code, 2);
    assert.equal((await runCli(['render', '--timeout', 'x', '.'])).code, 2);
  });
});
