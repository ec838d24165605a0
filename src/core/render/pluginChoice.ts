/**
 * Whether a Config Management Plugin renders a source of this repository, decided as Argo CD's
 * repo-server decides it (argocd/pluginDiscovery.ts), for the preview: the plugin (named, or
 * found by its discover rules), or kustomize/helm/a plain directory, or one line saying why no
 * preview can be made. Sidecars are taken to be the plugins the repository defines.
 *
 * `discover.fileName` and `discover.find.glob` are file checks and are evaluated here, in any
 * workspace. `discover.find.command` is a program the repository chooses: it runs (in the
 * render's private copy, like `init` and `generate`) only in a trusted workspace and for a
 * plugin the user allowed. When it may not run, nothing here pretends to know its answer:
 *
 * - a source without `plugin` and without an explicit type still previews as kustomize, helm or
 *   a plain directory — what Argo CD renders whenever the command says no — with a note, in the
 *   preview's header, that plugin X may render it instead and how to allow it. Refusing would
 *   hide the preview of every app of a repository whose plugin discovers by command, though such
 *   plugins usually claim a few apps; rendering without the note would present a guess as fact;
 * - a source with `plugin` and no name has no such fallback in Argo CD (no plugin: an error), so
 *   the preview is refused with that line, unless a later plugin's file rule claims the app (then
 *   that plugin renders, with the note that X comes first and may claim it instead);
 * - a named plugin with a command rule needs the user's permission anyway (its `generate` runs
 *   too): allowed, the command decides; otherwise render.ts says how to allow the plugin.
 *
 * A command that fails here (a tool the sidecar image has and this machine lacks) decides
 * nothing either: it is treated as one that may not run, with the failure in the note.
 */
import { allowsPlugin, type BuildOptionPolicy } from '../argocd/buildOptionPolicy';
import { discoverAnswer, discoveryOrder, namedPlugin } from '../argocd/pluginDiscovery';
import { pluginAllowance, pluginSocketName, type PluginCommand, type PluginDefinition } from '../argocd/plugins';
import type { AppSource } from '../argocd/source';
import { repoGlobFs } from './repoGlobFs';

export type RendererChoice =
  /** `found`: how discovery chose it (absent for a plugin the Application names). */
  | { kind: 'plugin'; def: PluginDefinition; found?: string; notes: string[] }
  /** kustomize, helm or a plain directory, as the folder says (sourceType.ts). */
  | { kind: 'builtin'; notes: string[] }
  | { kind: 'refused'; message: string }
  /** Only running a command could tell, and the workspace is not trusted. */
  | { kind: 'untrusted' };

/** What a discover command did: its output (one trailing newline dropped), or why it failed. */
export type DiscoveryRun = { stdout: string } | { failed: string };

export interface ChoiceContext {
  appName: string;
  source: AppSource;
  /** The repository root on disk. */
  root: string;
  plugins: readonly PluginDefinition[];
  trusted: boolean;
  policy?: BuildOptionPolicy;
  /** Runs a discover command in the app's folder of a private copy (render.ts), with the plugin's environment. */
  runDiscovery(def: PluginDefinition, command: PluginCommand): Promise<DiscoveryRun>;
}

const NOT_FOUND = (name: string) => `"could not find cmp-server plugin with name "${name}" supporting the given repository"`;

/** Where the user allows a plugin, as every message says it. */
export function allowPluginWhere(def: PluginDefinition): string {
  return `(user setting homeOps.render.allowedBuildOptions, or --allow-build-option ${pluginAllowance(def.name)} / --trust-repo-config)`;
}

function allowPluginHint(def: PluginDefinition): string {
  return `allow "${pluginAllowance(def.name)}" ${allowPluginWhere(def)}`;
}

export async function chooseRenderer(ctx: ChoiceContext): Promise<RendererChoice> {
  const { source } = ctx;
  // An explicit helm/kustomize/directory block: Argo CD asks no plugin (render.ts refuses it beside `plugin`).
  if (!source.plugin && source.explicit.length > 0) return { kind: 'builtin', notes: [] };
  if (source.plugin?.name) return chooseNamed(ctx, source.plugin.name);
  const found = await discover(ctx);
  const notes = found.undecided.map((u) => (found.def ? `Plugin ${describe(u.def)} comes first in Argo CD's order and may render this app instead: ${u.why}.` : `Plugin ${describe(u.def)} may render this app in Argo CD instead: ${u.why}.`));
  if (found.def) return { kind: 'plugin', def: found.def, found: found.rule as string, notes };
  if (!source.plugin) return { kind: 'builtin', notes };
  // `plugin: {}`: a plugin renders it, or Argo CD fails.
  const which = `${ctx.appName} is rendered by a plugin Argo CD discovers (source.plugin without a name)`;
  const first = found.undecided[0];
  if (first) {
    if (!ctx.trusted && first.needs === 'run') return { kind: 'untrusted' };
    return { kind: 'refused', message: `${which}: plugin ${describe(first.def)} may be it, but ${first.why}.` };
  }
  if (ctx.plugins.length === 0) return { kind: 'refused', message: `${which} in Argo CD; its definition is not in this repository, so it cannot be previewed here.` };
  return { kind: 'refused', message: `${which}, and none of the plugins this repository defines claims it (${found.passed.join('; ')}): Argo CD fails ("could not find plugin supporting the given repository") unless a plugin defined elsewhere does.` };
}

