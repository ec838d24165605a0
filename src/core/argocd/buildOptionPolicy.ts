/**
 * Which `kustomize build` options a repository may choose. The repository's `kustomize.buildOptions`
 * (argocd-cm, the Argo CD Helm values, any YAML line with the key) is what Argo CD uses, so the
 * preview uses it too; but it is text from the repository, and some flags make kustomize run a
 * program or reach outside the build: `--helm-command ./pwn.sh` runs a script of the repository,
 * `--enable-exec` and `--enable-alpha-plugins` run plugins the kustomization names, `--mount`,
 * `--network`, `-e` and `--as-current-user` give container functions the host, `-o` writes
 * wherever it says. Argo CD runs them in its repo-server; Home-Ops would run them on the user's
 * machine or CI runner, on a pull-request branch. So flags that only change how manifests are
 * built pass, every other flag (unknown ones too: a newer kustomize may add one that runs
 * something) is refused unless the user allows it (the `homeOps.render.allowedBuildOptions`
 * setting, `--allow-build-option` or `--trust-repo-config` on the command line).
 *
 * Flags as `kustomize build --help` (v5.8.1, kustomize/commands/build) lists them, parsed as its
 * flag library (spf13/pflag) parses them: `--flag value`, `--flag=value`, `-e value`, `-evalue`.
 */

/** Flags of `kustomize build` that only change how manifests are built; `value`: takes an argument. */
const BUILD_ONLY: ReadonlyMap<string, { value: boolean }> = new Map([
  ['--enable-helm', { value: false }],
  ['--load-restrictor', { value: true }],
  ['--helm-api-versions', { value: true }],
  ['--helm-kube-version', { value: true }],
  ['--helm-debug', { value: false }],
  // Deprecated, still accepted: they change the order and labels of the output.
  ['--reorder', { value: true }],
  ['--enable-managedby-label', { value: false }],
  ['--stack-trace', { value: false }],
]);

/** Flags that run something, give functions the host, or write elsewhere: refused unless allowed. */
const REACHING: ReadonlyMap<string, { value: boolean; why: string }> = new Map([
  ['--helm-command', { value: true, why: 'it runs the program it names instead of helm' }],
  ['--enable-exec', { value: false, why: 'it lets the kustomization run programs (exec functions)' }],
  ['--enable-alpha-plugins', { value: false, why: 'it lets the kustomization run plugins and functions' }],
  ['--mount', { value: true, why: 'it gives container functions folders of this machine' }],
  ['--network', { value: false, why: 'it gives container functions network access' }],
  ['--network-name', { value: true, why: 'it chooses the network container functions join' }],
  ['--env', { value: true, why: 'it passes environment variables of this machine to functions' }],
  ['--as-current-user', { value: false, why: 'it runs container functions as your user' }],
  ['--output', { value: true, why: 'it writes the output to a path the repository chooses' }],
]);

const SHORT: ReadonlyMap<string, string> = new Map([
  ['-e', '--env'],
  ['-o', '--output'],
]);

/** What the user allows beyond build-only flags. */
export interface BuildOptionPolicy {
  /** Use the repository's options as they are (`--trust-repo-config`). */
  trustRepository?: boolean;
  /** Flags allowed by name (`--helm-command`, `-e`…), from a user setting or the command line. */
  allowed?: readonly string[];
}

export interface RefusedOption {
  /** The flag's long name (`--env` for `-e`). */
  flag: string;
  /** The tokens as the repository wrote them (`--helm-command ./pwn.sh`). */
  text: string;
  /** Why it is refused, for a sentence ("it runs the program it names instead of helm"). */
  why: string;
}

export interface ScreenedOptions {
  /** The arguments that are passed on, in order. */
  args: string[];
  refused: RefusedOption[];
}

/** The long name of a flag token (`-e` → `--env`), without an inline value. */
export function flagName(token: string): string {
  const eq = token.indexOf('=');
  const name = token.startsWith('--') && eq > 0 ? token.slice(0, eq) : token;
  if (name.startsWith('--')) return name;
  return SHORT.get(name.slice(0, 2)) ?? name.slice(0, 2);
}

/**
 * Whether a known flag of `kustomize build` takes a value (`--load-restrictor X`); undefined for a
 * flag kustomize v5.8.1 does not have.
 */
export function flagTakesValue(name: string): boolean | undefined {
  return (BUILD_ONLY.get(name) ?? REACHING.get(name))?.value;
}

/**
 * Groups arguments into flags with their values (`['--load-restrictor', 'X']`) and lone arguments,
 * as pflag reads them: a known flag takes the next token when it takes a value and has none
 * inline; an unknown one takes the next token unless that is a flag itself.
 */
export function groupFlags(args: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i] as string;
    if (token === '--') {
      out.push(args.slice(i));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      out.push([token]);
      continue;
    }
    const known = flagTakesValue(flagName(token));
    const inline = token.startsWith('--') ? token.includes('=') : token.length > 2;
    const takesNext = !inline && i + 1 < args.length && (known ?? !(args[i + 1] as string).startsWith('-'));
    out.push(takesNext ? [token, args[++i] as string] : [token]);
  }
  return out;
}

/** Splits an option string into kept arguments and refused flags under `policy`. */
export function screenBuildOptions(args: readonly string[], policy: BuildOptionPolicy = {}): ScreenedOptions {
  if (policy.trustRepository) return { args: [...args], refused: [] };
  const allowed = new Set((policy.allowed ?? []).map((a) => flagName(a.trim())));
  const out: ScreenedOptions = { args: [], refused: [] };
  for (const tokens of groupFlags(args)) {
    const token = tokens[0] as string;
    // A lone argument, or everything after `--`: kustomize takes one folder and refuses more.
    if (!token.startsWith('-') || token === '-' || token === '--') {
      out.args.push(...tokens);
      continue;
    }
    const name = flagName(token);
    if (BUILD_ONLY.has(name) || allowed.has(name)) {
      out.args.push(...tokens);
      continue;
    }
    const reaching = REACHING.get(name);
    out.refused.push({ flag: name, text: tokens.join(' '), why: reaching?.why ?? 'Home-Ops does not know what it does (not a flag of kustomize build v5.8.1)' });
  }
  return out;
}

/** One sentence naming the refused options and where they came from, for render output and logs. */
export function describeRefused(refused: readonly RefusedOption[], origin: string): string {
  const list = refused.map((r) => `${r.text} (${r.why})`).join('; ');
  return `Build options from ${origin} not used: ${list}. Home-Ops runs kustomize without ${refused.length === 1 ? 'it' : 'them'}.`;
}

/**
 * `helmGlobals.configHome` in a kustomization: kustomize passes it to helm as HELM_DATA_HOME, and
 * helm runs the downloader plugins it finds there for a chart repository URL of their scheme, so a
 * folder of the repository can hold a program that runs on `kustomize build --enable-helm`. Allowed
 * like a flag, by this name.
 */
export const HELM_CONFIG_HOME = 'helmGlobals.configHome';

/**
 * A Config Management Plugin the repository defines runs its own commands (`init`, `generate`):
 * allowed like a flag, by `plugin:NAME`, or by trusting the repository's configuration.
 */
export function allowsPlugin(policy: BuildOptionPolicy = {}, name: string): boolean {
  return policy.trustRepository === true || (policy.allowed ?? []).some((a) => a.trim() === `plugin:${name}` || a.trim() === 'plugin:*');
}

export function allowsHelmConfigHome(policy: BuildOptionPolicy = {}): boolean {
  return policy.trustRepository === true || (policy.allowed ?? []).some((a) => a.trim() === HELM_CONFIG_HOME);
}
