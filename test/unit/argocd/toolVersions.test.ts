import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { argoCdTools, ARGOCD_TOOLS, detectArgoCdVersion, toolVersionNote } from '../../../src/core/argocd/toolVersions';
import { corpusPath, requireShared, requireTools } from '../../support/shared';

const repoOf = (files: Record<string, string>) => ({ files: Object.keys(files), readText: (f: string) => files[f] });

describe('Argo CD version of the repository and the tools it renders with', () => {
  it('every line of the table names its source and an x.y.z version', () => {
    for (const t of ARGOCD_TOOLS) {
      assert.match(t.source, /argo-cd /);
      for (const v of [t.helm, t.kustomize]) if (v !== undefined) assert.match(v, /^\d+\.\d+\.\d+$/);
    }
    assert.deepEqual(argoCdTools('3.3'), { argocd: '3.3', helm: '3.19.4', kustomize: '5.8.1', source: 'argo-cd v3.3.19 hack/tool-versions.sh; v3.3.0 shipped kustomize 5.8.0' });
    assert.equal(argoCdTools('3.5')?.helm, '4.2.1', 'Argo CD 3.5 ships helm 4');
    assert.equal(argoCdTools('2.4'), undefined, 'a release the table does not have is unknown');
  });

  it('says what each release\'s own hack/tool-versions.sh says (the release from the Go module proxy)', function () {
    this.timeout(600_000);
    if (!requireTools(this, "the tool versions of Argo CD's releases", 'go')) return;
    for (const t of ARGOCD_TOOLS) {
      const release = /argo-cd (v\d+\.\d+\.\d+)/.exec(t.source)?.[1];
      assert.ok(release, `${t.argocd}: the source names a release`);
      const download = (toolchain?: string) => {
        const r = spawnSync('go', ['mod', 'download', '-json', `github.com/argoproj/argo-cd/v3@${release}`], { cwd: os.tmpdir(), encoding: 'utf8', timeout: 300_000, env: toolchain ? { ...process.env, GOTOOLCHAIN: toolchain } : process.env });
        return JSON.parse(r.stdout || '{}') as { Dir?: string; Error?: string };
      };
      let got = download();
      // A release may need a newer Go than this one to extract its module: the proxy serves that toolchain too.
      const newer = /requires go >= (\S+)/.exec(got.Error ?? '')?.[1];
      if (!got.Dir && newer) got = download(`go${newer}`);
      assert.ok(got.Dir, `go mod download argo-cd ${release}: ${got.Error ?? 'no folder'}`);
      const script = fs.readFileSync(path.join(got.Dir, 'hack', 'tool-versions.sh'), 'utf8');
      const pinned = (tool: string) => new RegExp(`^${tool}\\d?_version=(\\S+)$`, 'im').exec(script)?.[1];
      assert.equal(pinned('helm'), t.helm, `Argo CD ${release}'s helm`);
      assert.equal(pinned('kustomize'), t.kustomize, `Argo CD ${release}'s kustomize`);
    }
  });

  it('finds the argo-cd chart of a kustomization, a Chart.yaml dependency, an Application; a manifests URL; an image tag', () => {
    assert.equal(detectArgoCdVersion(repoOf({ 'k/kustomization.yaml': 'helmCharts:\n  - name: argo-cd\n    version: 10.8.1\n    repo: https://argoproj.github.io/argo-helm\n' }))?.argocd, '3.5', 'chart 10.8 installs Argo CD 3.5');
    const kust = 'helmCharts:\n  - name: argo-cd\n    version: 9.4.2\n    repo: https://argoproj.github.io/argo-helm\n';
    assert.deepEqual(detectArgoCdVersion(repoOf({ 'bootstrap/kustomization.yaml': kust })), { found: '9.4.2', argocd: '3.3', origin: 'bootstrap/kustomization.yaml:3', how: 'chart' });
    const chart = 'apiVersion: v2\nname: argocd\nversion: 0.1.0\ndependencies:\n  - name: argo-cd\n    version: 9.3.4\n    repository: https://argoproj.github.io/argo-helm\n';
    assert.equal(detectArgoCdVersion(repoOf({ 'argocd/Chart.yaml': chart }))?.argocd, '3.2');
    const app = 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: argocd}\nspec:\n  source:\n    repoURL: https://argoproj.github.io/argo-helm\n    chart: argo-cd\n    targetRevision: 9.0.1\n';
    assert.equal(detectArgoCdVersion(repoOf({ 'apps/argocd.yaml': app }))?.argocd, '3.1');
    const url = 'resources:\n  - namespace.yaml\n  - https://raw.githubusercontent.com/argoproj/argo-cd/v3.3.2/manifests/install.yaml\n';
    assert.deepEqual(detectArgoCdVersion(repoOf({ 'argocd/kustomization.yaml': url })), { found: 'v3.3.2', argocd: '3.3', origin: 'argocd/kustomization.yaml:3', how: 'manifest-url' });
    const ref = 'resources:\n  - github.com/argoproj/argo-cd//manifests/cluster-install?ref=v3.1.9\n';
    assert.equal(detectArgoCdVersion(repoOf({ 'k/kustomization.yaml': ref }))?.argocd, '3.1');
    const image = 'resources: [install.yaml]\nimages:\n  - name: quay.io/argoproj/argocd\n    newTag: v3.2.5\n';
    assert.deepEqual(detectArgoCdVersion(repoOf({ 'k/kustomization.yaml': image })), { found: 'v3.2.5', argocd: '3.2', origin: 'k/kustomization.yaml:4', how: 'image-tag' });
    // A chart version the table does not map: found, Argo CD release unknown.
    assert.deepEqual(detectArgoCdVersion(repoOf({ 'k/kustomization.yaml': kust.replace('9.4.2', '10.4.0') })), { found: '10.4.0', origin: 'k/kustomization.yaml:3', how: 'chart' });
    assert.equal(detectArgoCdVersion(repoOf({ 'a.yaml': 'kind: ConfigMap\n' })), undefined);
    // An Application an ApplicationSet generates, with the chart from the OCI registry.
    const generated = { name: 'argocd', manifest: { spec: { sources: [{ repoURL: 'oci://ghcr.io/argoproj/argo-helm/argo-cd', chart: '', targetRevision: '9.4.4' }, { repoURL: 'https://x/r.git', ref: 'values' }] } } };
    assert.deepEqual(detectArgoCdVersion(repoOf({ 'a.yaml': 'kind: ConfigMap\n' }), [generated]), { found: '9.4.4', argocd: '3.3', origin: 'Application argocd', how: 'chart' });
  });

  it('one note when the local kustomize is on the other side of 5.8 than Argo CD, naming the namespace rule; none when they agree', () => {
    const detected = detectArgoCdVersion(repoOf({ 'k/kustomization.yaml': 'helmCharts:\n  - name: argo-cd\n    version: 9.4.2\n    repo: https://argoproj.github.io/argo-helm\n' }));
    const note = toolVersionNote(detected, { kustomize: 'kubectl v5.5.0', helm: 'v3.22.0+g1234' });
    assert.equal(
      note,
      'Argo CD 3.3 (9.4.2, k/kustomization.yaml:3) renders with kustomize 5.8.1 (here 5.5.0) and helm 3.19.4 (here 3.22.0). What can differ: from kustomize 5.8 a kustomization\'s namespace is not applied to helmCharts objects whose chart does not template a namespace (kubernetes-sigs/kustomize#6014, #6058); Argo CD leaves them to the destination namespace, this preview does not.',
    );
    assert.equal(toolVersionNote(detected, { kustomize: 'v5.8.1', helm: 'v3.19.0' }), undefined, 'same minor versions: nothing to say');
    assert.equal(toolVersionNote(undefined, { kustomize: 'v5.5.0' }), undefined);
  });

  it('the seed corpus installs Argo CD 3.3 through its bootstrap kustomization', function () {
    requireShared(this, 'the seed corpus', corpusPath('seed-home-ops'));
    const model = new RepositoryModel(corpusPath('seed-home-ops'));
    const d = detectArgoCdVersion({ files: model.tree.files, readText: (f) => model.textOf(f) });
    assert.equal(d?.argocd, '3.3');
    assert.equal(d?.origin, path.posix.join('pitower/kubernetes/bootstrap/kustomization.yaml') + ':11');
  });
});
