/**
 * "Home-Ops: Preview Rendered Manifests", "Home-Ops: Diff Rendered Manifests…" and "Home-Ops:
 * Diff Rendered Manifests of Changed Apps…": read-only
 * YAML documents rendered by the server (kustomize/helm/plain directory, as Argo CD would), with
 * progress and Cancel, errors in the log and on the kustomization line they concern, and a
 * refresh when the app's files change.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AppNode } from '../core/tree/appTree';
import type { AppTreeProvider } from './appTreeProvider';
import type { RenderChangedApp, RenderDiffResponse, RenderErrorData, RenderResponse } from '../shared/protocol';
import type { HomeOpsServer } from './serverClient';

export const RENDER_SCHEME = 'home-ops-render';

/** File changes closer together than this re-render once. */
const REFRESH_DEBOUNCE_MS = 400;

interface Target {
  root: string;
  app: string;
  /** Repository-relative source path, for the refresh watcher. */
  path?: string;
}

interface UriState extends Target {
  side?: 'before' | 'after';
  revision?: string;
}

function toUri(state: UriState): vscode.Uri {
  const label = state.side ? `${state.app}@${state.side === 'before' ? state.revision : 'working tree'}` : state.app;
  return vscode.Uri.from({ scheme: RENDER_SCHEME, path: `/${label.replace(/[^\w.@-]+/g, '_')}.rendered.yaml`, query: JSON.stringify(state) });
}

function fromUri(uri: vscode.Uri): UriState {
  return JSON.parse(uri.query) as UriState;
}

/** The rendered objects' problems, as comment lines above the manifests (at most ten, then a count). */
function objectProblemsNote(problems: NonNullable<RenderResponse['objectProblems']>): string {
  if (problems.length === 0) return '';
  const shown = problems.slice(0, 10).map((p) => `${p.severity === 'error' ? 'Error' : 'Warning'}: ${p.object}: ${p.message}`);
  if (problems.length > 10) shown.push(`… and ${problems.length - 10} more (see the Problems view).`);
  return `${commentLines(shown.join('\n'))}\n`;
}

