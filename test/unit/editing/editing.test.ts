import { strict as assert } from 'node:assert';
import { completions, type CompletionEntry } from '../../../src/core/editing/completion';
import { hover } from '../../../src/core/editing/hover';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { appset, makeRepo, type TempRepo } from '../../support/repo';

const MEDIA = appset(
  'media',
  `  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - git:
        repoURL: https://example.com/repo.git
        revision: HEAD
        directories:
          - path: cluster/kubernetes/apps/media/*
          - path: cluster/kubernetes/apps/media/old
            exclude: true
  template:
    metadata:
      name: '{{index .path.segments 3}}-{{.path.basename}}'
    spec:
      project: default
      source:
        repoURL: https://example.com/repo.git
        path: '{{.path.path}}'
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{index .path.segments 3}}'
  templatePatch: |
    spec:
      source:
        targetRevision: '{{ .path.basename }}'`,
);

const LEGACY = appset(
  'legacy',
  `  generators:
    - git:
        repoURL: https://example.com/repo.git
        revision: HEAD
        directories:
          - path: cluster/kubernetes/apps/media/*
  template:
    metadata:
      name: 'x-{{path.basename}}'
    spec:
      project: default
      source: {repoURL: https://example.com/repo.git, path: '{{path}}'}
      destination: {server: https://kubernetes.default.svc, namespace: media}`,
);

const FILES = {
  'argocd/media.yaml': MEDIA,
  'argocd/legacy.yaml': LEGACY,
  'cluster/kubernetes/apps/media/jellyfin/kustomization.yaml': 'helmCharts:\n  - name: app-template\n    valuesFile: values.yaml\nresources:\n  - pvc.yaml\n',
  'cluster/kubernetes/apps/media/jellyfin/values.yaml': 'a: 1\n',
  'cluster/kubernetes/apps/media/radarr/kustomization.yaml': 'resources: []\n',
  'cluster/kubernetes/apps/media/old/kustomization.yaml': 'resources: []\n',
};

/** Text with `§` removed and the offset where it was. */
function at(marked: string): { text: string; offset: number } {
  const i = marked.indexOf('§');
  return { text: marked.slice(0, i) + marked.slice(i + 1), offset: i };
}

/** `text` with `§` placed `delta` characters after the first `needle`. */
function mark(text: string, needle: string, delta = 0): string {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  return text.slice(0, i + delta) + '§' + text.slice(i + delta);
}

