/**
 * One workspace folder in the server: its repository model, the linter, and the diagnostics
 * published for it. Edits and file events are batched (debounced) so that typing re-evaluates
 * once per pause, and only the ApplicationSets the change can affect.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RepositoryModel } from '../core/model/repositoryModel';
import type { Problem } from '../core/problems';
import { Linter } from '../core/rules';
import type { ModelResponse, RenderChangedResponse, RenderDiffResponse, RenderErrorData, RenderResponse } from '../shared/protocol';
import { diffApp, diffChangedApps, locateBinaries, RenderCache, renderApp, RenderError, resolveBuildOptions, type Binaries, type RenderableApp, type RenderOptions } from '../core/render';
import { treeApps, treeAppSets } from '../core/tree/fromModel';
import { categories, checkAppName, nodeWriter, planAddApp, planAddCategory, resolveCategory, type AddAppPlan, type AddCategoryPlan, type AppNameCheck, type AppSource, type CategoryInfo, type PlanErrors } from '../core/scaffold';
import type { RenderSettings, ServerSettings } from './settings';

/** What rendering needs from the client: Workspace Trust and a storage folder. */
export interface RenderEnvironment {
  trusted: boolean;
  cacheDir: string;
  /** The render settings as of this request (read fresh: the user may have just set a path). */
  settings: RenderSettings;
}

export interface PublishTarget {
  publish(uri: string, problems: readonly Problem[]): void;
  modelChanged(): void;
  log(message: string): void;
}

export class WorkspaceFolderState {
  private model: RepositoryModel;
  private linter: Linter;
  private readonly published = new Set<string>();
  private readonly pending = new Set<string>();
  private readonly overlays = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private binaries: Binaries | undefined;
  private binariesKey: string | undefined;
  private renderCache: RenderCache | undefined;
  private buildOptionsOrigin: string | undefined;

  constructor(
    readonly root: string,
    private settings: ServerSettings,
    private readonly target: PublishTarget,
    private readonly debounceMs: number,
    /** Editor buffers already open, by repository-relative path. */
    openDocuments: ReadonlyMap<string, string> = new Map(),
  ) {
    const started = Date.now();
    this.model = new RepositoryModel(root, { exclude: settings.exclude });
    for (const [rel, text] of openDocuments) {
      this.overlays.set(rel, text);
      this.model.setOverlay(rel, text);
    }
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
    if (text === undefined) this.overlays.delete(rel);
    else this.overlays.set(rel, text);
    this.schedule(rel);
  }

  fileChanged(rel: string): void {
    this.schedule(rel);
  }

  updateSettings(settings: ServerSettings): void {
    const rebuild = JSON.stringify(settings.exclude) !== JSON.stringify(this.settings.exclude);
    this.settings = settings;
    if (rebuild) {
      this.model = new RepositoryModel(this.root, { exclude: settings.exclude });
      for (const [rel, text] of this.overlays) this.model.setOverlay(rel, text);
      this.linter = new Linter(this.model);
      this.target.modelChanged();
    }
    this.publishAll();
  }

  /** Applies pending changes now (tests and requests that need a current model call this). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const paths = [...this.pending];
    this.pending.clear();
    for (const p of paths) {
      if (this.overlays.has(p)) this.model.setOverlay(p, this.overlays.get(p));
      else this.model.setOverlay(p, undefined);
    }
    this.model.applyChanges(paths);
    this.publishAll();
    this.target.modelChanged();
  }

  modelSnapshot(): ModelResponse {
    this.flush();
    return { root: this.root, appsets: treeAppSets(this.model), apps: treeApps(this.model) };
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

  planAddApp(categoryId: string, name: string, source: AppSource): AddAppPlan | PlanErrors {
    this.flush();
    return planAddApp(this.model, { category: categoryId, name, source }, nodeWriter(this.root));
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

  private renderOptions(env: RenderEnvironment, signal: AbortSignal): RenderOptions {
    const key = JSON.stringify(env.settings);
    if (!this.binaries || this.binariesKey !== key) {
      const r = env.settings;
      this.binaries = locateBinaries({ ...(r.helmPath ? { helm: r.helmPath } : {}), ...(r.kustomizePath ? { kustomize: r.kustomizePath } : {}), ...(r.kubectlPath ? { kubectl: r.kubectlPath } : {}) });
      this.binariesKey = key;
    }
    this.renderCache ??= new RenderCache(path.join(env.cacheDir, 'render-cache'));
    const build = resolveBuildOptions({ files: this.model.tree.files, readText: (f) => this.model.textOf(f) }, env.settings.buildOptions);
    this.buildOptionsOrigin = build.origin;
    return { root: this.root, trusted: env.trusted, cacheDir: env.cacheDir, binaries: this.binaries, signal, timeoutMs: env.settings.timeoutSeconds * 1000, cache: this.renderCache, buildOptions: build.options };
  }

  async render(name: string, env: RenderEnvironment, signal: AbortSignal): Promise<RenderResponse> {
    const app = this.appNamed(name);
    if (!app) throw new RenderError(`No Application named ${name} in ${this.root}.`, 'source');
    const r = await renderApp(app, this.renderOptions(env, signal));
    return { manifests: r.manifests, sourceType: r.sourceType, command: r.command, durationMs: r.durationMs, cached: r.cached, objectCount: r.objects.length, warnings: r.warnings, buildOptionsOrigin: this.buildOptionsOrigin ?? '' };
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
          const loc = a.error.details.location;
          const error: RenderErrorData & { message: string } = {
            message: a.error.message,
            kind: a.error.kind,
            ...(a.error.details.stderr !== undefined ? { stderr: a.error.details.stderr } : {}),
            ...(a.error.details.command !== undefined ? { command: a.error.details.command } : {}),
            ...(loc ? { location: { ...loc } } : {}),
          };
          return { ...base, resources: [], before: '', after: '', missingAtRevision: false, error };
        }
        const d = a.diff;
        return { ...base, summary: a.summary, resources: d.resources.map((x) => ({ key: x.key, status: x.status })), before: d.before?.manifests ?? '', after: d.after.manifests, missingAtRevision: d.missingAtRevision };
      }),
    };
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

  private schedule(rel: string): void {
    this.pending.add(rel);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.debounceMs);
  }

  private publishAll(): void {
    const byFile = new Map<string, Problem[]>();
    for (const p of this.linter.run({ severities: this.settings.rules, schemaValidation: this.settings.schemaValidation, redHatYamlActive: this.settings.redHatYamlActive })) {
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
  }
}
