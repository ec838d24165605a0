/**
 * Rules reported from rendered manifests (`home-ops lint --render`, the editor's preview): they
 * have no `run`, since the engine renders nothing; listing them gives them a description, a
 * default severity, a place in the severity settings and in-file suppressions like every rule.
 */
import type { Rule } from './types';

export const RENDER_RULES = [
  {
    id: 'helm-chart-namespace',
    description:
      "A kustomization sets `namespace:` while kustomize ≥ 5.8 (Argo CD ≥ 3.3) leaves objects of its helmCharts without it (their chart templates no namespace): they land in the Application's destination namespace. Found by rendering (`home-ops lint --render`, the preview).",
    defaultSeverity: 'warning',
  },
] as const satisfies readonly Rule[];
