/**
 * Argo CD's own template functions (applicationset/utils/template_functions.go, utils.go):
 * `normalize` (SanitizeName) and `slugify` (SanitizeName, then gosimple/slug v1.15.0 `Make`).
 * toYaml/fromYaml/fromYamlArray live in yaml.ts.
 */
import { GoFuncDef, GoInt, GoValue } from '../value';
import { assertionPanic } from './dicts';
import { byteSlice, goToLower, str } from './util';

type Defs = Record<string, GoFuncDef>;

/** SanitizeName: a DNS-1123-ish name (lower case, `[-a-z0-9.]`, at most 253 bytes, trimmed). */
export function sanitizeName(name: string): string {
  let s = goToLower(name).replace(/[^-a-z0-9.]/gu, '-');
  if (s.length > 253) s = s.slice(0, 253);
  return s.replace(/^[-.]+|[-.]+$/g, '');
}

/**
 * gosimple/slug Make on SanitizeName's output. Its substitutions and transliteration never
 * apply here (the input is already `[-a-z0-9.]`), which leaves: truncate first when smart
 * truncation is off, `.` → `-`, dash runs collapsed, ends trimmed, then smart truncation at the
 * last `-` at or before maxLength.
 */
export function slugMake(s: string, maxLength: number, smartTruncate: boolean): string {
  let slug = s.trim();
  if (!smartTruncate && slug.length >= maxLength) slug = byteSlice(slug, undefined, maxLength);
  slug = slug.replace(/[^a-zA-Z0-9_-]/g, '-').replace(/-+/g, '-');
  slug = slug.replace(/^[-_]+|[-_]+$/g, '');
  if (maxLength > 0 && smartTruncate && slug.length > maxLength) {
    const cut = slug.lastIndexOf('-', maxLength);
    slug = cut >= 0 ? slug.slice(0, cut) : slug.slice(0, maxLength);
  }
  return slug;
}

function slugify(args: GoValue[]): string {
  let maxSize = 50;
  let smart = true;
  let name = '';
  args.forEach((arg, idx) => {
    if (idx === args.length - 1) name = typeof arg === 'string' ? arg : assertionPanic(arg, 'string');
    else if (idx === 0) maxSize = arg instanceof GoInt && arg.kind === 'int' ? arg.value : assertionPanic(arg, 'int');
    else if (idx === 1) smart = typeof arg === 'boolean' ? arg : assertionPanic(arg, 'bool');
    // further arguments are only logged by Argo CD ("Bad 'slugify' arguments.")
  });
  return slugMake(sanitizeName(name), maxSize, smart);
}

export const argoCdOwnFuncs: Defs = {
  normalize: { params: ['string'], fn: (s) => sanitizeName(str(s)) },
  slugify: { params: [], variadic: 'interface {}', fn: (...args) => slugify(args) },
};
