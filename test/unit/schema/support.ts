/**
 * Shared by the schema tests: where the reference files outside the project are (missing ones
 * follow test/support/shared.ts: skip loudly on a laptop, fail in CI).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { corpusPath, SHARED } from '../../support/shared';

export const CRD_DIR = path.join(SHARED, 'argocd');
export const SEED = corpusPath('seed-home-ops');
export const EXAMPLES = path.resolve(__dirname, '../../../examples/homelab');


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
