/**
 * Add App and Add Category: plans built from the repository's own conventions and checked by
 * the engine, then written by `applyPlan` (CLI, tests) or turned into one WorkspaceEdit (VS Code).
 */
export { categories, findCategories } from './categories';
export { conventions, type Conventions, type KustomizationStyle, type Vote } from './conventions';
export { checkAppName, parseChartSpec, planAddApp, resolveCategory, type AddAppRequest, type AppNameCheck, type CheckOptions } from './addApp';
export { planAddCategory, substituteCategory } from './addCategory';
export { applyEdit, applyPlan, ApplyError, nodeWriter, type ApplyResult } from './apply';
export { planLeavesRoot, writeLeavesRoot } from './containment';
export { valuesSkeleton, renderValues, firstPlaceholder } from './values';
export * from './types';
