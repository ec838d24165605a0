/**
 * What the engine takes from a file's content and from editor buffers: bytes that are not UTF-8
 * are an error where a consumer reads them (kustomize, helm and Argo CD all refuse them), never
 * a name with U+FFFD in it; UTF-16 with a byte-order mark is text (kustomize reads it); and an
 * editor buffer adds only what the CLI would see.
 */
import { strict as assert } from 'node:assert';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import type { Problem } from '../../../src/core/problems';
import { Linter } from '../../../src/core/rules';
import { decodeText, firstInvalidUtf8 } from '../../../src/core/workspace/textDecode';
import { git } from '../../support/git';
import { appset, makeRepo, type TempRepo } from '../../support/repo';
import { requireTools } from '../../support/shared';

const LIST_APPSET = (elements: string) =>
  appset(
    'list',
    `  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - list:
        elements: ${elements}
  template:
    metadata: {name: '{{.name}}'}
    spec:
      project: default
      source: {repoURL: https://example.com/repo.git, path: apps}
      destination: {server: https://kubernetes.default.svc, namespace: default}`,
  );

const FILES_APPSET = appset(
  'files',
  `  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - git:
        repoURL: https://example.com/repo.git
        revision: HEAD
        files:
          - path: 'envs/*.json'
  template:
    metadata: {name: '{{.name}}'}
    spec:
      project: default
      source: {repoURL: https://example.com/repo.git, path: apps}
      destination: {server: https://kubernetes.default.svc, namespace: default}`,
);

const latin1 = (text: string) => Buffer.from(text, 'latin1');

describe('file content: UTF-8, and editor buffers', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  const byRule = (problems: Problem[], rule: string) => problems.filter((p) => p.rule === rule);

  it('an ApplicationSet that is not UTF-8 is an error at its first bad byte, and yields no app named with U+FFFD', () => {
    repo = makeRepo({ 'argocd/list.yaml': latin1(LIST_APPSET('[{name: café}]')) });
    const model = new RepositoryModel(repo.root);
    assert.deepEqual(model.apps(), []);
    const p = byRule(model.problems(), 'invalid-utf8');
    assert.equal(p.length, 1);
    assert.equal(p[0]!.severity, 'error');
    assert.equal(p[0]!.file, 'argocd/list.yaml');
    assert.deepEqual(p[0]!.range.start, { line: 10, character: 29 }, 'the é of café');
    assert.match(p[0]!.message, /not valid UTF-8 \(line 11, column 30\)/);
  });

  it('a files-generator file that is not UTF-8: the error is in that file, the generator says why it stops', () => {
    repo = makeRepo({ 'argocd/files.yaml': FILES_APPSET, 'envs/a.json': '{"name": "alpha"}', 'envs/b.json': latin1('{\n  "name": "café"\n}') });
    const model = new RepositoryModel(repo.root);
    assert.ok(!model.apps().some((a) => a.name.includes('\uFFFD')));
    const utf8 = byRule(model.problems(), 'invalid-utf8');
    assert.deepEqual(utf8.map((p) => [p.file, p.range.start.line, p.range.start.character]), [['envs/b.json', 1, 14]]);
    assert.match(byRule(model.problems(), 'generator-file')[0]?.message ?? '', /unable to process file 'envs\/b.json': this file is not valid UTF-8/);
  });

  it('a kustomization that is not UTF-8 is an error (kustomize: "invalid Kustomization"); one in UTF-16 is read', () => {
    repo = makeRepo({
      'bad/kustomization.yaml': latin1('# café\nresources: [missing.yaml]\n'),
      'utf16/kustomization.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('resources:\n  - gone.yaml\n', 'utf16le')]),
    });
    const problems = new Linter(new RepositoryModel(repo.root)).run();
    assert.deepEqual(byRule(problems, 'invalid-utf8').map((p) => [p.file, p.range.start.line, p.range.start.character]), [['bad/kustomization.yaml', 0, 5]]);
    // the UTF-16 one is read: its missing resource is found
    assert.deepEqual(byRule(problems, 'kustomize-missing-path').map((p) => p.file), ['utf16/kustomization.yaml']);
    assert.deepEqual(byRule(problems, 'binary-file'), []);
  });

  it('finds the first bad byte as validators do (overlongs, surrogates, truncated sequences)', () => {
    const cases: Array<[number[], number]> = [
      [[0x61, 0xc3, 0xa9, 0x62], 4],
      [[0x61, 0xe9, 0x62], 1],
      [[0xc0, 0xaf], 0],
      [[0x61, 0xed, 0xa0, 0x80], 1],
      [[0xf4, 0x90, 0x80, 0x80], 0],
      [[0x61, 0x62, 0xe2, 0x82], 2],
      [[0xf0, 0x9f, 0x9a, 0x80, 0xff], 4],
    ];
    for (const [bytes, offset] of cases) assert.equal(firstInvalidUtf8(Buffer.from(bytes)), offset, JSON.stringify(bytes));
    const d = decodeText(Buffer.from('🚀 x\nab\xe9', 'latin1'));
    assert.equal(d.ok, false);
    const multi = decodeText(Buffer.concat([Buffer.from('🚀 x: '), Buffer.from([0xe9])]));
    assert.deepEqual(multi.ok ? undefined : multi.position, { line: 0, character: 6 }, 'columns in UTF-16 code units (the rocket is two)');
  });

  it('a buffer of an ApplicationSet Git ignores adds no app; a buffer of a new file Git would have does', () => {
    repo = makeRepo({ '.gitignore': 'scratch/\n', 'scratch/appset.yaml': LIST_APPSET('[{name: from-ignored}]'), 'argocd/keep.yaml': 'a: 1\n' });
    const model = new RepositoryModel(repo.root);
    assert.deepEqual(model.apps(), [], 'the CLI sees no app');
    model.setOverlay('scratch/appset.yaml', LIST_APPSET('[{name: from-ignored-edited}]'));
    assert.deepEqual(model.apps(), [], 'opening and editing the ignored file changes nothing');
    model.setOverlay('scratch/new.yaml', LIST_APPSET('[{name: new-ignored}]'));
    assert.deepEqual(model.apps(), [], 'a new file in an ignored folder is ignored too');
    model.setOverlay('argocd/new.yaml', LIST_APPSET('[{name: brand-new}]'));
    assert.deepEqual(model.apps().map((a) => a.name), ['brand-new'], 'a new file Git would have counts before it is saved');
    // and a rebuild (a .gitignore change) keeps to the same rule
    repo.write('.gitignore', 'scratch/\n# changed\n');
    model.applyChanges(['.gitignore']);
    assert.deepEqual(model.apps().map((a) => a.name), ['brand-new']);
  });

  it('in a Git repository, a buffer of an ignored file counts once the file is tracked', function () {
    requireTools(this, 'presence from a real Git index', 'git');
    repo = makeRepo({ '.gitignore': '*.local.yaml\n', 'argocd/apps.local.yaml': LIST_APPSET('[{name: tracked}]'), 'argocd/other.local.yaml': LIST_APPSET('[{name: untracked}]') });
    git(repo.root, 'init', '-q');
    git(repo.root, 'add', '-A');
    git(repo.root, 'add', '-f', 'argocd/apps.local.yaml');
    const model = new RepositoryModel(repo.root);
    model.setOverlay('argocd/apps.local.yaml', LIST_APPSET('[{name: tracked-edited}]'));
    model.setOverlay('argocd/other.local.yaml', LIST_APPSET('[{name: untracked-edited}]'));
    assert.deepEqual(model.apps().map((a) => a.name), ['tracked-edited']);
  });
});
