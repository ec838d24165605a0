/** What Add App and Add Category produce: plans (pure data) that a writer applies. */
import type { AppSetRef } from '../appset/evaluate';

/** A category Add App offers: where a new app directory goes and which ApplicationSet generates it. */
export interface CategoryInfo {
  /** Stable id (the tree's category node id, or `folder:<path>` for an empty category folder). */
  id: string;
  /** What the tree shows: the appset name, or the category folder's name for multi-level patterns. */
  label: string;
  appset: AppSetRef;
  /** Repository-relative folder the new app directory is created in. */
  folder: string;
  /** The generator pattern with the category filled in, e.g. `pitower/kubernetes/apps/media/*`. */
  pattern: string;
  /** The generator pattern as written in the appset (`apps/pitower/*\/*` for multi-level ones). */
  appsetPattern: string;
  /** Directories of the apps the category already has (its neighbours). */
  appDirs: string[];
  /** Destination cluster, when the repository deploys to several. */
  cluster?: string;
}

export interface ChartRef {
  repo: string;
  name: string;
  version: string;
}

export type AppSource = { kind: 'neighbours' } | ({ kind: 'chart' } & ChartRef) | { kind: 'plain' };

export interface PlannedFile {
  /** Repository-relative path. */
  path: string;
  content: string;
}

/** A change to an existing file (e.g. listing a new appset in the appsets' kustomization). */
export interface PlannedEdit {
  path: string;
  /** The file's full text the edit was planned against; applying refuses when it changed. */
  original: string;
  /** Insertion point (0-based) and the text inserted there. */
  line: number;
  character: number;
  insert: string;
}

export interface Cursor {
  file: string;
  /** 0-based, like LSP. */
  line: number;
  character: number;
}

export interface PlannedApplication {
  name: string;
  namespace?: string;
  project?: string;
  appset: AppSetRef;
}

export interface AddAppPlan {
  kind: 'add-app';
  category: CategoryInfo;
  name: string;
  directory: string;
  /** New files, in the order they are written; nothing existing is overwritten. */
  files: PlannedFile[];
  edits: PlannedEdit[];
  /** Folders that must be created (missing ones only), parents first. */
  folders: string[];
  /** Applications the engine generates for the new directory (normally one). */
  applications: PlannedApplication[];
  application: PlannedApplication;
  source: { kind: 'chart'; chart: ChartRef; from: 'category' | 'repository' | 'given' } | { kind: 'plain' };
  /** Files the category's apps list (an ExternalSecret, an HTTPRoute…), offered as a choice; `included` when written. */
  siblings: Array<{ file: string; count: number; of: number; included: boolean }>;
  cursor: Cursor;
  notes: string[];
}

export interface AddCategoryPlan {
  kind: 'add-category';
  name: string;
  /** `appset`: a new ApplicationSet file; `folder`: only the category level of a multi-level pattern. */
  mode: 'appset' | 'folder';
  /** The new category folder. */
  folder: string;
  /** The new ApplicationSet (appset mode). */
  appset?: { name: string; file: string; pattern: string; modelledOn: string };
  files: PlannedFile[];
  edits: PlannedEdit[];
  folders: string[];
  cursor: Cursor;
  notes: string[];
}

export type Plan = AddAppPlan | AddCategoryPlan;

/** A plan that cannot be made, each reason a sentence. */
export interface PlanErrors {
  errors: string[];
}

export function isPlanErrors(r: Plan | PlanErrors): r is PlanErrors {
  return 'errors' in r;
}

/**
 * File-system access for scaffolding, repository-relative. The VS Code command supplies one that
 * only checks (it writes through a WorkspaceEdit); the CLI and tests use `nodeWriter`.
 */
export interface ScaffoldWriter {
  /** Whether anything (file, folder, link) exists at the path. */
  exists(rel: string): boolean;
  /**
   * Why a new entry cannot be created in this folder (or its nearest existing ancestor): not
   * writable, or the folder leads out of the repository (`leavesRepository`); undefined when it can.
   */
  cannotWrite(relDir: string): string | undefined;
  /** Why writing at this path would land outside the repository (a symbolic link on the way leads out); undefined when it stays inside. */
  leavesRepository(rel: string): string | undefined;
  /** Creates one folder (its parent exists); throws when it exists. */
  mkdir(rel: string): void;
  /** Creates a new file; throws when anything exists at the path (`wx`). */
  createFile(rel: string, content: string): void;
  readFile(rel: string): string | undefined;
  /** Replaces an existing file's content (edits only). */
  replaceFile(rel: string, content: string): void;
  removeFile(rel: string): void;
  /** Removes an empty folder. */
  removeDir(rel: string): void;
}
