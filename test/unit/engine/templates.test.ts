import { strict as assert } from 'node:assert';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { appset, makeRepo, type TempRepo } from '../../support/repo';

describe('ApplicationSet template pipeline', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());
  const load = (files: Record<string, string>) => {
    repo = makeRepo(files);
    return new RepositoryModel(repo.root);
  };

  const GEN = `  generators:
    - git:
        repoURL: https://example.com/repo.git
        revision: HEAD
        directories:
          - path: apps/*`;

  it('merges a generator template override over spec.template', () => {
    const m = load({
      'a.yaml': appset(
        'override',
        `  goTemplate: true
  generators:
    - list:
        elements: [{name: a}]
        template:
          metadata: {}
          spec:
            project: special
  template:
    metadata: {name: '{{.name}}'}
    spec:
      project: default
      source: {repoURL: x, path: p}
      destination: {server: s, namespace: ns}`,
      ),
    });
    const app = m.apps()[0]!;
    assert.equal(app.name, 'a');
    assert.equal(app.project, 'special');
    assert.equal(app.path, 'p');
  });

  it('applies templatePatch after rendering and keeps spec.project', () => {
    const m = load({
      'a.yaml': appset(
        'patch',
        `  goTemplate: true
  generators:
    - list:
        elements: [{name: a, auto: true}, {name: b, auto: false}]
  template:
    metadata: {name: '{{.name}}'}
    spec:
      project: default
      source: {repoURL: x, path: p}
      destination: {server: s, namespace: ns}
  templatePatch: |
    spec:
      project: hijacked
    {{- if .auto }}
      syncPolicy:
        automated: {prune: true}
    {{- end }}`,
      ),
    });
    const [a, b] = m.apps();
    assert.equal(a!.project, 'default');
    assert.deepEqual((a!.manifest['spec'] as Record<string, unknown>)['syncPolicy'], { automated: { prune: true } });
    assert.equal((b!.manifest['spec'] as Record<string, unknown>)['syncPolicy'], undefined);
  });

  it('underlines a failing action inside a templatePatch block at its own line', () => {
    const m = load({
      'a.yaml': appset(
        'patch',
        `  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - list:
        elements: [{name: a}]
  template:
    metadata: {name: '{{.name}}'}
    spec: {project: default, destination: {server: s, namespace: ns}}
  templatePatch: |
    spec:
      source:
        repoURL: x
        targetRevision: '{{ .chartVersion }}'`,
      ),
    });
    const p = m.problems().find((x) => x.rule === 'template-error');
    assert.ok(p);
    // The line of `.chartVersion` (0-based 18), not the `templatePatch:` key.
    assert.equal(p.range.start.line, 18);
    assert.equal(p.range.start.character, 28, "at `.chartVersion`");
  });

  it('keeps user finalizers and honours preserveResourcesOnDeletion', () => {
    const m = load({
      'a.yaml': appset(
        'fin',
        `  goTemplate: true
  syncPolicy: {preserveResourcesOnDeletion: true}
  generators:
    - list: {elements: [{name: a}]}
  template:
    metadata: {name: '{{.name}}'}
    spec: {project: default, destination: {server: s, namespace: ns}}`,
      ),
    });
    assert.equal((m.apps()[0]!.manifest['metadata'] as Record<string, unknown>)['finalizers'], undefined);
  });

  it('renders map keys, and reports a failing template with the match it failed for', () => {
    const m = load({
      'apps/jellyfin/x.yaml': 'a: 1',
      'a.yaml': appset(
        'broken',
        `  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
${GEN}
  template:
    metadata:
      name: '{{.path.basename}}'
      labels:
        '{{.path.basename}}': 'yes'
    spec:
      project: default
      destination: {server: s, namespace: '{{index .path.segments 3}}'}`,
      ),
    });
    assert.deepEqual(m.apps(), []);
    const p = m.problems().find((x) => x.rule === 'template-error');
    assert.ok(p, 'a template error');
    assert.equal(p.file, 'a.yaml');
    assert.equal(p.range.start.line, 21);
    // The underline covers the failing action inside the string, not the whole line.
    const line = p.range.start.line;
    assert.equal(line, p.range.end.line);
    assert.ok(p.range.start.character > 40, `starts inside the string (${p.range.start.character})`);
    assert.match(p.message, /^For apps\/jellyfin: at <index \.path\.segments 3>: error calling index: index out of range: 3$/);
  });

  it('reports a template that does not parse, and an unknown function', () => {
    const m = load({
      'apps/a/x.yaml': 'a: 1',
      'a.yaml': appset('parse', `  goTemplate: true\n${GEN}\n  template:\n    metadata: {name: '{{.path.basename | nosuchfn}}'}\n    spec: {project: default, destination: {server: s, namespace: ns}}`),
    });
    const p = m.problems().find((x) => x.rule === 'template-error');
    assert.ok(p);
    assert.match(p.message, /^function "nosuchfn" not defined$/);
    assert.equal(p.range.start.line, 14);
  });

  it('rejects duplicate generated names, as the controller does', () => {
    const m = load({
      'a.yaml': appset('dup', `  goTemplate: true\n  generators:\n    - list: {elements: [{nm: a}, {nm: a}]}\n  template:\n    metadata: {name: 'x-{{.nm}}'}\n    spec: {project: default, destination: {server: s, namespace: ns}}`),
    });
    const p = m.problems().find((x) => x.rule === 'duplicate-app-name');
    assert.ok(p);
    assert.match(p.message, /contains applications with duplicate name: x-a/);
  });

  it('rejects an unknown goTemplateOptions entry', () => {
    const m = load({
      'a.yaml': appset('opt', `  goTemplate: true\n  goTemplateOptions: ["missingkey=explode"]\n  generators:\n    - list: {elements: [{nm: a}]}\n  template:\n    metadata: {name: '{{.nm}}'}\n    spec: {project: default, destination: {server: s, namespace: ns}}`),
    });
    const p = m.problems().find((x) => x.rule === 'template-options');
    assert.ok(p);
    assert.equal(p.range.start.line, 7);
  });

  it('renders `<no value>` for a missing key without missingkey=error', () => {
    const m = load({
      'a.yaml': appset('nv', `  goTemplate: true\n  generators:\n    - list: {elements: [{nm: a}]}\n  template:\n    metadata: {name: '{{.nm}}'}\n    spec: {project: default, destination: {server: s, namespace: '{{.missing}}'}}`),
    });
    assert.equal(m.apps()[0]!.namespace, '<no value>');
  });
});
