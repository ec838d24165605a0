/**
 * Cheap classification of a file's text before any YAML parsing. Most files in a home-ops
 * repository are Helm values or plain manifests that the engine does not need; a line-anchored
 * regular expression finds the few that matter in a fraction of a parse.
 */

export type FileRole = 'argocd' | 'clusterSecret' | 'kustomization' | 'helmTemplate' | 'other';

/** The file names kustomize (and Argo CD) accept for a kustomization, in kustomize's order. */
export const KUSTOMIZATION_FILE_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const KUSTOMIZATION_NAMES = new Set(KUSTOMIZATION_FILE_NAMES);
/** Their lengths: most names are ruled out by theirs before the set hashes them (every file of a tree is asked). */
const KUSTOMIZATION_NAME_LENGTHS = new Set(KUSTOMIZATION_FILE_NAMES.map((n) => n.length));
const ARGOCD_KIND = /^\s*kind:\s*["']?(ApplicationSet|Application|AppProject)["']?\s*(#.*)?$/m;
const ARGOCD_API = /^\s*apiVersion:\s*["']?argoproj\.io\//m;
const CLUSTER_SECRET = /argocd\.argoproj\.io\/secret-type["']?\s*:\s*["']?cluster\b/;

export function isKustomizationName(baseName: string): boolean {
  return KUSTOMIZATION_NAME_LENGTHS.has(baseName.length) && KUSTOMIZATION_NAMES.has(baseName);
}

/** The kustomization file of a repository-relative folder, among the files that exist; undefined if none. */
export function kustomizationIn(files: ReadonlySet<string>, dir: string): string | undefined {
  for (const n of KUSTOMIZATION_FILE_NAMES) {
    const f = dir === '' ? n : `${dir}/${n}`;
    if (files.has(f)) return f;
  }
  return undefined;
}

/**
 * The Helm chart folder whose `templates/` holds `file` (repository-relative), given the files
 * that exist; undefined when the file is not a chart template. Such a file is a Go template,
 * not YAML, until helm renders the chart.
 */
export function chartOfTemplate(files: ReadonlySet<string>, file: string): string | undefined {
  const parts = file.split('/');
  for (let i = parts.length - 2; i >= 0; i--) {
    if (parts[i] !== 'templates') continue;
    const chart = parts.slice(0, i).join('/');
    if (files.has(chart === '' ? 'Chart.yaml' : `${chart}/Chart.yaml`)) return chart;
  }
  return undefined;
}

/** The 0-based line of the first `apiVersion: argoproj.io/…` line in a text (where its manifest starts), or 0. */
export function argoManifestLine(text: string): number {
  const m = ARGOCD_API.exec(text);
  if (!m) return 0;
  // `\s*` in the pattern may span blank lines before the line: count to `apiVersion` itself.
  const at = m.index + m[0].indexOf('apiVersion');
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

export function isYamlName(baseName: string): boolean {
  return baseName.endsWith('.yaml') || baseName.endsWith('.yml') || baseName === 'Kustomization';
}

export function classifyText(baseName: string, text: string): FileRole {
  if (isKustomizationName(baseName)) return 'kustomization';
  // A plain substring search rules out most files before any regular expression runs (the model
  // makes the same search on a file's bytes before decoding it).
  if (text.includes('argoproj.io') && ARGOCD_KIND.test(text) && ARGOCD_API.test(text)) return 'argocd';
  if (text.includes('secret-type') && CLUSTER_SECRET.test(text) && /^\s*kind:\s*["']?Secret/m.test(text)) return 'clusterSecret';
  return 'other';
}
