/**
 * Extension entry point: starts the language server, the tree view, the status bar and the
 * commands, and wires them together. Everything that touches VS Code lives under src/extension;
 * the engine is in src/core.
 */
import * as vscode from 'vscode';
import type { ConnectionStatus } from '../core/status/statusModel';
import { RenderPreviews } from './renderPreview';
import { AppTreeProvider } from './appTreeProvider';
import { ArgoConnection } from './argoConnection';
import { registerCommands } from './commands';
import { Config } from './config';
import { SettingsGuard } from './settingsGuard';
import { OUTPUT_CHANNEL_NAME, SETTINGS, VIEWS } from './constants';
import { loadLazy } from './lazy/load';
import type { HomeOpsServer } from './serverClient';
import { StatusBar } from './statusBar';
import { watchRedHatYaml } from './redHatYaml';
import { offerWalkthroughOnce } from './walkthrough';

/** What the extension exports: integration tests drive it through this, not its modules. */
export interface HomeOpsApi {
  /** Resolves when the language server runs and the tree has its first model. */
  readonly ready: Promise<void>;
  /** The tree's current nodes (for tests). */
  treeSnapshot(): unknown;
}

export function activate(context: vscode.ExtensionContext): HomeOpsApi {
  const started = Date.now();
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  const config = new Config(context.globalState);
  const guard = new SettingsGuard(config, log);
  const connection = new ArgoConnection(context.secrets, config, guard, log, () => loadLazy(context).readArgoCdCliConfig);
  const tree = new AppTreeProvider(connection);
  const statusBar = new StatusBar();
  const view = vscode.window.createTreeView(VIEWS.apps, { treeDataProvider: tree, showCollapseAll: true });
  // Deferred to the next turn: activate() returns first, then the client library is parsed.
  const serverReady = new Promise<HomeOpsServer>((resolve, reject) =>
    setImmediate(() => {
      try {
        const lazy = loadLazy(context);
        resolve(new lazy.HomeOpsServer(lazy.createLanguageClient(context, log, (raw) => guard.serverSettings(raw))));
      } catch (e) {
        reject(e);
      }
    }),
  );
  const previews = new RenderPreviews(serverReady, tree, log);
  context.subscriptions.push(log, connection, tree, statusBar, view, previews);

  const reloadModel = async (): Promise<void> => {
    const server = await serverReady;
    if (!server.client.isRunning()) return;
    tree.setModels(await server.request('model'));
  };
  context.subscriptions.push(
    tree.onDidChangeSummary((summary) => statusBar.update(summary, connection.connectionStatus)),
    connection.onDidChange(() => {
      tree.scheduleRefresh();
      view.message = connectionMessage(connection.connectionStatus);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SETTINGS.section}.status`) || e.affectsConfiguration(`${SETTINGS.section}.argocd`) || e.affectsConfiguration(`${SETTINGS.section}.kubectl`)) void connection.connectSilently();
    }),
    ...registerCommands({ server: serverReady, previews, tree, connection, reloadModel, log }),
    // The server refuses to run binaries until the workspace is trusted.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void serverReady.then((s) => s.notify('trustGranted'))),
    // Files with a `$schema` modeline are left to Red Hat YAML only while it validates.
    watchRedHatYaml((active) => void serverReady.then((s) => s.notify('redHatYaml', { active }))),
  );

  const ready = (async () => {
    const server = await serverReady;
    context.subscriptions.push(server.client);
    await server.client.start();
    context.subscriptions.push(server.onNotification('modelChanged', () => void reloadModel()));
    await reloadModel();
    tree.refreshNow();
    if (config.openWalkthrough) await offerWalkthroughOnce(context.workspaceState, tree.hasRepository());
    void connection.connectSilently();
    log.info(`Home-Ops activated; first model after ${Date.now() - started} ms`);
  })();
  ready.catch((e: unknown) => log.error(`Home-Ops could not start: ${String(e)}`));
  log.info(`Home-Ops activate() returned after ${Date.now() - started} ms`);
  return { ready, treeSnapshot: () => tree.getChildren() };
}

/** What the view says above the tree while status is not live, so stale never passes for live. */
function connectionMessage(status: ConnectionStatus | undefined): string | undefined {
  if (!status || status.state === 'live') return undefined;
  switch (status.state) {
    case 'connecting':
      return 'Connecting to Argo CD…';
    case 'reconnecting':
      return `Reconnecting to Argo CD — status shown is stale${status.message ? ` (${status.message})` : ''}.`;
    case 'unauthorized':
      return 'Argo CD refused the token — status shown is stale. Run "Home-Ops: Connect to Argo CD…".';
    case 'error':
      return `Cannot read status: ${status.message ?? 'error'}. Status shown is stale.`;
    default:
      return 'Disconnected — status shown is stale.';
  }
}

export function deactivate(): void {
  // Everything is in context.subscriptions; VS Code disposes it, which stops the server.
}
