/**
 * The working tree as Argo CD's repo-server would see it after a clone: files that Git would
 * track (untracked files count, ignored ones do not), and the directories that hold them.
 * Kept up to date from file events so that a new app directory needs no rescan.
 */
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { Problem } from '../problems';
import { START_OF_FILE } from '../problems';
import { goPathMatch } from '../glob/goPathMatch';

/** The few file-system calls the tree needs; tests and the language server may supply others. */
export interface TreeFs {
  readdir(abs: string): nodeFs.Dirent[];
  stat(abs: string): nodeFs.Stats;
  lstat(abs: string): nodeFs.Stats;
  realpath(abs: string): string;
  readFile(abs: string): Buffer;
  /** Whether a path exists; lets optional files be skipped without an exception per lookup. */
  exists?(abs: string): boolean;
}

export const nodeTreeFs: TreeFs = {
  readdir: (abs) => nodeFs.readdirSync(abs, { withFileTypes: true }),
  stat: (abs) => nodeFs.statSync(abs),
  lstat: (abs) => nodeFs.lstatSync(abs),
  realpath: (abs) => nodeFs.realpathSync(abs),
  readFile: (abs) => nodeFs.readFileSync(abs),
  exists: (abs) => nodeFs.existsSync(abs),
};

export interface FileTreeOptions {
  /** Repository-relative folders (Go path.Match patterns, e.g. `archive/*`) not to scan. */
  exclude?: readonly string[];
  fs?: TreeFs;
}

/** Folders never scanned: Git's own data and package caches are not part of a repository. */
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);

interface IgnoreScope {
  base: string; // repository-relative folder of the .gitignore ('' for the root)
  matcher: Ignore;
}

export class FileTree {
  readonly root: string;
  private readonly fs: TreeFs;
  private readonly exclude: readonly string[];
  /** Repository-relative file paths. */
  readonly files = new Set<string>();
  /** Directory → number of files below it at any depth; a directory with none does not exist for Git. */
  private readonly fileCounts = new Map<string, number>();
  /** Directory → names of its sub-directories that hold files. */
  private readonly childDirs = new Map<string, Set<string>>();
  private readonly ignoreScopes = new Map<string, IgnoreScope>();
  /** Problems met while reading the tree (unreadable folders, symlink loops), by path. */
  readonly problems = new Map<string, Problem>();

  constructor(root: string, options: FileTreeOptions = {}) {
    this.root = nodePath.resolve(root);
    this.fs = options.fs ?? nodeTreeFs;
    this.exclude = options.exclude ?? [];
    this.loadRootExcludes();
    this.scanDir('');
  }

  abs(rel: string): string {
    if (rel === '') return this.root;
    // Relative paths here are normalised already; joining is only needed where `/` is not the separator.
    return nodePath.sep === '/' ? (this.root.endsWith('/') ? this.root + rel : `${this.root}/${rel}`) : nodePath.join(this.root, ...rel.split('/'));
  }

  /** Directories Git would have, for the git directory generator: no root, no hidden ones. */
  hasDir(rel: string): boolean {
    return (this.fileCounts.get(rel) ?? 0) > 0 && !isHiddenPath(rel);
  }

  /** Sub-directory names of `rel` that exist for Git (hidden ones included; callers filter). */
  childrenOf(rel: string): ReadonlySet<string> {
    return this.childDirs.get(rel) ?? EMPTY;
  }

  /** Every directory that exists for Git, hidden ones excluded, in lexical walk order. */
  allDirs(): string[] {
    const out: string[] = [];
    const visit = (dir: string): void => {
      const kids = [...this.childrenOf(dir)].sort();
      for (const k of kids) {
        if (k.startsWith('.')) continue;
        const rel = dir === '' ? k : `${dir}/${k}`;
        out.push(rel);
        visit(rel);
      }
    };
    visit('');
    return out;
  }

  /** Reads a file of the tree as text; undefined when it cannot be read. */
  readText(rel: string): string | undefined {
    try {
      return this.fs.readFile(this.abs(rel)).toString('utf8');
    } catch {
      return undefined;
    }
  }

  readBytes(rel: string): Buffer | undefined {
    try {
      return this.fs.readFile(this.abs(rel));
    } catch {
      return undefined;
    }
  }

