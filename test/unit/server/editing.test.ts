import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyTextEdits, applyWorkspaceEdit, LspClient, positionOf, SERVER, type CompletionItem, type Diagnostic } from '../../support/lspClient';
import { appset, makeRepo, SEED_CORPUS, type TempRepo } from '../../support/repo';
import { requireShared } from '../../support/shared';
import { Requests } from '../../../src/shared/protocol';

const APPSET = (opts = '  goTemplateOptions: ["missingkey=error"]\n', name = '{{index .path.segments 3}}-{{.path.basename}}') =>
  appset(
    'media',
    `  goTemplate: true
${opts}  generators:
    - git:
        repoURL: https://example.com/repo.git
        revision: HEAD
        directories:
          - path: pitower/kubernetes/apps/media/*
  template:
    metadata:
      name: '${name}'
    spec:
      project: default
      source:
        repoURL: https://example.com/repo.git
        path: '{{.path.path}}'
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{index .path.segments 3}}'`,
  );

const KUSTOMIZATION = 'helmCharts:\n  - name: app-template\n    valuesFile: values.yaml\nresources:\n  - pvcc.yaml\n';

const FILES = {
  'argocd/media.yaml': APPSET(),
  'pitower/kubernetes/apps/media/jellyfin/kustomization.yaml': KUSTOMIZATION,
  'pitower/kubernetes/apps/media/jellyfin/pvc.yaml': 'kind: PersistentVolumeClaim\n',
  'pitower/kubernetes/apps/media/radarr/kustomization.yaml': 'resources: []\n',
};

