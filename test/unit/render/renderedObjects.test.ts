import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { objectStartLines, RenderCache, renderApp, splitObjects } from '../../../src/core/render';
import { requireTools } from '../../support/shared';
import { realBinaries, tempDir } from './support';
import { checkRenderedObjects } from '../../../src/core/render/renderedObjects';
import { KUBERNETES_VERSION } from '../../../src/core/render/kubernetesKinds.generated';

const doc = (apiVersion: string, kind: string, name = 'x') => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n`;
// The kinds only: these minimal objects lack fields their kinds require (objectSchema.test.ts checks fields).
const check = (yaml: string, crds: string[] = [], renderCrds: string[] = []) =>
  checkRenderedObjects(splitObjects(yaml), crds, renderCrds)
    .filter((p) => p.rule !== 'rendered-object-schema')
    .map((p) => `${p.severity} ${p.rule} ${p.object}: ${p.message}`);

describe('rendered objects: kinds the API server serves', () => {
  it('accepts built-in kinds of every kind of group, and kinds that a CRD of the repository or the render defines', () => {
    const yaml = [doc('v1', 'ConfigMap'), doc('apps/v1', 'Deployment'), doc('networking.k8s.io/v1', 'Ingress'), doc('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.org'), doc('apiregistration.k8s.io/v1', 'APIService', 'v1.metrics.k8s.io'), doc('example.org/v1', 'Widget'), doc('cert-manager.io/v1', 'ClusterIssuer')].join('---\n');
    assert.deepEqual(check(yaml, ['example.org/Widget']), []);
    assert.deepEqual(check(doc('app.example/v1', 'Gadget'), [], ['app.example/Gadget']), []);
  });

  it('says nothing of a custom kind whose CRD it cannot see: operators install theirs at run time', () => {
    assert.deepEqual(check(doc('cilium.io/v2', 'CiliumNetworkPolicy')), []);
  });

  it('refuses a kind that a built-in group/version does not have, naming where Kubernetes serves it', () => {
    assert.deepEqual(check(doc('apps/v1', 'Deploymnet', 'web')), [`error rendered-object-invalid Deploymnet/web: no matches for kind "Deploymnet" in version "apps/v1": apps/v1 has no kind Deploymnet; the sync fails.`]);
    assert.match(check(doc('v1', 'Deployment', 'web'))[0] ?? '', /^error rendered-object-invalid Deployment\/web: no matches for kind "Deployment" in version "v1": v1 has no kind Deployment; the sync fails\.$/);
    assert.match(check(doc('batch/v1', 'Deployment', 'web'))[0] ?? '', /^error rendered-object-invalid .*batch\/v1 has no kind Deployment; the sync fails\.$/);
    assert.match(check(doc('v1beta1', 'ConfigMap'))[0] ?? '', /^error rendered-object-invalid ConfigMap\/x: .*the core API group has only version v1/);
  });

  it('warns of a version Kubernetes no longer serves, and of a group no CRD can define', () => {
    assert.deepEqual(check(doc('autoscaling/v2beta2', 'HorizontalPodAutoscaler', 'web')), [
      `warning rendered-object-unknown-api HorizontalPodAutoscaler/web: no matches for kind "HorizontalPodAutoscaler" in version "autoscaling/v2beta2": Kubernetes ${KUBERNETES_VERSION} does not serve autoscaling/v2beta2 (Kubernetes serves HorizontalPodAutoscaler as autoscaling/v1, autoscaling/v2); the sync fails unless the cluster serves it.`,
    ]);
    assert.deepEqual(check(doc('app/v1', 'Deployment', 'web')), [
      'warning rendered-object-unknown-api Deployment/web: no matches for kind "Deployment" in version "app/v1": API group "app" is not one of Kubernetes and no CustomResourceDefinition can define a group without a dot; the sync fails unless an aggregated API serves it.',
    ]);
  });

  it('refuses an object without apiVersion, kind or name, but not a hook named by generateName', () => {
    assert.deepEqual(check('kind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nmetadata:\n  name: b\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {}\n'), [
      'error rendered-object-invalid ConfigMap/a: has no apiVersion: Argo CD cannot apply it.',
      'error rendered-object-invalid (no kind)/b: has no kind: Argo CD cannot apply it.',
      'error rendered-object-invalid ConfigMap/(no name): has no metadata.name: the API server refuses it ("resource name may not be empty").',
    ]);
    assert.deepEqual(check('apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n'), []);
  });

  it('knows the line where each object\'s YAML starts, past comments and empty documents', () => {
    const stream = `# leading\n---\n${doc('v1', 'ConfigMap', 'a')}---\n\n---\n# Source: chart/templates/b.yaml\n${doc('v1', 'Secret', 'b')}---\n${doc('v1', 'Service', 'c')}`;
    assert.deepEqual(splitObjects(stream).map((o) => o.name), ['a', 'b', 'c']);
    assert.deepEqual(objectStartLines(stream), [2, 10, 15]);
    assert.deepEqual([2, 10, 15].map((l) => stream.split('\n')[l]), ['apiVersion: v1', 'apiVersion: v1', 'apiVersion: v1']);
  });
});

