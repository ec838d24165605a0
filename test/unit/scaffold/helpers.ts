/** Temporary copies of real repositories for the scaffold tests, and a tree listing to prove nothing changed. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SEED_CORPUS } from '../../support/repo';
import type { Problem } from '../../../src/core/problems';
import type { ScaffoldWriter } from '../../../src/core/scaffold';
import { requireShared } from '../../support/shared';

export const LEGACY_REPO = path.resolve(__dirname, '../../fixtures/legacy-repo');

export function copyRepo(src: string): { root: string; cleanup: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-scaffold-'));
  fs.cpSync(src, root, { recursive: true });
  return {
    root,
    cleanup: () => {
      // chmod'ed folders must be writable again to be removed
      for (const d of walk(root)) if (fs.statSync(d).isDirectory()) fs.chmodSync(d, 0o755);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

function walk(dir: string): string[] {
  const out = [dir];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) out.push(...walk(path.join(dir, e.name)));
  return out;
}

/** Every path (files with size and mtime): equal listings mean nothing was created, removed or written. */
export function listing(root: string): string[] {
  const out: string[] = [];
  const visit = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const st = fs.lstatSync(path.join(root, r));
      // A folder's mtime changes when an entry is created and removed again; its entries tell.
      out.push(e.isDirectory() ? `${r}/` : `${r} ${st.size} ${st.mtimeMs}`);
      if (e.isDirectory()) visit(r);
    }
  };
  visit('');
  return out.sort();
}

/** Scaffolding on a copy of the seed corpus (test/support/shared.ts: skip loudly, fail in CI). */
export function requireSeed(ctx: Mocha.Context): void {
  requireShared(ctx, 'Add App and Add Category on the seed corpus', SEED_CORPUS);
}

export function yamlOf(file: string): Record<string, unknown> {
  return parseYaml(fs.readFileSync(file, 'utf8'), { schema: 'failsafe' }) as Record<string, unknown>;
}

/** A writer over a real one whose checks or writes fail where a test says. */
export function failingWriter(base: ScaffoldWriter, o: { notWritable?: string; failOnCreate?: number }): ScaffoldWriter {
  let creates = 0;
  return {
    ...base,
    cannotWrite: (dir) => (o.notWritable !== undefined && (dir === o.notWritable || dir.startsWith(`${o.notWritable}/`)) ? `${dir} is not writable (EACCES): the new files cannot be created there.` : base.cannotWrite(dir)),
    createFile: (rel, content) => {
      creates++;
      if (o.failOnCreate !== undefined && creates === o.failOnCreate) throw new Error(`ENOSPC: no space left on device, open '${rel}'`);
      base.createFile(rel, content);
    },
  };
}

/**
 * Nothing new after Add App but the placeholders it leaves (`<image tag>`) in the new app's
 * files, each flagged as a warning exactly at its text.
 */
export function assertOnlyPlaceholders(root: string, appDir: string, newProblems: Problem[], options: { some?: boolean } = {}): void {
  assert.deepEqual(newProblems.filter((p) => p.rule !== 'placeholder-unfilled'), []);
  const expected: string[] = [];
  for (const name of fs.readdirSync(path.join(root, appDir)).sort()) {
    const text = fs.readFileSync(path.join(root, appDir, name), 'utf8');
    text.split('\n').forEach((l, line) => {
      for (const m of l.matchAll(/<[a-z][^<>]*>/g)) expected.push(`${appDir}/${name} warning ${line}:${m.index}:${m[0]}`);
    });
  }
  if (options.some) assert.ok(expected.length > 0, 'the new app holds placeholders');
  const textAt = (p: Problem) => fs.readFileSync(path.join(root, p.file), 'utf8').split('\n')[p.range.start.line]!.slice(p.range.start.character, p.range.end.character);
  assert.deepEqual(newProblems.map((p) => `${p.file} ${p.severity} ${p.range.start.line}:${p.range.start.character}:${textAt(p)}`).sort(), expected.sort());
}
