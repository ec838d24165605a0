/**
 * Rendered diff: the app rendered from another Git revision (a temporary detached worktree, so
 * the user's working tree, index and HEAD are never touched) against the working tree, compared
 * resource by resource (kind/namespace/name). Also: which apps a change between the working
 * tree and a revision touches, from `git diff --name-only` and each app's input set.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MissingBinaryError, type Binaries } from './binaries';
import { isInside } from './directory';
import { appInputs, inputsContain } from './inputs';
import { objectKey, renderApp, RenderError, type RenderedObject, type RenderOptions, type RenderResult } from './render';
import { RunError, runProcess, type Runner } from './runner';
import { appSourceOf, type RenderableApp } from '../argocd/source';
import { detectSourceType } from './sourceType';

export interface ResourceDiff {
  key: string;
  status: 'added' | 'removed' | 'changed';
  /** Text before (at the revision) and after (working tree); '' when absent. */
  before: string;
  after: string;
  /** Unified diff with `--- a/KEY` and `+++ b/KEY` headers. */
  patch: string;
}

export interface AppDiff {
  revision: string;
  /** The commit the revision resolved to. */
  commit: string;
  before?: RenderResult;
  after: RenderResult;
  /** Why there is no `before`: the app folder does not exist at the revision. */
  missingAtRevision: boolean;
  resources: ResourceDiff[];
}

/** Renders `app` at `revision` and in the working tree and compares them. */
export async function diffApp(app: RenderableApp, revision: string, options: RenderOptions): Promise<AppDiff> {
  const after = await renderApp(app, options);
  return withRevision(options.root, revision, options, (root, commit) => diffAgainst(app, after, root, revision, commit, options));
}

/** `after` (the working tree's rendering) against the app rendered in the checkout at `revRoot`. */
async function diffAgainst(app: RenderableApp, after: RenderResult, revRoot: string, revision: string, commit: string, options: RenderOptions): Promise<AppDiff> {
  const source = appSourceOf(app);
  // The other revision's files get their own cache entries (the key hashes the files, and the
  // paths are relative to the worktree root, so an unchanged app at HEAD hits the same entry).
  const before = fs.existsSync(path.join(revRoot, source.path)) ? await renderApp(app, { ...options, root: revRoot }) : undefined;
  return { revision, commit, ...(before ? { before } : {}), after, missingAtRevision: !before, resources: diffObjects(before?.objects ?? [], after.objects) };
}

/** Counts of a diff's resources by status. */
export interface DiffSummary {
  added: number;
  removed: number;
  changed: number;
}

export function summarize(resources: readonly Pick<ResourceDiff, 'status'>[]): DiffSummary {
  const s: DiffSummary = { added: 0, removed: 0, changed: 0 };
  for (const r of resources) s[r.status]++;
  return s;
}

/** "3 changed, 1 added", or "no resource changes". */
export function describeSummary(s: DiffSummary): string {
  const parts = [s.changed ? `${s.changed} changed` : '', s.added ? `${s.added} added` : '', s.removed ? `${s.removed} removed` : ''].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no resource changes';
}

export type ChangedAppDiff<A> = { app: A; diff: AppDiff; summary: DiffSummary } | { app: A; error: RenderError };

export interface ChangedAppsDiff<A> {
  revision: string;
  /** The commit the revision resolved to ('' when no app changed: nothing was checked out). */
  commit: string;
  /** The apps whose inputs changed (changedApps), in the order given, each diffed or failed. */
  apps: Array<ChangedAppDiff<A>>;
}

/**
 * Every app whose inputs changed between the working tree and `revision`, rendered on both sides
 * and compared (one temporary worktree for all of them). An app that fails to render is listed
 * with its error; cancellation ends the whole run. `onProgress` is called before each app.
 */
export async function diffChangedApps<A extends RenderableApp>(apps: readonly A[], revision: string, options: RenderOptions, onProgress?: (done: number, total: number, app: A) => void): Promise<ChangedAppsDiff<A>> {
  const changed = await changedApps(apps, options.root, revision, options);
  if (changed.length === 0) return { revision, commit: '', apps: [] };
  return withRevision(options.root, revision, options, async (revRoot, commit) => {
    const out: Array<ChangedAppDiff<A>> = [];
    for (const [i, app] of changed.entries()) {
      if (options.signal?.aborted) throw new RenderError('Render cancelled.', 'cancelled');
      onProgress?.(i, changed.length, app);
      try {
        // An app folder deleted in the working tree: everything it rendered is removed.
        const after = fs.existsSync(path.join(options.root, appSourceOf(app).path)) ? await renderApp(app, options) : removedApp(options.root, appSourceOf(app).path);
        const diff = await diffAgainst(app, after, revRoot, revision, commit, options);
        out.push({ app, diff, summary: summarize(diff.resources) });
      } catch (e) {
        if (!(e instanceof RenderError) || e.kind === 'cancelled') throw e;
        out.push({ app, error: e });
      }
    }
    return { revision, commit, apps: out };
  });
}

