import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crdScopesIn, helmChartNamespaceWarning, isNamespaced } from '../../../src/core/render/namespaceCheck';
import { splitObjects } from '../../../src/core/render';
import { tempDir } from './support';

describe('render: the kustomize 5.8 namespace check', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir('home-ops-ns-');
    fs.mkdirSync(path.join(root, 'app'));
    fs.writeFileSync(path.join(root, 'app/kustomization.yaml'), 'namespace: apps\nhelmCharts:\n  - name: x\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const objects = splitObjects('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: example.org/v1\nkind: Thing\nmetadata:\n  name: b\n');
  const warn = (version: string, usesHelm = true) => helmChartNamespaceWarning(objects, path.join(root, 'app'), root, version, usesHelm, 'dest');

  it('only with kustomize 5.8 or later, and only when charts are inflated', () => {
    assert.deepEqual(warn('v5.8.1')?.objects, ['ConfigMap/a']);
    assert.equal(warn('kubectl v5.5.0'), undefined, 'before 5.8 kustomize applies the namespace itself');
    assert.equal(warn('v5.7.0'), undefined);
    assert.equal(warn('v5.8.1', false), undefined, 'no helmCharts: every object got the namespace from kustomize');
  });

  it("kinds whose CRD is in the repository: its scope, read from the CRD's spec without parsing its schema", () => {
    const crd = (kind: string, scope: string) => `---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${kind.toLowerCase()}s.example.org\n  annotations:\n    scope: Cluster\nspec:\n  group: example.org\n  names:\n    kind: ${kind}\n    listKind: ${kind}List\n    plural: ${kind.toLowerCase()}s\n  scope: ${scope}\n  versions:\n    - name: v1\n      schema:\n        openAPIV3Schema:\n          properties:\n            kind: {type: string}\n            scope: {type: string}\n`;
    const files: Record<string, string> = { 'crds/thing.yaml': crd('Thing', 'Namespaced') + crd('Cluster', 'Cluster'), 'other.yaml': 'kind: ConfigMap\n' };
    const scopes = crdScopesIn({ files: Object.keys(files), readText: (f) => files[f] });
    assert.deepEqual([...scopes], [['example.org/Thing', true], ['example.org/Cluster', false]]);
    const withCluster = [...objects, ...splitObjects('apiVersion: example.org/v1\nkind: Cluster\nmetadata:\n  name: c\n')];
    assert.deepEqual(helmChartNamespaceWarning(withCluster, path.join(root, 'app'), root, 'v5.8.1', true, 'dest', scopes)?.objects, ['ConfigMap/a', 'Thing/b']);
  });

  it('a kind it cannot place (its CRD is not in the render) is left out, not guessed', () => {
    assert.equal(isNamespaced({ apiVersion: 'example.org/v1', kind: 'Thing' }, new Map()), undefined);
    assert.equal(isNamespaced({ apiVersion: 'v1', kind: 'Namespace' }, new Map()), undefined);
    assert.equal(isNamespaced({ apiVersion: 'apps/v1', kind: 'Deployment' }, new Map()), true);
    assert.equal(isNamespaced({ apiVersion: 'example.org/v1', kind: 'Deployment' }, new Map()), undefined, 'the group counts, not the kind alone');
  });
});