export class RenderPreviews implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('home-ops-render');
  /** Diff sides, rendered together by one request. */
  private readonly diffContent = new Map<string, string>();
  private readonly watchers = new Map<string, vscode.Disposable>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly serverReady: Promise<HomeOpsServer>,
    private readonly tree: AppTreeProvider,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      vscode.workspace.registerTextDocumentContentProvider(RENDER_SCHEME, this),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme !== RENDER_SCHEME) return;
        this.diagnostics.delete(doc.uri);
        this.watchers.get(doc.uri.toString())?.dispose();
        this.watchers.delete(doc.uri.toString());
        this.diffContent.delete(doc.uri.toString());
      }),
    );
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const stored = this.diffContent.get(uri.toString());
    if (stored !== undefined) return stored;
    const state = fromUri(uri);
    this.watch(uri, state);
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Rendering ${state.app}…`, cancellable: true }, async (_p, cancel) => {
      const source = new vscode.CancellationTokenSource();
      const subs = [token.onCancellationRequested(() => source.cancel()), cancel.onCancellationRequested(() => source.cancel())];
      try {
        const r = await (await this.serverReady).request('render', { root: state.root, app: state.app }, source.token);
        this.clearDiagnostic(state);
        if (r.namespaceWarning) this.showDiagnostic(state, r.namespaceWarning.location, `Render: ${r.namespaceWarning.message}`, vscode.DiagnosticSeverity.Warning);
        for (const w of r.warnings) this.log.warn(`${state.app}: ${w}`);
        this.log.info(`Rendered ${state.app} (${r.sourceType}, ${r.objectCount} objects, ${r.cached ? 'cached' : `${Math.round(r.durationMs)} ms`}): ${r.command}; build options from ${r.buildOptionsOrigin}`);
        if (r.buildOptionsRefused) this.log.warn(`${state.app}: ${r.buildOptionsRefused}`);
        if (r.toolsNote) this.log.warn(r.toolsNote);
        // Refused build options come first: the manifests below are not what the repository's options would give.
        const refused = r.buildOptionsRefused ? `${commentLines(r.buildOptionsRefused)}\n` : '';
        const note = r.toolsNote ? `${commentLines(`Note: ${r.toolsNote}`)}\n` : '';
        // What the preview does differently from Argo CD (a plugin that may render the app instead, options left out).
        const differs = r.warnings.length ? `${commentLines(r.warnings.map((w) => `Note: ${w}`).join('\n'))}\n` : '';
        const objectNote = objectProblemsNote(r.objectProblems ?? []);
        const header = `${refused}${differs}${note}${objectNote}# ${state.app} — rendered as Argo CD would (${r.sourceType}): ${r.command}\n# ${r.objectCount} objects${r.cached ? ' (cached: no input changed)' : ''}. Read-only; refreshes when the app's files change.\n`;
        this.showObjectProblems(uri, header.split('\n').length - 1, r.objectProblems ?? []);
        return header + r.manifests;
      } catch (e) {
        // The objects an earlier render had are not in this document any more.
        this.diagnostics.delete(uri);
        return `# Rendering ${state.app} failed.\n${commentLines(this.reportFailure(state, e))}\n`;
      } finally {
        subs.forEach((s) => s.dispose());
        source.dispose();
      }
    });
  }

  /**
   * The one-line message, then the tool's full output (once), for the document; logged the same
   * way. A diagnostic only when the server placed the failure in the user's files: a registry
   * that is down or wants credentials is no mistake in the kustomization that names it.
   */
  private reportFailure(state: Target, e: unknown): string {
    // A ResponseError from the client carries `data`; checked by shape so the client library
    // (loaded after activation, see lazy/) is not needed here.
    const data = typeof e === 'object' && e !== null && 'data' in e ? ((e as { data?: RenderErrorData }).data ?? undefined) : undefined;
    const message = (e as Error).message ?? String(e);
    this.log.error(`Rendering ${state.app} failed: ${message}${data?.command ? `\n  command: ${data.command}` : ''}${data?.stderr ? `\n${data.stderr}` : ''}`);
    if (data?.location) this.showDiagnostic(state, data.location, `Render: ${firstLine(message)}`, vscode.DiagnosticSeverity.Error);
    return data?.stderr ? `${message}\n\n${data.stderr}` : message;
  }

  private showDiagnostic(state: Target, location: NonNullable<RenderErrorData['location']>, message: string, severity: vscode.DiagnosticSeverity): void {
    const file = vscode.Uri.file(path.join(state.root, location.file));
    const range = new vscode.Range(location.line, location.column, location.line, location.endColumn ?? location.column + 1);
    const d = new vscode.Diagnostic(range, message, severity);
    d.source = 'home-ops render';
    this.diagnostics.set(file, [d]);
  }

  /** Each problem of a rendered object on the object's first line in the preview (after `headerLines`). */
  private showObjectProblems(uri: vscode.Uri, headerLines: number, problems: NonNullable<RenderResponse['objectProblems']>): void {
    const diagnostics = problems.map((p) => {
      const d = new vscode.Diagnostic(new vscode.Range(headerLines + p.line, 0, headerLines + p.line, 1000), `${p.object}: ${p.message}`, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      d.source = 'home-ops render';
      d.code = p.rule;
      return d;
    });
    if (diagnostics.length) this.diagnostics.set(uri, diagnostics);
    else this.diagnostics.delete(uri);
  }

  private clearDiagnostic(state: Target): void {
    this.diagnostics.forEach((uri) => {
      if (state.path && uri.fsPath.startsWith(path.join(state.root, state.path))) this.diagnostics.delete(uri);
    });
  }

  private watch(uri: vscode.Uri, state: Target): void {
    const key = uri.toString();
    if (this.watchers.has(key) || !state.path) return;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.join(state.root, state.path)), '**/*'));
    let timer: NodeJS.Timeout | undefined;
    const fire = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => this.changed.fire(uri), REFRESH_DEBOUNCE_MS);
    };
    const subs = [watcher, watcher.onDidChange(fire), watcher.onDidCreate(fire), watcher.onDidDelete(fire)];
    this.watchers.set(key, { dispose: () => (timer && clearTimeout(timer), subs.forEach((s) => s.dispose())) });
  }

  /** The app a command was started on: a tree node, a folder or file in the Explorer, the active editor. */
  async resolveTarget(arg: unknown): Promise<Target | undefined> {
    const node = arg as AppNode | undefined;
    if (node?.kind === 'app') {
      const root = this.tree.rootFor(node);
      return root ? { root, app: node.name, ...(node.app?.path ? { path: node.app.path } : {}) } : undefined;
    }
    const editorUri = vscode.window.activeTextEditor?.document.uri;
    const uri = arg instanceof vscode.Uri ? arg : editorUri?.scheme === 'file' ? editorUri : undefined;
    const apps = uri ? await (await this.serverReady).request('appsForFile', { uri: uri.toString() }) : [];
    if (apps.length === 0) {
      if (arg instanceof vscode.Uri) {
        void vscode.window.showInformationMessage(`No Application deploys ${vscode.workspace.asRelativePath(arg)}.`);
        return undefined;
      }
      // From the palette with nothing to go on: offer every app that has a source folder.
      const all = this.tree.allApps().filter((n) => n.app?.path);
      const pick = await vscode.window.showQuickPick(
        all.map((n) => ({ label: n.name, description: n.app?.path, node: n })),
        { title: 'Preview which Application?', matchOnDescription: true },
      );
      if (!pick) return undefined;
      const root = this.tree.rootFor(pick.node);
      return root ? { root, app: pick.node.name, ...(pick.node.app?.path ? { path: pick.node.app.path } : {}) } : undefined;
    }
    const pick = apps.length === 1 ? apps[0] : await vscode.window.showQuickPick(apps.map((a) => ({ label: a.name, description: a.path, app: a })), { title: 'Which Application?' }).then((p) => p?.app);
    return pick ? { root: pick.root, app: pick.name, path: pick.path } : undefined;
  }

  async preview(arg: unknown): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Rendering is disabled in an untrusted workspace: kustomize can run plugins and Helm charts can run code from the repository. Trust the workspace to preview rendered manifests.', 'Manage Workspace Trust').then((c) => {
        if (c) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      return;
    }
    const target = await this.resolveTarget(arg);
    if (!target) return;
    const uri = toUri(target);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'yaml') await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
    // One preview column: a rendered document already showing keeps its column, so the next
    // preview joins it instead of opening yet another column beside the active editor.
    const column = vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === RENDER_SCHEME)?.viewColumn ?? vscode.ViewColumn.Beside;
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: column });
  }

  /** "Home-Ops: Check Tools": the binaries the preview runs and the ones the repository's Argo CD ships, in the log. */
  async checkTools(): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Checking the tools runs helm and kustomize, which is disabled in an untrusted workspace.', 'Manage Workspace Trust').then((c) => {
        if (c) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      return;
    }
    try {
      const results = await (await this.serverReady).request('checkTools');
      for (const r of results) this.log.info(`Tools for ${r.root}:\n  ${r.lines.join('\n  ')}`);
      this.log.show(true);
      const first = results[0]?.report;
      const missing = first?.tools.filter((t) => t.name !== 'git' && !t.command).map((t) => t.name) ?? [];
      const summary = first?.tools.filter((t) => t.name !== 'git' && t.command).map((t) => `${t.name} ${t.version ?? ''} (${t.via ?? ''})`).join(', ') ?? '';
      const message = `${missing.length ? `Missing: ${missing.join(', ')}. ` : ''}${summary}${first?.note ? ' — differs from Argo CD, see the log.' : ''}`;
      void (missing.length ? vscode.window.showWarningMessage(message) : vscode.window.showInformationMessage(message));
    } catch (e) {
      void vscode.window.showErrorMessage(`Check Tools failed: ${firstLine((e as Error).message ?? String(e))}`);
    }
  }

  async diff(arg: unknown): Promise<void> {
    if (!vscode.workspace.isTrusted) return this.preview(arg);
    const target = await this.resolveTarget(arg);
    if (!target) return;
    const revision = await vscode.window.showInputBox({ title: `Diff ${target.app}: compare the working tree with`, value: 'HEAD', prompt: 'A branch, tag or commit' });
    if (!revision) return;
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Rendering ${target.app} at ${revision} and in the working tree…`, cancellable: true }, async (_p, cancel) => {
      try {
        return await (await this.serverReady).request('renderDiff', { root: target.root, app: target.app, revision }, cancel);
      } catch (e) {
        void vscode.window.showErrorMessage(`Diff of ${target.app} failed: ${firstLine(this.reportFailure(target, e))}`);
        return undefined;
      }
    });
    if (!result) return;
    await this.openDiff(target, revision, result);
  }

  /** The diff editor on two stored renderings (the diff document mechanism shared by both diff commands). */
  private async openDiff(target: Target, revision: string, result: Pick<RenderDiffResponse, 'before' | 'after' | 'missingAtRevision' | 'resources'> & { commit: string }): Promise<void> {
    const before = toUri({ ...target, side: 'before', revision });
    const after = toUri({ ...target, side: 'after', revision });
    this.diffContent.set(before.toString(), result.missingAtRevision ? `# ${target.app} does not exist at ${revision}.\n` : result.before);
    this.diffContent.set(after.toString(), result.after);
    // The content provider may have answered these URIs before (an earlier diff): refresh them.
    this.changed.fire(before);
    this.changed.fire(after);
    const changed = result.resources.filter((r) => r.status !== 'unchanged');
    this.log.info(`Diff ${target.app} ${revision} (${result.commit.slice(0, 12)}) → working tree: ${changed.length ? changed.map((r) => `${r.status} ${r.key}`).join(', ') : 'no resource changes'}`);
    await vscode.commands.executeCommand('vscode.diff', before, after, `${target.app}: ${revision} ↔ working tree (${changed.length} resource${changed.length === 1 ? '' : 's'} changed)`);
  }

  /** "Diff Rendered Manifests of Changed Apps…": every app a change touches, one picked for the diff editor. */
  async diffChanged(): Promise<void> {
    if (!vscode.workspace.isTrusted) return this.preview(undefined);
    const roots = [...new Set(this.tree.allApps().map((n) => this.tree.rootFor(n)).filter((r): r is string => !!r))];
    if (roots.length === 0) {
      void vscode.window.showInformationMessage('No Applications with a source folder in this workspace.');
      return;
    }
    const root = roots.length === 1 ? roots[0] : await vscode.window.showQuickPick(roots, { title: 'Diff the changed apps of which folder?' });
    if (!root) return;
    const revision = await vscode.window.showInputBox({ title: 'Diff the rendered manifests of every app changed since', value: 'HEAD', prompt: 'A branch, tag or commit' });
    if (!revision) return;
    const server = await this.serverReady;
    const progressId = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Rendering the apps changed since ${revision}`, cancellable: true }, async (progress, cancel) => {
      let reported = 0;
      const sub = server.onNotification('renderChangedProgress', (p) => {
        if (p.progressId !== progressId) return;
        progress.report({ message: `${p.app} (${p.done + 1}/${p.total})`, increment: (100 * p.done) / p.total - reported });
        reported = (100 * p.done) / p.total;
      });
      try {
        return await server.request('renderChanged', { root, revision, progressId }, cancel);
      } catch (e) {
        void vscode.window.showErrorMessage(`Rendered diff of the changed apps failed: ${firstLine(this.reportFailure({ root, app: `apps changed since ${revision}` }, e))}`);
        return undefined;
      } finally {
        sub.dispose();
      }
    });
    if (!result) return;
    if (result.apps.length === 0) {
      void vscode.window.showInformationMessage(`No app's inputs differ from ${revision}.`);
      return;
    }
    for (const a of result.apps) if (a.error) this.reportFailure({ root, app: a.name, path: a.path }, Object.assign(new Error(a.error.message), { data: a.error }));
    const describe = (a: RenderChangedApp): string => {
      if (!a.summary) return `render failed: ${firstLine(a.error?.message ?? '')}`;
      const s = a.summary;
      const parts = [s.changed ? `${s.changed} changed` : '', s.added ? `${s.added} added` : '', s.removed ? `${s.removed} removed` : ''].filter(Boolean);
      return parts.length ? parts.join(', ') : 'no resource changes';
    };
    const pick = await vscode.window.showQuickPick(
      result.apps.map((a) => ({ label: a.name, description: describe(a), detail: a.path, app: a })),
      { title: `${result.apps.length} app${result.apps.length === 1 ? '' : 's'} changed since ${revision} (${result.commit.slice(0, 12)}): open the rendered diff of`, matchOnDetail: true },
    );
    if (!pick) return;
    if (pick.app.error) {
      void vscode.window.showErrorMessage(`Rendering ${pick.app.name} failed: ${firstLine(pick.app.error.message)}`);
      return;
    }
    await this.openDiff({ root, app: pick.app.name, path: pick.app.path }, revision, { ...pick.app, commit: result.commit });
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.watchers.forEach((w) => w.dispose());
    this.diagnostics.dispose();
    this.changed.dispose();
  }
}

/** Text as YAML comment lines, long lines wrapped at word boundaries (a message must not run off the editor's edge). */
function commentLines(text: string, width = 100): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > width) {
      const cut = rest.lastIndexOf(' ', width);
      const at = cut > width / 2 ? cut : width;
      out.push(rest.slice(0, at));
      rest = rest.slice(at).trimStart();
    }
    out.push(rest);
  }
  return out.map((l) => (l ? `# ${l}` : '#')).join('\n');
}

function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim() !== '') ?? s;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
