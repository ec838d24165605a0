/**
 * Argo CD's AppProject (argoproj.io/v1alpha1). Facts: ../shared/reference/argocd-facts.md §0;
 * Argo CD docs user-guide/projects.md, user-guide/sync_windows.md.
 */
import { DURATION_PATTERN, Schema, bool, choice, int, list, obj, shaped, str, strings } from './dsl';

export function appProjectSpecDef(): Schema {
  const clusterResource = obj('A cluster-scoped resource kind.', {
    group: str('API group; `*` for all, empty for the core group.'),
    kind: str('Kind; `*` for all.'),
    name: str('Resource name (glob); omit for all.'),
  }, ['group', 'kind']);
  const namespaceResource = obj('A namespaced resource kind.', {
    group: str('API group; `*` for all, empty for the core group.'),
    kind: str('Kind; `*` for all.'),
  }, ['group', 'kind']);
  const jwtToken = obj('A token issued for the role.', {
    iat: int('Issued at (Unix seconds).'),
    exp: int('Expires at (Unix seconds).'),
    id: str('Token id.'),
  }, ['iat']);

  return obj('What Applications in this project may deploy, from where, to where, and when.', {
    description: str('Free text shown in the UI.'),
    sourceRepos: strings('Repositories Applications may use (globs; `*` for any).', { examples: [['*']] }),
    sourceNamespaces: strings('Namespaces (globs) Applications of this project may live in, besides the Argo CD namespace (apps-in-any-namespace).'),
    destinations: list(obj('A cluster/namespace pair Applications may deploy to (globs, `!` negates).', {
      server: str('Cluster API URL (glob).'),
      name: str('Cluster name (glob).'),
      namespace: str('Namespace (glob).'),
    }), 'Allowed destinations.'),
    destinationServiceAccounts: list(obj('Service account Argo CD impersonates when syncing to a destination.', {
      server: str('Cluster API URL (glob).'),
      namespace: str('Namespace (glob).'),
      defaultServiceAccount: str('Service account to impersonate (`namespace:name` or `name`).'),
    }, ['defaultServiceAccount', 'server']), 'Sync impersonation (needs `application.sync.impersonation.enabled`).'),
    clusterResourceWhitelist: list(clusterResource, 'Cluster-scoped kinds Applications may deploy (none by default).'),
    clusterResourceBlacklist: list(clusterResource, 'Cluster-scoped kinds Applications may not deploy.'),
    namespaceResourceWhitelist: list(namespaceResource, 'Namespaced kinds Applications may deploy (all by default).'),
    namespaceResourceBlacklist: list(namespaceResource, 'Namespaced kinds Applications may not deploy.'),
    roles: list(obj('A project role for RBAC and API tokens.', {
      name: str('Role name.'),
      description: str('Free text.'),
      policies: strings('Casbin policy lines, e.g. `p, proj:<project>:<role>, applications, sync, <project>/*, allow`.'),
      groups: strings('SSO groups bound to the role.'),
      jwtTokens: list(jwtToken, 'Tokens issued for the role (managed by Argo CD).'),
    }, ['name']), 'Project roles.'),
    syncWindows: list(obj('A time window allowing or denying syncs.', {
      kind: choice('plain', ['allow', 'deny'], 'Whether syncs are allowed or denied during the window.'),
      schedule: str('Cron expression for the window start, e.g. `10 1 * * *`.'),
      duration: shaped('plain', DURATION_PATTERN, 'a duration such as `1h` or `30m`', 'Length of the window, e.g. `1h`.'),
      applications: strings('Applications (globs) the window applies to.'),
      namespaces: strings('Destination namespaces (globs) the window applies to.'),
      clusters: strings('Destination clusters (globs) the window applies to.'),
      manualSync: bool('Allow manual syncs during a deny window.', false),
      timeZone: str('IANA time zone of `schedule`, e.g. `Europe/Zurich`; default UTC.'),
      andOperator: bool('Require all of applications/namespaces/clusters to match instead of any.', false),
      syncOverrun: bool('Let a sync that started in an allow window run past its end.', false),
      description: str('Free text.'),
    }), 'Sync windows.'),
    signatureKeys: list(obj('A GnuPG key.', { keyID: str('Key id.') }, ['keyID']), 'Only sync commits signed with one of these keys.'),
    sourceIntegrity: obj('Source integrity verification.', {
      git: obj('Git commit verification.', {
        policies: list(obj('A verification policy for some repositories.', {
          repos: list(obj('A repository.', { url: str('Repository URL (glob).') }, ['url']), 'Repositories the policy applies to.'),
          gpg: obj('GnuPG verification.', {
            mode: str('Verification mode.'),
            keys: strings('Key ids.'),
          }, ['keys', 'mode']),
        }, ['gpg', 'repos']), 'Policies.'),
      }, ['policies']),
    }, ['git']),
    orphanedResources: obj('Report resources in the destination namespaces that no Application owns.', {
      warn: bool('Show a warning condition on Applications with orphaned resources.', true),
      ignore: list(obj('Resources not reported.', {
        group: str('API group.'),
        kind: str('Kind.'),
        name: str('Name (glob).'),
      }), 'Resources to ignore.'),
    }),
    permitOnlyProjectScopedClusters: bool('Allow only clusters scoped to this project as destinations.', false),
  });
}
