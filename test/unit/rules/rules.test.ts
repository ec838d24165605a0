import { strict as assert } from 'node:assert';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { isRuleId, Linter, RULES } from '../../../src/core/rules';
import { readSettings } from '../../../src/server/settings';
import type { Problem } from '../../../src/core/problems';
import { EXAMPLE_REPO, SEED_CORPUS, appset, makeRepo, type RepoFiles, type TempRepo } from '../../support/repo';
import { requireShared } from '../../support/shared';

const DIR_APPSET = (name: string, pattern: string, opts = '  goTemplateOptions: ["missingkey=error"]\n', nameTmpl = `${name}-{{.path.basename}}`, ns = '{{.path.basename}}') =>
  appset(
    name,
    `  goTemplate: true
${opts}  generators:
    - git:
        repoURL: https://example.com/repo.git
        revision: HEAD
        directories:
          - path: '${pattern}'
  template:
    metadata:
      name: '${nameTmpl}'
    spec:
      project: apps
      source: {repoURL: https://example.com/repo.git, path: '{{.path.path}}'}
      destination: {server: https://kubernetes.default.svc, namespace: '${ns}'}
      syncPolicy: {syncOptions: [CreateNamespace=true]}`,
  );

const PROJECT = 'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: apps}\nspec: {}\n';

