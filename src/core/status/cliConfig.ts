/**
 * Reads the argocd CLI's own config (util/localconfig/localconfig.go in argo-cd), so a user who
 * ran `argocd login` can connect without typing a server or token again. Facts: argocd-facts.md §2.3.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadYaml, YamlLoadError } from '../yaml/load';
import { ConfigError } from './errors';

export interface CliConfigHost {
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
  platform?: NodeJS.Platform;
  existsSync?: (p: string) => boolean;
  statSync?: (p: string) => { mode: number };
  readFileSync?: (p: string) => string;
}

export interface ArgoCdCliContext {
  /** The config file it came from. */
  configPath: string;
  /** Context name. */
  name: string;
  /** `host[:port]` as the CLI stores it. */
  serverName: string;
  /** URL for the REST API: https unless `plain-text`, with `grpc-web-root-path` as root path. */
  server: string;
  token?: string;
  insecure: boolean;
  plainText: boolean;
  grpcWeb: boolean;
  grpcWebRootPath?: string;
  /** `argocd login --core`: no API server; status must come from Kubernetes (kubectl). */
  core: boolean;
}

/** Where the CLI looks, in its order (localconfig.go `DefaultConfigDir`). */
export function argoCdConfigPath(host: CliConfigHost): string {
  const exists = host.existsSync ?? fs.existsSync;
  const dir = host.env['ARGOCD_CONFIG_DIR'];
  if (dir) return path.join(dir, 'config');
  const legacy = path.join(host.homedir, '.argocd');
  if (exists(legacy)) return path.join(legacy, 'config');
  const xdg = host.env['XDG_CONFIG_HOME'];
  if (xdg) return path.join(xdg, 'argocd', 'config');
  return path.join(host.homedir, '.config', 'argocd', 'config');
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The current (or the named) context of the argocd CLI config; undefined when there is no config
 * file. Throws ConfigError when the file is unusable, as the CLI would refuse it.
 */
export function readArgoCdCliConfig(host: CliConfigHost, contextName?: string): ArgoCdCliContext | undefined {
  const exists = host.existsSync ?? fs.existsSync;
  const stat = host.statSync ?? fs.statSync;
  const read = host.readFileSync ?? ((p: string) => fs.readFileSync(p, 'utf8'));
  const configPath = argoCdConfigPath(host);
  if (!exists(configPath)) return undefined;

  const platform = host.platform ?? process.platform;
  const perm = stat(configPath).mode & 0o777;
  const allowed = platform === 'win32' ? [0o666, 0o444] : [0o600, 0o400];
  if (!allowed.includes(perm)) {
    throw new ConfigError(
      `The argocd CLI config ${configPath} has permissions ${perm.toString(8).padStart(4, '0')}; like the argocd CLI, ` +
        `Home-Ops reads it only when it is private to you (0600 or 0400). Fix it with: chmod 600 "${configPath}"`,
    );
  }

  let doc: unknown;
  try {
    doc = loadYaml(read(configPath), 'config');
  } catch (e) {
    // The YAML error could quote a line of the file, and that line could hold a token.
    const line = e instanceof YamlLoadError ? e.line : undefined;
    throw new ConfigError(`The argocd CLI config ${configPath} is not valid YAML${line ? ` (line ${line})` : ''}.`);
  }
  if (!isObj(doc)) throw new ConfigError(`The argocd CLI config ${configPath} is empty or not a mapping.`);

  const wanted = contextName ?? str(doc['current-context']);
  if (!wanted) throw new ConfigError(`The argocd CLI config ${configPath} has no current context; run \`argocd login\` first.`);
  const ctx = list(doc['contexts']).find((c) => c['name'] === wanted);
  if (!ctx) throw new ConfigError(`The argocd CLI config ${configPath} has no context named "${wanted}".`);
  const serverName = str(ctx['server']);
  if (!serverName) throw new ConfigError(`Context "${wanted}" in ${configPath} names no server.`);
  const server = list(doc['servers']).find((s) => s['server'] === serverName) ?? {};
  const userName = str(ctx['user']);
  const user = userName ? list(doc['users']).find((u) => u['name'] === userName) : undefined;

  const plainText = server['plain-text'] === true;
  const rootPath = str(server['grpc-web-root-path'])?.replace(/^\/+|\/+$/g, '');
  const result: ArgoCdCliContext = {
    configPath,
    name: wanted,
    serverName,
    server: `${plainText ? 'http' : 'https'}://${serverName}${rootPath ? `/${rootPath}` : ''}`,
    insecure: server['insecure'] === true,
    plainText,
    grpcWeb: server['grpc-web'] === true,
    core: server['core'] === true,
  };
  if (rootPath) result.grpcWebRootPath = rootPath;
  const token = str(user?.['auth-token']);
  if (token) result.token = token;
  return result;
}
