import type { AddAppPlan, AddCategoryPlan, AppSource, CategoryInfo, PlanErrors } from '../core/scaffold/types';
import type { AppNameCheck } from '../core/scaffold/addApp';
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
