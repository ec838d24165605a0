/**
 * Add Category. With one ApplicationSet per category, a new appset file is made from the most
 * typical existing one by substituting the category name in its text (comments and formatting
 * kept), then read and evaluated by the engine before it is offered. With one appset over
 * `apps/<cluster>/*\/*`, a category is just a folder at the first glob level.
 */
import { isDns1123Label } from '../argocd/names';
import type { AppSetEvaluation } from '../appset/evaluate';
import { globLevels } from '../generators/gitDirectories';
import { asArray, asRecord, asString } from '../generators/spec';
import { goPathMatch } from '../glob/goPathMatch';
import type { RepositoryModel } from '../model/repositoryModel';
import { parseYamlFile } from '../yaml/parse';
import { excludePatterns, includePatterns } from './categories';
import { parentOf } from '../workspace/treeView';
import type { AddCategoryPlan, PlannedEdit, PlanErrors, ScaffoldWriter } from './types';
import { kustomizationIn } from '../yaml/classify';

const TOKEN = '\u0000category\u0000';
const GITKEEP_NOTE = 'The folder holds a .gitkeep because Git does not track empty folders; delete it once the first app is in.';

interface Candidate {
  ev: AppSetEvaluation;
  pattern: string;
  /** The category name as it appears in the pattern (the folder above the glob). */
  token: string;
  text: string;
  normalized: string;
}

function tokenRegex(token: string): RegExp {
  return new RegExp(`(?<![A-Za-z0-9-])${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9-])`, 'g');
}

export function substituteCategory(text: string, from: string, to: string): string {
  return text.replace(tokenRegex(from), to);
}

export function planAddCategory(model: RepositoryModel, name: string, writer?: ScaffoldWriter): AddCategoryPlan | PlanErrors {
  if (!isDns1123Label(name)) {
    return { errors: [`"${name}" is not a valid category name: use lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters (it becomes a folder, usually a namespace and part of Application names).`] };
  }
  const single: Candidate[] = [];
  const multi: Array<{ ev: AppSetEvaluation; pattern: string }> = [];
  for (const ev of model.appsets()) {
    const patterns = includePatterns(model, ev);
    if (patterns.length !== 1) continue;
    const pattern = patterns[0] as string;
    const segs = pattern.split('/');
    const levels = globLevels(pattern);
    if (pattern.includes('{{')) continue;
    if (levels.length === 1 && levels[0] === segs.length - 1 && segs.length >= 2) {
      const parsed = model.parsedFile(ev.appset.file);
      const text = model.textOf(ev.appset.file);
      if (!parsed || parsed.docs.length !== 1 || text === undefined) continue;
      const token = segs[segs.length - 2] as string;
      single.push({ ev, pattern, token, text, normalized: text.replace(tokenRegex(token), TOKEN) });
    } else if (levels.length === 2 && levels[0] === segs.length - 2 && levels[1] === segs.length - 1) {
      multi.push({ ev, pattern });
    }
  }
  if (single.length === 0 && multi.length === 0) {
    return { errors: ['No ApplicationSet here to model a category on: none has a git directory generator over `<folder>/<category>/*` or `<folder>/*/*`.'] };
  }
  if (single.length === 0 || (multi.length > 0 && multiCategoryCount(multi) > single.length)) return planFolderCategory(model, name, multi[0] as { ev: AppSetEvaluation; pattern: string }, writer);
  return planAppSetCategory(model, name, single, writer);
}

function multiCategoryCount(multi: ReadonlyArray<{ ev: AppSetEvaluation }>): number {
  return multi.reduce((n, m) => n + new Set(m.ev.apps.flatMap((a) => (a.levels[0] ? [a.levels[0].value] : []))).size, 0);
}

