/**
 * A small vocabulary for writing the project's JSON Schemas (draft-07) by hand in TypeScript:
 * the schemas in `schemas/` are the output of `build.ts`, and these helpers keep every field a
 * one-liner with its own description. Editor-only keywords (`markdownDescription`,
 * `enumDescriptions`, `patternErrorMessage`, `deprecationMessage`) are the ones VS Code's JSON
 * service and Red Hat YAML understand; the validator in src/core/schema reads them too.
 */

export type Schema = { [key: string]: unknown };

/**
 * `plain` is an object as Argo CD reads it. `templated` is the same object inside an
 * ApplicationSet template, where Argo CD renders every string field (and every string map key)
 * before use: a `{{...}}` string must pass wherever the rendered value is a string, even if the
 * rendered value has an enum or a pattern. Booleans and integers are not rendered, so they stay
 * typed in both modes.
 */
export type Mode = 'plain' | 'templated';

/** A string Argo CD would render: it contains a Go template or fasttemplate action. */
export const TEMPLATE_PATTERN = '\\{\\{';

/** Description with Markdown: a plain `description` for tools without Markdown, both kept. */
export function doc(text: string): Schema {
  if (!/[`*[]/.test(text)) return { description: text };
  return { description: text.replace(/`/g, '').replace(/\*\*/g, ''), markdownDescription: text };
}

export function str(text: string, extra: Schema = {}): Schema {
  return { type: 'string', ...doc(text), ...extra };
}

export function bool(text: string, dflt?: boolean): Schema {
  return dflt === undefined ? { type: 'boolean', ...doc(text) } : { type: 'boolean', ...doc(text), default: dflt };
}

export function int(text: string, extra: Schema = {}): Schema {
  return { type: 'integer', ...doc(text), ...extra };
}

export function list(items: Schema, text: string, extra: Schema = {}): Schema {
  return { type: 'array', ...doc(text), items, ...extra };
}

export function strings(text: string, extra: Schema = {}, item: Schema = { type: 'string' }): Schema {
  return list(item, text, extra);
}

/** map[string]string: labels, annotations, values... Keys are free (and rendered in templates). */
export function strMap(text: string, extra: Schema = {}): Schema {
  return { type: 'object', ...doc(text), additionalProperties: { type: 'string' }, ...extra };
}

/** A struct: known fields only, so a typo is reported instead of silently dropped. */
export function obj(text: string, properties: Record<string, Schema>, required?: string[], extra: Schema = {}): Schema {
  const s: Schema = { type: 'object', ...doc(text), properties, additionalProperties: false };
  if (required && required.length) s.required = required;
  return { ...s, ...extra };
}

/** Where Kubernetes keeps unknown fields (`x-kubernetes-preserve-unknown-fields`): anything goes. */
export function anyObject(text: string, extra: Schema = {}): Schema {
  return { type: 'object', ...doc(text), ...extra };
}

export function ref(target: string, extra: Schema = {}): Schema {
  const $ref = target.includes('#') ? target : `#/$defs/${target}`;
  return Object.keys(extra).length ? { allOf: [{ $ref }], ...extra } : { $ref };
}

/**
 * A string from a closed set. In templated mode a `{{...}}` string is accepted instead (it is
 * checked once rendered); anything else must still be one of the values.
 */
export function choice(mode: Mode, values: string[], text: string, extra: Schema & { enumDescriptions?: string[] } = {}): Schema {
  const { enumDescriptions, ...rest } = extra;
  const annotations: Schema = enumDescriptions ? { enumDescriptions, markdownEnumDescriptions: enumDescriptions } : {};
  if (mode === 'plain') return { type: 'string', ...doc(text), enum: values, ...annotations, ...rest };
  return {
    type: 'string',
    ...doc(text),
    if: { pattern: TEMPLATE_PATTERN },
    else: { enum: values, ...annotations },
    ...rest,
  };
}

/** A string with a shape (anchored regular expression); templated mode also accepts `{{...}}`. */
export function shaped(mode: Mode, pattern: string, message: string, text: string, extra: Schema = {}): Schema {
  const p = mode === 'plain' ? pattern : `${pattern}|${TEMPLATE_PATTERN}`;
  return { type: 'string', ...doc(text), pattern: p, patternErrorMessage: message, ...extra };
}

/** Kubernetes int-or-string. */
export function intOrString(mode: Mode, pattern: string, message: string, text: string, extra: Schema = {}): Schema {
  const p = mode === 'plain' ? pattern : `${pattern}|${TEMPLATE_PATTERN}`;
  return { type: ['integer', 'string'], ...doc(text), pattern: p, patternErrorMessage: message, ...extra };
}

/** A field the upstream project still reads but wants replaced; `instead` says by what. */
export function deprecated(s: Schema, instead: string): Schema {
  const message = `Deprecated: ${instead}`;
  const d = doc(`${message}\n\n${(s.markdownDescription ?? s.description ?? '') as string}`);
  return { ...s, ...d, deprecated: true, deprecationMessage: message };
}

/** Go duration (`time.ParseDuration`) or a bare number of seconds, as Argo CD's backoff accepts. */
export const DURATION_PATTERN = '^(?:[0-9]+|(?:[0-9]+(?:\\.[0-9]+)?(?:ns|us|µs|ms|s|m|h))+)$';
