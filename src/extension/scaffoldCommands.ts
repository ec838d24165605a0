/**
 * "Home-Ops: Add App…" and "Home-Ops: Add Category…": the server plans from the repository's own
 * conventions (it owns the model), this side asks the questions and applies the plan as one
 * WorkspaceEdit, so the whole change is one undo and nothing existing is overwritten.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { parseChartSpec } from '../core/scaffold/chartSpec';
import type { AppSource, CategoryInfo, Plan, PlanErrors } from '../core/scaffold/types';
import type { CategoryNode } from '../core/tree/appTree';
import {
  SCAFFOLD_CATEGORIES_REQUEST,
  SCAFFOLD_CHECK_NAME_REQUEST,
  SCAFFOLD_PLAN_APP_REQUEST,
  SCAFFOLD_PLAN_CATEGORY_REQUEST,
  type ScaffoldCategoriesResult,
  type ScaffoldCheckNameParams,
  type ScaffoldCheckNameResult,
  type ScaffoldPlanAppParams,
  type ScaffoldPlanAppResult,
  type ScaffoldPlanCategoryParams,
  type ScaffoldPlanCategoryResult,
} from '../server/protocol';

/** Typing pauses shorter than this are one name: each check evaluates the appsets. */
const CHECK_DEBOUNCE_MS = 150;

interface Picked {
  root: string;
  category: CategoryInfo;
}

function isErrors(r: unknown): r is PlanErrors {
  return typeof r === 'object' && r !== null && 'errors' in r;
}

/** The category the command was started from: a tree category, or a folder in the Explorer. */
function preselected(all: ScaffoldCategoriesResult[], arg: unknown): Picked | undefined {
  if (arg instanceof vscode.Uri) {
    for (const { root, categories } of all) {
      const rel = path.relative(root, arg.fsPath).split(path.sep).join('/');
      const hit = categories.find((c) => c.folder === rel);
      if (hit) return { root, category: hit };
    }
  }
  const node = arg as CategoryNode | undefined;
  if (node?.kind === 'category') {
    for (const { root, categories } of all) {
      const hit = categories.find((c) => c.id === node.id || (node.folder !== undefined && c.folder === node.folder));
      if (hit) return { root, category: hit };
    }
  }
  return undefined;
}

async function pickCategory(client: LanguageClient, arg: unknown): Promise<Picked | undefined> {
  const all = await client.sendRequest<ScaffoldCategoriesResult[]>(SCAFFOLD_CATEGORIES_REQUEST);
  const pre = preselected(all, arg);
  if (pre) return pre;
  type Item = vscode.QuickPickItem & { target: Picked };
  const items: Item[] = all.flatMap(({ root, categories }) =>
    categories.map((category) => ({
      label: category.label,
      description: `${category.folder}/<name>`,
      detail: `${category.appDirs.length} app${category.appDirs.length === 1 ? '' : 's'} · ApplicationSet ${category.appset.name}`,
      target: { root, category },
    })),
  );
  if (items.length === 0) {
    void vscode.window.showWarningMessage('No category found: Add App needs an ApplicationSet whose git directory generator creates one app per folder.');
    return undefined;
  }
  const choice = await vscode.window.showQuickPick(items, { title: 'Add App: category', placeHolder: 'Where the new app goes (the path it will get)', matchOnDescription: true });
  return choice?.target;
}

/** Name input with live validation: shows the Application name the appset will generate. */
function askName(client: LanguageClient, picked: Picked): Promise<string | undefined> {
  const input = vscode.window.createInputBox();
  input.title = `Add App to ${picked.category.label}`;
  input.placeholder = 'app name, e.g. my-app';
  input.prompt = `Creates ${picked.category.folder}/<name>`;
  let timer: NodeJS.Timeout | undefined;
  let seq = 0;
  let valid = false;
  const check = (value: string) => {
    const mine = ++seq;
    valid = false;
    input.busy = true;
    const params: ScaffoldCheckNameParams = { root: picked.root, categoryId: picked.category.id, name: value };
    void client.sendRequest<ScaffoldCheckNameResult | PlanErrors>(SCAFFOLD_CHECK_NAME_REQUEST, params).then((r) => {
      if (mine !== seq) return;
      input.busy = false;
      if (r.errors.length > 0) {
        input.validationMessage = r.errors[0];
        return;
      }
      input.validationMessage = undefined;
      valid = true;
      const app = 'application' in r ? r.application : undefined;
      input.prompt = app ? `Creates ${picked.category.folder}/${value} → Application ${app.name}${app.namespace ? ` in namespace ${app.namespace}` : ''}` : `Creates ${picked.category.folder}/${value}`;
    });
  };
  return new Promise((resolve) => {
    input.onDidChangeValue((v) => {
      valid = false;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => check(v), CHECK_DEBOUNCE_MS);
    });
    input.onDidAccept(() => {
      if (!valid) return;
      resolve(input.value);
      input.dispose();
    });
    input.onDidHide(() => {
      if (timer) clearTimeout(timer);
      resolve(undefined);
      input.dispose();
    });
    input.show();
  });
}

