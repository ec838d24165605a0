/**
 * Add App: a new app directory in a category, written in its neighbours' style and checked by
 * the engine before anything is written: the ApplicationSets are evaluated as if the directory
 * existed, so the Application name, its namespace and every clash are what Argo CD would see.
 */
import { parseChartSpec } from './chartSpec';
import { dumpYaml } from '../yaml/load';
import { describeMatch, type GeneratedApp } from '../appset/evaluate';
import { isDns1123Label, isDns1123Subdomain } from '../argocd/names';
import { goPathMatch } from '../glob/goPathMatch';
import type { RepositoryModel } from '../model/repositoryModel';
import { categories, excludePatterns, findCategories } from './categories';
import { conventions, header, vote, type Conventions, type Neighbour } from './conventions';
import { parentOf } from '../workspace/treeView';
import { firstPlaceholder, renderValues, valuesSkeleton, type ValuesSample } from './values';
import { claimedNames, planClaims, type PlannedClaims } from './claims';
import { planSibling, siblingOptions } from './siblings';
import type { AddAppPlan, AppSource, CategoryInfo, ChartRef, PlannedApplication, PlannedFile, PlanErrors, ScaffoldWriter } from './types';

export interface AppNameCheck {
  /** Reasons the name cannot be used; empty when it can. */
  errors: string[];
  directory: string;
  /** The Application the category's ApplicationSet would generate (shown live while typing). */
  application?: PlannedApplication;
  /** Every Application the engine would generate for the directory (normally just that one). */
  applications: PlannedApplication[];
}

export interface CheckOptions {
  /** Checks existence and write access on disk too (not only in the model). */
  writer?: ScaffoldWriter;
  /** Planned files (repository-relative); default: the directory's kustomization.yaml. */
  files?: readonly string[];
}

/**
 * Validates a new app name for a category; cheap enough for every keystroke (the engine
 * re-evaluates only the ApplicationSets that could see the new directory).
 */
export function checkAppName(model: RepositoryModel, category: CategoryInfo, name: string, options: CheckOptions = {}): AppNameCheck {
  const directory = `${category.folder}/${name}`;
  const result: AppNameCheck = { errors: [], directory, applications: [] };
  if (name === '') {
    result.errors.push('Enter a name for the app (lower-case letters, digits and "-").');
    return result;
  }
  if (!isDns1123Label(name)) {
    const hint = isDns1123Label(name.toLowerCase()) ? ` Try "${name.toLowerCase()}".` : '';
    result.errors.push(`"${name}" is not a valid app name: use lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters (a DNS-1123 label).${hint}`);
    return result;
  }
  const inModel = model.tree.childrenOf(category.folder).has(name) || [...model.tree.files].some((f) => f.startsWith(`${directory}/`));
  if (inModel || options.writer?.exists(directory)) {
    result.errors.push(`${directory} already exists.`);
    return result;
  }
  const files = options.files ?? [`${directory}/kustomization.yaml`];
  const probe = model.probe(files);
  const own = (a: { appset: { file: string; docIndex: number } }) => a.appset.file === category.appset.file && a.appset.docIndex === category.appset.docIndex;
  const planned = (a: GeneratedApp): PlannedApplication => ({
    name: a.name,
    ...(a.namespace !== undefined ? { namespace: a.namespace } : {}),
    ...(a.project !== undefined ? { project: a.project } : {}),
    appset: a.appset,
  });
  result.applications = probe.newApps.map(planned);
  const mine = probe.newApps.find(own);
  if (mine) result.application = planned(mine);

  for (const p of probe.newProblems) result.errors.push(`ApplicationSet ${appsetName(p.file, probe.evaluations)} would fail for ${directory}: ${p.message}`);
  if (!mine) {
    const ev = model.appsets().find(own);
    const excluded = ev ? excludePatterns(model, ev).find((x) => safeMatch(x, directory)) : undefined;
    if (excluded) result.errors.push(`${directory} is excluded by the pattern "${excluded}" of ApplicationSet ${category.appset.name}: Argo CD would generate no Application for it.`);
    else if (probe.newProblems.length === 0) result.errors.push(`ApplicationSet ${category.appset.name} would not generate an Application for ${directory} (its pattern ${category.appsetPattern} does not match it).`);
  }
  const existing = model.apps();
  const standalone = model.standaloneApps();
  const seen = new Map<string, GeneratedApp>();
  for (const app of probe.newApps) {
    if (!own(app)) {
      result.errors.push(`${directory} would also be picked up by ApplicationSet ${app.appset.name} (${app.appset.file}) as Application ${app.name}: two Applications would deploy one folder.`);
    }
    if (!isDns1123Subdomain(app.name)) {
      result.errors.push(`ApplicationSet ${app.appset.name} would name the Application "${app.name}", which is not a valid Kubernetes name (lower-case letters, digits, "-" and ".", starting and ending with a letter or digit).`);
    } else if (app.name.length > 63) {
      result.errors.push(`ApplicationSet ${app.appset.name} would name the Application "${app.name}" (${app.name.length} characters); Argo CD puts the name in a label, which allows 63. Choose a name at most ${Math.max(1, name.length - (app.name.length - 63))} characters long.`);
    }
    const clash = existing.find((a) => a.name === app.name);
    if (clash) result.errors.push(`${app.name} would clash with the Application generated by ApplicationSet ${clash.appset.name} from ${describeMatch(clash.origins)}.`);
    const clashStandalone = standalone.find((s) => s.name === app.name);
    if (clashStandalone) result.errors.push(`${app.name} would clash with the Application ${clashStandalone.name} defined in ${clashStandalone.file}:${clashStandalone.line}.`);
    const twin = seen.get(app.name);
    if (twin) result.errors.push(`${app.name} would be generated twice, by ApplicationSets ${twin.appset.name} and ${app.appset.name}.`);
    seen.set(app.name, app);
  }
  const reason = options.writer?.cannotWrite(category.folder);
  if (reason) result.errors.push(reason);
  return result;
}

