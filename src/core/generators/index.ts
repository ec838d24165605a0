/**
 * Evaluates one entry of `spec.generators` (or of a matrix/merge child list) into parameter
 * sets, following Argo CD's generator_spec_processor.go: the generator's own parameters, then
 * its `selector` post-filter. Matrix and merge combine children; generators that need an API
 * (SCM providers, pull requests, cluster decision resources, plugins) cannot be evaluated
 * offline and say so.
 */
import { isGoMap, type GoMap, type GoValue } from '../template';
import type { YamlPath } from '../yaml/parse';
import { evaluateClusters } from './clusters';
import { evaluateGitDirectories } from './gitDirectories';
import { evaluateGitFiles, flatten } from './gitFiles';
import { evaluateList } from './list';
import { parseSelector } from './selector';
import { asArray, asRecord, asString, closest } from './spec';
import { GeneratorError, type GeneratorContext, type GeneratorOutput, type Origin, type ParamSet } from './types';

const EVALUABLE = ['list', 'clusters', 'git', 'matrix', 'merge'] as const;
const OFFLINE_ONLY = ['scmProvider', 'pullRequest', 'clusterDecisionResource', 'plugin'] as const;
export const GENERATOR_KEYS: readonly string[] = [...EVALUABLE, ...OFFLINE_ONLY, 'selector'];

const OFFLINE_WHY: Record<(typeof OFFLINE_ONLY)[number], string> = {
  scmProvider: 'it lists repositories through an SCM provider API',
  pullRequest: 'it lists open pull requests through an SCM API',
  clusterDecisionResource: 'it reads a custom resource in the cluster',
  plugin: 'it calls a plugin service in the cluster',
};

/**
 * `depth` is 0 for spec.generators, 1 for children of a top-level matrix/merge, 2 below that.
 * Argo CD's types stop there: a matrix/merge at depth 2 is dropped when decoded, leaving an
 * empty generator.
 */
export function evaluateGenerator(raw: unknown, path: YamlPath, ctx: GeneratorContext, depth = 0): GeneratorOutput {
  const gen = asRecord(raw);
  if (!gen) throw new GeneratorError(path, 'A generator must be an object such as `git:`, `list:` or `matrix:`.', 'generator-invalid');
  for (const key of Object.keys(gen)) {
    if (GENERATOR_KEYS.includes(key) || key === 'template' || key === 'values') continue;
    const hint = closest(key, GENERATOR_KEYS);
    throw new GeneratorError([...path, key], `Unknown generator "${key}"${hint ? `; did you mean "${hint}"?` : ''} (Argo CD knows ${GENERATOR_KEYS.filter((k) => k !== 'selector').join(', ')}).`, 'generator-invalid');
  }
  const kinds = Object.keys(gen).filter((k) => GENERATOR_KEYS.includes(k) && k !== 'selector');
  if (depth >= 2) {
    const nested = kinds.filter((k) => k === 'matrix' || k === 'merge');
    if (nested.length > 0) {
      throw new GeneratorError([...path, nested[0] as string], `child generator generated no parameters: Argo CD allows ${nested[0]} only two levels deep, and drops it at this depth.`, 'generator-invalid');
    }
  }
  if (kinds.length === 0) throw new GeneratorError(path, 'child generator generated no parameters: this entry names no generator.', 'generator-invalid');
  if (depth > 0 && kinds.length > 1) throw new GeneratorError(path, `found more than one generator in one entry (${kinds.join(', ')}); give each its own list item.`, 'generator-invalid');

  const outputs: GeneratorOutput[] = kinds.map((kind) => evaluateOne(kind, gen, [...path, kind], ctx, depth));
  const selectorRaw = gen['selector'];
  const output: GeneratorOutput = outputs.length === 1 ? (outputs[0] as GeneratorOutput) : { sets: outputs.flatMap((o) => o.sets), description: outputs.map((o) => o.description).join(' + '), deselected: outputs.flatMap((o) => o.deselected ?? []) };
  if (selectorRaw !== undefined) {
    const selector = parseSelector(selectorRaw, [...path, 'selector']);
    const kept: ParamSet[] = [];
    const dropped: Origin[] = [];
    for (const s of output.sets) {
      if (selector.matches(flatLabels(s.params))) kept.push(s);
      else dropped.push(...s.origins);
    }
    output.sets = kept;
    if (dropped.length > 0) output.deselected = [...(output.deselected ?? []), ...dropped];
  }
  const tmpl = asRecord(gen[kinds[0] as string])?.['template'];
  if (depth === 0 && asRecord(tmpl)) output.template = tmpl as Record<string, unknown>;
  return output;
}