function removedApp(root: string, rel: string): RenderResult {
  return { manifests: '', objects: [], sourceType: 'Directory', command: `(${rel} does not exist in the working tree)`, cwd: path.join(root, rel), durationMs: 0, cached: false, warnings: [], tools: {} };
}

/** Per-resource comparison, in the order of the new rendering, removed ones last. */
export function diffObjects(before: readonly RenderedObject[], after: readonly RenderedObject[]): ResourceDiff[] {
  const old = new Map(before.map((o) => [objectKey(o), o.yaml]));
  const seen = new Set<string>();
  const out: ResourceDiff[] = [];
  for (const o of after) {
    const key = objectKey(o);
    if (seen.has(key)) continue;
    seen.add(key);
    const prev = old.get(key);
    if (prev === undefined) out.push({ key, status: 'added', before: '', after: o.yaml, patch: unifiedDiff(key, '', o.yaml) });
    else if (prev !== o.yaml) out.push({ key, status: 'changed', before: prev, after: o.yaml, patch: unifiedDiff(key, prev, o.yaml) });
  }
  for (const [key, prev] of old) if (!seen.has(key)) out.push({ key, status: 'removed', before: prev, after: '', patch: unifiedDiff(key, prev, '') });
  return out;
}

/**
 * Runs `fn` on a temporary detached worktree of `revision` (the repository root inside it, when
 * the workspace is a sub-folder of the Git repository), then removes the worktree whatever
 * happens. Hooks are switched off so checking out runs no repository-provided code.
 */
export async function withRevision<T>(workspaceRoot: string, revision: string, options: Pick<RenderOptions, 'binaries' | 'signal' | 'cacheDir'> & { runner?: Runner }, fn: (root: string, commit: string) => Promise<T>): Promise<T> {
  const git = await gitBinary(options.binaries);
  const run = options.runner ?? runProcess;
  const g = (args: string[], cwd = workspaceRoot) => run(git, ['-c', `core.hooksPath=${emptyDir(options.cacheDir)}`, ...args], { cwd, timeoutMs: 60_000, ...(options.signal ? { signal: options.signal } : {}) });
  if (revision.startsWith('-')) throw new RenderError(`"${revision}" is not a revision.`, 'source');
  let top: string;
  let commit: string;
  try {
    top = (await g(['rev-parse', '--show-toplevel'])).stdout.trim();
    commit = (await g(['rev-parse', '--verify', '--end-of-options', `${revision}^{commit}`])).stdout.trim();
  } catch (e) {
    throw new RenderError(`Git could not resolve "${revision}" in ${workspaceRoot}: ${(e as Error).message}`, 'source');
  }
  const prefix = path.relative(fs.realpathSync(top), fs.realpathSync(workspaceRoot));
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-rev-'));
  const tree = path.join(base, 'tree');
  try {
    await g(['worktree', 'add', '--detach', '--quiet', tree, commit], top);
    return await fn(path.join(tree, prefix), commit);
  } finally {
    try {
      await run(git, ['worktree', 'remove', '--force', tree], { cwd: top, timeoutMs: 60_000 });
    } catch {
      fs.rmSync(tree, { recursive: true, force: true });
      await run(git, ['worktree', 'prune'], { cwd: top, timeoutMs: 60_000 }).catch(() => undefined);
    }
    fs.rmSync(base, { recursive: true, force: true });
  }
}

/**
 * The apps whose inputs differ between the working tree (including untracked files) and
 * `revision`. Each app's inputs are those of the working tree.
 */
export async function changedApps<A extends RenderableApp>(apps: readonly A[], workspaceRoot: string, revision: string, options: { binaries: Binaries; runner?: Runner; signal?: AbortSignal }): Promise<A[]> {
  const git = await gitBinary(options.binaries);
  const run = options.runner ?? runProcess;
  const root = path.resolve(workspaceRoot);
  const o = { cwd: root, timeoutMs: 60_000, ...(options.signal ? { signal: options.signal } : {}) };
  if (revision.startsWith('-')) throw new RenderError(`"${revision}" is not a revision.`, 'source');
  let top: string;
  let diff: { stdout: string };
  let untracked: { stdout: string };
  try {
    top = (await run(git, ['rev-parse', '--show-toplevel'], o)).stdout.trim();
    // --relative would drop paths outside the workspace; the full list is mapped instead.
    diff = await run(git, ['diff', '--name-only', '-z', '--no-renames', '--no-ext-diff', '--no-textconv', revision, '--'], { ...o, cwd: top });
    untracked = await run(git, ['ls-files', '--others', '--exclude-standard', '-z'], { ...o, cwd: top });
  } catch (e) {
    if (e instanceof RunError && e.failure === 'cancelled') throw new RenderError('Render cancelled.', 'cancelled', { command: e.command });
    throw new RenderError(`Git could not compare ${workspaceRoot} with "${revision}": ${(e as Error).message}`, 'source');
  }
  const changed = [...diff.stdout.split('\0'), ...untracked.stdout.split('\0')].filter(Boolean).map((p) => path.join(fs.realpathSync(top), p));
  const realRoot = fs.realpathSync(root);
  const out: A[] = [];
  for (const app of apps) {
    const source = appSourceOf(app);
    const appDir = path.join(realRoot, source.path);
    if (!isInside(appDir, realRoot)) continue;
    if (!fs.existsSync(appDir)) {
      if (changed.some((c) => isInside(c, appDir))) out.push(app);
      continue;
    }
    let inputs;
    try {
      inputs = appInputs(appDir, detectSourceType(appDir, source), source, realRoot);
    } catch {
      inputs = { dirs: [appDir], files: [], remote: [], skip: [], usesHelm: false };
    }
    if (changed.some((c) => inputsContain(inputs, c))) out.push(app);
  }
  return out;
}

