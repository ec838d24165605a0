/**
 * The live connection: an Argo CD API server (token in SecretStorage, or the user's argocd CLI
 * context) or kubectl, feeding a StatusModel. Owns the user-facing messages about the
 * connection (an expired token asks to reconnect once, not on every retry).
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { ArgoCdClient } from '../core/status/argocdClient';
import { argoCdSource } from '../core/status/argocdSource';
import type { ArgoCdCliContext, readArgoCdCliConfig } from '../core/status/cliConfig';
import { kubectlSource } from '../core/status/kubectlSource';
import { StatusModel, type ConnectionStatus } from '../core/status/statusModel';
import type { AppStatus } from '../core/status/types';
import type { LiveState } from '../core/tree/appTree';
import { GUARDED_SETTINGS, type Config } from './config';
import type { SettingsGuard } from './settingsGuard';
import { normalizeServer } from './settingScope';
import { CONTEXT, tokenSecretKey } from './constants';

export class ArgoConnection implements vscode.Disposable {
  private model: StatusModel | undefined;
  private client: ArgoCdClient | undefined;
  private server: string | undefined;
  private subscriptions: Array<{ dispose(): void }> = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when statuses or the connection state change (already coalesced by the model). */
  readonly onDidChange = this.changed.event;
  private byName: Map<string, AppStatus> | undefined;
  private lastState: ConnectionStatus['state'] | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly config: Config,
    /** Asks before a workspace-chosen server, tool path or an http:// server is used. */
    private readonly guard: SettingsGuard,
    private readonly log: vscode.LogOutputChannel,
    /** The CLI config reader, loaded when first asked for (it brings a YAML parser). */
    private readonly cliConfigReader: () => typeof readArgoCdCliConfig,
  ) {}

  /** Statuses by Application name, or undefined when no source was ever connected. */
  apps(): ReadonlyMap<string, AppStatus> | undefined {
    return this.byName;
  }

  state(): LiveState {
    if (!this.model) return 'offline';
    return this.model.status.state === 'live' ? 'live' : 'stale';
  }

  serverLabel(): string | undefined {
    return this.server;
  }

  get connectionStatus(): ConnectionStatus | undefined {
    return this.model?.status;
  }

  get canAct(): boolean {
    return this.client !== undefined;
  }

  /** Connects from settings and stored secrets without asking anything; false if it cannot. */
  async connectSilently(): Promise<boolean> {
    const source = this.config.statusSource;
    if (source === 'none') return false;
    if (source === 'kubectl') return this.startKubectl();
    const pending = this.config.guarded(GUARDED_SETTINGS.argocdServer).pending;
    if (pending !== undefined) {
      // A token stored for that very server means the user signed in there before (Connect
      // stored the server in the workspace): it goes back where it came from, nowhere else.
      if (await this.secrets.get(tokenSecretKey(normalizeServer(pending)))) await this.config.confirmWorkspaceValue(GUARDED_SETTINGS.argocdServer, pending);
      else await this.guard.confirmPending(GUARDED_SETTINGS.argocdServer, 'server', false);
    }
    const server = this.config.argocdServer;
    if (!server) return false;
    const token = await this.secrets.get(tokenSecretKey(server));
    if (!token) return false;
    if (!(await this.guard.allowTransport(server))) return false;
    this.startArgoCd(server, token, this.config.isInsecure(server));
    return true;
  }

  /** "Home-Ops: Connect to Argo CD". */
  async connectInteractively(): Promise<void> {
    type Pick = vscode.QuickPickItem & { action: 'cli' | 'password' | 'token' | 'kubectl'; cli?: ArgoCdCliContext };
    const picks: Pick[] = [];
    let cli: ArgoCdCliContext | undefined;
    try {
      cli = this.cliConfigReader()({ env: process.env, homedir: os.homedir() });
    } catch (e) {
      this.log.warn(`argocd CLI config not usable: ${(e as Error).message}`);
    }
    if (cli && !cli.core && cli.token) picks.push({ label: `$(terminal) Use argocd CLI context "${cli.name}"`, description: cli.server, action: 'cli', cli });
    picks.push({ label: '$(account) Sign in with username and password', action: 'password' });
    picks.push({ label: '$(key) Use an API token', action: 'token' });
    if (vscode.workspace.isTrusted) picks.push({ label: '$(terminal-bash) Use kubectl (no Argo CD API access)', description: 'reads applications.argoproj.io from the cluster', action: 'kubectl' });
    const pick = await vscode.window.showQuickPick(picks, { title: 'Connect Home-Ops to Argo CD', placeHolder: 'How should Home-Ops read live status?' });
    if (!pick) return;
    if (pick.action === 'kubectl') {
      await vscode.workspace.getConfiguration('homeOps').update('status.source', 'kubectl', vscode.ConfigurationTarget.Workspace);
      this.startKubectl();
      return;
    }
    if (pick.action === 'cli' && pick.cli?.token) {
      if (!(await this.guard.allowTransport(pick.cli.server, true))) return;
      await this.config.setArgocdServer(pick.cli.server);
      await this.secrets.store(tokenSecretKey(pick.cli.server), pick.cli.token);
      this.startArgoCd(pick.cli.server, pick.cli.token, pick.cli.insecure);
      return;
    }
    const server = await vscode.window.showInputBox({
      title: 'Argo CD server',
      prompt: 'The URL of the Argo CD server (with its root path, if it has one)',
      value: this.config.argocdServer ?? 'https://',
      validateInput: (v) => (/^https?:\/\/[^\s/]+/.test(v.trim()) ? undefined : 'Enter a URL such as https://argocd.example.com'),
    });
    if (!server) return;
    const url = normalizeServer(server);
    // Before a password or token is typed for it: http sends both in clear.
    if (!(await this.guard.allowTransport(url, true))) return;
    const insecure = this.config.isInsecure(url);
    let token: string | undefined;
    if (pick.action === 'token') {
      token = await vscode.window.showInputBox({ title: 'Argo CD API token', prompt: 'An account token (argocd account generate-token)', password: true, ignoreFocusOut: true });
    } else {
      const username = await vscode.window.showInputBox({ title: 'Argo CD username', value: 'admin', ignoreFocusOut: true });
      if (!username) return;
      const password = await vscode.window.showInputBox({ title: `Password for ${username}`, password: true, ignoreFocusOut: true });
      if (!password) return;
      const client = new ArgoCdClient({ server: url, insecure });
      try {
        token = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Signing in to ${url}…`, cancellable: true }, (_p, cancel) => {
          const abort = new AbortController();
          cancel.onCancellationRequested(() => abort.abort());
          return client.login(username, password, abort.signal);
        });
      } catch (e) {
        void vscode.window.showErrorMessage(`Could not sign in to ${url}: ${(e as Error).message}`);
        return;
      } finally {
        client.dispose();
      }
    }
    if (!token) return;
    await this.config.setArgocdServer(url);
    await this.secrets.store(tokenSecretKey(url), token);
    this.startArgoCd(url, token, insecure);
  }

  async disconnect(forgetToken: boolean): Promise<void> {
    const server = this.server;
    this.stop();
    this.byName = undefined;
    this.changed.fire();
    if (forgetToken && server) await this.secrets.delete(tokenSecretKey(server));
  }

  async sync(app: { name: string }, options: { prune: boolean; dryRun: boolean }): Promise<AppStatus> {
    if (!this.client) throw new Error('Not connected to an Argo CD server.');
    const ns = this.byName?.get(app.name)?.namespace;
    return this.client.sync(app.name, { prune: options.prune, dryRun: options.dryRun, ...(ns ? { appNamespace: ns } : {}) });
  }

  async refresh(app: { name: string }, hard: boolean): Promise<AppStatus> {
    if (!this.client) throw new Error('Not connected to an Argo CD server.');
    const ns = this.byName?.get(app.name)?.namespace;
    return this.client.refresh(app.name, hard, ns ? { appNamespace: ns } : {});
  }

  webUrl(app: { name: string }): string | undefined {
    if (!this.server || !this.client) return undefined;
    const ns = this.byName?.get(app.name)?.namespace || this.config.applicationNamespace;
    return `${this.server}/applications/${encodeURIComponent(ns)}/${encodeURIComponent(app.name)}`;
  }

  private startArgoCd(server: string, token: string, insecure: boolean): void {
    this.stop();
    this.server = server;
    this.client = new ArgoCdClient({ server, token, insecure });
    this.start(new StatusModel(argoCdSource(this.client, { token }), { log: (level, m) => this.log[level === 'warn' ? 'warn' : level](m) }));
  }

  private startKubectl(): boolean {
    // kubectl is a binary: an untrusted workspace's settings must not choose what runs.
    if (!vscode.workspace.isTrusted) return false;
    // Nor, unconfirmed, a trusted one's: its kubectl path or kubeconfig (whose credential plugins
    // kubectl runs) are used once the user accepts them; meanwhile the user's own.
    for (const [key, kind] of [[GUARDED_SETTINGS.kubectlPath, 'binary'], [GUARDED_SETTINGS.kubeconfig, 'file']] as const) {
      if (this.config.guarded(key).pending !== undefined) void this.guard.confirmPending(key, kind, false).then((ok) => ok && this.startKubectl());
    }
    this.stop();
    this.server = undefined;
    const kubeconfig = this.config.kubeconfig;
    const context = this.config.kubeContext;
    this.start(
      new StatusModel(
        kubectlSource({ kubectl: this.config.kubectlPath, namespace: this.config.applicationNamespace, ...(kubeconfig ? { kubeconfig } : {}), ...(context ? { context } : {}) }),
        { log: (level, m) => this.log[level === 'warn' ? 'warn' : level](m) },
      ),
    );
    return true;
  }

  private start(model: StatusModel): void {
    this.model = model;
    this.byName = new Map();
    this.subscriptions.push(
      model.onDidChange(() => {
        this.byName = new Map(model.list().map((s) => [s.name, s]));
        this.changed.fire();
      }),
      model.onDidChangeState((s) => this.onState(s)),
    );
    void vscode.commands.executeCommand('setContext', CONTEXT.connected, true);
    model.start();
  }

  private onState(s: ConnectionStatus): void {
    const previous = this.lastState;
    this.lastState = s.state;
    this.changed.fire();
    if (s.state === previous) return;
    this.log.info(`Status: ${s.state}${s.message ? ` — ${s.message}` : ''}`);
    if (s.state === 'unauthorized') {
      void vscode.window.showWarningMessage(`Argo CD refused the stored token${this.server ? ` for ${this.server}` : ''} (expired or revoked). Status shown is stale.`, 'Reconnect').then((choice) => {
        if (choice === 'Reconnect') void this.connectInteractively();
      });
    }
  }

  private stop(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.model?.dispose();
    this.model = undefined;
    this.client?.dispose();
    this.client = undefined;
    this.lastState = undefined;
    void vscode.commands.executeCommand('setContext', CONTEXT.connected, false);
  }

  dispose(): void {
    this.stop();
    this.changed.dispose();
  }
}
