/**
 * Turns one ApplicationSet document into the Applications Argo CD would generate
 * (applicationset/controllers/template/template.go): per top-level generator, its parameter
 * sets and its template (the generator's `template` override merged over `spec.template`);
 * per set, every string (and string map key) of the template rendered, the finalizer added,
 * `templatePatch` applied, and the namespace forced to the ApplicationSet's.
 */
import { loadYaml } from '../yaml/load';
import { findExcessiveNesting, nestingMessage, NestingLimitError } from '../yaml/nesting';
import type { Problem } from '../problems';
import { GoTemplateError, type GoMap } from '../template';
import type { YamlDoc, YamlPath } from '../yaml/parse';
import type { TreeView } from '../workspace/treeView';
import type { ClusterSecret } from '../generators/clusterSecrets';
import { evaluateGenerator } from '../generators';
import { asArray, asRecord, asString, cloneJson, isEmptyValue } from '../generators/spec';
import { GeneratorError, type Dependencies, type GeneratorContext, type Origin } from '../generators/types';
import { appSetRenderer, type AppSetRenderer } from './renderer';
import { typoFixData } from './templateTypos';

export interface AppSetRef {
  name: string;
  namespace?: string;
  file: string;
  /** 1-based line of the document's start, for humans and `file:line` links. */
  line: number;
  docIndex: number;
}

export interface DirectoryLevel {
  /** Index of the path segment (`index .path.segments N`). */
  index: number;
  value: string;
}

export interface GeneratedApp {
  name: string;
  /** The Application's own namespace (the ApplicationSet's). */
  metadataNamespace?: string;
  /** Destination namespace. */
  namespace?: string;
  project?: string;
  /** Source path (first source with a path for multi-source apps), repository-relative. */
  path?: string;
  repoURL?: string;
  targetRevision?: string;
  destinationServer?: string;
  destinationName?: string;
  appset: AppSetRef;
  generator: string;
  origins: Origin[];
  /** The directory levels the git directory generator ranged over for this app. */
  levels: DirectoryLevel[];
  params: GoMap;
  manifest: Record<string, unknown>;
}

export interface AppSetEvaluation {
  appset: AppSetRef;
  apps: GeneratedApp[];
  problems: Problem[];
  /** False when a generator or template error kept Argo CD from generating (some) Applications. */
  complete: boolean;
  deps: Dependencies;
  /** What each entry of `spec.generators` gave, by index, for rules that explain a result. */
  generators: GeneratorResult[];
}

export interface GeneratorResult {
  /** Parameter sets it produced (0 when it failed). */
  sets: number;
  /** True when it could not be evaluated (its problem is reported). */
  failed: boolean;
  /** Origins of the sets a `selector` dropped: inputs filtered out on purpose. */
  deselected: Origin[];
  /** Origins of the sets whose template failed (a template-error says so): their inputs are the generator's. */
  unrendered: Origin[];
}

export interface AppSetInputs {
  tree: TreeView;
  clusterSecrets: readonly ClusterSecret[];
  readFileParams: (path: string) => unknown;
}

const FINALIZER = 'resources-finalizer.argocd.argoproj.io';
/** Exec errors repeat for every match; this many are named before the rest are counted. */
const MATCHES_NAMED = 3;

