/**
 * Argo CD's ApplicationSet (argoproj.io/v1alpha1). Facts: ../shared/reference/argocd-facts.md §1
 * (generators, nesting, templates), Argo CD docs operator-manual/applicationset/*.md.
 *
 * Generators nest as in Argo CD's Go types: a top-level matrix/merge holds "nested" generators,
 * whose own matrix/merge hold "terminal" generators (no third level: Argo CD drops it silently
 * and then fails with "child generator generated no parameters").
 *
 * String fields of generators are templated too: a matrix renders its second child with the
 * first child's parameters, so enums there accept `{{...}}` (mode `templated`).
 */
import { Schema, anyObject, bool, choice, deprecated, doc, int, intOrString, list, obj, ref, str, strMap, strings } from './dsl';
import { labelSelectorDef } from './application';

const APP = 'application.schema.json#/$defs/';
const T = 'templated' as const;

const template = (): Schema =>
  ref(
    `${APP}applicationTemplateTemplated`,
    doc('Overrides for `spec.template` for this generator\'s Applications: set fields win, unset fields come from `spec.template` ("templates are patches"). Ignored on generators inside a matrix or merge.'),
  );

const values = (): Schema =>
  strMap('Extra parameters, available as `{{.values.<key>}}` (`{{values.<key>}}` without goTemplate). Each value is itself rendered with this generator\'s parameters.');

const requeue = (): Schema =>
  int('How often, in seconds, the controller re-runs this generator (default: 180 for most generators).', { minimum: 0 });

const secretRef = (text: string): Schema =>
  obj(text, { secretName: str('Name of the Secret (in the Argo CD namespace).'), key: str('Key in the Secret.') }, ['key', 'secretName']);

const caRef = (): Schema =>
  obj('ConfigMap holding a CA certificate for the API.', { configMapName: str('Name of the ConfigMap.'), key: str('Key in the ConfigMap.') }, ['configMapName', 'key']);

const basicAuth = (): Schema =>
  obj('Basic authentication.', { username: str('User name.'), passwordRef: secretRef('Secret holding the password.') }, ['passwordRef', 'username']);

const bearerToken = (): Schema => obj('Bearer token authentication.', { tokenRef: secretRef('Secret holding the token.') }, ['tokenRef']);

const cloneProtocol = (): Schema =>
  choice(T, ['https', 'ssh'], 'Protocol of the clone URL put into `{{.url}}`; the default depends on the provider (mostly `ssh`).');

