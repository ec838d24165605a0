/**
 * Which files Argo CD's directory source reads (reposerver/repository/repository.go
 * `findManifests`): manifest file names, the source's `include`/`exclude` globs, and the marker
 * that skips a file. Pure: the model asks it about its tree, render/directory.ts about a disk.
 */
import { argoGlobMatch } from '../glob/argoGlob';
import type { DirectoryOptions } from './source';

/** The file names a directory source reads (repository.go `manifestFile`). */
export const MANIFEST_FILE = /^.*\.(yaml|yml|json|jsonnet)$/;
/** A file holding this text is skipped by a directory source. */
export const SKIP_MARKER = '+argocd:skip-file-rendering';

/**
 * A YAML file a directory source cannot decode is an error only when it looks like a manifest
 * (holds `apiVersion:`, `kind:` and `metadata:`); otherwise Argo CD ignores it as unrelated YAML.
 */
export function looksLikeManifest(text: string): boolean {
  return text.includes('apiVersion:') && text.includes('kind:') && text.includes('metadata:');
}

/** A file name Argo CD's directory source reads at all. */
export function isManifestName(name: string): boolean {
  return MANIFEST_FILE.test(name);
}

/** The source's `exclude`, then `include`, for a path relative to the app folder. */
export function directoryIncludes(relPath: string, options: DirectoryOptions): boolean {
  if (options.exclude && argoGlobMatch(options.exclude, relPath)) return false;
  return !options.include || argoGlobMatch(options.include, relPath);
}

/** Whether a file's bytes ask Argo CD to skip it (`+argocd:skip-file-rendering`). */
export function skipsRendering(content: string | Buffer): boolean {
  return content.includes(SKIP_MARKER);
}
