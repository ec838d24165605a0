/**
 * Which files the Git repository around a workspace tracks, read from its index without running
 * git. Argo CD clones what is committed: a file the index tracks is there whatever .gitignore
 * says (force-added secrets are common), an untracked file is there unless ignored. The
 * workspace may be the repository, a worktree or submodule (`.git` is a file that says
 * `gitdir: …`), or a folder inside one (paths are mapped).
 */
import * as nodePath from 'node:path';
import { parseGitIndex, type HashLength } from './gitIndex';
import type { TreeFs } from '../adapters/treeFs';

/** Where the repository's parts are, for a workspace root inside it. */
export interface GitRepositoryLocation {
  /** The working tree's root (absolute). */
  worktree: string;
  /** The workspace root relative to `worktree`, `/`-separated ('' when they are the same). */
  prefix: string;
  /** The git directory of this working tree (holds `index`). */
  gitDir: string;
  /** The directory shared by all worktrees (holds `config` and `info/exclude`). */
  commonDir: string;
}

export type TrackedFiles =
  | { ok: true; files: Set<string>; dirs: Set<string>; indexPath: string }
  | { ok: false; reason: string; indexPath?: string };

const MAX_GIT_FILE_BYTES = 64 * 1024;
/** A Git config is read whole up to this (many remotes and includes stay far below it). */
const MAX_CONFIG_BYTES = 1024 * 1024;
/** Large monorepos have indexes of tens of MB; beyond this something is wrong with the file. */
const MAX_INDEX_BYTES = 512 * 1024 * 1024;

