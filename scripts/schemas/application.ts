/**
 * Argo CD's Application (argoproj.io/v1alpha1): the spec is written once, as a function of the
 * mode, so that `application.schema.json` (plain) and the ApplicationSet template (templated)
 * share one definition. Facts: ../shared/reference/argocd-facts.md §0 and §1.6; Argo CD docs
 * (operator-manual/application.yaml, user-guide/sync-options.md, user-guide/helm.md).
 */
import {
  DURATION_PATTERN,
  Mode,
  Schema,
  anyObject,
  bool,
  choice,
  doc,
  int,
  intOrString,
  list,
  obj,
  ref,
  shaped,
  str,
  strMap,
  strings,
} from './dsl';

/** `$defs` name of a mode-dependent definition. */
export function modal(name: string, mode: Mode): string {
  return mode === 'plain' ? name : `${name}Templated`;
}

const SYNC_OPTIONS: Array<[string, string]> = [
  ['CreateNamespace=true', 'Create the destination namespace if it does not exist (see also `managedNamespaceMetadata`).'],
  ['ServerSideApply=true', 'Apply with Kubernetes server-side apply instead of `kubectl apply`.'],
  ['ApplyOutOfSyncOnly=true', 'Apply only the resources that are out of sync (faster for large apps).'],
  ['PruneLast=true', 'Prune after every other resource has been applied and is healthy.'],
  ['PrunePropagationPolicy=foreground', 'Deletion propagation policy when pruning: `foreground`, `background` or `orphan`.'],
  ['RespectIgnoreDifferences=true', 'Keep fields listed in `ignoreDifferences` as they are in the cluster during sync too.'],
  ['SkipDryRunOnMissingResource=true', 'Skip the dry run for resources whose CRD is not installed yet.'],
  ['Replace=true', 'Use `kubectl replace`/`create` instead of apply (destructive; use with care).'],
  ['Validate=false', 'Apply with `--validate=false`.'],
  ['FailOnSharedResource=true', 'Fail the sync when a resource is already managed by another Application.'],
  ['Force=true', 'Delete and re-create resources that cannot be patched (needs `Replace=true` or a hook).'],
  ['ClientSideApplyMigration=false', 'Do not migrate client-side-apply field managers when using server-side apply.'],
];

