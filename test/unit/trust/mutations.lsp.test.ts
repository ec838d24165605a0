/**
 * The mutation suite through the language server over stdio (dist/server.js, as an editor runs
 * it): every case must publish exactly the diagnostics the in-process linter gives for it — in
 * every file, not only the edited ones — and undoing it must bring back the repository's own.
 *
 * Edits are made the way a person makes them: a change to an existing text file is typed in the
 * editor (didOpen with the file as committed, then didChange; the file on disk is not saved), while
 * files created, deleted, linked, re-encoded or force-added reach the server as watched-file events
 * after the change on disk, as when another program (a shell, git, a file manager) makes them.
 * One server per repository; the repositories run side by side.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../../../src/core/problems';
import { LspClient, SERVER, type Diagnostic } from '../../support/lspClient';
import { CASES } from './mutations/cases';
import { baseline, runCase } from './mutations/run';
import type { CorpusName, MutationCase } from './mutations/types';
import { applyEdits, resetCopy, undoEdits, workingCopy, type FileChange } from './mutations/workspace';
import { corpusPath, requireShared, requireTools } from '../../support/shared';

/** A diagnostic as both sides can give it: `file:line:col-line:col severity rule message`. */
function fromProblem(p: Problem): string {
  const severity = p.severity === 'error' ? 1 : p.severity === 'warning' ? 2 : 3;
  return `${p.file}:${p.range.start.line}:${p.range.start.character}-${p.range.end.line}:${p.range.end.character} ${severity} ${p.rule} ${p.message}`;
}

function fromPublished(file: string, d: Diagnostic): string {
  return `${file}:${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${d.code} ${d.message}`;
}

/**
 * Rules whose diagnostics belong to files open in the editor by design (values-chart-unavailable:
 * a chart not in the cache, said where the user is looking): the in-process linter has no open
 * files, so they are not part of the comparison. Every other rule is.
 */
const OPEN_FILE_NOTICES: ReadonlySet<string> = new Set(['values-chart-unavailable']);

function published(client: LspClient): string[] {
  const out: string[] = [];
  for (const [uri, diags] of client.diagnostics) {
    const file = path.relative(client.root, fileURLToPath(uri)).split(path.sep).join('/');
    for (const d of diags) if (!OPEN_FILE_NOTICES.has(String(d.code))) out.push(fromPublished(file, d));
  }
  return out.sort();
}

const sorted = (problems: readonly Problem[]) => problems.map(fromProblem).sort();

/** A change the editor makes (typed text) rather than one that reaches the disk. */
function typed(c: FileChange): c is FileChange & { before: string; after: string } {
  return typeof c.before === 'string' && typeof c.after === 'string' && c.symlink === undefined;
}

/** Folders the case creates: ancestors of its new files that the committed tree does not have. */
function newFolders(root: string, changes: readonly FileChange[]): string[] {
  const dirs = new Set<string>();
  for (const c of changes) {
    if (c.before !== undefined) continue;
    const parts = c.file.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!fs.existsSync(path.join(root, dir))) dirs.add(dir);
    }
  }
  return [...dirs].sort();
}

/** Watched-file events for the on-disk part of a case (or for undoing it), new folders included. */
function diskEvents(changes: readonly FileChange[], folders: readonly string[], forceAdded: readonly string[], undo: boolean): Array<{ rel: string; type: 1 | 2 | 3 }> {
  const created = undo ? 3 : 1;
  const deleted = undo ? 1 : 3;
  const events: Array<{ rel: string; type: 1 | 2 | 3 }> = folders.map((rel) => ({ rel, type: created }));
  for (const c of changes) {
    if (typed(c)) continue;
    if (c.before === undefined) events.push({ rel: c.file, type: created });
    else if (c.after === undefined && c.symlink === undefined) events.push({ rel: c.file, type: deleted });
    else events.push({ rel: c.file, type: 2 });
  }
  for (const f of forceAdded) if (!events.some((e) => e.rel === f)) events.push({ rel: f, type: 2 });
  return events;
}

interface Expectation {
  case: MutationCase;
  problems: Problem[];
  changes: FileChange[];
}

/** The files a case edits, expects a diagnostic in, or changes the diagnostics of. */
function affectedFiles(e: Expectation, base: readonly string[]): Set<string> {
  const files = new Set(e.changes.map((c) => c.file));
  if (e.case.class !== 'control') for (const x of e.case.expect) files.add(x.file);
  const now = sorted(e.problems);
  const before = new Set(base);
  const after = new Set(now);
  for (const x of [...now.filter((y) => !before.has(y)), ...base.filter((y) => !after.has(y))]) files.add(x.slice(0, x.indexOf(':')));
  return files;
}

interface Mismatch {
  id: string;
  missing: string[];
  extra: string[];
}

function diff(id: string, want: string[], got: string[]): Mismatch | undefined {
  const w = new Set(want);
  const g = new Set(got);
  const missing = want.filter((x) => !g.has(x));
  const extra = got.filter((x) => !w.has(x));
  return missing.length || extra.length ? { id, missing, extra } : undefined;
}

