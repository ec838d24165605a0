/**
 * Robustness: a burst of watched-file events through the real language server over stdio, as a
 * branch switch sends them (thousands, in several notifications, shuffled, some repeated, folder
 * events among them), with an editor buffer open the whole time. After each burst the server
 * must answer `homeOps/model` with what a fresh model of the disk (and the open buffer) gives.
 * Deterministic: HOME_OPS_FUZZ_SEED reproduces a run.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { Linter } from '../../../src/core/rules';
import { treeApps, treeAppSets } from '../../../src/core/tree/fromModel';
import { Requests, type ModelResponse } from '../../../src/shared/protocol';
import { makeRng } from '../../support/fuzzMutate';
import { switchBranch, writeBranchRepo, type BranchRepoShape } from '../../support/branchSwitch';
import { LspClient, SERVER } from '../../support/lspClient';

const SEED = Number(process.env['HOME_OPS_FUZZ_SEED'] ?? 20260101);
/** 1,000 apps of 5 files; each switch swaps 40%: 2,000 files deleted and 2,000 created. */
const SHAPE: BranchRepoShape = { categories: 10, appsPerCategory: 100, filesPerApp: 5 };
const SWAP = 40;
const OPEN_FILE = 'cluster/argocd/category-03.yaml';

describe('robustness: a burst of file events through the language server', function () {
  this.timeout(300_000);
  let root: string;
  let client: LspClient | undefined;
  before(() => {
    assert.ok(fs.existsSync(SERVER), 'dist/server.js is built by `npm test` before the unit tests');
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-fuzz-burst-'));
    writeBranchRepo(root, SHAPE);
  });
  after(async () => {
    await client?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it(`answers homeOps/model like a fresh model after each of four branch switches (seed ${SEED})`, async () => {
    const rng = makeRng(SEED);
    client = new LspClient(root);
    await client.initialize();
    const buffer = fs.readFileSync(path.join(root, OPEN_FILE), 'utf8').replace('"{{.path.basename}}-3"', '"buffer-{{.path.basename}}"');
    await client.open(OPEN_FILE, buffer);
    const model = async (): Promise<ModelResponse> => {
      const folders = await (client as LspClient).connection.sendRequest(Requests.model);
      assert.equal(folders.length, 1);
      return folders[0] as ModelResponse;
    };
    const first = await model();
    assert.equal(first.apps.length, SHAPE.categories * SHAPE.appsPerCategory);
    for (const [round, to] of (['topic', 'main', 'topic', 'main'] as const).entries()) {
      const events = switchBranch(root, SHAPE, to, { swapPerCategory: SWAP, folderEvents: rng.chance(0.5), seed: rng.int(2 ** 31), repeats: true });
      assert.ok(events.length >= 4000, `${events.length} events`);
      // Watchers deliver a burst in batches of arbitrary size.
      for (let i = 0; i < events.length; ) {
        const n = 1 + rng.int(1500);
        await client.filesEvents(events.slice(i, i + n));
        i += n;
      }
      const answer = await model();
      const fresh = new RepositoryModel(root, { overlays: new Map([[OPEN_FILE, buffer]]) });
      const expected: ModelResponse = { root: answer.root, appsets: treeAppSets(fresh, new Linter(fresh).run()), apps: treeApps(fresh) };
      assert.deepEqual(answer, expected, `round ${round} (to ${to}, ${events.length} events)`);
      assert.ok(answer.apps.some((a) => a.name === `${to === 'topic' ? 'topic' : 'app'}-000-0`));
      assert.ok(answer.apps.some((a) => a.name === 'buffer-app-099'), 'the open buffer still counts');
    }
  });
});