export function applicationDefs(mode: Mode): Record<string, Schema> {
  const m = (name: string): string => modal(name, mode);
  const defs: Record<string, Schema> = {};

  defs[m('applicationSpec')] = obj(
    'The desired state of the Application: where its manifests come from, where they go, and how Argo CD keeps them in sync.',
    {
      project: str('The AppProject this Application belongs to; it limits sources, destinations and resource kinds. `default` exists in every Argo CD.', {
        examples: ['default'],
      }),
      source: ref(m('applicationSource'), doc('Where the manifests come from: a Git repository path, a Helm chart or an OCI artifact. Use either `source` or `sources`, not both.')),
      sources: list(ref(m('applicationSource')), 'Several sources combined into one Application (multi-source). A source with `ref` can be used by others as `$ref/path/values.yaml` in `helm.valueFiles`. Use either `source` or `sources`, not both.'),
      sourceHydrator: ref(m('sourceHydrator')),
      destination: ref(m('applicationDestination')),
      syncPolicy: ref(m('syncPolicy')),
      ignoreDifferences: list(ref(m('resourceIgnoreDifferences')), 'Differences between the desired and the live state that must not make the Application OutOfSync.'),
      info: list(ref(m('info')), 'Extra information shown in the Argo CD UI (name/value pairs, e.g. links).'),
      revisionHistoryLimit: int('How many past syncs are kept in the history for rollback. An integer, so it cannot be templated: Argo CD renders only string fields.', {
        minimum: 0,
        default: 10,
      }),
    },
    ['destination', 'project'],
  );

  defs[m('applicationSource')] = obj(
    'A source of manifests. The tool (Helm, Kustomize, directory of plain YAML/Jsonnet, or a config management plugin) is detected from the content unless one of `helm`, `kustomize`, `directory` or `plugin` is given.',
    {
      repoURL: str('URL of the Git repository, Helm repository or OCI registry (`oci://...`).', {
        examples: ['https://github.com/example/home-ops', 'https://charts.example.com', 'oci://ghcr.io/example/charts'],
      }),
      path: str('Directory inside the Git repository (or OCI artifact) holding the manifests, relative to its root. Not used with `chart`.'),
      targetRevision: str('Git branch, tag or commit; for Helm charts the chart version (semver ranges allowed). Defaults to `HEAD`.', {
        examples: ['HEAD', 'main', 'v1.2.3', '1.*'],
      }),
      chart: str('Name of the Helm chart in a Helm repository (`repoURL`); mutually exclusive with `path`.'),
      ref: str('A name other sources of the same multi-source Application can use as `$<ref>` in `helm.valueFiles`.'),
      name: str('A name for this source, used to refer to it from the CLI and UI in multi-source Applications.'),
      tagPrefix: str('Prefix Argo CD strips from Git tags before comparing them as semver versions for `targetRevision` constraints (e.g. `v`).'),
      helm: ref(m('applicationSourceHelm')),
      kustomize: ref(m('applicationSourceKustomize')),
      directory: ref(m('applicationSourceDirectory')),
      plugin: ref(m('applicationSourcePlugin')),
    },
    ['repoURL'],
  );

  const toolProps = (): Record<string, Schema> => ({
    helm: ref(m('applicationSourceHelm')),
    kustomize: ref(m('applicationSourceKustomize')),
    directory: ref(m('applicationSourceDirectory')),
    plugin: ref(m('applicationSourcePlugin')),
  });

  defs[m('sourceHydrator')] = obj(
    'Source hydrator: Argo CD renders ("hydrates") the `drySource` and pushes the plain manifests to `syncSource` (or first to `hydrateTo`), then syncs from there. Use instead of `source`/`sources`.',
    {
      drySource: obj(
        'The unrendered source: Helm, Kustomize, plain directory or plugin, as for `source`.',
        {
          repoURL: str('URL of the Git repository with the unrendered manifests.'),
          targetRevision: str('Branch, tag or commit to hydrate from.'),
          path: str('Directory of the unrendered manifests inside the repository.'),
          ...toolProps(),
        },
        ['path', 'repoURL', 'targetRevision'],
      ),
      syncSource: obj(
        'Where the hydrated manifests are pushed and synced from.',
        {
          targetBranch: str('Branch the hydrated manifests are pushed to.'),
          path: str('Directory inside `targetBranch` for this Application; must not be the repository root.'),
          repoURL: str('Repository to push to, when it differs from `drySource.repoURL`.'),
        },
        ['path', 'targetBranch'],
      ),
      hydrateTo: obj(
        'A staging branch the hydrated manifests are pushed to first (e.g. for a pull-request based promotion); Argo CD still syncs from `syncSource`.',
        { targetBranch: str('The staging branch.') },
        ['targetBranch'],
      ),
    },
    ['drySource', 'syncSource'],
  );

  defs[m('applicationSourceHelm')] = obj(
    'Options for rendering a Helm chart with `helm template`.',
    {
      valueFiles: strings('Values files, relative to the chart (or `$ref/...` from another source of a multi-source Application). Later files win.'),
      values: str('Values as a YAML string (a block scalar). Prefer `valuesObject`.'),
      valuesObject: anyObject('Values as a YAML object; wins over `values`. Any content is accepted.'),
      parameters: list(
        obj('A `--set` parameter.', {
          name: str('Dotted key, e.g. `image.tag`.'),
          value: str('The value.'),
          forceString: bool('Pass with `--set-string` so the value stays a string.', false),
        }),
        'Helm parameters (`--set name=value`); they win over values files and values.',
      ),
      fileParameters: list(
        obj('A `--set-file` parameter.', { name: str('Dotted key.'), path: str('File whose content becomes the value.') }),
        'Helm file parameters (`--set-file name=path`).',
      ),
      releaseName: str('Helm release name; defaults to the Application name.'),
      namespace: str('Namespace for `.Release.Namespace`; defaults to the destination namespace.'),
      version: str('Helm major version used to render (Argo CD 3 supports only `v3`).', { examples: ['v3'] }),
      kubeVersion: str('Kubernetes version for `.Capabilities.KubeVersion` (`--kube-version`); defaults to the destination cluster version.'),
      apiVersions: strings('API versions for `.Capabilities.APIVersions` (`--api-versions`); defaults to those of the destination cluster.'),
      passCredentials: bool('Pass repository credentials to every domain (`--pass-credentials`).', false),
      ignoreMissingValueFiles: bool('Do not fail when a file of `valueFiles` does not exist.', false),
      skipCrds: bool('Do not install the chart\'s `crds/` directory (`--skip-crds`).', false),
      skipTests: bool('Do not render the chart\'s test hooks (`--skip-tests`).', false),
      skipSchemaValidation: bool('Do not validate values against the chart\'s `values.schema.json` (`--skip-schema-validation`).', false),
    },
  );

  defs[m('applicationSourceKustomize')] = obj(
    'Options Argo CD applies on top of the kustomization (like `kustomize edit`) before `kustomize build`.',
    {
      namePrefix: str('Prefix added to every resource name.'),
      nameSuffix: str('Suffix added to every resource name.'),
      namespace: str('Namespace set on every namespaced resource.'),
      images: strings('Image overrides, like `kustomize edit set image`: `name=newName:tag`, `name:tag` or `name@digest`.', {
        examples: [['nginx=nginx:1.27', 'ghcr.io/example/app:v2']],
      }),
      replicas: list(
        obj('Replica count override for one workload.', {
          name: str('Name of the Deployment/StatefulSet/... .'),
          count: intOrString(mode, '^[0-9]+$', 'a replica count is a whole number', 'Number of replicas (a whole number, or a string of digits).'),
        }, ['count', 'name']),
        'Replica count overrides.',
      ),
      patches: list(ref(m('kustomizePatch')), 'Patches added to the kustomization (like its own `patches`).'),
      components: strings('Kustomize components added to the kustomization.'),
      ignoreMissingComponents: bool('Do not fail when a component of `components` does not exist.', false),
      commonLabels: strMap('Labels added to every resource (and selector).'),
      commonAnnotations: strMap('Annotations added to every resource.'),
      commonAnnotationsEnvsubst: bool('Substitute `${VAR}` with Argo CD build environment variables in `commonAnnotations` values.', false),
      forceCommonLabels: bool('Overwrite existing labels with `commonLabels`.', false),
      forceCommonAnnotations: bool('Overwrite existing annotations with `commonAnnotations`.', false),
      labelWithoutSelector: bool('Apply `commonLabels` to resources but not to selectors.', false),
      labelIncludeTemplates: bool('With `labelWithoutSelector`, still label pod templates.', false),
      version: str('Name of a kustomize version configured in `argocd-cm` (`kustomize.version.<name>`).'),
      kubeVersion: str('Kubernetes version passed to Helm charts inflated by kustomize.'),
      apiVersions: strings('API versions passed to Helm charts inflated by kustomize.'),
    },
  );

  defs[m('kustomizePatch')] = obj(
    'A strategic-merge or JSON 6902 patch.',
    {
      path: str('File with the patch, relative to the kustomization.'),
      patch: str('The patch itself, as a YAML/JSON string.'),
      target: obj('Which resources the patch applies to.', {
        group: str('API group.'),
        version: str('API version.'),
        kind: str('Kind.'),
        name: str('Name (regular expression).'),
        namespace: str('Namespace (regular expression).'),
        labelSelector: str('Label selector, e.g. `app=web`.'),
        annotationSelector: str('Annotation selector.'),
      }),
      options: {
        type: 'object',
        ...doc('Patch options: `allowNameChange`, `allowKindChange`.'),
        // A map[string]bool upstream; only these two keys mean anything, so others are typos.
        additionalProperties: false,
        properties: {
          allowNameChange: bool('Allow the patch to change the resource name.', false),
          allowKindChange: bool('Allow the patch to change the resource kind.', false),
        },
      },
    },
  );

  const jsonnetVar = obj('A Jsonnet variable.', {
    name: str('Variable name.'),
    value: str('Value (a string, or Jsonnet code when `code` is true).'),
    code: bool('Evaluate `value` as Jsonnet code.', false),
  }, ['name', 'value']);

  defs[m('applicationSourceDirectory')] = obj(
    'Options for a directory of plain YAML/JSON/Jsonnet manifests.',
    {
      recurse: bool('Include sub-directories.', false),
      include: str('Glob of files to include, e.g. `*.yaml` or `{a.yaml,b.yaml}`.'),
      exclude: str('Glob of files to exclude, e.g. `config.yaml` or `{secrets/*,*.tmp}`.'),
      jsonnet: obj('Jsonnet options.', {
        extVars: list(jsonnetVar, 'External variables (`--ext-str`/`--ext-code`).'),
        tlas: list(jsonnetVar, 'Top-level arguments (`--tla-str`/`--tla-code`).'),
        libs: strings('Additional library search directories (`--jpath`).'),
      }),
      disableExtensionFilter: bool('Read every file matched by `include`, not only `.yaml`, `.yml`, `.json` and `.jsonnet` (Argo CD 3.6+).', false),
    },
  );

  defs[m('applicationSourcePlugin')] = obj(
    'A Config Management Plugin (CMP) sidecar renders the manifests.',
    {
      name: str('Plugin name (as in its `plugin.yaml`); omit to let Argo CD discover the plugin.'),
      env: list(obj('An environment variable for the plugin (seen as `ARGOCD_ENV_<name>`).', {
        name: str('Variable name.'),
        value: str('Value.'),
      }, ['name', 'value']), 'Environment variables for the plugin.'),
      parameters: list(obj('A plugin parameter; give one of `string`, `array`, `map`.', {
        name: str('Parameter name.'),
        string: str('String value.'),
        array: strings('Array value.'),
        map: strMap('Map value.'),
      }), 'Parameters for the plugin.'),
    },
  );

  defs[m('applicationDestination')] = obj(
    'The cluster and namespace the manifests are deployed to. Give `server` or `name`, not both.',
    {
      server: str('API server URL of the cluster; `https://kubernetes.default.svc` is the cluster Argo CD runs in.', {
        examples: ['https://kubernetes.default.svc'],
      }),
      name: str('Name of a cluster registered in Argo CD (`in-cluster` for the local one); alternative to `server`.', { examples: ['in-cluster'] }),
      namespace: str('Namespace for namespaced resources that do not set one.'),
    },
  );

  defs[m('syncPolicy')] = obj(
    'When and how Argo CD syncs the Application.',
    {
      automated: obj(
        'Sync automatically when the desired state changes (auto-sync). Omit for manual syncs.',
        {
          enabled: bool('Turn auto-sync on or off without removing this block.', true),
          prune: bool('Delete resources that are no longer in Git.', false),
          selfHeal: bool('Revert changes made in the cluster outside Git.', false),
          allowEmpty: bool('Allow a sync that would leave the Application with no resources.', false),
        },
      ),
      syncOptions: strings(
        'Sync options as `Name=value` strings.',
        {},
        {
          ...shaped(
            mode,
            '^[A-Za-z]+=\\S*$',
            'a sync option looks like `Name=value`, e.g. `CreateNamespace=true`',
            `A sync option (\`Name=value\`). Common ones:\n\n${SYNC_OPTIONS.map(([o, d]) => `- \`${o}\`: ${d}`).join('\n')}`,
          ),
          examples: SYNC_OPTIONS.map(([o]) => o),
        },
      ),
      retry: ref(m('retryStrategy')),
      managedNamespaceMetadata: obj(
        'Labels and annotations for the destination namespace Argo CD creates (needs `CreateNamespace=true`).',
        { labels: strMap('Labels of the namespace.'), annotations: strMap('Annotations of the namespace.') },
      ),
    },
  );

  const duration = (text: string, dflt: string): Schema =>
    shaped(mode, DURATION_PATTERN, 'a duration is a number of seconds or a Go duration such as `5s`, `2m` or `1h30m`', text, { default: dflt });

  defs[m('retryStrategy')] = obj(
    'Retry a failed sync, waiting longer after each attempt.',
    {
      limit: int('Number of retries; below 0 retries forever.', { examples: [5] }),
      backoff: obj('Waiting time between attempts.', {
        duration: duration('First wait (seconds, or a duration such as `5s`, `2m`).', '5s'),
        factor: int('Each wait is the previous one times this factor.', { minimum: 1, default: 2 }),
        maxDuration: duration('Upper bound of a wait.', '3m'),
      }),
      refresh: bool('Refresh (re-read Git) before each retry, so a fix pushed meanwhile is used.', false),
    },
  );

  defs[m('resourceIgnoreDifferences')] = obj(
    'Resources, and fields in them, whose differences Argo CD ignores when comparing.',
    {
      group: str('API group (empty for the core group).'),
      kind: str('Kind, e.g. `Deployment`.'),
      name: str('Resource name; omit for all.'),
      namespace: str('Resource namespace; omit for all.'),
      jsonPointers: strings('JSON pointers (RFC 6901) to ignore, e.g. `/spec/replicas`.', {}, shaped(mode, '^/', 'a JSON pointer starts with `/`, e.g. `/spec/replicas`', 'A JSON pointer.')),
      jqPathExpressions: strings('jq path expressions to ignore, e.g. `.spec.template.spec.initContainers[] | select(.name == "x")`.'),
      managedFieldsManagers: strings('Ignore fields owned by these field managers (e.g. `kube-controller-manager`).'),
    },
    ['kind'],
  );

  defs[m('info')] = obj('A name/value pair shown in the UI.', { name: str('Label.'), value: str('Value; URLs become links.') }, ['name', 'value']);

  // The template exists only in ApplicationSets, so only in templated form.
  if (mode === 'plain') {
    defs.operation = operationDef();
    return defs;
  }

  defs[m('applicationTemplate')] = obj(
    'The Application each parameter set renders into. Every string field (and every key of a string map) is rendered with the generator\'s parameters; booleans and numbers are not.',
    {
      metadata: obj(
        'Metadata of the generated Application; its namespace is always the ApplicationSet\'s.',
        {
          name: str('Name of the generated Application: must render to a unique, valid Kubernetes name.', { examples: ['{{.path.basename}}'] }),
          namespace: str('Ignored: generated Applications live in the ApplicationSet\'s namespace.'),
          labels: strMap('Labels of the generated Application (keys and values rendered).'),
          annotations: strMap('Annotations of the generated Application (keys and values rendered).'),
          finalizers: strings('Finalizers; when empty Argo CD adds `resources-finalizer.argocd.argoproj.io` unless `syncPolicy.preserveResourcesOnDeletion` is true.', {
            examples: [['resources-finalizer.argocd.argoproj.io']],
          }),
        },
      ),
      spec: ref(m('applicationSpec')),
    },
    ['metadata', 'spec'],
  );

  return defs;
}

function operationDef(): Schema {
  return obj(
    'An operation requested on the Application (normally written by Argo CD or `argocd app sync`, not by hand).',
    {
      sync: obj('A sync.', {
        revision: str('Revision to sync to.'),
        revisions: strings('Revisions to sync to, one per source (multi-source).'),
        prune: bool('Delete resources no longer in Git.'),
        dryRun: bool('Only pretend.'),
        syncStrategy: obj('How to apply.', {
          apply: obj('`kubectl apply` only, hooks skipped.', { force: bool('Delete and re-create when apply fails.') }),
          hook: obj('Apply with hooks (the default).', { force: bool('Delete and re-create when apply fails.') }),
        }),
        resources: list(obj('A resource.', {
          group: str('API group.'), kind: str('Kind.'), name: str('Name.'), namespace: str('Namespace.'),
        }, ['kind', 'name']), 'Sync only these resources.'),
        source: ref('applicationSource'),
        sources: list(ref('applicationSource'), 'Sources to sync (multi-source).'),
        manifests: strings('Manifests to apply instead of rendering the source.'),
        syncOptions: strings('Sync options for this operation.'),
        autoHealAttemptsCount: int('Number of self-heal attempts so far.'),
      }),
      initiatedBy: obj('Who started it.', { username: str('User name.'), automated: bool('Started by auto-sync.') }),
      info: list(ref('info'), 'Extra information.'),
      retry: ref('retryStrategy'),
    },
  );
}

export function objectMetaDef(): Schema {
  return obj(
    'Kubernetes object metadata.',
    {
      name: str('Name, unique per kind in the namespace.'),
      namespace: str('Namespace; Argo CD objects usually live in `argocd`.', { examples: ['argocd'] }),
      generateName: str('Prefix for a generated name (not supported by Argo CD for Applications).'),
      labels: strMap('Labels.'),
      annotations: strMap('Annotations.'),
      finalizers: strings('Finalizers.'),
      ownerReferences: list(anyObject('An owner reference.'), 'Owners.'),
      uid: str('Set by the API server.'),
      resourceVersion: str('Set by the API server.'),
      generation: int('Set by the API server.'),
      creationTimestamp: { type: ['string', 'null'], description: 'Set by the API server.' },
      deletionTimestamp: { type: ['string', 'null'], description: 'Set by the API server.' },
      deletionGracePeriodSeconds: int('Set by the API server.'),
      selfLink: str('Set by the API server (deprecated).'),
      managedFields: list(anyObject('A managed field entry.'), 'Set by the API server.'),
    },
  );
}

export function labelSelectorDef(mode: Mode): Schema {
  return obj(
    'A Kubernetes label selector: all `matchLabels` and all `matchExpressions` must match.',
    {
      matchLabels: strMap('Labels that must have exactly these values.'),
      matchExpressions: list(
        obj('A label requirement.', {
          key: str('Label key.'),
          operator: choice(mode, ['In', 'NotIn', 'Exists', 'DoesNotExist'], 'How `key` is compared with `values`.'),
          values: strings('Values for `In`/`NotIn`; empty for `Exists`/`DoesNotExist`.'),
        }, ['key', 'operator']),
        'Label requirements.',
      ),
    },
  );
}
