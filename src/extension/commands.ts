/** Command registrations; each returns its Disposable to the caller, which owns it. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AppNode, CategoryNode, NoteNode, TreeNode } from '../core/tree/appTree';
import type { AppTreeProvider } from './appTreeProvider';
import type { ArgoConnection } from './argoConnection';
import { COMMANDS, CONTEXT, VIEWS } from './constants';
import { addApp, addCategory } from './scaffoldCommands';
import type { RenderPreviews } from './renderPreview';
import type { HomeOpsServer } from './serverClient';
import { KUSTOMIZATION_FILE_NAMES } from '../core/yaml/classify';
import { openWalkthrough } from './walkthrough';
import type { FetchChartsCommandArgs } from '../shared/protocol';

export interface CommandDeps {
  /** The language server's protocol, once the client is loaded (see serverClient.ts). */
  server: Promise<HomeOpsServer>;
  previews: RenderPreviews;
  tree: AppTreeProvider;
  connection: ArgoConnection;
  reloadModel: () => Promise<void>;
  log: vscode.LogOutputChannel;
}


function appFolder(deps: CommandDeps, node: AppNode): string | undefined {
  const root = deps.tree.rootFor(node);
  return root && node.app?.path ? path.join(root, node.app.path) : undefined;
}

async function openFile(file: string, line = 0): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const pos = new vscode.Position(Math.max(0, line), 0);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: true });
}

function appArg(deps: CommandDeps, arg: unknown): AppNode | undefined {
  if (arg && typeof arg === 'object' && (arg as TreeNode).kind === 'app') return arg as AppNode;
  if (typeof arg === 'string') return deps.tree.findApp(arg);
  return undefined;
}

/**
 * Fetch Charts (palette: every chart the values files need; a code action: the one it names),
 * in the language server, which has the model and runs helm; one message with the outcome.
 */
