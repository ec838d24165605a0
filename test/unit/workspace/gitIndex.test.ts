/**
 * The index reader against git itself: on generated repositories (many files, nested folders,
 * unicode and non-UTF-8 names, names longer than 4 KiB, submodules, conflicts, intent-to-add,
 * index versions 2, 3 and 4, SHA-256 object ids, a linked worktree), the paths it reads must be
 * exactly what `git ls-files` lists; what it cannot vouch for (split index, sparse checkout,
 * a torn file) must be a failure with a reason, never a partial list.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseGitIndex } from '../../../src/core/workspace/gitIndex';
import { findGitRepository, readTrackedFiles } from '../../../src/core/workspace/gitRepository';
import { nodeTreeFs } from '../../../src/core/adapters/treeFs';
import { git, lsFiles } from '../../support/git';
import { makeRepo, type TempRepo } from '../../support/repo';
import { requireTools } from '../../support/shared';

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    // mulberry32: 32-bit integer arithmetic throughout (a float LCG loses bits and cycles)
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAME_PARTS = ['apps', 'media', 'café', '日本語', 'naïve', 'e\u0301', 'emoji-🚀', 'a b', 'x.y', '-dash', 'UPPER', 'deep', 'values', 'kustomization', 'ö', 'z'];

/** Writes `count` files in nested folders; returns their repository-relative paths. */
function generate(repo: TempRepo, seed: number, count: number): string[] {
  const rnd = random(seed);
  const pick = () => NAME_PARTS[Math.floor(rnd() * NAME_PARTS.length)] as string;
  const paths = new Set<string>();
  while (paths.size < count) {
    const depth = 1 + Math.floor(rnd() * 5);
    const segs: string[] = [];
    for (let i = 0; i < depth; i++) segs.push(`${pick()}${Math.floor(rnd() * 4)}`);
    const file = `${segs.join('/')}.${rnd() < 0.5 ? 'yaml' : 'txt'}`;
    paths.add(file); // folders never end in .yaml/.txt: no file and folder share a name
  }
  for (const p of paths) repo.write(p, `${p}\n`);
  return [...paths];
}

function indexPaths(dir: string): string[] {
  const location = findGitRepository(dir, nodeTreeFs);
  assert.ok(location, `a repository at ${dir}`);
  const tracked = readTrackedFiles(location, nodeTreeFs);
  assert.ok(tracked.ok, tracked.ok ? '' : tracked.reason);
  return [...tracked.files].sort();
}

function readIndex(dir: string, hashLength: 20 | 32 = 20) {
  return parseGitIndex(fs.readFileSync(path.join(dir, '.git', 'index')), hashLength);
}

