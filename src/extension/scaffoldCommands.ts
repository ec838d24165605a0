/**
 * "Home-Ops: Add App…" and "Home-Ops: Add Category…": the server plans from the repository's own
 * conventions (it owns the model), this side asks the questions and applies the plan as one
 * WorkspaceEdit, so the whole change is one undo and nothing existing is overwritten.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseChartSpec } from '../core/scaffold/chartSpec';
import { planLeavesRoot } from '../core/scaffold/containment';
import type { AppSource, ChartRef, CategoryInfo, Plan, PlanErrors } from '../core/scaffold/types';
import type { CategoryNode } from '../core/tree/appTree';
import type { ScaffoldCategoriesResult } from '../shared/protocol';
import type { HomeOpsServer } from './serverClient';

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

async function pickCategory(server: HomeOpsServer, arg: unknown): Promise<Picked | undefined> {
  const all = await server.request('scaffoldCategories');
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
function askName(server: HomeOpsServer, picked: Picked): Promise<string | undefined> {
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
    void server.request('scaffoldCheckName', { root: picked.root, categoryId: picked.category.id, name: value }).then((r) => {
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

async function askSource(server: HomeOpsServer, picked: Picked, name: string): Promise<AppSource | undefined> {
  // Plan once with the neighbours' chart, to name it in the first choice.
  const probe = await server.request('scaffoldPlanApp', { root: picked.root, categoryId: picked.category.id, name, source: { kind: 'neighbours' } });
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
  const neighbour = !isErrors(probe) && probe.source.kind === 'chart' ? probe.source.chart : undefined;
  const chart = await askChart(server, neighbour);
  return chart ? { kind: 'chart', ...chart } : undefined;
}

/**
 * "Another Helm chart…": the repository, the chart, then a version from the repository's index or
 * registry (typed when it cannot be listed). A whole REPO/NAME@VERSION in the first box is taken as is.
 */
async function askChart(server: HomeOpsServer, neighbour: ChartRef | undefined): Promise<ChartRef | undefined> {
  const repoInput = await vscode.window.showInputBox({
    title: 'Helm chart (1/3): repository',
    prompt: 'Repository URL (https://…) or OCI registry (oci://…); or a whole REPO/NAME@VERSION',
    placeHolder: 'oci://ghcr.io/bjw-s-labs/helm or https://charts.jetstack.io',
    ...(neighbour ? { value: neighbour.repo } : {}),
    ignoreFocusOut: true,
    validateInput: (v) => {
      const t = v.trim();
      if (/^(oci|https?):\/\/[^\s/]+(\/\S*)?$/.test(t) && (!t.includes('@') || parseChartSpec(t))) return undefined;
      return 'A URL starting with https://, http:// or oci:// (or REPO/NAME@VERSION)';
    },
  });
  if (!repoInput) return undefined;
  const whole = repoInput.includes('@') ? parseChartSpec(repoInput.trim()) : undefined;
  if (whole) return whole;
  const repo = repoInput.trim().replace(/\/+$/, '');
  const name = await vscode.window.showInputBox({
    title: 'Helm chart (2/3): chart name',
    prompt: `The chart's name in ${repo}`,
    placeHolder: 'e.g. app-template, cert-manager',
    ...(neighbour && neighbour.repo.replace(/\/+$/, '') === repo ? { value: neighbour.name } : {}),
    ignoreFocusOut: true,
    validateInput: (v) => (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v.trim()) ? undefined : 'Letters, digits, ".", "_" and "-" (no "/")'),
  });
  if (!name) return undefined;
  const version = await pickVersion(server, repo, name.trim());
  return version ? { repo, name: name.trim(), version } : undefined;
}

const VERSION_RE = /^[^\s@/]+$/;

/**
 * A QuickPick that shows "looking up" at once, fills with the versions when they arrive, and always
 * takes a typed version. Escape cancels the lookup.
 */
