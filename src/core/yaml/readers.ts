/**
 * Who reads a YAML file, and so how it is read. The same text is read differently by each
 * consumer of a home-ops repository, and a diagnostic must say what *that* consumer does:
 *
 * | reader               | consumer                                   | dialect | documents | repeated key   |
 * |----------------------|--------------------------------------------|---------|-----------|----------------|
 * | argocd-manifest      | kubectl / Argo CD applying an Argo CD file | k8s     | all       | last one wins  |
 * | directory-manifest   | Argo CD reading a directory source         | k8s     | all       | last one wins  |
 * | chart-template       | helm rendering a template without actions  | k8s     | all       | last one wins  |
 * |                      | (its text is the output Argo CD applies)   |         |           |                |
 * | kustomization        | kustomize reading its kustomization        | k8s     | first     | last one wins  |
 * | kustomize-resource   | kustomize reading a file it lists (kyaml)  | kyaml   | all       | rejected       |
 * | generator-file       | the ApplicationSet git files generator     | k8s     | first     | last one wins  |
 * | helm-values          | helm reading a values file                 | k8s     | first     | last one wins  |
 * | chart-metadata       | helm reading Chart.yaml                    | k8s     | first     | last one wins  |
 * | argocd-embedded      | Argo CD reading YAML held in a string      | k8s     | first     | last one wins  |
 * |                      | (elementsYaml, a rendered templatePatch,   |         |           |                |
 * |                      | fromYaml in a template)                    |         |           |                |
 * | config               | a tool's own config (the argocd CLI's)     | k8s     | first     | last one wins  |
 * | as-written           | surveys of the repository's conventions    | strings | first     | last one wins  |
 * |                      | and Helm repository indexes: every scalar  |         |           |                |
 * |                      | as the text it is written as               |         |           |                |
 * | editor               | our own edits                              | 1.2     | all       | rejected       |
 *
 * sigs.k8s.io/yaml (kubectl, Argo CD, kustomize's kustomization, helm) reads YAML 1.1 as go-yaml
 * v2 does, only the first document when it unmarshals one object, and keeps the last of
 * repeated keys; kustomize reads the resources it lists with kyaml (go-yaml v3: YAML 1.2
 * booleans, go-yaml's numbers, timestamps as RFC 3339 text), which rejects a repeated key.
 * The `yaml` package is imported nowhere else (an eslint rule): every reading goes through a
 * reader named here, so the limits and the dialect are set once.
 */
import type { Problem, Range } from '../problems';
import type { YamlDialect } from './dialect';

export type YamlReader =
  | 'argocd-manifest'
  | 'directory-manifest'
  | 'chart-template'
  | 'kustomization'
  | 'kustomize-resource'
  | 'generator-file'
  | 'helm-values'
  | 'chart-metadata'
  | 'argocd-embedded'
  | 'config'
  | 'as-written'
  | 'editor';

export interface ReaderRules {
  readonly dialect: YamlDialect;
  /** `first`: the reader unmarshals one object, so later documents are never read (nor checked). */
  readonly documents: 'all' | 'first';
  /** What the reader does with a key repeated in one mapping. */
  readonly repeatedKeys: 'rejects' | 'last-wins';
  /** Who reads the file, for messages ("kustomize keeps the last `resources:`"). */
  readonly consumer: string;
}

export const READERS: Readonly<Record<YamlReader, ReaderRules>> = {
  'argocd-manifest': { dialect: 'k8s', documents: 'all', repeatedKeys: 'last-wins', consumer: 'Kubernetes' },
  'directory-manifest': { dialect: 'k8s', documents: 'all', repeatedKeys: 'last-wins', consumer: 'Argo CD' },
  'chart-template': { dialect: 'k8s', documents: 'all', repeatedKeys: 'last-wins', consumer: 'Argo CD' },
  kustomization: { dialect: 'k8s', documents: 'first', repeatedKeys: 'last-wins', consumer: 'kustomize' },
  'kustomize-resource': { dialect: 'kyaml', documents: 'all', repeatedKeys: 'rejects', consumer: 'kustomize' },
  'generator-file': { dialect: 'k8s', documents: 'first', repeatedKeys: 'last-wins', consumer: 'the ApplicationSet controller' },
  'helm-values': { dialect: 'k8s', documents: 'first', repeatedKeys: 'last-wins', consumer: 'helm' },
  'chart-metadata': { dialect: 'k8s', documents: 'first', repeatedKeys: 'last-wins', consumer: 'helm' },
  'argocd-embedded': { dialect: 'k8s', documents: 'first', repeatedKeys: 'last-wins', consumer: 'Argo CD' },
  config: { dialect: 'k8s', documents: 'first', repeatedKeys: 'last-wins', consumer: 'the tool' },
  'as-written': { dialect: 'failsafe', documents: 'first', repeatedKeys: 'last-wins', consumer: 'the survey' },
  editor: { dialect: 'yaml-1.2', documents: 'all', repeatedKeys: 'rejects', consumer: 'YAML' },
};

/**
 * What happens to a mapping that holds `key` twice, said for the consumer: kustomize keeps the
 * last `resources:` block of a kustomization without a word, so the first block's resources
 * are not built — and Argo CD prunes them from the cluster.
 */
export function repeatedKeyProblem(file: string, reader: YamlReader, key: string, second: Range, first: Range, path: ReadonlyArray<string | number>): Problem {
  const rules = READERS[reader];
  const where = `line ${first.start.line + 1}`;
  if (rules.repeatedKeys === 'rejects') {
    return { file, range: second, severity: 'error', rule: 'duplicate-key', message: `"${key}" appears twice in this mapping (first at ${where}); ${rules.consumer} rejects the file.` };
  }
  const listField = reader === 'kustomization' && path.length === 0 && KUSTOMIZATION_LISTS.has(key);
  const consequence = listField
    ? `kustomize keeps only this one, so what the first \`${key}:\` (${where}) lists is not built, and Argo CD prunes it from the cluster.`
    : `${capitalize(rules.consumer)} keeps only this one; the first (${where}) is ignored.`;
  return { file, range: second, severity: 'warning', rule: 'duplicate-key-last-wins', message: `"${key}" appears twice in this mapping. ${consequence}` };
}

/** Kustomization fields that list what is built: losing one block drops objects. */
const KUSTOMIZATION_LISTS = new Set(['resources', 'components', 'bases', 'patches', 'patchesStrategicMerge', 'patchesJson6902', 'helmCharts', 'configMapGenerator', 'secretGenerator', 'generators', 'transformers', 'crds']);

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
