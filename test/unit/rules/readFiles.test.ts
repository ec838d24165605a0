/**
 * The files Argo CD, kustomize and helm read — and only those — checked as each reads them:
 * kustomizations and every file they list, values files, generator files, directory-source
 * manifests, chart templates without actions, bootstrap manifests; Helm templates left alone;
 * Argo CD files nothing applies reported once, as an info, and nothing else about them.
 */
import { strict as assert } from 'node:assert';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import type { Problem } from '../../../src/core/problems';
import { Linter } from '../../../src/core/rules';
import { appset, makeRepo, type RepoFiles, type TempRepo } from '../../support/repo';

const REPO = 'https://example.com/home.git';
const PROJECT = 'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: apps}\nspec: {}\n';

/** An ApplicationSet generating one Application per folder of `pattern`, named after the folder. */
const DIRS = (name: string, pattern: string, source = '') =>
  appset(
    name,
    `  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - git:
        repoURL: ${REPO}
        revision: HEAD
        directories: [{path: '${pattern}'}]
  template:
    metadata: {name: '{{.path.basename}}'}
    spec:
      project: apps
      source: {repoURL: ${REPO}, path: '{{.path.path}}'${source}}
      destination: {server: https://kubernetes.default.svc, namespace: '{{.path.basename}}'}`,
  );