export function evaluateAppSet(file: string, doc: YamlDoc, inputs: AppSetInputs): AppSetEvaluation {
  const root = asRecord(doc.value) ?? {};
  const meta = asRecord(root['metadata']) ?? {};
  const appset: AppSetRef = {
    name: asString(meta['name']) ?? '',
    ...(asString(meta['namespace']) !== undefined ? { namespace: asString(meta['namespace']) as string } : {}),
    file,
    line: doc.line + 1,
    docIndex: doc.index,
  };
  const problems: Problem[] = [];
  const deps: Dependencies = { dirPatterns: new Set(), filePatterns: new Set(), clusterSecrets: false };
  const report = (path: YamlPath, severity: Problem['severity'], rule: Problem['rule'], message: string): void => {
    problems.push({ file, range: doc.locate(path), severity, rule, message });
  };
  const result: AppSetEvaluation = { appset, apps: [], problems, complete: true, deps, generators: [] };
  const spec = asRecord(root['spec']);
  if (!spec) {
    report(['spec'], 'error', 'appset-invalid', 'An ApplicationSet needs a `spec` with `generators` and `template`.');
    result.complete = false;
    return result;
  }
  const setup = generatorContext(root, inputs, deps, report);
  if (setup instanceof Error) {
    report(['spec', 'goTemplateOptions'], 'error', 'template-options', setup.message);
    result.complete = false;
    return result;
  }
  const { ctx, renderer } = setup;
  const specTemplate = asRecord(spec['template']);
  if (!specTemplate) {
    report(['spec'], 'error', 'appset-invalid', 'An ApplicationSet needs `spec.template` (metadata and spec of the Applications to generate).');
    result.complete = false;
  }
  const generators = asArray(spec['generators']);
  if (!Array.isArray(spec['generators']) || generators.length === 0) {
    report(['spec', 'generators'], 'error', 'appset-invalid', 'An ApplicationSet needs at least one generator under `spec.generators`.');
    result.complete = false;
  }
  const templatePatch = asString(spec['templatePatch']);
  // A patch nesting deeper than the YAML reader takes would be rendered and parsed (and fail) once
  // per parameter set: said once, where the limit is passed, and the patch is not applied.
  const patchTooDeep = templatePatch !== undefined ? findExcessiveNesting(templatePatch) : undefined;
  if (patchTooDeep) {
    // At the place in the string where the limit is passed, when the string maps one to one.
    const range = doc.rangeInString(['spec', 'templatePatch'], patchTooDeep.offset, 1) ?? doc.locate(['spec', 'templatePatch']);
    problems.push({ file, range, severity: 'warning', rule: 'nesting-too-deep', message: nestingMessage('This templatePatch', patchTooDeep) });
    result.complete = false;
  }
  /** Per field and message: the first failing set's text and parameters (for a "did you mean"), and every match. */
  const fieldErrors = new Map<string, { path: YamlPath; error: Error; matches: string[]; text?: string; params: GoMap }>();

  generators.forEach((rawGen, gi) => {
    const genPath: YamlPath = ['spec', 'generators', gi];
    let output;
    try {
      output = evaluateGenerator(rawGen, genPath, ctx);
    } catch (e) {
      if (!(e instanceof GeneratorError)) throw e;
      report(e.path, e.severity, e.rule, e.message);
      result.complete = false;
      result.generators[gi] = { sets: 0, failed: true, deselected: [], unrendered: [] };
      return;
    }
    const generatorResult: GeneratorResult = { sets: output.sets.length, failed: false, deselected: output.deselected ?? [], unrendered: [] };
    result.generators[gi] = generatorResult;
    if (!specTemplate && !output.template) return;
    const template = mergeTemplate(output.template ? cloneJson(output.template) : {}, specTemplate ?? {});
    const overridePath = output.template ? [...genPath, Object.keys(asRecord(rawGen) ?? {}).find((k) => k !== 'selector') ?? '', 'template'] : undefined;
    for (const set of output.sets) {
      let failed = false;
      const fail = (path: YamlPath, error: Error, text?: string): void => {
        failed = true;
        const key = `${path.join('.')}\0${error.message}`;
        const entry = fieldErrors.get(key) ?? { path, error, matches: [], text, params: set.params };
        entry.matches.push(describeMatch(set.origins));
        fieldErrors.set(key, entry);
      };
      let app: Record<string, unknown>;
      if (Object.keys(set.params).length === 0) {
        // Argo CD returns the template unrendered for an empty parameter set.
        app = cloneJson(template);
      } else {
        app = renderDeep(template, [], (text, rel) => {
          // `rel` is the walk's own path, changed as it goes: copied wherever it is kept.
          try {
            return renderer.render(text, set.params);
          } catch (e) {
            const inOverride = overridePath && hasPath(output.template, rel);
            fail(inOverride ? [...overridePath, ...rel] : ['spec', 'template', ...rel], e as Error, text);
            return undefined;
          }
        }) as Record<string, unknown>;
        const appMeta = (asRecord(app['metadata']) ?? {}) as Record<string, unknown>;
        const syncPolicy = asRecord(spec['syncPolicy']);
        if (asArray(appMeta['finalizers']).length === 0 && syncPolicy?.['preserveResourcesOnDeletion'] !== true) {
          appMeta['finalizers'] = [FINALIZER];
          app['metadata'] = appMeta;
        }
        if (patchTooDeep) {
          generatorResult.unrendered.push(...set.origins);
          continue;
        }
        if (templatePatch !== undefined) {
          const patched = applyTemplatePatch(app, templatePatch, set.params, renderer.render);
          if (patched instanceof Error) {
            fail(['spec', 'templatePatch'], patched);
            generatorResult.unrendered.push(...set.origins);
            continue;
          }
          app = patched;
        }
      }
      const appMeta = (asRecord(app['metadata']) ?? {}) as Record<string, unknown>;
      if (appset.namespace !== undefined) appMeta['namespace'] = appset.namespace;
      else delete appMeta['namespace'];
      app['metadata'] = appMeta;
      if (failed) {
        generatorResult.unrendered.push(...set.origins);
        continue;
      }
      result.apps.push(toGeneratedApp(app, appset, output.description, set.origins, set.params));
    }
  });

  for (const { path, error, matches, text: failedText, params } of fieldErrors.values()) {
    const named = matches.slice(0, MATCHES_NAMED).join(', ');
    const more = matches.length > MATCHES_NAMED ? ` and ${matches.length - MATCHES_NAMED} more` : '';
    if (error instanceof NestingLimitError) {
      // Not a failure Argo CD would have: the patch is more than Home-Ops reads.
      problems.push({ file, range: doc.locate(path), severity: 'warning', rule: 'nesting-too-deep', message: `For ${named}${more}: ${error.message}` });
      result.complete = false;
      continue;
    }
    const inString = error instanceof GoTemplateError ? doc.rangeInString(path, error.offset, error.length) : undefined;
    const message = error instanceof GoTemplateError ? friendlyTemplateMessage(error) : error.message;
    // A parse error is the same for every match; naming matches only helps for execution errors.
    const text = error instanceof GoTemplateError && error.kind === 'parse' ? message : `For ${named}${more}: ${message}`;
    const fix = error instanceof GoTemplateError && failedText !== undefined ? typoFixData(file, doc, path, failedText, error, params) : undefined;
    problems.push({ file, range: inString ?? doc.locate(path), severity: 'error', rule: 'template-error', message: text, ...(fix ? { fixes: [fix] } : {}) });
    result.complete = false;
  }
  checkGeneratedNames(result, report);
  return result;
}

