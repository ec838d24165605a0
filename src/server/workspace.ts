/**
 * One workspace folder in the server: its repository model, the linter, and the diagnostics
 * published for it. Edits and file events are batched (debounced) and handed to the model as
 * one update: typing re-evaluates once per pause, a branch switch's thousands of file events
 * are one pass, and only the ApplicationSets the change can affect are evaluated again. Editor
 * buffers belong to the model alone; this class only queues what changed until the pause.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RepositoryModel } from '../core/model/repositoryModel';
import type { Problem } from '../core/problems';
import { Linter } from '../core/rules';
import type { CheckToolsResult, FetchChartsResult, ModelResponse, RenderChangedResponse, RenderDiffResponse, RenderErrorData, RenderResponse } from '../shared/protocol';
import { checkTools, repositoryCrds, defaultChartCacheDir, describeRefused, detectArgoCdVersion, findPlugins, diffApp, diffChangedApps, formatToolsReport, locateBinaries, NodeChartStore, RenderCache, renderApp, RenderError, resolveBuildOptions, toolVersionNote, UNTRUSTED_MESSAGE, type Binaries, type RenderableApp, type RenderOptions, type ResolvedBuildOptions } from '../core/render';
import { treeApps, treeAppSets } from '../core/tree/fromModel';
import { categories, checkAppName, nodeWriter, planAddApp, planAddCategory, resolveCategory, type AddAppPlan, type AddCategoryPlan, type AppNameCheck, type AppSource, type CategoryInfo, type PlanErrors } from '../core/scaffold';
import { chartRefLabel, type ChartRef, type LoadedChart } from '../core/charts';
import { fetchCharts, missingCharts } from '../core/render/chartFetch';
import { writeChartTemplate } from '../core/render/chartSources';
import type { RenderSettings, ServerSettings } from './settings';

/** What rendering needs from the client: Workspace Trust and a storage folder. */
export interface RenderEnvironment {
  trusted: boolean;
  cacheDir: string;
  /** The render settings as of this request (read fresh: the user may have just set a path). */
  settings: RenderSettings;
}

/** A render failure as it travels to the client: its kind, cause, command, full output and place. */
export function renderErrorData(e: RenderError): RenderErrorData {
  const loc = e.details.location;
  return {
    kind: e.kind,
    ...(e.details.cause !== undefined ? { cause: e.details.cause } : {}),
    ...(e.details.stderr !== undefined ? { stderr: e.details.stderr } : {}),
    ...(e.details.command !== undefined ? { command: e.details.command } : {}),
    ...(loc ? { location: { file: loc.file, line: loc.line, column: loc.column, endColumn: loc.endColumn } } : {}),
  };
}

export interface PublishTarget {
  publish(uri: string, problems: readonly Problem[]): void;
  modelChanged(): void;
  log(message: string): void;
  /** A message the user sees once (a window notification); the log when absent. */
  warn?(message: string): void;
}

/** The one message an untrusted workspace gets for fetching charts. */
export const FETCH_UNTRUSTED = 'Charts are fetched only in a trusted workspace: helm runs with your configuration and credentials. Trust the workspace, or run `home-ops charts pull` in a terminal.';

export class WorkspaceFolderState {
  private model: RepositoryModel;
  private linter: Linter;
  private readonly published = new Set<string>();
  /** The last lint's problems: the tree says with them why an ApplicationSet generates nothing. */
  private lastProblems: readonly Problem[] = [];
  /** File events since the last flush. */
  private readonly pendingPaths = new Set<string>();
  /** Editor buffer changes since the last flush (undefined: closed), the last one per path. */
  private readonly pendingOverlays = new Map<string, string | undefined>();
  private timer: NodeJS.Timeout | undefined;
  private binaries: Binaries | undefined;
  private binariesKey: string | undefined;
  private renderCache: RenderCache | undefined;
  private buildOptions: ResolvedBuildOptions | undefined;
  /** The chart cache values files are checked against (shared with `home-ops charts pull`). */
  private readonly charts = new NodeChartStore(defaultChartCacheDir());
  /** Tool-version notes already sent: the user is told once. */
  private readonly toolNotes = new Set<string>();
  /** Workspace Trust, from the client: no helm runs (no chart is fetched) until it is true. */
  private trusted = false;
  /**
   * Chart fetching: what is being pulled, what failed (not fetched again by itself until asked:
   * offline, every keystroke would run helm), one pull at a time, and whether the user was told
   * that fetching by itself fails.
   */
  private readonly fetching = { inFlight: new Set<string>(), failed: new Map<string, string>(), queue: Promise.resolve() as Promise<unknown>, warned: false };

