/**
 * devxp-tech__gitops (argocd-autopilot layout): `projects/*.yaml` — an AppProject and an
 * ApplicationSet per file, applied as plain YAML by the root Application — with legacy
 * `{{ appName }}` templates over git files generators on `apps/**\/<env>/config.json`; apps are
 * kustomize overlays over a base that inflates a chart with `valuesInline`. Argo CD builds with
 * `--enable-helm --load-restrictor LoadRestrictionsNone`.
 */
import type { MutationCase } from '../types';
import { FACTS, controller, generatorFileAccepted, generatorFileRefused, kustomizeAccepts, kustomizeRefuses, manifestsAccepted, manifestsRefused } from './helpers';

const corpus = 'devxp-tech__gitops' as const;
const grafanaOps = 'apps/grafana/overlays/ops';
const lokiOps = 'apps/loki/overlays/ops';

export const DEVXP_CASES: MutationCase[] = [
  // ---------------------------------------------------------------- config.json (git files generator)
  {
    id: 'devxp/loki-config-json-missing-comma',
    corpus,
    class: 'generator-file-syntax',
    description: 'config.json of loki/overlays/ops: the comma after "destNamespace" forgotten when the value was changed',
    edits: [{ replace: `${lokiOps}/config.json`, find: '  "destNamespace": "logging",\n', with: '  "destNamespace": "observability"\n' }],
    expect: [{ file: `${lokiOps}/config.json`, line: 4, rule: 'yaml-syntax', severity: 'error', text: '"destNamespace": "observability"' }],
    consumer: generatorFileRefused(`${lokiOps}/config.json`, "did not find expected ',' or '}'"),
  },
  {
    id: 'devxp/grafana-config-json-unclosed-brace',
    corpus,
    class: 'generator-file-syntax',
    description: 'config.json of grafana/overlays/ops: the closing brace lost while pasting labels',
    edits: [{ replace: `${grafanaOps}/config.json`, find: '  "labels": null\n}\n', with: '  "labels": {\n    "team": "sre"\n  }\n' }],
    expect: [{ file: `${grafanaOps}/config.json`, line: 1, rule: 'yaml-syntax', severity: 'error', text: '{' }],
    consumer: generatorFileRefused(`${grafanaOps}/config.json`, "did not find expected ',' or '}'"),
  },
  {
    id: 'devxp/in-cluster-json-unclosed-quote',
    corpus,
    class: 'generator-file-syntax',
    description: 'bootstrap/cluster-resources/in-cluster.json (cluster-resources generator): a value `"https://kubernetes.default.svc` left without its closing quote',
    edits: [{ replace: 'bootstrap/cluster-resources/in-cluster.json', find: '  "server": "https://kubernetes.default.svc"\n}', with: '  "server": "https://kubernetes.default.svc\n}' }],
    expect: [{ file: 'bootstrap/cluster-resources/in-cluster.json', line: 3, rule: 'yaml-syntax', severity: 'error', text: '"server": "https://kubernetes.default.svc' }],
    consumer: generatorFileRefused('bootstrap/cluster-resources/in-cluster.json', 'found unexpected end of stream'),
  },
  {
    id: 'devxp/istio-config-json-srcpath-twice',
    corpus,
    class: 'generator-file-duplicate-key',
    description: 'config.json of istio/overlays/ops: a new "srcPath" line added above the old one instead of replacing it; the controller keeps the last (the old path)',
    edits: [{ replace: 'apps/istio/overlays/ops/config.json', find: '  "srcPath": "apps/istio/overlays/ops",\n', with: '  "srcPath": "apps/istio/overlays/ops-v2",\n  "srcPath": "apps/istio/overlays/ops",\n' }],
    expect: [{ file: 'apps/istio/overlays/ops/config.json', line: 7, rule: 'duplicate-key-last-wins', severity: 'warning', text: '"srcPath": "apps/istio/overlays/ops",' }],
    consumer: generatorFileAccepted('apps/istio/overlays/ops/config.json', { has: ['"srcPath":"apps/istio/overlays/ops"'], lacks: ['ops-v2'] }),
  },
  // ---------------------------------------------------------------- kustomizations
  {
    id: 'devxp/grafana-base-values-inline-folded-dedented',
    corpus,
    class: 'kustomization-syntax',
    description: 'kustomization.yaml of grafana/base: the second line of the folded `role_attribute_path` dedented to its key while editing the valuesInline',
    edits: [{ replace: 'apps/grafana/base/kustomization.yaml', find: "                contains(groups[*], '@devxp-tech/dev-team')", with: "          contains(groups[*], '@devxp-tech/dev-team')" }],
    expect: [{ file: 'apps/grafana/base/kustomization.yaml', line: 52, rule: 'yaml-syntax', severity: 'error', text: "contains(groups[*], '@devxp-tech/dev-team')" }],
    consumer: kustomizeRefuses(grafanaOps, 'invalid Kustomization'),
  },
  {
    id: 'devxp/kiali-overlay-kustomization-tab',
    corpus,
    class: 'kustomization-syntax',
    description: 'kustomization.yaml of kiali-operator/overlays/ops: the re-enabled `- cluster-role-binding.yaml` indented with a tab',
    edits: [{ replace: 'apps/kiali-operator/overlays/ops/kustomization.yaml', find: '  # - cluster-role-binding.yaml\n', with: '\t- cluster-role-binding.yaml\n' }, { create: 'apps/kiali-operator/overlays/ops/cluster-role-binding.yaml', text: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: kiali-viewer\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n  - kind: ServiceAccount\n    name: kiali\n    namespace: istio-system\n' }],
    expect: [{ file: 'apps/kiali-operator/overlays/ops/kustomization.yaml', line: 5, rule: 'yaml-syntax', severity: 'error', text: '- cluster-role-binding.yaml' }],
    consumer: kustomizeRefuses('apps/kiali-operator/overlays/ops', 'invalid Kustomization'),
  },
  {
    id: 'devxp/sealed-secrets-overlay-resources-string',
    corpus,
    class: 'kustomization-syntax',
    description: 'kustomization.yaml of sealed-secrets/overlays/ops (no schema modeline): `resources: ../../base` written as a string, not a list',
    edits: [{ replace: 'apps/sealed-secrets/overlays/ops/kustomization.yaml', find: 'resources:\n  - ../../base\n', with: 'resources: ../../base\n' }],
    expect: [{ file: 'apps/sealed-secrets/overlays/ops/kustomization.yaml', line: 3, rule: 'schema', severity: 'error', text: 'resources: ../../base' }],
    consumer: kustomizeRefuses('apps/sealed-secrets/overlays/ops', 'cannot unmarshal string into Go struct field Kustomization.resources'),
  },
  {
    id: 'devxp/istio-base-values-inline-key-twice',
    corpus,
    class: 'kustomization-duplicate-key',
    description: 'kustomization.yaml of istio/base: `global:` added again at the end of the istiod valuesInline; kustomize keeps the last, so imagePullPolicy, resources and tracer are lost',
    edits: [{ replace: 'apps/istio/base/kustomization.yaml', find: '            - "10.100.0.1"\n', with: '            - "10.100.0.1"\n      global:\n        logAsJson: true\n' }],
    expect: [{ file: 'apps/istio/base/kustomization.yaml', line: 92, rule: 'duplicate-key-last-wins', severity: 'warning', text: 'global:' }],
    consumer: kustomizeAccepts('apps/istio/overlays/ops'),
  },
  {
    id: 'devxp/sealed-secrets-base-helmcharts-twice',
    corpus,
    class: 'kustomization-duplicate-key',
    description: 'kustomization.yaml of sealed-secrets/base: a second `helmCharts:` block for a metrics chart appended; kustomize keeps only it, and the sealed-secrets controller is pruned',
    edits: [{ append: 'apps/sealed-secrets/base/kustomization.yaml', text: 'helmCharts:\n  - name: sealed-secrets-metrics\n    releaseName: sealed-secrets-metrics\n    version: 0.1.0\n    repo: https://bitnami-labs.github.io/sealed-secrets\n' }],
    expect: [{ file: 'apps/sealed-secrets/base/kustomization.yaml', line: 12, rule: 'duplicate-key-last-wins', severity: 'warning', text: 'helmCharts:' }],
    consumer: kustomizeAccepts('apps/sealed-secrets/overlays/ops'),
  },
  {
    id: 'devxp/grafana-virtual-service-route-misindented',
    corpus,
    class: 'resource-syntax',
    description: 'virtual-service.yaml of grafana/overlays/ops: `route:` indented like the `- match:` dash instead of its content',
    edits: [{ replace: `${grafanaOps}/virtual-service.yaml`, find: '      route:\n', with: '     route:\n' }],
    expect: [{ file: `${grafanaOps}/virtual-service.yaml`, line: 18, rule: 'yaml-syntax', severity: 'error', text: 'route:' }],
    consumer: kustomizeRefuses(grafanaOps, 'virtual-service.yaml'),
  },
  {
    id: 'devxp/istio-telemetry-providers-twice',
    corpus,
    class: 'resource-duplicate-key',
    description: 'telemetry.yaml of istio/base: a second `providers:` key added in the same accessLogging item',
    edits: [{ append: 'apps/istio/base/telemetry.yaml', text: '      providers:\n        - name: otel\n' }],
    expect: [{ file: 'apps/istio/base/telemetry.yaml', line: 10, rule: 'duplicate-key', severity: 'error', text: 'providers:' }],
    consumer: kustomizeRefuses('apps/istio/overlays/ops', 'mapping key "providers" already defined'),
  },
  {
    id: 'devxp/grafana-overlay-base-one-level-short',
    corpus,
    class: 'kustomization-reference',
    description: 'kustomization.yaml of grafana/overlays/ops: the base listed as `../base` (one level short)',
    edits: [{ replace: `${grafanaOps}/kustomization.yaml`, find: '  - ../../base\n', with: '  - ../base\n' }],
    expect: [{ file: `${grafanaOps}/kustomization.yaml`, line: 4, rule: 'kustomize-missing-path', severity: 'error', text: '../base' }],
    consumer: kustomizeRefuses(grafanaOps, 'overlays/base'),
  },
  {
    id: 'devxp/grafana-overlay-component-as-resource',
    corpus,
    class: 'component-in-resources',
    description: 'kustomization.yaml of grafana/overlays/ops: a shared istio-sidecar Component listed under `resources`',
    edits: [
      { create: 'components/istio-sidecar/kustomization.yaml', text: 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n  sidecar.istio.io/inject: "true"\n' },
      { replace: `${grafanaOps}/kustomization.yaml`, find: '  - virtual-service.yaml\n', with: '  - virtual-service.yaml\n  - ../../../../components/istio-sidecar\n' },
    ],
    expect: [{ file: `${grafanaOps}/kustomization.yaml`, line: 7, rule: 'kustomize-component-mismatch', severity: 'error', text: 'components/istio-sidecar' }],
    consumer: kustomizeRefuses(grafanaOps, "expected kind != 'Component'"),
  },
  // ---------------------------------------------------------------- projects/ and bootstrap/ plain YAML
  {
    id: 'devxp/projects-ops-appset-generator-tab',
    corpus,
    class: 'argocd-manifest-syntax',
    description: 'projects/ops.yaml (applied by the root Application): the files path of the ApplicationSet indented with a tab',
    edits: [{ replace: 'projects/ops.yaml', find: '          - path: apps/**/ops/config.json\n', with: '\t\t\t\t\t- path: apps/**/ops/config.json\n' }],
    expect: [{ file: 'projects/ops.yaml', line: 39, rule: 'yaml-syntax', severity: 'error', text: '- path: apps/**/ops/config.json' }],
    consumer: manifestsRefused('projects/ops.yaml', 'found'),
  },
  {
    id: 'devxp/projects-dev-requeue-twice',
    corpus,
    class: 'plain-manifest-duplicate-key',
    description: 'projects/dev.yaml: `requeueAfterSeconds: 180` added above the existing `requeueAfterSeconds: 20` of the first generator; Argo CD (sigs.k8s.io/yaml) keeps the last',
    edits: [{ replace: 'projects/dev.yaml', find: '        requeueAfterSeconds: 20\n', with: '        requeueAfterSeconds: 180\n        requeueAfterSeconds: 20\n', nth: 0 }],
    expect: [{ file: 'projects/dev.yaml', line: 42, rule: 'duplicate-key-last-wins', severity: 'warning', text: 'requeueAfterSeconds: 20' }],
    consumer: manifestsAccepted('projects/dev.yaml', { has: ['"requeueAfterSeconds":20'], lacks: ['"requeueAfterSeconds":180'] }),
  },
  {
    id: 'devxp/in-cluster-storageclass-parameters-misindented',
    corpus,
    class: 'plain-manifest-syntax',
    description: 'bootstrap/cluster-resources/in-cluster/sc-gp3.yaml (a directory source): `encrypted: "true"` added one space deeper than `type`',
    edits: [{ replace: 'bootstrap/cluster-resources/in-cluster/sc-gp3.yaml', find: '  type: gp3', with: '  type: gp3\n   encrypted: "true"' }],
    expect: [{ file: 'bootstrap/cluster-resources/in-cluster/sc-gp3.yaml', line: 12, rule: 'yaml-syntax', severity: 'error', text: 'encrypted: "true"' }],
    consumer: manifestsRefused('bootstrap/cluster-resources/in-cluster/sc-gp3.yaml', 'mapping values are not allowed in this context'),
  },
  // ---------------------------------------------------------------- ApplicationSets
  {
    id: 'devxp/projects-ops-files-path-typo',
    corpus,
    class: 'appset-generator',
    description: 'projects/ops.yaml: the files generator path `apps/**/ops/config.jsn`',
    edits: [{ replace: 'projects/ops.yaml', find: '          - path: apps/**/ops/config.json\n', with: '          - path: apps/**/ops/config.jsn\n' }],
    expect: [{ file: 'projects/ops.yaml', line: 39, rule: 'generator-path-no-match', severity: 'warning', text: 'config.jsn' }],
    consumer: controller(FACTS.pathMatch),
  },
  {
    id: 'devxp/projects-ops-legacy-parameter-typo',
    corpus,
    class: 'appset-template',
    description: 'projects/ops.yaml: the name template `{{ userGivenname }}-ops` (legacy templates leave an unknown tag as text)',
    edits: [{ replace: 'projects/ops.yaml', find: '      name: "{{ userGivenName }}-ops"\n', with: '      name: "{{ userGivenname }}-ops"\n' }],
    expect: [{ file: 'projects/ops.yaml', line: 102, rule: 'unknown-parameter', severity: 'warning', text: '{{ userGivenname }}' }],
    consumer: controller(FACTS.legacyTag),
  },
  {
    id: 'devxp/tempo-config-namespace-capitalised',
    corpus,
    class: 'appset-template',
    description: 'config.json of tempo/overlays/ops: "destNamespace": "Observability" (capital O)',
    edits: [{ replace: 'apps/tempo/overlays/ops/config.json', find: '"destNamespace": "', with: '"destNamespace": "X' }],
    expect: [{ file: 'projects/ops.yaml', line: 106, rule: 'invalid-app-name', severity: 'error', text: 'namespace: "{{ destNamespace }}"' }],
    consumer: controller(FACTS.appName),
  },
  // ---------------------------------------------------------------- controls
  {
    id: 'devxp/control-config-json-trailing-comma',
    corpus,
    class: 'control',
    description: 'config.json of loki/overlays/ops: a trailing comma after the last entry — not JSON, but the controller reads the file as YAML, where a flow map may end with a comma',
    edits: [{ replace: `${lokiOps}/config.json`, find: '  "labels": null\n}', with: '  "labels": null,\n}' }],
    consumer: generatorFileAccepted(`${lokiOps}/config.json`, { has: ['"appName":"loki"'] }),
  },
  {
    id: 'devxp/control-config-json-one-line-single-quotes',
    corpus,
    class: 'control',
    description: "config.json of istio/overlays/ops rewritten on one line with single-quoted strings (YAML flow style, which the controller reads)",
    edits: [{ replace: 'apps/istio/overlays/ops/config.json', find: '{\n  "appName": "istio",\n  "userGivenName": "istio",\n  "destNamespace": "istio-system",\n  "destServer": "https://kubernetes.default.svc",\n  "srcPath": "apps/istio/overlays/ops",\n  "srcRepoURL": "https://github.com/devxp-tech/gitops.git",\n  "srcTargetRevision": "",\n  "CreateNamespace": true,\n  "labels": null\n}', with: "{'appName': 'istio', 'userGivenName': 'istio', 'destNamespace': 'istio-system', 'destServer': 'https://kubernetes.default.svc', 'srcPath': 'apps/istio/overlays/ops', 'srcRepoURL': 'https://github.com/devxp-tech/gitops.git', 'srcTargetRevision': '', 'CreateNamespace': true, 'labels': null}" }],
    consumer: generatorFileAccepted('apps/istio/overlays/ops/config.json', { has: ['"srcPath":"apps/istio/overlays/ops"'] }),
  },
  {
    id: 'devxp/control-grafana-overlay-patch-from-shared-folder',
    corpus,
    class: 'control',
    description: 'kustomization.yaml of grafana/overlays/ops: a patch file from a shared folder outside the overlay (`../../../../patches/...`), which this repository allows (--load-restrictor LoadRestrictionsNone)',
    edits: [
      { create: 'patches/grafana-lan-host.yaml', text: 'apiVersion: networking.istio.io/v1alpha3\nkind: VirtualService\nmetadata:\n  name: grafana\n  namespace: monitoring\nspec:\n  hosts:\n    - grafana.lan\n' },
      { append: `${grafanaOps}/kustomization.yaml`, text: 'patches:\n  - path: ../../../../patches/grafana-lan-host.yaml\n' },
    ],
    consumer: kustomizeAccepts(grafanaOps, { has: ['grafana.lan'] }),
  },
];
