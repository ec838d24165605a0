import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../../src/cli/main';
import { requireTools, toolPath } from '../../support/shared';

describe('home-ops tools', function () {
  this.timeout(30000);
  let dir: string;
  const saved = { path: process.env['PATH'], cache: process.env['HOME_OPS_CACHE'] };
  before(function () {
    requireTools(this, '`home-ops tools` with the pinned helm and kustomize', 'helm', 'kustomize');
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-cli-tools-'));
  });
  afterEach(() => {
    process.env['PATH'] = saved.path;
    if (saved.cache === undefined) delete process.env['HOME_OPS_CACHE'];
    else process.env['HOME_OPS_CACHE'] = saved.cache;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("names each binary, found in Home-Ops' tools cache, and the Argo CD release of the repository", async () => {
    fs.mkdirSync(path.join(dir, 'cache/tools/bin'), { recursive: true });
    for (const t of ['helm', 'kustomize'] as const) fs.symlinkSync(toolPath(t) as string, path.join(dir, 'cache/tools/bin', t));
    fs.mkdirSync(path.join(dir, 'repo/argocd'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'repo/argocd/kustomization.yaml'), 'resources:\n  - https://raw.githubusercontent.com/argoproj/argo-cd/v3.1.9/manifests/install.yaml\n');
    process.env['HOME_OPS_CACHE'] = path.join(dir, 'cache');
    process.env['PATH'] = path.dirname(toolPath('git') ?? '/usr/bin/git');
    let out = '';
    const code = await run(['tools', path.join(dir, 'repo')], { out: (s) => (out += s), err: (s) => (out += s) });
    assert.equal(code, 0, out);
    assert.match(out, new RegExp(`^kustomize: v5\\.\\d+\\.\\d+ — ${dir}/cache/tools/bin/kustomize \\(from Home-Ops' tools cache\\)$`, 'm'));
    assert.match(out, new RegExp(`^helm: v3\\.\\d+\\.\\d+\\S* — ${dir}/cache/tools/bin/helm \\(from Home-Ops' tools cache\\)$`, 'm'));
    assert.match(out, /^Argo CD 3\.1 \(v3\.1\.9, argocd\/kustomization\.yaml:2\) ships kustomize 5\.7\.0 and helm 3\.18\.4 \(argo-cd v3\.1\.0 hack\/tool-versions\.sh\)\.$/m);
    assert.match(out, /^Note: Argo CD 3\.1 .*renders with kustomize 5\.7\.0 \(here 5\.8\.1\).* What can differ: .*Argo CD applies it, this preview does not\.$/m);
  });
});
