/**
 * Cheap classification of a file's text before any YAML parsing. Most files in a home-ops
 * repository are Helm values or plain manifests that the engine does not need; a line-anchored
 * regular expression finds the few that matter in a fraction of a parse.
 */

export type FileRole = 'argocd' | 'clusterSecret' | 'kustomization' | 'other';

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
const ARGOCD_KIND = /^\s*kind:\s*["']?(ApplicationSet|Application|AppProject)["']?\s*(#.*)?$/m;
const ARGOCD_API = /^\s*apiVersion:\s*["']?argoproj\.io\//m;
const CLUSTER_SECRET = /argocd\.argoproj\.io\/secret-type["']?\s*:\s*["']?cluster\b/;

export function isKustomizationName(baseName: string): boolean {
  return KUSTOMIZATION_NAMES.has(baseName);
}

export function isYamlName(baseName: string): boolean {
  return baseName.endsWith('.yaml') || baseName.endsWith('.yml') || baseName === 'Kustomization';
}

export function classifyText(baseName: string, text: string): FileRole {
  if (isKustomizationName(baseName)) return 'kustomization';
  if (ARGOCD_KIND.test(text) && ARGOCD_API.test(text)) return 'argocd';
  if (CLUSTER_SECRET.test(text) && /^\s*kind:\s*["']?Secret/m.test(text)) return 'clusterSecret';
  return 'other';
}
