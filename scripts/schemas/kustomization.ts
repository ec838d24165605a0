/**
 * kustomize's Kustomization and Component (kustomize.config.k8s.io). Facts:
 * ../shared/reference/argocd-facts.md §3 (kubernetes-sigs/kustomize api/types at 12f9e639, plus
 * `helmCharts[].digest` of newer kustomize). kustomize decodes with DisallowUnknownFields, so
 * every struct here rejects unknown keys; maps (labels, options) do not.
 */
import { Schema, bool, choice, deprecated, doc, int, list, obj, ref, str, strMap, strings } from './dsl';

const gvk = (): Record<string, Schema> => ({
  group: str('API group, e.g. `apps` (empty for the core group).'),
  version: str('API version, e.g. `v1`.'),
  kind: str('Kind, e.g. `Deployment`.'),
});

export function kustomizationDefs(): Record<string, Schema> {
  const defs: Record<string, Schema> = {};

  defs.selector = obj('Selects resources; every given field must match (names and namespaces are regular expressions).', {
    ...gvk(),
    name: str('Resource name (regular expression).'),
    namespace: str('Namespace (regular expression).'),
    labelSelector: str('Label selector, e.g. `app=web,tier!=db`.'),
    annotationSelector: str('Annotation selector.'),
  });

  defs.fieldSpec = obj('A field in some kinds of resources.', {
    ...gvk(),
    path: str('Slash-separated field path, e.g. `spec/template/metadata/labels`.'),
    create: bool('Create the field when missing.', false),
  });

  defs.patch = obj('A strategic-merge patch or a JSON 6902 patch, from a file or inline.', {
    path: str('File with the patch, relative to the kustomization directory.'),
    patch: str('The patch itself (YAML/JSON string).'),
    target: ref('selector', doc('Resources to patch; without it, a strategic-merge patch finds its target by its own apiVersion/kind/name.')),
    options: {
      type: 'object',
      ...doc('Patch options.'),
      properties: {
        allowNameChange: bool('Let the patch change `metadata.name`.', false),
        allowKindChange: bool('Let the patch change `kind`.', false),
      },
      additionalProperties: false,
    },
  });

  defs.image = obj('Changes an image name, tag or digest in every container that uses it.', {
    name: str('Image to match (as written in the manifests, without tag).'),
    newName: str('Replacement image name.'),
    newTag: str('Replacement tag. Quote numeric tags (`"1.10"`).'),
    digest: str('Replacement digest (`sha256:...`); wins over `newTag`.'),
    tagSuffix: str('Suffix appended to the tag.'),
  });

  defs.generatorOptions = obj('Options of ConfigMap/Secret generators.', {
    labels: strMap('Labels added to generated objects.'),
    annotations: strMap('Annotations added to generated objects.'),
    disableNameSuffixHash: bool('Do not append a content hash to generated names.', false),
    immutable: bool('Mark generated objects `immutable: true`.', false),
  });

  const generatorArgs = (what: 'ConfigMap' | 'Secret'): Record<string, Schema> => ({
    name: str(`Name of the ${what} (a content hash is appended unless disabled).`),
    namespace: str(`Namespace of the ${what}.`),
    behavior: choice('plain', ['create', 'replace', 'merge'], `What to do if a ${what} of this name exists in a base.`, {
      default: 'create',
      enumDescriptions: ['Create a new object (error if one exists).', 'Replace the existing one.', 'Merge into the existing one.'],
    }),
    literals: strings('`KEY=value` pairs.'),
    files: strings('Files, each becoming one key (`key=path` to rename).'),
    envs: strings('Env files (`KEY=value` lines), every line one key.'),
    env: deprecated(str('One env file.'), 'use `envs` (a list).'),
    options: ref('generatorOptions', doc('Options for this generator only (override `generatorOptions`).')),
  });
  defs.configMapArgs = obj('A ConfigMap generated from literals and files.', generatorArgs('ConfigMap'));
  defs.secretArgs = obj('A Secret generated from literals and files.', {
    ...generatorArgs('Secret'),
    type: str('Secret type.', { default: 'Opaque', examples: ['Opaque', 'kubernetes.io/tls', 'kubernetes.io/dockerconfigjson'] }),
  });

  defs.helmChart = obj('A Helm chart inflated with `helm template` (needs `kustomize build --enable-helm`).', {
    name: str('Chart name (required), e.g. `app-template`. Looked up at `<chartHome>/<name>` before pulling.'),
    version: str('Chart version; with `repo`, the chart is cached at `<chartHome>/<name>-<version>/<name>`.', { examples: ['4.4.0'] }),
    repo: str('Chart repository URL (`helm pull --repo`) or an OCI registry `oci://...` (chart pulled from `<repo>/<name>`).', {
      examples: ['https://charts.example.com', 'oci://ghcr.io/bjw-s-labs/helm'],
    }),
    digest: str('Pin the chart to an OCI digest (`sha256:...`); only with an `oci://` repo (newer kustomize).'),
    releaseName: str('Release name (`.Release.Name`); without it `--generate-name` is used.'),
    namespace: str('Release namespace (`.Release.Namespace`, `--namespace`).'),
    nameTemplate: str('Release name template (`--name-template`).'),
    valuesFile: str('Values file used instead of the chart\'s own `values.yaml`, relative to the kustomization.'),
    additionalValuesFiles: strings('Further values files (`-f`), after `valuesFile`; relative to the kustomization.'),
    valuesInline: { type: 'object', ...doc('Values written inline; combined with the values file according to `valuesMerge`.'), additionalProperties: true },
    valuesMerge: choice('plain', ['override', 'merge', 'replace'], 'How `valuesInline` combines with the values file.', {
      default: 'override',
      enumDescriptions: ['Inline values win (default).', 'Values from the file win.', 'Only the inline values are used.'],
    }),
    includeCRDs: bool('Also render the chart\'s CRDs (`--include-crds`).', false),
    skipHooks: bool('Do not render hooks (`--no-hooks`).', false),
    skipTests: bool('Do not render tests (`--skip-tests`).', false),
    apiVersions: strings('API versions for `.Capabilities.APIVersions` (`--api-versions`).'),
    kubeVersion: str('Kubernetes version for `.Capabilities.KubeVersion` (`--kube-version`).'),
    debug: bool('Pass `--debug` to helm.', false),
    devel: bool('Accept development versions (`--devel`).', false),
  }, ['name']);

  defs.helmGlobals = obj('Helm settings for every chart of this kustomization.', {
    chartHome: str('Directory (relative to the kustomization) holding one sub-directory per chart; pulled charts are cached there.', { default: 'charts' }),
    configHome: str('Value of `HELM_CONFIG_HOME` for helm (default: a temporary directory).'),
  });

  defs.helmChartArgs = obj('Old form of a Helm chart; kustomize converts it to `helmCharts`/`helmGlobals`.', {
    chartName: str('Chart name → `helmCharts[].name`.'),
    chartVersion: str('→ `helmCharts[].version`.'),
    chartRepoUrl: str('→ `helmCharts[].repo`.'),
    chartHome: str('→ `helmGlobals.chartHome`.'),
    chartRepoName: str('Ignored.'),
    helmBin: str('Ignored (use `kustomize build --helm-command`).'),
    helmHome: str('→ `helmGlobals.configHome`.'),
    values: str('→ `helmCharts[].valuesFile`.'),
    valuesLocal: { type: 'object', ...doc('→ `helmCharts[].valuesInline`.'), additionalProperties: true },
    valuesMerge: choice('plain', ['override', 'merge', 'replace'], '→ `helmCharts[].valuesMerge`.'),
    releaseName: str('→ `helmCharts[].releaseName`.'),
    releaseNamespace: str('→ `helmCharts[].namespace`.'),
    extraArgs: strings('Ignored.'),
  });

  const fieldOptions = obj('How the value is read from / written to the field.', {
    delimiter: str('Split the field on this delimiter and use the `index`-th part.'),
    index: int('Which part (with `delimiter`).'),
    encoding: str('Reserved.'),
    create: bool('Create the target field when missing.', false),
  });

  defs.replacement = obj('Copies a value from a source field (or `sourceValue`) into target fields; or `path` to a file holding replacements.', {
    path: str('File with replacements (instead of writing them inline).'),
    source: obj('Where the value comes from.', {
      ...gvk(),
      name: str('Source resource name.'),
      namespace: str('Source resource namespace.'),
      fieldPath: str('Field to read, dot-separated.', { default: 'metadata.name' }),
      options: fieldOptions,
    }),
    sourceValue: str('A literal value instead of `source`.'),
    targets: list(obj('Where the value goes.', {
      select: ref('selector', doc('Resources to write to.')),
      reject: list(ref('selector'), 'Resources excluded from `select`.'),
      fieldPaths: strings('Fields to write, dot-separated (`spec.template.spec.containers.[name=app].image`).'),
      options: fieldOptions,
    }), 'Targets.'),
  });

  defs.label = obj('Labels added to resources.', {
    pairs: strMap('The labels.'),
    includeSelectors: bool('Also add them to selectors (dangerous on existing Deployments: selectors are immutable).', false),
    includeTemplates: bool('Also add them to pod templates (implied by `includeSelectors`).', false),
    includeVolumeClaimTemplates: bool('Also add them to StatefulSet volume claim templates (newer kustomize).', false),
    fields: list(ref('fieldSpec'), 'More fields to add them to.'),
  });

  defs.var = obj('A variable `$(NAME)` replaced in some fields by a field of a resource.', {
    name: str('Variable name, used as `$(NAME)`.'),
    objref: obj('The resource holding the value.', {
      apiVersion: str('API version (`group/version`).'),
      ...gvk(),
      name: str('Resource name.'),
      namespace: str('Resource namespace.'),
    }),
    fieldref: obj('The field holding the value.', { fieldPath: str('Field path.', { default: 'metadata.name' }) }),
  }, ['name', 'objref']);

  const spec: Record<string, Schema> = {
    apiVersion: str('API version: `kustomize.config.k8s.io/v1beta1` for a Kustomization, `kustomize.config.k8s.io/v1alpha1` for a Component.', {
      enum: ['kustomize.config.k8s.io/v1beta1', 'kustomize.config.k8s.io/v1alpha1'],
    }),
    kind: str('`Kustomization` (default) or `Component` (a reusable piece included through `components`).', {
      enum: ['Kustomization', 'Component'],
      default: 'Kustomization',
    }),
    metadata: obj('Metadata of the kustomization itself (not of the resources).', {
      name: str('Name.'),
      namespace: str('Namespace.'),
      labels: strMap('Labels.'),
      annotations: strMap('Annotations.'),
    }),
    openapi: strMap('OpenAPI schema used for strategic merge of custom resources: `path: <file>` or `version: <k8s version>`.'),
    namePrefix: str('Prefix added to every resource name (and to references to it).'),
    nameSuffix: str('Suffix added to every resource name.'),
    namespace: str('Namespace set on every namespaced resource.'),
    commonLabels: deprecated(strMap('Labels added to every resource and to selectors.'), 'use `labels` (with `includeSelectors: true` for the same effect).'),
    labels: list(ref('label'), 'Labels to add, with control over selectors and templates.'),
    commonAnnotations: strMap('Annotations added to every resource.'),
    patchesStrategicMerge: deprecated(strings('Strategic-merge patches: file paths or inline YAML.'), 'use `patches`.'),
    patchesJson6902: deprecated(list(ref('patch'), 'JSON 6902 patches.'), 'use `patches`.'),
    patches: list(ref('patch'), 'Patches (strategic-merge or JSON 6902), each for one or several targets.'),
    images: list(ref('image'), 'Image name/tag/digest changes.'),
    imageTags: deprecated(list(ref('image'), 'Image changes.'), 'use `images`.'),
    replacements: list(ref('replacement'), 'Copy values between fields (replaces `vars`).'),
    replicas: list(obj('Replica count for a workload.', {
      name: str('Name of the Deployment, StatefulSet, ReplicaSet...'),
      count: int('Number of replicas.', { minimum: 0 }),
    }, ['count', 'name']), 'Replica counts.'),
    vars: deprecated(list(ref('var'), 'Variables.'), 'use `replacements`.'),
    sortOptions: obj('Order of the output resources.', {
      order: choice('plain', ['legacy', 'fifo'], '`legacy` sorts by kind (namespaces and CRDs first); `fifo` keeps the input order.', { default: 'legacy' }),
      legacySortOptions: obj('Kind order for `legacy`.', {
        orderFirst: strings('Kinds output first.'),
        orderLast: strings('Kinds output last.'),
      }),
    }),
    resources: strings('Files, directories (other kustomizations) and remote URLs to include, relative to this file.'),
    components: strings('Components to include (directories with `kind: Component`).'),
    crds: strings('CRD files, so custom resources can be patched by name reference.'),
    bases: deprecated(strings('Other kustomizations.'), 'use `resources`.'),
    configMapGenerator: list(ref('configMapArgs'), 'ConfigMaps to generate.'),
    secretGenerator: list(ref('secretArgs'), 'Secrets to generate.'),
    generatorOptions: ref('generatorOptions', doc('Options for every ConfigMap/Secret generator.')),
    helmGlobals: ref('helmGlobals'),
    helmCharts: list(ref('helmChart'), 'Helm charts to inflate (`kustomize build --enable-helm`).'),
    helmChartInflationGenerator: deprecated(list(ref('helmChartArgs'), 'Helm charts (old form).'), 'use `helmCharts` and `helmGlobals`.'),
    configurations: strings('Transformer configuration files (field specs for custom resources).'),
    generators: strings('Generator plugin configuration files or directories.'),
    transformers: strings('Transformer plugin configuration files or directories.'),
    validators: strings('Validator plugin configuration files or directories.'),
    buildMetadata: strings('Extra build information in the output.', { uniqueItems: true }, choice('plain', ['originAnnotations', 'transformerAnnotations', 'managedByLabel'], 'A build metadata option.', {
      enumDescriptions: [
        'Annotate each resource with the file it came from (`config.kubernetes.io/origin`).',
        'Annotate each resource with the transformers that changed it.',
        'Add the `app.kubernetes.io/managed-by: kustomize-<version>` label.',
      ],
    })),
  };
  defs.kustomization = obj(
    'A kustomization.yaml: resources to build and transformations to apply (`kustomize build`).',
    spec,
    undefined,
    {
      // Kind and apiVersion go together, as kustomize's EnforceFields checks.
      if: { properties: { kind: { const: 'Component' } }, required: ['kind'] },
      then: { properties: { apiVersion: { const: 'kustomize.config.k8s.io/v1alpha1', errorMessage: 'apiVersion for Component should be kustomize.config.k8s.io/v1alpha1' } } },
      else: { properties: { apiVersion: { const: 'kustomize.config.k8s.io/v1beta1', errorMessage: 'apiVersion for Kustomization should be kustomize.config.k8s.io/v1beta1' } } },
    },
  );
  return defs;
}