/** How an ApplicationSet's strings are templated: `spec.goTemplate` and `spec.goTemplateOptions`. */
export function templateSettings(value: unknown): { goTemplate: boolean; options: string[] } {
  const spec = asRecord(asRecord(value)?.['spec']) ?? {};
  return { goTemplate: spec['goTemplate'] === true, options: asArray(spec['goTemplateOptions']).filter((o): o is string => typeof o === 'string') };
}

/** What every generator of the document runs with; an Error when the template options are refused. */
function generatorContext(value: unknown, inputs: AppSetInputs, deps: Dependencies, report: GeneratorContext['report']): { ctx: GeneratorContext; renderer: AppSetRenderer } | Error {
  const { goTemplate, options } = templateSettings(value);
  let renderer: AppSetRenderer;
  try {
    renderer = appSetRenderer(goTemplate, options);
  } catch (e) {
    return e as Error;
  }
  const ctx: GeneratorContext = {
    tree: inputs.tree,
    goTemplate,
    goTemplateOptions: options,
    clusterSecrets: inputs.clusterSecrets,
    readFileParams: inputs.readFileParams,
    deps,
    report,
    render: (text, params, opts) => renderer.render(text, params, opts?.forceMissingKeyError === true),
  };
  return { ctx, renderer };
}

/**
 * The first parameter set the generators give, in generator order, without rendering the
 * template: while a template is being typed every Application can fail to render, yet the
 * parameters (which do not depend on it) are what completion and hover need. Undefined when no
 * generator gives one; a generator that cannot run is skipped (the evaluation reports it).
 */
