/**
 * The `homeOps.*` settings, read through one typed wrapper. Settings that choose where secrets go
 * or which binaries run are read with `inspect()`: from user (and machine) scope, a workspace value
 * only once the user confirmed it (settingScope.ts); confirmations and the answers about `http://`
 * servers are remembered in the global state.
 */
import * as vscode from 'vscode';
import { SETTINGS } from './constants';
import { decideScopedSetting, normalizeServer, type CleartextAnswer, type ScopedDecision } from './settingScope';

export type StatusSourceSetting = 'argocd' | 'kubectl' | 'none';

/** Settings a workspace may not choose unconfirmed (keys below `homeOps.`). */
export const GUARDED_SETTINGS = {
  argocdServer: 'argocd.server',
  helmPath: 'render.helmPath',
  kustomizePath: 'render.kustomizePath',
  kubectlPath: 'kubectl.path',
  kubeconfig: 'kubectl.kubeconfig',
} as const;
export type GuardedSetting = (typeof GUARDED_SETTINGS)[keyof typeof GUARDED_SETTINGS];

const CONFIRMED_KEY = 'homeOps.confirmedWorkspaceSettings';
const CLEARTEXT_KEY = 'homeOps.cleartextServers';

export class Config {
  /** `memory`: where confirmations are kept (the extension's global state); without it nothing is remembered. */
  constructor(private readonly memory?: vscode.Memento) {}

  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SETTINGS.section);
  }

  /** Whether the walkthrough opens by itself in a workspace with a repository (once per workspace). */
  get openWalkthrough(): boolean {
    return this.section.get<boolean>('openWalkthrough', true) !== false;
  }

  get statusSource(): StatusSourceSetting {
    const v = this.section.get<string>('status.source', 'argocd');
    return v === 'kubectl' || v === 'none' ? v : 'argocd';
  }

  /** A guarded setting: the user's value, or a workspace value they confirmed; `pending` is one they did not. */
  guarded(key: GuardedSetting): ScopedDecision<string> {
    const confirmed = this.memory?.get<Record<string, string[]>>(CONFIRMED_KEY)?.[key] ?? [];
    const d = decideScopedSetting(this.section.inspect<string>(key), (v) => confirmed.includes(v.trim()));
    const trim = (v: string | undefined) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
    const value = trim(d.value);
    const pending = trim(d.pending);
    return { from: d.from, value, ...(pending !== undefined ? { pending } : {}) };
  }

  /** Remembers that the user accepted this workspace value (or typed it themselves). */
  async confirmWorkspaceValue(key: GuardedSetting, value: string): Promise<void> {
    if (!this.memory) return;
    const all = { ...(this.memory.get<Record<string, string[]>>(CONFIRMED_KEY) ?? {}) };
    all[key] = [...new Set([...(all[key] ?? []), value.trim()])];
    await this.memory.update(CONFIRMED_KEY, all);
  }

  get argocdServer(): string | undefined {
    const v = this.guarded(GUARDED_SETTINGS.argocdServer).value;
    return v === undefined ? undefined : normalizeServer(v);
  }

  /**
   * Stores the server the user chose, in the workspace as before (a repository is usually one
   * cluster); it is the user's choice, so it counts as confirmed.
   */
  async setArgocdServer(server: string): Promise<void> {
    await this.confirmWorkspaceValue(GUARDED_SETTINGS.argocdServer, server);
    await this.section.update('argocd.server', server, vscode.ConfigurationTarget.Workspace);
  }

  cleartextAnswers(): Record<string, CleartextAnswer> {
    return this.memory?.get<Record<string, CleartextAnswer>>(CLEARTEXT_KEY) ?? {};
  }

  async rememberCleartext(server: string, answer: CleartextAnswer): Promise<void> {
    if (!this.memory) return;
    await this.memory.update(CLEARTEXT_KEY, { ...this.cleartextAnswers(), [normalizeServer(server)]: answer });
  }

  /** TLS verification is skipped only for servers the user listed here (user settings only). */
  isInsecure(server: string): boolean {
    return (this.section.inspect<string[]>('argocd.insecureServers')?.globalValue ?? []).includes(server);
  }

  get applicationNamespace(): string {
    return this.section.get<string>('argocd.applicationNamespace', 'argocd');
  }

  /** A kubeconfig can name credential plugins kubectl runs: guarded like a binary. */
  get kubeconfig(): string | undefined {
    return this.guarded(GUARDED_SETTINGS.kubeconfig).value;
  }

  get kubeContext(): string | undefined {
    return this.section.get<string>('kubectl.context', '') || undefined;
  }

  get kubectlPath(): string {
    return this.guarded(GUARDED_SETTINGS.kubectlPath).value ?? 'kubectl';
  }

  /** kustomize flags the user lets repositories choose: user settings only, never the workspace's. */
  get allowedBuildOptions(): string[] {
    const v = this.section.inspect<string[]>('render.allowedBuildOptions')?.globalValue;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }
}
