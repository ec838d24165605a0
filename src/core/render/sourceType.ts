/**
 * Argo CD's source-type decision (argocd/source.ts) for a folder on disk, where the render
 * preview works on the files themselves rather than on the model's tree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sourceTypeOf, type AppSource, type SourceType } from '../argocd/source';
import { KUSTOMIZATION_FILE_NAMES } from '../yaml/classify';

export function kustomizationFile(absDir: string): string | undefined {
  for (const n of KUSTOMIZATION_FILE_NAMES) {
    const f = path.join(absDir, n);
    if (isFile(f)) return f;
  }
  return undefined;
}

/** Argo CD's decision for one source folder. */
export function detectSourceType(absDir: string, source: AppSource): SourceType {
  return sourceTypeOf(source.explicit, (name) => isFile(path.join(absDir, name)));
}

function isFile(f: string): boolean {
  try {
    return fs.statSync(f).isFile();
  } catch {
    return false;
  }
}