export function firstParameterSet(doc: YamlDoc, inputs: AppSetInputs): { params: GoMap; origins: Origin[] } | undefined {
  const spec = asRecord(asRecord(doc.value)?.['spec']);
  if (!spec) return undefined;
  const setup = generatorContext(doc.value, inputs, { dirPatterns: new Set(), filePatterns: new Set(), clusterSecrets: false }, () => undefined);
  if (setup instanceof Error) return undefined;
  const generators = asArray(spec['generators']);
  for (let i = 0; i < generators.length; i++) {
    try {
      const set = evaluateGenerator(generators[i], ['spec', 'generators', i], setup.ctx).sets[0];
      if (set) return { params: set.params, origins: set.origins };
    } catch {
      // This generator cannot run (its problem is reported by the evaluation); try the next one.
    }
  }
  return undefined;
}

/** Argo CD's controller refuses an ApplicationSet whose Applications share a name or have none. */
function checkGeneratedNames(result: AppSetEvaluation, report: (p: YamlPath, s: Problem['severity'], r: Problem['rule'], m: string) => void): void {
  const seen = new Map<string, GeneratedApp>();
  for (const app of result.apps) {
    if (app.name === '') {
      report(['spec', 'template', 'metadata', 'name'], 'error', 'appset-invalid', `For ${describeMatch(app.origins)}: the generated Application has no name (generateName is not supported).`);
      result.complete = false;
      continue;
    }
    const prev = seen.get(app.name);
    if (prev) {
      report(['spec', 'template', 'metadata', 'name'], 'error', 'duplicate-app-name', `ApplicationSet ${result.appset.name} contains applications with duplicate name: ${app.name} (from ${describeMatch(prev.origins)} and ${describeMatch(app.origins)}); Argo CD generates none of its Applications.`);
      result.complete = false;
    } else seen.set(app.name, app);
  }
}

/**
 * Go's messages start with `template: NAME:LINE:COL: executing "NAME" at`, which says nothing
 * to someone looking at the underlined field; keep what follows.
 */
export function friendlyTemplateMessage(error: GoTemplateError): string {
  return error.message.replace(/^template: [^:]*:\d+(:\d+)?: (executing "[^"]*" )?/, '');
}

export function describeMatch(origins: readonly Origin[]): string {
  if (origins.length === 0) return 'the parameter set';
  return origins
    .map((o) => {
      switch (o.kind) {
        case 'directory':
          return o.path;
        case 'file':
          return o.index > 0 ? `${o.path} [${o.index}]` : o.path;
        case 'list':
          return `list element ${o.index}`;
        default:
          return `cluster ${o.name}`;
      }
    })
    .join(' × ');
}

/**
 * mergo.Merge(dst = generator template, src = spec.template): the generator's non-empty fields
 * stay, empty ones are filled from spec.template, nested objects merge the same way.
 */
export function mergeTemplate(dst: Record<string, unknown>, src: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...dst };
  for (const [k, v] of Object.entries(src)) {
    const cur = out[k];
    if (isEmptyValue(cur)) out[k] = cloneJson(v);
    else if (asRecord(cur) && asRecord(v)) out[k] = mergeTemplate(cur as Record<string, unknown>, v as Record<string, unknown>);
  }
  return out;
}

/**
 * Renders every string and every map key; `render` returns undefined on failure. `path` is one
 * array pushed and popped along the walk (a copy per node made a measurable share of a lint).
 */
function renderDeep(v: unknown, path: Array<string | number>, render: (text: string, path: YamlPath) => string | undefined): unknown {
  if (typeof v === 'string') return render(v, path) ?? v;
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      out[i] = renderDeep(v[i], path, render);
      path.pop();
    }
    return out;
  }
  const rec = asRecord(v);
  if (!rec) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(rec)) {
    const key = k.includes('{{') ? (render(k, path) ?? k) : k;
    path.push(k);
    out[key] = renderDeep(rec[k], path, render);
    path.pop();
  }
  return out;
}

function hasPath(obj: unknown, path: YamlPath): boolean {
  let cur: unknown = obj;
  for (const step of path) {
    if (Array.isArray(cur) && typeof step === 'number') cur = cur[step];
    else if (asRecord(cur)) cur = (cur as Record<string, unknown>)[String(step)];
    else return false;
    if (cur === undefined) return false;
  }
  return typeof cur === 'string';
}

/**
 * templatePatch: rendered with the same parameters, read as YAML, then merged into the
 * Application (maps merge, lists replace, null deletes — the Application type declares no
 * merge keys), and `spec.project` restored because a patch may not change it.
 */