describe('git index reader (differential against git ls-files)', function () {
  before(function () {
    requireTools(this, 'the index reader against git ls-files', 'git');
  });
  this.timeout(120000);
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  for (const version of [2, 3, 4]) {
    it(`reads index version ${version} like git ls-files (1,500 files, unicode names, nested folders)`, () => {
      repo = makeRepo({});
      git(repo.root, 'init', '-q');
      generate(repo, version * 7919, 1500);
      git(repo.root, 'add', '-A');
      if (version === 3) {
        // an intent-to-add entry carries extended flags, which makes git write version 3
        repo.write('later/intent.yaml', 'a: 1\n');
        git(repo.root, 'add', '-N', 'later/intent.yaml');
      } else git(repo.root, 'update-index', '--index-version', String(version));
      const parsed = readIndex(repo.root);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
      assert.equal(parsed.index.version, version);
      assert.deepEqual([...parsed.index.paths].sort(), lsFiles(repo.root).sort());
      assert.ok(parsed.index.paths.length >= 1500);
    });
  }

  it('reads names git stores as bytes that are not UTF-8, and names longer than 4 KiB, in versions 2 and 4', () => {
    repo = makeRepo({ 'a.yaml': 'a: 1\n' });
    git(repo.root, 'init', '-q');
    fs.writeFileSync(Buffer.concat([Buffer.from(`${repo.root}/caf`), Buffer.from([0xe9]), Buffer.from('.yaml')]), 'x: 1\n');
    git(repo.root, 'add', '-A');
    const blob = git(repo.root, 'hash-object', '-w', 'a.yaml').trim();
    // the index may hold paths no file system could (git update-index --cacheinfo)
    const long = `${'long-folder-name/'.repeat(300)}end.yaml`;
    git(repo.root, 'update-index', '--add', '--cacheinfo', `100644,${blob},${long}`);
    for (const version of ['2', '4']) {
      git(repo.root, 'update-index', '--index-version', version);
      const parsed = readIndex(repo.root);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
      assert.deepEqual([...parsed.index.paths].sort(), lsFiles(repo.root).sort());
      assert.ok(parsed.index.paths.includes(long));
      assert.ok(parsed.index.paths.some((p) => p.includes('\uFFFD')));
    }
  });

  it('lists each conflicted path once and knows submodules (gitlinks) as folders', () => {
    repo = makeRepo({ 'app/values.yaml': 'a: 1\n' });
    git(repo.root, 'init', '-q');
    git(repo.root, 'add', '-A');
    git(repo.root, 'commit', '-qm', 'base');
    git(repo.root, 'checkout', '-qb', 'other');
    repo.write('app/values.yaml', 'a: 2\n');
    git(repo.root, 'commit', '-qam', 'other');
    git(repo.root, 'checkout', '-q', 'main');
    repo.write('app/values.yaml', 'a: 3\n');
    git(repo.root, 'commit', '-qam', 'main');
    assert.throws(() => git(repo.root, 'merge', '-q', 'other'));
    const head = git(repo.root, 'rev-parse', 'HEAD').trim();
    git(repo.root, 'update-index', '--add', '--cacheinfo', `160000,${head},vendor/sub`);
    const parsed = readIndex(repo.root);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
    assert.deepEqual([...new Set(parsed.index.paths)].sort(), [...new Set(lsFiles(repo.root))].sort());
    assert.equal(parsed.index.paths.filter((p) => p === 'app/values.yaml').length, 3, 'stages 1, 2 and 3');
    assert.deepEqual(parsed.index.gitlinks, ['vendor/sub']);
    assert.deepEqual(indexPaths(repo.root), ['app/values.yaml', 'vendor/sub']);
  });

  it('reads a SHA-256 repository (32-byte object ids), told by its config', () => {
    repo = makeRepo({});
    git(repo.root, 'init', '-q', '--object-format=sha256');
    generate(repo, 4242, 300);
    git(repo.root, 'add', '-A');
    assert.deepEqual(indexPaths(repo.root), lsFiles(repo.root).sort());
    assert.equal(readIndex(repo.root, 20).ok, false, 'read as SHA-1, the layout does not fit');
  });

  it('reads a linked worktree (a .git file naming its git directory) and a workspace inside a repository', () => {
    repo = makeRepo({ 'cluster/apps/a/values.yaml': 'a: 1\n', 'cluster/apps/b/values.yaml': 'b: 1\n', 'docs/readme.md': '# x\n' });
    git(repo.root, 'init', '-q');
    git(repo.root, 'add', '-A');
    git(repo.root, 'commit', '-qm', 'base');
    const worktree = `${repo.root}-wt`;
    try {
      git(repo.root, 'worktree', 'add', '-q', worktree);
      fs.writeFileSync(path.join(worktree, 'cluster', 'new.yaml'), 'n: 1\n');
      git(worktree, 'add', 'cluster/new.yaml');
      git(worktree, 'update-index', '--index-version', '4');
      assert.ok(fs.statSync(path.join(worktree, '.git')).isFile());
      assert.deepEqual(indexPaths(worktree), lsFiles(worktree).sort());
      assert.ok(indexPaths(worktree).includes('cluster/new.yaml'), "the worktree's own index, not the main one");
      // a workspace folder inside the repository sees its own files, relative to itself
      assert.deepEqual(indexPaths(path.join(worktree, 'cluster')), lsFiles(path.join(worktree, 'cluster')).sort());
      assert.deepEqual(indexPaths(path.join(worktree, 'cluster')), ['apps/a/values.yaml', 'apps/b/values.yaml', 'new.yaml']);
    } finally {
      fs.rmSync(worktree, { recursive: true, force: true });
    }
  });

  it('refuses, with a reason, what it cannot vouch for: split index, sparse checkout, torn or unknown files', () => {
    repo = makeRepo({ 'a/x.yaml': 'a: 1\n', 'b/y.yaml': 'b: 1\n' });
    git(repo.root, 'init', '-q');
    git(repo.root, 'add', '-A');
    git(repo.root, 'commit', '-qm', 'base');
    const indexFile = path.join(repo.root, '.git', 'index');
    const good = fs.readFileSync(indexFile);

    const torn = parseGitIndex(good.subarray(0, good.length - 7));
    assert.equal(torn.ok, false);
    const flipped = Buffer.from(good);
    flipped[40] = (flipped[40] as number) ^ 0xff;
    assert.match((parseGitIndex(flipped) as { reason: string }).reason, /checksum/);
    const future = Buffer.from(good);
    future.writeUInt32BE(5, 4);
    assert.match((parseGitIndex(future) as { reason: string }).reason, /version 5/);
    assert.match((parseGitIndex(Buffer.from('not an index at all, clearly: just some text')) as { reason: string }).reason, /signature/);

    git(repo.root, 'update-index', '--split-index');
    assert.match((readIndex(repo.root) as { reason: string }).reason, /split/);
    git(repo.root, 'update-index', '--no-split-index');
    assert.ok(readIndex(repo.root).ok);

    git(repo.root, 'sparse-checkout', 'set', 'a');
    assert.match((readIndex(repo.root) as { reason: string }).reason, /sparse/);
  });

  it('a repository without an index (nothing added yet) tracks nothing, exactly', () => {
    repo = makeRepo({ 'a.yaml': 'a: 1\n' });
    git(repo.root, 'init', '-q');
    assert.deepEqual(indexPaths(repo.root), []);
  });
});
