/**
 * Which Config Management Plugin renders a source, as Argo CD's repo-server decides it. Facts
 * from argo-cd v3.6.2, read in its module source; v3.1.0 has the same code but for the wording
 * of one error ("couldn't find…"), so every release toolVersions.ts knows (3.1–3.5) decides alike:
 *
 * - reposerver/repository/repository.go `GetAppSourceType`: an explicit type wins
 *   (`ApplicationSource.ExplicitType`, pkg/apis/application/v1alpha1/types.go: `kustomize`,
 *   `helm`, `directory` or `plugin` set; more than one is "multiple application sources
 *   defined"), with no discovery. Otherwise util/app/discovery/discovery.go `AppType` → `Discover`
 *   asks the sidecars FIRST (`DetectConfigManagementPlugin` with no name); only when none claims
 *   the app does a kustomization or Chart.yaml decide, else it is a plain directory.
 * - `DetectConfigManagementPlugin` without a name lists the socket folder (`os.ReadDir`: sorted
 *   by file name, `<name>[-<version>].sock`) and takes the FIRST plugin that supports the app;
 *   a plugin without discover rules is skipped (`cmpSupports`, namedPlugin false), one whose
 *   check fails is skipped too. None: "could not find plugin supporting the given repository" —
 *   for a source without `plugin` that means "not a plugin app", for `plugin: {}` an error.
 * - With a name it dials `<name>.sock` only (`name` or `name-version`, plugins.ts): a plugin
 *   without discover rules is used as named, one with rules only if they match ("could not find
 *   cmp-server plugin with name %q supporting the given repository").
 * - cmpserver/plugin/plugin.go `matchRepository`, run in the sidecar on its copy of the whole
 *   repository: the FIRST rule set decides, the others are not looked at — `discover.fileName`
 *   is `filepath.Glob(filepath.Join(appPath, fileName))`, else `discover.find.glob` is
 *   `zglob.Glob(filepath.Join(appPath, glob))` (mattn/go-zglob v0.0.6, recursive `**`), else
 *   `discover.find.command` runs IN THE APP'S FOLDER (the docs say the repository root; the
 *   code says appPath) with the sidecar's environment plus the app's, and matches when it exits
 *   0 with output (one trailing newline dropped) that is not empty. A glob error or a failing
 *   command is an error: the plugin does not support the app.
 *
 * The file rules are pure checks, evaluated here against the repository (glob/fileGlob.ts); a
 * command is the caller's to run or not (it is a program the repository chooses).
 */
import { goCleanPath, goFilepathGlob, GlobError, goStringOrder, zglobEnvironmentSegments, zglobFirstMatch, type GlobFs } from '../glob/fileGlob';
import { pluginNamed, pluginSocketName, type PluginCommand, type PluginDefinition } from './plugins';

/** The answer of one plugin's discover rules for one app folder. */
export type DiscoverAnswer =
  /** No rule set: the plugin is used only when named. */
  | { kind: 'no-rules' }
  /** `rule` describes the rule and what it matched, for messages. */
  | { kind: 'match'; rule: string }
  | { kind: 'no-match'; rule: string }
  /** The rule is malformed: Argo CD's check fails, so the plugin does not support the app. */
  | { kind: 'error'; rule: string; message: string }
  /** The rule cannot be evaluated from the repository alone (the sidecar's environment or folders). */
  | { kind: 'unknown'; rule: string; reason: string }
  /** `discover.find.command`: only running it answers. */
  | { kind: 'command'; command: PluginCommand; rule: string };

/** Stands for the sidecar's temporary copy of the repository (`/tmp/_cmp_server/<uuid>`). */
const WORKDIR = '/tmp/_cmp_server/repository';

/**
 * What the plugin's discover rules say for the app in `appPath` (repository-relative, '' for the
 * root). `repo` reads the repository with repository-relative paths ('' is the root).
 */