const APPLICATION = (name: string, path: string, extra = '') =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: apps\n  source:\n    repoURL: ${REPO}\n    path: ${path}${extra}\n  destination: {server: https://kubernetes.default.svc, namespace: ${name}}\n`;

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

describe('files read by Argo CD, kustomize and helm', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  const lint = (files: RepoFiles): Problem[] => {
    repo = makeRepo({ 'argocd/project.yaml': PROJECT, ...files });
    return new Linter(new RepositoryModel(repo.root)).run();
  };
  const at = (problems: Problem[], rule: string) => problems.filter((p) => p.rule === rule).map((p) => `${p.file}:${p.range.start.line + 1}`);

  describe('kustomizations (kustomize reads them with sigs.k8s.io/yaml)', () => {
    it('an unclosed flow sequence is an error at its line, once', () => {
      const p = lint({ 'apps/a/kustomization.yaml': 'resources: [\n  - cm.yaml\n', 'apps/a/cm.yaml': CM('a') });
      assert.deepEqual(at(p, 'yaml-syntax'), ['apps/a/kustomization.yaml:1']);
    });

    it('a helmCharts item indented one space too far is an error at that line (kustomize: "did not find expected \'-\' indicator")', () => {
      const text = 'helmCharts:\n  - name: app-template\n    repo: oci://ghcr.io/bjw-s-labs/helm\n    version: 4.6.2\n   - name: other\n    repo: oci://x\n';
      const p = lint({ 'apps/a/kustomization.yaml': text });
      assert.deepEqual(at(p, 'yaml-syntax'), ['apps/a/kustomization.yaml:5']);
      assert.equal(p.filter((x) => x.rule === 'schema').length, 0, 'no schema cascade from a document that does not parse');
    });

    it('a tab in the indentation is an error', () => {
      const p = lint({ 'apps/a/kustomization.yaml': 'resources:\n\t- cm.yaml\n', 'apps/a/cm.yaml': CM('a') });
      assert.deepEqual(at(p, 'yaml-syntax'), ['apps/a/kustomization.yaml:2']);
      assert.match(p.find((x) => x.rule === 'yaml-syntax')!.message, /tab/i);
    });

    it('a second resources block is kept by kustomize without a word: a warning that says the first is lost', () => {
      const p = lint({ 'apps/a/kustomization.yaml': 'resources:\n  - a.yaml\nnamespace: a\nresources:\n  - b.yaml\n', 'apps/a/a.yaml': CM('a'), 'apps/a/b.yaml': CM('b') });
      const w = p.filter((x) => x.rule === 'duplicate-key-last-wins');
      assert.deepEqual(at(p, 'duplicate-key-last-wins'), ['apps/a/kustomization.yaml:4']);
      assert.equal(w[0]!.severity, 'warning');
      assert.match(w[0]!.message, /first `resources:` \(line 1\) lists is not built.*prunes/);
      assert.equal(at(p, 'duplicate-key').length, 0);
    });
  });

  describe('files a kustomization lists', () => {
    it('a resource with a repeated key is an error: kustomize (kyaml) refuses it', () => {
      const p = lint({ 'apps/a/kustomization.yaml': 'resources:\n  - cm.yaml\n', 'apps/a/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n' });
      assert.deepEqual(at(p, 'duplicate-key'), ['apps/a/cm.yaml:5']);
      assert.equal(p.find((x) => x.rule === 'duplicate-key')!.severity, 'error');
    });

    it('a resource that does not parse is an error in that file; a patch file too', () => {
      const p = lint({
        'apps/a/kustomization.yaml': 'resources:\n  - cm.yaml\npatches:\n  - path: patch.yaml\n',
        'apps/a/cm.yaml': `${CM('a')}---\nfoo: [\n`,
        'apps/a/patch.yaml': 'metadata:\n  name: a\n labels: {}\n',
      });
      assert.deepEqual(at(p, 'yaml-syntax'), ['apps/a/cm.yaml:6', 'apps/a/patch.yaml:3']);
    });

    it('a Component under resources and a Kustomization under components are errors at the reference', () => {
      const p = lint({
        'base/kustomization.yaml': 'resources:\n  - cm.yaml\n',
        'base/cm.yaml': CM('base'),
        'comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nlabels:\n  - pairs: {a: b}\n',
        'apps/a/kustomization.yaml': 'resources:\n  - ../../base\n  - ../../comp\n',
        'apps/b/kustomization.yaml': 'resources:\n  - ../../base\ncomponents:\n  - ../../base\n  - ../../comp\n',
      });
      assert.deepEqual(at(p, 'kustomize-component-mismatch'), ['apps/a/kustomization.yaml:3', 'apps/b/kustomization.yaml:4']);
      assert.match(p.find((x) => x.file === 'apps/a/kustomization.yaml' && x.rule === 'kustomize-component-mismatch')!.message, /is a Component.*components/);
    });

    it('a values file listed under resources is an error at the reference; an object without a name at the object', () => {
      const p = lint({
        'apps/a/kustomization.yaml': 'resources:\n  - values.yaml\n  - cm.yaml\n',
        'apps/a/values.yaml': 'image:\n  tag: 1.0.0\n',
        'apps/a/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: x\n',
      });
      assert.deepEqual(at(p, 'kustomize-invalid-resource'), ['apps/a/cm.yaml:3', 'apps/a/kustomization.yaml:2']);
    });

    it('values files of helmCharts are read as helm reads them: broken YAML an error, a repeated key a warning', () => {
      const p = lint({
        'apps/a/kustomization.yaml': 'helmCharts:\n  - name: app-template\n    repo: oci://ghcr.io/bjw-s-labs/helm\n    version: 4.6.2\n    valuesFile: values.yaml\n    additionalValuesFiles: [extra.yaml]\n',
        'apps/a/values.yaml': 'controllers:\n  main:\n    replicas: 1\n    replicas: 2\n',
        'apps/a/extra.yaml': 'persistence:\n  config: {enabled: true\n',
      });
      assert.deepEqual(at(p, 'duplicate-key-last-wins'), ['apps/a/values.yaml:4']);
      assert.match(p.find((x) => x.rule === 'duplicate-key-last-wins')!.message, /Helm keeps only this one/);
      assert.deepEqual(at(p, 'yaml-syntax'), ['apps/a/extra.yaml:2']);
    });
  });

  describe('Application sources', () => {
    it('a plain directory: a broken manifest is an error; a broken file that does not look like a manifest is skipped, as Argo CD does', () => {
      const p = lint({
        'argocd/apps.yaml': DIRS('apps', 'apps/*'),
        'apps/a/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: [\n',
        'apps/a/notes.yaml': 'todo: [\n',
      });
      assert.deepEqual(at(p, 'yaml-syntax'), ['apps/a/cm.yaml:5']);
    });

    it('a Helm chart app: values.yaml and helm.valueFiles are read; templates with actions are not; a template without actions is', () => {
      const p = lint({
        'argocd/apps.yaml': DIRS('apps', 'apps/*', ', helm: {valueFiles: [prod.yaml]}'),
        'apps/a/Chart.yaml': 'apiVersion: v2\nname: a\nversion: 1.0.0\n',
        'apps/a/values.yaml': 'a: [\n',
        'apps/a/prod.yaml': 'b: 1\nb: 2\n',
        'apps/a/templates/cm.yaml': '{{- if .Values.a }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n{{- end }}\n',
        'apps/a/templates/pvc.yaml': 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  annotations:\n    a: x\n    a: y\n',
      });
      assert.deepEqual(at(p, 'yaml-syntax'), ['apps/a/values.yaml:1']);
      assert.deepEqual(at(p, 'duplicate-key-last-wins'), ['apps/a/prod.yaml:2', 'apps/a/templates/pvc.yaml:7']);
    });

    it('multi-source `$values` value files are read from this repository', () => {
      const multi = `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web, namespace: argocd}\nspec:\n  project: apps\n  sources:\n    - repoURL: https://charts.example.com\n      chart: web\n      targetRevision: 1.0.0\n      helm:\n        valueFiles: [$values/apps/web/values.yaml]\n    - repoURL: ${REPO}\n      targetRevision: HEAD\n      ref: values\n  destination: {server: https://kubernetes.default.svc, namespace: web}\n`;
      const p = lint({ 'argocd/apps.yaml': DIRS('other', 'other/*'), 'other/x/cm.yaml': CM('x'), 'argocd/web.yaml': multi, 'apps/web/values.yaml': 'image: {tag: 1\n' });
      assert.deepEqual(at(p, 'yaml-syntax'), ['apps/web/values.yaml:1']);
    });

    it('a git files generator input that does not parse is an error in that file', () => {
      const gen = appset('cfg', `  goTemplate: true\n  generators:\n    - git:\n        repoURL: ${REPO}\n        revision: HEAD\n        files: [{path: 'apps/*/config.json'}]\n  template:\n    metadata: {name: '{{.name}}'}\n    spec: {project: apps, source: {repoURL: ${REPO}, path: '{{.path.path}}'}, destination: {server: s, namespace: '{{.name}}'}}`);
      const p = lint({ 'argocd/cfg.yaml': gen, 'apps/a/config.json': '{"name": "a",\n "x": [1, 2}\n', 'apps/a/cm.yaml': CM('a') });
      assert.deepEqual(at(p, 'yaml-syntax'), ['apps/a/config.json:2']);
    });

    it('a file nobody reads is not checked', () => {
      const p = lint({ 'argocd/apps.yaml': DIRS('apps', 'apps/*'), 'apps/a/cm.yaml': CM('a'), 'docs/example.yaml': 'a: [\nb: 1\nb: 2\n' });
      assert.deepEqual(p.filter((x) => x.file === 'docs/example.yaml'), []);
    });
  });

  describe('Helm chart templates are Go templates, not YAML', () => {
    const wrapped = `{{- if not .Values.image }}\n${appset('wb', `  goTemplate: true\n  generators:\n    - git:\n        repoURL: ${REPO}\n        revision: HEAD\n        directories: [{path: "{{ \`{{ .path.path }}\` }}"}]\n  template:\n    metadata: {name: x}\n    spec: {project: apps, destination: {server: s, namespace: x}}`)}{{- end }}\n`;

    it('an ApplicationSet in a chart template gives one info and no YAML error, in lint and in the model', () => {
      const p = lint({ 'argocd/apps.yaml': DIRS('apps', 'charts/*'), 'charts/wb/Chart.yaml': 'apiVersion: v2\nname: wb\nversion: 1.0.0\n', 'charts/wb/templates/appset.yaml': wrapped });
      const mine = p.filter((x) => x.file === 'charts/wb/templates/appset.yaml');
      assert.deepEqual(mine.map((x) => `${x.rule}:${x.severity}:${x.range.start.line + 1}`), ['helm-template-manifest:info:2']);
      const model = new RepositoryModel(repo.root);
      assert.deepEqual(model.problems().filter((x) => x.rule === 'yaml-syntax'), []);
      assert.ok(!model.appsets().some((e) => e.appset.name === 'wb'));
    });

    it('a templates folder that is not a chart\'s is read as usual', () => {
      const p = lint({ 'templates/appset.yaml': wrapped });
      assert.ok(at(p, 'yaml-syntax').length > 0);
    });
  });

  describe('Argo CD files nothing applies', () => {
    const kustomizeApp = { 'argocd/apps.yaml': DIRS('apps', 'apps/*'), 'apps/a/kustomization.yaml': 'resources:\n  - deploy.yaml\n', 'apps/a/deploy.yaml': CM('a') };

    it('an application.yaml beside a kustomization that does not list it: one info, no duplicate-app-name, no other problem', () => {
      const p = lint({ ...kustomizeApp, 'apps/a/application.yaml': APPLICATION('a', 'apps/a', '\n    helm: {releaseName: [oops]}') });
      assert.deepEqual(
        p.filter((x) => x.file === 'apps/a/application.yaml').map((x) => `${x.rule}:${x.severity}:${x.range.start.line + 1}`),
        ['not-applied:info:1'],
      );
      assert.match(p.find((x) => x.rule === 'not-applied')!.message, /renders only what its kustomization lists/);
      assert.equal(at(p, 'duplicate-app-name').length, 0);
    });

    it('listed by the kustomization, the same file is applied: its duplicate name is an error', () => {
      const p = lint({ ...kustomizeApp, 'apps/a/kustomization.yaml': 'resources:\n  - deploy.yaml\n  - application.yaml\n', 'apps/a/application.yaml': APPLICATION('a', 'apps/a') });
      assert.deepEqual(at(p, 'not-applied'), []);
      assert.deepEqual(at(p, 'duplicate-app-name'), ['apps/a/application.yaml:4']);
    });

    it('a bootstrap file outside every Application source is applied by hand: its problems are reported', () => {
      const p = lint({ ...kustomizeApp, 'bootstrap/root.yaml': `${APPLICATION('root', 'argocd')}metadata:\n  name: again\n` });
      assert.deepEqual(at(p, 'not-applied'), []);
      assert.deepEqual(at(p, 'duplicate-key-last-wins'), ['bootstrap/root.yaml:12']);
    });

    it('a directory source whose include leaves a file out does not apply it; an ApplicationSet there generates nothing to report', () => {
      const p = lint({
        'argocd/apps.yaml': DIRS('apps', 'apps/*', ", directory: {include: 'manifest.yaml'}"),
        'apps/a/manifest.yaml': CM('a'),
        'apps/a/graveyard.yaml': appset('old', `  goTemplate: true\n  generators:\n    - list: {elements: [{nm: a}]}\n  template:\n    metadata: {name: '{{.nm | nope}}'}\n    spec: {project: apps, destination: {server: s, namespace: ns}}`),
      });
      assert.deepEqual(
        p.filter((x) => x.file === 'apps/a/graveyard.yaml').map((x) => x.rule),
        ['not-applied'],
      );
    });
  });
});

