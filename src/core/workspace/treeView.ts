/**
 * What the generators ask of a working tree: which files it has and which folders exist for Git.
 * FileTree answers from the disk; WithFiles answers "as if these files existed" on top of
 * another view (Add App checks a plan against it before anything is written), so both are
 * evaluated by the same code.
 */

export interface TreeView {
  /** Repository-relative file paths. */
  readonly files: ReadonlySet<string>;
  /** Whether a folder exists for the git directory generator: it holds a file, it is not the root, nothing in its path is hidden. */
  hasDir(rel: string): boolean;
  /** Sub-folder names of `rel` that hold files (hidden ones included; callers filter). */
  childrenOf(rel: string): ReadonlySet<string>;
  /** Every folder that exists for Git, hidden ones excluded, in lexical walk order. */
  allDirs(): string[];
}

/** Folders in lexical walk order (Go's filepath.Walk), hidden ones and what is below them left out. */
export function walkDirs(view: Pick<TreeView, 'childrenOf'>): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const k of [...view.childrenOf(dir)].sort()) {
      if (k.startsWith('.')) continue;
      const rel = dir === '' ? k : `${dir}/${k}`;
      out.push(rel);
      visit(rel);
    }
  };
  visit('');
  return out;
}

/** A view with extra files (and so their folders); everything else is the base's. */
export class WithFiles implements TreeView {
  readonly files: ReadonlySet<string>;
  private readonly extraDirs = new Set<string>();
  private readonly extraKids = new Map<string, Set<string>>();

  constructor(
    private readonly base: TreeView,
    extra: Iterable<string>,
  ) {
    const files = new Set(base.files);
    for (const f of extra) {
      files.add(f);
      for (let slash = f.indexOf('/'); slash > 0; slash = f.indexOf('/', slash + 1)) {
        const dir = f.slice(0, slash);
        this.extraDirs.add(dir);
        const cut = dir.lastIndexOf('/');
        const parent = cut < 0 ? '' : dir.slice(0, cut);
        let kids = this.extraKids.get(parent);
        if (!kids) this.extraKids.set(parent, (kids = new Set()));
        kids.add(dir.slice(cut + 1));
      }
    }
    this.files = files;
  }

  hasDir(rel: string): boolean {
    return this.base.hasDir(rel) || (this.extraDirs.has(rel) && !isHiddenPath(rel));
  }

  childrenOf(rel: string): ReadonlySet<string> {
    const kids = this.base.childrenOf(rel);
    const extra = this.extraKids.get(rel);
    return extra ? new Set([...kids, ...extra]) : kids;
  }

  allDirs(): string[] {
    return walkDirs(this);
  }
}

/**
 * `rel` resolved against the repository folder `dir` (`.` and empty segments dropped, `..` going
 * up); undefined when it leaves the repository. Paths as Argo CD and helm write them.
 */
export function resolveInRepository(dir: string, rel: string): string | undefined {
  const parts = dir === '' ? [] : dir.split('/');
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

export function parentOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

export function isHiddenPath(rel: string): boolean {
  return rel.startsWith('.') || rel.includes('/.');
}