function evaluateOne(kind: string, gen: Record<string, unknown>, path: YamlPath, ctx: GeneratorContext, depth: number): GeneratorOutput {
  const spec = asRecord(gen[kind]);
  if ((OFFLINE_ONLY as readonly string[]).includes(kind)) {
    throw new GeneratorError(path, `The ${kind} generator cannot be evaluated offline: ${OFFLINE_WHY[kind as (typeof OFFLINE_ONLY)[number]]}. The Applications it generates are not listed.`, 'generator-offline', 'warning');
  }
  if (!spec) throw new GeneratorError(path, `\`${kind}\` must be an object.`, 'generator-invalid');
  switch (kind) {
    case 'list':
      return evaluateList(spec, path, ctx);
    case 'clusters':
      return evaluateClusters(spec, path, ctx);
    case 'git':
      return evaluateGit(spec, path, ctx);
    case 'matrix':
      return evaluateMatrix(spec, path, ctx, depth);
    default:
      return evaluateMerge(spec, path, ctx, depth);
  }
}

function evaluateGit(spec: Record<string, unknown>, path: YamlPath, ctx: GeneratorContext): GeneratorOutput {
  for (const required of ['repoURL', 'revision']) {
    if (asString(spec[required]) === undefined) ctx.report(path, 'error', 'generator-invalid', `The git generator needs \`${required}\`.`);
  }
  // Argo CD's order of precedence: directories, then files; with neither it produces nothing.
  if (spec['directories'] !== undefined && spec['directories'] !== null) return evaluateGitDirectories(spec, path, ctx);
  if (spec['files'] !== undefined && spec['files'] !== null) return evaluateGitFiles(spec, path, ctx);
  const known = ['repoURL', 'revision', 'directories', 'files', 'pathParamPrefix', 'values', 'template', 'requeueAfterSeconds'];
  const typo = Object.keys(spec).find((k) => !known.includes(k));
  const hint = typo ? closest(typo, known) : undefined;
  throw new GeneratorError(
    typo ? [...path, typo] : path,
    typo && hint ? `Unknown field "${typo}" in the git generator; did you mean "${hint}"? Without \`directories\` or \`files\` it generates nothing.` : 'The git generator needs `directories` or `files`; without them it generates nothing.',
    'generator-invalid',
  );
}

function evaluateMatrix(spec: Record<string, unknown>, path: YamlPath, ctx: GeneratorContext, depth: number): GeneratorOutput {
  const children = asArray(spec['generators']);
  if (children.length < 2) throw new GeneratorError([...path, 'generators'], 'found less than two generators, Matrix support only two', 'generator-invalid');
  if (children.length > 2) throw new GeneratorError([...path, 'generators', 2], 'found more than two generators, Matrix support only two', 'generator-invalid');
  reportIgnoredChildTemplates(children, path, ctx);
  const first = evaluateGenerator(children[0], [...path, 'generators', 0], ctx, depth + 1);
  const sets: ParamSet[] = [];
  const deselected: Origin[] = [...(first.deselected ?? [])];
  let secondDescription = '';
  for (const a of first.sets) {
    const child = interpolateGenerator(children[1], a.params, [...path, 'generators', 1], ctx);
    const second = evaluateGenerator(child, [...path, 'generators', 1], ctx, depth + 1);
    secondDescription = second.description;
    deselected.push(...(second.deselected ?? []));
    for (const b of second.sets) {
      sets.push({ params: combineMatrix(a.params, b.params, [...path, 'generators'], ctx.goTemplate), origins: [...a.origins, ...b.origins] });
    }
  }
  if (first.sets.length === 0) secondDescription = describe(children[1]);
  return { sets, description: `matrix(${first.description}, ${secondDescription})`, deselected };
}

