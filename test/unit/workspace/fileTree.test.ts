/**
 * The tree as Argo CD's clone has it: presence from the Git index (tracked files count whatever
 * .gitignore says), the approximation outside Git, and the file-system oddities that used to
 * vanish without a word (special files, unreadable files, names that are not UTF-8).
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { FileTree } from '../../../src/core/workspace/fileTree';
import { nodeTreeFs, type TreeFs } from '../../../src/core/adapters/treeFs';
import { git } from '../../support/git';
import { appset, makeRepo, type RepoFiles, type TempRepo } from '../../support/repo';
import { requireTools } from '../../support/shared';

const DIR_APPSET = appset(
  'apps',
  `  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - git:
        repoURL: https://example.com/repo.git
        revision: HEAD
        directories:
          - path: 'apps/*'
  template:
    metadata:
      name: '{{.path.basename}}'
    spec:
      project: default
      source: {repoURL: https://example.com/repo.git, path: '{{.path.path}}'}
      destination: {server: https://kubernetes.default.svc, namespace: '{{.path.basename}}'}`,
);

/** An app folder whose only file matches .gitignore: a force-added secret. */
const SECRET_REPO: RepoFiles = {
  '.gitignore': '*secret*.yaml\n',
  'argocd/apps.yaml': DIR_APPSET,
  'apps/plain/values.yaml': 'a: 1\n',
  'apps/vault/external-secret.yaml': 'kind: ExternalSecret\n',
  'apps/stray/local-secret.yaml': 'kind: Secret\n',
};

describe('FileTree presence', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it('in a Git repository, a tracked file is present whatever .gitignore says, and its folder generates its app', function () {
    requireTools(this, 'presence from a real Git index', 'git');
    repo = makeRepo(SECRET_REPO);
    git(repo.root, 'init', '-q');
    git(repo.root, 'add', '-A');
    git(repo.root, 'add', '-f', 'apps/vault/external-secret.yaml');
    const tree = new FileTree(repo.root);
    assert.equal(tree.presenceFromGitIndex(), true);
    assert.ok(tree.files.has('apps/vault/external-secret.yaml'), 'force-added: tracked');
    assert.ok(!tree.files.has('apps/stray/local-secret.yaml'), 'untracked and ignored');
    assert.ok(tree.hasDir('apps/vault'));
    assert.ok(!tree.hasDir('apps/stray'));
    const model = new RepositoryModel(repo.root);
    assert.deepEqual(model.apps().map((a) => a.name).sort(), ['plain', 'vault']);
  });

  it('outside Git, .gitignore alone decides and presence says it is approximated', () => {
    repo = makeRepo(SECRET_REPO);
    const tree = new FileTree(repo.root);
    assert.equal(tree.presenceFromGitIndex(), false);
    assert.match(tree.presence.reason ?? '', /not inside a Git repository/);
    assert.ok(!tree.files.has('apps/vault/external-secret.yaml'));
    assert.deepEqual(new RepositoryModel(repo.root).apps().map((a) => a.name), ['plain']);
  });

  it('an untracked file counts unless ignored; a file in an ignored folder only if tracked', function () {
    requireTools(this, 'presence from a real Git index', 'git');
    repo = makeRepo({ '.gitignore': 'build/\n', 'build/keep.yaml': 'a: 1\n', 'build/junk.yaml': 'a: 1\n', 'new/file.yaml': 'a: 1\n' });
    git(repo.root, 'init', '-q');
    git(repo.root, 'add', '-f', 'build/keep.yaml');
    const tree = new FileTree(repo.root);
    assert.deepEqual([...tree.files].sort(), ['.gitignore', 'build/keep.yaml', 'new/file.yaml']);
    assert.ok(tree.holdsFiles('build'));
    assert.equal(tree.wouldHave('build/other.yaml'), false, 'a new file in an ignored folder is ignored');
    assert.equal(tree.wouldHave('new/other.yaml'), true);
  });

  it('maps paths for a workspace inside a repository, and honours the .gitignore files above it', function () {
    requireTools(this, 'presence from a real Git index', 'git');
    repo = makeRepo({ '.gitignore': '*.secret.yaml\n', 'cluster/apps/a/values.yaml': 'a: 1\n', 'cluster/apps/a/db.secret.yaml': 'a: 1\n', 'cluster/apps/b/x.secret.yaml': 'a: 1\n', 'other/z.yaml': 'z: 1\n' });
    git(repo.root, 'init', '-q');
    git(repo.root, 'add', '-A');
    git(repo.root, 'add', '-f', 'cluster/apps/b/x.secret.yaml');
    const tree = new FileTree(path.join(repo.root, 'cluster'));
    assert.equal(tree.presenceFromGitIndex(), true);
    assert.deepEqual([...tree.files].sort(), ['apps/a/values.yaml', 'apps/b/x.secret.yaml']);
  });

  it('falls back to the approximation, with the reason, when the index cannot be read', function () {
    requireTools(this, 'presence from a real Git index', 'git');
    repo = makeRepo(SECRET_REPO);
    git(repo.root, 'init', '-q');
    git(repo.root, 'add', '-A');
    git(repo.root, 'add', '-f', 'apps/vault/external-secret.yaml');
    git(repo.root, 'update-index', '--split-index');
    const tree = new FileTree(repo.root);
    assert.equal(tree.presenceFromGitIndex(), false);
    assert.match(tree.presence.reason ?? '', /split/);
    assert.ok(!tree.files.has('apps/vault/external-secret.yaml'));
  });

  it('refreshes presence when the index changes (git add -f, git rm --cached), without a rebuild', function () {
    requireTools(this, 'presence from a real Git index', 'git');
    repo = makeRepo(SECRET_REPO);
    git(repo.root, 'init', '-q');
    const model = new RepositoryModel(repo.root);
    assert.deepEqual(model.apps().map((a) => a.name), ['plain']);
    // tracking files .gitignore does not ignore changes nothing: nothing is re-read or re-evaluated
    git(repo.root, 'add', '-A');
    assert.deepEqual(model.applyChanges(['.git/index']), { reevaluated: [], filesRead: 0 });
    git(repo.root, 'add', '-f', 'apps/vault/external-secret.yaml');
    const change = model.applyChanges(['.git/index']);
    assert.deepEqual(model.apps().map((a) => a.name).sort(), ['plain', 'vault']);
    assert.deepEqual(change.reevaluated, [{ file: 'argocd/apps.yaml', docIndex: 0 }], 'only the appset that sees the folder');
    git(repo.root, 'rm', '-q', '--cached', 'apps/vault/external-secret.yaml');
    // no event at all (the index may live outside the workspace): the next batch notices it
    model.applyChanges([]);
    assert.deepEqual(model.apps().map((a) => a.name), ['plain']);
  });
});