describe('YAML 1.1 as Kubernetes reads Argo CD manifests', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it('`goTemplate: yes` and `<<:` merge keys are what kubectl makes of them: no schema error, Applications named by the template', () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: media, namespace: argocd}
spec:
  goTemplate: yes
  goTemplateOptions: ["missingkey=error"]
  generators:
    - git:
        repoURL: ${REPO}
        revision: HEAD
        directories: [{path: 'apps/*'}]
  template:
    metadata:
      name: '{{.path.basename}}'
    spec:
      project: apps
      source: &src
        repoURL: ${REPO}
        path: '{{.path.path}}'
      destination:
        <<: &dest {server: 'https://kubernetes.default.svc'}
        namespace: '{{.path.basename}}'
      syncPolicy:
        automated: {prune: on, selfHeal: yes}
`;
    repo = makeRepo({ 'argocd/project.yaml': PROJECT, 'argocd/media.yaml': text, 'apps/sonarr/cm.yaml': CM('sonarr') });
    const model = new RepositoryModel(repo.root);
    assert.deepEqual(model.apps().map((a) => [a.name, a.destinationServer]), [['sonarr', 'https://kubernetes.default.svc']]);
    const problems = new Linter(model).run().filter((p) => p.severity !== 'info');
    assert.deepEqual(problems, []);
  });
});

describe('Argo CD manifests rendered by kustomize', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it('`goTemplate: yes` in a file a kustomization lists is the string "yes" after kustomize (YAML 1.2): a schema error that says so', () => {
    const text = `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: media, namespace: argocd}\nspec:\n  goTemplate: yes\n  generators:\n    - list: {elements: [{nm: a}]}\n  template:\n    metadata: {name: '{{.nm}}'}\n    spec: {project: apps, destination: {server: 'https://kubernetes.default.svc', namespace: media}}\n`;
    repo = makeRepo({ 'argocd/project.yaml': PROJECT, 'argocd/kustomization.yaml': 'resources:\n  - project.yaml\n  - media.yaml\n', 'argocd/media.yaml': text });
    const schema = new Linter(new RepositoryModel(repo.root)).run().filter((p) => p.rule === 'schema');
    assert.deepEqual(schema.map((p) => `${p.file}:${p.range.start.line + 1}`), ['argocd/media.yaml:5']);
    assert.match(schema[0]!.message, /kustomize reads YAML 1\.2: `yes` stays the string "yes".*Write `true`/);
    repo.cleanup();
    // Applied by hand (no kustomization lists it), kubectl reads YAML 1.1: true.
    repo = makeRepo({ 'argocd/project.yaml': PROJECT, 'argocd/media.yaml': text });
    assert.deepEqual(new Linter(new RepositoryModel(repo.root)).run().filter((p) => p.rule === 'schema'), []);
  });
});

describe('placeholders Add App leaves to fill in', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  const lint = (files: RepoFiles): Problem[] => {
    repo = makeRepo({ 'argocd/project.yaml': PROJECT, 'argocd/apps.yaml': DIRS('apps', 'apps/*'), ...files });
    return new Linter(new RepositoryModel(repo.root)).run().filter((p) => p.rule === 'placeholder-unfilled');
  };
  const KUSTOMIZATION = 'helmCharts:\n  - name: app-template\n    repo: oci://ghcr.io/bjw-s-labs/helm\n    version: 4.6.2\n    releaseName: a\n    valuesFile: values.yaml\n';

  it('a value still `<image tag>` in a values file helm reads: a warning at the value, quoted or not, in mappings and lists', () => {
    const values = 'image:\n  repository: <image repository>\n  tag: "<image tag>"\nhosts:\n  - <hosts entry>\n';
    const p = lint({ 'apps/a/kustomization.yaml': KUSTOMIZATION, 'apps/a/values.yaml': values });
    assert.deepEqual(
      p.map((x) => `${x.file}:${x.range.start.line}:${x.range.start.character} ${x.severity}`),
      ['apps/a/values.yaml:1:14 warning', 'apps/a/values.yaml:2:7 warning', 'apps/a/values.yaml:4:4 warning'],
    );
    assert.match(p[0]!.message, /"<image repository>" is a placeholder left to fill in: helm would take the text as it is/);
  });

  it('in a manifest a kustomization lists, kustomize is named', () => {
    const p = lint({ 'apps/a/kustomization.yaml': 'resources: [pvc.yaml]\n', 'apps/a/pvc.yaml': 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: a\nspec:\n  storageClassName: <storage class>\n' });
    assert.deepEqual(p.map((x) => `${x.file}:${x.range.start.line}`), ['apps/a/pvc.yaml:5']);
    assert.match(p[0]!.message, /kustomize would take the text as it is/);
  });

  it('says nothing of angle brackets inside a longer text, of comments, or of files nothing reads', () => {
    const values = '# repository: <image repository>\nnote: "use <name> here"\nhtml: <b>bold</b>\nempty: <>\nnumber: <1>\n';
    assert.deepEqual(lint({ 'apps/a/kustomization.yaml': KUSTOMIZATION, 'apps/a/values.yaml': values, 'docs/example.yaml': 'image: <image tag>\n' }), []);
  });
});