async function askSource(client: LanguageClient, picked: Picked, name: string): Promise<AppSource | undefined> {
  // Plan once with the neighbours' chart, to name it in the first choice.
  const probe = await client.sendRequest<ScaffoldPlanAppResult>(SCAFFOLD_PLAN_APP_REQUEST, { root: picked.root, categoryId: picked.category.id, name, source: { kind: 'neighbours' } } satisfies ScaffoldPlanAppParams);
  type Item = vscode.QuickPickItem & { source?: AppSource; other?: true };
  const items: Item[] = [];
  if (!isErrors(probe) && probe.source.kind === 'chart') {
    const c = probe.source.chart;
    items.push({ label: `$(package) ${c.name} ${c.version}`, description: c.repo, detail: `The chart ${probe.source.from === 'category' ? 'this category' : 'this repository'} uses most`, source: { kind: 'neighbours' } });
  }
  items.push({ label: '$(cloud-download) Another Helm chart…', description: 'repository URL or oci://, chart, version', other: true });
  items.push({ label: '$(file-code) Plain kustomize resources', description: 'a kustomization with resources, no chart', source: { kind: 'plain' } });
  const choice = await vscode.window.showQuickPick(items, { title: `Add App ${name}: what to deploy` });
  if (!choice) return undefined;
  if (choice.source) return choice.source;
  const spec = await vscode.window.showInputBox({
    title: 'Helm chart',
    prompt: 'REPO/NAME@VERSION, e.g. oci://ghcr.io/bjw-s-labs/helm/app-template@4.6.2 or https://charts.jetstack.io/cert-manager@v1.17.2',
    validateInput: (v) => (parseChartSpec(v.trim()) ? undefined : 'Write it as REPO/NAME@VERSION'),
  });
  const chart = spec ? parseChartSpec(spec.trim()) : undefined;
  return chart ? { kind: 'chart', ...chart } : undefined;
}

/** Turns a plan into one WorkspaceEdit; refuses when an edited file changed since planning. */
async function applyPlan(root: string, plan: Plan): Promise<boolean> {
  const edit = new vscode.WorkspaceEdit();
  const uri = (rel: string) => vscode.Uri.file(path.join(root, ...rel.split('/')));
  for (const f of plan.files) edit.createFile(uri(f.path), { overwrite: false, ignoreIfExists: false, contents: Buffer.from(f.content, 'utf8') });
  for (const e of plan.edits) {
    const doc = await vscode.workspace.openTextDocument(uri(e.path));
    if (doc.getText() !== e.original) {
      void vscode.window.showErrorMessage(`${e.path} changed while the plan was made; nothing was written. Try again.`);
      return false;
    }
    edit.insert(uri(e.path), new vscode.Position(e.line, e.character), e.insert);
  }
  const ok = await vscode.workspace.applyEdit(edit, { isRefactoring: false });
  if (!ok) {
    void vscode.window.showErrorMessage('VS Code refused the change (a file may already exist); nothing was written.');
    return false;
  }
  await vscode.workspace.saveAll(false);
  const cursor = plan.cursor;
  const doc = await vscode.workspace.openTextDocument(uri(cursor.file));
  const pos = new vscode.Position(cursor.line, cursor.character);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos) });
  return true;
}

export async function addApp(client: LanguageClient, arg: unknown, log: vscode.LogOutputChannel): Promise<void> {
  const picked = await pickCategory(client, arg);
  if (!picked) return;
  const name = await askName(client, picked);
  if (!name) return;
  const source = await askSource(client, picked, name);
  if (!source) return;
  const plan = await client.sendRequest<ScaffoldPlanAppResult>(SCAFFOLD_PLAN_APP_REQUEST, { root: picked.root, categoryId: picked.category.id, name, source } satisfies ScaffoldPlanAppParams);
  if (isErrors(plan)) {
    void vscode.window.showErrorMessage(`Cannot add ${name}: ${plan.errors.join(' ')}`);
    return;
  }
  if (await applyPlan(picked.root, plan)) {
    log.info(`Added ${plan.directory}: Application ${plan.application.name}${plan.application.namespace ? ` in ${plan.application.namespace}` : ''}`);
    vscode.window.setStatusBarMessage(`Added ${plan.application.name}`, 4000);
  }
}

export async function addCategory(client: LanguageClient, log: vscode.LogOutputChannel): Promise<void> {
  const all = await client.sendRequest<ScaffoldCategoriesResult[]>(SCAFFOLD_CATEGORIES_REQUEST);
  const root = all[0]?.root;
  if (!root) return;
  const name = await vscode.window.showInputBox({
    title: 'Add Category',
    prompt: 'Category name (a folder and, where the repository has one per category, an ApplicationSet)',
    validateInput: (v) => (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) ? undefined : 'Lower-case letters, digits and "-"'),
  });
  if (!name) return;
  const plan = await client.sendRequest<ScaffoldPlanCategoryResult>(SCAFFOLD_PLAN_CATEGORY_REQUEST, { root, name } satisfies ScaffoldPlanCategoryParams);
  if (isErrors(plan)) {
    void vscode.window.showErrorMessage(`Cannot add category ${name}: ${plan.errors.join(' ')}`);
    return;
  }
  if (await applyPlan(root, plan)) log.info(`Added category ${name}${plan.appset ? ` (${plan.appset.file}, modelled on ${plan.appset.modelledOn})` : ''}`);
}
