import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from '../../../src/cli/main';
import { requireTools, TOOL_ENV } from '../../support/shared';
import { copyFixture, tempDir } from '../render/support';

describe('home-ops lint --render', function () {
  this.timeout(120000);
  let root: string;
  let cache: string;
  const saved = { path: process.env['PATH'], cache: process.env['HOME_OPS_CACHE'] };
  before(function () {
    requireTools(this, '`home-ops lint --render` with the pinned helm and kustomize', 'helm', 'kustomize');
  });
  beforeEach(() => {
    root = copyFixture();
    cache = tempDir();
    process.env['PATH'] = TOOL_ENV['PATH'];
    process.env['HOME_OPS_CACHE'] = cache;
    // An app whose chart templates no namespace for its ConfigMap, under a kustomization that sets one.
    const chart = path.join(root, 'cluster/charts/bare');
    fs.mkdirSync(path.join(chart, 'templates'), { recursive: true });
    fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: bare\nversion: 0.1.0\n');
    fs.writeFileSync(path.join(chart, 'values.yaml'), '');
    fs.writeFileSync(path.join(chart, 'templates/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: no-namespace\n');
    fs.mkdirSync(path.join(root, 'cluster/apps/tools/bare'), { recursive: true });
    fs.writeFileSync(path.join(root, 'cluster/apps/tools/bare/kustomization.yaml'), 'namespace: tools-bare\nhelmGlobals:\n  chartHome: ../../../charts\nhelmCharts:\n  - name: bare\n    releaseName: bare\n');
  });
  afterEach(() => {
    process.env['PATH'] = saved.path;
    if (saved.cache === undefined) delete process.env['HOME_OPS_CACHE'];
    else process.env['HOME_OPS_CACHE'] = saved.cache;
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  });

  const lint = async (...args: string[]) => {
    let out = '';
    let err = '';
    const code = await run(['lint', root, ...args], { out: (s) => (out += s), err: (s) => (err += s) });
    return { code, out, err };
  };

  it('checks every rendered object against the kinds Kubernetes and the CRDs serve, at the kustomization\'s first line', async () => {
    const app = path.join(root, 'cluster/apps/tools/kinds');
    fs.mkdirSync(app, { recursive: true });
    const deploymentSpec = 'spec:\n  selector:\n    matchLabels: {app: x}\n  template:\n    metadata:\n      labels: {app: x}\n    spec:\n      containers:\n        - name: x\n          image: x\n';
    const doc = (apiVersion: string, kind: string, name: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n${kind.startsWith('Deploy') ? deploymentSpec : ''}`;
    const crd = (group: string, kind: string, plural: string) => `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${plural}.${group}\nspec:\n  group: ${group}\n  names:\n    kind: ${kind}\n    plural: ${plural}\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n`;
    // A CRD elsewhere in the repository (no app renders it) and one in the app's own render.
    fs.mkdirSync(path.join(root, 'cluster/crds'), { recursive: true });
    fs.writeFileSync(path.join(root, 'cluster/crds/gizmos.yaml'), crd('gizmo.example.org', 'Gizmo', 'gizmos'));
    fs.writeFileSync(path.join(app, 'objects.yaml'), [doc('v1', 'ConfigMap', 'fine'), doc('apps/v1', 'Deploymnet', 'typo'), doc('app/v1', 'Deployment', 'misspelt-group'), crd('gadget.example.org', 'Gadget', 'gadgets'), doc('gadget.example.org/v1', 'Gadget', 'from-render-crd'), doc('gizmo.example.org/v1', 'Gizmo', 'from-repository-crd'), doc('cilium.io/v2', 'CiliumNetworkPolicy', 'operator-installed')].join('---\n'));
    fs.writeFileSync(path.join(app, 'kustomization.yaml'), '# objects of every kind\nresources:\n  - objects.yaml\n');
    const r = await lint('--render');
    const mine = r.out.split('\n').filter((l) => l.includes('tools/kinds'));
    assert.deepEqual(mine, [
      'cluster/apps/tools/kinds/kustomization.yaml:2:1 warning rendered-object-unknown-api tools-kinds: Deployment/misspelt-group: no matches for kind "Deployment" in version "app/v1": API group "app" is not one of Kubernetes and no CustomResourceDefinition can define a group without a dot; the sync fails unless an aggregated API serves it.',
      'cluster/apps/tools/kinds/kustomization.yaml:2:1 error rendered-object-invalid tools-kinds: Deploymnet/typo: no matches for kind "Deploymnet" in version "apps/v1": apps/v1 has no kind Deploymnet; the sync fails.',
    ]);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.out, /rendered-object-(invalid|unknown-api) (?!tools-kinds)/, 'the fixture\'s other apps render valid objects');
    // Suppressed where the kustomization says so; fixed, the app is clean.
    fs.writeFileSync(path.join(app, 'kustomization.yaml'), '# home-ops-disable-next-line rendered-object-invalid\nresources:\n  - objects.yaml\n');
    const suppressed = (await lint('--render')).out;
    assert.doesNotMatch(suppressed, /rendered-object-invalid/);
    assert.match(suppressed, /rendered-object-unknown-api tools-kinds: Deployment\/misspelt-group/);
    fs.writeFileSync(path.join(app, 'objects.yaml'), fs.readFileSync(path.join(app, 'objects.yaml'), 'utf8').replace('Deploymnet', 'Deployment').replace('app/v1', 'apps/v1'));
    assert.doesNotMatch((await lint('--render')).out, /tools\/kinds/);
    // A field the Deployment's schema refuses: at the same line, naming the field.
    fs.writeFileSync(path.join(app, 'objects.yaml'), fs.readFileSync(path.join(app, 'objects.yaml'), 'utf8').replace('  name: typo\nspec:\n', '  name: typo\nspec:\n  replicas: "2"\n'));
    assert.deepEqual(
      (await lint('--render')).out.split('\n').filter((l) => l.includes('tools/kinds')),
      ['cluster/apps/tools/kinds/kustomization.yaml:2:1 error rendered-object-schema tools-kinds: Deployment/typo: spec.replicas must be an integer, not a string ("2"): the API server cannot decode it and the sync fails.'],
    );
    // Without --render the objects are not checked.
    assert.doesNotMatch((await lint()).out, /rendered-object/);
  });

  it('reports helm-chart-namespace at the namespace line, with severities and suppressions; a second run is cached', async () => {
    const first = await lint('--render');
    assert.match(first.out, /^cluster\/apps\/tools\/bare\/kustomization\.yaml:1:12 warning helm-chart-namespace tools-bare: namespace "tools-bare" is not applied to objects from helmCharts since kustomize 5\.8 \(Argo CD ≥ 3\.3\): ConfigMap\/no-namespace has no namespace and will land in the Application's destination namespace "tools"/m);
    assert.equal(first.out.match(/helm-chart-namespace/g)?.length, 1, 'the other apps template their namespaces');
    const apps = Number(/rendered (\d+) apps \(0 cached\)/.exec(first.err)?.[1]);
    assert.ok(apps >= 4, first.err);
    const second = await lint('--render');
    assert.match(second.err, new RegExp(`rendered ${apps} apps \\(${apps} cached\\)`));
    assert.equal(second.out, first.out);
    assert.doesNotMatch((await lint('--render', '--rule', 'helm-chart-namespace=off')).out, /helm-chart-namespace/);
    fs.writeFileSync(path.join(root, 'cluster/apps/tools/bare/kustomization.yaml'), `# home-ops-disable-next-line helm-chart-namespace\n${fs.readFileSync(path.join(root, 'cluster/apps/tools/bare/kustomization.yaml'), 'utf8')}`);
    assert.doesNotMatch((await lint('--render')).out, /helm-chart-namespace/);
    // Without --render nothing is rendered.
    const plain = await lint();
    assert.doesNotMatch(plain.err, /rendered/);
  });
});
