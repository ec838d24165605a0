import { strict as assert } from 'node:assert';
import { credentialsKustomizeCannotPass, describeToolFailure, isEnvironmentFailure } from '../../../src/core/render/failure';

/**
 * The one-line summary of outputs that the loopback tests cannot produce (an OCI registry, a
 * kustomize chain), copied from real kustomize v5.8.1 + helm v3.22 runs.
 */
describe('render failures: one line from a tool output', () => {
  it('an OCI registry that refuses the connection: the chart, the registry, the host', () => {
    const out = `Error: Error: failed to perform "FetchReference" on source: Get "https://127.0.0.1:34525/v2/charts/demo/manifests/0.3.1": dial tcp 127.0.0.1:34525: connect: connection refused
: unable to run: '/usr/bin/helm pull --untar --untardir /repo/app/charts/demo-0.3.1 oci://127.0.0.1:34525/charts/demo --version 0.3.1' with env=[HELM_CONFIG_HOME=/tmp/kustomize-helm-1/helm HELM_CACHE_HOME=/tmp/kustomize-helm-1/helm/.cache HELM_DATA_HOME=/tmp/kustomize-helm-1/helm/.data] (is 'helm' installed?): exit status 1
`;
    const f = describeToolFailure(out, 'kustomize');
    assert.equal(f.summary, 'kustomize: chart demo 0.3.1 from oci://127.0.0.1:34525/charts: host 127.0.0.1:34525 unreachable (connection refused)');
    assert.ok(isEnvironmentFailure(f.cause));
    assert.equal(f.locate, undefined);
  });

  it('an OCI registry that wants credentials, and one without the version', () => {
    const pull = `: unable to run: 'helm pull --untar --untardir /repo/app/charts/app-template-9.9.9 oci://ghcr.io/bjw-s/helm/app-template --version 9.9.9' with env=[] (is 'helm' installed?): exit status 1`;
    const auth = describeToolFailure(`Error: Error: failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Abjw-s%2Fhelm%2Fapp-template%3Apull: 401 Unauthorized\n${pull}\n`, 'kustomize');
    assert.equal(auth.cause, 'auth');
    assert.match(auth.summary, /^kustomize: chart app-template 9\.9\.9 from oci:\/\/ghcr\.io\/bjw-s\/helm: authentication required/);
    // helm 3.22 (oras-go v2), its token endpoint refusing the anonymous pull.
    const oras = describeToolFailure(`Error: Error: failed to perform "FetchReference" on source: GET "https://ghcr.io/v2/bjw-s/helm/app-template/manifests/9.9.9": GET "https://ghcr.io/token?scope=repository%3Abjw-s%2Fhelm%2Fapp-template%3Apull&service=ghcr.io": response status code 401: unauthorized\n${pull}\n`, 'kustomize');
    assert.equal(oras.cause, 'auth');
    assert.equal(oras.summary, 'kustomize: chart app-template 9.9.9 from oci://ghcr.io/bjw-s/helm: authentication required (the registry answered 401 unauthorized)');
    assert.equal(oras.locate, undefined);
    const missing = describeToolFailure(`Error: Error: ghcr.io/bjw-s/helm/app-template:9.9.9: not found\n${pull}\n`, 'kustomize');
    assert.equal(missing.cause, 'not-found');
    assert.equal(missing.summary, 'kustomize: chart app-template 9.9.9 from oci://ghcr.io/bjw-s/helm: not found in the registry (no such chart or version)');
    assert.deepEqual(missing.locate, { tokens: ['9.9.9'] });
  });

  it('a chart name the repository does not have: on its line; a pull failing otherwise: never placed', () => {
    const pull = `: unable to run: 'helm pull --untar --untardir /repo/app/charts/demoo-0.3.1 --repo https://charts.example.org demoo --version 0.3.1' with env=[] (is 'helm' installed?): exit status 1`;
    const missing = describeToolFailure(`Error: Error: chart "demoo" not found in https://charts.example.org repository\n${pull}\n`, 'kustomize');
    assert.equal(missing.summary, 'kustomize: chart demoo not found in https://charts.example.org');
    assert.deepEqual(missing.locate, { tokens: ['demoo'] });
    const odd = describeToolFailure(`Error: Error: something new went wrong in the registry\n${pull}\n`, 'kustomize');
    assert.equal(odd.cause, 'fetch');
    assert.equal(odd.summary, 'kustomize: chart demoo 0.3.1 from https://charts.example.org: something new went wrong in the registry');
    assert.ok(isEnvironmentFailure(odd.cause), 'a fetch that failed is not placed on the helmCharts line');
  });

  it("a pull through the user's repository entry: a refused index fetch (helm repo update's stdout) and a version its index lacks", () => {
    const update = `Hang tight while we grab the latest from your chart repositories...
...Unable to get an update from the "private" chart repository (https://charts.example.org/private):
	failed to fetch https://charts.example.org/private/index.yaml : 401 Unauthorized
Error: Failed to update the following repositories: [https://charts.example.org/private]
`;
    const auth = describeToolFailure(update, 'helm dependency build');
    assert.equal(auth.cause, 'auth');
    assert.equal(auth.summary, 'helm dependency build: repository https://charts.example.org/private: authentication required: https://charts.example.org/private/index.yaml answered 401 Unauthorized');
    assert.equal(auth.repository, 'https://charts.example.org/private');
    const version = describeToolFailure(`Error: chart "demo" matching 9.9.9 not found in private index. (try 'helm repo update'): no chart version found for demo-9.9.9\n`, 'helm pull of https://charts.example.org/private demo 9.9.9');
    assert.equal(version.cause, 'not-found');
    assert.equal(version.summary, 'helm pull of https://charts.example.org/private demo 9.9.9: chart demo version 9.9.9 not found in private');
  });

  it("kustomize refused by a repository the user has credentials for: the line says kustomize cannot pass them, under 200 characters", () => {
    const pull = `: unable to run: 'helm pull --untar --untardir /repo/app/charts/demo-0.3.1 --repo https://charts.example.org/private demo --version 0.3.1' with env=[] (is 'helm' installed?): exit status 1`;
    const f = describeToolFailure(`Error: Error: looks like "https://charts.example.org/private" is not a valid chart repository or cannot be reached: failed to fetch https://charts.example.org/private/index.yaml : 401 Unauthorized\n${pull}\n`, 'kustomize');
    assert.equal(f.repository, 'https://charts.example.org/private');
    const noted = credentialsKustomizeCannotPass(f, 'private');
    assert.equal(noted.summary, 'kustomize: chart demo 0.3.1 from https://charts.example.org/private: authentication required; kustomize cannot pass helm the credentials your helm repository "private" has for it');
    assert.equal(noted.cause, 'auth');
    const longUrl = `https://charts.example.org/${'a'.repeat(120)}`;
    const long = credentialsKustomizeCannotPass(describeToolFailure(`Error: Error: failed to fetch ${longUrl}/index.yaml : 401 Unauthorized\n${pull.split('https://charts.example.org/private').join(longUrl)}\n`, 'kustomize'), 'private');
    assert.equal(long.cause, 'auth');
    assert.ok(long.summary.length < 200 && !long.summary.includes('\n'), long.summary);
    const other = describeToolFailure(`Error: Error: something new went wrong\n${pull}\n`, 'kustomize');
    assert.equal(credentialsKustomizeCannotPass(other, 'private'), other, 'only an authentication failure is rewritten');
  });

  it('a kustomization that is not valid YAML: the kustomization and its line', () => {
    const f = describeToolFailure("Error: accumulating resources: accumulation err='accumulating resources from '../base': '/repo/base' must resolve to a file': couldn't make target for path '/repo/base': invalid Kustomization: yaml: line 2: did not find expected '-' indicator\n", 'kustomize', '/repo/app');
    assert.equal(f.cause, 'syntax');
    assert.equal(f.summary, "kustomize: invalid YAML in ../base/kustomization.yaml:2: did not find expected '-' indicator");
    assert.deepEqual(f.locate, { file: '/repo/base/kustomization.yaml', line: 2 });
  });

  it('anything else: the innermost message, under 200 characters, without the "Error: " chain', () => {
    const f = describeToolFailure(`Error: no resource matches strategic merge patch "ConfigMap.v1.[noGrp]/nothere.[noNs]": no matches for Id ConfigMap.v1.[noGrp]/nothere.[noNs]; failed to find unique target for patch ConfigMap.v1.[noGrp]/nothere.[noNs]${' and more'.repeat(30)}\n`, 'kustomize');
    assert.equal(f.cause, 'tool');
    assert.match(f.summary, /^kustomize: no resource matches strategic merge patch "ConfigMap\.v1\.\[noGrp\]\/nothere\.\[noNs\]"/);
    assert.ok(f.summary.length < 200 && f.summary.endsWith('…'), f.summary);
  });
});
