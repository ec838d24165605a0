import { strict as assert } from 'node:assert';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { Linter } from '../../../src/core/rules';
import { normalizeRepoUrl } from '../../../src/core/model/repositoryIdentity';
import type { Problem } from '../../../src/core/problems';
import { appset, makeRepo, type RepoFiles, type TempRepo } from '../../support/repo';

const REPO = 'https://github.com/me/home-ops.git';

/** A git directories ApplicationSet over `pattern`; `sources` is the template's source block. */
const DIRS = (pattern: string, sources = `source: {repoURL: ${REPO}, path: '{{.path.path}}'}`) =>
  appset(
    'apps',
    `  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - git:
        repoURL: ${REPO}
        revision: HEAD
        directories:
          - path: '${pattern}'
  template:
    metadata: {name: '{{.path.basename}}'}
    spec:
      project: default
      ${sources}
      destination: {server: https://kubernetes.default.svc, namespace: '{{.path.basename}}'}`,
  );

const APPLICATION = (source: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: root, namespace: argocd}
spec:
  project: default
  ${source}
  destination: {server: https://kubernetes.default.svc, namespace: argocd}
`;

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n';

describe('rules on Application sources', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  const lint = (files: RepoFiles): Problem[] => {
    repo = makeRepo(files);
    return new Linter(new RepositoryModel(repo.root)).run();
  };
  const only = (problems: Problem[], rule: string) => problems.filter((p) => p.rule === rule);
  const where = (p: Problem) => `${p.file}:${p.range.start.line} ${p.severity}`;

  describe('which repoURL is this repository', () => {
    it('normalises the spellings of one repository to one', () => {
      const one = normalizeRepoUrl('https://github.com/me/home-ops.git');
      for (const u of ['git@github.com:me/home-ops.git', 'ssh://git@github.com:22/me/home-ops', 'https://user@GitHub.com/me/home-ops/', 'github.com/me/home-ops']) assert.equal(normalizeRepoUrl(u), one, u);
      assert.notEqual(normalizeRepoUrl('https://github.com/me/other.git'), one);
    });
  });

  describe('application-path-missing', () => {
    it('reports a standalone Application whose path is not in this repository (known from .git/config)', () => {
      const problems = lint({
        '.git/config': '[core]\n\tbare = false\n[remote "origin"]\n\turl = git@github.com:me/home-ops.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n',
        'argocd/root.yaml': APPLICATION(`source: {repoURL: ${REPO}, path: cluster/argocd/appz}`),
        'cluster/argocd/apps/a.yaml': DEPLOYMENT,
      });
      const p = only(problems, 'application-path-missing');
      assert.deepEqual(p.map(where), ['argocd/root.yaml:5 error']);
      assert.match(p[0]!.message, /"cluster\/argocd\/appz" does not exist in this repository \(cluster\/argocd does\): Argo CD fails the Application \("app path does not exist"\)/);
    });

    it('says nothing for a path that exists (written ./x/ or through a symlinked folder), the root, or a repository it does not know', () => {
      const problems = lint({
        '.git/config': '[remote "origin"]\n\turl = https://github.com/me/home-ops\n',
        'argocd/a.yaml': APPLICATION(`source: {repoURL: ${REPO}, path: ./cluster/apps/}`),
        'argocd/b.yaml': APPLICATION(`source: {repoURL: ${REPO}, path: .}`).replace('name: root', 'name: b'),
        'argocd/c.yaml': APPLICATION('source: {repoURL: https://github.com/someone/else.git, path: not/here}').replace('name: root', 'name: c'),
        'argocd/d.yaml': APPLICATION(`source: {repoURL: ${REPO}, path: linked}`).replace('name: root', 'name: d'),
        'argocd/e.yaml': APPLICATION(`sources: [{repoURL: https://charts.example.com, chart: x, targetRevision: 1.0.0}, {repoURL: ${REPO}, ref: values}]`).replace('name: root', 'name: e'),
        'cluster/apps/a.yaml': DEPLOYMENT,
        linked: { symlink: 'cluster/apps' },
      });
      assert.deepEqual(only(problems, 'application-path-missing'), []);
    });

    it('says nothing without evidence of which repository this is', () => {
      assert.deepEqual(only(lint({ 'argocd/root.yaml': APPLICATION(`source: {repoURL: ${REPO}, path: nowhere}`) }), 'application-path-missing'), []);
    });

    it('reports a path that is a file, and a generated source path, at the ApplicationSet field, knowing the repository from its git generator', () => {
      const problems = lint({
        'argocd/apps.yaml': DIRS('apps/*', `sources:\n        - {repoURL: ${REPO}, path: '{{.path.path}}'}\n        - {repoURL: ${REPO}, path: shared/bsae}`),
        'argocd/root.yaml': APPLICATION(`source: {repoURL: ${REPO}, path: apps/one/deploy.yaml}`),
        'apps/one/deploy.yaml': DEPLOYMENT,
        'apps/two/deploy.yaml': DEPLOYMENT,
        'shared/base/deploy.yaml': DEPLOYMENT,
      });
      const p = only(problems, 'application-path-missing');
      assert.deepEqual(p.map(where), ['argocd/apps.yaml:20 error', 'argocd/root.yaml:5 error']);
      assert.match(p[0]!.message, /^For apps\/one, apps\/two: "shared\/bsae" does not exist in this repository \(shared does\)/);
      assert.match(p[1]!.message, /"apps\/one\/deploy.yaml" is a file, not a folder: Argo CD fails the Application \("app path is not a directory"\)/);
    });
  });

  describe('app-dir-empty', () => {
    it('warns when a generated folder has nothing Argo CD renders: only a values.yaml (no kind), or nothing of YAML at all', () => {
      const problems = lint({
        'argocd/apps.yaml': DIRS('apps/*'),
        'apps/good/deploy.yaml': DEPLOYMENT,
        'apps/values-only/values.yaml': 'replicas: 1\nimage:\n  repository: ghcr.io/x/y\n',
        'apps/readme-only/README.md': '# to do\n',
        'apps/chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 1.0.0\n',
        'apps/kustomize/kustomization.yaml': 'resources: []\n',
      });
      const p = only(problems, 'app-dir-empty');
      // In the folder, where the person adding the app works and the fix goes.
      assert.deepEqual(p.map(where).sort(), ['apps/readme-only/README.md:0 warning', 'apps/values-only/values.yaml:0 warning']);
      assert.match(p.map((x) => x.message).join('\n'), /^Application readme-only \(ApplicationSet apps, argocd\/apps.yaml:1\) deploys apps\/readme-only, which has nothing Argo CD can render — no kustomization, no Chart.yaml, no manifest: it has no .yaml\/.yml\/.json file at its top. The Application syncs nothing.$/m);
      assert.match(p.map((x) => x.message).join('\n'), /^Application values-only .* deploys apps\/values-only, which has nothing .*: Argo CD ignores values.yaml \(a mapping without a `kind`\)\. The Application syncs nothing\.$/m);
    });

    it("says nothing of a folder a Config Management Plugin claims or may claim: Argo CD asks the plugins first", () => {
      const cmp = (name: string, discover: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argocd-cmp-cm}\ndata:\n  plugin.yaml: |\n    apiVersion: argoproj.io/v1alpha1\n    kind: ConfigManagementPlugin\n    metadata: {name: ${name}}\n    spec:\n      generate: {command: [sh, -c, cue export]}\n      discover:\n${discover}`;
      const files = {
        'argocd/apps.yaml': DIRS('apps/*'),
        'apps/cue/app.cue': 'package x\n',
        'apps/cue/values.yaml': 'replicas: 1\n',
        'apps/plain/values.yaml': 'replicas: 1\n',
      };
      // Without a plugin both folders are empty; a fileName rule claims the one with a .cue file only.
      assert.deepEqual(only(lint(files), 'app-dir-empty').map(where).sort(), ['apps/cue/values.yaml:0 warning', 'apps/plain/values.yaml:0 warning']);
      const withCue = { ...files, 'argocd/cmp.yaml': cmp('cue', '        fileName: "*.cue"\n') };
      assert.deepEqual(only(lint(withCue), 'app-dir-empty').map(where), ['apps/plain/values.yaml:0 warning']);
      // A discover command may claim anything: only running it answers, so nothing is said.
      const withCommand = { ...files, 'argocd/cmp.yaml': cmp('probe', '        find:\n          command: [sh, -c, "ls *.jsonnet"]\n') };
      assert.deepEqual(only(lint(withCommand), 'app-dir-empty'), []);
    });

    it("reads no file of a folder a plugin claims as a plain directory's manifest, and reads again when the plugin changes", () => {
      const cmp = (fileName: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argocd-cmp-cm}\ndata:\n  plugin.yaml: |\n    apiVersion: argoproj.io/v1alpha1\n    kind: ConfigManagementPlugin\n    metadata: {name: tmpl}\n    spec:\n      generate: {command: [sh, -c, render]}\n      discover:\n        fileName: "${fileName}"\n`;
      const files = {
        'argocd/apps.yaml': DIRS('apps/*'),
        'argocd/cmp.yaml': cmp('*.tmpl'),
        'apps/web/app.tmpl': 'x\n',
        // A template a plugin fills in: no YAML until it runs.
        'apps/web/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: [[ .name ]]\n',
      };
      repo = makeRepo(files);
      const model = new RepositoryModel(repo.root);
      const syntax = () => new Linter(model).run().filter((p) => p.file === 'apps/web/deploy.yaml' && p.rule === 'yaml-syntax');
      assert.deepEqual(syntax(), [], 'the plugin reads the folder, not Argo CD as manifests');
      // The plugin's rule changed in the editor: the folder is a plain directory again, its broken manifest an error.
      model.update({ overlays: new Map([['argocd/cmp.yaml', cmp('*.cue')]]) });
      assert.equal(syntax().length, 1);
      model.update({ overlays: new Map([['argocd/cmp.yaml', undefined]]) });
      assert.deepEqual(syntax(), []);
    });

    it('is an error when the source says helm: (kustomize:) and the folder has no Chart.yaml (kustomization): the tool fails', () => {
      const problems = lint({
        'argocd/charts.yaml': DIRS('charts/*', `source: {repoURL: ${REPO}, path: '{{.path.path}}', helm: {valueFiles: [values.yaml]}}`).replace('name: apps', 'name: charts'),
        'argocd/kust.yaml': DIRS('kust/*', `source: {repoURL: ${REPO}, path: '{{.path.path}}', kustomize: {namePrefix: x-}}`).replace('name: apps', 'name: kust'),
        'charts/ok/Chart.yaml': 'apiVersion: v2\nname: ok\nversion: 1.0.0\n',
        'charts/new/values.yaml': 'image: {tag: 1.0.0}\n',
        'kust/ok/kustomization.yaml': 'resources: []\n',
        'kust/new/deploy.yaml': DEPLOYMENT,
      });
      const p = only(problems, 'app-dir-empty');
      assert.deepEqual(p.map(where).sort(), ['charts/new/values.yaml:0 error', 'kust/new/deploy.yaml:0 error']);
      assert.match(p.map((x) => x.message).join('\n'), /with helm, as its source says, but the folder has no Chart.yaml: helm fails \("Chart.yaml file is missing"\)/);
    });

    it("decides by each file's first document, as Argo CD's decoder does", () => {
      const problems = lint({
        'argocd/apps.yaml': DIRS('apps/*'),
        // Renders: a comment-only head before the first document, CRLF line ends, JSON.
        'apps/head/a.yaml': '# generated\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
        'apps/crlf/a.yaml': '---\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: x}\r\n',
        'apps/json-in-yaml/a.yaml': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}\n',
        'apps/json/a.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}\n',
        // Does not: `kind: yes` is a boolean to sigs.k8s.io/yaml; an empty kind is no kind.
        'apps/bool-kind/a.yaml': 'kind: yes\nreplicas: 1\n',
        'apps/empty-kind/a.yaml': "---\nkind: ''\nreplicas: 1\n",
      });
      assert.deepEqual(only(problems, 'app-dir-empty').map((p) => p.file).sort(), ['apps/bool-kind/a.yaml', 'apps/empty-kind/a.yaml']);
    });

    it('is an error at a values.yaml that embeds manifests: Argo CD does not skip it and fails the Application', () => {
      const values = 'replicas: 1\nextraObjects:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: x}\n';
      const problems = lint({ 'argocd/apps.yaml': DIRS('apps/*'), 'apps/one/values.yaml': values, 'apps/one/deploy.yaml': DEPLOYMENT });
      const p = only(problems, 'app-dir-empty');
      assert.deepEqual(p.map(where), ['apps/one/values.yaml:0 error']);
      assert.match(p[0]!.message, /fails the Application: its first document is a mapping without a `kind` \("Object 'Kind' is missing"\), and the file holds `apiVersion:`, `kind:` and `metadata:`/);
    });

    it("follows the source's directory options, and a multi-source Application with a chart is never empty", () => {
      const problems = lint({
        'argocd/apps.yaml': DIRS('apps/*', `source: {repoURL: ${REPO}, path: '{{.path.path}}', directory: {recurse: true, include: 'manifests/*.yaml'}}`),
        'argocd/charts.yaml': DIRS('charts/*', `sources:\n        - {repoURL: https://charts.example.com, chart: app, targetRevision: 1.0.0}\n        - {repoURL: ${REPO}, targetRevision: HEAD, ref: values}\n        - {repoURL: ${REPO}, path: '{{.path.path}}', directory: {include: 'manifests/*.yaml'}}`).replace('name: apps', 'name: charts'),
        'apps/nested/manifests/deploy.yaml': DEPLOYMENT,
        'apps/flat/deploy.yaml': DEPLOYMENT,
        'charts/a/values.yaml': 'replicas: 1\n',
      });
      const p = only(problems, 'app-dir-empty');
      assert.deepEqual(p.map((x) => x.file), ['apps/flat/deploy.yaml']);
      assert.match(p[0]!.message, /it has no .yaml\/.yml\/.json file that include\/exclude lets through/);
    });

    it('follows edits and new files between lint runs of one Linter (results are kept only while their inputs hold)', () => {
      repo = makeRepo({ 'argocd/apps.yaml': DIRS('apps/*'), 'apps/a/values.yaml': 'replicas: 1\n', 'apps/b/deploy.yaml': DEPLOYMENT, 'argocd/root.yaml': APPLICATION(`source: {repoURL: ${REPO}, path: later}`) });
      const model = new RepositoryModel(repo.root);
      const linter = new Linter(model);
      const rules = () => linter.run().filter((p) => p.rule === 'app-dir-empty' || p.rule === 'application-path-missing').map((p) => `${p.rule} ${p.file}`);
      assert.deepEqual(rules(), ['app-dir-empty apps/a/values.yaml', 'application-path-missing argocd/root.yaml']);
      model.setOverlay('apps/a/values.yaml', DEPLOYMENT);
      assert.deepEqual(rules(), ['application-path-missing argocd/root.yaml'], 'the edited file is judged again');
      repo.write('later/deploy.yaml', DEPLOYMENT);
      model.applyChanges(['later/deploy.yaml']);
      assert.deepEqual(rules(), [], 'the new folder is seen');
    });

    it('says nothing for a folder of another repository', () => {
      const other = 'https://github.com/someone/else.git';
      const problems = lint({ 'argocd/apps.yaml': DIRS('apps/*', `source: {repoURL: ${other}, path: '{{.path.path}}'}`), 'apps/values-only/values.yaml': 'replicas: 1\n', 'apps/a/x.yaml': DEPLOYMENT });
      assert.deepEqual(only(problems, 'app-dir-empty'), []);
    });
  });
});