async function chooseNamed(ctx: ChoiceContext, name: string): Promise<RendererChoice> {
  const n = namedPlugin(ctx.plugins, name);
  if ('missing' in n) {
    const v = n.versioned;
    if (v) return { kind: 'refused', message: `${ctx.appName} names plugin "${name}", which this repository defines with version ${v.version} (${v.origin}): Argo CD knows it as "${pluginSocketName(v)}" only, so it fails (${NOT_FOUND(name)}).` };
    return { kind: 'refused', message: `${ctx.appName} is rendered by plugin "${name}" in Argo CD; its definition is not in this repository, so it cannot be previewed here.` };
  }
  const def = n.def;
  const a = discoverAnswer(def, ctx.source.path, repoGlobFs(ctx.root));
  const fails = `Argo CD uses a named plugin only where its discovery matches, so it fails (${NOT_FOUND(name)})`;
  switch (a.kind) {
    case 'no-rules':
    case 'match':
      return { kind: 'plugin', def, notes: [] };
    case 'no-match':
      return { kind: 'refused', message: `${ctx.appName} names plugin ${describe(def)}, but its ${a.rule}: ${fails}.` };
    case 'error':
      return { kind: 'refused', message: `${ctx.appName} names plugin ${describe(def)}, but its ${a.rule} is no valid pattern (${a.message}): ${fails}.` };
    case 'unknown':
      return { kind: 'plugin', def, notes: [`Argo CD uses plugin "${name}" only where its ${a.rule} matches, which is not evaluated here: ${a.reason}.`] };
    case 'command': {
      // Not allowed (or not trusted): render.ts says so before anything runs.
      if (!mayRun(ctx, def)) return { kind: 'plugin', def, notes: [] };
      const r = await ctx.runDiscovery(def, a.command);
      if ('failed' in r) return { kind: 'refused', message: `${ctx.appName}: the ${a.rule} of plugin ${describe(def)} failed here (${r.failed}); Argo CD uses the named plugin only where it prints something in the plugin's sidecar.` };
      if (r.stdout === '') return { kind: 'refused', message: `${ctx.appName} names plugin ${describe(def)}, but its ${a.rule} prints nothing for it: ${fails}.` };
      return { kind: 'plugin', def, notes: [] };
    }
  }
}

interface Undecided {
  def: PluginDefinition;
  why: string;
  /** Whether running the command (in a trusted workspace, once allowed) would decide. */
  needs: 'run' | 'nothing';
}

/** Argo CD's walk over the plugins without a name: the first that claims the app, and what came before it. */
async function discover(ctx: ChoiceContext): Promise<{ def?: PluginDefinition; rule?: string; undecided: Undecided[]; passed: string[] }> {
  const fs = repoGlobFs(ctx.root);
  const undecided: Undecided[] = [];
  const passed: string[] = [];
  for (const def of discoveryOrder(ctx.plugins)) {
    const a = discoverAnswer(def, ctx.source.path, fs);
    if (a.kind === 'match') return { def, rule: a.rule, undecided, passed };
    if (a.kind === 'no-match') passed.push(`"${def.name}": ${a.rule}`);
    else if (a.kind === 'error') passed.push(`"${def.name}": ${a.rule} is no valid pattern`);
    else if (a.kind === 'unknown') undecided.push({ def, why: `its ${a.rule} is not evaluated here (${a.reason})`, needs: 'nothing' });
    else if (a.kind === 'command') {
      const shown = [...a.command.command, ...a.command.args].join(' ');
      if (!mayRun(ctx, def)) {
        undecided.push({ def, why: `its discovery runs a command (${clipCommand(shown)}), which ${ctx.trusted ? `Home-Ops runs only once you ${allowPluginHint(def)}` : 'runs only in a trusted workspace'}`, needs: 'run' });
        continue;
      }
      const r = await ctx.runDiscovery(def, a.command);
      if ('failed' in r) undecided.push({ def, why: `its discovery command (${clipCommand(shown)}) failed here: ${r.failed}`, needs: 'nothing' });
      else if (r.stdout !== '') return { def, rule: `${a.rule} prints something for it`, undecided, passed };
      else passed.push(`"${def.name}": its ${a.rule} prints nothing`);
    }
  }
  const withoutRules = new Set(ctx.plugins.filter((p) => !p.discover).map((p) => p.name));
  for (const name of withoutRules) passed.push(`"${name}" has no discover rules, so only an Application naming it gets it`);
  return { undecided, passed };
}

function mayRun(ctx: ChoiceContext, def: PluginDefinition): boolean {
  return ctx.trusted && allowsPlugin(ctx.policy, def.name);
}

function describe(def: PluginDefinition): string {
  return `"${def.name}" (${def.origin})`;
}

/** A command as messages show it: its first 60 characters. */
export function clipCommand(s: string): string {
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}