function safeMatch(pattern: string, dir: string): boolean {
  try {
    return goPathMatch(pattern, dir);
  } catch {
    return false;
  }
}

function appsetName(file: string, evs: ReadonlyArray<{ appset: { file: string; name: string } }>): string {
  return evs.find((e) => e.appset.file === file)?.appset.name ?? file;
}

export interface AddAppRequest {
  /** A category from `categories()`, or its label, folder or id (the CLI passes what the user typed). */
  category: CategoryInfo | string;
  name: string;
  source?: AppSource;
  /** Files the neighbours list to write too, shaped like theirs (from the plan's `siblings`). */
  siblings?: readonly string[];
}

/** Parses the CLI's `REPO/NAME@VERSION` (e.g. `oci://ghcr.io/bjw-s-labs/helm/app-template@4.6.2`). */

export function resolveCategory(model: RepositoryModel, key: CategoryInfo | string): CategoryInfo | PlanErrors {
  if (typeof key !== 'string') return key;
  const all = categories(model);
  const found = findCategories(all, key);
  if (found.length === 1) return found[0] as CategoryInfo;
  if (found.length === 0) {
    const names = all.map((c) => c.label).join(', ') || '(none: no ApplicationSet has a git directory generator with an app-level glob)';
    return { errors: [`No category "${key}". Categories: ${names}.`] };
  }
  return { errors: [`"${key}" names several categories; give the folder instead: ${found.map((c) => c.folder).join(', ')}.`] };
}

