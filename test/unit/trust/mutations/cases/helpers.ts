/** Shorthands for writing cases: the consumers and the facts that justify `none`. */
import type { Consumer, OutputCheck } from '../types';

export const kustomizeRefuses = (dir: string, message: string): Consumer => ({ tool: 'kustomize', dir, verdict: 'refuses', message });
export const kustomizeAccepts = (dir: string, output?: OutputCheck): Consumer => ({ tool: 'kustomize', dir, verdict: 'accepts', ...(output ? { output } : {}) });
export const helmRefuses = (values: string, message: string): Consumer => ({ tool: 'helm', values, verdict: 'refuses', message });
export const helmAccepts = (values: string, output?: OutputCheck): Consumer => ({ tool: 'helm', values, verdict: 'accepts', ...(output ? { output } : {}) });
export const manifestsRefused = (file: string, message: string): Consumer => ({ tool: 'argocd-manifests', file, verdict: 'refuses', message });
export const manifestsAccepted = (file: string, output?: OutputCheck): Consumer => ({ tool: 'argocd-manifests', file, verdict: 'accepts', ...(output ? { output } : {}) });
export const generatorFileRefused = (file: string, message: string): Consumer => ({ tool: 'argocd-generator-file', file, verdict: 'refuses', message });
export const generatorFileAccepted = (file: string, output?: OutputCheck): Consumer => ({ tool: 'argocd-generator-file', file, verdict: 'accepts', ...(output ? { output } : {}) });
export const controller = (why: string): Consumer => ({ tool: 'none', why });

/** Reasons from ../shared/reference/argocd-facts.md, for cases no consumer can check offline. */
export const FACTS = {
  missingKey:
    'argocd-facts §1.7: with goTemplateOptions ["missingkey=error"], a map key the parameters do not have stops the template ("map has no entry for key"); the ApplicationSet controller sets ErrorOccurred and generates no Application.',
  legacyTag: 'argocd-facts §1.7 (legacy fasttemplate): a tag that is not a parameter is left in place as `{{tag}}`, so the Application gets that literal text.',
  pathMatch: 'argocd-facts §1.3/§1.4: git generator paths are matched against the repository (path.Match / git pathspecs); a pattern that matches nothing produces no Application, silently.',
  excludeWins: 'argocd-facts §1.3: an `exclude: true` item only removes what it matches; one that matches no candidate excludes nothing, so the folder meant to be excluded is still deployed.',
  duplicateName: 'argocd-facts §1.6 step 7: duplicate names within one ApplicationSet → error "ApplicationSet <n> contains applications with duplicate name", and the controller applies none of them.',
  appName: 'argocd-facts §1.6 step 7 and Kubernetes object names: an Application name must be a DNS-1123 subdomain (lower case, ≤ 253); the API server rejects anything else, so that Application is never created.',
  crdSchema: 'argocd-facts §0 (CRD facts): the API server validates Argo CD resources against the CRD schema; a value of the wrong type is refused when the manifest is applied.',
  project: 'argocd-facts §1.6 step 7: "project must exist" — an Application in a project no AppProject defines is refused by the controller ("application references project … which does not exist").',
  appPath: 'Argo CD repo-server: an Application whose source.path is not in the repository fails with ComparisonError "app path does not exist"; nothing is deployed.',
  clusters:
    'argocd-facts §1.6 (clusters generator, offline): the controller lists the cluster Secrets that match `selector` (the local cluster only when the selector is empty); when none matches, the ApplicationSet generates no Application, silently.',
  ignoredYaml:
    "Argo CD repo-server findManifests (directory source): a YAML file that does not decode into objects (a values file: \"Object 'Kind' is missing\") is an error only when its text holds `apiVersion:`, `kind:` and `metadata:`; otherwise it is skipped as unrelated YAML, so a folder of only such files renders nothing and the Application syncs nothing.",
  helmWithoutChart: 'Argo CD repo-server: a source with a `helm:` block is rendered with `helm template` whatever the folder holds; in a folder without Chart.yaml helm fails ("Error: Chart.yaml file is missing", checked with helm v3.22) and the Application gets a ComparisonError.',
  emptyApp: 'Argo CD repo-server (directory source): a folder without a kustomization or chart is applied as plain YAML; with no manifest in it the Application is empty (and with automated prune, everything it had is deleted).',
} as const;
