/**
 * The npm package: `npm pack` of the project, installed offline into an empty folder, must run
 * on its own (no dependency, nothing from the build tree) and say what the in-tree CLI says.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from '../../../src/cli/main';
import { SEED_CORPUS } from '../../support/repo';
import { requireShared } from '../../support/shared';
import { npm, npmEnv, packAndInstall, PROJECT, runBin, tempDir, type Packed } from './support';

async function inTree(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('npm package (npm pack, installed offline)', function () {
  this.timeout(120_000);
  let pkg: Packed;
  before(() => (pkg = packAndInstall()));
  it('holds the bundled CLI, the schemas, the CLI reference, README, CHANGELOG and LICENSE, nothing else', () => {
    const schemas = fs.readdirSync(path.join(PROJECT, 'schemas')).filter((f) => f.endsWith('.json')).map((f) => `schemas/${f}`);
    assert.deepEqual(pkg.files, ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/cli.js', 'docs/cli.md', 'package.json', ...schemas].sort());
    const size = fs.statSync(pkg.tarball).size;
    assert.ok(size < 512 * 1024, `tarball ${size} bytes`);
  });

  it('declares the binary and no runtime dependency, so installing it fetches nothing', () => {
    const installed = path.join(pkg.consumer, 'node_modules', 'home-ops');
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(manifest['bin'], { 'home-ops': 'dist/cli.js' });
    assert.equal(manifest['dependencies'], undefined);
    assert.equal((manifest['engines'] as Record<string, string>)['node'], '>=20.19');
    // The install was offline with an empty cache: only the package itself is there.
    assert.deepEqual(fs.readdirSync(path.join(pkg.consumer, 'node_modules')).filter((f) => !f.startsWith('.')), ['home-ops']);
    assert.ok(!fs.existsSync(path.join(installed, 'node_modules')));
    assert.match(fs.readFileSync(path.join(installed, 'dist', 'cli.js'), 'utf8'), /^#!\/usr\/bin\/env node\n/);
  });

  it('`home-ops lint` on the seed corpus prints what the in-tree CLI prints, in every format, with its exit code', async function () {
    if (!requireShared(this, 'the packed CLI compared on the seed corpus', SEED_CORPUS)) return;
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const want = await inTree(['lint', SEED_CORPUS, '--format', format]);
      const got = runBin(pkg.bin, ['lint', SEED_CORPUS, '--format', format], pkg.consumer);
      assert.equal(got.stderr, want.err, format);
      assert.equal(got.stdout, want.out, format);
      assert.equal(got.status, want.code, format);
    }
    const json = JSON.parse(runBin(pkg.bin, ['lint', SEED_CORPUS, '--format', 'json'], pkg.consumer).stdout) as Array<{ rule: string }>;
    assert.deepEqual(json.map((p) => p.rule), ['namespace-mismatch']);
  });

  it('`home-ops apps` on the seed corpus prints what the in-tree CLI prints (table and JSON)', async function () {
    if (!requireShared(this, 'the packed CLI compared on the seed corpus', SEED_CORPUS)) return;
    for (const args of [[], ['--json']]) {
      const want = await inTree(['apps', SEED_CORPUS, ...args]);
      const got = runBin(pkg.bin, ['apps', SEED_CORPUS, ...args], pkg.consumer);
      assert.equal(got.stdout, want.out, args.join(' '));
      assert.equal(got.stderr, want.err, args.join(' '));
      assert.equal(got.status, want.code, args.join(' '));
    }
    assert.match(runBin(pkg.bin, ['apps', SEED_CORPUS], pkg.consumer).stdout, /^62 generated Applications, 1 standalone$/m);
  });

  it('knows its version and its usage errors', () => {
    const version = (JSON.parse(fs.readFileSync(path.join(PROJECT, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(runBin(pkg.bin, ['--version'], pkg.consumer).stdout, `${version}\n`);
    const usage = runBin(pkg.bin, ['lint', '--format', 'xml'], pkg.consumer);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--format takes text, json, sarif or github/);
  });

  it('`npx <tarball> lint DIR` works in an empty folder, offline', async function () {
    if (!requireShared(this, 'the packed CLI compared on the seed corpus', SEED_CORPUS)) return;
    const empty = tempDir('home-ops-npx-');
    try {
      const env = npmEnv(empty);
      const want = await inTree(['lint', SEED_CORPUS]);
      let out: string;
      try {
        // As docs/cli.md writes it: `npx --yes ./home-ops-0.1.0.tgz lint DIR`.
        out = npm(['exec', '--yes', '--offline', '--', path.relative(empty, pkg.tarball), 'lint', SEED_CORPUS], empty, env);
      } catch (e) {
        throw new Error(`npx failed: ${(e as { stderr?: string }).stderr ?? e}`);
      }
      assert.equal(out, want.out);
      assert.deepEqual(fs.readdirSync(empty).filter((f) => !f.startsWith('npm-')), [], 'npx leaves the folder as it was');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
