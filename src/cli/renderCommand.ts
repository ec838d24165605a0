/**
 * `home-ops render APP_DIR [--diff REV] [DIR]`: the manifests Argo CD would apply for the app in
 * APP_DIR, or a unified diff per resource against another revision (as CI diff previews show).
 * `home-ops render --changed REV [DIR]`: the same diff for every app whose inputs changed.
 */
import { lastOption, parseArgs, type ParsedArgs } from './args';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { RepositoryModel } from '../core/model/repositoryModel';
import { applicationSources, repositoryCrds, describeRefused, isRemoteChartSource, describeSummary, detectArgoCdVersion, findPlugins, diffApp, diffChangedApps, locateBinaries, RenderCache, renderApp, RenderError, resolveBuildOptions, toolVersionNote, type Binaries, type BuildOptionPolicy, type RenderableApp, type RenderOptions, type ResolvedBuildOptions } from '../core/render';

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export const RENDER_USAGE = `  render APP_DIR [DIR] [--diff REV] [--build-options OPTIONS] [--timeout SECONDS] [--no-cache]
         [--trust-repo-config | --allow-build-option FLAG...]
      Print the manifests Argo CD would render for the app whose source path is APP_DIR
      (kustomize build / helm template / plain directory, with the repository's
      kustomize.buildOptions; OPTIONS is used when the repository sets none, default
      --enable-helm). With --diff, print a unified diff per resource (kind/namespace/name)
      between REV (e.g. HEAD, main) and the working tree. DIR is the repository root
      (default: the Git top-level folder of APP_DIR). Exit code 1 when rendering fails.
      Build options the repository chooses that run a program or reach outside the build
      (--helm-command, --enable-exec, --enable-alpha-plugins, --mount, --network, -e,
      --as-current-user, -o, unknown flags) are left out, and the first line on stderr says
      so; --allow-build-option FLAG lets one through, --trust-repo-config uses the
      repository's options as they are. OPTIONS you give are used as they are.
  render --changed REV [DIR] [--build-options OPTIONS] [--timeout SECONDS] [--no-cache]
         [--trust-repo-config | --allow-build-option FLAG...]
      For every app whose inputs (its folder, referenced folders and files, local charts)
      differ between REV and the working tree of DIR (default: the Git top-level folder of
      the current folder), a header line naming the app and its summary, then the unified
      diff per resource. Exit code 0 when nothing changed or every app rendered, 1 when some
      app failed to render (the others are still printed).
`;

/** `--trust-repo-config` and `--allow-build-option` (render and lint): which repository build options the user allows. */
export function buildOptionPolicyOf(p: ParsedArgs): BuildOptionPolicy {
  return { trustRepository: p.flags.has('--trust-repo-config'), allowed: p.options.get('--allow-build-option') ?? [] };
}

