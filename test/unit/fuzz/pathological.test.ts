/**
 * Robustness: pathological inputs (alias bombs, deep nesting, 10 MB files, runaway templates,
 * file-system oddities) through the model and linter, the CLI, and the real language server
 * over stdio. Each must finish with well-formed problems, keep memory growth bounded, and leave
 * the server alive and answering.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { run } from '../../../src/cli/main';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { Linter } from '../../../src/core/rules';
import { PATHOLOGICAL, writeCase } from '../../support/fuzzPathological';
import { problemDefect } from '../../support/fuzzRunner';
import { LspClient, SERVER } from '../../support/lspClient';
import { makeRepo, type TempRepo } from '../../support/repo';
import { Requests } from '../../../src/shared/protocol';

/**
 * Memory a case may add (RSS, after a collection): an expansion the bounds do not stop would
 * take gigabytes. How long each case takes is a row of `npm run bench` (robustness).
 */
const RSS_BOUND_MB = 300;
/** The server not answering for this long is a hang (a liveness check, not a speed figure). */
const UNANSWERED_MS = 20_000;


// A collection before each stage, so that each is measured from what is live, not from the
// garbage of the stage before (mocha runs without --expose-gc).
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

function rssMb(): number {
  return process.memoryUsage().rss / (1024 * 1024);
}

const timings: string[] = [];

describe('robustness: pathological inputs', function () {
  this.timeout(120000);
  after(() => {
    for (const t of timings) console.log(`      pathological: ${t}`);
  });

  describe('model, linter and CLI in-process', () => {
    for (const c of PATHOLOGICAL) {
      it(c.name, async function () {
        const repo = makeRepo({});
        try {
          writeCase(repo, c);
          let grew = 0;
          let rss0 = 0;
          const stage = () => {
            collect();
            rss0 = rssMb();
          };
          const sample = () => (grew = Math.max(grew, rssMb() - rss0));
          stage();
          let t = performance.now();
          const model = new RepositoryModel(repo.root);
          const linter = new Linter(model);
          const problems = linter.run();
          sample();
          const loadMs = performance.now() - t;
          // The editor path: the same text as an unsaved buffer, linted, then dropped.
          let overlayMs = 0;
          if (c.text) {
            const text = c.text();
            stage();
            t = performance.now();
            model.setOverlay(c.file, `${text}\n`);
            for (const p of linter.run()) assert.equal(problemDefect(p, (f) => model.textOf(f)), undefined, `${p.rule} at ${JSON.stringify(p.range)}`);
            sample();
            model.setOverlay(c.file, undefined);
            overlayMs = performance.now() - t;
          }
          for (const p of problems) assert.equal(problemDefect(p, (f) => model.textOf(f)), undefined, `${p.rule} at ${JSON.stringify(p.range)}`);
          stage();
          t = performance.now();
          const out: string[] = [];
          // Notes and problems go to stderr; stdout must hold the JSON alone.
          const io = { out: (s: string) => void out.push(s), err: () => undefined };
          const lintCode = await run(['lint', repo.root, '--format', 'json'], io);
          assert.ok(lintCode === 0 || lintCode === 1, `lint exit code ${lintCode}`);
          const lintJson = JSON.parse(out[0] ?? 'null') as unknown;
          assert.ok(Array.isArray(lintJson), 'lint --format json prints an array');
          sample();
          out.length = 0;
          stage();
          const appsCode = await run(['apps', repo.root, '--json'], io);
          assert.ok(appsCode === 0 || appsCode === 1, `apps exit code ${appsCode}`);
          assert.doesNotThrow(() => JSON.parse(out[0] ?? ''), 'apps --json prints JSON');
          sample();
          const cliMs = performance.now() - t;
          timings.push(`${c.name}: load+lint ${loadMs.toFixed(0)} ms, overlay ${overlayMs.toFixed(0)} ms, CLI ${cliMs.toFixed(0)} ms, RSS +${grew.toFixed(0)} MB; ${[...new Set(problems.map((p) => p.rule))].join(' ') || 'no problems'}`);
          assert.ok(grew < RSS_BOUND_MB, `RSS grew by ${grew.toFixed(0)} MB (bound ${RSS_BOUND_MB} MB)`);
        } finally {
          repo.cleanup();
        }
      });
    }
  });

  describe('the language server over stdio', () => {
    let repo: TempRepo;
    let client: LspClient | undefined;
    before(async function () {
      assert.ok(fs.existsSync(SERVER), 'dist/server.js is built by `npm test` before the unit tests');
      repo = makeRepo({});
      for (const c of PATHOLOGICAL) writeCase(repo, c);
      client = new LspClient(repo.root);
      // The whole pathological repository is read at initialization.
      const t = performance.now();
      await client.initialize();
      await client.connection.sendRequest(Requests.model);
      timings.push(`server: initialized on all ${PATHOLOGICAL.length} cases at once in ${(performance.now() - t).toFixed(0)} ms`);
    });
    after(async () => {
      await client?.close();
      repo?.cleanup();
    });

    for (const c of PATHOLOGICAL) {
      it(`${c.name}: publishes diagnostics and keeps answering`, async function () {
        const lsp = client as LspClient;
        const t = performance.now();
        // homeOps/model applies pending edits first, so the diagnostics of an edit arrive before
        // its answer (a file without problems gets none): the answer is the bound.
        const model = () =>
          Promise.race([
            lsp.connection.sendRequest(Requests.model),
            new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`homeOps/model unanswered after ${c.name}\n${lsp.stderr.join('')}`)), UNANSWERED_MS)),
          ]);
        if (c.text) {
          const text = c.text();
          await lsp.open(c.file, `${text}\n# edited\n`);
          await model();
          for (const d of lsp.diagnostics.get(lsp.uri(c.file)) ?? []) {
            const { start, end } = d.range;
            assert.ok(start.line >= 0 && start.character >= 0 && (end.line > start.line || (end.line === start.line && end.character >= start.character)), `${String(d.code)} at ${JSON.stringify(d.range)}`);
          }
          // A change after the open, as typing would send; the server must take it too.
          await lsp.change(c.file, text);
        }
        const models = await model();
        assert.equal(models.length, 1, 'the server answers homeOps/model');
        timings.push(`server: ${c.name}: open → diagnostics → model in ${(performance.now() - t).toFixed(0)} ms`);
      });
    }
  });
});
