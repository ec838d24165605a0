/**
 * The repository on disk as the discover globs read it (glob/fileGlob.ts GlobFs), with
 * repository-relative `/`-separated paths ('' is the root). Like the render's private copy, a
 * link is followed only while its target stays inside the repository: one that leads out reads
 * as nothing there (Argo CD's repo-server refuses such links too).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GlobEntryType, GlobFs } from '../glob/fileGlob';
import { isInside } from './directory';

export function repoGlobFs(root: string): GlobFs {
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    realRoot = path.resolve(root);
  }
  const abs = (rel: string) => (rel === '' ? root : path.join(root, ...rel.split('/')));
  const typeOf = (s: fs.Stats | fs.Dirent): GlobEntryType => (s.isSymbolicLink() ? 'link' : s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other');
  /** The target of a path with links followed, when it stays inside the repository. */
  const followed = (rel: string): string | undefined => {
    try {
      const real = fs.realpathSync(abs(rel));
      return isInside(real, realRoot) ? real : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    lstat: (rel) => {
      try {
        return typeOf(fs.lstatSync(abs(rel)));
      } catch {
        return undefined;
      }
    },
    stat: (rel) => {
      const real = followed(rel);
      if (real === undefined) return undefined;
      try {
        return typeOf(fs.statSync(real)) as Exclude<GlobEntryType, 'link'>;
      } catch {
        return undefined;
      }
    },
    readDir: (rel) => {
      const real = followed(rel);
      if (real === undefined) return undefined;
      try {
        return fs.readdirSync(real, { withFileTypes: true }).map((d) => ({ name: d.name, type: typeOf(d) }));
      } catch {
        return undefined;
      }
    },
  };
}
