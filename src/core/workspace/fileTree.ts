/**
 * The working tree as Argo CD's repo-server would see it after a clone. In a Git repository a
 * file is there when the index tracks it (whatever .gitignore says: force-added files are
 * common) or when it is untracked and not ignored; folders exist when they hold such a file.
 * Outside Git, or when the index cannot be read, .gitignore alone decides: an approximation,
 * which `presence` says. Kept up to date from file events so that a new app directory needs no
 * rescan.
 */
import type * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import { isUtf8 } from 'node:buffer';
import ignore, { type Ignore } from 'ignore';
import type { Problem } from '../problems';
import { START_OF_FILE } from '../problems';
import { goPathMatch } from '../glob/goPathMatch';
import { findGitRepository, outerIgnoreFiles, readTrackedFiles, remoteUrlsAt, type GitRepositoryLocation } from './gitRepository';
import { describeSpecial, nodeTreeFs, type FsError, type TreeFs } from '../adapters/treeFs';
import { isHiddenPath, parentOf, walkDirs, type TreeView } from './treeView';

export { nodeTreeFs, type TreeFs } from '../adapters/treeFs';
export { isHiddenPath, parentOf, type TreeView } from './treeView';

export interface FileTreeOptions {
  /** Repository-relative folders (Go path.Match patterns, e.g. `archive/*`) not to scan. */
  exclude?: readonly string[];
  fs?: TreeFs;
}

/** Where the answer to "is this file in the repository?" comes from. */
export interface Presence {
  /** True when the Git index says which files are tracked; false when .gitignore alone decides. */
  fromGitIndex: boolean;
  /** Why presence is approximated, in words for a one-time notice (absent when it is not). */
  reason?: string;
  /** The index file that was read (or could not be), when there is a repository. */
  indexPath?: string;
}

/** What a path is in the tree, after following symbolic links inside the repository. */
export interface PathLookup {
  kind: 'file' | 'dir' | 'absent';
  /** Repository-relative path after following symbolic links ('' is the root). */
  real: string;
  /** A symbolic link on the way leads outside the repository (the link's path). */
  escapesThrough?: string;
  /** Absent from the tree, yet something is on disk there: why the tree does not hold it. */
  onDisk?: 'ignored' | 'empty-folder' | 'unreadable';
  /** In a folder not scanned (`exclude`, node_modules): `kind` comes from the disk alone. */
  unscanned?: boolean;
}

export type ReadResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; kind: 'missing' | 'special' | 'too-large' | 'unreadable'; message: string; size?: number };

/** Folders never scanned: Git's own data and package caches are not part of a repository. */
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);
/** .gitignore files larger than this are not ignore files anyone wrote by hand. */
const MAX_IGNORE_BYTES = 1024 * 1024;
/** Symbolic links followed in one lookup before it is called a loop (Linux allows 40). */
const MAX_LINK_HOPS = 40;

/** How a folder's content counts: everything Git would take, or only what the index tracks. */
type ScanMode = 'all' | 'tracked-only';

interface IgnoreScope {
  /** Repository-relative folder of the .gitignore ('' for the root and for outer files). */
  base: string;
  /** For files above the workspace root: the root's path relative to the file's folder. */
  outerPrefix?: string;
  matcher: Ignore;
}

export class FileTree implements TreeView {
  readonly root: string;
  private readonly fs: TreeFs;
  private readonly exclude: readonly string[];
  /** Repository-relative file paths. */
  readonly files = new Set<string>();
  /** Directory → number of files below it at any depth; a directory with none does not exist for Git. */
  private readonly fileCounts = new Map<string, number>();
  /** Directory → names of its sub-directories that hold files. */
  private readonly childDirs = new Map<string, Set<string>>();
  /**
   * Directory → names of the file entries directly in it, so that a folder event removes its
   * subtree without a pass over every file (a branch switch deletes thousands of folders). Built
   * by the first folder removal, then kept: a scan that never needs it does not pay for it.
   */
  private dirFiles: Map<string, Set<string>> | undefined;
  private readonly ignoreScopes = new Map<string, IgnoreScope>();
  /** File entries that are symbolic links (Git stores the link, whatever it points to). */
  private readonly links = new Set<string>();
  /** Entries whose names are not UTF-8: kept (Git has them) under their decoded, lossy name. */
  private readonly undecodableNames = new Set<string>();
  /** Problems met while reading the tree (unreadable folders, symlink loops), by path. */
  readonly problems = new Map<string, Problem>();

