/**
 * Home-Ops' own messages between the extension (client) and the language server, beside the
 * standard LSP ones: each declared once, with its parameters, result and error data, as a
 * RequestType or NotificationType. The server registers a handler for every entry of the
 * tables below (server/protocolHandlers.ts: a missing or extra one does not compile); the
 * extension sends them by name through extension/serverClient.ts, typed from the same tables.
 *
 * src/shared sits between src/core and the two front ends: it may import core's types and the
 * LSP protocol package, nothing else (eslint.config.mjs); src/core never imports it. Plain data
 * only: everything here crosses a process boundary as JSON.
 */
import { NotificationType, NotificationType0, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { AddAppPlan, AddCategoryPlan, AppSource, CategoryInfo, PlanErrors } from '../core/scaffold/types';
import type { AppNameCheck } from '../core/scaffold/addApp';
import type { ChartVersionsResult } from '../core/scaffold/chartVersions';
import type { ChartRef } from '../core/charts';
import type { TreeApp } from '../core/tree/appTree';
import type { TreeAppSetInfo } from '../core/tree/fromModel';
import type { ToolsReport } from '../core/render/toolsCheck';

/** One workspace folder's Applications, for the tree view. */
export interface ModelResponse {
  root: string;
  appsets: TreeAppSetInfo[];
  apps: TreeApp[];
}

export interface ScaffoldCategoriesResult {
  root: string;
  categories: CategoryInfo[];
}

export interface ScaffoldCheckNameParams {
  root: string;
  categoryId: string;
  name: string;
}
/** PlanErrors when the category is unknown (it may have gone since the user picked it). */
export type ScaffoldCheckNameResult = AppNameCheck | PlanErrors;

export interface ScaffoldPlanAppParams extends ScaffoldCheckNameParams {
  source: AppSource;
  /** Files of the plan's `siblings` to write too. */
  siblings?: string[];
}
export type ScaffoldPlanAppResult = AddAppPlan | PlanErrors;

export interface ScaffoldPlanCategoryParams {
  root: string;
  name: string;
}
export type ScaffoldPlanCategoryResult = AddCategoryPlan | PlanErrors;

export interface ScaffoldChartVersionsParams {
  repo: string;
  chart: string;
}
export type ScaffoldChartVersionsResult = ChartVersionsResult;

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
  /**
   * The local helm/kustomize differ from those of the Argo CD release the repository installs,
   * and what can differ; sent once per workspace folder and note.
   */
  toolsNote?: string;
  /** Objects of helmCharts left without the kustomization's namespace (kustomize ≥ 5.8): a warning at the `namespace:` line. */
  namespaceWarning?: { message: string; location: { file: string; line: number; column: number; endColumn?: number } };
  /** Rendered objects the API server would refuse or may not know; `line` is 0-based in `manifests`. */
  objectProblems?: { object: string; severity: 'error' | 'warning'; rule: string; message: string; line: number }[];
}
/** `data` of a failed render request. */
export interface RenderErrorData {
  kind: string;
  /** For a tool failure: `dns`, `unreachable`, `auth`, `fetch` (never placed on a line), `not-found`, `syntax`, `tool`. */
  cause?: string;
  stderr?: string;
  command?: string;
  /** 0-based location in the repository the error points at (a kustomization line). */
  location?: { file: string; line: number; column: number; endColumn?: number };
}

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

