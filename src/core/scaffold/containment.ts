/**
 * Whether a scaffold write stays in the repository. A repository-relative path cannot name a
 * place outside by its text (names are validated), but any folder on the way may be a symbolic
 * link: `apps/banking -> /elsewhere` (or `apps -> /elsewhere`) would carry `apps/banking/evil/…`
 * out of the repository, and an edited file may itself be a link. So every component that exists
 * is resolved with realpath, down to the deepest existing one, and must resolve inside the real
 * root; what does not exist yet is created by the writer as a plain folder or file (`mkdir`,
 * `wx`), never as a link.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Plan } from './types';

/**
 * Why writing at `rel` (repository-relative, `/`-separated) would land outside `root`: the first
 * existing component that is a symbolic link resolving outside it, or pointing nowhere. Undefined
 * when the write stays inside.
 */
export function writeLeavesRoot(root: string, rel: string): string | undefined {
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
  } catch (e) {
    return `The repository folder ${root} cannot be resolved (${(e as NodeJS.ErrnoException).code ?? 'error'}); nothing is written.`;
  }
  const segs = rel.split('/').filter((s) => s !== '' && s !== '.');
  for (let i = 1; i <= segs.length; i++) {
    const relHere = segs.slice(0, i).join('/');
    const abs = path.join(root, ...segs.slice(0, i));
    let st: fs.Stats;
    try {
      st = fs.lstatSync(abs);
    } catch {
      return undefined; // from here on the writer creates plain folders and files
    }
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch {
      const target = st.isSymbolicLink() ? readLink(abs) : undefined;
      return `${relHere} is a symbolic link that points nowhere${target ? ` (${target})` : ''}: Home-Ops writes nothing through it.`;
    }
    if (!isInside(real, realRoot)) {
      const via = st.isSymbolicLink() ? 'is a symbolic link to' : 'resolves to';
      return `${relHere} ${via} ${real}, outside the repository: Home-Ops writes nothing there. Create the folder in the repository instead.`;
    }
  }
  return undefined;
}

/** Every reason a plan would write outside `root` (its folders, new files and edited files), each once. */
export function planLeavesRoot(root: string, plan: Plan): string[] {
  const reasons = new Set<string>();
  for (const rel of [...plan.folders, ...plan.files.map((f) => f.path), ...plan.edits.map((e) => e.path)]) {
    const reason = writeLeavesRoot(root, rel);
    if (reason) reasons.add(reason);
  }
  return [...reasons];
}

function isInside(child: string, parent: string): boolean {
  const r = path.relative(parent, child);
  return r === '' || (r !== '..' && !r.startsWith(`..${path.sep}`) && !path.isAbsolute(r));
}

function readLink(abs: string): string | undefined {
  try {
    return fs.readlinkSync(abs);
  } catch {
    return undefined;
  }
}
