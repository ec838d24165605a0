/**
 * Shared by the schema tests: where the reference files outside the project are, and the rule
 * for when they are missing (skip loudly on a laptop, fail in CI).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

export const SHARED = path.resolve(__dirname, '../../../../shared');
export const CRD_DIR = path.join(SHARED, 'argocd');
export const SEED = path.join(SHARED, 'corpus/seed-home-ops');
export const EXAMPLES = path.resolve(__dirname, '../../../examples/homelab');

/** Skips the test (or fails it under CI=true) when `dir` is absent. */
export function requireDir(ctx: Mocha.Context, dir: string): void {
  if (fs.existsSync(dir)) return;
  if (process.env.CI === 'true') throw new Error(`${dir} is missing (CI=true: reference files are required)`);
  process.stdout.write(`\n  !!!!! SKIPPED: ${dir} not found; the check against it did not run !!!!!\n\n`);
  ctx.skip();
}

export function yamlFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name) || e.name === 'Kustomization') out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

export function loadDocuments(file: string): unknown[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
}
