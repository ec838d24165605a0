/**
 * Every command id, view id, context key, setting and secret key the extension uses, in one
 * place; a unit test checks that package.json contributes exactly these commands and settings.
 */
export const COMMANDS = {
  showLog: 'homeOps.showLog',
  refreshTree: 'homeOps.refreshTree',
  showProblemsOnly: 'homeOps.showProblemsOnly',
  showAll: 'homeOps.showAll',
  connect: 'homeOps.connect',
  disconnect: 'homeOps.disconnect',
  openApp: 'homeOps.openApp',
  openValues: 'homeOps.openValues',
  /** Also run by the server's "Fetch chart X" code actions (src/server/features), with FetchChartsCommandArgs. */
  fetchCharts: 'homeOps.fetchCharts',
  revealFolder: 'homeOps.revealFolder',
  openAppSet: 'homeOps.openAppSet',
  copyName: 'homeOps.copyName',
  refreshApp: 'homeOps.refreshApp',
  hardRefreshApp: 'homeOps.hardRefreshApp',
  syncApp: 'homeOps.syncApp',
  openInArgoCd: 'homeOps.openInArgoCd',
  focusView: 'homeOps.focusView',
  openWalkthrough: 'homeOps.openWalkthrough',
  addApp: 'homeOps.addApp',
  previewRender: 'homeOps.previewRender',
  diffRender: 'homeOps.diffRender',
  diffChangedApps: 'homeOps.diffChangedApps',
  checkTools: 'homeOps.checkTools',
  addCategory: 'homeOps.addCategory',
} as const;

export const VIEWS = {
  container: 'homeOps',
  apps: 'homeOps.apps',
} as const;

/** Context keys for `when` clauses. */
export const CONTEXT = {
  connected: 'homeOps.connected',
  problemsOnly: 'homeOps.problemsOnly',
} as const;

export const SETTINGS = {
  section: 'homeOps',
  exclude: 'homeOps.exclude',
  openWalkthrough: 'homeOps.openWalkthrough',
  rules: 'homeOps.rules',
  schemaValidation: 'homeOps.schemaValidation',
  chartsFetch: 'homeOps.charts.fetch',
  statusSource: 'homeOps.status.source',
  argocdServer: 'homeOps.argocd.server',
  argocdInsecureServers: 'homeOps.argocd.insecureServers',
  argocdNamespace: 'homeOps.argocd.applicationNamespace',
  kubeconfig: 'homeOps.kubectl.kubeconfig',
  kubeContext: 'homeOps.kubectl.context',
  kubectlPath: 'homeOps.kubectl.path',
  renderHelmPath: 'homeOps.render.helmPath',
  renderKustomizePath: 'homeOps.render.kustomizePath',
  renderBuildOptions: 'homeOps.render.buildOptions',
  renderAllowedBuildOptions: 'homeOps.render.allowedBuildOptions',
  renderTimeoutSeconds: 'homeOps.render.timeoutSeconds',
} as const;

/** SecretStorage key of the token for one Argo CD server URL. */
export function tokenSecretKey(server: string): string {
  return `homeOps.argocd.token:${server}`;
}

export const OUTPUT_CHANNEL_NAME = 'Home-Ops';

/** Other extensions Home-Ops adapts to. */
export const OTHER_EXTENSIONS = {
  /** Red Hat YAML: validates files against the schema their `$schema` modeline names. */
  redHatYaml: 'redhat.vscode-yaml',
} as const;

/** Settings of other extensions Home-Ops reads. */
export const OTHER_SETTINGS = {
  /** Red Hat YAML's switch for all its validation (default true). */
  redHatYamlValidate: 'yaml.validate',
} as const;
