/**
 * The questions settingScope.ts decides must be asked: a workspace value of a guarded setting (the
 * Argo CD server, a tool path) is used once the user accepts it by name, and an `http://` server
 * gets the token only after the user allowed it for that server. Each question is asked at most
 * once per session and value; the answers that are yes (and, for http, no) are remembered.
 */
import * as vscode from 'vscode';
import { GUARDED_SETTINGS, type Config, type GuardedSetting } from './config';
import { cleartextDecision, cleartextQuestion, confirmationQuestion, hostOf, withGuardedSettings } from './settingScope';

export class SettingsGuard {
  /** Questions already asked this session (`setting\0value`), so a refusal is not asked again at every read. */
  private readonly asked = new Set<string>();

  constructor(
    private readonly config: Config,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /**
   * Asks about a workspace value of `key` that the user has not confirmed, if there is one and it
   * was not asked this session; resolves to whether it is now confirmed. `modal`: the question
   * blocks what the user just asked for (connecting); otherwise a notification.
   */
  async confirmPending(key: GuardedSetting, kind: 'server' | 'binary' | 'file', modal: boolean): Promise<boolean> {
    const pending = this.config.guarded(key).pending;
    if (pending === undefined) return false;
    const id = `${key}\0${pending}`;
    if (this.asked.has(id)) return false;
    this.asked.add(id);
    this.log.warn(`The workspace sets homeOps.${key} to ${pending}; not used until you confirm it.`);
    const accept = kind === 'server' ? `Use ${hostOf(pending)}` : kind === 'binary' ? 'Run it' : 'Use it';
    const choice = await vscode.window.showWarningMessage(confirmationQuestion(`homeOps.${key}`, pending, kind), { modal }, accept);
    if (choice !== accept) return false;
    await this.config.confirmWorkspaceValue(key, pending);
    this.log.info(`homeOps.${key} = ${pending} from the workspace confirmed.`);
    return true;
  }

  /**
   * Whether the token may go to `server` (https, or an http server the user allowed, asked once).
   * `typed`: the user just entered this server, so an earlier refusal is asked again.
   */
  async allowTransport(server: string, typed = false): Promise<boolean> {
    const decision = cleartextDecision(server, this.config.cleartextAnswers());
    if (decision === 'send' || (decision === 'refuse' && !typed)) return decision === 'send';
    const allow = 'Send over http';
    const choice = await vscode.window.showWarningMessage(cleartextQuestion(server), { modal: true }, allow);
    const answer = choice === allow ? 'allow' : 'refuse';
    await this.config.rememberCleartext(server, answer);
    this.log.info(`${server}: token over http ${answer === 'allow' ? 'allowed' : 'refused'} (remembered).`);
    return answer === 'allow';
  }

  /**
   * The `homeOps` section the language server reads (workspace/configuration), with the settings
   * that choose binaries taken as decided here: the server cannot tell scopes apart, and it runs
   * helm and kustomize. A workspace value not yet confirmed is asked about (once) and, until
   * then, replaced by the user's value.
   */
  serverSettings(raw: unknown): Record<string, unknown> {
    const decided = (key: GuardedSetting): string => {
      if (this.config.guarded(key).pending !== undefined) void this.confirmPending(key, 'binary', false);
      return this.config.guarded(key).value ?? '';
    };
    return withGuardedSettings(raw, {
      helmPath: decided(GUARDED_SETTINGS.helmPath),
      kustomizePath: decided(GUARDED_SETTINGS.kustomizePath),
      kubectlPath: decided(GUARDED_SETTINGS.kubectlPath),
      allowedBuildOptions: this.config.allowedBuildOptions,
    });
  }

}