function planAppSetCategory(model: RepositoryModel, name: string, candidates: Candidate[], writer?: ScaffoldWriter): AddCategoryPlan | PlanErrors {
  // The majority shape: candidates whose text is identical once their own category is abstracted.
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) groups.set(c.normalized, [...(groups.get(c.normalized) ?? []), c]);
  // Ties go to the shape whose appsets generate more apps (the more typical, lived-in one).
  const apps = (g: Candidate[]) => g.reduce((n, c) => n + c.ev.apps.length, 0);
  const best = [...groups.values()].sort((a, b) => b.length - a.length || apps(b) - apps(a))[0] as Candidate[];
  const model0 = best[0] as Candidate;
  const text = model0.normalized.split(TOKEN).join(name);
  const pattern = substituteCategory(model0.pattern, model0.token, name);
  const folder = parentOf(pattern);
  const file0 = model0.ev.appset.file;
  const base0 = file0.slice(file0.lastIndexOf('/') + 1);
  const newBase = tokenRegex(model0.token).test(base0) ? substituteCategory(base0, model0.token, name) : `appset-${name}.yaml`;
  const dir = parentOf(file0);
  const file = dir === '' ? newBase : `${dir}/${newBase}`;

  const errors: string[] = [];
  if (model.tree.files.has(file) || writer?.exists(file)) errors.push(`${file} already exists.`);
  const parsed = parseYamlFile(file, text, 'argocd-manifest');
  for (const p of parsed.problems) errors.push(`The new ApplicationSet would not parse: ${p.message}`);
  const doc = parsed.docs[0];
  const root = asRecord(doc?.value);
  const appsetName = asString(asRecord(root?.['metadata'])?.['name']) ?? '';
  const appsetNamespace = asString(asRecord(root?.['metadata'])?.['namespace']);
  if (!doc || root?.['kind'] !== 'ApplicationSet') errors.push(`The text made from ${file0} is not an ApplicationSet.`);
  const sameName = model.appsets().find((e) => e.appset.name === appsetName && e.appset.namespace === appsetNamespace);
  if (sameName) errors.push(`An ApplicationSet named ${appsetName} already exists (${sameName.appset.file}:${sameName.appset.line}).`);
  if (appsetName === model0.ev.appset.name) errors.push(`The name of ${file0} does not contain its category "${model0.token}", so the copy would have the same name (${appsetName}).`);
  for (const ev of model.appsets()) {
    if (includePatterns(model, ev).includes(pattern)) errors.push(`ApplicationSet ${ev.appset.name} (${ev.appset.file}) already uses the pattern ${pattern}.`);
    for (const app of ev.apps) {
      if (app.path && safeMatch(pattern, app.path)) errors.push(`The pattern ${pattern} would also match ${app.path}, which ApplicationSet ${ev.appset.name} already deploys as ${app.name}.`);
    }
  }
  if (errors.length > 0) return { errors: dedupe(errors) };

  const folderExists = model.tree.hasDir(folder) || (writer?.exists(folder) ?? false);
  const gitkeep = `${folder}/.gitkeep`;
  const probe = model.probe(folderExists ? [file] : [file, gitkeep], [{ file, doc: doc as NonNullable<typeof doc> }]);
  for (const p of probe.newProblems) errors.push(`The new ApplicationSet fails in the engine: ${p.message}`);
  const names = new Set(model.apps().map((a) => a.name));
  for (const app of probe.newApps) if (names.has(app.name)) errors.push(`The new ApplicationSet would generate ${app.name}, which already exists.`);
  for (const target of [file, folderExists ? undefined : gitkeep]) {
    const reason = target ? writer?.cannotWrite(parentOf(target)) : undefined;
    if (reason) errors.push(reason);
  }
  if (errors.length > 0) return { errors: dedupe(errors) };

  const edits: PlannedEdit[] = [];
  const listing = listingEdit(model, dir, base0, newBase);
  if (listing) edits.push(listing);
  const folders: string[] = [];
  if (!folderExists) for (let d = folder; d !== '' && !model.tree.hasDir(d) && !(writer?.exists(d) ?? false); d = parentOf(d)) folders.unshift(d);
  const notes = [
    `Modelled on ${file0} (${best.length} of ${candidates.length} category ApplicationSets share its shape), with "${model0.token}" replaced by "${name}".`,
    ...(folderExists ? [] : [GITKEEP_NOTE, `Until ${folder} holds an app directory, the pattern ${pattern} matches nothing (lint: generator-path-no-match).`]),
    ...(listing ? [`${listing.path} lists the ApplicationSets; ${newBase} is added to its resources.`] : []),
  ];
  return {
    kind: 'add-category',
    name,
    mode: 'appset',
    folder,
    appset: { name: appsetName, file, pattern, modelledOn: file0 },
    files: [{ path: file, content: text }, ...(folderExists ? [] : [{ path: gitkeep, content: '' }])],
    edits,
    folders,
    cursor: { file, line: 0, character: 0 },
    notes,
  };
}