describe('editing: completion, hover', () => {
  let repo: TempRepo;
  let model: RepositoryModel;
  before(() => {
    repo = makeRepo(FILES);
    model = new RepositoryModel(repo.root);
  });
  after(() => repo.cleanup());
  const complete = (file: string, marked: string) => completions({ file, model, ...at(marked) });
  const labels = (items: CompletionEntry[]) => items.map((i) => i.label);
  const hoverAt = (file: string, marked: string) => hover({ file, model, ...at(marked) })?.markdown;

  describe('completion from the schemas', () => {
    it('offers the keys not yet present, with descriptions and snippets shaped by type', () => {
      const items = complete('argocd/media.yaml', MEDIA.replace('  templatePatch: |', '  §\n  templatePatch: |'));
      const l = labels(items);
      for (const k of ['syncPolicy', 'strategy', 'preservedFields', 'ignoreApplicationDifferences']) assert.ok(l.includes(k), k);
      for (const k of ['goTemplate', 'generators', 'template', 'templatePatch']) assert.ok(!l.includes(k), `${k} is already there`);
      const strategy = items.find((i) => i.label === 'strategy')!;
      assert.equal(strategy.insertText, 'strategy:\n  $0');
      assert.ok(strategy.snippet);
      assert.match(strategy.documentation ?? '', /\S/);
      assert.equal(items.find((i) => i.label === 'preservedFields')!.insertText, 'preservedFields:\n  $0');
      assert.equal(items.find((i) => i.label === 'ignoreApplicationDifferences')!.insertText, 'ignoreApplicationDifferences:\n  - $0');
    });

    it('replaces the word being typed and keeps a colon already there', () => {
      const marked = MEDIA.replace('  templatePatch: |', '  stra§: x\n  templatePatch: |');
      const { offset } = at(marked);
      const item = complete('argocd/media.yaml', marked).find((i) => i.label === 'strategy')!;
      assert.deepEqual([item.start, item.end, item.insertText], [offset - 4, offset, 'strategy']);
    });

    it('nested keys of a list item are indented past the dash', () => {
      const marked = FILES['cluster/kubernetes/apps/media/jellyfin/kustomization.yaml'].replace('resources:', '  - §\nresources:');
      const items = complete('cluster/kubernetes/apps/media/jellyfin/kustomization.yaml', marked);
      assert.ok(labels(items).includes('valuesMerge'));
      assert.equal(items.find((i) => i.label === 'additionalValuesFiles')!.insertText, 'additionalValuesFiles:\n    - $0');
    });

    it('enum values with their descriptions, and booleans, in value position', () => {
      const e = complete('argocd/media.yaml', MEDIA.replace('  templatePatch: |', '  strategy:\n    type: §\n  templatePatch: |'));
      assert.deepEqual(labels(e), ['AllAtOnce', 'RollingSync']);
      const b = complete('argocd/media.yaml', MEDIA.replace('  goTemplate: true', '  goTemplate: §'));
      assert.deepEqual(labels(b), ['true', 'false']);
    });

    it('a new item of a list of strings: the schema’s examples, with their explanation', () => {
      const marked = MEDIA.replace('        namespace: \'{{index .path.segments 3}}\'', "        namespace: '{{index .path.segments 3}}'\n      syncPolicy:\n        syncOptions:\n          - §");
      const items = complete('argocd/media.yaml', marked);
      const create = items.find((i) => i.label === 'CreateNamespace=true');
      assert.ok(create, JSON.stringify(items.map((i) => i.label)));
      assert.match(create.documentation ?? '', /^Create the destination namespace/);
    });

    it('kustomization files by name', () => {
      const items = complete('cluster/kubernetes/apps/media/radarr/kustomization.yaml', 'resources: []\n§');
      assert.ok(labels(items).includes('helmCharts'));
      assert.ok(!labels(items).includes('resources'));
    });
  });

  describe('completion inside {{ }}', () => {
    it('the generator’s parameters for the first match, `index .path.segments N` with its value, variables and functions', () => {
      const items = complete('argocd/media.yaml', mark(MEDIA, '{{.path.basename}}', 2));
      const l = labels(items);
      for (const k of ['.path.path', '.path.basename', '.path.basenameNormalized', '.path.segments', 'index .path.segments 3', '$', 'lower', 'normalize', 'index', 'if']) assert.ok(l.includes(k), k);
      const seg3 = items.find((i) => i.label === 'index .path.segments 3')!;
      assert.equal(seg3.detail, 'media');
      assert.match(seg3.documentation ?? '', /cluster\/kubernetes\/apps\/media\/jellyfin/);
      assert.equal(items.find((i) => i.label === '.path.basename')!.detail, 'jellyfin');
      assert.match(items.find((i) => i.label === 'lower')!.documentation ?? '', /lower case/);
      assert.ok(!l.includes('env'), 'Argo CD removes env from sprig');
    });

    it('after a dot only fields, matched by what was typed; `index` items filter on the field', () => {
      const marked = MEDIA.replace("name: '{{index .path.segments 3}}-{{.path.basename}}'", "name: '{{ .path.se§ }}'");
      const items = complete('argocd/media.yaml', marked);
      const { offset } = at(marked);
      assert.ok(items.every((i) => i.kind === 'field'));
      const seg = items.find((i) => i.label === 'index .path.segments 3')!;
      assert.deepEqual([seg.start, seg.end, seg.filterText], [offset - 8, offset, '.path.segments 3']);
    });

    it('works while the template being typed makes every Application fail (parameters come from the generators)', () => {
      const broken = MEDIA.replace("name: '{{index .path.segments 3}}-{{.path.basename}}'", "name: '{{ .path.nope }}-{{ . }}'");
      const r = makeRepo({ ...FILES, 'argocd/media.yaml': broken });
      try {
        const m = new RepositoryModel(r.root);
        assert.equal(m.apps().filter((a) => a.appset.name === 'media').length, 0);
        const items = completions({ file: 'argocd/media.yaml', model: m, ...at(mark(broken, '{{ . }}', 4)) });
        assert.equal(items.find((i) => i.label === 'index .path.segments 3')?.detail, 'media');
        const h = hover({ file: 'argocd/media.yaml', model: m, ...at(mark(broken, '{{ .path.nope', 3)) });
        assert.match(h?.markdown ?? '', /^For cluster\/kubernetes\/apps\/media\/jellyfin, this fails: .*nope/);
      } finally {
        r.cleanup();
      }
    });

    it('inside templatePatch and generator templates too, but not in other strings', () => {
      assert.ok(labels(complete('argocd/media.yaml', mark(MEDIA, "{{ .path.basename }}'", 3))).includes('.path.basename'));
      assert.deepEqual(complete('argocd/media.yaml', MEDIA.replace('revision: HEAD', 'revision: "{{ .§"')), []);
    });

    it('legacy templates (goTemplate false): the flat keys, no functions', () => {
      const items = complete('argocd/legacy.yaml', mark(LEGACY, '{{path.basename}}', 2));
      const l = labels(items);
      for (const k of ['path', 'path.basename', 'path.basenameNormalized', 'path[3]']) assert.ok(l.includes(k), k);
      assert.equal(items.find((i) => i.label === 'path[3]')!.detail, 'media');
      assert.ok(!l.includes('lower'));
    });
  });

  describe('hover', () => {
    it('a key: the schema description, type and default', () => {
      assert.match(hoverAt('argocd/media.yaml', mark(MEDIA, 'goTemplate:', 2)) ?? '', /^\*\*goTemplate\*\* `boolean`\n\nRender templates with Go[\s\S]*Default: `false`/);
    });

    it('a git directories path: how many directories it matches, the first few, and what exclude takes away', () => {
      assert.equal(
        hoverAt('argocd/media.yaml', mark(MEDIA, 'apps/media/*', 3))?.split('\n')[0],
        'Matches 3 directories (1 of them excluded by an `exclude` entry): cluster/kubernetes/apps/media/jellyfin, cluster/kubernetes/apps/media/old, cluster/kubernetes/apps/media/radarr',
      );
      assert.equal(hoverAt('argocd/media.yaml', mark(MEDIA, 'apps/media/old', 3))?.split('\n')[0], 'Excludes 1 directory: cluster/kubernetes/apps/media/old');
    });

    it('a template string: its rendering for the first match', () => {
      assert.match(hoverAt('argocd/media.yaml', mark(MEDIA, '{{index .path.segments 3}}-', 5)) ?? '', /^For cluster\/kubernetes\/apps\/media\/jellyfin \(first of 2 matches\): `media-jellyfin`/);
      assert.match(hoverAt('argocd/media.yaml', mark(MEDIA, 'targetRevision:', 3)) ?? '', /```yaml\nspec:\n  source:\n    targetRevision: 'jellyfin'/);
    });

    it('a kustomization path: whether it exists', () => {
      const file = 'cluster/kubernetes/apps/media/jellyfin/kustomization.yaml';
      const text = FILES[file];
      assert.match(hover({ file, model, text, offset: text.indexOf('values.yaml') + 1 })?.markdown ?? '', /^`cluster\/kubernetes\/apps\/media\/jellyfin\/values.yaml` exists \(file\)/);
      assert.match(hover({ file, model, text, offset: text.indexOf('pvc.yaml') + 1 })?.markdown ?? '', /^`cluster\/kubernetes\/apps\/media\/jellyfin\/pvc.yaml` does not exist/);
    });

    it('a plain value: the description of its key', () => {
      const text = MEDIA.replace('  templatePatch: |', '  strategy:\n    type: RollingSync\n  templatePatch: |');
      const h = hover({ file: 'argocd/media.yaml', model, text, offset: text.indexOf('RollingSync') + 2 });
      assert.equal(h?.markdown, 'Roll-out strategy.');
    });
  });
});
