/**
 * Reference data and tools outside the project (../shared: the real repositories, the Argo CD
 * CRDs). One policy for every suite that needs them: in CI (where they must be present) a
 * missing one fails the suite; locally the suite is skipped with one line that says what is
 * missing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SHARED = path.resolve(__dirname, '../../../shared');
export const CORPUS_ROOT = path.join(SHARED, 'corpus');

/** The seven real repositories the project is tested against (../shared/corpus). */
export const CORPORA = ['seed-home-ops', 'acelinkio__argocd-homelab', 'cterence__homelab-gitops', 'devxp-tech__gitops', 'edgard__home-ops', 'kyleseneker__homelab', 'mineblow__home-ops'] as const;
export type CorpusName = (typeof CORPORA)[number];

export function corpusPath(name: CorpusName): string {
  return path.join(CORPUS_ROOT, name);
}

/**
 * For a suite's `before` hook: true when every path exists; otherwise fails in CI, or prints one
 * line and skips the suite locally.
 */
export function requireShared(ctx: Mocha.Context, what: string, ...paths: string[]): boolean {
  const missing = paths.filter((p) => !fs.existsSync(p));
  if (missing.length === 0) return true;
  const message = `${what}: not found at ${missing.join(', ')}`;
  if (process.env['CI']) throw new Error(`${message} (CI must have ../shared beside the project)`);
  console.log(`      (skipped: ${message})`);
  ctx.skip();
  return false;
}
