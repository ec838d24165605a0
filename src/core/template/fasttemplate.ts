/**
 * Argo CD's legacy template mode (`goTemplate: false`): valyala/fasttemplate v1.2.2 driven by
 * `applicationset/utils/utils.go` `Render.Replace`. No functions, no escaping: each `{{tag}}` is
 * looked up literally (after TrimSpace) in the flat parameter map, and anything that is not a
 * string parameter is left exactly as written.
 */
import { GoTemplateError } from './errors';
import { quote } from './fmt';

// Go's regexp `.*{{.*}}.*`: `.` stops only at '\n' in RE2 (JavaScript's also stops at '\r',
// U+2028 and U+2029), so the same-line requirement is spelled out.
const IS_TEMPLATED = /\{\{[^\n]*\}\}/;

// unicode.IsSpace, which strings.TrimSpace uses (JavaScript's \s adds U+FEFF).
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]';
const TRIM = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, 'g');

/** Go's `strings.TrimSpace`. */
export function goTrimSpace(s: string): string {
  return s.replace(TRIM, '');
}

/**
 * Renders `text` the way Argo CD renders a field with `goTemplate: false`. Throws
 * GoTemplateError (kind 'parse') when a `{{` has no closing `}}` after it.
 */
export function renderFastTemplate(text: string, params: Record<string, unknown>): string {
  if (!IS_TEMPLATED.test(text)) return text;
  let out = '';
  let pos = 0;
  for (;;) {
    const start = text.indexOf('{{', pos);
    if (start < 0) return out + text.slice(pos);
    out += text.slice(pos, start);
    const tagStart = start + 2;
    const end = text.indexOf('}}', tagStart);
    if (end < 0) {
      const msg =
        `invalid template: Cannot find end tag=${quote('}}')} in the template=${quote(text)} ` +
        `starting from ${quote(text.slice(tagStart))}`;
      throw new GoTemplateError('parse', msg, start, text.length - start);
    }
    const tag = text.slice(tagStart, end);
    const key = goTrimSpace(tag);
    const value = Object.hasOwn(params, key) ? params[key] : undefined;
    out += key.length > 0 && typeof value === 'string' ? value : `{{${tag}}}`;
    pos = end + 2;
  }
}