async function gitBinary(binaries: Binaries): Promise<string> {
  try {
    return (await binaries.git()).file;
  } catch (e) {
    if (e instanceof MissingBinaryError) throw new RenderError(e.message, 'missing-binary', { binary: 'git' });
    throw e;
  }
}

function emptyDir(cacheDir: string): string {
  const d = path.join(cacheDir, 'no-hooks');
  fs.mkdirSync(d, { recursive: true });
  return d;
}

// ---- unified diff (Myers) -------------------------------------------------------------------

/** A unified diff of two texts, three lines of context, `--- a/KEY` / `+++ b/KEY` headers. */
export function unifiedDiff(key: string, before: string, after: string, context = 3): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = myers(a, b);
  const header = `--- ${before === '' ? '/dev/null' : `a/${key}`}\n+++ ${after === '' ? '/dev/null' : `b/${key}`}\n`;
  const hunks: string[] = [];
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && (ops[i] as Op).t === ' ') i++;
    if (i >= ops.length) break;
    let start = Math.max(0, i - context);
    let end = i;
    // Extend over changes closer together than 2 × context.
    for (;;) {
      while (end < ops.length && (ops[end] as Op).t !== ' ') end++;
      let next = end;
      while (next < ops.length && (ops[next] as Op).t === ' ') next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const slice = ops.slice(start, stop);
    const first = ops[start] as Op;
    const aStart = first.a;
    const bStart = first.b;
    const aLen = slice.filter((o) => o.t !== '+').length;
    const bLen = slice.filter((o) => o.t !== '-').length;
    const range = (s: number, n: number) => (n === 1 ? `${s + 1}` : `${n === 0 ? s : s + 1},${n}`);
    let text = `@@ -${range(aStart, aLen)} +${range(bStart, bLen)} @@\n`;
    for (const o of slice) text += `${o.t}${o.line}\n`;
    hunks.push(text);
    i = stop;
    start = stop;
  }
  return hunks.length ? header + hunks.join('') : '';
}

interface Op {
  t: ' ' | '-' | '+';
  line: string;
  /** Index in a / b where this op sits (for hunk headers). */
  a: number;
  b: number;
}

/** Lines of a text; a missing final newline is ignored (rendered documents always end in one). */
function splitLines(s: string): string[] {
  if (s === '') return [];
  return (s.endsWith('\n') ? s.slice(0, -1) : s).split('\n');
}

/** Myers' O(ND) shortest edit script over lines. */
function myers(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let px: number;
      if (k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))) px = v[offset + k + 1] as number;
      else px = (v[offset + k - 1] as number) + 1;
      let py = px - k;
      while (px < n && py < m && a[px] === b[py]) {
        px++;
        py++;
      }
      v[offset + k] = px;
      if (px >= n && py >= m) {
        found = true;
        break;
      }
    }
  }
  trace.push(v.slice());
  // Backtrack from (n, m).
  const ops: Op[] = [];
  let px = n;
  let py = m;
  for (let d = trace.length - 2; d >= 0 && (px > 0 || py > 0); d--) {
    const vd = trace[d] as Int32Array;
    const k = px - py;
    let prevK: number;
    if (k === -d || (k !== d && (vd[offset + k - 1] as number) < (vd[offset + k + 1] as number))) prevK = k + 1;
    else prevK = k - 1;
    const prevX = d === 0 ? 0 : (vd[offset + prevK] as number);
    const prevY = prevX - prevK;
    while (px > prevX && py > prevY) {
      px--;
      py--;
      ops.push({ t: ' ', line: a[px] as string, a: px, b: py });
    }
    if (d === 0) break;
    if (px === prevX) {
      py--;
      ops.push({ t: '+', line: b[py] as string, a: px, b: py });
    } else {
      px--;
      ops.push({ t: '-', line: a[px] as string, a: px, b: py });
    }
  }
  while (px > 0 && py > 0) {
    px--;
    py--;
    ops.push({ t: ' ', line: a[px] as string, a: px, b: py });
  }
  ops.reverse();
  return ops;
}
