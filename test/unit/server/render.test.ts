/**
 * The language server's render requests against hostile tools and repositories: every request
 * is answered, with an error that says what happened.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { LspClient, SERVER } from '../../support/lspClient';
import { makeRepo, type TempRepo } from '../../support/repo';
import { ONE_APP, pipeHoldingTool, tempDir } from '../render/support';

describe('language server over stdio: render requests', function () {
  this.timeout(30000);
  let repo: TempRepo;
  let dir: string;
  let client: LspClient | undefined;
  before(() => assert.ok(fs.existsSync(SERVER), 'dist/server.js is built by `npm test` before the unit tests'));
  beforeEach(() => {
    repo = makeRepo(ONE_APP);
    dir = tempDir('home-ops-server-render-');
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    repo.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers homeOps/render with a timeout error when a descendant of kustomize keeps the pipes open', async function () {
    const fake = pipeHoldingTool(dir);
    if (!fake) this.skip(); // no setsid
    try {
      client = new LspClient(repo.root, { settings: { render: { kustomizePath: fake.file, timeoutSeconds: 2 } } });
      await client.initialize({ trusted: true, cacheDir: dir });
      const started = Date.now();
      const answer = client.connection.sendRequest('homeOps/render', { root: repo.root, app: 'one' });
      const unanswered = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('homeOps/render unanswered after 15 s')), 15000));
      await assert.rejects(Promise.race([answer, unanswered]), (e: Error & { data?: { kind?: string } }) => {
        assert.match(e.message, /timed out after 2 s/);
        assert.equal(e.data?.kind, 'timeout');
        return true;
      });
      assert.ok(Date.now() - started < 10000, `answered after ${Date.now() - started} ms`);
    } finally {
      fake.cleanup();
    }
  });
});
