/**
 * Completion and hover in Helm values files, from the chart each is for (the app-template
 * fixture from a chart cache; the umbrella fixture's dependencies under their alias).
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { completions } from '../../../src/core/editing/completion';
import { hover } from '../../../src/core/editing/hover';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { CHART_FIXTURES, fixtureStore, folderFiles } from '../../support/chartArchive';
import { makeRepo, type RepoFiles, type TempRepo } from '../../support/repo';

const OCI = 'oci://ghcr.io/bjw-s-labs/helm';

function at(marked: string): { text: string; offset: number } {
  const i = marked.indexOf('§');
  return { text: marked.slice(0, i) + marked.slice(i + 1), offset: i };
}

describe('editing: values files know their chart', () => {
  let repo: TempRepo;
  let model: RepositoryModel;
  before(() => {
    const files: RepoFiles = {
      '.git/config': '[remote "origin"]\n\turl = https://github.com/me/home-ops.git\n',
      'apps/sonarr/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nhelmCharts:\n  - name: app-template\n    repo: ${OCI}\n    version: 4.6.2\n    valuesFile: values.yaml\n`,
      'apps/sonarr/values.yaml': 'controllers:\n  sonarr:\n    type: deployment\n',
      'apps/other/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nhelmCharts:\n  - name: app-template\n    repo: ${OCI}\n    version: 9.9.9\n    valuesFile: values.yaml\n`,
      'apps/other/values.yaml': 'controllers: {}\n',
      'argocd/umbrella.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: umbrella, namespace: argocd}\nspec:\n  project: default\n  source: {repoURL: https://github.com/me/home-ops.git, path: charts/umbrella, targetRevision: HEAD}\n  destination: {server: https://kubernetes.default.svc, namespace: web}\n`,
    };
    for (const dir of ['umbrella', 'app-template']) for (const [rel, bytes] of folderFiles(path.join(CHART_FIXTURES, dir))) files[`charts/${dir}/${rel}`] = bytes;
    repo = makeRepo(files);
    model = new RepositoryModel(repo.root, { charts: fixtureStore([{ repo: OCI, dir: 'app-template', version: '4.6.2' }, { repo: 'https://charts.example.test', dir: 'plain', version: '1.2.0' }]) });
  });
  after(() => repo.cleanup());

  it('completes the keys of a nested mapping from the schema ($ref followed), with type, description and default', () => {
    const items = completions({ file: 'apps/sonarr/values.yaml', model, ...at('controllers:\n  sonarr:\n    type: deployment\n    §\n') });
    const labels = items.map((i) => i.label).sort();
    assert.deepEqual(labels, ['annotations', 'containers', 'enabled', 'pod', 'replicas']);
    const containers = items.find((i) => i.label === 'containers');
    assert.match(containers?.detail ?? '', /^object · app-template 4\.6\.2$/);
    assert.match(containers?.documentation ?? '', /The containers of the pod, by name/);
    assert.equal(containers?.insertText, 'containers:\n  $0');
  });

  it('completes top-level keys with the default and the comment from the chart’s values.yaml', () => {
    const items = completions({ file: 'apps/sonarr/values.yaml', model, ...at('controllers:\n  sonarr:\n    type: deployment\n§\n') });
    const pod = items.find((i) => i.label === 'defaultPodOptions');
    assert.ok(pod, items.map((i) => i.label).join(','));
    assert.match(pod.documentation ?? '', /Default: `\{"restartPolicy":"Always","securityContext":\{\}\}`/);
    assert.match(pod.documentation ?? '', /> Options every controller's pod starts from/);
    assert.ok(!items.some((i) => i.label === 'controllers'), 'a key already present is not offered');
  });

  it('completes enum values', () => {
    const items = completions({ file: 'apps/sonarr/values.yaml', model, ...at('controllers:\n  sonarr:\n    type: §\n') });
    assert.deepEqual(items.map((i) => i.label), ['deployment', 'statefulset', 'daemonset', 'cronjob', 'job']);
  });

  it('hover shows the description, the default and its comment', () => {
    const text = 'defaultPodOptions:\n  restartPolicy: Never\n';
    const h = hover({ file: 'apps/sonarr/values.yaml', model, text, offset: text.indexOf('restartPolicy') + 2 });
    assert.ok(h);
    assert.match(h.markdown, /\*\*`defaultPodOptions\.restartPolicy`\*\* · `string` — chart app-template 4\.6\.2/);
    assert.match(h.markdown, /What the kubelet does when a container exits\./);
    assert.equal(h.markdown.match(/What the kubelet does when a container exits/g)?.length, 1, 'the comment that repeats the description is not shown twice');
    assert.match(h.markdown, /Default: `"Always"`/);
    assert.equal(text.slice(h.start, h.end), 'restartPolicy');
  });

  it("in an umbrella chart's values.yaml, a key under an alias is described by that dependency's chart", () => {
    const text = 'cache:\n  size: small\nweb:\n  controllers: {}\n';
    const h = hover({ file: 'charts/umbrella/values.yaml', model, text, offset: text.indexOf('size') + 1 });
    assert.match(h?.markdown ?? '', /chart plain-vendored 0\.5\.0 \(dependency of umbrella 0\.1\.0\)/);
    assert.match(h?.markdown ?? '', /How much memory the cache gets/);
    assert.match(h?.markdown ?? '', /> small, medium or large/);
    const items = completions({ file: 'charts/umbrella/values.yaml', model, ...at('web:\n  §\n') });
    assert.ok(items.some((i) => i.label === 'controllers' && /app-template 4\.6\.2/.test(i.detail ?? '')));
  });

  it('a chart not available: hover says so and how to fetch it; completion offers nothing of a chart', () => {
    const text = 'controllers: {}\n';
    const h = hover({ file: 'apps/other/values.yaml', model, text, offset: 2 });
    assert.match(h?.markdown ?? '', /Chart \*\*app-template\*\* is not available.*9\.9\.9 is not in the chart cache.*home-ops charts pull/);
    assert.deepEqual(completions({ file: 'apps/other/values.yaml', model, ...at('§\n') }), []);
  });
});

describe("editing: inline values of an ApplicationSet's template know their chart", () => {
  const APPSET = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: web, namespace: argocd}
spec:
  goTemplate: true
  generators:
    - list:
        elements: [{name: alpha}, {name: beta}]
  template:
    metadata: {name: '{{.name}}'}
    spec:
      project: default
      source:
        repoURL: ghcr.io/bjw-s-labs/helm
        chart: app-template
        targetRevision: 4.6.2
        helm:
          valuesObject:
            controllers:
              main:
                type: deployment
      destination: {server: https://kubernetes.default.svc, namespace: '{{.name}}'}
`;
  let repo: TempRepo;
  let model: RepositoryModel;
  before(() => {
    repo = makeRepo({ 'argocd/web.yaml': APPSET });
    model = new RepositoryModel(repo.root, { charts: fixtureStore([{ repo: OCI, dir: 'app-template', version: '4.6.2' }]) });
  });
  after(() => repo.cleanup());

  it('completes enum values and keys under valuesObject from the chart, and hovers there; the template around keeps its own help', () => {
    const enumAt = APPSET.indexOf('deployment');
    assert.deepEqual(completions({ file: 'argocd/web.yaml', model, text: APPSET.slice(0, enumAt) + APPSET.slice(enumAt + 'deployment'.length), offset: enumAt }).map((i) => i.label), ['deployment', 'statefulset', 'daemonset', 'cronjob', 'job']);
    const keys = completions({ file: 'argocd/web.yaml', model, ...at(APPSET.replace('                type: deployment\n', '                type: deployment\n                §\n')) });
    assert.deepEqual(keys.map((i) => i.label).sort(), ['annotations', 'containers', 'enabled', 'pod', 'replicas']);
    const h = hover({ file: 'argocd/web.yaml', model, text: APPSET, offset: APPSET.indexOf('type: deployment') + 1 });
    assert.match(h?.markdown ?? '', /\*\*`controllers\.main\.type`\*\*/);
    assert.match(h?.markdown ?? '', /chart app-template 4\.6\.2/);
    const outside = hover({ file: 'argocd/web.yaml', model, text: APPSET, offset: APPSET.indexOf('targetRevision') + 1 });
    assert.doesNotMatch(outside?.markdown ?? '', /chart app-template/);
  });
});