  private readonly repository: GitRepositoryLocation | undefined;
  private tracked: ReadonlySet<string> = EMPTY;
  private trackedDirs: ReadonlySet<string> = EMPTY;
  private presenceInfo: Presence;
  private indexStamp: string | undefined;
  /** How the root's own content counts (a workspace inside an ignored folder sees only tracked files). */
  private rootMode: ScanMode = 'all';
  private realRootCache: string | undefined;

  constructor(root: string, options: FileTreeOptions = {}) {
    this.root = nodePath.resolve(root);
    this.fs = options.fs ?? nodeTreeFs;
    this.exclude = options.exclude ?? [];
    this.repository = findGitRepository(this.root, this.fs);
    this.presenceInfo = this.loadPresence();
    this.loadOuterIgnores();
    this.scanDir('', this.rootMode);
  }

  abs(rel: string): string {
    if (rel === '') return this.root;
    // Relative paths here are normalised already; joining is only needed where `/` is not the separator.
    return nodePath.sep === '/' ? (this.root.endsWith('/') ? this.root + rel : `${this.root}/${rel}`) : nodePath.join(this.root, ...rel.split('/'));
  }

  // ---- presence --------------------------------------------------------------------------

  /** Whether presence comes from a Git index (exact) or from .gitignore alone (approximate). */
  presenceFromGitIndex(): boolean {
    return this.presenceInfo.fromGitIndex;
  }

  get presence(): Presence {
    return { ...this.presenceInfo };
  }

  /** The remotes of the checkout whose `.git` is at the root (not of a repository above it). */
  gitRemoteUrls(): string[] {
    return remoteUrlsAt(this.root, this.fs);
  }

  /**
   * Whether the index file differs from the one read (one stat): file events for it may not
   * arrive when it lives outside the workspace (worktrees, a workspace inside a repository).
   */
  indexChanged(): boolean {
    return this.repository !== undefined && this.stampIndex() !== this.indexStamp;
  }

  /**
   * Reads the index again. Returns the paths whose tracked state changed (apply them with
   * `update`), or 'rebuild' when presence switched between exact and approximate.
   */
  refreshPresence(): string[] | 'rebuild' {
    if (!this.repository) return [];
    const before = { exact: this.presenceInfo.fromGitIndex, files: this.tracked, dirs: this.trackedDirs };
    const next = this.loadPresence();
    if (next.fromGitIndex !== before.exact) return 'rebuild';
    this.presenceInfo = next;
    // Tracking a file .gitignore does not ignore changes nothing (it was there already): only
    // ignored paths can appear or vanish. `git add -A` on a big repository stays cheap.
    const matters = (f: string) => this.rootMode === 'tracked-only' || this.isIgnoredPath(f, false);
    const changed: string[] = [];
    for (const f of this.tracked) if (!before.files.has(f) && matters(f)) changed.push(f);
    for (const f of before.files) if (!this.tracked.has(f) && matters(f)) changed.push(f);
    return changed;
  }

  private loadPresence(): Presence {
    this.tracked = EMPTY;
    this.trackedDirs = EMPTY;
    if (!this.repository) return { fromGitIndex: false, reason: 'not inside a Git repository' };
    this.indexStamp = this.stampIndex();
    const tracked = readTrackedFiles(this.repository, this.fs);
    if (!tracked.ok) return { fromGitIndex: false, reason: tracked.reason, ...(tracked.indexPath ? { indexPath: tracked.indexPath } : {}) };
    this.tracked = tracked.files;
    this.trackedDirs = tracked.dirs;
    return { fromGitIndex: true, indexPath: tracked.indexPath };
  }

