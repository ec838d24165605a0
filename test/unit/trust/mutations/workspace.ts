/**
 * Copies of the real repositories to mutate (the corpora are read-only). Each corpus is copied
 * once into a Git repository that tracks every file — as its upstream does, ignored files
 * included (SOURCE.md: "every extracted file is listed by git ls-files") — and each case starts
 * from a fresh copy of that. Edits stay in the working tree, uncommitted, like a person's edit
 * before they push; files a case creates are untracked unless the case force-adds them.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CorpusName, EditStep } from './types';
import { corpusPath } from '../../../support/shared';


const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 'corpus', GIT_AUTHOR_EMAIL: 'corpus@example.invalid', GIT_COMMITTER_NAME: 'corpus', GIT_COMMITTER_EMAIL: 'corpus@example.invalid', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull };

export function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The corpora are read-only on disk; copies must be writable (also when tests do not run as root). */
function makeWritable(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const abs = path.join(entry.parentPath, entry.name);
    if (entry.isSymbolicLink()) continue;
    fs.chmodSync(abs, entry.isDirectory() ? 0o755 : 0o644);
  }
  fs.chmodSync(dir, 0o755);
}

/**
 * Temporary folders made by this module. They live as long as the process, so that the three test
 * files of the suite share one copy of each repository; `cleanupCopies` (also run at exit) removes them.
 */
const made = new Set<string>();
process.once('exit', () => cleanupCopies());

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.add(dir);
  return dir;
}

const bases = new Map<CorpusName, string>();

/** A committed Git copy of the corpus, made once per process. */
function baseCopy(corpus: CorpusName): string {
  const existing = bases.get(corpus);
  if (existing) return existing;
  const dir = path.join(tempDir(`home-ops-mut-${corpus}-`), 'repo');
  fs.cpSync(corpusPath(corpus), dir, { recursive: true, verbatimSymlinks: true });
  makeWritable(dir);
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['add', '-A']);
  const ignored = git(dir, ['ls-files', '-z', '--others', '--ignored', '--exclude-standard']).split('\0').filter(Boolean);
  if (ignored.length) git(dir, ['add', '-f', '--', ...ignored]);
  git(dir, ['commit', '-q', '-m', `${corpus} as published`]);
  bases.set(corpus, dir);
  return dir;
}

/**
 * The corpus' working copy, in its committed state. Cases are applied to it one at a time and
 * undone with `resetCopy`, which Git verifies: copying the whole repository for every case would
 * cost more than the lint itself.
 */
export function workingCopy(corpus: CorpusName): string {
  return baseCopy(corpus);
}

/** Back to the committed state: edits undone, created files and folders removed, index reset. */
export function resetCopy(root: string): void {
  git(root, ['reset', '-q', '--hard', 'HEAD']);
  git(root, ['clean', '-q', '-ffdx']);
  const status = git(root, ['status', '--porcelain', '--ignored', '--untracked-files=all']);
  if (status.trim() !== '') throw new Error(`the working copy ${root} could not be reset:\n${status}`);
}

/**
 * The state Argo CD would check out once the edit is committed and pushed: every change staged
 * (`git add -A`), and untracked files Git ignores removed, since no commit would carry them.
 */
export function stageAsCommitted(root: string): void {
  git(root, ['add', '-A']);
  git(root, ['clean', '-q', '-ffdX']);
}

/**
 * Undoes `changes` file by file (faster than `resetCopy`, which runs three Git commands), then
 * asks Git whether the copy is back to its committed state, and falls back to `resetCopy` if not.
 */
export function undoEdits(root: string, changes: readonly FileChange[]): void {
  for (const c of changes) {
    const p = abs(root, c.file);
    if (c.before === undefined) {
      fs.rmSync(p, { recursive: true, force: true });
      // Folders the case created are empty again: Git has no empty folders, so neither had the copy.
      for (let dir = path.dirname(p); dir !== root && fs.existsSync(dir) && fs.readdirSync(dir).length === 0; dir = path.dirname(dir)) fs.rmdirSync(dir);
    } else {
      fs.rmSync(p, { recursive: true, force: true });
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, c.before);
    }
  }
  const clean = () => git(root, ['status', '--porcelain', '--ignored', '--untracked-files=all']).trim() === '';
  if (clean()) return;
  git(root, ['reset', '-q']); // what a case staged (git add -f) or what the consumers staged (git add -A)
  if (!clean()) resetCopy(root);
}

/** Applies a case's edits to the working copy, runs `fn`, and undoes the edits whatever happens. */
export function withEdits<T>(corpus: CorpusName, steps: readonly EditStep[], fn: (root: string, changes: FileChange[]) => T): T {
  const root = workingCopy(corpus);
  let changes: FileChange[] = [];
  try {
    changes = applyEdits(root, steps);
    return fn(root, changes);
  } catch (e) {
    resetCopy(root);
    throw e;
  } finally {
    undoEdits(root, changes);
  }
}