describe('FileTree and special files', function () {
  this.timeout(20000);
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it('a YAML-named link to /dev/zero, a FIFO and a socket are reported and skipped, and nothing hangs', async () => {
    repo = makeRepo({ 'argocd/apps.yaml': DIR_APPSET, 'apps/one/values.yaml': 'a: 1\n', 'argocd/zero.yaml': { symlink: '/dev/zero' } });
    execFileSync('mkfifo', [path.join(repo.root, 'apps/one/pipe.yaml')]);
    fs.symlinkSync('pipe.yaml', path.join(repo.root, 'apps/one/to-pipe.yaml'));
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(repo.root, 'apps/one/sock.yaml'), resolve));
    try {
      // A read of /dev/zero or a FIFO would never end (the test's timeout would say so): none is made.
      const model = new RepositoryModel(repo.root);
      const byFile = new Map(model.problems().filter((p) => p.rule === 'unreadable-path').map((p) => [p.file, p.message]));
      assert.match(byFile.get('argocd/zero.yaml') ?? '', /special file \(character device\)/);
      assert.match(byFile.get('apps/one/pipe.yaml') ?? '', /^Special file \(FIFO\)/);
      assert.match(byFile.get('apps/one/to-pipe.yaml') ?? '', /special file \(FIFO\)/);
      assert.match(byFile.get('apps/one/sock.yaml') ?? '', /^Special file \(socket\)/);
      assert.deepEqual(model.apps().map((a) => a.name), ['one']);
      // reading them through the tree is refused without opening them for a blocking read
      assert.equal(model.textOf('argocd/zero.yaml'), undefined);
      assert.equal(model.textOf('apps/one/to-pipe.yaml'), undefined);
      assert.equal(model.tree.read('apps/one/pipe.yaml', 1024).ok, false);
    } finally {
      server.close();
    }
  });

  it('reads no more than the bound of a file that is larger (size checked before reading)', () => {
    repo = makeRepo({ 'big.yaml': 'x'.repeat(5000) });
    const reads: number[] = [];
    const fsSpy: TreeFs = { ...nodeTreeFs, readFile: (abs, max, head) => { const b = nodeTreeFs.readFile(abs, max, head); reads.push(b.length); return b; } };
    const tree = new FileTree(repo.root, { fs: fsSpy });
    const r = tree.read('big.yaml', 1000);
    assert.equal(r.ok, false);
    assert.equal(r.ok ? '' : r.kind, 'too-large');
    assert.deepEqual(reads, [], 'refused on its size, before any byte is read');
    const head = tree.read('big.yaml', 1000, { head: true });
    assert.equal(head.ok && head.bytes.length, 1000);
  });

  it('a file that cannot be read is reported with the reason, and its folder still counts', () => {
    repo = makeRepo({ 'argocd/apps.yaml': DIR_APPSET, 'apps/locked/app.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\n' });
    // Tests run as root, where permissions do not stop a read: the file system says no instead.
    const denied: TreeFs = {
      ...nodeTreeFs,
      readFile: (abs, max, head) => {
        if (abs.endsWith('locked/app.yaml')) throw Object.assign(new Error('permission denied'), { code: 'EACCES' });
        return nodeTreeFs.readFile(abs, max, head);
      },
    };
    const model = new RepositoryModel(repo.root, { fs: denied });
    const p = model.problems().find((x) => x.file === 'apps/locked/app.yaml');
    assert.equal(p?.rule, 'unreadable-path');
    assert.match(p?.message ?? '', /EACCES/);
    assert.deepEqual(model.apps().map((a) => a.name), ['locked']);
  });

  it('names that are not UTF-8 are reported, and Git still has their folder', () => {
    repo = makeRepo({ 'argocd/apps.yaml': DIR_APPSET, 'apps/plain/values.yaml': 'a: 1\n' });
    const latin1 = (rel: string) => Buffer.concat([Buffer.from(`${repo.root}/${rel}`), Buffer.from([0xe9])]);
    fs.mkdirSync(path.join(repo.root, 'apps/cafe'));
    fs.writeFileSync(Buffer.concat([latin1('apps/cafe/caf'), Buffer.from('.yaml')]), 'a: 1\n');
    fs.mkdirSync(latin1('apps/dossier-'));
    fs.writeFileSync(Buffer.concat([latin1('apps/dossier-'), Buffer.from('/values.yaml')]), 'a: 1\n');
    const model = new RepositoryModel(repo.root);
    const unreadable = model.problems().filter((p) => p.rule === 'unreadable-path');
    assert.deepEqual(unreadable.map((p) => p.file).sort(), ['apps/cafe/caf\uFFFD.yaml', 'apps/dossier-\uFFFD']);
    assert.match(unreadable[0]?.message ?? '', /not valid UTF-8/);
    assert.ok(model.tree.hasDir('apps/cafe'), 'its only file is not UTF-8-named, yet Git has the folder');
    assert.ok(model.apps().some((a) => a.name === 'cafe'));
  });
});

