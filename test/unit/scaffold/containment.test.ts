/**
 * Scaffold never writes outside the repository: a category folder, or any folder above it, may be
 * a symbolic link to somewhere else. Checked through the CLI (add-app, add-category) and through
 * the language server's scaffold requests, which is what the editor's commands call before they
 * apply a plan.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../../src/cli/main';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { applyPlan, ApplyError, isPlanErrors, nodeWriter, planAddApp, planLeavesRoot, writeLeavesRoot, type AddAppPlan } from '../../../src/core/scaffold';
import { LspClient, SERVER } from '../../support/lspClient';
import { appset, makeRepo, type TempRepo } from '../../support/repo';
import { listing } from './helpers';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

/** One ApplicationSet per category (`apps/<category>/*`), like most home-ops repositories. */
const categoryAppSet = (category: string) =>
  appset(
    category,
    `  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - git:
        repoURL: https://example.com/r.git
        revision: HEAD
        directories:
          - path: apps/${category}/*
  template:
    metadata:
      name: '{{.path.basename}}'
    spec:
      project: default
      source: {repoURL: https://example.com/r.git, path: '{{.path.path}}'}
      destination: {server: https://kubernetes.default.svc, namespace: ${category}}`,
  );

interface Layout {
  what: string;
  /** The link inside the repository and what it points to, relative to the outside folder. */
  link: string;
  target: string;
  /** The message names the link. */
  named: RegExp;
}

const LAYOUTS: Layout[] = [
  { what: 'the category folder is a link out of the repository', link: 'apps/banking', target: 'banking', named: /apps\/banking is a symbolic link to .*outside the repository/ },
  { what: 'a parent of the category folder is a link out of the repository', link: 'apps', target: 'apps', named: /(^|\s)apps is a symbolic link to .*outside the repository/m },
];