describe('rendered objects: a plain directory', () => {
  it('places each problem at the object\'s own document, in an untrusted workspace too', async () => {
    const root = tempDir('home-ops-kinds-dir-');
    try {
      fs.mkdirSync(path.join(root, 'apps/web'), { recursive: true });
      fs.writeFileSync(path.join(root, 'apps/web/a.yaml'), doc('v1', 'ConfigMap', 'fine'));
      fs.writeFileSync(path.join(root, 'apps/web/b.yaml'), `${doc('v1', 'Secret', 'fine')}---\n# the web server\n${doc('apps/v1', 'Deploymnet', 'web')}`);
      const r = await renderApp({ name: 'web', path: 'apps/web' }, { root, trusted: false, cacheDir: root, binaries: realBinaries() });
      assert.deepEqual(
        r.objectProblems?.map((p) => ({ object: p.object, line: p.line, location: p.location })),
        [{ object: 'Deploymnet/web', line: 11, location: { file: 'apps/web/b.yaml', line: 6, column: 0, endColumn: 'apiVersion: apps/v1'.length } }],
      );
      assert.equal(r.manifests.split('\n')[11], 'apiVersion: apps/v1');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('rendered objects: checked after a real helm template', function () {
  this.timeout(60000);
  let root: string;
  let cacheDir: string;
  before(function () {
    requireTools(this, 'the check of rendered objects with the pinned helm', 'helm');
  });
  beforeEach(() => {
    root = tempDir('home-ops-kinds-');
    cacheDir = tempDir();
    const chart = path.join(root, 'charts/web');
    fs.mkdirSync(path.join(chart, 'templates'), { recursive: true });
    fs.writeFileSync(path.join(chart, 'Chart.yaml'), '# the web chart\napiVersion: v2\nname: web\nversion: 0.1.0\n');
    fs.writeFileSync(path.join(chart, 'templates/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n');
    fs.writeFileSync(path.join(chart, 'templates/hpa.yaml'), 'apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: {{ .Release.Name }}\n');
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it('places each problem at its object in the manifests and at the Chart.yaml, cached or not', async () => {
    const options = { root, trusted: true, cacheDir, binaries: realBinaries(), cache: new RenderCache() };
    for (const cached of [false, true]) {
      const r = await renderApp({ name: 'web', path: 'charts/web' }, options);
      assert.equal(r.cached, cached);
      assert.deepEqual(
        r.objectProblems?.map((p) => ({ object: p.object, rule: p.rule, severity: p.severity, location: p.location })),
        [{ object: 'HorizontalPodAutoscaler/web', rule: 'rendered-object-unknown-api', severity: 'warning', location: { file: 'charts/web/Chart.yaml', line: 1, column: 0, endColumn: 'apiVersion: v2'.length } }],
      );
      assert.equal(r.manifests.split('\n')[r.objectProblems?.[0]?.line ?? -1], 'apiVersion: autoscaling/v2beta2');
    }
    fs.writeFileSync(path.join(root, 'charts/web/templates/hpa.yaml'), 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  maxReplicas: 2\n');
    assert.equal((await renderApp({ name: 'web', path: 'charts/web' }, options)).objectProblems, undefined);
  });
});
