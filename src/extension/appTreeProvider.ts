/**
 * The Home-Ops tree view. The repository side comes from the language server (which owns the
 * model), the live side from the StatusModel; both can change many times a second, so refreshes
 * are coalesced to at most one per REFRESH_MS.
 */
import * as vscode from 'vscode';
import { buildAppTree, isContainer, problemsOnly, summarize, type AppNode, type LiveState, type StatusSummary, type TreeNode } from '../core/tree/appTree';
import type { AppStatus } from '../core/status/types';
import { Coalescer } from '../core/tree/coalescer';
import type { ModelResponse } from '../shared/protocol';
import { toTreeItem } from './treeItems';

/** At most ten refreshes a second, however fast events arrive. */
export const REFRESH_MS = 100;

export interface LiveStatusView {
  apps(): ReadonlyMap<string, AppStatus> | undefined;
  state(): LiveState;
  serverLabel(): string | undefined;
}

export class AppTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly summaryChanged = new vscode.EventEmitter<StatusSummary>();
  readonly onDidChangeSummary = this.summaryChanged.event;
  private models: ModelResponse[] = [];
  private roots: TreeNode[] = [];
  private filterProblems = false;
  private readonly refresher = new Coalescer(() => this.rebuild(), REFRESH_MS);
  private readonly parents = new Map<string, TreeNode>();

  constructor(private readonly live: LiveStatusView) {}

  setModels(models: ModelResponse[]): void {
    this.models = models;
    this.scheduleRefresh();
  }

  setProblemsOnly(on: boolean): void {
    this.filterProblems = on;
    this.refreshNow();
  }

  /** Coalesces bursts (a watch stream, a burst of file events) into one tree refresh. */
  scheduleRefresh(): void {
    this.refresher.schedule();
  }

  refreshNow(): void {
    this.refresher.runNow();
  }

  private rebuild(): void {
    const status = this.live.apps();
    const all = buildAppTree({
      appsets: this.models.flatMap((m) => m.appsets),
      apps: this.models.flatMap((m) => m.apps),
      ...(status ? { status } : {}),
      state: this.live.state(),
    });
    this.roots = this.filterProblems ? problemsOnly(all) : all;
    this.parents.clear();
    const index = (nodes: readonly TreeNode[], parent?: TreeNode): void => {
      for (const n of nodes) {
        if (parent) this.parents.set(n.id, parent);
        if (isContainer(n)) index(n.children, n);
      }
    };
    index(this.roots);
    this.summaryChanged.fire(summarize(all));
    this.changed.fire(undefined);
  }

  /** Where a workspace folder's model came from, to turn repository paths into URIs. */
  rootFor(node: AppNode): string | undefined {
    const key = node.app?.appset?.file ?? node.app?.file;
    return this.models.find((m) => m.apps.some((a) => a === node.app || (key !== undefined && (a.appset?.file ?? a.file) === key)))?.root ?? this.models[0]?.root;
  }

  /** Whether the workspace holds an ApplicationSet or Application (the walkthrough is for those). */
  hasRepository(): boolean {
    return this.models.some((m) => m.appsets.length > 0 || m.apps.length > 0);
  }

  /** Every app node of the current tree (filter applied), in tree order. */
  allApps(): AppNode[] {
    const out: AppNode[] = [];
    const visit = (nodes: readonly TreeNode[]): void => {
      for (const n of nodes) {
        if (n.kind === 'app') out.push(n);
        else if (isContainer(n)) visit(n.children);
      }
    };
    visit(this.roots);
    return out;
  }

  findApp(name: string): AppNode | undefined {
    const visit = (nodes: readonly TreeNode[]): AppNode | undefined => {
      for (const n of nodes) {
        if (n.kind === 'app' && n.name === name) return n;
        if (isContainer(n)) {
          const hit = visit(n.children);
          if (hit) return hit;
        }
      }
      return undefined;
    };
    return visit(this.roots);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return toTreeItem(node, this.live.serverLabel());
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.roots;
    return isContainer(node) ? node.children : [];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.parents.get(node.id);
  }

  dispose(): void {
    this.refresher.dispose();
    this.changed.dispose();
    this.summaryChanged.dispose();
  }
}
