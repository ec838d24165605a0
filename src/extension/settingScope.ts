/**
 * Which scope a security-relevant setting may come from. A repository can carry
 * `.vscode/settings.json`, so a workspace value of `homeOps.argocd.server` (where the sign-in
 * prompt sends a password and the token goes) or of a tool path (which binary runs) is the
 * repository's choice, not the user's. Such settings are read from user (and machine) scope; a
 * workspace value is used only once the user confirmed it, by name (the host, the binary), and
 * the confirmation is remembered per value. An `http://` server sends the token unencrypted: the
 * user is asked once per server, and the answer is remembered.
 *
 * Pure decisions, no `vscode` import: config.ts and argoConnection.ts apply them, the tests run
 * them in plain Node.
 */

/** What `WorkspaceConfiguration.inspect()` returns for one setting (the fields used here). */
export interface InspectedSetting<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

export type ScopedDecision<T> = {
  /** The value to use now: the user's (or the default), or a confirmed workspace value. */
  value: T | undefined;
  from: 'user' | 'default' | 'workspace';
  /** A workspace value that differs from the user's and is not confirmed: shown, not used. */
  pending?: T;
};

/** A value that says nothing (an empty string or list): never worth a confirmation. */
function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

/**
 * The value of a setting that must not come from the workspace unconfirmed. The folder value
 * wins over the workspace value, as in VS Code; `confirmed(v)` says whether the user accepted
 * that workspace value before.
 */
export function decideScopedSetting<T>(inspected: InspectedSetting<T> | undefined, confirmed: (value: T) => boolean): ScopedDecision<T> {
  const user = inspected?.globalValue;
  const fallback: ScopedDecision<T> = isBlank(user) ? { value: inspected?.defaultValue, from: 'default' } : { value: user, from: 'user' };
  const ws = !isBlank(inspected?.workspaceFolderValue) ? inspected?.workspaceFolderValue : inspected?.workspaceValue;
  if (ws === undefined || isBlank(ws) || sameValue(ws, user)) return fallback;
  if (confirmed(ws)) return { value: ws, from: 'workspace' };
  return { ...fallback, pending: ws };
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The host a server URL names, for a question the user can judge ("argocd.example.com:8443"). */
export function hostOf(server: string): string {
  try {
    return new URL(server).host || server;
  } catch {
    return server;
  }
}

/** The URL as stored and compared: trimmed, without trailing slashes. */
export function normalizeServer(server: string): string {
  return server.trim().replace(/\/+$/, '');
}

/**
 * A server the token would travel to unencrypted over a network: http, except to this machine
 * (`kubectl port-forward` to http://localhost:8080 is the common way to reach Argo CD at home,
 * and loopback traffic never leaves the machine).
 */
export function isCleartext(server: string): boolean {
  if (!/^http:\/\//i.test(server.trim())) return false;
  let host: string;
  try {
    host = new URL(server.trim()).hostname.toLowerCase();
  } catch {
    return true;
  }
  return !(host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host));
}

export type CleartextAnswer = 'allow' | 'refuse';

/**
 * Whether the token may be sent to `server`: https always; http only after the user allowed it
 * for that server ('ask' when they never answered).
 */
export function cleartextDecision(server: string, answers: Readonly<Record<string, CleartextAnswer>>): 'send' | 'ask' | 'refuse' {
  if (!isCleartext(server)) return 'send';
  const answer = answers[normalizeServer(server)];
  return answer === 'allow' ? 'send' : answer === 'refuse' ? 'refuse' : 'ask';
}

/** The question for a workspace value, naming what the user would accept. */
export function confirmationQuestion(setting: string, value: string, kind: 'server' | 'binary' | 'file'): string {
  if (kind === 'server') return `This workspace's settings (${setting}) name the Argo CD server ${hostOf(value)} (${value}). Home-Ops signs in and sends your token only to a server you confirm. Use ${hostOf(value)}?`;
  if (kind === 'binary') return `This workspace's settings (${setting}) choose the program ${value}. Home-Ops runs it only if you confirm. Run ${value}?`;
  return `This workspace's settings (${setting}) choose ${value}, which decides what kubectl runs and where it connects. Use it?`;
}

export function cleartextQuestion(server: string): string {
  return `${server} is http://: your Argo CD token would travel to ${hostOf(server)} unencrypted. Send it anyway? (Asked once for this server.)`;
}

/** The guarded values the language server may use, as decided in the extension host. */
export interface GuardedServerValues {
  helmPath: string;
  kustomizePath: string;
  kubectlPath: string;
  allowedBuildOptions: string[];
}

/**
 * The `homeOps` section for the language server with the guarded values replacing whatever the
 * effective configuration holds: the server reads workspace/configuration, where a workspace
 * value would win, and it is the server that runs helm and kustomize.
 */
export function withGuardedSettings(raw: unknown, values: GuardedServerValues): Record<string, unknown> {
  const out = (typeof raw === 'object' && raw !== null ? JSON.parse(JSON.stringify(raw)) : {}) as Record<string, unknown>;
  const sub = (k: string): Record<string, unknown> => {
    const v = out[k];
    const r = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    out[k] = r;
    return r;
  };
  sub('render')['helmPath'] = values.helmPath;
  sub('render')['kustomizePath'] = values.kustomizePath;
  sub('render')['allowedBuildOptions'] = [...values.allowedBuildOptions];
  sub('kubectl')['path'] = values.kubectlPath;
  return out;
}
