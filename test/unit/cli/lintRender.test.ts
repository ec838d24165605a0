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