export async function renderCommand(args: readonly string[], io: Io): Promise<number> {
  const p = parseArgs(args, { flags: ['--no-cache', '--trust-repo-config'], options: ['--diff', '--changed', '--build-options', '--timeout', '--allow-build-option'], maxPositional: 2 });
  if ('error' in p) return usage(io, p.error);
  const policy = buildOptionPolicyOf(p);
  // Options the user typed are theirs: only the repository's (or the default's) are screened.
  const userOptions = lastOption(p, '--build-options');
  const changedRev = lastOption(p, '--changed');
  if (changedRev !== undefined) {
    if (p.options.has('--diff')) return usage(io, '--changed and --diff do not go together');
    if (p.positional.length > 1) return usage(io, 'render --changed takes at most DIR');
  }
  const [appDirArg, dirArg] = changedRev !== undefined ? [undefined, p.positional[0]] : p.positional;
  const revision = lastOption(p, '--diff');
  const fallback = userOptions ?? '--enable-helm';
  const timeoutArg = lastOption(p, '--timeout');
  const timeoutMs = timeoutArg === undefined ? 60_000 : Number(timeoutArg) * 1000;
  if (!(timeoutMs > 0)) return usage(io, '--timeout takes a number of seconds');
  const useCache = !p.flags.has('--no-cache');
  if (changedRev !== undefined) {
    const root = dirArg ? path.resolve(dirArg) : (gitTopLevel(process.cwd()) ?? process.cwd());
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
      io.err(`home-ops: ${root} is not a folder\n`);
      return 2;
    }
    return renderChanged(root, changedRev, { fallback, userOptions: userOptions !== undefined, policy, timeoutMs, useCache }, io);
  }
  if (appDirArg === undefined) return usage(io, 'render needs APP_DIR');
  const appDir = path.resolve(appDirArg);
  if (!fs.existsSync(appDir) || !fs.statSync(appDir).isDirectory()) {
    io.err(`home-ops: ${appDir} is not a folder\n`);
    return 2;
  }
  const root = dirArg ? path.resolve(dirArg) : (gitTopLevel(appDir) ?? process.cwd());
  const rel = path.relative(root, appDir).split(path.sep).join('/');
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    io.err(`home-ops: ${appDir} is not inside ${root}\n`);
    return 2;
  }
  const model = new RepositoryModel(root);
  const app = findApp(model, rel, io);
  const { build, options } = cliRenderOptions(model, root, { fallback, userOptions: userOptions !== undefined, policy, timeoutMs, useCache }, io);
  try {
    if (revision === undefined) {
      const r = await renderApp(app, options);
      io.err(`# ${app.name}: ${r.sourceType}, ${r.command}${r.sourceType === 'Kustomize' ? ` (build options from ${build.origin})` : ''}${r.cached ? ', cached' : ''}, ${r.objects.length} objects\n`);
      for (const w of r.warnings) io.err(`home-ops: warning: ${w}\n`);
      const note = toolVersionNote(detectArgoCdVersion({ files: model.tree.files, readText: (f) => model.textOf(f) }, model.apps()), r.tools);
      if (note) io.err(`home-ops: note: ${note}\n`);
      const ns = r.namespaceWarning;
      if (ns) io.err(`home-ops: warning: ${ns.location.file}:${ns.location.line + 1}:${ns.location.column + 1}: ${ns.message}\n`);
      for (const p of r.objectProblems ?? []) io.err(`home-ops: ${p.severity}: ${p.object} (line ${p.line + 1} of the manifests): ${p.message} [${p.rule}]\n`);
      io.out(r.manifests);
      return 0;
    }
    const d = await diffApp(app, revision, options);
    for (const w of d.after.warnings) io.err(`home-ops: warning: ${w}\n`);
    if (d.missingAtRevision) io.err(`# ${rel} does not exist at ${revision}: every resource is new\n`);
    for (const r of d.resources) io.out(r.patch);
    io.err(`# ${app.name}: ${d.resources.length} of ${new Set([...(d.before?.objects ?? []), ...d.after.objects].map((o) => `${o.kind}/${o.namespace ?? ''}/${o.name}`)).size} resources differ from ${revision} (${d.commit.slice(0, 12)})\n`);
    return 0;
  } catch (e) {
    if (e instanceof RenderError) {
      io.err(failureText(app.name, e));
      return 1;
    }
    throw e;
  }
}

export interface CliRenderSettings {
  fallback: string;
  /** The fallback came from --build-options: the user's own, used as they are. */
  userOptions: boolean;
  policy: BuildOptionPolicy;
  timeoutMs: number;
  useCache: boolean;
}

/**
 * The render options of a CLI run; refused repository build options are said first on stderr,
 * before anything runs, with how to allow them.
 */
export function cliRenderOptions(model: RepositoryModel, root: string, s: CliRenderSettings, io: Io): { build: ResolvedBuildOptions; options: RenderOptions } {
  const repo = { files: model.tree.files, readText: (f: string) => model.textOf(f) };
  let build = resolveBuildOptions(repo, s.fallback, s.policy);
  if (s.userOptions && build.origin.startsWith('setting')) build = { options: s.fallback, origin: '--build-options', refused: [] };
  if (build.refused.length > 0) {
    const flags = [...new Set(build.refused.map((r) => r.flag))];
    io.err(`home-ops: ${describeRefused(build.refused, build.origin)} To use ${flags.length === 1 ? 'it' : 'them'}: --allow-build-option ${flags.join(' --allow-build-option ')}, or --trust-repo-config for the repository's options as they are.\n`);
  }
  const { timeoutMs, useCache } = s;
  const cacheDir = path.join(process.env['HOME_OPS_CACHE'] || path.join(os.homedir(), '.cache', 'home-ops'));
  const options: RenderOptions = {
    root,
    trusted: true,
    cacheDir,
    binaries: cliBinaries(),
    timeoutMs,
    buildOptions: build.options,
    buildOptionPolicy: s.policy,
    plugins: findPlugins(repo),
    ...repositoryCrds(repo),
    ...(useCache ? { cache: new RenderCache(path.join(cacheDir, 'render')) } : {}),
  };
  return { build, options };
}

