/**
 * The server's folder state hands every change to the model as one update: a branch switch's
 * 20,000 file events are one pass (each ApplicationSet evaluated once), an editor edit is one
 * pass, and editor buffers have one owner (the model) that a rebuild for new settings keeps.
 * Time is the bench's business (`npm run bench -- engine`: the burst row); this checks the work
 * done and that the result is what a fresh build of the same disk gives.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Problem } from '../../../src/core/problems';
import { DEFAULT_SETTINGS } from '../../../src/server/settings';
import { WorkspaceFolderState, type PublishTarget } from '../../../src/server/workspace';
import { switchBranch, writeBranchRepo, type BranchRepoShape } from '../../support/branchSwitch';
import { makeRepo } from '../../support/repo';

/** 2,000 apps of 10 files; the switch swaps half of them: 10,000 files deleted, 10,000 created. */
const SHAPE: BranchRepoShape = { categories: 10, appsPerCategory: 200, filesPerApp: 10 };
/** Longer than the test: the timer never fires, so each flush is the test's own. */
const NO_DEBOUNCE = 3_600_000;

interface Recorder extends PublishTarget {
  published: Map<string, readonly Problem[]>;
  modelChanges: number;
}

function recorder(): Recorder {
  const r: Recorder = {
    published: new Map(),
    modelChanges: 0,
    publish: (uri, problems) => {
      if (problems.length === 0) r.published.delete(uri);
      else r.published.set(uri, problems);
    },
    modelChanged: () => void r.modelChanges++,
    log: () => undefined,
  };
  return r;
}

describe('server folder state: batched updates, one owner of editor buffers', function () {
  this.timeout(180_000);
  const folders: WorkspaceFolderState[] = [];
  afterEach(() => {
    for (const f of folders.splice(0)) f.dispose();
  });
  const open = (root: string, target = recorder(), documents?: ReadonlyMap<string, string>) => {
    const folder = new WorkspaceFolderState(root, DEFAULT_SETTINGS, target, NO_DEBOUNCE, documents);
    folders.push(folder);
    return { folder, target };
  };

  it('applies a branch switch of 20,000 file events in one pass and ends where a fresh build starts', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-burst-'));
    try {
      writeBranchRepo(root, SHAPE);
      const { folder, target } = open(root);
      assert.equal(folder.repository.apps().length, 2000);
      const events = switchBranch(root, SHAPE, 'topic', { swapPerCategory: 100, seed: 15, repeats: true });
      assert.ok(events.length >= 20_000, `${events.length} events`);
      const before = folder.repository.work;
      const changesBefore = target.modelChanges;
      for (const e of events) folder.fileChanged(e.rel);
      // Queued, not worked on: the server keeps answering while the events arrive.
      assert.deepEqual(folder.repository.work, before);
      const snapshot = folder.modelSnapshot();
      const after = folder.repository.work;
      assert.equal(after.builds, before.builds, 'no rebuild');
      assert.equal(after.passes - before.passes, 1, 'one pass for the whole burst');
      assert.equal(after.evaluations - before.evaluations, SHAPE.categories, 'each ApplicationSet evaluated once');
      assert.equal(target.modelChanges - changesBefore, 1, 'one model change announced');

      const fresh = open(root);
      assert.deepEqual(snapshot, fresh.folder.modelSnapshot());
      assert.equal(snapshot.apps.length, 2000);
      assert.ok(snapshot.apps.some((a) => a.name === 'topic-000-0') && !snapshot.apps.some((a) => a.name === 'app-000-0'));
      assert.deepEqual(new Map([...target.published].sort()), new Map([...fresh.target.published].sort()));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('applies an editor edit in one pass that evaluates its ApplicationSet once', () => {
    const repo = makeRepo({});
    try {
      writeBranchRepo(repo.root, { categories: 3, appsPerCategory: 4, filesPerApp: 2 });
      const { folder } = open(repo.root);
      const file = 'cluster/argocd/category-01.yaml';
      const text = fs.readFileSync(path.join(repo.root, file), 'utf8').replace('"{{.path.basename}}-1"', '"edited-{{.path.basename}}"');
      const before = folder.repository.work;
      folder.setOverlay(file, text);
      const apps = folder.modelSnapshot().apps.map((a) => a.name);
      const after = folder.repository.work;
      assert.equal(after.passes - before.passes, 1);
      assert.equal(after.evaluations - before.evaluations, 1);
      assert.ok(apps.includes('edited-app-000') && !apps.includes('app-000-1'));
    } finally {
      repo.cleanup();
    }
  });

  it('keeps editor buffers across a rebuild for new settings, and goes back to the disk when one closes', () => {
    const repo = makeRepo({});
    try {
      writeBranchRepo(repo.root, { categories: 2, appsPerCategory: 3, filesPerApp: 2 });
      const file = 'cluster/argocd/category-00.yaml';
      const edited = fs.readFileSync(path.join(repo.root, file), 'utf8').replace('"{{.path.basename}}-0"', '"open-{{.path.basename}}"');
      const { folder } = open(repo.root, recorder(), new Map([[file, edited]]));
      const names = () => folder.modelSnapshot().apps.map((a) => a.name);
      assert.ok(names().includes('open-app-000'), 'a buffer open at start counts');
      // A pending edit (not flushed yet) is carried into the rebuilt model too.
      folder.setOverlay(file, edited.replace('open-', 'typed-'));
      folder.updateSettings({ ...DEFAULT_SETTINGS, exclude: ['cluster/apps/category-01'] });
      assert.deepEqual(names().sort(), ['typed-app-000', 'typed-app-001', 'typed-app-002']);
      folder.setOverlay(file, undefined);
      assert.deepEqual(names().sort(), ['app-000-0', 'app-001-0', 'app-002-0']);
    } finally {
      repo.cleanup();
    }
  });
});
