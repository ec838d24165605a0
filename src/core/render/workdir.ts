/**
 * The private copy a render runs in. kustomize and helm write next to what they read:
 * `kustomize build --enable-helm` pulls remote charts into `helmGlobals.chartHome` (default
 * `charts/`) inside the app folder, `kustomize edit` rewrites the kustomization. Neither may touch
 * the user's repository, so the binaries run in a copy of the app's inputs (appInputs) under
 * Home-Ops' cache folder, with the repository-relative layout (a `../../charts` reference still
 * resolves). The copy is kept by a hash of the inputs, so the next render of the same inputs
 * (other build options, a cache miss, the same files at another revision) reuses it, charts
 * already pulled included.
 *
 * Symlinks: one whose target is inside the repository is copied as what it points to (a link
 * in the copy could lead back into the repository, and a write through it would land there);
 * one that leaves the repository is refused, as Argo CD's repo-server refuses out-of-bounds
 * symlinks.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isInside } from './directory';
import { hashInputs, type AppInputs } from './inputs';

export class SymlinkEscapeError extends Error {
  constructor(
    /** Repository-relative path of the link. */
    readonly file: string,
    readonly target: string,
  ) {
    super(`${file} is a symbolic link to ${target}, outside the repository; Home-Ops (like Argo CD) does not follow it.`);
    this.name = 'SymlinkEscapeError';
  }
}

export interface WorkCopy {
  /** The copy's repository root: `path.join(root, rel)` in the copy is `rel` of the repository. */
  root: string;
  /** Whether this render reused a copy an earlier render made. */
  reused: boolean;
  /** Drops the copy (after a failed or cancelled run: a half-pulled chart must not be reused). */
  discard(): void;
}

/** How many kept copies survive a prune (most recently used first). */
const KEEP_COPIES = 24;
const READY = 'ready';
/** Copies in use by a render of this process, by folder: never pruned, and used one at a time. */
const busy = new Map<string, Promise<void>>();

/**
 * Runs `fn` in a copy of `inputs`. With `keep` (the inputs' hash, and whatever `prepare` does
 * to the copy) the copy is kept in `{cacheDir}/work/{key}` and reused; without it (inputs too
 * many to hash) it is a throw-away copy. `prepare` runs once, when the copy is made
 * (`kustomize edit`). A new copy is kept only if it hashes as the inputs did: a file saved
 * between the hash and the copy must not leave newer content under the older key.
 */