/** The binaries of a CLI run: HOME_OPS_HELM / HOME_OPS_KUSTOMIZE, else Home-Ops' tools cache, PATH, kubectl. */
export function cliBinaries(): Binaries {
  return locateBinaries({ helm: process.env['HOME_OPS_HELM'], kustomize: process.env['HOME_OPS_KUSTOMIZE'] });
}

/** `render --changed REV [DIR]`: a header and the per-resource diffs for every changed app. */
async function renderChanged(root: string, revision: string, settings: CliRenderSettings, io: Io): Promise<number> {
  const model = new RepositoryModel(root);
  const apps: RenderableApp[] = [...model.apps(), ...model.standaloneApps()].filter((a) => a.path !== undefined);
  const { options } = cliRenderOptions(model, root, settings, io);
  let result;
  try {
    result = await diffChangedApps(apps, revision, options, (done, total, app) => io.err(`# [${done + 1}/${total}] rendering ${app.name}\n`));
  } catch (e) {
    if (e instanceof RenderError) {
      io.err(`home-ops: render --changed ${revision} failed: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (result.apps.length === 0) {
    io.err(`# no app's inputs differ from ${revision}\n`);
    return 0;
  }
  let failed = 0;
  for (const a of result.apps) {
    const where = a.app.path ?? '';
    if ('error' in a) {
      failed++;
      io.out(`# ${a.app.name} (${where}): render failed\n`);
      io.err(failureText(a.app.name, a.error));
      continue;
    }
    io.out(`# ${a.app.name} (${where}): ${describeSummary(a.summary)}${a.diff.missingAtRevision ? ` (new since ${revision})` : ''}\n`);
    for (const w of a.diff.after.warnings) io.err(`home-ops: warning: ${a.app.name}: ${w}\n`);
    for (const r of a.diff.resources) io.out(r.patch);
  }
  io.err(`# ${result.apps.length} app${result.apps.length === 1 ? '' : 's'} changed since ${revision} (${result.commit.slice(0, 12)})${failed ? `, ${failed} failed to render` : ''}\n`);
  return failed ? 1 : 0;
}

/**
 * A failed render on stderr: one line saying what failed and why (with the file and line when the
 * failure is in the repository's files), then the command and the tool's full output, once.
 */
export function failureText(app: string, e: RenderError): string {
  const loc = e.details.location;
  const where = loc ? `${loc.file}:${loc.line + 1}:${loc.column + 1}: ` : '';
  const lines = [`home-ops: render of ${app} failed: ${where}${e.message}`];
  if (e.details.command) lines.push(`  command: ${e.details.command}`);
  const output = e.details.stderr?.trim();
  if (output && output !== e.message) lines.push(...output.split('\n').map((l) => `  | ${l}`));
  return `${lines.join('\n')}\n`;
}

/** The generated or written Application whose source path is `rel`; a bare folder otherwise. */
function findApp(model: RepositoryModel, rel: string, io: Io): RenderableApp {
  const norm = (p: string) => p.replace(/^\.\/|\/$/g, '');
  // The app's path, or the path of any of its sources in this repository (a multi-source app whose first source is a chart).
  const matches: RenderableApp[] = [...model.apps(), ...model.standaloneApps()].filter((a) => norm(a.path ?? '') === rel || applicationSources(a).some((s) => !isRemoteChartSource(s) && typeof s['path'] === 'string' && norm(s['path']) === rel));
  if (matches.length > 1) io.err(`home-ops: ${matches.length} Applications use ${rel}; rendering ${matches[0]?.name}\n`);
  return matches[0] ?? { name: path.posix.basename(rel) || 'app', path: rel };
}

function gitTopLevel(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

function usage(io: Io, message: string): number {
  io.err(`home-ops: ${message}\n\nUsage: home-ops render\n${RENDER_USAGE}`);
  return 2;
}
