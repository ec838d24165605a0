/**
 * A set of repository files (repository-relative, `/`-separated) as the discover globs read a
 * folder (fileGlob.ts GlobFs), for the engine, which reads no disk: a path is a file when the
 * set holds it and a folder when a file lies below it. Links are not known here and read as what
 * they lead to, as Git's listing gives them.
 */
import type { GlobEntryType, GlobFs } from './fileGlob';

export function treeGlobFs(files: Iterable<string>): GlobFs {
  const fileSet = new Set(files);
  const children = new Map<string, Map<string, GlobEntryType>>();
  const add = (dir: string, name: string, type: GlobEntryType) => {
    let entries = children.get(dir);
    if (!entries) children.set(dir, (entries = new Map()));
    if (!entries.has(name) || type === 'dir') entries.set(name, type);
  };
  for (const file of fileSet) {
    const parts = file.split('/');
    for (let i = 0; i < parts.length; i++) add(parts.slice(0, i).join('/'), parts[i] as string, i === parts.length - 1 ? 'file' : 'dir');
  }
  const typeOf = (p: string): Exclude<GlobEntryType, 'link'> | undefined => (p === '' || children.has(p) ? 'dir' : fileSet.has(p) ? 'file' : undefined);
  return {
    lstat: typeOf,
    stat: typeOf,
    readDir: (dir) => {
      const entries = children.get(dir);
      return entries ? [...entries].map(([name, type]) => ({ name, type })) : undefined;
    },
  };
}
