/** The `homeOps.*` settings, read through one typed wrapper. */
import * as vscode from 'vscode';
import { SETTINGS } from './constants';

export type StatusSourceSetting = 'argocd' | 'kubectl' | 'none';

export class Config {
  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SETTINGS.section);
  }

  get statusSource(): StatusSourceSetting {
    const v = this.section.get<string>('status.source', 'argocd');
    return v === 'kubectl' || v === 'none' ? v : 'argocd';
  }

  get argocdServer(): string | undefined {
    const v = this.section.get<string>('argocd.server', '').trim();
    return v === '' ? undefined : v.replace(/\/+$/, '');
  }

  async setArgocdServer(server: string): Promise<void> {
    await this.section.update('argocd.server', server, vscode.ConfigurationTarget.Workspace);
  }

  /** TLS verification is skipped only for servers the user listed here. */
  isInsecure(server: string): boolean {
    return this.section.get<string[]>('argocd.insecureServers', []).includes(server);
  }

  get applicationNamespace(): string {
    return this.section.get<string>('argocd.applicationNamespace', 'argocd');
  }

  get kubeconfig(): string | undefined {
    return this.section.get<string>('kubectl.kubeconfig', '') || undefined;
  }

  get kubeContext(): string | undefined {
    return this.section.get<string>('kubectl.context', '') || undefined;
  }

  get kubectlPath(): string {
    return this.section.get<string>('kubectl.path', '') || 'kubectl';
  }
}
