/**
 * The paths a kustomization names, as kustomize reads them: every entry that names a file or a
 * folder of the repository (remote ones, which kustomize fetches, left out: remote.ts), and how a
 * relative path is joined to the kustomization's folder. The model uses them to say who reads
 * which file; the kustomization-paths rule checks them; hover shows them.
 */
import * as nodePath from 'node:path';
import { asArray, asRecord, asString } from '../generators/spec';
import type { YamlPath } from '../yaml/parse';
import { isRemoteFile, isRemoteRoot } from './remote';

export type Expect = 'file' | 'dir' | 'file-or-dir';

export interface KustomizationReference {
  value: string;
  path: YamlPath;
  expect: Expect;
  /** kustomize refuses the entry before looking for a file (a generator source without a path). */
  invalid?: string;
}

/** Inline patches and plugin configs are YAML text, not paths. */
function isInline(s: string): boolean {
  return s.includes('\n') || /:\s/.test(s);
}

/**
 * A configMapGenerator/secretGenerator `files` entry, as kustomize's ParseFileSource reads it:
 * `path` (the key is its base name) or `key=path`; `k=`, `=path` and a second `=` are refused.
 */
function fileSource(source: string): { path: string } | { invalid: string } {
  const separators = source.split('=').length - 1;
  if (separators === 0) return { path: source };
  if (separators === 1 && source.startsWith('=')) return { invalid: `kustomize refuses "${source}": missing key name for file path "${source.slice(1)}".` };
  if (separators === 1 && source.endsWith('=')) return { invalid: `kustomize refuses "${source}": missing file path for key name "${source.slice(0, -1)}".` };
  if (separators > 1) return { invalid: `kustomize refuses "${source}": the key name or file path contains "=".` };
  return { path: source.slice(source.indexOf('=') + 1) };
}

export function kustomizationReferences(value: unknown): KustomizationReference[] {
  const k = asRecord(value) ?? {};
  const refs: KustomizationReference[] = [];
  // Entries that may name a kustomization root can be Git repositories; files can only be URLs.
  const list = (field: string, expect: Expect, inlineAllowed = false) =>
    asArray(k[field]).forEach((v, i) => {
      const remote = expect === 'file' ? isRemoteFile : isRemoteRoot;
      if (typeof v === 'string' && v !== '' && !remote(v) && !(inlineAllowed && isInline(v))) refs.push({ value: v, path: [field, i], expect });
    });
  const file = (v: unknown, path: YamlPath) => {
    if (typeof v === 'string' && v !== '' && !isRemoteFile(v)) refs.push({ value: v, path, expect: 'file' });
  };
  list('resources', 'file-or-dir');
  // kustomize v5 moves `bases` into `resources`: a file is accepted there too.
  list('bases', 'file-or-dir');
  list('components', 'dir');
  list('crds', 'file');
  list('configurations', 'file');
  list('patchesStrategicMerge', 'file', true);
  for (const field of ['transformers', 'generators', 'validators']) list(field, 'file-or-dir', true);
  for (const field of ['patches', 'patchesJson6902', 'replacements']) {
    asArray(k[field]).forEach((p, i) => file(asString(asRecord(p)?.['path']), [field, i, 'path']));
  }
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    asArray(k[field]).forEach((g, i) => {
      const gen = asRecord(g) ?? {};
      asArray(gen['files']).forEach((f, j) => {
        if (typeof f !== 'string') return;
        const source = fileSource(f);
        if ('invalid' in source) refs.push({ value: f, path: [field, i, 'files', j], expect: 'file', invalid: source.invalid });
        else file(source.path, [field, i, 'files', j]);
      });
      asArray(gen['envs']).forEach((f, j) => file(f, [field, i, 'envs', j]));
      file(asString(gen['env']), [field, i, 'env']);
    });
  }
  asArray(k['helmCharts']).forEach((c, i) => {
    const chart = asRecord(c) ?? {};
    file(asString(chart['valuesFile']), ['helmCharts', i, 'valuesFile']);
    asArray(chart['additionalValuesFiles']).forEach((f, j) => file(f, ['helmCharts', i, 'additionalValuesFiles', j]));
  });
  // chartHome is only read when a chart has no repo to pull from; otherwise kustomize creates it.
  const chartHome = asString(asRecord(k['helmGlobals'])?.['chartHome']);
  const localCharts = asArray(k['helmCharts']).filter((c) => asString(asRecord(c)?.['repo']) === undefined);
  if (chartHome && localCharts.length > 0) refs.push({ value: chartHome, path: ['helmGlobals', 'chartHome'], expect: 'dir' });
  return refs;
}

/** A path written as plain names (no `.`/`..` segments, no doubled or edge slashes). */
const PLAIN_RELATIVE = /^(?!\/)(?!.*\/\/)(?!.*\/$)(?!(?:.*\/)?\.\.?(?:\/|$))/;

/** `dir` joined with a kustomization's relative `value` and cleaned, as Go's filepath.Join does. */
export function joinRelative(dir: string, value: string): string {
  if (value !== '' && PLAIN_RELATIVE.test(value)) return dir === '' ? value : `${dir}/${value}`;
  const joined = nodePath.posix.normalize(nodePath.posix.join(dir, value)).replace(/\/+$/, '');
  return joined === '.' || joined === '' ? '' : joined;
}