/** Removes the working copies; a later case makes new ones. */
export function cleanupCopies(): void {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  made.clear();
  bases.clear();
}

/** What an edit did to one file, so it can be undone or replayed in an editor. */
export interface FileChange {
  file: string;
  before: string | Buffer | undefined;
  after: string | Buffer | undefined;
  /** A symlink the edit created (its target), instead of file content. */
  symlink?: string;
}

const abs = (root: string, rel: string) => path.join(root, ...rel.split('/'));

function read(root: string, rel: string): string | Buffer | undefined {
  const p = abs(root, rel);
  if (!fs.existsSync(p)) return undefined;
  const bytes = fs.readFileSync(p);
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : bytes;
}

/** The text of `file` with `find` replaced, or an error naming the case's stale edit. */
export function replaced(text: string, step: Extract<EditStep, { replace: string }>): string {
  const hits: number[] = [];
  for (let at = text.indexOf(step.find); at >= 0; at = text.indexOf(step.find, at + 1)) hits.push(at);
  if (hits.length === 0) throw new Error(`edit of ${step.replace}: ${JSON.stringify(step.find)} is not in the file`);
  if (step.nth === undefined && hits.length > 1) throw new Error(`edit of ${step.replace}: ${JSON.stringify(step.find)} occurs ${hits.length} times; say which (nth)`);
  const at = hits[step.nth ?? 0];
  if (at === undefined) throw new Error(`edit of ${step.replace}: ${JSON.stringify(step.find)} occurs only ${hits.length} times`);
  return text.slice(0, at) + step.with + text.slice(at + step.find.length);
}

/** Applies the steps to the copy at `root`; returns the resulting change of every file touched. */
export function applyEdits(root: string, steps: readonly EditStep[]): FileChange[] {
  const changes = new Map<string, FileChange>();
  const touch = (rel: string) => {
    if (!changes.has(rel)) changes.set(rel, { file: rel, before: read(root, rel), after: undefined });
    return changes.get(rel) as FileChange;
  };
  for (const step of steps) {
    if ('replace' in step) {
      touch(step.replace);
      const text = read(root, step.replace);
      if (typeof text !== 'string') throw new Error(`edit of ${step.replace}: no such text file`);
      fs.writeFileSync(abs(root, step.replace), Buffer.from(replaced(text, step), step.encoding ?? 'utf8'));
    } else if ('append' in step) {
      const before = touch(step.append).before;
      if (typeof before !== 'string') throw new Error(`append to ${step.append}: no such text file`);
      // As an editor does when you type on a new line below a last line without a newline.
      fs.appendFileSync(abs(root, step.append), (before === '' || before.endsWith('\n') ? '' : '\n') + step.text);
    } else if ('create' in step) {
      touch(step.create);
      if (fs.existsSync(abs(root, step.create))) throw new Error(`create ${step.create}: it exists; use replace`);
      fs.mkdirSync(path.dirname(abs(root, step.create)), { recursive: true });
      fs.writeFileSync(abs(root, step.create), step.text);
    } else if ('delete' in step) {
      touch(step.delete);
      if (!fs.existsSync(abs(root, step.delete))) throw new Error(`delete ${step.delete}: no such file`);
      fs.rmSync(abs(root, step.delete), { recursive: true });
    } else if ('reencode' in step) {
      const text = touch(step.reencode).before;
      if (typeof text !== 'string') throw new Error(`reencode ${step.reencode}: no such text file`);
      const bom = step.as === 'utf-8-bom' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.from([0xff, 0xfe]);
      fs.writeFileSync(abs(root, step.reencode), Buffer.concat([bom, Buffer.from(text, step.as === 'utf-8-bom' ? 'utf8' : 'utf16le')]));
    } else if ('symlink' in step) {
      touch(step.symlink).symlink = step.target;
      fs.mkdirSync(path.dirname(abs(root, step.symlink)), { recursive: true });
      fs.symlinkSync(step.target, abs(root, step.symlink));
    } else {
      git(root, ['add', '-f', '--', step.gitAddForce]);
    }
  }
  for (const c of changes.values()) c.after = c.symlink === undefined ? read(root, c.file) : undefined;
  return [...changes.values()];
}

/** The line (1-based) of the mutated file, for checking a case's expectation against its text. */
export function lineOf(root: string, rel: string, line: number): string | undefined {
  const text = read(root, rel);
  if (text === undefined) return undefined;
  return (typeof text === 'string' ? text : text.toString('latin1')).split('\n')[line - 1];
}