describe('lint rules', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  const lint = (files: RepoFiles, severities = {}): Problem[] => {
    repo = makeRepo({ 'argocd/project.yaml': PROJECT, ...files });
    return new Linter(new RepositoryModel(repo.root)).run({ severities });
  };
  const only = (problems: Problem[], rule: string) => problems.filter((p) => p.rule === rule);

  it('every rule has a unique id, a description and a severity', () => {
    const ids = RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const r of RULES) {
      assert.match(r.id, /^[a-z0-9-]+$/);
      assert.ok(r.description.length > 10, r.id);
    }
  });

  it('rule ids are the rule table\'s: an id it does not list is no RuleId, and settings or comments naming one change nothing', () => {
    // Checked by tsc: were Problem['rule'] a plain string again, this directive would fail the typecheck.
    // @ts-expect-error 'no-such-rule' is not in the rule table
    const typo: Problem['rule'] = 'no-such-rule';
    assert.equal(isRuleId(typo), false);
    for (const r of RULES) assert.ok(isRuleId(r.id), r.id);
    assert.deepEqual(readSettings({ rules: { 'no-such-rule': 'off', 'missingkey-error': 'error', 'namespace-mismatch': 'loud' } }).rules, { 'missingkey-error': 'error' });
    const files = { 'argocd/a.yaml': DIR_APPSET('media', 'apps/*', '').replace('  goTemplate: true', '  # home-ops-disable-next-line no-such-rule\n  goTemplate: true'), 'apps/x/k.yaml': 'a: 1' };
    assert.equal(only(lint(files), 'missingkey-error').length, 1, 'a comment naming no rule suppresses nothing');
  });

  it('generator-path-no-match: a pattern that matches no directory', () => {
    const p = only(lint({ 'argocd/a.yaml': DIR_APPSET('media', 'apps/medai/*'), 'apps/media/x/k.yaml': 'a: 1' }), 'generator-path-no-match');
    assert.equal(p.length, 1);
    assert.equal(p[0]!.file, 'argocd/a.yaml');
    assert.equal(p[0]!.range.start.line, 13);
    assert.match(p[0]!.message, /No directory matches "apps\/medai\/\*"/);
  });

  it('uncovered-app-dir: a folder beside generated ones that nothing generates', () => {
    const problems = lint({
      'argocd/a.yaml': appset('m', `  goTemplate: true\n  generators:\n    - git:\n        repoURL: x\n        revision: HEAD\n        directories: [{path: apps/one}, {path: apps/two}, {path: apps/skip, exclude: true}]\n  template:\n    metadata: {name: '{{.path.basename}}'}\n    spec: {project: apps, source: {repoURL: x, path: '{{.path.path}}'}, destination: {server: s, namespace: '{{.path.basename}}'}}`),
      'apps/one/kustomization.yaml': 'resources: []\n',
      'apps/two/kustomization.yaml': 'resources: []\n',
      'apps/three/kustomization.yaml': 'resources: []\n',
      'apps/skip/kustomization.yaml': 'resources: []\n',
      'apps/docs/README.md': '# not an app\n',
    });
    const p = only(problems, 'uncovered-app-dir');
    assert.deepEqual(p.map((x) => x.file), ['apps/three/kustomization.yaml']);
    assert.match(p[0]!.message, /No ApplicationSet generates an Application for apps\/three, although 2 folders beside it are generated/);
  });

  const FILES_APPSET = (selector = '', path = '{{.path.path}}') =>
    appset(
      'cfg',
      `  goTemplate: true\n  goTemplateOptions: ["missingkey=error"]\n  generators:\n    - git:\n        repoURL: x\n        revision: HEAD\n        files: [{path: 'apps/*/config.yaml'}]\n${selector}  template:\n    metadata: {name: '{{.path.basename}}'}\n    spec: {project: apps, source: {repoURL: x, path: '${path}'}, destination: {server: s, namespace: '{{.path.basename}}'}}`,
    );

  it('uncovered-app-dir: a folder whose generator input a selector drops on purpose is not reported', () => {
    const problems = lint({
      'argocd/a.yaml': FILES_APPSET(`      selector:\n        matchLabels: {enabled: "true"}\n`),
      'apps/on/config.yaml': 'enabled: "true"\n',
      'apps/on/kustomization.yaml': 'resources: []\n',
      'apps/off/config.yaml': 'enabled: "false"\n',
      'apps/off/kustomization.yaml': 'resources: []\n',
      'apps/stray/kustomization.yaml': 'resources: []\n',
    });
    assert.deepEqual(only(problems, 'uncovered-app-dir').map((x) => x.file), ['apps/stray/kustomization.yaml']);
  });

  it('uncovered-app-dir: matchExpressions that drop a folder count as on purpose too', () => {
    const problems = lint({
      'argocd/a.yaml': FILES_APPSET(`      selector:\n        matchExpressions: [{key: enabled, operator: NotIn, values: ["false"]}]\n`),
      'apps/on/config.yaml': 'enabled: true\n',
      'apps/on/kustomization.yaml': 'resources: []\n',
      'apps/off/config.yaml': 'enabled: false\n',
      'apps/off/kustomization.yaml': 'resources: []\n',
    });
    assert.deepEqual(only(problems, 'uncovered-app-dir'), []);
  });

  it('uncovered-app-dir: a folder holding the generator input of an app that deploys another path is covered', () => {
    // Helm from a chart repository with `$values` from the app folder: the Application's path is
    // elsewhere (or absent), but the folder is the app's, and Argo CD reads its values.
    const problems = lint({
      'argocd/a.yaml': FILES_APPSET('', '{{.src}}'),
      'apps/local/config.yaml': 'src: apps/local\n',
      'apps/local/kustomization.yaml': 'resources: []\n',
      'apps/chart/config.yaml': 'src: shared/chart\n',
      'apps/chart/values.yaml': 'replicas: 1\n',
      'shared/chart/kustomization.yaml': 'resources: []\n',
      'apps/stray/values.yaml': 'replicas: 1\n',
    });
    assert.deepEqual(only(problems, 'uncovered-app-dir').map((x) => x.file), ['apps/stray/values.yaml']);
  });

  it('uncovered-app-dir: not for a folder whose generator input the template fails on (template-error says so)', () => {
    const cfg = appset('cfg', `  goTemplate: true\n  goTemplateOptions: ["missingkey=error"]\n  generators:\n    - git:\n        repoURL: x\n        revision: HEAD\n        files: [{path: 'apps/*/config.yaml'}]\n  template:\n    metadata: {name: '{{.name}}-{{.version}}'}\n    spec: {project: apps, source: {repoURL: x, path: '{{.path.path}}'}, destination: {server: s, namespace: '{{.name}}'}}`);
    const problems = lint({
      'argocd/a.yaml': cfg,
      'apps/one/config.yaml': 'name: one\nversion: "1"\n',
      'apps/one/kustomization.yaml': 'resources: []\n',
      'apps/two/config.yaml': 'name: two\n',
      'apps/two/kustomization.yaml': 'resources: []\n',
    });
    assert.equal(only(problems, 'template-error').length, 1);
    assert.deepEqual(only(problems, 'uncovered-app-dir'), []);
  });

  it('unknown-parameter: without missingkey=error, a misspelt parameter would render <no value>', () => {
    const p = only(lint({ 'argocd/a.yaml': DIR_APPSET('media', 'apps/*', '', 'media-{{.path.basenam}}'), 'apps/x/k.yaml': 'a: 1' }), 'unknown-parameter');
    assert.equal(p.length, 1);
    assert.equal(p[0]!.range.start.line, 15);
    assert.equal(p[0]!.range.start.character, 26, 'underlines the failing field inside the string');
    assert.match(p[0]!.message, /map has no entry for key "basenam".*<no value>/);
  });

  it('unknown-parameter: a legacy tag the generator does not give stays in the Application', () => {
    const p = only(
      lint({
        'argocd/a.yaml': appset('legacy', `  generators:\n    - git:\n        repoURL: x\n        revision: HEAD\n        directories: [{path: 'apps/*'}]\n  template:\n    metadata: {name: '{{path.basename}}-{{path.nope}}'}\n    spec: {project: apps, destination: {server: s, namespace: ns}}`),
        'apps/x/k.yaml': 'a: 1',
      }),
      'unknown-parameter',
    );
    assert.equal(p.length, 1);
    assert.match(p[0]!.message, /"path.nope" is not a parameter of this generator/);
  });

  it('invalid-app-name: upper case, too long, bad namespace', () => {
    const problems = lint({ 'argocd/a.yaml': DIR_APPSET('media', 'apps/*', undefined, '{{.path.basename}}', '{{.path.basename}}_ns'), 'apps/Jelly/k.yaml': 'a: 1', [`apps/${'a'.repeat(70)}/k.yaml`]: 'a: 1' });
    const p = only(problems, 'invalid-app-name');
    assert.equal(p.length, 4, p.map((x) => x.message).join('\n'));
    assert.ok(p.some((x) => /"Jelly" is not a valid Application name.*"jelly"/.test(x.message)));
    assert.ok(p.some((x) => /has 70 characters; .* 63/.test(x.message)));
    assert.ok(p.some((x) => /namespace "Jelly_ns" is not a valid namespace name/.test(x.message)));
  });

  it('duplicate-app-name: two ApplicationSets generating the same Application', () => {
    const problems = lint({
      'argocd/a.yaml': DIR_APPSET('a', 'apps/*', undefined, '{{.path.basename}}'),
      'argocd/b.yaml': DIR_APPSET('b', 'more/*', undefined, '{{.path.basename}}'),
      'apps/same/k.yaml': 'a: 1',
      'more/same/k.yaml': 'a: 1',
    });
    const p = only(problems, 'duplicate-app-name');
    assert.equal(p.length, 1);
    assert.equal(p[0]!.file, 'argocd/b.yaml');
    assert.match(p[0]!.message, /Application "same" .* is also generated by ApplicationSet a \(argocd\/a.yaml:1\)/);
  });

  it('missingkey-error: goTemplate without missingkey=error is an info', () => {
    const p = only(lint({ 'argocd/a.yaml': DIR_APPSET('media', 'apps/*', ''), 'apps/x/k.yaml': 'a: 1' }), 'missingkey-error');
    assert.equal(p.length, 1);
    assert.equal(p[0]!.severity, 'info');
    assert.equal(p[0]!.range.start.line, 6);
  });

  it('kustomize-missing-path: missing resources, values files and generator files, with did-you-mean', () => {
    const problems = lint({
      'app/kustomization.yaml': [
        'resources:',
        '  - deployment.yaml',
        '  - servce.yaml',
        '  - https://example.com/remote.yaml',
        '  - ../components/base',
        'helmCharts:',
        '  - name: app-template',
        '    repo: oci://ghcr.io/bjw-s-labs/helm',
        '    valuesFile: value.yaml',
        '    additionalValuesFiles: [extra.yaml]',
        'configMapGenerator:',
        '  - name: cfg',
        '    files: [config.toml=files/config.toml]',
        'patches:',
        '  - path: patch.yaml',
        '  - patch: |-',
        '      - op: add',
        '',
      ].join('\n'),
      'app/deployment.yaml': 'kind: Deployment\n',
      'app/service.yaml': 'kind: Service\n',
      'app/values.yaml': 'a: 1\n',
      'app/extra.yaml': 'a: 1\n',
      'components/base/README.md': 'no kustomization here\n',
    });
    const p = only(problems, 'kustomize-missing-path');
    assert.deepEqual(
      p.map((x) => `${x.range.start.line} ${x.message}`),
      [
        '2 "servce.yaml" does not exist; did you mean "service.yaml"?',
        '4 "../components/base" is a folder without a kustomization.yaml; kustomize can only build folders that have one.',
        '8 "value.yaml" does not exist; did you mean "values.yaml"?',
        '12 "files/config.toml" does not exist.',
        '14 "patch.yaml" does not exist.',
      ],
    );
  });

  it('kustomize-missing-path: outside Git, a file .gitignore matches may be force-added: a warning, never an error', () => {
    const p = only(lint({ '.gitignore': 'secret.yaml\n', 'app/kustomization.yaml': 'resources: [secret.yaml]\n', 'app/secret.yaml': 'kind: Secret\n' }), 'kustomize-missing-path');
    assert.equal(p.length, 1);
    assert.equal(p[0]!.severity, 'warning');
    assert.match(p[0]!.message, /exists here but .gitignore ignores it: Argo CD's clone has it only if it was force-added \(git add -f\)/);
  });

  it('kustomize-load-restrictor and path-escapes-repo', () => {
    const problems = lint({
      'app/kustomization.yaml': 'resources:\n  - ../shared/cm.yaml\n  - ../../outside\n  - ../shared\n',
      'shared/cm.yaml': 'kind: ConfigMap\n',
      'shared/kustomization.yaml': 'resources: [cm.yaml]\n',
    });
    assert.equal(only(problems, 'kustomize-load-restrictor')[0]?.range.start.line, 1);
    assert.equal(only(problems, 'path-escapes-repo')[0]?.range.start.line, 2);
    assert.equal(only(problems, 'kustomize-missing-path').length, 0);
  });

  it("kustomize-load-restrictor: silent when the repository's Argo CD runs kustomize with LoadRestrictionsNone", () => {
    const outside = { 'app/kustomization.yaml': 'resources:\n  - ../shared/cm.yaml\n', 'shared/cm.yaml': 'kind: ConfigMap\n' };
    const argocdCm = (options: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n  namespace: argocd\ndata:\n  kustomize.buildOptions: ${options}\n`;
    assert.deepEqual(only(lint({ ...outside, 'bootstrap/argocd-cm.yaml': argocdCm('--enable-helm --load-restrictor LoadRestrictionsNone') }), 'kustomize-load-restrictor'), []);
    repo.cleanup();
    const helmValues = 'configs:\n  cm:\n    kustomize.buildOptions: "--enable-helm --load-restrictor=LoadRestrictionsNone"\n';
    assert.deepEqual(only(lint({ ...outside, 'bootstrap/argocd/values.yaml': helmValues }), 'kustomize-load-restrictor'), []);
    repo.cleanup();
    // Options that keep the restrictor (or set it back: kustomize keeps the last value) change nothing.
    assert.equal(only(lint({ ...outside, 'bootstrap/argocd-cm.yaml': argocdCm('--enable-helm') }), 'kustomize-load-restrictor').length, 1);
    repo.cleanup();
    assert.equal(only(lint({ ...outside, 'bootstrap/argocd-cm.yaml': argocdCm('--load-restrictor=LoadRestrictionsNone --load-restrictor LoadRestrictionsRootOnly') }), 'kustomize-load-restrictor').length, 1);
  });

  it('binary-file, and nothing else, for a kustomization that holds binary data', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const withText = Buffer.concat([Buffer.from('namespace: other\nresources:\n  - missing.yaml\n'), Buffer.from([0, 1, 2, 0xff])]);
    const problems = lint({ 'argocd/a.yaml': DIR_APPSET('media', 'apps/*', undefined, 'media-{{.path.basename}}', 'media'), 'apps/png/kustomization.yaml': png, 'apps/mixed/kustomization.yaml': withText });
    const about = (file: string) => problems.filter((p) => p.file === file).map((p) => `${p.severity} ${p.rule}`);
    assert.deepEqual(about('apps/png/kustomization.yaml'), ['warning binary-file']);
    assert.deepEqual(about('apps/mixed/kustomization.yaml'), ['warning binary-file']);
  });

  it('namespace-mismatch: a kustomization namespace other than the destination', () => {
    const p = only(lint({ 'argocd/a.yaml': DIR_APPSET('media', 'apps/*', undefined, 'media-{{.path.basename}}', 'media'), 'apps/x/kustomization.yaml': 'namespace: other\nresources: []\n' }), 'namespace-mismatch');
    assert.equal(p.length, 1);
    assert.match(p[0]!.message, /deploys to namespace "media" \(and creates it: CreateNamespace=true\), but this kustomization moves every resource to "other"/);
  });

  it('source-and-sources and unknown-project on a standalone Application', () => {
    const problems = lint({ 'argocd/app.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: x}\nspec:\n  project: nope\n  source: {repoURL: a}\n  sources: [{repoURL: b}]\n  destination: {server: s, namespace: ns}\n' });
    assert.equal(only(problems, 'source-and-sources')[0]?.range.start.line, 5);
    const up = only(problems, 'unknown-project');
    assert.equal(up.length, 1);
    assert.match(up[0]!.message, /No AppProject named "nope" in the repository \(it defines apps\)/);
  });

  it('unknown-project: a templated project names, for a new category, an AppProject nobody wrote', () => {
    const problems = lint({
      'argocd/a.yaml': DIR_APPSET('cats', 'apps/*/*', undefined, '{{.path.basename}}', '{{index .path.segments 1}}').replace('project: apps', "project: '{{index .path.segments 1}}'"),
      'argocd/media.yaml': PROJECT.replace('name: apps', 'name: media'),
      'apps/media/sonarr/k.yaml': 'a: 1',
      'apps/games/minecraft/k.yaml': 'a: 1',
    });
    const up = only(problems, 'unknown-project');
    assert.deepEqual(up.map((p) => `${p.file}:${p.range.start.line}`), ['argocd/a.yaml:18']);
    assert.match(up[0]!.message, /For apps\/games\/minecraft: the Application's project "games" is defined by no AppProject in the repository \(it defines apps, media\)/);
  });

  it('honours severity settings and suppression comments', () => {
    const files = {
      'argocd/a.yaml': DIR_APPSET('media', 'apps/*', '').replace('  goTemplate: true', '  # home-ops-disable-next-line missingkey-error\n  goTemplate: true'),
      'argocd/b.yaml': '# home-ops-disable-file generator-path-no-match\n' + DIR_APPSET('b', 'nothing/*'),
      'apps/x/k.yaml': 'a: 1',
    };
    const problems = lint(files);
    assert.deepEqual(only(problems, 'missingkey-error'), []);
    assert.deepEqual(only(problems, 'generator-path-no-match'), []);
    repo.cleanup();
    const raised = lint({ 'argocd/a.yaml': DIR_APPSET('media', 'apps/*', ''), 'apps/x/k.yaml': 'a: 1' }, { 'missingkey-error': 'error' });
    assert.equal(only(raised, 'missingkey-error')[0]?.severity, 'error');
    repo.cleanup();
    const off = lint({ 'argocd/a.yaml': DIR_APPSET('media', 'apps/*', ''), 'apps/x/k.yaml': 'a: 1' }, { 'missingkey-error': 'off' });
    assert.deepEqual(only(off, 'missingkey-error'), []);
  });

  it('reports nothing on the example repository', () => {
    const problems = new Linter(new RepositoryModel(EXAMPLE_REPO)).run();
    assert.deepEqual(problems.map((p) => `${p.file}:${p.range.start.line} ${p.rule} ${p.message}`), []);
  });

  it('on the seed corpus: no error, and exactly the warnings documented here', function () {
    requireShared(this, 'lint of the seed corpus', SEED_CORPUS);
    const problems = new Linter(new RepositoryModel(SEED_CORPUS)).run();
    assert.deepEqual(problems.filter((p) => p.severity === 'error'), []);
    // The one warning is right: kagent's kustomization sets `namespace: kagent` (with its own
    // Namespace resource) while the ai ApplicationSet deploys every app to "ai", so Argo CD
    // shows and creates "ai" for an app whose resources all live in "kagent".
    assert.deepEqual(
      problems.map((p) => `${p.file}:${p.range.start.line + 1} ${p.severity} ${p.rule}`),
      ['pitower/kubernetes/apps/ai/kagent/kustomization.yaml:5 warning namespace-mismatch'],
    );
  });
});

describe('schema rule and Red Hat YAML', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\nhelmCharts:\n  - name: app\n    repo: https://charts.example.com\n    valuesMerge: merge\n    chartVersion: 1.0.0\n';
  const schemaProblems = (files: RepoFiles, mode?: 'auto' | 'always' | 'never', redHatYamlActive?: boolean) => {
    repo = makeRepo(files);
    return new Linter(new RepositoryModel(repo.root)).run({ ...(mode ? { schemaValidation: mode } : {}), ...(redHatYamlActive !== undefined ? { redHatYamlActive } : {}) }).filter((p) => p.rule === 'schema');
  };

  it('underlines an unknown field with a did-you-mean, and accepts every helmCharts field', () => {
    const p = schemaProblems({ 'app/kustomization.yaml': KUSTOMIZATION });
    assert.equal(p.length, 1, JSON.stringify(p));
    assert.deepEqual(p[0]!.range, { start: { line: 7, character: 4 }, end: { line: 7, character: 16 } });
    assert.match(p[0]!.message, /chartVersion/);
  });

  it('leaves a file with a $schema modeline to Red Hat YAML in auto mode when Red Hat YAML runs, so no error shows twice', () => {
    const withModeline = `# yaml-language-server: $schema=https://json.schemastore.org/kustomization.json\n${KUSTOMIZATION}`;
    assert.deepEqual(schemaProblems({ 'app/kustomization.yaml': withModeline }, 'auto', true), []);
    repo.cleanup();
    assert.equal(schemaProblems({ 'app/kustomization.yaml': withModeline }, 'always', true).length, 1);
    repo.cleanup();
    assert.deepEqual(schemaProblems({ 'app/kustomization.yaml': KUSTOMIZATION }, 'never'), []);
  });

  it('checks a file with a $schema modeline in auto mode when no Red Hat YAML runs (CI, an editor without it)', () => {
    const withModeline = `# yaml-language-server: $schema=https://json.schemastore.org/kustomization.json\n${KUSTOMIZATION}`;
    assert.equal(schemaProblems({ 'app/kustomization.yaml': withModeline }).length, 1);
    repo.cleanup();
    assert.equal(schemaProblems({ 'app/kustomization.yaml': withModeline }, 'auto', false).length, 1);
  });

  it('checks ApplicationSet templates: a template in a boolean field is an error', () => {
    const p = schemaProblems({
      'a.yaml': appset('x', `  goTemplate: true\n  generators:\n    - list: {elements: [{nm: a}]}\n  template:\n    metadata: {name: '{{.nm}}'}\n    spec:\n      project: default\n      destination: {server: s, namespace: ns}\n      syncPolicy:\n        automated:\n          prune: '{{.prune}}'`),
    });
    assert.equal(p.length, 1, JSON.stringify(p));
    assert.equal(p[0]!.range.start.line, 16);
    assert.match(p[0]!.message, /`prune` must be a boolean/);
  });
});