export function planAddApp(model: RepositoryModel, request: AddAppRequest, writer?: ScaffoldWriter): AddAppPlan | PlanErrors {
  const category = resolveCategory(model, request.category);
  if ('errors' in category) return category;
  const conv = conventions(model, category);
  const source = request.source ?? { kind: 'neighbours' };
  let chart: ChartRef | undefined;
  let from: 'category' | 'repository' | 'given' = 'given';
  if (source.kind === 'chart') {
    const errors: string[] = [];
    if (!/^(oci|https?):\/\/./.test(source.repo)) errors.push(`Chart repository "${source.repo}" must be an oci://, https:// or http:// URL.`);
    if (!/^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/i.test(source.name)) errors.push(`"${source.name}" is not a chart name.`);
    if (source.version.trim() === '') errors.push('A chart version is required (kustomize pins every helmCharts entry).');
    if (errors.length > 0) return { errors };
    chart = { repo: source.repo, name: source.name, version: source.version };
  } else if (source.kind === 'neighbours' && conv.chart && conv.usesHelm.value) {
    chart = { repo: conv.chart.repo, name: conv.chart.name, version: conv.chart.version };
    from = conv.chart.from;
  }

  const name = request.name;
  const directory = `${category.folder}/${name}`;
  const style = conv.kustomization;
  const valuesFile = chart ? safeRelative(style.valuesFile) : undefined;
  const kustPath = `${directory}/${style.fileName}`;
  const valuesPath = valuesFile ? `${directory}/${valuesFile}` : undefined;
  const paths = [kustPath, ...(valuesPath ? [valuesPath] : [])];
  const check = checkAppName(model, category, name, { files: paths, ...(writer ? { writer } : {}) });
  if (check.errors.length > 0 || !check.application) return { errors: check.errors.length > 0 ? check.errors : [`No Application would be generated for ${directory}.`] };
  const app = check.application;

  const namespace = style.namespace.rule === 'destination' ? app.namespace : style.namespace.rule === 'literal' ? style.namespace.value : undefined;
  const files: PlannedFile[] = [];
  const notes: string[] = [];
  let cursor: AddAppPlan['cursor'] | undefined;
  let claims: PlannedClaims | undefined;
  if (chart && valuesPath) {
    const samples = valuesSamples(model, conv, chart);
    const skeleton = valuesSkeleton(samples.samples);
    const docStart = vote(samples.samples.map((s) => header(s.text).docStart))?.value ?? false;
    const content = renderValues(skeleton, name, { docStart, indentSeq: samples.indentSeq });
    files.push({ path: valuesPath, content });
    const at = firstPlaceholder(content);
    cursor = at ? { file: valuesPath, ...at } : { file: valuesPath, line: docStart ? 1 : 0, character: 0 };
    // A claim the values name must exist, or the pod stays Pending: written as the neighbours write theirs.
    claims = planClaims(model, conv.neighbours, claimedNames(content));
    if (claims) {
      files.push({ path: `${directory}/${claims.fileName}`, content: claims.content });
      notes.push(claims.note);
    }
    notes.push(
      skeleton.samples > 0
        ? `${valuesFile} is shaped like the values of ${skeleton.samples} app${skeleton.samples > 1 ? 's' : ''} using ${chart.name} (${samples.from}); fill in the <placeholders>.`
        : `No app in the repository uses ${chart.name} yet: ${valuesFile} is empty (see \`helm show values\`).`,
    );
    if (from !== 'given' && conv.chart) notes.push(`Chart ${chart.name} ${chart.version} from ${chart.repo}: used by ${conv.chart.count} of ${conv.chart.of} apps (${from}).`);
  } else {
    notes.push('Plain kustomize: list the manifests under `resources`.');
  }
  // Files most neighbours list beside their chart: offered, written only when asked for.
  const offered = siblingOptions(conv, new Set([style.fileName, ...(valuesFile ? [valuesFile] : []), ...(claims ? [claims.fileName] : [])]));
  const asked = [...new Set(request.siblings ?? [])];
  const unknown = asked.filter((f) => !offered.some((o) => o.file === f));
  if (unknown.length > 0) return { errors: [`${unknown.join(', ')}: not a file the apps of ${category.label} list${offered.length > 0 ? ` (they list ${offered.map((o) => o.file).join(', ')})` : ''}.`] };
  const siblings: string[] = [];
  for (const file of asked) {
    const sibling = planSibling(model, conv, file, name);
    if (!sibling) continue;
    files.push({ path: `${directory}/${file}`, content: sibling.content });
    notes.push(sibling.note);
    siblings.push(file);
  }
  const left = offered.filter((o) => !asked.includes(o.file));
  if (left.length > 0) notes.push(`The apps of ${category.label} also list ${left.map((o) => `${o.file} (${o.count} of ${o.of})`).join(', ')}: not written (ask for ${left.length === 1 ? 'it' : 'them'} to get ${left.length === 1 ? 'it' : 'them'} shaped like theirs).`);
  const kustomization = renderKustomization(conv, { name, namespace, chart, valuesFile, resources: [...(claims ? [claims.fileName] : []), ...siblings] });
  files.unshift({ path: kustPath, content: kustomization.text });
  cursor ??= { file: kustPath, line: kustomization.cursorLine, character: kustomization.cursorCharacter };
  if (style.namespace.rule === 'destination' && namespace !== undefined) notes.push(`namespace ${namespace}: the destination namespace ApplicationSet ${app.appset.name} renders for ${directory}.`);

  const folders: string[] = [];
  for (let d = directory; d !== '' && !model.tree.hasDir(d) && !(writer?.exists(d) ?? false); d = parentOf(d)) folders.unshift(d);
  if (valuesPath && parentOf(valuesPath) !== directory) folders.push(parentOf(valuesPath));
  return {
    kind: 'add-app',
    category,
    name,
    directory,
    files,
    edits: [],
    folders,
    applications: check.applications,
    application: app,
    source: chart ? { kind: 'chart', chart, from } : { kind: 'plain' },
    siblings: offered.map((o) => ({ ...o, included: siblings.includes(o.file) })),
    cursor,
    notes,
  };
}