  /**
   * Applies a created/changed/deleted path reported by a watcher. Returns the files added and
   * removed, so callers can re-evaluate only what depends on them.
   */
  update(rel: string): { added: string[]; removed: string[] } {
    const removed = this.removeSubtree(rel);
    const added: string[] = [];
    if (this.isExcluded(rel) || !this.parentIsScanned(rel)) return { added, removed };
    let st: nodeFs.Stats | undefined;
    try {
      st = this.fs.lstat(this.abs(rel));
    } catch {
      st = undefined;
    }
    if (st) {
      const name = nodePath.posix.basename(rel);
      if (st.isDirectory()) {
        if (!ALWAYS_SKIPPED.has(name) && !this.isIgnored(rel, true)) this.countInAncestors(rel, this.scanDir(rel, added));
      } else if (!this.isIgnored(rel, false)) {
        if (name === '.gitignore') this.loadIgnore(nodePath.posix.dirname(rel) === '.' ? '' : nodePath.posix.dirname(rel));
        this.addFileEntry(rel, st.isSymbolicLink(), added);
      }
    }
    return { added, removed: removed.filter((f) => !added.includes(f)) };
  }

  private parentIsScanned(rel: string): boolean {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (ALWAYS_SKIPPED.has(parts[i - 1] as string) || this.isExcluded(dir) || this.isIgnored(dir, true)) return false;
    }
    return true;
  }

  private removeSubtree(rel: string): string[] {
    const removed: string[] = [];
    const prefix = `${rel}/`;
    // A path the tree does not hold (the usual case for a created one) has nothing below it.
    if (this.files.has(rel)) removed.push(rel);
    else if (this.fileCounts.has(rel)) {
      for (const f of this.files) if (f.startsWith(prefix)) removed.push(f);
    }
    for (const f of removed) this.removeFileEntry(f);
    this.problems.delete(rel);
    for (const k of [...this.problems.keys()]) if (k.startsWith(prefix)) this.problems.delete(k);
    if (this.ignoreScopes.has(rel) || nodePath.posix.basename(rel) === '.gitignore') {
      const base = nodePath.posix.basename(rel) === '.gitignore' ? parentOf(rel) : rel;
      this.ignoreScopes.delete(base);
    }
    return removed;
  }

  /**
   * Adds the files below `rel` and counts them in `rel` and the folders below it (not in the
   * folders above: the caller does that once); returns how many files were added.
   */
  private scanDir(rel: string, added?: string[]): number {
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
    if (entries.some((e) => e.name === '.gitignore')) this.loadIgnore(rel);
    let count = 0;
    for (const entry of entries) {
      const name = entry.name;
      const childRel = rel === '' ? name : `${rel}/${name}`;
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED.has(name) || this.isExcluded(childRel) || this.isIgnored(childRel, true)) continue;
        count += this.scanDir(childRel, added);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        if (this.isIgnored(childRel, false)) continue;
        if (this.addFileEntry(childRel, entry.isSymbolicLink(), added, false)) count++;
      }
    }
    // One count per folder rather than one per file and ancestor: the scan is most of a lint.
    if (count > 0 && rel !== '') this.countIn(rel, count);
    return count;
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
   * recorded, because reading them later would fail.
   */
  private addFileEntry(rel: string, isLink: boolean, added?: string[], countInFolders = true): boolean {
    if (isLink) {
      try {
        const target = this.fs.realpath(this.abs(rel));
        if (this.fs.stat(target).isDirectory()) {
          this.problems.set(rel, {
            file: rel,
            range: START_OF_FILE,
            severity: 'info',
            rule: 'symlink-not-followed',
            message: 'Symbolic link to a folder: Argo CD does not follow it when it lists directories, so neither does Home-Ops.',
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
    this.files.add(rel);
    added?.push(rel);
    if (countInFolders) this.countInAncestors(rel, 1);
    return true;
  }

  private removeFileEntry(rel: string): void {
    if (!this.files.delete(rel)) return;
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

  private loadRootExcludes(): void {
    const info = this.readOptional(nodePath.join(this.root, '.git', 'info', 'exclude'));
    if (info !== undefined) this.ignoreScopes.set('\0info', { base: '', matcher: ignore().add(info) });
  }

  private loadIgnore(dirRel: string): void {
    const text = this.readOptional(nodePath.join(this.abs(dirRel), '.gitignore'));
    if (text === undefined) return;
    this.ignoreScopes.set(dirRel, { base: dirRel, matcher: ignore().add(text) });
  }

  private readOptional(abs: string): string | undefined {
    if (this.fs.exists && !this.fs.exists(abs)) return undefined;
    try {
      return this.fs.readFile(abs).toString('utf8');
    } catch {
      return undefined;
    }
  }

  private isIgnored(rel: string, isDir: boolean): boolean {
    for (const scope of this.ignoreScopes.values()) {
      let sub: string;
      if (scope.base === '') sub = rel;
      else if (rel.startsWith(`${scope.base}/`)) sub = rel.slice(scope.base.length + 1);
      else continue;
      if (scope.matcher.ignores(isDir ? `${sub}/` : sub)) return true;
    }
    return false;
  }
}

const EMPTY: ReadonlySet<string> = new Set();

export function parentOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

export function isHiddenPath(rel: string): boolean {
  return rel.startsWith('.') || rel.includes('/.');
}
