/**
 * Small real repositories on disk for engine tests: a map of path → content written to a fresh
 * temporary folder. Symlinks are written as `{ symlink: target }`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { corpusPath } from './shared';

export type RepoFiles = Record<string, string | Buffer | { symlink: string }>;

export interface TempRepo {
  root: string;
  write(rel: string, content: string | Buffer): void;
  remove(rel: string): void;
  mkdir(rel: string): void;
  cleanup(): void;
}

export function makeRepo(files: RepoFiles): TempRepo {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-repo-'));
  const abs = (rel: string) => path.join(root, ...rel.split('/'));
  const write = (rel: string, content: string | Buffer | { symlink: string }) => {
    fs.mkdirSync(path.dirname(abs(rel)), { recursive: true });
    if (typeof content === 'object' && !Buffer.isBuffer(content)) fs.symlinkSync(content.symlink, abs(rel));
    else fs.writeFileSync(abs(rel), content);
  };
  for (const [rel, content] of Object.entries(files)) write(rel, content);
  return {
    root,
    write,
    remove: (rel) => fs.rmSync(abs(rel), { recursive: true, force: true }),
    mkdir: (rel) => fs.mkdirSync(abs(rel), { recursive: true }),
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** An ApplicationSet document with the given spec lines (YAML, indented under `spec:`). */
export function appset(name: string, spec: string, namespace = 'argocd'): string {
  return `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n${spec.replace(/^\n/, '').replace(/\s+$/, '')}\n`;
}

/** The seed corpus (../shared/corpus); suites that read it call requireShared from ./shared first. */
export const SEED_CORPUS = corpusPath('seed-home-ops');

export const EXAMPLE_REPO = path.resolve(__dirname, '../../examples/homelab');