/** A relative path inside the app directory, else `values.yaml`. */
function safeRelative(p: string): string {
  return p === '' || p.startsWith('/') || p.split('/').some((s) => s === '..' || s === '' || s === '.') ? 'values.yaml' : p;
}

function valuesSamples(model: RepositoryModel, conv: Conventions, chart: ChartRef): { samples: ValuesSample[]; from: string; indentSeq: boolean } {
  const pick = (ns: readonly Neighbour[]) => ns.filter((n) => n.charts.some((c) => c.repo === chart.repo && c.name === chart.name));
  let chosen = pick(conv.basis === 'category' ? conv.neighbours : []);
  let from = `category ${conv.category.label}`;
  if (chosen.length === 0) {
    chosen = pick(conv.repository);
    from = 'the repository';
  }
  const samples: ValuesSample[] = [];
  const indents: boolean[] = [];
  for (const n of chosen) {
    const entry = n.charts.find((c) => c.repo === chart.repo && c.name === chart.name);
    const file = `${n.dir}/${entry?.valuesFile ?? 'values.yaml'}`;
    const text = model.textOf(file);
    if (text === undefined) continue;
    samples.push({ names: [n.name, ...(entry?.releaseName ? [entry.releaseName] : [])], text });
    const m = /^[ \t]*[\w-]+:[ \t]*\r?\n([ \t]*)- /m.exec(text);
    const parentIndent = m ? (/^([ \t]*)/.exec(text.slice(text.lastIndexOf('\n', m.index - 1) + 1, m.index + 1))?.[1] ?? '') : '';
    if (m) indents.push((m[1] ?? '').length > parentIndent.length);
  }
  return { samples, from, indentSeq: vote(indents)?.value ?? true };
}

function scalar(v: string): string {
  return dumpYaml(v).trimEnd();
}

function renderKustomization(
  conv: Conventions,
  o: { name: string; namespace: string | undefined; chart: ChartRef | undefined; valuesFile: string | undefined; resources: readonly string[] },
): { text: string; cursorLine: number; cursorCharacter: number } {
  const style = conv.kustomization;
  const lines: string[] = [];
  if (style.modeline && style.modelineBeforeDocStart) lines.push(style.modeline.value);
  if (style.docStart.value) lines.push('---');
  if (style.modeline && !style.modelineBeforeDocStart) lines.push(style.modeline.value);
  const dash = style.seqIndent ? '  - ' : '- ';
  const cont = style.seqIndent ? '    ' : '  ';
  let cursorLine = 0;
  let cursorCharacter = 0;
  const wanted = ['apiVersion', 'kind', ...(o.namespace !== undefined ? ['namespace'] : []), ...(!o.chart || o.resources.length > 0 ? ['resources'] : []), ...(o.chart ? ['helmCharts'] : [])];
  // `resources` before `helmCharts` where the neighbours never list resources.
  const order = style.keyOrder.includes('resources') ? style.keyOrder : style.keyOrder.flatMap((k) => (k === 'helmCharts' ? ['resources', k] : [k]));
  for (const key of order.filter((k) => wanted.includes(k))) {
    if (key === 'apiVersion') lines.push(`apiVersion: ${style.apiVersion ?? 'kustomize.config.k8s.io/v1beta1'}`);
    else if (key === 'kind') lines.push(`kind: ${style.kind ?? 'Kustomization'}`);
    else if (key === 'namespace') lines.push(`namespace: ${scalar(o.namespace as string)}`);
    else if (key === 'resources' && o.resources.length > 0) {
      lines.push('resources:');
      for (const r of o.resources) lines.push(`${dash}${scalar(r)}`);
    } else if (key === 'resources') {
      cursorLine = lines.length;
      cursorCharacter = 'resources: ['.length;
      lines.push('resources: []');
    } else if (key === 'helmCharts' && o.chart) {
      lines.push('helmCharts:');
      const fields: Record<string, string | undefined> = {
        name: o.chart.name,
        repo: o.chart.repo,
        version: o.chart.version,
        releaseName: o.name,
        namespace: style.chartNamespace ? o.namespace : undefined,
        valuesFile: o.valuesFile,
      };
      let first = true;
      for (const k of style.chartKeyOrder) {
        const v = fields[k];
        if (v === undefined) continue;
        lines.push(`${first ? dash : cont}${k}: ${scalar(v)}`);
        first = false;
      }
    }
  }
  return { text: `${lines.join('\n')}\n`, cursorLine, cursorCharacter };
}

export { parseChartSpec };