describe('FileTree batched updates', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  /** What a fresh scan of the disk gives: files, folders, counts, problems. */
  const shape = (tree: FileTree) => ({
    files: [...tree.files].sort(),
    dirs: tree.allDirs(),
    holds: ['apps', 'apps/new', 'apps/gone', 'apps/keep', 'build', 'linked'].map((d) => tree.holdsFiles(d)),
    problems: [...tree.problems.keys()].sort(),
  });

  it('gives, for a burst of events in one call, the tree a fresh scan gives (created, deleted, ignored, linked folders)', () => {
    repo = makeRepo({
      '.gitignore': 'build/\n',
      'apps/keep/a.yaml': 'a: 1\n',
      'apps/keep/b.yaml': 'b: 1\n',
      'apps/gone/x.yaml': 'x: 1\n',
      'apps/gone/deep/y.yaml': 'y: 1\n',
      'target/t.yaml': 't: 1\n',
    });
    const tree = new FileTree(repo.root);
    repo.remove('apps/gone');
    repo.remove('apps/keep/b.yaml');
    repo.write('apps/keep/c.yaml', 'c: 1\n');
    repo.write('apps/new/one.yaml', 'one: 1\n');
    repo.write('apps/new/sub/two.yaml', 'two: 1\n');
    repo.write('build/out.yaml', 'ignored: true\n');
    fs.symlinkSync(path.join(repo.root, 'target'), path.join(repo.root, 'linked'));
    const events = ['apps/gone/x.yaml', 'apps/gone/deep/y.yaml', 'apps/gone/deep', 'apps/keep/b.yaml', 'apps/keep/c.yaml', 'apps/new/one.yaml', 'apps/new/sub/two.yaml', 'apps/new/sub', 'build/out.yaml', 'linked', 'linked/t.yaml'];
    const change = tree.updateAll(events);
    assert.deepEqual(shape(tree), shape(new FileTree(repo.root)));
    assert.deepEqual(change.removed.sort(), ['apps/gone/deep/y.yaml', 'apps/gone/x.yaml', 'apps/keep/b.yaml']);
    assert.deepEqual(change.added.sort(), ['apps/keep/c.yaml', 'apps/new/one.yaml', 'apps/new/sub/two.yaml', 'linked']);
  });
});