export async function withWorkCopy<T>(
  repoRoot: string,
  inputs: AppInputs,
  cacheDir: string,
  keep: { inputsHash: string; extra: unknown } | undefined,
  prepare: (copyRoot: string) => Promise<void>,
  fn: (copy: WorkCopy) => Promise<T>,
): Promise<T> {
  const tmpBase = path.join(cacheDir, 'tmp');
  fs.mkdirSync(tmpBase, { recursive: true });
  const throwAway = async (made?: string): Promise<T> => {
    const dir = made ?? fs.mkdtempSync(path.join(tmpBase, 'stage-'));
    try {
      const root = path.join(dir, 'tree');
      if (!made) {
        materialise(repoRoot, inputs, root);
        await prepare(root);
      }
      return await fn({ root, reused: false, discard: () => undefined });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  if (!keep) return throwAway();
  const key = workCopyKey(keep.inputsHash, keep.extra);
  const workBase = path.join(cacheDir, 'work');
  const dir = path.join(workBase, key);
  // One render at a time per copy in this process: two kustomize runs pulling the same chart
  // into the same chartHome would trip over each other.
  const previous = busy.get(dir);
  let release = (): void => undefined;
  const mine = new Promise<void>((r) => (release = r));
  const chained = (previous ?? Promise.resolve()).then(() => mine);
  busy.set(dir, chained);
  try {
    if (previous) await previous;
    let reused = fs.existsSync(path.join(dir, READY));
    if (!reused) {
      const staging = fs.mkdtempSync(path.join(tmpBase, 'work-'));
      try {
        materialise(repoRoot, inputs, path.join(staging, 'tree'));
        if (hashInputs(reroot(inputs, repoRoot, path.join(staging, 'tree')), path.join(staging, 'tree')) !== keep.inputsHash) {
          const moved = fs.mkdtempSync(path.join(tmpBase, 'stage-'));
          fs.renameSync(path.join(staging, 'tree'), path.join(moved, 'tree'));
          await prepare(path.join(moved, 'tree')).catch((e: unknown) => {
            fs.rmSync(moved, { recursive: true, force: true });
            throw e;
          });
          return await throwAway(moved);
        }
        await prepare(path.join(staging, 'tree'));
        fs.writeFileSync(path.join(staging, READY), '');
        fs.mkdirSync(workBase, { recursive: true });
        fs.rmSync(dir, { recursive: true, force: true }); // a copy left half-made
        try {
          fs.renameSync(staging, dir);
        } catch (e) {
          // Another process made the same copy first: use that one.
          if (!fs.existsSync(path.join(dir, READY))) throw e;
          reused = true;
        }
      } finally {
        fs.rmSync(staging, { recursive: true, force: true });
      }
    } else {
      const now = new Date();
      fs.utimesSync(path.join(dir, READY), now, now);
    }
    let discarded = false;
    const copy: WorkCopy = {
      root: path.join(dir, 'tree'),
      reused,
      discard: () => {
        discarded = true;
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
    try {
      return await fn(copy);
    } finally {
      if (!discarded) pruneWorkCopies(workBase, KEEP_COPIES);
    }
  } finally {
    release();
    if (busy.get(dir) === chained) busy.delete(dir);
  }
}

/** The same inputs at their places in the copy. */
function reroot(inputs: AppInputs, from: string, to: string): AppInputs {
  const map = (abs: string) => path.join(to, path.relative(from, abs));
  return { ...inputs, dirs: inputs.dirs.map(map), files: inputs.files.map(map), skip: inputs.skip.map(map) };
}

/** The key of a kept copy: what it holds (the inputs' hash) and what `prepare` did to it. */
export function workCopyKey(inputsHash: string, extra: unknown): string {
  return createHash('sha256').update('work-v1\0').update(inputsHash).update(JSON.stringify(extra)).digest('hex').slice(0, 32);
}

/** Keeps the `keep` most recently used copies (and any in use here); removes the rest. */
export function pruneWorkCopies(workBase: string, keep: number): void {
  let names: string[];
  try {
    names = fs.readdirSync(workBase);
  } catch {
    return;
  }
  if (names.length <= keep) return;
  const used = (n: string) => {
    try {
      return fs.statSync(path.join(workBase, n, READY)).mtimeMs;
    } catch {
      return 0;
    }
  };
  const byAge = names.map((n) => ({ n, t: used(n) })).sort((a, b) => b.t - a.t);
  for (const { n } of byAge.slice(keep)) {
    const dir = path.join(workBase, n);
    if (!busy.has(dir)) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Copies the inputs into `dest` at their repository-relative paths. `.git` and the folders
 * kustomize pulls charts into (`inputs.skip`: not part of the input hash) are left out; symlinks
 * are resolved as described above. Throws SymlinkEscapeError for a link out of the repository.
 */
export function materialise(repoRoot: string, inputs: AppInputs, dest: string): void {
  const root = path.resolve(repoRoot);
  const realRoot = fs.realpathSync(root);
  fs.mkdirSync(dest, { recursive: true });
  const rel = (abs: string) => path.relative(root, abs).split(path.sep).join('/');
  const copy = (abs: string, to: string, ancestors: ReadonlySet<string>): void => {
    if (path.basename(abs) === '.git' || inputs.skip.some((s) => isInside(abs, s))) return;
    let st: fs.Stats;
    try {
      st = fs.lstatSync(abs);
    } catch {
      return; // missing: the binary reports it, against the user's path
    }
    let from = abs;
    if (st.isSymbolicLink()) {
      let real: string;
      try {
        real = fs.realpathSync(abs);
      } catch {
        return; // dangling: as if missing
      }
      if (!isInside(real, realRoot)) throw new SymlinkEscapeError(rel(abs), fs.readlinkSync(abs));
      from = real;
      st = fs.statSync(real);
    }
    if (st.isDirectory()) {
      const real = fs.realpathSync(from);
      if (ancestors.has(real)) return; // a link to a folder above itself
      const inner = new Set(ancestors).add(real);
      fs.mkdirSync(to, { recursive: true });
      for (const name of fs.readdirSync(from).sort()) copy(path.join(abs, name), path.join(to, name), inner);
    } else if (st.isFile()) {
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
      fs.chmodSync(to, st.mode & 0o777);
    }
  };
  // The path leading to an input may itself go through a symlinked folder.
  const checkParents = (abs: string): void => {
    const parent = path.dirname(abs);
    if (!isInside(parent, root) || parent === root) return;
    try {
      const real = fs.realpathSync(parent);
      if (!isInside(real, realRoot)) throw new SymlinkEscapeError(rel(parent), real);
    } catch (e) {
      if (e instanceof SymlinkEscapeError) throw e;
    }
  };
  for (const abs of [...inputs.dirs, ...inputs.files]) {
    checkParents(abs);
    copy(abs, path.join(dest, path.relative(root, abs)), new Set());
  }
}