  private stampIndex(): string {
    if (!this.repository) return '';
    try {
      const st = this.fs.stat(nodePath.join(this.repository.gitDir, 'index'));
      return `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
    } catch {
      return 'none';
    }
  }

  // ---- queries ---------------------------------------------------------------------------

  /** Directories Git would have, for the git directory generator: no root, no hidden ones. */
  hasDir(rel: string): boolean {
    return (this.fileCounts.get(rel) ?? 0) > 0 && !isHiddenPath(rel);
  }

  /** Whether a folder (hidden or not; '' is the root) holds a file Git would have. */
  holdsFiles(rel: string): boolean {
    return rel === '' ? this.files.size > 0 : (this.fileCounts.get(rel) ?? 0) > 0;
  }

  /** Sub-directory names of `rel` that exist for Git (hidden ones included; callers filter). */
  childrenOf(rel: string): ReadonlySet<string> {
    return this.childDirs.get(rel) ?? EMPTY;
  }

  /** Every directory that exists for Git, hidden ones excluded, in lexical walk order. */
  allDirs(): string[] {
    return walkDirs(this);
  }

  /**
   * Whether a file at `rel` would be in the tree if it were on disk: not in an excluded or
   * ignored folder, and tracked or not ignored. For editor buffers of files not saved yet.
   */
  wouldHave(rel: string): boolean {
    if (rel === '' || this.inUnscannedFolder(rel)) return false;
    const mode = this.modeOf(parentOf(rel));
    return mode !== undefined && this.fileAdmitted(rel, mode);
  }

  /**
   * What is at `rel` for kustomize and Argo CD: a file or folder of the tree, found through
   * symbolic links inside the repository the way kustomize follows them; else why it is absent
   * although something is on disk there.
   */
  lookup(rel: string): PathLookup {
    return this.lookupFrom(rel, 0);
  }

  private lookupFrom(rel: string, hops: number): PathLookup {
    if (this.files.has(rel)) {
      if (!this.links.has(rel)) return { kind: 'file', real: rel };
      return this.followLink(rel, '', hops);
    }
    if (this.holdsFiles(rel)) return { kind: 'dir', real: rel };
    // A folder on the way may be a symbolic link to another folder of the repository.
    for (let i = rel.indexOf('/'); i > 0; i = rel.indexOf('/', i + 1)) {
      const head = rel.slice(0, i);
      if (this.links.has(head)) return this.followLink(head, rel.slice(i + 1), hops);
      if (!this.holdsFiles(head)) break;
    }
    return this.onDisk(rel);
  }

  private followLink(link: string, rest: string, hops: number): PathLookup {
    if (hops >= MAX_LINK_HOPS) return { kind: 'absent', real: link };
    let real: string;
    try {
      real = this.fs.realpath(this.abs(link));
    } catch {
      return { kind: 'absent', real: link }; // broken or looping: the tree reported the link
    }
    const realRoot = this.realRoot();
    let target: string;
    if (real === realRoot) target = '';
    else if (real.startsWith(realRoot + nodePath.sep)) target = real.slice(realRoot.length + 1).split(nodePath.sep).join('/');
    else return { kind: 'absent', real: link, escapesThrough: link };
    return this.lookupFrom(rest === '' ? target : target === '' ? rest : `${target}/${rest}`, hops + 1);
  }

  private realRoot(): string {
    if (this.realRootCache === undefined) {
      try {
        this.realRootCache = this.fs.realpath(this.root);
      } catch {
        this.realRootCache = this.root;
      }
    }
    return this.realRootCache;
  }

  /**
   * What is on disk at `rel`, symbolic links followed (whether or not the tree holds it): for
   * questions Argo CD answers with os.Stat, such as whether a source path is a folder.
   */
  kindOnDisk(rel: string): 'file' | 'dir' | 'other' | undefined {
    try {
      const st = this.fs.stat(this.abs(rel));
      return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
    } catch {
      return undefined;
    }
  }

  /**
   * The names in a folder on disk, whether or not the tree holds it (a chart kustomize pulled
   * into a Git-ignored `charts/`), folders ending in `/` (links followed); undefined when it
   * cannot be listed.
   */
  listOnDisk(rel: string): string[] | undefined {
    let entries: nodeFs.Dirent[];
    try {
      entries = this.fs.readdir(this.abs(rel));
    } catch {
      return undefined;
    }
    const out: string[] = [];
    for (const e of entries) {
      const kind = e.isDirectory() ? 'dir' : e.isFile() ? 'file' : e.isSymbolicLink() ? this.kindOnDisk(rel === '' ? e.name : `${rel}/${e.name}`) : undefined;
      if (kind === 'dir') out.push(`${e.name}/`);
      else if (kind === 'file') out.push(e.name);
    }
    return out.sort();
  }

  /** A path the tree does not hold: what the disk has there, through the injected file system. */
  private onDisk(rel: string): PathLookup {
    let st: nodeFs.Stats;
    try {
      st = this.fs.stat(this.abs(rel));
    } catch {
      return { kind: 'absent', real: rel };
    }
    if (this.inUnscannedFolder(rel)) return { kind: st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'absent', real: rel, unscanned: true };
    if (this.isIgnoredPath(rel, st.isDirectory())) return { kind: 'absent', real: rel, onDisk: 'ignored' };
    if (st.isDirectory()) return { kind: 'absent', real: rel, onDisk: this.holdsFilesOnDisk(rel) ? 'ignored' : 'empty-folder' };
    return { kind: 'absent', real: rel, onDisk: 'unreadable' };
  }

  /** Whether a folder holds any file on disk (the tree took none of them: all are ignored). */
  private holdsFilesOnDisk(rel: string): boolean {
    const stack = [rel];
    for (let visited = 0; stack.length > 0 && visited < 1000; visited++) {
      const dir = stack.pop() as string;
      let entries: nodeFs.Dirent[];
      try {
        entries = this.fs.readdir(this.abs(dir));
      } catch {
        continue;
      }
      for (const e of entries) {
        if (e.isDirectory()) stack.push(`${dir}/${e.name}`);
        else return true;
      }
    }
    return false;
  }

  // ---- reading ---------------------------------------------------------------------------

  /**
   * A file's bytes, if it is a regular file (or a link to one) of at most `maxBytes`. With
   * `head`, a larger file gives its first `maxBytes` bytes instead of a failure. A file of the
   * tree that cannot be read (special file, permission, I/O error) is reported once, as
   * `unreadable-path`, and skipped.
   */
  read(rel: string, maxBytes: number, options: { head?: boolean } = {}): ReadResult {
    if (this.undecodableNames.has(rel)) return { ok: false, kind: 'unreadable', message: 'its name is not valid UTF-8' };
    let bytes: Buffer;
    try {
      bytes = this.fs.readFile(this.abs(rel), maxBytes, options.head === true);
    } catch (e) {
      const err = e as FsError;
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return { ok: false, kind: 'missing', message: 'it does not exist' };
      if (err.code === 'EFBIG') return { ok: false, kind: 'too-large', message: err.message, ...(err.size !== undefined ? { size: err.size } : {}) };
      const special = err.code === 'ENOTREG';
      const message = special ? `${capitalize(err.message)}: Home-Ops does not read it.` : `File could not be read: ${err.code ?? String(e)}.`;
      if (this.files.has(rel) && !this.problems.has(rel)) this.problems.set(rel, { file: rel, range: START_OF_FILE, severity: 'warning', rule: 'unreadable-path', message });
      return { ok: false, kind: special ? 'special' : 'unreadable', message: special ? err.message : `it cannot be read (${err.code ?? String(e)})` };
    }
    if (bytes.length <= maxBytes) return { ok: true, bytes };
    if (options.head) return { ok: true, bytes: bytes.subarray(0, maxBytes) };
    return { ok: false, kind: 'too-large', message: `it is over ${maxBytes} bytes` };
  }

  /** Reads a file of the tree as text; undefined when it cannot be read. */
  readText(rel: string, maxBytes = Number.MAX_SAFE_INTEGER): string | undefined {
    return this.readBytes(rel, maxBytes)?.toString('utf8');
  }

  readBytes(rel: string, maxBytes = Number.MAX_SAFE_INTEGER): Buffer | undefined {
    const r = this.read(rel, maxBytes);
    return r.ok ? r.bytes : undefined;
  }

  // ---- updates ---------------------------------------------------------------------------

  /**
   * Applies many created/changed/deleted paths at once (a branch switch sends thousands), with
   * what `update` would give for each, in fewer system calls: the paths in a folder the tree does
   * not hold (created) or that is gone from the disk (deleted) are one rescan of that folder, not
   * one stat per file; a path below a folder rescanned in the same batch needs nothing more.
   */
  updateAll(paths: Iterable<string>): { added: string[]; removed: string[] } {
    const targets = new Set<string>();
    const rescan = new Map<string, boolean>();
    for (const p of new Set(paths)) {
      const parent = parentOf(p);
      let whole = rescan.get(parent);
      if (whole === undefined) rescan.set(parent, (whole = parent !== '' && this.folderCreatedOrGone(parent)));
      targets.add(whole ? parent : p);
    }
    const added: string[] = [];
    const removed: string[] = [];
    const done = new Set<string>();
    // Folders before what is below them (a prefix sorts first): a rescanned folder covers its subtree.
    for (const p of [...targets].sort()) {
      if (hasAncestorIn(p, done)) continue;
      done.add(p);
      const change = this.update(p);
      for (const f of change.added) added.push(f);
      for (const f of change.removed) removed.push(f);
    }
    return { added, removed };
  }

  /** A folder the tree holds no file in (new, or empty until now), or one no longer on disk. */
  private folderCreatedOrGone(rel: string): boolean {
    if (this.files.has(rel)) return false; // a file entry (a symbolic link, say): its own event says what it is now
    if (!this.holdsFiles(rel)) return true;
    try {
      this.fs.lstat(this.abs(rel));
      return false;
    } catch {
      return true;
    }
  }

  /**
   * Applies a created/changed/deleted path reported by a watcher. Returns the files added and
   * removed, so callers can re-evaluate only what depends on them.
   */
  update(rel: string): { added: string[]; removed: string[] } {
    const removed = this.removeSubtree(rel);
    const added: string[] = [];
    if (this.inUnscannedFolder(rel)) return { added, removed };
    const parentMode = this.modeOf(parentOf(rel));
    if (parentMode === undefined) return { added, removed };
    let st: nodeFs.Stats | undefined;
    try {
      st = this.fs.lstat(this.abs(rel));
    } catch {
      st = undefined;
    }
    if (st) {
      const name = nodePath.posix.basename(rel);
      if (st.isDirectory()) {
        const mode = this.dirMode(rel, parentMode);
        if (mode !== undefined) this.countInAncestors(rel, this.scanDir(rel, mode, added));
      } else if (this.fileAdmitted(rel, parentMode)) {
        if (st.isFile() || st.isSymbolicLink()) {
          if (name === '.gitignore') this.loadIgnore(parentOf(rel));
          this.addFileEntry(rel, st.isSymbolicLink(), added);
        } else this.reportSpecial(rel, st);
      }
    }
    if (added.length === 0 || removed.length === 0) return { added, removed };
    const readded = new Set(added);
    return { added, removed: removed.filter((f) => !readded.has(f)) };
  }

  /**
   * How the content of folder `rel` counts, from the root down: undefined when the folder is
   * not scanned (excluded, always skipped, or ignored with nothing tracked below it).
   */
  private modeOf(rel: string): ScanMode | undefined {
    let mode: ScanMode | undefined = this.rootMode;
    if (rel === '') return mode;
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length && mode !== undefined; i++) {
      const dir = parts.slice(0, i).join('/');
      if (ALWAYS_SKIPPED.has(parts[i - 1] as string) || this.isExcluded(dir)) return undefined;
      mode = this.dirMode(dir, mode);
    }
    return mode;
  }

  /** A sub-folder's mode: an ignored folder is entered only for the files the index tracks in it. */
  private dirMode(rel: string, parentMode: ScanMode): ScanMode | undefined {
    // Without ignore rules everything counts: no lookup needed (the scan is most of a lint).
    if (parentMode === 'all' && this.ignoreScopes.size === 0) return 'all';
    if (this.trackedDirs.has(rel)) return parentMode === 'tracked-only' || this.isIgnored(rel, true) ? 'tracked-only' : 'all';
    if (parentMode === 'tracked-only') return undefined;
    return this.isIgnored(rel, true) ? undefined : 'all';
  }

  /** Whether Git has this file: tracked, or untracked in a folder taken whole and not ignored. */
  private fileAdmitted(rel: string, mode: ScanMode): boolean {
    if (mode === 'all' && this.ignoreScopes.size === 0) return true;
    // A tracked file needs no ignore matching, the costlier question.
    return this.tracked.has(rel) || (mode === 'all' && !this.isIgnored(rel, false));
  }

  private removeSubtree(rel: string): string[] {
    const removed: string[] = [];
    const prefix = `${rel}/`;
    // A path the tree does not hold (the usual case for a created one) has nothing below it.
    if (this.files.has(rel)) removed.push(rel);
    else if (this.fileCounts.has(rel)) this.collectFiles(rel, removed);
    for (const f of removed) this.removeFileEntry(f);
    this.problems.delete(rel);
    // Deleting while iterating a Map is safe: entries not yet visited are still visited.
    for (const k of this.problems.keys()) if (k.startsWith(prefix)) this.problems.delete(k);
    if (this.ignoreScopes.has(rel) || nodePath.posix.basename(rel) === '.gitignore') {
      const base = nodePath.posix.basename(rel) === '.gitignore' ? parentOf(rel) : rel;
      this.ignoreScopes.delete(base);
    }
    return removed;
  }

  /** The file entries below folder `rel`, at any depth. */
  private collectFiles(rel: string, out: string[]): void {
    let index = this.dirFiles;
    if (!index) {
      index = this.dirFiles = new Map();
      for (const f of this.files) indexEntry(index, f);
    }
    const byDir = index;
    const walk = (dir: string): void => {
      for (const name of byDir.get(dir) ?? EMPTY) out.push(`${dir}/${name}`);
      for (const kid of this.childDirs.get(dir) ?? EMPTY) walk(`${dir}/${kid}`);
    };
    walk(rel);
  }

  /** Records a new file entry in the set and, once there is one, in its folder's list (not in the counts). */
  private addEntry(rel: string): void {
    this.files.add(rel);
    if (this.dirFiles) indexEntry(this.dirFiles, rel);
  }

  /**
   * Adds the files below `rel` and counts them in `rel` and the folders below it (not in the
   * folders above: the caller does that once); returns how many files were added.
   */
  private scanDir(rel: string, mode: ScanMode, added?: string[]): number {
    let entries: nodeFs.Dirent[];
    try {
      entries = this.fs.readdir(this.abs(rel));
    } catch (e) {
      this.problems.set(rel, {
        file: rel,
        range: START_OF_FILE,
        severity: 'warning',
        rule: 'unreadable-path',
        message: `Folder could not be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      });
      return 0;
    }
    // In a folder taken only for its tracked files, ignore rules decide nothing.
    if (mode === 'all' && entries.some((e) => e.name === '.gitignore')) this.loadIgnore(rel);
    // Names that are not UTF-8 decode with U+FFFD and then name nothing on disk.
    let undecodable: Set<string> | undefined;
    let count = 0;
    for (const entry of entries) {
      const name = entry.name;
      // `.git` is also a file in worktrees and submodules: never part of the repository's content.
      if (ALWAYS_SKIPPED.has(name)) continue;
      const childRel = rel === '' ? name : `${rel}/${name}`;
      if (name.includes('\uFFFD') && (undecodable ??= this.undecodableIn(rel)).has(name)) {
        if (this.addUndecodable(childRel, mode, entry.isDirectory(), added)) count++;
        continue;
      }
      if (entry.isDirectory()) {
        if (this.isExcluded(childRel)) continue;
        const childMode = this.dirMode(childRel, mode);
        if (childMode !== undefined) count += this.scanDir(childRel, childMode, added);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        if (!this.fileAdmitted(childRel, mode)) continue;
        if (this.addFileEntry(childRel, entry.isSymbolicLink(), added, false)) count++;
      } else if (this.fileAdmitted(childRel, mode)) {
        count += this.addOther(childRel, mode, added);
      }
    }
    // One count per folder rather than one per file and ancestor: the scan is most of a lint.
    if (count > 0 && rel !== '') this.countIn(rel, count);
    return count;
  }

  /** An entry readdir could not type (some file systems) or a special file. */
  private addOther(rel: string, mode: ScanMode, added?: string[]): number {
    let st: nodeFs.Stats;
    try {
      st = this.fs.lstat(this.abs(rel));
    } catch {
      return 0;
    }
    if (st.isDirectory()) {
      const childMode = this.isExcluded(rel) ? undefined : this.dirMode(rel, mode);
      return childMode === undefined ? 0 : this.scanDir(rel, childMode, added);
    }
    if (st.isFile() || st.isSymbolicLink()) return this.addFileEntry(rel, st.isSymbolicLink(), added, false) ? 1 : 0;
    this.reportSpecial(rel, st);
    return 0;
  }

  /** FIFOs, sockets and devices: Git cannot store them, so they are not in the repository. */
  private reportSpecial(rel: string, st: nodeFs.Stats): void {
    this.problems.set(rel, {
      file: rel,
      range: START_OF_FILE,
      severity: 'warning',
      rule: 'unreadable-path',
      message: `Special file (${describeSpecial(st)}): Git cannot store it, so it is not in the repository; Home-Ops does not read it.`,
    });
  }

  /** The decoded names of a folder's entries whose bytes are not UTF-8. */
  private undecodableIn(rel: string): Set<string> {
    const out = new Set<string>();
    if (!this.fs.readdirRaw) return out;
    try {
      for (const raw of this.fs.readdirRaw(this.abs(rel))) if (!isUtf8(raw)) out.add(raw.toString('utf8'));
    } catch {
      // the folder was readable a moment ago; its entries stay as they are
    }
    return out;
  }

  /**
   * An entry whose name is not UTF-8: Git and Argo CD have it, Home-Ops cannot name it on disk.
   * Reported; kept as a file entry under its lossy name so that its folder still counts.
   */
  private addUndecodable(rel: string, mode: ScanMode, isDir: boolean, added?: string[]): boolean {
    const admitted = isDir ? this.trackedDirs.has(rel) || (mode === 'all' && !this.isIgnored(rel, true)) : this.fileAdmitted(rel, mode);
    if (!admitted) return false;
    this.problems.set(rel, {
      file: rel,
      range: START_OF_FILE,
      severity: 'warning',
      rule: 'unreadable-path',
      message: `${isDir ? 'Folder' : 'File'} name is not valid UTF-8: Git and Argo CD have it, but Home-Ops cannot read it${isDir ? ' or anything in it' : ''}.`,
    });
    if (this.files.has(rel)) return false;
    this.undecodableNames.add(rel);
    this.addEntry(rel);
    added?.push(rel);
    return true;
  }

  /** Adds `count` files to folder `dir`; a folder's first files make it its parent's child. */
  private countIn(dir: string, count: number): void {
    const before = this.fileCounts.get(dir) ?? 0;
    this.fileCounts.set(dir, before + count);
    if (before === 0) {
      const slash = dir.lastIndexOf('/');
      const parent = slash < 0 ? '' : dir.slice(0, slash);
      let kids = this.childDirs.get(parent);
      if (!kids) this.childDirs.set(parent, (kids = new Set()));
      kids.add(dir.slice(slash + 1));
    }
  }

  /** Counts `count` new files below `rel` in every folder above it. */
  private countInAncestors(rel: string, count: number): void {
    if (count === 0) return;
    for (let dir = parentOf(rel); dir !== ''; dir = parentOf(dir)) this.countIn(dir, count);
  }

  /**
   * Git stores a symlink as a file whatever it points to, and Argo CD's directory walk does not
   * follow symlinked directories, so a symlink is a file entry. Those that loop or dangle are
   * recorded, because reading them later would fail; those to special files, because reading
   * them would block or never end.
   */
  private addFileEntry(rel: string, isLink: boolean, added?: string[], countInFolders = true): boolean {
    if (isLink) {
      this.links.add(rel);
      try {
        const target = this.fs.realpath(this.abs(rel));
        const st = this.fs.stat(target);
        if (st.isDirectory()) {
          this.problems.set(rel, {
            file: rel,
            range: START_OF_FILE,
            severity: 'info',
            rule: 'symlink-not-followed',
            message: 'Symbolic link to a folder: Argo CD does not follow it when it lists directories, so neither does Home-Ops.',
          });
        } else if (!st.isFile()) {
          this.problems.set(rel, {
            file: rel,
            range: START_OF_FILE,
            severity: 'warning',
            rule: 'unreadable-path',
            message: `Symbolic link to a special file (${describeSpecial(st)}): Home-Ops does not read it.`,
          });
        }
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        this.problems.set(rel, {
          file: rel,
          range: START_OF_FILE,
          severity: 'warning',
          rule: 'broken-symlink',
          message: code === 'ELOOP' ? 'Symbolic link loop: the link resolves to itself.' : `Symbolic link cannot be resolved (${code ?? String(e)}).`,
        });
      }
    }
    if (this.files.has(rel)) return false;
    this.addEntry(rel);
    added?.push(rel);
    if (countInFolders) this.countInAncestors(rel, 1);
    return true;
  }

  private removeFileEntry(rel: string): void {
    if (!this.files.delete(rel)) return;
    if (this.dirFiles) {
      const cut = rel.lastIndexOf('/');
      const folder = cut < 0 ? '' : rel.slice(0, cut);
      const names = this.dirFiles.get(folder);
      names?.delete(rel.slice(cut + 1));
      if (names?.size === 0) this.dirFiles.delete(folder);
    }
    this.links.delete(rel);
    this.undecodableNames.delete(rel);
    this.problems.delete(rel);
    let dir = parentOf(rel);
    while (dir !== '') {
      const count = (this.fileCounts.get(dir) ?? 1) - 1;
      const parent = parentOf(dir);
      if (count <= 0) {
        this.fileCounts.delete(dir);
        this.childDirs.get(parent)?.delete(nodePath.posix.basename(dir));
      } else this.fileCounts.set(dir, count);
      dir = parent;
    }
  }

  private isExcluded(rel: string): boolean {
    return this.exclude.some((pattern) => {
      try {
        return goPathMatch(pattern, rel);
      } catch {
        return false;
      }
    });
  }

  /** Whether `rel` is in (or is) a folder the scan skips: `.git`, `node_modules`, an exclude. */
  private inUnscannedFolder(rel: string): boolean {
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) {
      if (ALWAYS_SKIPPED.has(parts[i - 1] as string)) return true;
      if (this.isExcluded(parts.slice(0, i).join('/'))) return true;
    }
    return false;
  }

  /** Whether .gitignore rules ignore `rel` or a folder above it. */
  private isIgnoredPath(rel: string, isDir: boolean): boolean {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) if (this.isIgnored(parts.slice(0, i).join('/'), true)) return true;
    return this.isIgnored(rel, isDir);
  }

  /**
   * `.git/info/exclude` and the .gitignore files between the repository's root and the
   * workspace root (for a workspace inside a repository); a workspace inside an ignored folder
   * holds only what the index tracks.
   */
  private loadOuterIgnores(): void {
    if (!this.repository) {
      // Not in a repository: a `.git/info/exclude` left in the folder still says what its owner ignores.
      const info = this.readOptional(nodePath.join(this.root, '.git', 'info', 'exclude'));
      if (info !== undefined && hasPatterns(info)) this.ignoreScopes.set('\0info', { base: '', matcher: ignore().add(info) });
      return;
    }
    outerIgnoreFiles(this.repository, this.fs).forEach(({ text, prefix }, i) => {
      if (hasPatterns(text)) this.ignoreScopes.set(`\0outer${i}`, { base: '', ...(prefix !== '' ? { outerPrefix: prefix } : {}), matcher: ignore().add(text) });
    });
    const prefix = this.repository.prefix;
    if (prefix === '') return;
    for (const scope of this.ignoreScopes.values()) {
      if (scope.outerPrefix === undefined) continue;
      const segs = scope.outerPrefix.split('/');
      for (let i = 1; i <= segs.length; i++) {
        if (scope.matcher.ignores(`${segs.slice(0, i).join('/')}/`)) this.rootMode = 'tracked-only';
      }
    }
  }

  private loadIgnore(dirRel: string): void {
    const text = this.readOptional(nodePath.join(this.abs(dirRel), '.gitignore'));
    if (text === undefined || !hasPatterns(text)) return;
    this.ignoreScopes.set(dirRel, { base: dirRel, matcher: ignore().add(text) });
  }

  private readOptional(abs: string): string | undefined {
    if (this.fs.exists && !this.fs.exists(abs)) return undefined;
    try {
      const bytes = this.fs.readFile(abs, MAX_IGNORE_BYTES);
      return bytes.length > MAX_IGNORE_BYTES ? undefined : bytes.toString('utf8');
    } catch {
      return undefined;
    }
  }

  private isIgnored(rel: string, isDir: boolean): boolean {
    for (const scope of this.ignoreScopes.values()) {
      let sub: string;
      if (scope.outerPrefix !== undefined) sub = `${scope.outerPrefix}/${rel}`;
      else if (scope.base === '') sub = rel;
      else if (rel.startsWith(`${scope.base}/`)) sub = rel.slice(scope.base.length + 1);
      else continue;
      if (scope.matcher.ignores(isDir ? `${sub}/` : sub)) return true;
    }
    return false;
  }
}

const EMPTY: ReadonlySet<string> = new Set();

/** Adds a file entry to the index of names by folder. */
function indexEntry(index: Map<string, Set<string>>, rel: string): void {
  const cut = rel.lastIndexOf('/');
  const dir = cut < 0 ? '' : rel.slice(0, cut);
  let names = index.get(dir);
  if (!names) index.set(dir, (names = new Set()));
  names.add(rel.slice(cut + 1));
}

/** Whether a folder above `p` is in `dirs`. */
function hasAncestorIn(p: string, dirs: ReadonlySet<string>): boolean {
  if (dirs.size === 0) return false;
  for (let d = parentOf(p); d !== ''; d = parentOf(d)) if (dirs.has(d)) return true;
  return false;
}

/**
 * Whether an ignore file has a pattern line: `git init` writes `.git/info/exclude` with comments
 * only, and matching every path against a matcher with no rules would double the scan.
 */
function hasPatterns(text: string): boolean {
  return /^[ \t]*[^#\s]/m.test(text);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

