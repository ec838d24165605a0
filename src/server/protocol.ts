import type { AddAppPlan, AddCategoryPlan, AppSource, CategoryInfo, PlanErrors } from '../core/scaffold/types';
import type { AppNameCheck } from '../core/scaffold/addApp';
import type { ChartVersionsResult } from '../core/scaffold/chartVersions';
import type { TreeApp } from '../core/tree/appTree';
import type { TreeAppSetInfo } from '../core/tree/fromModel';

/**
 * Home-Ops' own messages between the extension (client) and the language server, beside the
 * standard LSP ones. Shared by both sides; plain data only.
 */

/** Sent by the client: the generated and standalone Applications, for the tree view. */
export const MODEL_REQUEST = 'homeOps/model';

/** Sent by the server after the repository model changed (debounced); no payload. */
export const MODEL_CHANGED_NOTIFICATION = 'homeOps/modelChanged';

export interface ModelResponse {
  root: string;
  appsets: TreeAppSetInfo[];
  apps: TreeApp[];
}

/** Add App / Add Category: the server plans (it has the model), the extension applies one WorkspaceEdit. */
export const SCAFFOLD_CATEGORIES_REQUEST = 'homeOps/scaffold/categories';
export interface ScaffoldCategoriesResult {
  root: string;
  categories: CategoryInfo[];
}

export const SCAFFOLD_CHECK_NAME_REQUEST = 'homeOps/scaffold/checkName';
export interface ScaffoldCheckNameParams {
  root: string;
  categoryId: string;
  name: string;
}
export type ScaffoldCheckNameResult = AppNameCheck;

export const SCAFFOLD_PLAN_APP_REQUEST = 'homeOps/scaffold/planApp';
export interface ScaffoldPlanAppParams extends ScaffoldCheckNameParams {
  source: AppSource;
}
export type ScaffoldPlanAppResult = AddAppPlan | PlanErrors;

export const SCAFFOLD_PLAN_CATEGORY_REQUEST = 'homeOps/scaffold/planCategory';
export interface ScaffoldPlanCategoryParams {
  root: string;
  name: string;
}
export type ScaffoldPlanCategoryResult = AddCategoryPlan | PlanErrors;

/** The versions a Helm repository (`https://…` index or `oci://…` registry) offers for a chart; cancellable. */
export const SCAFFOLD_CHART_VERSIONS_REQUEST = 'homeOps/scaffold/chartVersions';
export interface ScaffoldChartVersionsParams {
  repo: string;
  chart: string;
}
export type ScaffoldChartVersionsResult = ChartVersionsResult;

/** Rendered manifests of one app, as Argo CD would render them (the server runs the binaries). */
export const RENDER_REQUEST = 'homeOps/render';
export interface RenderParams {
  root: string;
  /** Application name (generated or standalone). */
  app: string;
}
export interface RenderResponse {
  manifests: string;
  sourceType: string;
  command: string;
  durationMs: number;
  cached: boolean;
  objectCount: number;
  warnings: string[];
  /** Where the kustomize build options came from (`file:line` or the setting). */
  buildOptionsOrigin: string;
  /** Build options the repository chose that were left out (not allowed by the user), as a sentence; absent when none. */
  buildOptionsRefused?: string;
}
/** `data` of a failed render request. */
export interface RenderErrorData {
  kind: string;
  stderr?: string;
  command?: string;
  /** 0-based location in the repository the error points at (a kustomization line). */
  location?: { file: string; line: number; column: number; endColumn?: number };
}

export const RENDER_DIFF_REQUEST = 'homeOps/renderDiff';
export interface RenderDiffParams extends RenderParams {
  /** A branch, tag or commit; HEAD by default. */
  revision: string;
}
export interface RenderDiffResponse {
  revision: string;
  commit: string;
  before: string;
  after: string;
  missingAtRevision: boolean;
  resources: Array<{ key: string; status: string }>;
}

/**
 * Every app whose inputs changed between the working tree and a revision, rendered on both sides
 * and compared (rendered diff of a whole change). Cancellable; with `progressId`, the server sends
 * RENDER_CHANGED_PROGRESS_NOTIFICATION before each app.
 */
export const RENDER_CHANGED_REQUEST = 'homeOps/renderChanged';
export interface RenderChangedParams {
  root: string;
  /** A branch, tag or commit; HEAD by default. */
  revision: string;
  progressId?: string;
}
export interface RenderChangedApp {
  name: string;
  /** Repository-relative source path. */
  path: string;
  /** Per-resource counts; absent when the app failed to render. */
  summary?: { added: number; removed: number; changed: number };
  resources: Array<{ key: string; status: string }>;
  /** Both renderings, for the diff editor ('' when absent). */
  before: string;
  after: string;
  missingAtRevision: boolean;
  /** Why the app could not be rendered (then no summary). */
  error?: RenderErrorData & { message: string };
}
export interface RenderChangedResponse {
  revision: string;
  /** '' when no app changed. */
  commit: string;
  apps: RenderChangedApp[];
}
export const RENDER_CHANGED_PROGRESS_NOTIFICATION = 'homeOps/renderChangedProgress';
export interface RenderChangedProgress {
  progressId: string;
  /** Apps finished so far, of `total`; `app` is the one starting now. */
  done: number;
  total: number;
  app: string;
}

/** The apps whose source folder holds a file (for the editor-title preview on a values.yaml). */
export const APPS_FOR_FILE_REQUEST = 'homeOps/appsForFile';
export interface AppsForFileParams {
  uri: string;
}
export type AppsForFileResponse = Array<{ root: string; name: string; path: string }>;

/** Sent by the client when the user trusts the workspace: binaries may run from then on. */
export const TRUST_GRANTED_NOTIFICATION = 'homeOps/trustGranted';

/**
 * Sent by the client when Red Hat YAML starts or stops validating (installed, enabled or disabled,
 * `yaml.validate` changed): with it, files with a `$schema` modeline are left to it in 'auto'
 * schema mode.
 */
export const RED_HAT_YAML_NOTIFICATION = 'homeOps/redHatYaml';
export interface RedHatYamlParams {
  active: boolean;
}

/** The client's `initializationOptions`. */
export interface InitializationOptions {
  trusted: boolean;
  /** Home-Ops' own storage folder (render cache, Helm homes). */
  cacheDir: string;
  /** Red Hat YAML validates in this editor; a client that says nothing has none. */
  redHatYaml?: boolean;
}
