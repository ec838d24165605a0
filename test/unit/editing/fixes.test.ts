import { strict as assert } from 'node:assert';
import { disableNextLineEdit } from '../../../src/core/editing/fixes';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import type { Problem } from '../../../src/core/problems';
import { Linter } from '../../../src/core/rules';
import { applyTextEdits } from '../../support/lspClient';
import { appset, makeRepo, type RepoFiles, type TempRepo } from '../../support/repo';

const APPSET = (name: string, opts = '  goTemplateOptions: ["missingkey=error"]\n', extra = '') =>
  appset(
    'media',
    `  goTemplate: true
${opts}  generators:
    - git:
        repoURL: https://example.com/repo.git
        revision: HEAD
        directories:
          - path: apps/media/*
  template:
    metadata:
      name: ${name}
    spec:
      project: default
      source: {repoURL: https://example.com/repo.git, path: '{{.path.path}}'}
      destination: {server: https://kubernetes.default.svc, namespace: media}
${extra}`,
  );

describe('editing: quick fixes the rules attach to problems', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  const lint = (files: RepoFiles): Problem[] => {
    repo = makeRepo(files);
    return new Linter(new RepositoryModel(repo.root)).run();
  };
  const fixed = (files: RepoFiles, file: string, rule: string): { text: string; problem: Problem } => {
    const problem = lint(files).find((p) => p.rule === rule && p.file === file);
    assert.ok(problem, `a ${rule} problem`);
    const fix = problem.fixes?.[0];
    assert.ok(fix, `${rule} carries a fix`);
    return { text: applyTextEdits(files[file] as string, fix.edits.filter((e) => e.file === file)), problem };
  };
  const APPS = { 'apps/media/Jellyfin/kustomization.yaml': 'resources: []\n', 'apps/media/Radarr/kustomization.yaml': 'resources: []\n' };

  it('kustomize-missing-path: a near-miss file name is corrected to the rule’s suggestion', () => {
    const files = { 'app/kustomization.yaml': 'resources:\n  - deploymnet.yaml\n', 'app/deployment.yaml': 'kind: Deployment\n' };
    const { text, problem } = fixed(files, 'app/kustomization.yaml', 'kustomize-missing-path');
    assert.equal(problem.fixes![0]!.title, 'Change to "deployment.yaml"');
    assert.equal(text, 'resources:\n  - deployment.yaml\n');
  });

  it('kustomize-missing-path: `key=path` entries change only the path part', () => {
    const files = { 'app/kustomization.yaml': 'configMapGenerator:\n  - name: c\n    files:\n      - "config.yml=confg.yml"\n', 'app/config.yml': 'a: 1\n' };
    assert.equal(fixed(files, 'app/kustomization.yaml', 'kustomize-missing-path').text, 'configMapGenerator:\n  - name: c\n    files:\n      - "config.yml=config.yml"\n');
  });

  it('kustomize-missing-path on a valuesFile: create the empty file beside the kustomization, never over an existing one', () => {
    const files = { 'apps/x/kustomization.yaml': 'helmCharts:\n  - name: app-template\n    valuesFile: values.yaml\n' };
    const p = lint(files).find((x) => x.rule === 'kustomize-missing-path')!;
    assert.deepEqual(p.fixes, [{ title: 'Create values.yaml (an empty values file)', edits: [], create: [{ file: 'apps/x/values.yaml', content: '' }] }]);
    // Git-ignored but on disk: creating would clobber it, so no fix.
    const ignored = lint({ ...files, '.gitignore': 'values.yaml\n', 'apps/x/values.yaml': 'secret: 1\n' }).find((x) => x.rule === 'kustomize-missing-path')!;
    assert.equal(ignored.fixes, undefined);
  });

  it('invalid-app-name from a template: `| lower` on every action, checked against every generated app', () => {
    const files = { 'argocd/media.yaml': APPSET("'media-{{.path.basename}}'"), ...APPS };
    const { text, problem } = fixed(files, 'argocd/media.yaml', 'invalid-app-name');
    assert.match(problem.fixes![0]!.title, /^Lower-case the Application name/);
    assert.ok(text.includes("name: 'media-{{.path.basename | lower}}'"));
  });

  it('invalid-app-name: normalize where lower case is not enough; a literal is lower-cased', () => {
    const underscored = { 'argocd/media.yaml': APPSET("'{{.path.basename}}'"), 'apps/media/My_App/kustomization.yaml': 'resources: []\n' };
    assert.ok(fixed(underscored, 'argocd/media.yaml', 'invalid-app-name').text.includes("name: '{{.path.basename | normalize}}'"));
    const literal = { 'argocd/media.yaml': APPSET('Media'), 'apps/media/a/kustomization.yaml': 'resources: []\n' };
    assert.ok(fixed(literal, 'argocd/media.yaml', 'invalid-app-name').text.includes('      name: media\n'));
  });

  it('invalid-app-name: no fix when the name comes from somewhere else (templatePatch)', () => {
    const files = { 'argocd/media.yaml': APPSET("'{{.path.basename | lower}}'", undefined, "  templatePatch: |\n    metadata:\n      name: '{{ .path.basename }}'\n"), ...APPS };
    const p = lint(files).filter((x) => x.rule === 'invalid-app-name');
    assert.ok(p.length > 0);
    assert.ok(p.every((x) => x.fixes === undefined));
  });

  it('missingkey-error: adds goTemplateOptions after `goTemplate: true`, with its indentation', () => {
    const files = { 'argocd/media.yaml': APPSET("'{{.path.basename}}'", ''), 'apps/media/a/kustomization.yaml': 'resources: []\n' };
    const { text } = fixed(files, 'argocd/media.yaml', 'missingkey-error');
    assert.ok(text.includes('spec:\n  goTemplate: true\n  goTemplateOptions: ["missingkey=error"]\n  generators:\n'));
  });

  it('missingkey-error: fills an empty list, and leaves options the user chose alone', () => {
    const empty = { 'argocd/media.yaml': APPSET("'{{.path.basename}}'", '  goTemplateOptions: []\n'), 'apps/media/a/kustomization.yaml': 'resources: []\n' };
    assert.ok(fixed(empty, 'argocd/media.yaml', 'missingkey-error').text.includes('  goTemplateOptions: ["missingkey=error"]\n'));
    const zero = { 'argocd/media.yaml': APPSET("'{{.path.basename}}'", '  goTemplateOptions: ["missingkey=zero"]\n'), 'apps/media/a/kustomization.yaml': 'resources: []\n' };
    const p = lint(zero).find((x) => x.rule === 'missingkey-error')!;
    assert.equal(p.fixes, undefined);
  });

  describe('disable-next-line comment', () => {
    it('goes above the line, indented like it', () => {
      const text = 'resources:\n  - a.yaml\n';
      const e = disableNextLineEdit(text, 1, 'kustomize-missing-path')!;
      assert.equal(applyTextEdits(text, [e]), 'resources:\n  # home-ops-disable-next-line kustomize-missing-path\n  - a.yaml\n');
    });

    it('joins a comment already there, once', () => {
      const text = 'a:\n  # home-ops-disable-next-line schema\n  b: 1\n';
      const e = disableNextLineEdit(text, 2, 'template-error')!;
      assert.equal(applyTextEdits(text, [e]), 'a:\n  # home-ops-disable-next-line schema, template-error\n  b: 1\n');
      assert.equal(disableNextLineEdit(text, 2, 'schema'), undefined);
    });

    it('is not offered inside a block scalar, where a comment would become text', () => {
      const text = 'spec:\n  templatePatch: |\n    spec:\n      project: x\n';
      assert.equal(disableNextLineEdit(text, 3, 'template-error'), undefined);
      assert.ok(disableNextLineEdit(text, 1, 'template-error'));
    });
  });
  describe('template names: "did you mean" the parameter or function that is there', () => {
    const files = (name: string, opts?: string) => ({ 'argocd/media.yaml': APPSET(name, opts), 'apps/media/jellyfin/kustomization.yaml': 'resources: []\n', 'apps/media/radarr/kustomization.yaml': 'resources: []\n' });

    it('template-error (missingkey=error): `.path.basenam` becomes `.path.basename`, and the appset then generates its apps', () => {
      const { text, problem } = fixed(files("'{{.path.basenam}}'"), 'argocd/media.yaml', 'template-error');
      assert.equal(problem.fixes![0]!.title, 'Change "basenam" to "basename"');
      assert.match(text, /name: '\{\{\.path\.basename\}\}'/);
      repo.cleanup();
      assert.deepEqual(lint({ ...files("'{{.path.basename}}'") }).filter((p) => p.severity === 'error'), []);
    });

    it('the misspelt key is the one fixed, wherever it is in the chain (`.pth.basename`)', () => {
      const { text, problem } = fixed(files("'{{ .pth.basename }}'"), 'argocd/media.yaml', 'template-error');
      assert.equal(problem.fixes![0]!.title, 'Change "pth" to "path"');
      assert.match(text, /name: '\{\{ \.path\.basename \}\}'/);
    });

    it('a function Argo CD does not have: `uppr` becomes `upper`', () => {
      const { text } = fixed(files("'{{ .path.basename | uppr }}'"), 'argocd/media.yaml', 'template-error');
      assert.match(text, /name: '\{\{ \.path\.basename \| upper \}\}'/);
    });

    it('unknown-parameter (no missingkey=error) carries the same fix', () => {
      const { text } = fixed(files("'{{.path.basenme}}'", ''), 'argocd/media.yaml', 'unknown-parameter');
      assert.match(text, /name: '\{\{\.path\.basename\}\}'/);
    });

    it('nothing close, or a dot that is not the parameters (inside range): no fix rather than a wrong one', () => {
      const far = lint(files("'{{.path.somethingelse}}'")).find((p) => p.rule === 'template-error');
      assert.ok(far);
      assert.equal(far.fixes, undefined);
      const ranged = lint(files("'{{range .path.segments}}{{.basenam}}{{end}}'")).find((p) => p.rule === 'template-error');
      assert.ok(ranged, 'inside range the dot is a segment: still an error');
      assert.equal(ranged.fixes, undefined);
    });
  });
});
