import { strict as assert } from 'node:assert';
import { SchemaIssue, describe as describeNode, didYouMean, validateManifest } from '../../../src/core/schema';

const app = (spec: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'demo', namespace: 'argocd' },
  spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace: 'demo' }, source: { repoURL: 'https://example.com/r', path: 'apps/demo' }, ...spec },
});

const appset = (spec: Record<string, unknown>, templateSpec: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'ApplicationSet',
  metadata: { name: 'media', namespace: 'argocd' },
  spec: {
    goTemplate: true,
    goTemplateOptions: ['missingkey=error'],
    generators: [{ git: { repoURL: 'https://example.com/r', revision: 'main', directories: [{ path: 'apps/media/*' }] } }],
    template: {
      metadata: { name: '{{index .path.segments 2}}-{{.path.basename}}' },
      spec: {
        project: 'apps',
        source: { repoURL: 'https://example.com/r', targetRevision: 'main', path: '{{.path.path}}' },
        destination: { server: 'https://kubernetes.default.svc', namespace: '{{index .path.segments 2}}' },
        ...templateSpec,
      },
    },
    ...spec,
  },
});

const kustomization = (extra: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: 'kustomize.config.k8s.io/v1beta1',
  kind: 'Kustomization',
  resources: ['namespace.yaml'],
  ...extra,
});

/** The issues without the `check` detail, for exact comparison. */
const plain = (issues: SchemaIssue[]): Array<Omit<SchemaIssue, 'check'>> => issues.map(({ check: _check, ...rest }) => rest);