function pickVersion(server: HomeOpsServer, repo: string, chart: string): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { version?: string; typeOne?: true };
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = `Helm chart (3/3): version of ${chart}`;
  qp.placeholder = `Looking up the versions in ${repo}… (or type one)`;
  qp.busy = true;
  qp.ignoreFocusOut = true;
  qp.matchOnDescription = true;
  const cancel = new vscode.CancellationTokenSource();
  let listed: Item[] = [];
  const typeOne: Item = { label: '$(edit) Type a version', alwaysShow: true, typeOne: true };
  const render = () => {
    const typed = qp.value.trim();
    const exact = listed.some((i) => i.version === typed);
    const typedItem: Item[] = typed !== '' && !exact && VERSION_RE.test(typed) ? [{ label: typed, description: 'the version typed', alwaysShow: true, version: typed }] : [];
    qp.items = [...listed, ...typedItem, ...(typed === '' ? [typeOne] : [])];
  };
  render();
  void server.request('scaffoldChartVersions', { repo, chart }, cancel.token).then(
    (r) => {
      if (cancel.token.isCancellationRequested) return;
      qp.busy = false;
      if ('unavailable' in r) {
        qp.placeholder = `Versions unavailable (${r.unavailable}): type one`;
        listed = [];
      } else {
        const from = r.source === 'oci' ? 'registry' : 'index';
        qp.placeholder = `${r.versions.length} version${r.versions.length === 1 ? '' : 's'} in the ${from}${r.truncated ? ' (first pages only)' : ''}; pick one or type one`;
        let latest = true;
        listed = r.versions.map((v) => {
          const pre = /^v?\d+(\.\d+)*-/.test(v);
          const item: Item = { label: v, version: v, ...(latest && !pre ? { description: 'latest' } : pre ? { description: 'prerelease' } : {}) };
          if (!pre) latest = false;
          return item;
        });
      }
      render();
    },
    (e: unknown) => {
      if (cancel.token.isCancellationRequested) return;
      qp.busy = false;
      qp.placeholder = `Versions unavailable (${String((e as Error)?.message ?? e)}): type one`;
      render();
    },
  );
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: string | undefined) => {
      if (done) return;
      done = true;
      cancel.cancel();
      cancel.dispose();
      resolve(v);
      qp.dispose();
    };
    qp.onDidChangeValue(render);
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0] ?? qp.activeItems[0];
      if (item?.version) return finish(item.version);
      if (item?.typeOne || !item) {
        const typed = qp.value.trim();
        if (typed !== '' && VERSION_RE.test(typed)) return finish(typed);
        // Nothing typed yet: the box is where a version is typed.
        qp.placeholder = 'Type the version, e.g. 1.2.3, then Enter';
      }
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

/** Turns a plan into one WorkspaceEdit; refuses when an edited file changed since planning, or a path leads out of the repository. */
async function applyPlan(root: string, plan: Plan): Promise<boolean> {
  // The server refused links out of the repository when it planned; one may have appeared since,
  // and VS Code's WorkspaceEdit follows them like any writer.
  const outside = planLeavesRoot(root, plan);
  if (outside.length > 0) {
    void vscode.window.showErrorMessage(`Nothing was written: ${outside.join(' ')}`);
    return false;
  }
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

/**
 * Which of the files the category's apps list beside their chart to write too (an ExternalSecret,
 * an HTTPRoute…); those most of them list come ticked. Undefined when the user cancels.
 */
async function askSiblings(options: ReadonlyArray<{ file: string; count: number; of: number }>, category: string): Promise<string[] | undefined> {
  const items = options.map((o) => ({ label: o.file, description: `listed by ${o.count} of ${o.of} apps of ${category}`, picked: o.count * 2 > o.of }));
  const chosen = await vscode.window.showQuickPick(items, { title: 'Add App: files the neighbours have too', placeHolder: 'Written shaped like theirs, with <placeholders>, and listed under resources', canPickMany: true });
  return chosen?.map((c) => c.label);
}

export async function addApp(server: HomeOpsServer, arg: unknown, log: vscode.LogOutputChannel): Promise<void> {
  const picked = await pickCategory(server, arg);
  if (!picked) return;
  const name = await askName(server, picked);
  if (!name) return;
  const source = await askSource(server, picked, name);
  if (!source) return;
  let plan = await server.request('scaffoldPlanApp', { root: picked.root, categoryId: picked.category.id, name, source });
  if (!isErrors(plan) && plan.siblings.length > 0) {
    const siblings = await askSiblings(plan.siblings, picked.category.label);
    if (siblings === undefined) return;
    if (siblings.length > 0) plan = await server.request('scaffoldPlanApp', { root: picked.root, categoryId: picked.category.id, name, source, siblings });
  }
  if (isErrors(plan)) {
    void vscode.window.showErrorMessage(`Cannot add ${name}: ${plan.errors.join(' ')}`);
    return;
  }
  if (await applyPlan(picked.root, plan)) {
    log.info(`Added ${plan.directory}: Application ${plan.application.name}${plan.application.namespace ? ` in ${plan.application.namespace}` : ''}`);
    vscode.window.setStatusBarMessage(`Added ${plan.application.name}`, 4000);
  }
}

export async function addCategory(server: HomeOpsServer, log: vscode.LogOutputChannel): Promise<void> {
  const all = await server.request('scaffoldCategories');
  const root = all[0]?.root;
  if (!root) return;
  const name = await vscode.window.showInputBox({
    title: 'Add Category',
    prompt: 'Category name (a folder and, where the repository has one per category, an ApplicationSet)',
    validateInput: (v) => (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) ? undefined : 'Lower-case letters, digits and "-"'),
  });
  if (!name) return;
  const plan = await server.request('scaffoldPlanCategory', { root, name });
  if (isErrors(plan)) {
    void vscode.window.showErrorMessage(`Cannot add category ${name}: ${plan.errors.join(' ')}`);
    return;
  }
  if (await applyPlan(root, plan)) log.info(`Added category ${name}${plan.appset ? ` (${plan.appset.file}, modelled on ${plan.appset.modelledOn})` : ''}`);
}