  constructor(
    readonly root: string,
    private settings: ServerSettings,
    private readonly target: PublishTarget,
    private readonly debounceMs: number,
    /** Editor buffers already open, by repository-relative path. */
    openDocuments: ReadonlyMap<string, string> = new Map(),
  ) {
    const started = Date.now();
    this.model = new RepositoryModel(root, { exclude: settings.exclude, overlays: openDocuments, charts: this.charts });
    this.linter = new Linter(this.model);
    target.log(`${root}: ${this.model.apps().length} generated Applications from ${this.model.appsets().length} ApplicationSets in ${Date.now() - started} ms`);
    if (!this.model.tree.presenceFromGitIndex()) target.log(`${root}: ${this.model.tree.presence.reason ?? 'no Git index'}: which files Argo CD's clone has is approximated from .gitignore.`);
    this.publishAll();
  }

  /** The folder's current model (replaced when settings change), for editing requests. */
  get repository(): RepositoryModel {
    return this.model;
  }

  /** Repository-relative path of a `file:` URI inside this folder, else undefined. */
  relative(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    const rel = path.relative(this.root, fileURLToPath(uri));
    return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel.split(path.sep).join('/');
  }

  uri(rel: string): string {
    return pathToFileURL(path.join(this.root, rel)).toString();
  }

  setOverlay(rel: string, text: string | undefined): void {
    this.pendingOverlays.set(rel, text);
    this.schedule();
  }

  fileChanged(rel: string): void {
    this.pendingPaths.add(rel);
    this.schedule();
  }

  updateSettings(settings: ServerSettings): void {
    const rebuild = JSON.stringify(settings.exclude) !== JSON.stringify(this.settings.exclude);
    this.settings = settings;
    if (rebuild) {
      // The new model takes the buffers the old one holds, pending edits included.
      this.flush();
      this.model = new RepositoryModel(this.root, { exclude: settings.exclude, overlays: this.model.overlayTexts(), charts: this.charts });
      this.linter = new Linter(this.model);
      this.target.modelChanged();
    }
    this.publishAll();
  }

