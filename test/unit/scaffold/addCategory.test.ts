import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run } from '../../../src/cli/main';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { Linter } from '../../../src/core/rules';
import { applyPlan, ApplyError, categories, isPlanErrors, nodeWriter, planAddApp, planAddCategory } from '../../../src/core/scaffold';
import { EXAMPLE_REPO, SEED_CORPUS, appset, makeRepo } from '../../support/repo';
import { LEGACY_REPO, assertOnlyPlaceholders, copyRepo, failingWriter, listing, requireSeed } from './helpers';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const problemKey = (p: { file: string; rule: string; message: string }) => `${p.file} ${p.rule} ${p.message}`;
const swap = (text: string, from: string, to: string) => text.replace(new RegExp(`(?<![A-Za-z0-9-])${from}(?![A-Za-z0-9-])`, 'g'), to);

const CASES = [
  { title: 'a copy of the seed corpus', source: () => SEED_CORPUS, needsSeed: true, appsets: 'pitower/kubernetes/argocd', apps: 'pitower/kubernetes/apps' },
  { title: 'a copy of the example repository', source: () => EXAMPLE_REPO, needsSeed: false, appsets: 'homelab/kubernetes/argocd', apps: 'homelab/kubernetes/apps' },
  { title: 'a copy of the legacy repository', source: () => LEGACY_REPO, needsSeed: false, appsets: 'clusters/home/argocd', apps: 'clusters/home/apps' },
];

describe('scaffold: Add Category', () => {
  for (const c of CASES) {
    describe(`on ${c.title}`, () => {
      let repo: { root: string; cleanup: () => void } | undefined;
      beforeEach(function () {
        if (c.needsSeed) requireSeed(this);
        repo = copyRepo(c.source());
      });
      afterEach(() => repo?.cleanup());

      it('writes appset-games.yaml equal to its neighbour with the category substituted, which the engine evaluates cleanly', async () => {
        const root = repo!.root;
        const before = new Set(new Linter(new RepositoryModel(root)).run().map(problemKey));
        const plan = planAddCategory(new RepositoryModel(root), 'games');
        assert.ok(!isPlanErrors(plan), JSON.stringify(plan));
        assert.equal(plan.mode, 'appset');
        const file = `${c.appsets}/appset-games.yaml`;
        assert.equal(plan.appset?.file, file);
        const neighbour = plan.appset!.modelledOn;
        const category = /appset-(.+)\.yaml$/.exec(neighbour)![1]!;
        const neighbourText = fs.readFileSync(path.join(root, neighbour), 'utf8');
        assert.equal(plan.files[0]!.content, swap(neighbourText, category, 'games'));
        assert.equal(swap(plan.files[0]!.content, 'games', category), neighbourText, 'only the category differs');
        assert.match(plan.notes.join('\n'), /Git does not track empty folders/);

        const r = await cli(['add-category', 'games', root]);
        assert.equal(r.code, 0, r.err);
        assert.ok(fs.existsSync(path.join(root, c.apps, 'games/.gitkeep')));
        const model = new RepositoryModel(root);
        const ev = model.appsets().find((e) => e.appset.name === 'games');
        assert.ok(ev, 'the engine finds the new ApplicationSet');
        assert.deepEqual(ev.problems, []);
        assert.equal(ev.complete, true);
        assert.deepEqual([...ev.deps.dirPatterns].filter((p) => !p.includes('tmp-')), [`${c.apps}/games/*`]);
        const fresh = new Linter(model).run().filter((p) => !before.has(problemKey(p)));
        assert.deepEqual(fresh.map((p) => p.rule), ['generator-path-no-match'], 'until its first app, the new pattern matches nothing (as the plan notes)');

        // The first app makes everything clean.
        const add = await cli(['add-app', 'games', 'minecraft', root]);
        assert.equal(add.code, 0, add.err);
        const after = new RepositoryModel(root);
        assert.ok(after.apps().some((a) => a.appset.name === 'games' && a.path === `${c.apps}/games/minecraft`));
        assertOnlyPlaceholders(root, `${c.apps}/games/minecraft`, new Linter(after).run().filter((p) => !before.has(problemKey(p))));
      });

      it('refuses an existing category and an invalid name, touching nothing', async () => {
        const root = repo!.root;
        const model = new RepositoryModel(root);
        const existing = categories(model)[0]!;
        const snapshot = listing(root);
        const r = await cli(['add-category', existing.label, root]);
        assert.equal(r.code, 1);
        assert.match(r.err, /already exists|already uses the pattern/);
        const bad = await cli(['add-category', 'Games!', root]);
        assert.equal(bad.code, 1);
        assert.match(bad.err, /"Games!" is not a valid category name/);
        assert.deepEqual(listing(root), snapshot);
      });
    });
  }

  it('lists the new appset in the kustomization that deploys the appsets (example repository), and rolls that back too', () => {
    const repo = copyRepo(EXAMPLE_REPO);
    try {
      const kustomization = path.join(repo.root, 'homelab/kubernetes/argocd/kustomization.yaml');
      const original = fs.readFileSync(kustomization, 'utf8');
      const plan = planAddCategory(new RepositoryModel(repo.root), 'games');
      assert.ok(!isPlanErrors(plan));
      assert.equal(plan.edits.length, 1);
      const snapshot = listing(repo.root);
      assert.throws(() => applyPlan(plan, failingWriter(nodeWriter(repo.root), { failOnCreate: 2 })), ApplyError);
      assert.deepEqual(listing(repo.root), snapshot);
      applyPlan(plan, nodeWriter(repo.root));
      assert.equal(fs.readFileSync(kustomization, 'utf8'), original.replace('  - appset-cert-manager.yaml\n', '  - appset-cert-manager.yaml\n  - appset-games.yaml\n'));
    } finally {
      repo.cleanup();
    }
  });

  it('with one appset over apps/<cluster>/*/*, creates only the category folder, which Add App then offers', () => {
    const repo = makeRepo({
      'argocd/apps.yaml': appset('apps', `  goTemplate: true\n  generators:\n    - git:\n        repoURL: https://example.org/r\n        revision: HEAD\n        directories:\n          - path: kubernetes/apps/pitower/*/*\n  template:\n    metadata:\n      name: "{{index .path.segments 3}}-{{.path.basename}}"\n    spec:\n      project: default\n      source: {repoURL: https://example.org/r, targetRevision: HEAD, path: "{{.path.path}}"}\n      destination: {server: https://kubernetes.default.svc, namespace: "{{index .path.segments 3}}"}\n`),
      'kubernetes/apps/pitower/media/jellyfin/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: media\nresources: []\n',
    });
    try {
      const plan = planAddCategory(new RepositoryModel(repo.root), 'games');
      assert.ok(!isPlanErrors(plan));
      assert.equal(plan.mode, 'folder');
      assert.deepEqual(plan.files, [{ path: 'kubernetes/apps/pitower/games/.gitkeep', content: '' }]);
      assert.equal(plan.appset, undefined);
      applyPlan(plan, nodeWriter(repo.root));
      const model = new RepositoryModel(repo.root);
      const games = categories(model).find((x) => x.label === 'games');
      assert.equal(games?.folder, 'kubernetes/apps/pitower/games');
      const app = planAddApp(model, { category: 'games', name: 'minecraft' });
      assert.ok(!isPlanErrors(app), JSON.stringify(app));
      assert.equal(app.application.name, 'games-minecraft');
      assert.equal(app.application.namespace, 'games');
    } finally {
      repo.cleanup();
    }
  });
});