async function runCorpus(corpus: CorpusName, expectations: readonly Expectation[]): Promise<Mismatch[]> {
  const root = workingCopy(corpus);
  const base = sorted(baseline(corpus));
  const client = new LspClient(root);
  const mismatches: Mismatch[] = [];
  /**
   * After the re-lint that follows `since`, the published diagnostics of `files` (all files when
   * undefined) must be `want`; a second re-lint is waited for briefly, in case the server split
   * the burst of changes.
   */
  const settle = async (since: number, want: string[], id: string, files?: ReadonlySet<string>) => {
    const only = (list: string[]) => (files ? list.filter((x) => files.has(x.slice(0, x.indexOf(':')))) : list);
    const mismatch = () => diff(id, only(want), only(published(client)));
    try {
      await client.waitForModel(since, () => true);
    } catch (e) {
      mismatches.push({ id, missing: [`no re-lint: ${e instanceof Error ? e.message : String(e)}`], extra: [] });
      return;
    }
    if (!mismatch()) return;
    // A burst can take a second re-lint (a file event after the first pass); seven servers share
    // the machine, so give it time — a state that stays wrong still fails below.
    await client.waitForModel(client.modelChanges, () => !mismatch(), 3000).catch(() => undefined);
    const m = mismatch();
    if (m) mismatches.push(m);
  };
  try {
    let since = client.modelChanges;
    await client.initialize();
    // Every file a case types into, open as committed (the editor's buffers), before the cases.
    const toOpen = new Map<string, string>();
    for (const e of expectations) for (const c of e.changes) if (typed(c)) toOpen.set(c.file, c.before);
    await settle(since, base, `${corpus} (as committed)`);
    since = client.modelChanges;
    for (const [file, text] of toOpen) await client.open(file, text);
    if (toOpen.size) await settle(since, base, `${corpus} (files opened)`);
    // Each step undoes the previous case and makes the next one in a single burst (one re-lint);
    // the files the previous case touched are compared too, so what it left behind shows.
    let previous: { e: Expectation; folders: string[]; forceAdded: string[]; files: Set<string> } | undefined;
    for (const e of [...expectations, undefined]) {
      since = client.modelChanges;
      const events: Array<{ rel: string; type: 1 | 2 | 3 }> = [];
      if (previous) {
        undoEdits(root, previous.e.changes);
        for (const c of previous.e.changes) if (typed(c)) await client.change(c.file, c.before);
        events.push(...diskEvents(previous.e.changes, previous.folders, previous.forceAdded, true));
      }
      if (!e) {
        if (events.length) await client.filesEvents(events);
        if (previous) await settle(since, base, `${corpus} (all cases undone)`);
        break;
      }
      const forceAdded = e.case.edits.flatMap((s) => ('gitAddForce' in s ? [s.gitAddForce] : []));
      // On disk: the whole case, then the typed files back as committed (they are not saved).
      const folders = newFolders(root, e.changes);
      applyEdits(root, e.case.edits);
      for (const c of e.changes) if (typed(c)) fs.writeFileSync(path.join(root, c.file), c.before);
      for (const c of e.changes) if (typed(c)) await client.change(c.file, c.after);
      events.push(...diskEvents(e.changes, folders, forceAdded, false));
      if (events.length) await client.filesEvents(events);
      const files = affectedFiles(e, base);
      await settle(since, sorted(e.problems), previous ? `${e.case.id} (after undoing ${previous.e.case.id})` : e.case.id, new Set([...files, ...(previous?.files ?? [])]));
      previous = { e, folders, forceAdded, files };
    }
  } finally {
    await client.close();
    resetCopy(root);
  }
  return mismatches;
}

describe('mutation suite through the language server over stdio', function () {
  this.timeout(600_000);
  const expectations = new Map<CorpusName, Expectation[]>();

  let chartCache: string | undefined;
  let previousChartCache: string | undefined;
  after(() => {
    if (previousChartCache === undefined) delete process.env['HOME_OPS_CHART_CACHE'];
    else process.env['HOME_OPS_CHART_CACHE'] = previousChartCache;
    if (chartCache) fs.rmSync(chartCache, { recursive: true, force: true });
  });

  before(function () {
    assert.ok(fs.existsSync(SERVER), 'dist/server.js is built by `npm test` before the unit tests');
    // The servers see the chart cache the in-process linter sees: none (whatever this machine's holds).
    previousChartCache = process.env['HOME_OPS_CHART_CACHE'];
    chartCache = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-no-charts-'));
    process.env['HOME_OPS_CHART_CACHE'] = chartCache;
    requireShared(this, 'the mutation suite over LSP', ...[...new Set(CASES.map((c) => c.corpus))].map(corpusPath));
    requireTools(this, 'the mutation suite over LSP (edits are staged as Argo CD would check them out)', 'git');
    // In-process first, before any server reads the working copies (shared with mutations.test.ts).
    for (const c of CASES) {
      const list = expectations.get(c.corpus) ?? [];
      const r = runCase(c);
      list.push({ case: c, problems: r.problems, changes: r.changes });
      expectations.set(c.corpus, list);
    }
  });


  it('publishes, for every case, exactly the in-process diagnostics (all files), and the baseline once undone', async () => {
    const started = Date.now();
    const results = await Promise.all([...expectations].map(([corpus, list]) => runCorpus(corpus, list)));
    const mismatches = results.flat();
    console.log(`\nmutation suite over LSP: ${CASES.length} cases in ${expectations.size} servers, ${((Date.now() - started) / 1000).toFixed(1)} s; ${mismatches.length} differ`);
    for (const m of mismatches) console.log(`  ${m.id}\n${m.missing.map((x) => `    in-process only: ${x}`).join('\n')}\n${m.extra.map((x) => `    server only:     ${x}`).join('\n')}`);
    assert.deepEqual(
      mismatches.map((m) => m.id),
      [],
    );
  });
});