async function fetchCharts(deps: CommandDeps, arg: FetchChartsCommandArgs | undefined): Promise<void> {
  const params: FetchChartsCommandArgs = arg && typeof arg === 'object' ? arg : {};
  const what = params.charts?.length === 1 ? `chart ${params.charts[0]?.name} ${params.charts[0]?.version}` : 'charts';
  try {
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Fetching ${what}…` }, async () => (await deps.server).request('fetchCharts', params));
    if (r.refused) {
      void vscode.window.showWarningMessage(r.refused);
      return;
    }
    for (const f of r.failed) deps.log.warn(`Could not fetch ${f.chart}: ${f.message}`);
    const done = r.pulled.length + r.cached.length;
    if (r.failed.length > 0) {
      const first = r.failed[0];
      void vscode.window.showWarningMessage(`Could not fetch ${r.failed.length === 1 ? first?.chart : `${r.failed.length} charts`}: ${first?.message.split('\n')[0] ?? ''}${done ? ` (${done} fetched)` : ''}. Their values stay unchecked; the Home-Ops log has the details.`);
    } else void vscode.window.showInformationMessage(done === 0 ? 'Every chart the values files need is already there.' : `Fetched ${done === 1 ? (r.pulled[0] ?? r.cached[0]) : `${done} charts`} into the chart cache; the values files are checked against ${done === 1 ? 'it' : 'them'}.`);
  } catch (e) {
    deps.log.error(String(e));
    void vscode.window.showErrorMessage((e as Error).message);
  }
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { tree, connection, log } = deps;
  const withApp = (fn: (node: AppNode) => unknown) => async (arg: unknown) => {
    const node = appArg(deps, arg);
    if (!node) {
      void vscode.window.showInformationMessage('Select an app in the Home-Ops view first.');
      return;
    }
    try {
      await fn(node);
    } catch (e) {
      log.error(`${String(e)}`);
      void vscode.window.showErrorMessage((e as Error).message);
    }
  };
  return [
    vscode.commands.registerCommand(COMMANDS.showLog, () => log.show()),
    vscode.commands.registerCommand(COMMANDS.focusView, () => vscode.commands.executeCommand(`${VIEWS.apps}.focus`)),
    vscode.commands.registerCommand(COMMANDS.openWalkthrough, () => openWalkthrough()),
    vscode.commands.registerCommand(COMMANDS.fetchCharts, (arg?: FetchChartsCommandArgs) => fetchCharts(deps, arg)),
    vscode.commands.registerCommand(COMMANDS.refreshTree, () => deps.reloadModel()),
    vscode.commands.registerCommand(COMMANDS.showProblemsOnly, async () => {
      tree.setProblemsOnly(true);
      await vscode.commands.executeCommand('setContext', CONTEXT.problemsOnly, true);
    }),
    vscode.commands.registerCommand(COMMANDS.showAll, async () => {
      tree.setProblemsOnly(false);
      await vscode.commands.executeCommand('setContext', CONTEXT.problemsOnly, false);
    }),
    vscode.commands.registerCommand(COMMANDS.connect, () => connection.connectInteractively()),
    vscode.commands.registerCommand(COMMANDS.addApp, async (arg: unknown) => addApp(await deps.server, arg, log)),
    vscode.commands.registerCommand(COMMANDS.addCategory, async () => addCategory(await deps.server, log)),
    vscode.commands.registerCommand(COMMANDS.previewRender, (arg: unknown) => deps.previews.preview(arg)),
    vscode.commands.registerCommand(COMMANDS.diffRender, (arg: unknown) => deps.previews.diff(arg)),
    vscode.commands.registerCommand(COMMANDS.diffChangedApps, () => deps.previews.diffChanged()),
    vscode.commands.registerCommand(COMMANDS.checkTools, () => deps.previews.checkTools()),
    vscode.commands.registerCommand(COMMANDS.disconnect, async () => {
      const choice = await vscode.window.showQuickPick(['Disconnect', 'Disconnect and forget the token'], { title: 'Disconnect Home-Ops from Argo CD' });
      if (choice) await connection.disconnect(choice !== 'Disconnect');
    }),
    vscode.commands.registerCommand(
      COMMANDS.openApp,
      withApp(async (node) => {
        const root = deps.tree.rootFor(node);
        if (node.app?.file && root) return openFile(path.join(root, node.app.file), (node.app.line ?? 1) - 1);
        const folder = appFolder(deps, node);
        if (!folder) return;
        const k = KUSTOMIZATION_FILE_NAMES.map((n) => path.join(folder, n)).find((f) => fs.existsSync(f));
        if (k) return openFile(k);
        await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(folder));
      }),
    ),
    vscode.commands.registerCommand(
      COMMANDS.openValues,
      withApp(async (node) => {
        const folder = appFolder(deps, node);
        const values = folder && ['values.yaml', 'values.yml'].map((n) => path.join(folder, n)).find((f) => fs.existsSync(f));
        if (!values) throw new Error(`${node.name} has no values.yaml in its folder.`);
        await openFile(values);
      }),
    ),
    vscode.commands.registerCommand(
      COMMANDS.revealFolder,
      withApp(async (node) => {
        const folder = appFolder(deps, node);
        if (folder) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(folder));
      }),
    ),
    vscode.commands.registerCommand(COMMANDS.openAppSet, async (arg: unknown) => {
      const node = arg as CategoryNode | AppNode | NoteNode | undefined;
      const ref = node?.kind === 'category' ? node.appset : node?.kind === 'app' ? node.app?.appset : node?.kind === 'note' && node.file && node.line ? { file: node.file, line: node.line } : undefined;
      const root = node?.kind === 'app' ? tree.rootFor(node) : undefined;
      const base = root ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      if (ref && base) await openFile(path.join(base, ref.file), ref.line - 1);
    }),
    vscode.commands.registerCommand(
      COMMANDS.copyName,
      withApp(async (node) => {
        await vscode.env.clipboard.writeText(node.name);
        vscode.window.setStatusBarMessage(`Copied ${node.name}`, 2000);
      }),
    ),
    vscode.commands.registerCommand(
      COMMANDS.refreshApp,
      withApp((node) => vscode.window.withProgress({ location: { viewId: VIEWS.apps } }, () => connection.refresh(node, false))),
    ),
    vscode.commands.registerCommand(
      COMMANDS.hardRefreshApp,
      withApp((node) => vscode.window.withProgress({ location: { viewId: VIEWS.apps } }, () => connection.refresh(node, true))),
    ),
    vscode.commands.registerCommand(
      COMMANDS.syncApp,
      withApp(async (node) => {
        const options = [
          { label: 'Sync', prune: false, dryRun: false },
          { label: 'Sync and prune', description: 'also delete resources no longer in Git', prune: true, dryRun: false },
          { label: 'Dry run', description: 'show what a sync would do, change nothing', prune: false, dryRun: true },
        ];
        const pick = await vscode.window.showQuickPick(options, { title: `Sync ${node.name}?`, placeHolder: 'Argo CD applies the repository state to the cluster' });
        if (!pick) return;
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${pick.label}: ${node.name}` }, () => connection.sync(node, pick));
      }),
    ),
    vscode.commands.registerCommand(
      COMMANDS.openInArgoCd,
      withApp(async (node) => {
        const url = connection.webUrl(node);
        if (!url) throw new Error('Connect to an Argo CD server first (Home-Ops: Connect to Argo CD).');
        await vscode.env.openExternal(vscode.Uri.parse(url));
      }),
    ),
  ];
}