function planFolderCategory(model: RepositoryModel, name: string, m: { ev: AppSetEvaluation; pattern: string }, writer?: ScaffoldWriter): AddCategoryPlan | PlanErrors {
  const segs = m.pattern.split('/');
  const base = segs.slice(0, -2).join('/');
  const folder = base === '' ? name : `${base}/${name}`;
  const errors: string[] = [];
  if (model.tree.hasDir(folder) || model.tree.childrenOf(base).has(name) || writer?.exists(folder)) errors.push(`${folder} already exists.`);
  if (!safeMatch(segs[segs.length - 2] as string, name)) errors.push(`ApplicationSet ${m.ev.appset.name}'s pattern ${m.pattern} does not match a category called ${name}.`);
  const excluded = excludePatterns(model, m.ev).find((x) => safeMatch(x, folder) || safeMatch(x, `${folder}/x`));
  if (excluded) errors.push(`ApplicationSet ${m.ev.appset.name} excludes ${folder} (pattern "${excluded}").`);
  const reason = writer?.cannotWrite(base);
  if (reason) errors.push(reason);
  if (errors.length > 0) return { errors };
  const folders: string[] = [];
  for (let d = folder; d !== '' && !model.tree.hasDir(d) && !(writer?.exists(d) ?? false); d = parentOf(d)) folders.unshift(d);
  return {
    kind: 'add-category',
    name,
    mode: 'folder',
    folder,
    files: [{ path: `${folder}/.gitkeep`, content: '' }],
    edits: [],
    folders,
    cursor: { file: `${folder}/.gitkeep`, line: 0, character: 0 },
    notes: [`ApplicationSet ${m.ev.appset.name} (${m.ev.appset.file}) covers ${m.pattern}: a category is a folder there, so no new ApplicationSet is needed.`, GITKEEP_NOTE],
  };
}

/** When the appsets' folder has a kustomization listing the model appset, list the new one too. */
function listingEdit(model: RepositoryModel, dir: string, modelBase: string, newBase: string): PlannedEdit | undefined {
  const file = kustomizationIn(model.tree.files, dir);
  const text = file ? model.textOf(file) : undefined;
  if (!file || text === undefined) return undefined;
  const doc = parseYamlFile(file, text, 'kustomization').docs[0];
  const resources = asArray(asRecord(doc?.value)?.['resources']);
  const normalise = (s: unknown) => String(s).replace(/^\.\//, '');
  if (!doc || !resources.map(normalise).includes(modelBase) || resources.map(normalise).includes(newBase)) return undefined;
  const last = doc.rangeOf(['resources', resources.length - 1]);
  const lines = text.split('\n');
  const itemLine = lines[last.start.line] ?? '';
  const prefix = /^(\s*-\s*)/.exec(itemLine)?.[1] ?? '  - ';
  const dotSlash = String(resources[resources.length - 1]).startsWith('./') ? './' : '';
  const entry = `${prefix}${dotSlash}${newBase}`;
  if (last.end.line + 1 < lines.length) return { path: file, original: text, line: last.end.line + 1, character: 0, insert: `${entry}\n` };
  return { path: file, original: text, line: last.end.line, character: (lines[last.end.line] ?? '').length, insert: `\n${entry}` };
}

function safeMatch(pattern: string, dir: string): boolean {
  try {
    return goPathMatch(pattern, dir);
  } catch {
    return false;
  }
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}