export interface RenderChangedParams {
  root: string;
  /** A branch, tag or commit; HEAD by default. */
  revision: string;
  /** With it, the server sends renderChangedProgress before each app. */
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
export interface RenderChangedProgress {
  progressId: string;
  /** Apps finished so far, of `total`; `app` is the one starting now. */
  done: number;
  total: number;
  app: string;
}

/** "Check Tools": per workspace folder, the binaries render uses and the ones Argo CD would. */
export interface CheckToolsResult {
  root: string;
  report: ToolsReport;
  /** The report as text lines, for the log. */
  lines: string[];
}

export interface AppsForFileParams {
  uri: string;
}
export type AppsForFileResponse = Array<{ root: string; name: string; path: string }>;

export interface RedHatYamlParams {
  active: boolean;
}

export interface FetchChartsParams {
  /** The workspace folder (a folder's root path); none: every folder. */
  root?: string;
  /** The charts to fetch; none: every chart the folder's values files need that is not there. */
  charts?: ChartRef[];
}
export interface FetchChartsResult {
  /** Why nothing was fetched (an untrusted workspace, no helm). */
  refused?: string;
  /** Chart labels (`oci://ghcr.io/x/app-template 4.6.2`). */
  pulled: string[];
  cached: string[];
  failed: Array<{ chart: string; message: string }>;
}

/** The client's `initializationOptions`. */
export interface InitializationOptions {
  trusted: boolean;
  /** Home-Ops' own storage folder (render cache, Helm homes). */
  cacheDir: string;
  /** Red Hat YAML validates in this editor; a client that says nothing has none. */
  redHatYaml?: boolean;
  /** The client has the `homeOps.fetchCharts` command (FetchChartsCommandArgs): code actions may run it. */
  fetchChartsCommand?: boolean;
}

/** The arguments of the client's `homeOps.fetchCharts` command when a code action runs it. */
export type FetchChartsCommandArgs = FetchChartsParams;

/** Requests, all sent by the client. */
export const Requests = {
  /** Every workspace folder's generated and standalone Applications, for the tree view. */
  model: new RequestType0<ModelResponse[], void>('homeOps/model'),
  /** Add App / Add Category: the server plans (it has the model), the extension applies one WorkspaceEdit. */
  scaffoldCategories: new RequestType0<ScaffoldCategoriesResult[], void>('homeOps/scaffold/categories'),
  scaffoldCheckName: new RequestType<ScaffoldCheckNameParams, ScaffoldCheckNameResult, void>('homeOps/scaffold/checkName'),
  scaffoldPlanApp: new RequestType<ScaffoldPlanAppParams, ScaffoldPlanAppResult, void>('homeOps/scaffold/planApp'),
  scaffoldPlanCategory: new RequestType<ScaffoldPlanCategoryParams, ScaffoldPlanCategoryResult, void>('homeOps/scaffold/planCategory'),
  /** The versions a Helm repository (`https://…` index or `oci://…` registry) offers for a chart; cancellable. */
  scaffoldChartVersions: new RequestType<ScaffoldChartVersionsParams, ScaffoldChartVersionsResult, void>('homeOps/scaffold/chartVersions'),
  /** Rendered manifests of one app, as Argo CD would render them (the server runs the binaries). */
  render: new RequestType<RenderParams, RenderResponse, RenderErrorData>('homeOps/render'),
  renderDiff: new RequestType<RenderDiffParams, RenderDiffResponse, RenderErrorData>('homeOps/renderDiff'),
  /**
   * Every app whose inputs changed between the working tree and a revision, rendered on both
   * sides and compared (rendered diff of a whole change). Cancellable.
   */
  renderChanged: new RequestType<RenderChangedParams, RenderChangedResponse, RenderErrorData>('homeOps/renderChanged'),
  /** Which helm, kustomize and git render runs (path, version, found how) and which the repository's Argo CD ships; refused in an untrusted workspace. */
  checkTools: new RequestType0<CheckToolsResult[], RenderErrorData>('homeOps/checkTools'),
  /** The apps whose source folder holds a file (for the editor-title preview on a values.yaml). */
  appsForFile: new RequestType<AppsForFileParams, AppsForFileResponse, void>('homeOps/appsForFile'),
  /**
   * Fetch charts into the chart cache with the user's helm (trusted workspaces only), then
   * re-check the values files; a chart that cannot be fetched is a `failed` entry, never an error.
   */
  fetchCharts: new RequestType<FetchChartsParams, FetchChartsResult, void>('homeOps/fetchCharts'),
} as const;

/** Notifications the server sends. */
export const ServerNotifications = {
  /** After the repository model changed (debounced); no payload. */
  modelChanged: new NotificationType0('homeOps/modelChanged'),
  /** Before each app of a renderChanged request that carried a progressId. */
  renderChangedProgress: new NotificationType<RenderChangedProgress>('homeOps/renderChangedProgress'),
} as const;

/** Notifications the client sends. */
export const ClientNotifications = {
  /** The user trusts the workspace: binaries may run from then on. */
  trustGranted: new NotificationType0('homeOps/trustGranted'),
  /**
   * Red Hat YAML starts or stops validating (installed, enabled or disabled, `yaml.validate`
   * changed): with it, files with a `$schema` modeline are left to it in 'auto' schema mode.
   */
  redHatYaml: new NotificationType<RedHatYamlParams>('homeOps/redHatYaml'),
} as const;

export type RequestName = keyof typeof Requests;
export type ServerNotificationName = keyof typeof ServerNotifications;
export type ClientNotificationName = keyof typeof ClientNotifications;

/** What a declared message carries, read from its RequestType/NotificationType. */
export type ParamsOf<T> = T extends RequestType<infer P, unknown, unknown> ? P : T extends NotificationType<infer P> ? P : never;
export type ResultOf<T> = T extends RequestType<unknown, infer R, unknown> ? R : T extends RequestType0<infer R, unknown> ? R : never;
export type ErrorDataOf<T> = T extends RequestType<unknown, unknown, infer E> ? E : T extends RequestType0<unknown, infer E> ? E : never;
/** The arguments after the name: none for a message without parameters. */
export type ArgsOf<T> = T extends RequestType0<unknown, unknown> | NotificationType0 ? [] : [params: ParamsOf<T>];

/** Every method name, for the test that nothing else travels under homeOps/. */
export const METHODS: readonly string[] = [...Object.values(Requests), ...Object.values(ServerNotifications), ...Object.values(ClientNotifications)].map((m) => m.method);