export function applicationSetDefs(): Record<string, Schema> {
  const defs: Record<string, Schema> = {};

  defs.labelSelector = labelSelectorDef(T);

  defs.listGenerator = obj('A fixed list of parameter sets.', {
    elements: list(anyObject('One parameter set: any object (with goTemplate, values can be any YAML; without it, strings).'), 'The parameter sets, one Application each.'),
    elementsYaml: str('The parameter sets as a YAML list in a string, usually produced by a template of an enclosing matrix (e.g. `{{ .key.components | toJson }}`).'),
    template: template(),
  });

  defs.clusterGenerator = obj('One parameter set per cluster registered in Argo CD (cluster Secrets), optionally filtered by labels.', {
    selector: ref('labelSelector', doc('Only clusters whose Secret labels match.')),
    values: values(),
    flatList: bool('Produce one parameter set holding the list of all clusters (`{{.clusters}}`) instead of one per cluster.', false),
    template: template(),
  });

  const pathItem = (what: string): Schema =>
    obj(`A ${what} pattern.`, {
      path: str(
        what === 'directory'
          ? 'Pattern matched against every directory of the repository with Go `path.Match`: `*` matches within one path segment only, so `apps/*` means the direct sub-directories of `apps`. Hidden directories are skipped.'
          : 'Pattern of files in the repository (git pathspec: `*` also crosses `/`). Each file is YAML/JSON: an object (one parameter set) or a list of objects.',
        { examples: what === 'directory' ? ['apps/*', 'clusters/*/apps/*'] : ['clusters/*/config.json'] },
      ),
      exclude: bool(`Exclude the ${what === 'directory' ? 'directories' : 'files'} this pattern matches, whatever the other patterns say.`, false),
    }, ['path']);

  defs.gitGenerator = obj('Parameter sets from a Git repository: one per matching directory (`directories`) or per object in matching files (`files`).', {
    repoURL: str('URL of the Git repository.'),
    revision: str('Branch, tag or commit to read.', { examples: ['HEAD', 'main'] }),
    directories: list(pathItem('directory'), 'Directory patterns; parameters `path.path`, `path.basename`, `path.basenameNormalized`, `path.segments`.'),
    files: list(pathItem('file'), 'File patterns; parameters are the file\'s keys plus `path.*` (`path.filename` too).'),
    pathParamPrefix: str('Prefix for the `path` parameters (`{{.<prefix>.path.basename}}`), so two git generators in a matrix do not collide.'),
    requeueAfterSeconds: requeue(),
    values: values(),
    template: template(),
  }, ['repoURL', 'revision']);

  defs.scmProviderGenerator = obj('One parameter set per repository (or branch) of an organization on a Git hosting service. Give exactly one provider.', {
    github: obj('GitHub or GitHub Enterprise.', {
      organization: str('Organization (or user) to scan.'),
      api: str('API URL for GitHub Enterprise; defaults to https://api.github.com.'),
      tokenRef: secretRef('Secret with a personal access token.'),
      appSecretName: str('Secret with GitHub App credentials (instead of `tokenRef`).'),
      allBranches: bool('One parameter set per branch instead of per repository (default branch only).', false),
      excludeArchivedRepos: bool('Skip archived repositories.', false),
    }, ['organization']),
    gitlab: obj('GitLab.', {
      group: str('Group (path or id) to scan.'),
      includeSubgroups: bool('Also scan sub-groups.', false),
      includeSharedProjects: bool('Include projects shared with the group.', true),
      includeArchivedRepos: bool('Include archived projects.', false),
      topic: str('Only projects with this topic.'),
      api: str('GitLab URL; defaults to https://gitlab.com.'),
      tokenRef: secretRef('Secret with an access token.'),
      allBranches: bool('One parameter set per branch.', false),
      insecure: bool('Skip TLS verification.', false),
      caRef: caRef(),
    }, ['group']),
    bitbucket: obj('Bitbucket Cloud.', {
      owner: str('Workspace to scan.'),
      user: str('User name for the app password.'),
      appPasswordRef: secretRef('Secret with the app password.'),
      allBranches: bool('One parameter set per branch.', false),
    }, ['appPasswordRef', 'owner', 'user']),
    bitbucketServer: obj('Bitbucket Server / Data Center.', {
      project: str('Project key to scan.'),
      api: str('Server URL, e.g. https://bitbucket.example.com.'),
      basicAuth: basicAuth(),
      bearerToken: bearerToken(),
      allBranches: bool('One parameter set per branch.', false),
      insecure: bool('Skip TLS verification.', false),
      caRef: caRef(),
    }, ['api', 'project']),
    gitea: obj('Gitea or Forgejo.', {
      owner: str('Organization or user to scan.'),
      api: str('Gitea URL.'),
      tokenRef: secretRef('Secret with an access token.'),
      allBranches: bool('One parameter set per branch.', false),
      insecure: bool('Skip TLS verification.', false),
      excludeArchivedRepos: bool('Skip archived repositories.', false),
    }, ['api', 'owner']),
    azureDevOps: obj('Azure DevOps.', {
      organization: str('Organization.'),
      teamProject: str('Team project to scan.'),
      api: str('API URL; defaults to https://dev.azure.com.'),
      accessTokenRef: secretRef('Secret with a personal access token.'),
      allBranches: bool('One parameter set per branch.', false),
    }, ['accessTokenRef', 'organization', 'teamProject']),
    awsCodeCommit: obj('AWS CodeCommit.', {
      region: str('AWS region; defaults to the controller\'s.'),
      role: str('IAM role to assume (cross-account).'),
      tagFilters: list(obj('A tag filter.', { key: str('Tag key.'), value: str('Tag value; empty matches any.') }, ['key']), 'Only repositories with these tags.'),
      allBranches: bool('One parameter set per branch.', false),
    }),
    filters: list(obj('A filter: a repository must pass every condition of at least one filter.', {
      repositoryMatch: str('Regular expression on the repository name.'),
      pathsExist: strings('Paths that must exist in the repository.'),
      pathsDoNotExist: strings('Paths that must not exist.'),
      labelMatch: str('Regular expression on the repository labels/topics.'),
      branchMatch: str('Regular expression on the branch name.'),
    }), 'Filters on repositories.'),
    cloneProtocol: cloneProtocol(),
    requeueAfterSeconds: requeue(),
    values: values(),
    template: template(),
  });

  defs.clusterDecisionResourceGenerator = obj('Parameter sets from a duck-typed custom resource listing clusters (e.g. Open Cluster Management placement decisions).', {
    configMapRef: str('ConfigMap describing the resource to read (apiVersion, kind, statusListKey, matchKey).'),
    name: str('Name of the resource.'),
    labelSelector: ref('labelSelector', doc('Label selector for the resources (instead of `name`).')),
    requeueAfterSeconds: requeue(),
    values: values(),
    template: template(),
  }, ['configMapRef']);

  const labels = (): Schema => strings('Only pull requests with all these labels.');
  defs.pullRequestGenerator = obj('One parameter set per open pull request of a repository. Give exactly one provider.', {
    github: obj('GitHub.', {
      owner: str('Repository owner.'), repo: str('Repository name.'), api: str('API URL for GitHub Enterprise.'),
      tokenRef: secretRef('Secret with a token.'), appSecretName: str('Secret with GitHub App credentials.'), labels: labels(),
    }, ['owner', 'repo']),
    gitlab: obj('GitLab.', {
      project: str('Project id or path.'), api: str('GitLab URL.'), tokenRef: secretRef('Secret with a token.'), labels: labels(),
      pullRequestState: str('Merge request state to list (GitLab API `state`), e.g. `opened`.', { examples: ['opened', 'merged', 'closed', 'all'] }),
      insecure: bool('Skip TLS verification.', false), caRef: caRef(),
    }, ['project']),
    gitea: obj('Gitea.', {
      owner: str('Repository owner.'), repo: str('Repository name.'), api: str('Gitea URL.'), tokenRef: secretRef('Secret with a token.'),
      insecure: bool('Skip TLS verification.', false), labels: labels(),
    }, ['api', 'owner', 'repo']),
    bitbucketServer: obj('Bitbucket Server.', {
      project: str('Project key.'), repo: str('Repository slug.'), api: str('Server URL.'), basicAuth: basicAuth(), bearerToken: bearerToken(),
      insecure: bool('Skip TLS verification.', false), caRef: caRef(),
    }, ['api', 'project', 'repo']),
    bitbucket: obj('Bitbucket Cloud.', {
      owner: str('Workspace.'), repo: str('Repository slug.'), api: str('API URL; defaults to https://api.bitbucket.org/2.0.'),
      basicAuth: basicAuth(), bearerToken: bearerToken(),
    }, ['owner', 'repo']),
    azuredevops: obj('Azure DevOps (note the lower-case key `azuredevops`).', {
      organization: str('Organization.'), project: str('Project.'), repo: str('Repository.'), api: str('API URL.'),
      tokenRef: secretRef('Secret with a token.'), labels: labels(),
    }, ['organization', 'project', 'repo']),
    filters: list(obj('A filter: a pull request must pass every condition of at least one filter.', {
      branchMatch: str('Regular expression on the source branch.'),
      targetBranchMatch: str('Regular expression on the target branch.'),
      titleMatch: str('Regular expression on the title.'),
    }), 'Filters on pull requests.'),
    continueOnRepoNotFoundError: bool('Produce no parameters (instead of an error) when the repository does not exist.', false),
    requeueAfterSeconds: requeue(),
    values: values(),
    template: template(),
  });

  defs.pluginGenerator = obj('Parameter sets from an HTTP plugin service described by a ConfigMap.', {
    configMapRef: obj('ConfigMap with the plugin\'s `baseUrl` and `token`.', { name: str('Name of the ConfigMap.') }, ['name']),
    input: obj('Input sent to the plugin.', { parameters: { type: 'object', ...doc('Any parameters (any YAML values).'), additionalProperties: true } }),
    requeueAfterSeconds: requeue(),
    values: values(),
    template: template(),
  }, ['configMapRef']);

  const common = (): Record<string, Schema> => ({
    list: ref('listGenerator'),
    clusters: ref('clusterGenerator'),
    git: ref('gitGenerator'),
    scmProvider: ref('scmProviderGenerator'),
    clusterDecisionResource: ref('clusterDecisionResourceGenerator'),
    pullRequest: ref('pullRequestGenerator'),
    plugin: ref('pluginGenerator'),
    selector: ref('labelSelector', doc('Keep only the parameter sets whose (flattened) parameters match this label selector.')),
  });
  const generatorText = 'A generator: one generator type per list item (plus an optional `selector`).';

  const matrix = (children: string, text: string): Schema =>
    obj(text, {
      generators: list(ref(children), 'Exactly two generators; the second may use the first\'s parameters in its string fields.', { minItems: 2, maxItems: 2 }),
      template: template(),
    }, ['generators']);
  const merge = (children: string, text: string): Schema =>
    obj(text, {
      generators: list(ref(children), 'Two or more generators; the first is the base.', { minItems: 2 }),
      mergeKeys: strings('Parameters whose values identify the same set across generators (top-level keys; nested keys only without goTemplate).', { minItems: 1 }),
      template: template(),
    }, ['generators', 'mergeKeys']);

  defs.generator = obj(generatorText, {
    ...common(),
    matrix: ref('matrixGenerator'),
    merge: ref('mergeGenerator'),
  });
  defs.matrixGenerator = matrix('nestedGenerator', 'Every combination of the parameter sets of two generators (their parameters merged).');
  defs.mergeGenerator = merge('nestedGenerator', 'The first generator\'s parameter sets, overridden by sets of later generators with equal `mergeKeys` values.');
  defs.nestedGenerator = obj(`${generatorText} Inside a matrix or merge: may hold one more level of matrix/merge.`, {
    ...common(),
    matrix: ref('nestedMatrixGenerator'),
    merge: ref('nestedMergeGenerator'),
  });
  defs.nestedMatrixGenerator = matrix('terminalGenerator', 'A matrix inside a matrix/merge (the deepest level Argo CD allows).');
  defs.nestedMergeGenerator = merge('terminalGenerator', 'A merge inside a matrix/merge (the deepest level Argo CD allows).');
  const tooDeep =
    'Argo CD nests matrix/merge generators only two levels deep; at this third level it ignores the generator and fails with "child generator generated no parameters".';
  defs.terminalGenerator = obj(`${generatorText} At the second nesting level: no further matrix/merge.`, {
    ...common(),
    matrix: { not: {}, description: tooDeep, errorMessage: tooDeep, doNotSuggest: true },
    merge: { not: {}, description: tooDeep, errorMessage: tooDeep, doNotSuggest: true },
  });

  const matchExpression = obj('A label requirement on the generated Applications.', {
    key: str('Label key.'),
    operator: choice('plain', ['In', 'NotIn'], 'How the label is compared (RollingSync supports `In` and `NotIn`).'),
    values: strings('Label values.'),
  });

  defs.applicationSetSpec = obj('The desired state of the ApplicationSet: generators produce parameter sets, each rendering `template` into one Application.', {
    goTemplate: bool('Render templates with Go `text/template` (+ sprig): `{{.path.basename}}`. Without it, the legacy `{{path.basename}}` substitution is used.', false),
    goTemplateOptions: strings(
      'Go template options; `missingkey=error` makes a reference to a missing parameter an error instead of `<no value>`.',
      { examples: [['missingkey=error']] },
      choice('plain', ['missingkey=error', 'missingkey=zero', 'missingkey=default', 'missingkey=invalid'], 'A Go `text/template` option.', {
        enumDescriptions: [
          'A missing parameter stops rendering with an error (recommended).',
          'A missing parameter renders as the zero value.',
          'A missing parameter renders as `<no value>` (the default).',
          'Same as `missingkey=default`.',
        ],
      }),
    ),
    generators: list(ref('generator'), 'Generators; the Applications of all of them are combined.'),
    template: ref(`${APP}applicationTemplateTemplated`),
    templatePatch: str(
      'A YAML/JSON strategic-merge patch, rendered like the template, applied to each generated Application. Use it for non-string fields that depend on parameters (e.g. `automated` only for some apps). `spec.project` cannot be patched. Needs `goTemplate: true`.',
    ),
    syncPolicy: obj('What the controller may do to the Applications it generated.', {
      applicationsSync: choice('plain', ['create-only', 'create-update', 'create-delete', 'sync'], 'Which changes to generated Applications the controller makes (`sync`, the default, makes all). The controller flag `--policy` wins unless policy override is enabled.', {
        default: 'sync',
        enumDescriptions: ['Create only; never update or delete.', 'Create and update; never delete.', 'Create and delete; never update.', 'Create, update and delete (default).'],
      }),
      preserveResourcesOnDeletion: bool('Keep the Applications\' resources in the cluster when the ApplicationSet (and so its Applications) is deleted: no resources finalizer is added.', false),
    }),
    strategy: obj('How changes roll out to the generated Applications (progressive syncs need the controller flag `--enable-progressive-syncs`).', {
      type: choice('plain', ['AllAtOnce', 'RollingSync'], 'Roll-out strategy.', { default: 'AllAtOnce' }),
      rollingSync: obj('Sync Applications in steps, each step waiting for the previous one to be Healthy. Turns auto-sync off on the generated Applications.', {
        steps: list(obj('A step: the Applications matching all expressions.', {
          matchExpressions: list(matchExpression, 'Label requirements.'),
          maxUpdate: intOrString('plain', '^[0-9]+%?$', 'maxUpdate is a number or a percentage such as `25%`', 'How many Applications of the step sync at once: a number or a percentage (default: all).'),
        }), 'The steps, in order.'),
      }),
      deletionOrder: choice('plain', ['AllAtOnce', 'Reverse'], '`Reverse` deletes Applications in the reverse order of the RollingSync steps (needs `type: RollingSync`).', { default: 'AllAtOnce' }),
    }),
    preservedFields: obj('Annotations and labels of generated Applications that the controller leaves as they are in the cluster.', {
      annotations: strings('Annotation keys.'),
      labels: strings('Label keys.'),
    }),
    ignoreApplicationDifferences: list(obj('Fields of generated Applications the controller does not overwrite.', {
      name: str('Application name; omit for all.'),
      jsonPointers: strings('JSON pointers, e.g. `/spec/source/targetRevision`.'),
      jqPathExpressions: strings('jq path expressions.'),
    }), 'Differences between generated and live Applications to leave alone.'),
    applyNestedSelectors: deprecated(bool('Apply `selector`s of generators nested in matrix/merge.'), 'ignored: Argo CD always applies the selectors of nested generators.'),
  }, ['generators', 'template']);

  return defs;
}