describe('language server over stdio: completion, hover, code actions', function () {
  let repo: TempRepo;
  let client: LspClient;
  before(() => assert.ok(fs.existsSync(SERVER), 'dist/server.js is built by `npm test` before the unit tests'));
  afterEach(async () => {
    await client?.close();
    repo?.cleanup();
  });

  /** Starts the server on a repository whose files are already on disk, `open` ones opened as they are. */
  async function start(files: Record<string, string>, open: string[]): Promise<void> {
    repo = makeRepo(files);
    client = new LspClient(repo.root);
    const init = (await client.initialize()) as { capabilities: Record<string, unknown> };
    assert.ok(init.capabilities['completionProvider'] && init.capabilities['hoverProvider'] && init.capabilities['codeActionProvider']);
    for (const rel of open) await client.open(rel, files[rel] as string);
  }
  const labels = (items: CompletionItem[]) => items.map((i) => i.label);

  it('completes schema keys at a key position, with documentation and a snippet', async () => {
    const text = APPSET().replace('      project: default\n', '      project: default\n      \n');
    await start({ ...FILES, 'argocd/media.yaml': text }, ['argocd/media.yaml']);
    const items = await client.completion('argocd/media.yaml', positionOf(text, '      \n', 6));
    const l = labels(items);
    for (const k of ['syncPolicy', 'ignoreDifferences', 'sources', 'revisionHistoryLimit']) assert.ok(l.includes(k), k);
    for (const k of ['project', 'source', 'destination']) assert.ok(!l.includes(k), `${k} is already there`);
    const sync = items.find((i) => i.label === 'syncPolicy')!;
    assert.equal(sync.insertTextFormat, 2);
    assert.equal(sync.textEdit?.newText, 'syncPolicy:\n  $0');
    assert.match(typeof sync.documentation === 'object' ? sync.documentation.value : '', /sync/i);
  });

  it('completes inside {{ }} with the parameters of the first match: `index .path.segments 3` shows media', async () => {
    await start(FILES, ['argocd/media.yaml']);
    const text = FILES['argocd/media.yaml'];
    const items = await client.completion('argocd/media.yaml', positionOf(text, '{{.path.basename}}', 2));
    const l = labels(items);
    for (const k of ['.path.path', '.path.basename', '.path.basenameNormalized', '.path.segments', 'index .path.segments 3', 'lower', 'normalize']) assert.ok(l.includes(k), k);
    assert.equal(items.find((i) => i.label === 'index .path.segments 3')!.detail, 'media');
    assert.equal(items.find((i) => i.label === '.path.basename')!.detail, 'jellyfin');
  });

  it('hovers: schema description, what a generator path matches, a template’s rendering for the first match', async () => {
    await start(FILES, ['argocd/media.yaml']);
    const text = FILES['argocd/media.yaml'];
    assert.match((await client.hover('argocd/media.yaml', positionOf(text, 'goTemplate:', 2))) ?? '', /^\*\*goTemplate\*\* `boolean`\n\nRender templates with Go/);
    assert.equal(
      (await client.hover('argocd/media.yaml', positionOf(text, 'apps/media/*', 2)))?.split('\n')[0],
      'Matches 2 directories: pitower/kubernetes/apps/media/jellyfin, pitower/kubernetes/apps/media/radarr',
    );
    assert.match((await client.hover('argocd/media.yaml', positionOf(text, '{{index .path.segments 3}}-', 4))) ?? '', /^For pitower\/kubernetes\/apps\/media\/jellyfin \(first of 2 matches\): `media-jellyfin`/);
  });

  it('code action: the near-miss resource name is corrected, and the rule can be ignored on its line', async () => {
    const rel = 'pitower/kubernetes/apps/media/jellyfin/kustomization.yaml';
    await start({ ...FILES, [rel.replace('kustomization.yaml', 'values.yaml')]: 'a: 1\n' }, [rel]);
    const diags = await client.waitForDiagnostics(rel, (d) => d.some((x) => x.code === 'kustomize-missing-path'));
    const d = diags.filter((x) => x.code === 'kustomize-missing-path');
    const actions = await client.codeActions(rel, d);
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind]),
      [
        ['Change to "pvc.yaml"', 'quickfix'],
        ['Ignore kustomize-missing-path on this line', 'quickfix'],
      ],
    );
    const apply = (i: number) => applyWorkspaceEdit(actions[i]!.edit!, new Map([[client.uri(rel), KUSTOMIZATION]])).get(client.uri(rel));
    assert.equal(apply(0), KUSTOMIZATION.replace('pvcc.yaml', 'pvc.yaml'));
    assert.equal(apply(1), KUSTOMIZATION.replace('  - pvcc.yaml', '  # home-ops-disable-next-line kustomize-missing-path\n  - pvcc.yaml'));
  });

  it('code action: a missing values file is created empty, and an existing one is never overwritten', async () => {
    const rel = 'pitower/kubernetes/apps/media/jellyfin/kustomization.yaml';
    await start({ ...FILES, [rel]: KUSTOMIZATION.replace('pvcc.yaml', 'pvc.yaml') }, [rel]);
    const d = (await client.waitForDiagnostics(rel, (x) => x.some((y) => y.code === 'kustomize-missing-path'))).filter((x) => x.code === 'kustomize-missing-path');
    const actions = await client.codeActions(rel, d);
    const create = actions.find((a) => a.title === 'Create values.yaml (an empty values file)');
    assert.ok(create, JSON.stringify(actions.map((a) => a.title)));
    assert.deepEqual(create.edit?.documentChanges, [{ kind: 'create', uri: client.uri(rel.replace('kustomization.yaml', 'values.yaml')), options: { ignoreIfExists: true } }]);
    // Someone writes the file between the diagnostic and the click: applying leaves it alone.
    const values = path.join(repo.root, 'pitower/kubernetes/apps/media/jellyfin/values.yaml');
    fs.writeFileSync(values, 'replicas: 2\n');
    applyWorkspaceEdit(create.edit!, new Map());
    assert.equal(fs.readFileSync(values, 'utf8'), 'replicas: 2\n');
    fs.rmSync(values);
    applyWorkspaceEdit(create.edit!, new Map());
    assert.equal(fs.readFileSync(values, 'utf8'), '');
  });

  it('code actions: add missingkey=error; lower-case an invalid templated name', async () => {
    const text = APPSET('', 'Media-{{.path.basename}}');
    await start({ ...FILES, 'argocd/media.yaml': text }, ['argocd/media.yaml']);
    const diags = await client.waitForDiagnostics('argocd/media.yaml', (d) => d.some((x) => x.code === 'missingkey-error') && d.some((x) => x.code === 'invalid-app-name'));
    const fixOf = async (code: string): Promise<string> => {
      const d: Diagnostic[] = diags.filter((x) => x.code === code);
      const actions = await client.codeActions('argocd/media.yaml', d);
      const fix = actions.find((a) => !a.title.startsWith('Ignore'));
      assert.ok(fix?.edit, `${code}: ${JSON.stringify(actions.map((a) => a.title))}`);
      const edits = fix.edit.changes?.[client.uri('argocd/media.yaml')] ?? fix.edit.documentChanges?.flatMap((c) => ('edits' in c ? c.edits : [])) ?? [];
      return applyTextEdits(text, edits);
    };
    assert.equal(await fixOf('missingkey-error'), text.replace('  goTemplate: true\n', '  goTemplate: true\n  goTemplateOptions: ["missingkey=error"]\n'));
    assert.equal(await fixOf('invalid-app-name'), text.replace("name: 'Media-{{.path.basename}}'", "name: 'media-{{.path.basename | lower}}'"));
  });

  it('answers from the model it keeps, on the seed corpus', async function () {
    requireShared(this, 'the language server on the seed corpus', SEED_CORPUS);
    client = new LspClient(SEED_CORPUS);
    await client.initialize();
    const rel = 'pitower/kubernetes/argocd/appset-media.yaml';
    const text = fs.readFileSync(path.join(SEED_CORPUS, rel), 'utf8');
    await client.open(rel, text);
    const inTemplate = positionOf(text, '{{.path.basename}}', 2);
    const onPath = positionOf(text, 'apps/media/*', 2);
    const first = await client.completion(rel, inTemplate);
    assert.equal(first.find((i) => i.label === 'index .path.segments 3')?.detail, 'media');
    assert.match((await client.hover(rel, onPath)) ?? '', /^Matches 7 directories: pitower\/kubernetes\/apps\/media\//);
    // Asking changes nothing: the same answers, and no re-lint (the server announces each one).
    // How fast it answers is a row of `npm run bench` (completion + hover, p50 < 50 ms).
    await client.connection.sendRequest(Requests.model); // the open's debounced re-lint, done now
    const relints = client.modelChanges;
    const hover = await client.hover(rel, onPath);
    for (let i = 0; i < 20; i++) {
      assert.deepEqual(await client.completion(rel, inTemplate), first);
      assert.equal(await client.hover(rel, onPath), hover);
    }
    assert.equal(client.modelChanges, relints);
  });
});
