/**
 * Kustomization references resolved as kustomize v5.8.1 resolves them (each case below was run
 * through `kustomize build` first: what it builds must not be reported, what it refuses must
 * be), and presence as Argo CD's clone has it.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hover } from '../../../src/core/editing/hover';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import type { Problem } from '../../../src/core/problems';
import { Linter } from '../../../src/core/rules';
import { isGitRepoSpec, isHttpUrl } from '../../../src/core/kustomize/remote';
import { nodeTreeFs, type TreeFs } from '../../../src/core/adapters/treeFs';
import { git } from '../../support/git';
import { makeRepo, type RepoFiles, type TempRepo } from '../../support/repo';
import { corpusPath, requireShared, requireTools } from '../../support/shared';

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const RULES = new Set(['kustomize-missing-path', 'kustomize-load-restrictor', 'path-escapes-repo']);

describe('kustomization references as kustomize resolves them', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  const lint = (files: RepoFiles, exclude: string[] = []): Problem[] => {
    repo = makeRepo(files);
    return new Linter(new RepositoryModel(repo.root, { exclude })).run().filter((p) => RULES.has(p.rule));
  };
  const lines = (problems: Problem[]) => problems.map((p) => `${p.range.start.line} ${p.severity} ${p.rule} ${p.message}`);

  it('a folder with a trailing slash, a ./ prefix, doubled slashes and a file with a trailing slash are found', () => {
    const problems = lint({
      'app/kustomization.yaml': 'resources:\n  - pipelines/\n  - ./other/\n  - ./cm.yaml\n  - .//cm2.yaml\n  - sub//s.yaml\n  - cm3.yaml/\n',
      'app/cm.yaml': CM('a'),
      'app/cm2.yaml': CM('b'),
      'app/cm3.yaml': CM('c'),
      'app/sub/s.yaml': CM('s'),
      'app/pipelines/kustomization.yaml': 'resources: [p.yaml]\n',
      'app/pipelines/p.yaml': CM('p'),
      'app/other/kustomization.yaml': 'resources: [o.yaml]\n',
      'app/other/o.yaml': CM('o'),
    });
    assert.deepEqual(lines(problems), []);
  });

  it('hover says what the rule resolves: a folder with a trailing slash, a file through a linked folder', () => {
    const text = 'resources:\n  - pipelines/\n  - linked/x.yaml\n';
    repo = makeRepo({ 'app/kustomization.yaml': text, 'app/pipelines/kustomization.yaml': 'resources: []\n', 'app/real/x.yaml': CM('x'), 'app/linked': { symlink: 'real' } });
    const model = new RepositoryModel(repo.root);
    const at = (needle: string) => hover({ file: 'app/kustomization.yaml', model, text, offset: text.indexOf(needle) + 1 })?.markdown ?? '';
    assert.match(at('pipelines/'), /^`app\/pipelines` exists \(folder with a kustomization\)/);
    assert.match(at('linked/x.yaml'), /^`app\/linked\/x.yaml` exists \(file\) \(through a symbolic link: `app\/real\/x.yaml`\)/);
  });

  it('configMapGenerator files: key=path resolves the path; k=, =path and a second = are what kustomize refuses', () => {
    const problems = lint({
      'app/kustomization.yaml': ['configMapGenerator:', '  - name: c', '    files:', '      - key=data.txt', '      - data.txt', '      - k=', '      - =data.txt', '      - a=b=data.txt', ''].join('\n'),
      'app/data.txt': 'x\n',
      'app/k': 'not what k= means\n',
    });
    assert.deepEqual(lines(problems), [
      '5 error kustomize-missing-path kustomize refuses "k=": missing file path for key name "k".',
      '6 error kustomize-missing-path kustomize refuses "=data.txt": missing key name for file path "data.txt".',
      '7 error kustomize-missing-path kustomize refuses "a=b=data.txt": the key name or file path contains "=".',
    ]);
  });

  it('follows symbolic links to folders inside the repository, and applies the load restrictor to the real path', () => {
    repo = makeRepo({
      'app/real/x.yaml': CM('x'),
      'app/realfile.yaml': CM('r'),
      'shared/x.yaml': CM('s'),
      'base/kustomization.yaml': 'resources: [b.yaml]\n',
      'base/b.yaml': CM('b'),
      'app/inlink': { symlink: 'real' },
      'app/outlink': { symlink: '../shared' },
      'app/baselink': { symlink: '../base' },
      'app/outfile.yaml': { symlink: '../shared/x.yaml' },
      'app/infile.yaml': { symlink: 'realfile.yaml' },
      'app/kustomization.yaml': 'resources:\n  - inlink/x.yaml\n  - baselink\n  - infile.yaml\n  - outlink/x.yaml\n  - outfile.yaml\n  - inlink\n',
    });
    const problems = new Linter(new RepositoryModel(repo.root)).run().filter((p) => RULES.has(p.rule));
    assert.deepEqual(lines(problems), [
      '4 error kustomize-load-restrictor kustomize refuses "outlink/x.yaml" (through symbolic links it is "shared/x.yaml"): the file is not in or below this kustomization\'s folder (load restrictor LoadRestrictionsRootOnly, which Argo CD uses). Copy the file into the folder.',
      '5 error kustomize-load-restrictor kustomize refuses "outfile.yaml" (through symbolic links it is "shared/x.yaml"): the file is not in or below this kustomization\'s folder (load restrictor LoadRestrictionsRootOnly, which Argo CD uses). Copy the file into the folder.',
      '6 error kustomize-missing-path "inlink" is a folder without a kustomization.yaml; kustomize can only build folders that have one.',
    ]);
  });

  it('a link leading outside the repository is reported as such', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'x.yaml'), CM('x'));
      const problems = lint({ 'app/kustomization.yaml': 'resources:\n  - away/x.yaml\n', 'app/away': { symlink: outside } });
      assert.deepEqual(problems.map((p) => p.rule), ['path-escapes-repo']);
      assert.match(problems[0]!.message, /through the symbolic link "app\/away"/);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('a folder excluded from the scan is looked up on disk: there is no error, absent is', () => {
    const problems = lint(
      {
        'app/kustomization.yaml': 'resources:\n  - ../vendor/base\n  - ../vendor/gone\n  - ../vendor/cm.yaml\n',
        'vendor/base/kustomization.yaml': 'resources: [b.yaml]\n',
        'vendor/base/b.yaml': CM('b'),
        'vendor/cm.yaml': CM('v'),
      },
      ['vendor'],
    );
    assert.deepEqual(lines(problems), [
      '2 error kustomize-missing-path "../vendor/gone" does not exist.',
      '3 error kustomize-load-restrictor kustomize refuses "../vendor/cm.yaml": the file is not in or below this kustomization\'s folder (load restrictor LoadRestrictionsRootOnly, which Argo CD uses). Reference its folder (with a kustomization) instead, or move the file.',
    ]);
  });

  it('only what kustomize would fetch is left alone: "a//b.yaml" is a local path, github.com/org/repo//x is remote', () => {
    const problems = lint({
      'app/kustomization.yaml': [
        'resources:',
        '  - github.com/org/repo//deploy?ref=v1',
        '  - https://example.com/remote.yaml',
        '  - git@gitlab.com:group/repo.git//x',
        '  - missing//gone.yaml',
        'patches:',
        '  - path: github.com/org/repo/patch.yaml',
        'bases:',
        '  - cm.yaml',
        '',
      ].join('\n'),
      'app/cm.yaml': CM('c'),
    });
    assert.deepEqual(lines(problems), [
      '4 error kustomize-missing-path "missing//gone.yaml" does not exist.',
      // a patch is loaded as a file: only http(s) URLs are fetched
      '6 error kustomize-missing-path "github.com/org/repo/patch.yaml" does not exist.',
    ]);
  });

  it('a file where kustomize needs a folder, and a folder where it needs a file, are reported as such', () => {
    const problems = lint({
      'app/kustomization.yaml': 'components:\n  - cm.yaml\npatches:\n  - path: d\n',
      'app/cm.yaml': CM('c'),
      'app/d/x.yaml': CM('x'),
    });
    assert.deepEqual(lines(problems), [
      '1 error kustomize-missing-path "cm.yaml" is a file; kustomize needs a folder with a kustomization here.',
      '3 error kustomize-missing-path "d" is a folder; kustomize needs a file here ("must resolve to a file").',
    ]);
  });

  it('agrees with kustomize on which entries are remote (cases run through kustomize v5.8.1 repospec.go and url.Parse)', () => {
    // [entry, NewRepoSpecFromURL succeeds, url.Parse gives http(s)]
    const cases: Array<[string, boolean, boolean]> = [
      ['github.com/org/repo//path?ref=v1', true, false],
      ['github.com/org/repo', true, false],
      ['https://github.com/org/repo//deploy?ref=v1.0', true, true],
      ['git@github.com:org/repo.git//x', true, false],
      ['ssh://git@host.example/org/repo.git//a?ref=b', true, false],
      ['https://example.com/remote.yaml', false, true],
      ['HTTPS://Example.com/x.yaml', false, true],
      ['file:///tmp/repo//sub', true, false],
      ['git::https://gitlab.com/org/repo.git//x', true, false],
      ['https://dev.azure.com/org/project/_git/repo//path', true, true],
      ['user@host/org/repo', true, false],
      ['github.com:org/repo', true, false],
      ['gh:org/repo', false, false],
      ['foo//bar.yaml', false, false],
      ['pipelines/', false, false],
      ['../base', false, false],
      ['github.com/org', false, false],
      ['github.com/org/repo//../x', false, false],
      ['git@host:repo', false, false],
      ['x?ref=v1', false, false],
      ['my-app.git/kustomization.yaml', false, false],
      ['https://example.com/a%zz', false, false],
      ['ftp://host/org/repo', false, false],
      ['https:/host/org/repo', false, true],
      ['http://host:8080/org/repo', true, true],
      ['http://host:port/x', false, false],
    ];
    for (const [entry, spec, http] of cases) {
      assert.equal(isGitRepoSpec(entry), spec, `repo spec: ${entry}`);
      assert.equal(isHttpUrl(entry), http, `http URL: ${entry}`);
    }
  });
});

describe('kustomization references and presence in Git', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  const FILES: RepoFiles = {
    '.gitignore': '*secret*.yml\n',
    'app/kustomization.yml': 'resources:\n  - external-secret.yml\n  - local-secret.yml\n',
    'app/external-secret.yml': 'kind: ExternalSecret\n',
    'app/local-secret.yml': 'kind: Secret\n',
  };
  const lint = () => new Linter(new RepositoryModel(repo.root)).run().filter((p) => p.rule === 'kustomize-missing-path');

  it('a force-added file is in the repository; an ignored, untracked one is an error', function () {
    requireTools(this, 'presence of force-added files from a real Git index', 'git');
    repo = makeRepo(FILES);
    git(repo.root, 'init', '-q');
    git(repo.root, 'add', '-A');
    git(repo.root, 'add', '-f', 'app/external-secret.yml');
    const problems = lint();
    assert.deepEqual(problems.map((p) => `${p.range.start.line} ${p.severity}`), ['2 error']);
    assert.match(problems[0]!.message, /"local-secret.yml" exists here but is not in Git: .gitignore ignores it and the index does not track it/);
  });

  it('outside Git both are warnings at most (either may have been force-added)', () => {
    repo = makeRepo(FILES);
    assert.deepEqual(lint().map((p) => `${p.range.start.line} ${p.severity}`), ['1 warning', '2 warning']);
  });

  it("asks the tree's injected file system, not Node's, what is on disk", () => {
    repo = makeRepo(FILES);
    const seen: string[] = [];
    const fsView: TreeFs = {
      ...nodeTreeFs,
      stat: (abs) => {
        seen.push(path.relative(repo.root, abs));
        // this view of the disk has no local-secret.yml
        if (abs.endsWith('local-secret.yml')) throw Object.assign(new Error('absent'), { code: 'ENOENT' });
        return nodeTreeFs.stat(abs);
      },
    };
    const problems = new Linter(new RepositoryModel(repo.root, { fs: fsView })).run().filter((p) => p.rule === 'kustomize-missing-path');
    assert.ok(seen.includes('app/external-secret.yml'));
    assert.deepEqual(problems.map((p) => `${p.range.start.line} ${p.severity} ${p.message}`), [
      '1 warning "external-secret.yml" exists here but .gitignore ignores it: Argo CD\'s clone has it only if it was force-added (git add -f). Presence is approximated (not inside a Git repository).',
      '2 error "local-secret.yml" does not exist.',
    ]);
  });

  it('the real case: kyleseneker/homelab force-adds external-secret.yml, which its .gitignore matches', function () {
    requireTools(this, 'presence of force-added files from a real Git index', 'git');
    const corpus = corpusPath('kyleseneker__homelab');
    const folder = 'k8s/clusters/homelabk8s01/infrastructure/etcd-backup';
    requireShared(this, 'a force-added file of kyleseneker/homelab', path.join(corpus, folder));
    repo = makeRepo({});
    fs.copyFileSync(path.join(corpus, '.gitignore'), path.join(repo.root, '.gitignore'));
    fs.cpSync(path.join(corpus, folder), path.join(repo.root, folder), { recursive: true });
    const before = lint();
    assert.deepEqual(before.map((p) => p.severity), ['warning'], 'outside Git: a warning, not an error');
    git(repo.root, 'init', '-q');
    git(repo.root, 'add', '-A');
    git(repo.root, 'add', '-f', `${folder}/external-secret.yml`);
    assert.deepEqual(lint(), [], 'force-added: present, as in the real repository');
  });
});