function evaluateMerge(spec: Record<string, unknown>, path: YamlPath, ctx: GeneratorContext, depth: number): GeneratorOutput {
  const children = asArray(spec['generators']);
  if (children.length < 2) throw new GeneratorError([...path, 'generators'], 'found less than two generators, Merge requires two or more', 'generator-invalid');
  const mergeKeys = asArray(spec['mergeKeys']).filter((k): k is string => typeof k === 'string');
  if (mergeKeys.length === 0) throw new GeneratorError([...path, 'mergeKeys'], 'no merge keys were specified, Merge requires at least one', 'generator-invalid');
  reportIgnoredChildTemplates(children, path, ctx);
  const outputs = children.map((c, i) => evaluateGenerator(c, [...path, 'generators', i], ctx, depth + 1));
  const keyOf = (p: GoMap): string => JSON.stringify(Object.fromEntries([...mergeKeys].sort().map((k) => [k, p[k] ?? null])));
  const indexed = outputs.map((o, i) => {
    const byKey = new Map<string, ParamSet>();
    for (const s of o.sets) {
      const k = keyOf(s.params);
      if (byKey.has(k)) throw new GeneratorError([...path, 'generators', i], `the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique. Duplicate key was ${k}`, 'generator-invalid');
      byKey.set(k, s);
    }
    return byKey;
  });
  const base = outputs[0] as GeneratorOutput;
  const sets = base.sets.map((s) => {
    let params = s.params;
    let origins = s.origins;
    for (const other of indexed.slice(1)) {
      const match = other.get(keyOf(s.params));
      if (!match) continue;
      params = ctx.goTemplate ? deepMerge(params, match.params) : { ...params, ...match.params };
      origins = [...origins, ...match.origins];
    }
    return { params, origins };
  });
  return { sets, description: `merge(${outputs.map((o) => o.description).join(', ')})`, deselected: outputs.flatMap((o) => o.deselected ?? []) };
}

function reportIgnoredChildTemplates(children: unknown[], path: YamlPath, ctx: GeneratorContext): void {
  children.forEach((c, i) => {
    const rec = asRecord(c);
    for (const [kind, spec] of Object.entries(rec ?? {})) {
      if (asRecord(spec)?.['template'] !== undefined) {
        ctx.report([...path, 'generators', i, kind, 'template'], 'warning', 'generator-template-ignored', 'Argo CD ignores a `template` override on a matrix or merge child; put it on the matrix/merge generator itself.');
      }
    }
  });
}

/**
 * Argo CD's RenderGeneratorParams: every string in the second matrix child is rendered with a
 * parameter set of the first. `values` entries are tried with missingkey=error and left as they
 * are when that fails, so they can still refer to the child's own parameters.
 */
function interpolateGenerator(raw: unknown, params: GoMap, path: YamlPath, ctx: GeneratorContext): unknown {
  const walk = (v: unknown, inValues: boolean, where: YamlPath): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('{{')) return v;
      if (inValues) {
        try {
          return ctx.render(v, params, { forceMissingKeyError: true });
        } catch {
          return v;
        }
      }
      try {
        return ctx.render(v, params);
      } catch (e) {
        throw new GeneratorError(where, `While interpolating this generator with the first matrix child's parameters: ${(e as Error).message}`, 'template-error');
      }
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, inValues, [...where, i]));
    const rec = asRecord(v);
    if (!rec) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(rec)) out[k] = k === 'template' ? x : walk(x, inValues || k === 'values', [...where, k]);
    return out;
  };
  return walk(raw, false, path);
}

function combineMatrix(a: GoMap, b: GoMap, path: YamlPath, goTemplate: boolean): GoMap {
  if (goTemplate) return deepMerge(deepMerge({}, b), a);
  const out: GoMap = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (k in out && out[k] !== v) throw new GeneratorError(path, `found duplicate key ${k} with different value, a: ${String(out[k])} ,b: ${String(v)}; set pathParamPrefix on one of the git generators.`, 'generator-invalid');
    out[k] = v;
  }
  return out;
}

/** mergo.Merge(dst, src, WithOverride) over nested maps: src wins, maps merge, lists replace. */
export function deepMerge(dst: GoMap, src: GoMap): GoMap {
  const out: GoMap = { ...dst };
  for (const [k, v] of Object.entries(src)) {
    const cur = out[k];
    out[k] = isGoMap(cur) && isGoMap(v) ? deepMerge(cur, v) : (v as GoValue);
  }
  return out;
}

function flatLabels(params: GoMap): Record<string, string> {
  const flat: GoMap = {};
  flatten(params, '', flat);
  return flat as Record<string, string>;
}

function describe(raw: unknown): string {
  const rec = asRecord(raw) ?? {};
  return Object.keys(rec).filter((k) => k !== 'selector').join(', ') || 'empty';
}