/** Walks up from `root` to the nearest folder with a `.git` entry. */
export function findGitRepository(root: string, fs: TreeFs): GitRepositoryLocation | undefined {
  for (let dir = nodePath.resolve(root); ; ) {
    const dotGit = nodePath.join(dir, '.git');
    const st = lstatOrUndefined(fs, dotGit);
    if (st?.isDirectory()) return locate(dir, root, dotGit, fs);
    if (st?.isFile()) {
      const gitDir = readGitFile(fs, dotGit);
      if (gitDir !== undefined) return locate(dir, root, nodePath.resolve(dir, gitDir), fs);
    }
    const parent = nodePath.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function locate(worktree: string, root: string, gitDir: string, fs?: TreeFs): GitRepositoryLocation {
  const rel = nodePath.relative(worktree, nodePath.resolve(root));
  let commonDir = gitDir;
  // A linked worktree's git directory names the shared one in `commondir`.
  const common = fs ? readSmall(fs, nodePath.join(gitDir, 'commondir')) : undefined;
  if (common !== undefined && common.trim() !== '') commonDir = nodePath.resolve(gitDir, common.trim());
  return { worktree, prefix: rel.split(nodePath.sep).join('/'), gitDir, commonDir };
}

/** `gitdir: <path>` in a `.git` file (worktrees, submodules). */
function readGitFile(fs: TreeFs, abs: string): string | undefined {
  const text = readSmall(fs, abs);
  const m = text === undefined ? null : /^gitdir:\s*(.+?)\s*$/m.exec(text);
  return m?.[1];
}

/** The paths the index tracks, relative to the workspace root (those outside it are dropped). */
export function readTrackedFiles(repo: GitRepositoryLocation, fs: TreeFs): TrackedFiles {
  const indexPath = nodePath.join(repo.gitDir, 'index');
  let bytes: Buffer;
  try {
    bytes = fs.readFile(indexPath, MAX_INDEX_BYTES);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A repository with nothing added yet has no index: nothing is tracked, and that is exact.
    if (code === 'ENOENT') return { ok: true, files: new Set(), dirs: new Set(), indexPath };
    return { ok: false, reason: `the index cannot be read (${code ?? String(e)})`, indexPath };
  }
  if (bytes.length > MAX_INDEX_BYTES) return { ok: false, reason: 'the index is too large to read', indexPath };
  const parsed = parseGitIndex(bytes, hashLength(repo, fs));
  if (!parsed.ok) return { ok: false, reason: parsed.reason, indexPath };
  const files = new Set<string>();
  const dirs = new Set<string>();
  const prefix = repo.prefix === '' ? '' : `${repo.prefix}/`;
  const addDirs = (rel: string) => {
    for (let i = rel.lastIndexOf('/'); i > 0; i = rel.lastIndexOf('/', i - 1)) {
      const dir = rel.slice(0, i);
      if (dirs.has(dir)) break;
      dirs.add(dir);
    }
  };
  for (const p of parsed.index.paths) {
    if (prefix !== '' && !p.startsWith(prefix)) continue;
    const rel = p.slice(prefix.length);
    if (files.has(rel)) continue; // the stages of a conflicted path
    files.add(rel);
    addDirs(rel);
  }
  // A submodule is a folder of the working tree (Argo CD checks submodules out).
  for (const p of parsed.index.gitlinks) {
    if (prefix !== '' && !p.startsWith(prefix)) continue;
    const rel = p.slice(prefix.length);
    dirs.add(rel);
  }
  return { ok: true, files, dirs, indexPath };
}

/**
 * The remote URLs in the Git config of the checkout whose `.git` is at `root` itself (a linked
 * worktree's `.git` file leads to the shared config); none when there is no `.git` there.
 */
export function remoteUrlsAt(root: string, fs: TreeFs): string[] {
  const dotGit = nodePath.join(root, '.git');
  let commonDir: string;
  try {
    // Most checks find no .git at all (a copy, a test repository): no exception for that.
    if (fs.exists && !fs.exists(dotGit)) return [];
    if (fs.stat(dotGit).isDirectory()) commonDir = dotGit;
    else {
      const gitDir = readGitFile(fs, dotGit);
      if (gitDir === undefined) return [];
      commonDir = locate(root, root, nodePath.resolve(root, gitDir), fs).commonDir;
    }
  } catch {
    return [];
  }
  const text = readSmall(fs, nodePath.join(commonDir, 'config'), MAX_CONFIG_BYTES);
  if (text === undefined) return [];
  const urls: string[] = [];
  let inRemote = false;
  for (const line of text.split('\n')) {
    const section = /^\s*\[\s*([^\]\s]+)/.exec(line);
    if (section) {
      inRemote = section[1] === 'remote';
      continue;
    }
    const url = inRemote ? /^\s*url\s*=\s*(.+?)\s*$/.exec(line) : null;
    if (url?.[1]) urls.push(url[1].replace(/^"(.*)"$/, '$1'));
  }
  return urls;
}

/** The .gitignore-style files that apply above the workspace root, outermost first. */
export function outerIgnoreFiles(repo: GitRepositoryLocation, fs: TreeFs): Array<{ text: string; prefix: string }> {
  const out: Array<{ text: string; prefix: string }> = [];
  const exclude = readSmall(fs, nodePath.join(repo.commonDir, 'info', 'exclude'));
  if (exclude !== undefined) out.push({ text: exclude, prefix: repo.prefix });
  if (repo.prefix === '') return out;
  // .gitignore files of the folders between the repository root and the workspace root; each
  // matches paths relative to its own folder. The workspace root's own is read by the scan.
  const segments = repo.prefix.split('/');
  for (let i = 0; i < segments.length; i++) {
    const folder = nodePath.join(repo.worktree, ...segments.slice(0, i));
    const text = readSmall(fs, nodePath.join(folder, '.gitignore'));
    if (text !== undefined) out.push({ text, prefix: segments.slice(i).join('/') });
  }
  return out;
}

function hashLength(repo: GitRepositoryLocation, fs: TreeFs): HashLength {
  const config = readSmall(fs, nodePath.join(repo.commonDir, 'config')) ?? '';
  return /^\s*objectformat\s*=\s*sha256\s*$/im.test(config) ? 32 : 20;
}

function lstatOrUndefined(fs: TreeFs, abs: string) {
  // exists() first: most folders on the way up have no .git, and an exception each costs more.
  if (fs.exists && !fs.exists(abs)) return undefined;
  try {
    return fs.lstat(abs);
  } catch {
    return undefined;
  }
}

function readSmall(fs: TreeFs, abs: string, maxBytes = MAX_GIT_FILE_BYTES): string | undefined {
  if (fs.exists && !fs.exists(abs)) return undefined;
  try {
    const bytes = fs.readFile(abs, maxBytes);
    return bytes.length > maxBytes ? undefined : bytes.toString('utf8');
  } catch {
    return undefined;
  }
}