function applyTemplatePatch(app: Record<string, unknown>, patchText: string, params: GoMap, render: (t: string, p: GoMap) => string): Record<string, unknown> | Error {
  let rendered: string;
  try {
    rendered = render(patchText, params);
  } catch (e) {
    return e as Error;
  }
  // Template output can nest deeper than the template text; the reader is not asked to.
  const deep = findExcessiveNesting(rendered);
  if (deep) return new NestingLimitError('The rendered templatePatch', deep);
  let patch: unknown;
  try {
    patch = loadYaml(rendered, 'argocd-embedded');
  } catch (e) {
    return new Error(`the rendered templatePatch is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (patch === null || patch === undefined) return app;
  // `a: &x {b: *x}` reads as a value that contains itself; merging it would never end.
  if (isCyclic(patch)) return new Error('the rendered templatePatch has an alias inside its own anchor, which YAML readers such as Argo CD\'s reject.');
  if (!asRecord(patch)) return new Error('the rendered templatePatch must be a YAML object (an Application fragment).');
  const project = asRecord(app['spec'])?.['project'];
  const merged = mergePatch(app, patch as Record<string, unknown>) as Record<string, unknown>;
  const spec = asRecord(merged['spec']);
  if (spec && project !== undefined) spec['project'] = project;
  return merged;
}

function mergePatch(target: unknown, patch: unknown): unknown {
  const p = asRecord(patch);
  if (!p) return cloneJson(patch);
  const out: Record<string, unknown> = { ...(asRecord(target) ?? {}) };
  for (const [k, v] of Object.entries(p)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function toGeneratedApp(app: Record<string, unknown>, appset: AppSetRef, generator: string, origins: Origin[], params: GoMap): GeneratedApp {
  const meta = asRecord(app['metadata']) ?? {};
  const spec = asRecord(app['spec']) ?? {};
  const dest = asRecord(spec['destination']) ?? {};
  const sources = asArray(spec['sources']).map(asRecord).filter((s): s is Record<string, unknown> => s !== undefined);
  const source = asRecord(spec['source']) ?? sources.find((s) => asString(s['path']) !== undefined) ?? sources[0] ?? {};
  const levels: DirectoryLevel[] = [];
  for (const o of origins) {
    if (o.kind !== 'directory') continue;
    const segments = o.path.split('/');
    for (const index of o.globLevels) levels.push({ index, value: segments[index] ?? '' });
  }
  // Optional fields are left out, not set to undefined (results are compared and printed as JSON).
  const out = { name: asString(meta['name']) ?? '' } as GeneratedApp;
  const optional = (key: keyof GeneratedApp, value: string | undefined): void => {
    if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
  };
  optional('metadataNamespace', asString(meta['namespace']));
  optional('namespace', asString(dest['namespace']));
  optional('project', asString(spec['project']));
  optional('path', asString(source['path']));
  optional('repoURL', asString(source['repoURL']));
  optional('targetRevision', asString(source['targetRevision']));
  optional('destinationServer', asString(dest['server']));
  optional('destinationName', asString(dest['name']));
  out.appset = appset;
  out.generator = generator;
  out.origins = origins;
  out.levels = levels;
  out.params = params;
  out.manifest = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', ...app };
  return out;
}

/** Whether a value read from YAML contains itself (an alias inside its own anchor). */
function isCyclic(value: unknown): boolean {
  const done = new Set<object>();
  const onPath = new Set<object>();
  const stack: Array<{ v: object; children?: unknown[] }> = [];
  const enter = (v: unknown): boolean => {
    if (v === null || typeof v !== 'object' || done.has(v)) return false;
    if (onPath.has(v)) return true;
    onPath.add(v);
    stack.push({ v });
    return false;
  };
  if (enter(value)) return true;
  while (stack.length) {
    const top = stack[stack.length - 1] as { v: object; children?: unknown[] };
    top.children ??= Array.isArray(top.v) ? [...(top.v as unknown[])] : Object.values(top.v);
    if (top.children.length === 0) {
      stack.pop();
      onPath.delete(top.v);
      done.add(top.v);
    } else if (enter(top.children.pop())) return true;
  }
  return false;
}
