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
  {
    id: 'rendered-object-invalid',
    description:
      'A rendered object the API server refuses, so the sync fails: no apiVersion, kind or metadata.name, or a kind that a group/version Kubernetes itself serves does not have (`apps/v1` `Deploymnet`) and no CustomResourceDefinition can add. Found by rendering (`home-ops lint --render`, the preview).',
    defaultSeverity: 'error',
  },
  {
    id: 'rendered-object-unknown-api',
    description:
      'A rendered object whose apiVersion Kubernetes does not serve in the release Home-Ops knows (a removed version such as `autoscaling/v2beta2`) or whose group no CustomResourceDefinition can define (no dot): the sync fails unless the cluster serves it otherwise. Found by rendering (`home-ops lint --render`, the preview).',
    defaultSeverity: 'warning',
  },
  {
    id: 'rendered-object-schema',
    description:
      "A field of a rendered object of a built-in kind that the API server refuses, read as Argo CD sends it (YAML 1.1: an unquoted `yes` is a boolean): a value of the wrong type (`replicas: \"3\"`, an env `value: 8080`), a field its kind does not have (`spec.replicass`; a warning under the sync option Validate=false, which drops it), a required field missing, a quantity that does not parse (`512mb`); a custom resource against the schema of the CRD the render or repository holds. Schemas from the OpenAPI document of the Kubernetes release Home-Ops knows (`npm run generate:kinds`). Found by rendering (`home-ops lint --render`, at the field for a plain directory, else at the app's kustomization or Chart.yaml; the preview, at the field).",
    defaultSeverity: 'error',
  },
] as const satisfies readonly Rule[];