  /** Workspace Trust as the client says; once trusted, the charts open values files need are fetched (homeOps.charts.fetch). */
  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
    this.autoFetch();
  }

  /**
   * Fetch Chart / Fetch Charts: the charts named (else every chart the values files need that is
   * not there) into the chart cache, then the values files checked again. A chart that failed
   * before is tried again: the user asked.
   */
  async fetchCharts(refs: readonly ChartRef[] | undefined): Promise<FetchChartsResult> {
    if (!this.trusted) return { refused: FETCH_UNTRUSTED, pulled: [], cached: [], failed: [] };
    this.flush();
    const todo = refs ?? missingCharts(this.model);
    for (const r of todo) this.fetching.failed.delete(chartRefLabel(r));
    return this.fetch(todo, 'asked');
  }

  /** In the background: the charts the open values files need, unless they failed before. */
  private autoFetch(): void {
    if (!this.trusted || !this.settings.charts.fetch) return;
    const open = new Set(this.model.overlayTexts().keys());
    if (open.size === 0) return;
    const refs = missingCharts(this.model, open).filter((r) => !this.fetching.inFlight.has(chartRefLabel(r)) && !this.fetching.failed.has(chartRefLabel(r)));
    if (refs.length > 0) void this.fetch(refs, 'auto');
  }

  private fetch(refs: readonly ChartRef[], how: 'auto' | 'asked'): Promise<FetchChartsResult> {
    const labels = refs.map(chartRefLabel);
    for (const l of labels) this.fetching.inFlight.add(l);
    const run = this.fetching.queue.then(async (): Promise<FetchChartsResult> => {
      const result: FetchChartsResult = { pulled: [], cached: [], failed: [] };
      let helm;
      try {
        const r = this.settings.render;
        helm = await locateBinaries({ ...(r.helmPath ? { helm: r.helmPath } : {}) }).helm();
      } catch (e) {
        const message = `Charts cannot be fetched: ${(e as Error).message}`;
        for (const l of labels) this.fetching.failed.set(l, message);
        this.tell(how, message);
        return { ...result, refused: message };
      }
      for (const o of await fetchCharts(refs, this.charts, helm)) {
        if (o.status === 'failed') {
          this.fetching.failed.set(o.label, o.message ?? '');
          result.failed.push({ chart: o.label, message: o.message ?? '' });
          this.target.log(`${this.root}: could not fetch ${o.label}: ${o.message ?? ''}`);
        } else {
          result[o.status].push(o.label);
          if (o.status === 'pulled') this.target.log(`${this.root}: fetched ${o.label} into ${this.charts.dir}`);
        }
      }
      if (result.failed.length > 0) this.tell(how, `Home-Ops could not fetch ${result.failed.length === 1 ? `chart ${result.failed[0]?.chart}` : `${result.failed.length} charts`} (${result.failed[0]?.message.split('\n')[0] ?? ''}); their values stay unchecked. Fetch Charts tries again; the Home-Ops log has the details.`);
      // Checked again with the charts now there (which may name dependencies to fetch in turn).
      if (result.pulled.length > 0) {
        this.flush();
        this.publishAll();
      }
      return result;
    });
    const done = run.finally(() => {
      for (const l of labels) this.fetching.inFlight.delete(l);
    });
    this.fetching.queue = done.catch(() => undefined);
    return done;
  }

  /** Fetching by itself tells its first failure once; an asked fetch answers its request instead. */
  private tell(how: 'auto' | 'asked', message: string): void {
    this.target.log(`${this.root}: ${message}`);
    if (how !== 'auto' || this.fetching.warned) return;
    this.fetching.warned = true;
    this.target.warn?.(message);
  }

  /** Applies pending changes now, in one model update (tests and requests that need a current model call this). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pendingPaths.size === 0 && this.pendingOverlays.size === 0) return;
    const paths = [...this.pendingPaths];
    const overlays = new Map(this.pendingOverlays);
    this.pendingPaths.clear();
    this.pendingOverlays.clear();
    this.model.update({ paths, overlays });
    this.publishAll();
    this.target.modelChanged();
  }

  modelSnapshot(): ModelResponse {
    this.flush();
    return { root: this.root, appsets: treeAppSets(this.model, this.lastProblems), apps: treeApps(this.model) };
  }

  scaffoldCategories(): CategoryInfo[] {
    this.flush();
    return categories(this.model);
  }

  checkAppName(categoryId: string, name: string): AppNameCheck | PlanErrors {
    this.flush();
    const category = resolveCategory(this.model, categoryId);
    if ('errors' in category) return category;
    return checkAppName(this.model, category, name, { writer: nodeWriter(this.root) });
  }

  planAddApp(categoryId: string, name: string, source: AppSource, siblings?: readonly string[]): AddAppPlan | PlanErrors {
    this.flush();
    return planAddApp(this.model, { category: categoryId, name, source, ...(siblings ? { siblings } : {}) }, nodeWriter(this.root));
  }

  planAddCategory(name: string): AddCategoryPlan | PlanErrors {
    this.flush();
    return planAddCategory(this.model, name, nodeWriter(this.root));
  }

  /** The app of that name: generated first, else standalone. */
  private appNamed(name: string): RenderableApp | undefined {
    this.flush();
    return this.model.apps().find((a) => a.name === name) ?? this.model.standaloneApps().find((a) => a.name === name);
  }

  /** The binaries for these settings: setting, Home-Ops' tools cache, PATH, kubectl (located once per settings). */
  private binariesFor(env: RenderEnvironment): Binaries {
    const key = JSON.stringify(env.settings);
    if (!this.binaries || this.binariesKey !== key) {
      const r = env.settings;
      this.binaries = locateBinaries({ ...(r.helmPath ? { helm: r.helmPath } : {}), ...(r.kustomizePath ? { kustomize: r.kustomizePath } : {}), ...(r.kubectlPath ? { kubectl: r.kubectlPath } : {}) });
      this.binariesKey = key;
    }
    return this.binaries;
  }

  private repoFiles() {
    return { files: this.model.tree.files, readText: (f: string) => this.model.textOf(f) };
  }

  /** "Check Tools": runs the binaries (their version), so only in a trusted workspace. */
  async checkTools(env: RenderEnvironment): Promise<CheckToolsResult> {
    if (!env.trusted) throw new RenderError(UNTRUSTED_MESSAGE, 'untrusted');
    this.flush();
    const report = await checkTools(this.binariesFor(env), this.repoFiles(), this.model.apps());
    return { root: this.root, report, lines: formatToolsReport(report) };
  }

  private renderOptions(env: RenderEnvironment, signal: AbortSignal): RenderOptions {
    const binaries = this.binariesFor(env);
    this.renderCache ??= new RenderCache(path.join(env.cacheDir, 'render-cache'));
    const build = resolveBuildOptions({ files: this.model.tree.files, readText: (f) => this.model.textOf(f) }, env.settings.buildOptions, { allowed: env.settings.allowedBuildOptions });
    this.buildOptions = build;
    if (build.refused.length > 0) this.target.log(`${this.root}: ${describeRefused(build.refused, build.origin)}`);
    return { root: this.root, trusted: env.trusted, cacheDir: env.cacheDir, binaries, signal, timeoutMs: env.settings.timeoutSeconds * 1000, cache: this.renderCache, buildOptions: build.options, buildOptionPolicy: { allowed: env.settings.allowedBuildOptions }, plugins: findPlugins(this.repoFiles()), ...repositoryCrds(this.repoFiles()) };
  }

  async render(name: string, env: RenderEnvironment, signal: AbortSignal): Promise<RenderResponse> {
    const app = this.appNamed(name);
    if (!app) throw new RenderError(`No Application named ${name} in ${this.root}.`, 'source');
    const r = await renderApp(app, this.renderOptions(env, signal));
    const build = this.buildOptions;
    const refused = r.sourceType === 'Kustomize' && build && build.refused.length > 0 ? `${describeRefused(build.refused, build.origin)} Allow them in the user setting homeOps.render.allowedBuildOptions.` : undefined;
    const note = toolVersionNote(detectArgoCdVersion(this.repoFiles(), this.model.apps()), r.tools);
    const newNote = note !== undefined && !this.toolNotes.has(note);
    if (newNote) {
      this.toolNotes.add(note);
      this.target.log(`${this.root}: ${note}`);
    }
    return { manifests: r.manifests, sourceType: r.sourceType, command: r.command, durationMs: r.durationMs, cached: r.cached, objectCount: r.objects.length, warnings: r.warnings, buildOptionsOrigin: build?.origin ?? '', ...(refused ? { buildOptionsRefused: refused } : {}), ...(newNote ? { toolsNote: note } : {}), ...(r.namespaceWarning ? { namespaceWarning: { message: r.namespaceWarning.message, location: { ...r.namespaceWarning.location } } } : {}), ...(r.objectProblems ? { objectProblems: r.objectProblems.map((p) => ({ object: p.object, severity: p.severity, rule: p.rule, message: p.message, line: p.line })) } : {}) };
  }

  async renderDiff(name: string, revision: string, env: RenderEnvironment, signal: AbortSignal): Promise<RenderDiffResponse> {
    const app = this.appNamed(name);
    if (!app) throw new RenderError(`No Application named ${name} in ${this.root}.`, 'source');
    const d = await diffApp(app, revision, this.renderOptions(env, signal));
    return { revision: d.revision, commit: d.commit, before: d.before?.manifests ?? '', after: d.after.manifests, missingAtRevision: d.missingAtRevision, resources: d.resources.map((x) => ({ key: x.key, status: x.status })) };
  }

  /** Rendered diffs of every app whose inputs changed since `revision`; `progress` before each app. */
  async renderChanged(revision: string, env: RenderEnvironment, signal: AbortSignal, progress?: (done: number, total: number, app: string) => void): Promise<RenderChangedResponse> {
    this.flush();
    const apps = [...this.model.apps(), ...this.model.standaloneApps()].filter((a) => a.path !== undefined);
    const r = await diffChangedApps(apps, revision, this.renderOptions(env, signal), progress && ((done, total, app) => progress(done, total, app.name)));
    return {
      revision: r.revision,
      commit: r.commit,
      apps: r.apps.map((a) => {
        const base = { name: a.app.name, path: a.app.path ?? '' };
        if ('error' in a) {
          const error: RenderErrorData & { message: string } = { message: a.error.message, ...renderErrorData(a.error) };
          return { ...base, resources: [], before: '', after: '', missingAtRevision: false, error };
        }
        const d = a.diff;
        return { ...base, summary: a.summary, resources: d.resources.map((x) => ({ key: x.key, status: x.status })), before: d.before?.manifests ?? '', after: d.after.manifests, missingAtRevision: d.missingAtRevision };
      }),
    };
  }

  /**
   * The URI of a chart's template: the repository file for a chart of the repository, else the
   * template written out into the chart cache's own folder (render/chartSources.ts).
   */
  chartTemplateUri(chart: LoadedChart, template: string): string | undefined {
    if (chart.repoDir !== undefined) return this.uri(chart.repoDir === '' ? template : `${chart.repoDir}/${template}`);
    const file = writeChartTemplate(this.charts.dir, chart, template);
    return file === undefined ? undefined : pathToFileURL(file).toString();
  }

  /** Apps whose source folder contains `rel` (a file of the app, or the folder itself). */
  appsFor(rel: string): Array<{ name: string; path: string }> {
    this.flush();
    const all = [...this.model.apps(), ...this.model.standaloneApps()];
    return all.filter((a) => a.path !== undefined && (rel === a.path || rel.startsWith(`${a.path}/`))).map((a) => ({ name: a.name, path: a.path as string }));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const uri of this.published) this.target.publish(uri, []);
    this.published.clear();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.debounceMs);
  }

  private publishAll(): void {
    const byFile = new Map<string, Problem[]>();
    const buildOptionPolicy = { allowed: this.settings.render.allowedBuildOptions };
    this.lastProblems = this.linter.run({ severities: this.settings.rules, schemaValidation: this.settings.schemaValidation, redHatYamlActive: this.settings.redHatYamlActive, buildOptionPolicy });
    for (const p of this.lastProblems) {
      const list = byFile.get(p.file) ?? [];
      list.push(p);
      byFile.set(p.file, list);
    }
    const next = new Set<string>();
    for (const [file, problems] of byFile) {
      const uri = this.uri(file);
      next.add(uri);
      this.target.publish(uri, problems);
    }
    for (const uri of this.published) if (!next.has(uri)) this.target.publish(uri, []);
    this.published.clear();
    for (const uri of next) this.published.add(uri);
    this.autoFetch();
  }
}
