/**
 * Git files generator (Argo CD applicationset/generators/git.go, default "old" globbing through
 * `git ls-files`): every file selected by an include pathspec and by no exclude pathspec, in
 * sorted path order, is parsed as YAML/JSON; an object gives one parameter set, an array of
 * objects one per element. Parameters: the file's keys (goTemplate) or its keys flattened with
 * dots (legacy), plus `path` facts about the file.
 */
import { gitPathspecMatch } from '../glob/gitPathspec';
import { sanitizeName } from '../argocd/names';
import { formatValue, isGoMap, typedSlice, type GoMap, type GoValue } from '../template';
import type { YamlPath } from '../yaml/parse';
import { asArray, asRecord, asString } from './spec';
import { applyValues } from './values';
import { GeneratorError, type GeneratorContext, type GeneratorOutput, type ParamSet } from './types';
import { NestingLimitError } from '../yaml/nesting';

export function evaluateGitFiles(git: Record<string, unknown>, path: YamlPath, ctx: GeneratorContext): GeneratorOutput {
  const includes: string[] = [];
  const excludes: string[] = [];
  asArray(git['files']).forEach((raw, i) => {
    const item = asRecord(raw);
    const pattern = asString(item?.['path']);
    if (pattern === undefined) throw new GeneratorError([...path, 'files', i], 'A git files entry needs a `path`.', 'generator-invalid');
    ctx.deps.filePatterns.add(pattern);
    (item?.['exclude'] === true ? excludes : includes).push(pattern);
  });
  const selected = new Map<string, string>();
  for (const file of ctx.tree.files) {
    const pattern = includes.find((p) => gitPathspecMatch(p, file));
    if (pattern !== undefined && !excludes.some((p) => gitPathspecMatch(p, file))) selected.set(file, pattern);
  }
  const prefix = asString(git['pathParamPrefix']) ?? '';
  const sets: ParamSet[] = [];
  for (const file of [...selected.keys()].sort(byteOrder)) {
    const content = ctx.readFileParams(file);
    // More deeply nested than Home-Ops reads: Argo CD reads it, so a warning, not a generator error.
    if (content instanceof NestingLimitError) throw new GeneratorError([...path, 'files'], content.message, 'nesting-too-deep', 'warning');
    if (content instanceof Error) {
      throw new GeneratorError([...path, 'files'], `unable to process file '${file}': ${content.message}`, 'generator-file');
    }
    const objects = Array.isArray(content) ? content : [content];
    objects.forEach((obj, index) => {
      const base = ctx.goTemplate ? goTemplateFileParams(obj as GoMap, file, prefix) : legacyFileParams(obj as GoMap, file, prefix);
      sets.push({
        params: applyValues(base, git['values'], [...path, 'values'], ctx),
        origins: [{ kind: 'file', path: file, pattern: selected.get(file) as string, index }],
      });
    });
  }
  return { sets, description: 'git files' };
}

/**
 * Parses a files-generator file the way sigs.k8s.io/yaml does: an object, or an array of
 * objects; anything else is an error. Returns the data or an Error (never throws).
 */
export function parseFileGeneratorContent(text: string, parse: (t: string) => unknown): unknown {
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    return new Error(`unable to parse file: ${(e as Error).message}`);
  }
  if (data === null || data === undefined) return {};
  if (asRecord(data)) return data;
  if (Array.isArray(data) && data.every((d) => asRecord(d) !== undefined)) return data;
  return new Error('unable to parse file: the content is neither an object nor a list of objects');
}

function pathFacts(file: string) {
  const slash = file.lastIndexOf('/');
  const dir = slash < 0 ? '.' : file.slice(0, slash);
  const filename = file.slice(slash + 1);
  const dirSlash = dir.lastIndexOf('/');
  const basename = dir.slice(dirSlash + 1);
  return { dir, filename, basename, segments: dir.split('/') };
}

function goTemplateFileParams(obj: GoMap, file: string, prefix: string): GoMap {
  const f = pathFacts(file);
  const pathMap: GoMap = {
    path: f.dir,
    basename: f.basename,
    filename: f.filename,
    basenameNormalized: sanitizeName(f.basename),
    filenameNormalized: sanitizeName(f.filename),
    segments: typedSlice([...f.segments], 'string'),
  };
  const params: GoMap = { ...obj };
  if (prefix) params[prefix] = { path: pathMap };
  else params['path'] = pathMap;
  return params;
}

function legacyFileParams(obj: GoMap, file: string, prefix: string): GoMap {
  const params: GoMap = {};
  flatten(obj, '', params);
  const f = pathFacts(file);
  const p = prefix ? `${prefix}.path` : 'path';
  params[p] = f.dir;
  params[`${p}.basename`] = f.basename;
  params[`${p}.filename`] = f.filename;
  params[`${p}.basenameNormalized`] = sanitizeName(f.basename);
  params[`${p}.filenameNormalized`] = sanitizeName(f.filename);
  f.segments.forEach((s, i) => {
    if (s !== '') params[`${p}[${i}]`] = s;
  });
  return params;
}

/** jeremywohl/flatten DotStyle, values formatted with Go's `%v`; empty maps and lists vanish. */
export function flatten(value: GoValue, prefix: string, out: GoMap): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => flatten(v, prefix ? `${prefix}.${i}` : String(i), out));
    return;
  }
  if (isGoMap(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out[prefix] = formatValue(value);
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
