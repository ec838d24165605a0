/** How tree nodes look: labels, ThemeIcons with colours, tooltips, context values for menus. */
import * as vscode from 'vscode';
import { appCount, type AppNode, type CategoryNode, type ClusterNode, type GroupNode, type NoteNode, type TreeNode } from '../core/tree/appTree';
import type { AppStatus } from '../core/status/types';
import { COMMANDS } from './constants';

function healthIcon(status: AppStatus): vscode.ThemeIcon {
  if (status.operation?.phase === 'Running' || status.operation?.phase === 'Terminating') return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue'));
  switch (status.health) {
    case 'Healthy':
      return status.sync === 'Synced'
        ? new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'))
        : new vscode.ThemeIcon('arrow-circle-up', new vscode.ThemeColor('charts.yellow'));
    case 'Progressing':
      return new vscode.ThemeIcon('loading~spin', new vscode.ThemeColor('charts.blue'));
    case 'Degraded':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'Suspended':
      return new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('charts.purple'));
    case 'Missing':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('charts.orange'));
    default:
      return new vscode.ThemeIcon('question', new vscode.ThemeColor('disabledForeground'));
  }
}

function statusText(s: AppStatus): string {
  const op = s.operation && s.operation.phase !== 'Succeeded' ? ` · ${s.operation.phase}` : '';
  return `${s.sync} · ${s.health}${op}`;
}

function appTooltip(node: AppNode, serverLabel: string | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${node.name}**\n\n`);
  const app = node.app;
  if (app?.namespace) md.appendMarkdown(`Namespace: \`${app.namespace}\`  \n`);
  if (app?.project) md.appendMarkdown(`Project: \`${app.project}\`  \n`);
  if (app?.path) md.appendMarkdown(`Path: \`${app.path}\`  \n`);
  if (app?.appset) md.appendMarkdown(`ApplicationSet: \`${app.appset.name}\` (${app.appset.file}:${app.appset.line})  \n`);
  const s = node.status;
  if (node.presence === 'not-deployed') md.appendMarkdown(`\n$(cloud-upload) Not deployed: Argo CD${serverLabel ? ` (${serverLabel})` : ''} has no Application of this name.\n`);
  if (node.presence === 'not-in-repo') md.appendMarkdown('\n$(question) Not in repository: Argo CD has this Application, but no manifest in this workspace generates it.\n');
  if (node.ownerMismatch) {
    const live = node.ownerMismatch.live ? `ApplicationSet \`${node.ownerMismatch.live}\`` : 'no ApplicationSet';
    const repo = node.ownerMismatch.repository ? `ApplicationSet \`${node.ownerMismatch.repository}\`` : 'a standalone manifest';
    md.appendMarkdown(`\n$(warning) In Argo CD this Application belongs to ${live}; the repository generates it from ${repo}.\n`);
  }
  if (s) {
    md.appendMarkdown(`\n${node.stale ? '$(history) **Last known status (not live)**' : '**Status**'}: ${statusText(s)}  \n`);
    const revision = s.revision ?? s.revisions.join(', ');
    if (revision) md.appendMarkdown(`Revision: \`${revision.slice(0, 12)}\`  \n`);
    if (s.reconciledAt) md.appendMarkdown(`Reconciled: ${s.reconciledAt}  \n`);
    if (s.healthMessage) md.appendMarkdown(`Health: ${escape(s.healthMessage)}  \n`);
    if (s.operation) md.appendMarkdown(`Operation: ${s.operation.phase}${s.operation.message ? ` — ${escape(s.operation.message)}` : ''}  \n`);
    for (const c of s.conditions) md.appendMarkdown(`$(warning) ${c.type}: ${escape(c.message)}  \n`);
  }
  return md;
}

function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

export function toTreeItem(node: TreeNode, serverLabel: string | undefined): vscode.TreeItem {
  switch (node.kind) {
    case 'cluster':
      return clusterItem(node);
    case 'category':
      return categoryItem(node);
    case 'group':
      return groupItem(node);
    case 'note':
      return noteItem(node);
    default:
      return appItem(node, serverLabel);
  }
}

function clusterItem(node: ClusterNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = node.id;
  item.iconPath = new vscode.ThemeIcon('server-environment');
  item.contextValue = 'cluster';
  return item;
}

/** `12`, or `3 of 12` with the problems-only filter. */
function countText(node: CategoryNode | GroupNode): string {
  const shown = appCount(node);
  return node.total !== undefined && node.total !== shown ? `${shown} of ${node.total}` : `${shown}`;
}

function categoryItem(node: CategoryNode): vscode.TreeItem {
  const apps = appCount(node);
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.id;
  item.description = countText(node);
  item.iconPath = new vscode.ThemeIcon(apps === 0 ? 'warning' : 'folder-library', apps === 0 ? new vscode.ThemeColor('list.warningForeground') : undefined);
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(node.label)}** — ${apps} app${apps === 1 ? '' : 's'}\n\n`);
  if (node.generators) md.appendMarkdown(`Generator: \`${node.generators}\`  \n`);
  if (node.description && node.description !== node.generators) md.appendMarkdown(`Path: \`${node.description}\`  \n`);
  if (node.appset) md.appendMarkdown(`ApplicationSet \`${node.appset.name}\` in ${node.appset.file}:${node.appset.line}\n`);
  const notes = node.children.filter((c): c is NoteNode => c.kind === 'note');
  if (notes.length > 0) md.appendMarkdown(`\n$(warning) No app: ${notes.map((n) => escape(n.detail ?? n.message)).join('  \n')}\n`);
  item.tooltip = md;
  item.contextValue = node.appset ? 'category.appset' : 'category';
  return item;
}

function noteItem(node: NoteNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.iconPath = new vscode.ThemeIcon('info');
  item.tooltip = `${node.detail ?? node.message}${node.file ? `\n\n${node.file}:${node.line ?? 1}` : ''}`;
  item.contextValue = 'note';
  if (node.file) item.command = { command: COMMANDS.openAppSet, title: 'Open', arguments: [node] };
  return item;
}

function groupItem(node: GroupNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `group:${node.id}`;
  item.description = countText(node);
  item.iconPath = new vscode.ThemeIcon(node.id === 'not-in-repo' ? 'cloud' : 'symbol-misc');
  item.contextValue = `group.${node.id}`;
  return item;
}

function appItem(node: AppNode, serverLabel: string | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  const parts: string[] = [];
  if (node.status) parts.push(statusText(node.status) + (node.stale ? ' (stale)' : ''));
  else if (node.presence === 'not-deployed') parts.push('Not deployed');
  // The namespace when it says something the category does not.
  if (node.app?.namespace && node.app.namespace !== node.category) parts.push(node.app.namespace);
  item.description = parts.join(' — ');
  if (node.status) item.iconPath = node.stale ? new vscode.ThemeIcon('history', new vscode.ThemeColor('disabledForeground')) : healthIcon(node.status);
  else if (node.presence === 'not-deployed') item.iconPath = new vscode.ThemeIcon('cloud-upload', new vscode.ThemeColor('disabledForeground'));
  else item.iconPath = new vscode.ThemeIcon('package');
  item.tooltip = appTooltip(node, serverLabel);
  const flags = ['app', node.presence, node.app?.path ? 'hasPath' : '', node.app?.appset ? 'hasAppSet' : '', node.status ? 'live' : ''].filter(Boolean);
  item.contextValue = flags.join('.');
  if (node.app?.path || node.app?.file) item.command = { command: COMMANDS.openApp, title: 'Open', arguments: [node] };
  return item;
}