describe('scaffold: nothing is written through a link that leaves the repository', function () {
  this.timeout(30000);
  let repo: TempRepo;
  let outside: string;

  /** The repository with `apps/media/sonarr` real, and the banking category reached through `layout.link`. */
  function setup(layout: Layout): void {
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-outside-'));
    const inOutside = (rel: string) => path.join(outside, ...rel.split('/'));
    fs.mkdirSync(inOutside(layout.link === 'apps' ? 'apps/banking/ledger' : 'banking/ledger'), { recursive: true });
    fs.writeFileSync(inOutside(layout.link === 'apps' ? 'apps/banking/ledger/kustomization.yaml' : 'banking/ledger/kustomization.yaml'), 'resources: []\n');
    repo = makeRepo({
      'argocd/banking.yaml': categoryAppSet('banking'),
      'argocd/media.yaml': categoryAppSet('media'),
      ...(layout.link === 'apps' ? {} : { 'apps/media/sonarr/kustomization.yaml': 'resources: []\n' }),
    });
    fs.symlinkSync(inOutside(layout.target), path.join(repo.root, ...layout.link.split('/')));
  }
  afterEach(() => {
    repo?.cleanup();
    if (outside) fs.rmSync(outside, { recursive: true, force: true });
  });

  for (const layout of LAYOUTS) {
    it(`home-ops add-app: ${layout.what}`, async () => {
      setup(layout);
      const before = listing(outside);
      const r = await cli(['add-app', 'banking', 'evil', repo.root, '--plain']);
      assert.equal(r.code, 1, r.out + r.err);
      assert.match(r.err, layout.named);
      assert.match(r.err, /Home-Ops writes nothing there/);
      assert.deepEqual(listing(outside), before, 'nothing written outside');
    });

    it(`home-ops add-category: ${layout.what} (the new category's folder would be created through it)`, async () => {
      setup(layout);
      const before = listing(outside);
      const r = await cli(['add-category', 'savings', repo.root]);
      if (layout.link === 'apps') {
        assert.equal(r.code, 1, r.out + r.err);
        assert.match(r.err, layout.named);
      } else {
        // apps/savings is a real folder beside the link: allowed, and written in the repository.
        assert.equal(r.code, 0, r.out + r.err);
        assert.ok(fs.existsSync(path.join(repo.root, 'apps/savings')));
      }
      assert.deepEqual(listing(outside), before, 'nothing written outside');
    });
  }

  it('applyPlan checks again: a link that appears after planning is refused before anything is written', () => {
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-outside-'));
    repo = makeRepo({ 'argocd/banking.yaml': categoryAppSet('banking'), 'apps/banking/ledger/kustomization.yaml': 'resources: []\n' });
    const plan = planAddApp(new RepositoryModel(repo.root), { category: 'banking', name: 'evil', source: { kind: 'plain' } }, nodeWriter(repo.root));
    assert.ok(!isPlanErrors(plan), JSON.stringify(plan));
    fs.rmSync(path.join(repo.root, 'apps/banking'), { recursive: true });
    fs.symlinkSync(outside, path.join(repo.root, 'apps/banking'));
    assert.throws(() => applyPlan(plan as AddAppPlan, nodeWriter(repo.root)), (e: ApplyError) => /apps\/banking is a symbolic link to .*outside the repository/.test(e.message));
    assert.deepEqual(fs.readdirSync(outside), []);
    // What the editor checks before it applies a plan as a WorkspaceEdit.
    assert.match(planLeavesRoot(repo.root, plan as AddAppPlan).join('\n'), /apps\/banking is a symbolic link to/);
  });

  it('links that stay inside the repository, and a broken link, are told apart', () => {
    repo = makeRepo({ 'apps/real/x.yaml': 'a: 1\n' });
    fs.symlinkSync('real', path.join(repo.root, 'apps/alias'));
    fs.symlinkSync('/nonexistent/home-ops', path.join(repo.root, 'apps/dangling'));
    assert.equal(writeLeavesRoot(repo.root, 'apps/alias/new/kustomization.yaml'), undefined);
    assert.equal(writeLeavesRoot(repo.root, 'apps/new/deeper/file.yaml'), undefined);
    assert.match(writeLeavesRoot(repo.root, 'apps/dangling/x') ?? '', /apps\/dangling is a symbolic link that points nowhere \(\/nonexistent\/home-ops\)/);
  });

  describe('through the language server (the editor plans with these requests)', () => {
    let client: LspClient | undefined;
    before(() => assert.ok(fs.existsSync(SERVER), 'dist/server.js is built by `npm test` before the unit tests'));
    afterEach(async () => {
      await client?.close();
      client = undefined;
    });

    for (const layout of LAYOUTS) {
      it(`homeOps/scaffold/checkName and planApp refuse: ${layout.what}`, async () => {
        setup(layout);
        const before = listing(outside);
        client = new LspClient(repo.root);
        await client.initialize();
        const folders = await client.connection.sendRequest<Array<{ root: string; categories: Array<{ id: string; label: string }> }>>('homeOps/scaffold/categories');
        const banking = folders[0]?.categories.find((c) => c.label === 'banking');
        assert.ok(banking, JSON.stringify(folders));
        const check = await client.connection.sendRequest<{ errors: string[] }>('homeOps/scaffold/checkName', { root: repo.root, categoryId: banking.id, name: 'evil' });
        assert.match(check.errors.join('\n'), layout.named);
        const plan = await client.connection.sendRequest<{ errors?: string[] }>('homeOps/scaffold/planApp', { root: repo.root, categoryId: banking.id, name: 'evil', source: { kind: 'plain' } });
        assert.match((plan.errors ?? []).join('\n'), layout.named);
        assert.deepEqual(listing(outside), before, 'nothing written outside');
      });
    }

    it('homeOps/scaffold/planCategory refuses when the categories folder is a link out of the repository', async () => {
      setup(LAYOUTS[1] as Layout);
      client = new LspClient(repo.root);
      await client.initialize();
      const plan = await client.connection.sendRequest<{ errors?: string[] }>('homeOps/scaffold/planCategory', { root: repo.root, name: 'savings' });
      assert.match((plan.errors ?? []).join('\n'), /(^|\s)apps is a symbolic link to .*outside the repository/m);
    });
  });
});