describe('schema messages', () => {
  it('accepts the fixtures themselves', () => {
    assert.deepEqual(validateManifest('Application', app({})), []);
    assert.deepEqual(validateManifest('ApplicationSet', appset({})), []);
    assert.deepEqual(validateManifest('Kustomization', kustomization({})), []);
  });

  it('names an unknown field at its key, with a did-you-mean', () => {
    const issues = validateManifest('Application', app({ syncPolicy: { automated: { prun: true } } }));
    assert.deepEqual(plain(issues), [
      {
        path: ['spec', 'syncPolicy', 'automated', 'prun'],
        target: 'key',
        severity: 'error',
        message: 'Unknown field `prun` in syncPolicy.automated; did you mean `prune`?',
      },
    ]);
  });

  it('suggests the lower-case `azuredevops` key of the pull request generator', () => {
    const doc = appset({ generators: [{ pullRequest: { azureDevOps: { organization: 'o', project: 'p', repo: 'r' } } }] });
    assert.deepEqual(validateManifest('ApplicationSet', doc).map((i) => [i.path.join('.'), i.message]), [
      ['spec.generators.0.pullRequest.azureDevOps', 'Unknown field `azureDevOps` in generators[0].pullRequest; did you mean `azuredevops`?'],
    ]);
  });

  it('lists the allowed values of an enum', () => {
    const issues = validateManifest('ApplicationSet', appset({ syncPolicy: { applicationsSync: 'all' } }));
    assert.deepEqual(plain(issues), [
      {
        path: ['spec', 'syncPolicy', 'applicationsSync'],
        target: 'value',
        severity: 'error',
        message: '`applicationsSync` must be one of create-only, create-update, create-delete, sync',
      },
    ]);
  });

  it('says which type a value must have, once per node', () => {
    const issues = validateManifest('Application', app({ revisionHistoryLimit: 'ten', syncPolicy: { automated: { prune: 'yes' } } }));
    assert.deepEqual(plain(issues), [
      { path: ['spec', 'syncPolicy', 'automated', 'prune'], target: 'value', severity: 'error', message: '`prune` must be a boolean (true or false), not a string' },
      { path: ['spec', 'revisionHistoryLimit'], target: 'value', severity: 'error', message: '`revisionHistoryLimit` must be an integer, not a string' },
    ]);
    // A wrong type on an enum field is one issue, not a type error plus an enum error.
    const enumType = validateManifest('ApplicationSet', appset({ syncPolicy: { applicationsSync: 3 } }));
    assert.deepEqual(enumType.map((i) => i.message), ['`applicationsSync` must be a string, not an integer']);
  });

  it('reports an empty value (YAML `key:` with nothing after it)', () => {
    const issues = validateManifest('Kustomization', kustomization({ helmCharts: [{ name: 'app-template', valuesFile: null }] }));
    assert.deepEqual(issues.map((i) => [i.path, i.message]), [[['helmCharts', 0, 'valuesFile'], '`valuesFile` must be a string, not empty']]);
  });

  it('accepts template strings in string fields of an ApplicationSet template, even with an enum or a pattern', () => {
    const doc = appset(
      {},
      {
        syncPolicy: {
          syncOptions: ['{{.values.syncOption}}', 'CreateNamespace=true'],
          retry: { limit: 3, backoff: { duration: '{{.values.backoff}}' } },
          managedNamespaceMetadata: { labels: { '{{.values.labelKey}}': '{{.values.labelValue}}' } },
        },
        source: {
          repoURL: 'https://example.com/r',
          path: '{{.path.path}}',
          kustomize: { replicas: [{ name: '{{.path.basename}}', count: '{{.values.replicas}}' }] },
        },
        ignoreDifferences: [{ kind: 'Secret', jsonPointers: ['{{.values.pointer}}'] }],
      },
    );
    assert.deepEqual(validateManifest('ApplicationSet', doc), []);
  });

  it('accepts templates in generator string fields (a matrix renders its second child) and in generator template overrides', () => {
    const doc = appset({
      generators: [
        {
          matrix: {
            generators: [
              { git: { repoURL: 'https://example.com/r', revision: 'main', files: [{ path: 'clusters/*/config.json' }] } },
              { scmProvider: { cloneProtocol: '{{.protocol}}', github: { organization: '{{.org}}' } } },
            ],
          },
        },
        {
          list: { elements: [{ cluster: 'a', replicas: 2 }] },
          selector: { matchExpressions: [{ key: 'cluster', operator: 'In', values: ['a'] }] },
        },
        {
          git: {
            repoURL: 'https://example.com/r',
            revision: 'main',
            directories: [{ path: 'apps/*' }],
            values: { env: '{{.path.basename}}' },
            template: { metadata: {}, spec: { project: '{{.values.env}}', destination: {} } },
          },
        },
      ],
    });
    assert.deepEqual(validateManifest('ApplicationSet', doc), []);
  });

  it('rejects a template string where the rendered value is not a string, and says why', () => {
    const issues = validateManifest('ApplicationSet', appset({}, { syncPolicy: { automated: { prune: '{{.values.prune}}' } }, revisionHistoryLimit: '{{.limit}}' }));
    assert.deepEqual(plain(issues), [
      {
        path: ['spec', 'template', 'spec', 'syncPolicy', 'automated', 'prune'],
        target: 'value',
        severity: 'error',
        message:
          '`prune` must be a boolean (true or false): Argo CD renders {{…}} templates only in string fields, so a template cannot produce a boolean here (use templatePatch for values that depend on parameters)',
      },
      {
        path: ['spec', 'template', 'spec', 'revisionHistoryLimit'],
        target: 'value',
        severity: 'error',
        message:
          '`revisionHistoryLimit` must be an integer: Argo CD renders {{…}} templates only in string fields, so a template cannot produce an integer here (use templatePatch for values that depend on parameters)',
      },
    ]);
  });

  it('does not render templates outside an ApplicationSet template', () => {
    // An Application is applied as written: `{{...}}` is just text, and a sync option must look like one.
    const issues = validateManifest('Application', app({ syncPolicy: { syncOptions: ['{{.opt}}'] } }));
    assert.deepEqual(issues.map((i) => [i.path.join('.'), i.message]), [
      ['spec.syncPolicy.syncOptions.0', '`syncOptions[0]` `{{.opt}}` is not valid: a sync option looks like `Name=value`, e.g. `CreateNamespace=true`'],
    ]);
    // Not in the ApplicationSet's own fields either: applicationsSync is read, never rendered.
    const own = validateManifest('ApplicationSet', appset({ syncPolicy: { applicationsSync: '{{.policy}}' } }));
    assert.equal(own.length, 1);
    assert.equal(own[0]?.check, 'enum');
  });

  it('reports matrix/merge nested deeper than Argo CD allows at the key', () => {
    const list = { list: { elements: [{ a: '1' }] } };
    const doc = appset({
      generators: [{ matrix: { generators: [list, { merge: { mergeKeys: ['a'], generators: [list, { matrix: { generators: [list, list] } }] } }] } }],
    });
    const issues = validateManifest('ApplicationSet', doc);
    assert.deepEqual(plain(issues), [
      {
        path: ['spec', 'generators', 0, 'matrix', 'generators', 1, 'merge', 'generators', 1, 'matrix'],
        target: 'key',
        severity: 'error',
        message:
          'Argo CD nests matrix/merge generators only two levels deep; at this third level it ignores the generator and fails with "child generator generated no parameters".',
      },
    ]);
  });

  it('accepts every helmCharts field kustomize has', () => {
    const doc = kustomization({
      helmGlobals: { chartHome: 'charts', configHome: '.helm' },
      helmCharts: [
        {
          name: 'app-template',
          version: '4.4.0',
          repo: 'oci://ghcr.io/bjw-s-labs/helm',
          digest: 'sha256:0123456789abcdef',
          releaseName: 'jellyfin',
          namespace: 'media',
          nameTemplate: 'jf',
          valuesFile: 'values.yaml',
          additionalValuesFiles: ['values-extra.yaml'],
          valuesInline: { controllers: { main: { replicas: 1 } } },
          valuesMerge: 'merge',
          includeCRDs: true,
          skipHooks: true,
          skipTests: true,
          apiVersions: ['monitoring.coreos.com/v1'],
          kubeVersion: '1.31.0',
          debug: false,
          devel: false,
        },
      ],
    });
    assert.deepEqual(validateManifest('Kustomization', doc), []);
  });

  it('rejects an unknown helmCharts field with a did-you-mean, and a missing chart name', () => {
    const issues = validateManifest('Kustomization', kustomization({ helmCharts: [{ name: 'a', valuesFiles: ['v.yaml'] }, { version: '1.0.0' }] }));
    assert.deepEqual(plain(issues), [
      { path: ['helmCharts', 0, 'valuesFiles'], target: 'key', severity: 'error', message: 'Unknown field `valuesFiles` in helmCharts[0]; did you mean `valuesFile`?' },
      { path: ['helmCharts', 1], target: 'key', severity: 'error', message: '`helmCharts[1].name` is required' },
    ]);
  });

  it('warns about deprecated kustomize fields, naming the replacement', () => {
    const issues = validateManifest('Kustomization', kustomization({ commonLabels: { app: 'x' }, configMapGenerator: [{ name: 'c', env: 'a.env' }] }));
    assert.deepEqual(plain(issues), [
      { path: ['commonLabels'], target: 'key', severity: 'warning', message: '`commonLabels` is deprecated: use `labels` (with `includeSelectors: true` for the same effect).' },
      { path: ['configMapGenerator', 0, 'env'], target: 'key', severity: 'warning', message: '`env` is deprecated: use `envs` (a list).' },
    ]);
  });

  it('checks a Component\'s apiVersion against its kind', () => {
    assert.deepEqual(validateManifest('Component', { apiVersion: 'kustomize.config.k8s.io/v1alpha1', kind: 'Component', resources: ['a.yaml'] }), []);
    const issues = validateManifest('Component', { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Component' });
    assert.deepEqual(issues.map((i) => i.message), ['`apiVersion` must be kustomize.config.k8s.io/v1alpha1 for kind Component']);
  });

  it('reports a missing required field on its parent', () => {
    const doc = app({});
    delete (doc.spec as Record<string, unknown>).project;
    assert.deepEqual(plain(validateManifest('Application', doc)), [{ path: ['spec'], target: 'key', severity: 'error', message: '`spec.project` is required' }]);
  });
});

describe('schema descriptions', () => {
  it('describes a node for hover and completion', () => {
    const info = describeNode('Kustomization', ['helmCharts', 0, 'valuesMerge']);
    assert.deepEqual(info?.enum, ['override', 'merge', 'replace']);
    assert.equal(info?.default, 'override');
    assert.match(info?.description ?? '', /valuesInline/);
  });

  it('describes enums that also accept templates', () => {
    const info = describeNode('ApplicationSet', ['spec', 'generators', 0, 'scmProvider', 'cloneProtocol']);
    assert.deepEqual(info?.enum, ['https', 'ssh']);
  });

  it('lists the fields of an object, and follows references across schema files', () => {
    const info = describeNode('ApplicationSet', ['spec', 'template', 'spec', 'syncPolicy', 'automated']);
    assert.deepEqual(info?.properties, ['enabled', 'prune', 'selfHeal', 'allowEmpty']);
  });

  it('marks deprecated fields and free-form parts, and knows nothing of unknown paths', () => {
    assert.equal(describeNode('Kustomization', ['bases'])?.deprecated, true);
    assert.equal(describeNode('Application', ['status', 'sync', 'status'])?.freeForm, true);
    assert.equal(describeNode('Application', ['spec', 'syncPolicy', 'automated', 'prun']), undefined);
  });

  it('suggests only near misses', () => {
    assert.equal(didYouMean('prun', ['prune', 'selfHeal']), 'prune');
    assert.equal(didYouMean('repoUrl', ['repoURL', 'path']), 'repoURL');
    assert.equal(didYouMean('something', ['prune', 'selfHeal']), undefined);
  });
});
