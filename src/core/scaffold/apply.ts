/**
 * Writing a plan: every target checked before anything is written, files created with `wx`
 * (never overwriting), edits refused when the file changed since planning, and on any failure
 * everything done so far undone in reverse order, so nothing is left half-written.
 */
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import { writeLeavesRoot } from './containment';
import { parentOf } from '../workspace/treeView';
import type { Plan, ScaffoldWriter } from './types';

export interface ApplyResult {
  created: string[];
  folders: string[];
  edited: string[];
}

export class ApplyError extends Error {
  constructor(
    message: string,
    /** What could not be undone (normally empty). */
    readonly leftBehind: string[] = [],
  ) {
    super(message);
  }
}

export function applyPlan(plan: Plan, writer: ScaffoldWriter): ApplyResult {
  const problems: string[] = [];
  for (const f of plan.files) if (writer.exists(f.path)) problems.push(`${f.path} already exists; nothing was written.`);
  for (const e of plan.edits) {
    const now = writer.readFile(e.path);
    if (now === undefined) problems.push(`${e.path} no longer exists; nothing was written.`);
    else if (now !== e.original) problems.push(`${e.path} changed since the plan was made; nothing was written.`);
  }
  const folders = plan.folders.filter((d) => !writer.exists(d));
  // Checked again here, not only when planning: a link may have appeared since.
  for (const target of [...folders, ...plan.files.map((f) => f.path), ...plan.edits.map((e) => e.path)]) {
    const reason = writer.leavesRepository(target);
    if (reason && !problems.includes(reason)) problems.push(reason);
  }
  const checked = new Set<string>();
  for (const target of [...folders, ...plan.files.map((f) => f.path)]) {
    const parent = parentOf(target);
    if (checked.has(parent)) continue;
    checked.add(parent);
    const reason = writer.cannotWrite(parent);
    if (reason) problems.push(reason);
  }
  if (problems.length > 0) throw new ApplyError(problems.join('\n'));

  const done: Array<{ kind: 'dir' | 'file'; path: string } | { kind: 'edit'; path: string; original: string }> = [];
  try {
    for (const d of folders) {
      writer.mkdir(d);
      done.push({ kind: 'dir', path: d });
    }
    for (const f of plan.files) {
      writer.createFile(f.path, f.content);
      done.push({ kind: 'file', path: f.path });
    }
    for (const e of plan.edits) {
      writer.replaceFile(e.path, applyEdit(e.original, e.line, e.character, e.insert));
      done.push({ kind: 'edit', path: e.path, original: e.original });
    }
  } catch (err) {
    const leftBehind: string[] = [];
    for (const step of done.reverse()) {
      try {
        if (step.kind === 'edit') writer.replaceFile(step.path, step.original);
        else if (step.kind === 'file') writer.removeFile(step.path);
        else writer.removeDir(step.path);
      } catch {
        leftBehind.push(step.path);
      }
    }
    const tail = leftBehind.length > 0 ? ` Could not undo: ${leftBehind.join(', ')}.` : ' Nothing was left behind.';
    throw new ApplyError(`Writing failed: ${(err as Error).message}.${tail}`, leftBehind);
  }
  return {
    created: plan.files.map((f) => f.path),
    folders,
    edited: plan.edits.map((e) => e.path),
  };
}

/** The text with an edit applied (for writers and for showing a preview). */
export function applyEdit(text: string, line: number, character: number, insert: string): string {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < line && i < lines.length; i++) offset += (lines[i] as string).length + 1;
  offset = Math.min(offset + character, text.length);
  return text.slice(0, offset) + insert + text.slice(offset);
}

/**
 * The real file system under `root`; nothing is written through a symbolic link that leads out
 * of it (containment.ts). `cannotWrite` asks the OS (access W_OK) about the nearest
 * existing folder: that is what decides whether a write succeeds. Running as root, a folder
 * without write permission bits is still writable, and this says so (a read-only mount is not).
 */
export function nodeWriter(root: string): ScaffoldWriter {
  const abs = (rel: string) => (rel === '' ? root : nodePath.join(root, ...rel.split('/')));
  const exists = (rel: string) => {
    try {
      nodeFs.lstatSync(abs(rel));
      return true;
    } catch {
      return false;
    }
  };
  const leavesRepository = (rel: string) => writeLeavesRoot(root, rel);
  return {
    exists,
    leavesRepository,
    cannotWrite(relDir) {
      const outside = leavesRepository(relDir);
      if (outside) return outside;
      let dir = relDir;
      while (dir !== '' && !exists(dir)) dir = parentOf(dir);
      try {
        nodeFs.accessSync(abs(dir), nodeFs.constants.W_OK);
        return undefined;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? 'an error';
        return `${dir || '.'} is not writable (${code}): the new files cannot be created there.`;
      }
    },
    mkdir: (rel) => nodeFs.mkdirSync(abs(rel)),
    createFile: (rel, content) => nodeFs.writeFileSync(abs(rel), content, { flag: 'wx' }),
    readFile(rel) {
      try {
        return nodeFs.readFileSync(abs(rel), 'utf8');
      } catch {
        return undefined;
      }
    },
    replaceFile: (rel, content) => nodeFs.writeFileSync(abs(rel), content),
    removeFile: (rel) => nodeFs.unlinkSync(abs(rel)),
    removeDir: (rel) => nodeFs.rmdirSync(abs(rel)),
  };
}