export function discoverAnswer(def: PluginDefinition, appPath: string, repo: GlobFs): DiscoverAnswer {
  const rules = def.discover;
  if (!rules) return { kind: 'no-rules' };
  const appDir = appPath === '' ? WORKDIR : `${WORKDIR}/${appPath}`;
  const where = appPath === '' ? 'the repository root' : appPath;
  const fs = sidecarView(repo);
  if (rules.fileName !== undefined) {
    const rule = `discover.fileName "${rules.fileName}"`;
    const pattern = goCleanPath(`${appDir}/${rules.fileName}`);
    if (!inside(pattern)) return { kind: 'unknown', rule, reason: 'it looks outside the repository' };
    try {
      const first = goFilepathGlob(pattern, fs)[0];
      return first === undefined ? { kind: 'no-match', rule: `${rule} matches nothing in ${where}` } : { kind: 'match', rule: `${rule} matches ${repoPath(first)}` };
    } catch (e) {
      if (e instanceof GlobError) return { kind: 'error', rule, message: e.message };
      throw e;
    }
  }
  if (rules.glob !== undefined) {
    const rule = `discover.find.glob "${rules.glob}"`;
    const pattern = goCleanPath(`${appDir}/${rules.glob}`);
    if (!inside(pattern)) return { kind: 'unknown', rule, reason: 'it looks outside the repository' };
    const env = zglobEnvironmentSegments(pattern);
    if (env.length) return { kind: 'unknown', rule, reason: `it reads ${env.join(', ')} from the sidecar's environment` };
    try {
      const first = zglobFirstMatch(pattern, fs);
      return first === undefined ? { kind: 'no-match', rule: `${rule} matches nothing in ${where}` } : { kind: 'match', rule: `${rule} matches ${repoPath(first)}` };
    } catch (e) {
      // zglob's "file does not exist" for a literal path or a missing start folder: nothing matches.
      if (e instanceof GlobError) return e.missing ? { kind: 'no-match', rule: `${rule} matches nothing in ${where}` } : { kind: 'error', rule, message: e.message };
      throw e;
    }
  }
  const command = rules.command as PluginCommand;
  return { kind: 'command', command, rule: `discover.find.command (${[...command.command, ...command.args].join(' ')})` };
}

/**
 * The plugins Argo CD asks when no name is given, in its order: one per socket name (the first
 * defined wins), sorted by socket file name, those without discover rules left out.
 */
export function discoveryOrder(plugins: readonly PluginDefinition[]): PluginDefinition[] {
  const bySocket = new Map<string, PluginDefinition>();
  for (const p of plugins) if (!bySocket.has(pluginSocketName(p))) bySocket.set(pluginSocketName(p), p);
  const socket = (p: PluginDefinition) => `${pluginSocketName(p)}.sock`;
  return [...bySocket.values()].filter((p) => p.discover).sort((a, b) => goStringOrder(socket(a), socket(b)));
}

/** What `plugin.name` reaches: the plugin, or why Argo CD finds none. */
export function namedPlugin(plugins: readonly PluginDefinition[], name: string): { def: PluginDefinition } | { missing: true; versioned?: PluginDefinition } {
  const def = pluginNamed(plugins, name);
  if (def) return { def };
  const versioned = plugins.find((p) => p.name === name && p.version);
  return versioned ? { missing: true, versioned } : { missing: true };
}

function inside(p: string): boolean {
  return p === WORKDIR || p.startsWith(`${WORKDIR}/`);
}

function repoPath(p: string): string {
  return p === WORKDIR ? '.' : p.slice(WORKDIR.length + 1);
}

/** The repository as the sidecar sees it, at WORKDIR (every pattern stays inside it: `inside`). */
function sidecarView(repo: GlobFs): GlobFs {
  const rel = (p: string): string | undefined => (p === WORKDIR ? '' : p.startsWith(`${WORKDIR}/`) ? p.slice(WORKDIR.length + 1) : undefined);
  const at = <T>(p: string, read: (r: string) => T): T | undefined => {
    const r = rel(p);
    return r === undefined ? undefined : read(r);
  };
  return { lstat: (p) => at(p, repo.lstat), stat: (p) => at(p, repo.stat), readDir: (p) => at(p, repo.readDir) };
}
