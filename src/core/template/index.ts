/**
 * Go `text/template` for Argo CD ApplicationSet templates, and Argo CD's legacy fasttemplate
 * mode. Parse once with `parseGoTemplate` and execute many times; `renderGoTemplate` does both
 * through a bounded cache, because a large repository renders tens of thousands of short,
 * mostly repeated strings.
 */
import { GoTemplateError } from './errors';
import { execute, type MissingKey } from './exec';
import { parse, type ParseResult } from './parse';
import { BUILTINS } from './builtins';
import { argoCdFuncs } from './sprig';
import { type GoFuncMap, type GoValue, goStringToBytes } from './value';

export * from './value';
export { GoTemplateError } from './errors';
export { renderFastTemplate } from './fasttemplate';
export { formatValue, sprint, sprintf, sprintln } from './fmt';
export { BUILTINS } from './builtins';
export { ARGOCD_FUNCTION_NAMES } from './sprig';
export { sanitizeName } from './sprig/argocd';
export type { MissingKey } from './exec';

export interface GoTemplateOptions {
  /** Go's `missingkey` option; `default` (= `invalid`) prints `<no value>` for a missing key. */
  missingKey?: MissingKey;
  /**
   * The function map (default: Argo CD's, see `defaultGoTemplateFuncs`); its functions shadow
   * builtins of the same name, as in Go.
   */
  funcs?: GoFuncMap;
  /** The template name used in error messages (Argo CD uses the empty name). */
  name?: string;
}

/** A parsed template: immutable, safe to cache and to execute any number of times. */
export interface ParsedGoTemplate {
  readonly text: string;
  readonly name: string;
  readonly funcs: GoFuncMap;
  readonly missingKey: MissingKey;
  /** @internal */
  readonly tree: ParseResult;
}

let argoFuncs: GoFuncMap | undefined;

/**
 * Argo CD's function map (sprig minus env/expandenv/getHostByName, plus Argo's own), the
 * default when options give none. Built once: the parse cache is keyed by map identity.
 */
export function defaultGoTemplateFuncs(): GoFuncMap {
  argoFuncs ??= argoCdFuncs();
  return argoFuncs;
}

function hasFunctionIn(funcs: GoFuncMap): (name: string) => boolean {
  return (name) => funcs.has(name) || BUILTINS.has(name);
}

/** Parses like Go's `template.New(name).Funcs(funcs).Parse(text)`. Throws GoTemplateError. */
export function parseGoTemplate(text: string, options: GoTemplateOptions = {}): ParsedGoTemplate {
  const funcs = options.funcs ?? defaultGoTemplateFuncs();
  const name = options.name ?? '';
  const tree = parse(text, { name, hasFunction: hasFunctionIn(funcs) });
  return { text, name, funcs, missingKey: options.missingKey ?? 'default', tree };
}

/**
 * Executes like Go's `Template.Execute` with the data as the template's dot. `options.missingKey`
 * overrides the parse-time setting; `funcs` and `name` come from parse time.
 */
export function executeGoTemplate(t: ParsedGoTemplate, data: GoValue, options: GoTemplateOptions = {}): string {
  return execute(t.tree, data, { missingKey: options.missingKey ?? t.missingKey, funcs: t.funcs });
}

const CACHE_LIMIT = 20000;
/** Function map → template name → text → parsed template (or its parse error). */
const caches = new WeakMap<GoFuncMap, Map<string, Map<string, ParsedGoTemplate | GoTemplateError>>>();

/** Parses through a cache keyed by function map, name and text (parse errors are cached too). */
export function parseGoTemplateCached(text: string, options: GoTemplateOptions = {}): ParsedGoTemplate {
  const funcs = options.funcs ?? defaultGoTemplateFuncs();
  let byName = caches.get(funcs);
  if (!byName) {
    byName = new Map();
    caches.set(funcs, byName);
  }
  // Keyed by the text itself (its hash is kept in the string), not a key string built per call.
  const name = options.name ?? '';
  let cache = byName.get(name);
  if (!cache) {
    cache = new Map();
    byName.set(name, cache);
  }
  let entry = cache.get(text);
  if (!entry) {
    try {
      entry = parseGoTemplate(text, { funcs, name: options.name ?? '' });
    } catch (e) {
      if (!(e instanceof GoTemplateError)) throw e;
      entry = e;
    }
    // A full cache is dropped rather than managed: rendering is repetitive enough that it refills
    // with what matters.
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, entry);
  }
  if (entry instanceof GoTemplateError) throw entry;
  return entry;
}

/** Parses (cached) and executes. Throws GoTemplateError. */
export function renderGoTemplate(text: string, data: GoValue, options: GoTemplateOptions = {}): string {
  const t = parseGoTemplateCached(text, options);
  return execute(t.tree, data, { missingKey: options.missingKey ?? 'default', funcs: t.funcs });
}

/**
 * Like renderGoTemplate, but Go's exact output bytes: where a template produces bytes that are
 * not valid UTF-8 (`b64dec`, `decryptAES`, byte slicing), the string results carry them as
 * U+FFFD and these bytes carry them unchanged.
 */
export function renderGoTemplateBytes(text: string, data: GoValue, options: GoTemplateOptions = {}): Uint8Array {
  const t = parseGoTemplateCached(text, options);
  return goStringToBytes(execute(t.tree, data, { missingKey: options.missingKey ?? 'default', funcs: t.funcs, rawBytes: true }));
}

export interface GoTemplateOptionsResult {
  missingKey: MissingKey;
  /** Go's panic message for the first option `Template.Option` rejects. */
  error?: string;
}

/**
 * Interprets an ApplicationSet's `goTemplateOptions` as Go's `Template.Option` does. Go panics on
 * an unknown option; here the panic message is returned as `error`, with the options before it
 * applied.
 */
export function parseGoTemplateOptions(opts: readonly string[]): GoTemplateOptionsResult {
  let missingKey: MissingKey = 'default';
  for (const opt of opts) {
    if (opt === '') return { missingKey, error: 'empty option string' };
    const eq = opt.indexOf('=');
    if (eq >= 0 && opt.slice(0, eq) === 'missingkey') {
      const value = opt.slice(eq + 1);
      if (value === 'invalid' || value === 'default' || value === 'zero' || value === 'error') {
        missingKey = value;
        continue;
      }
    }
    return { missingKey, error: `unrecognized option: ${opt}` };
  }
  return { missingKey };
}
