/**
 * Quick fixes. The rules that see a problem build its fix here and attach it to the Problem
 * (`fixes`), so the editor applies exactly what the rule meant and the server re-derives
 * nothing. A fix is only built when there is one right edit: a near miss with one candidate,
 * a name whose lower-cased template renders valid names for every generated Application, an
 * option that is absent. Anything less certain gets no fix.
 */
import * as nodePath from 'node:path';
import { templateSettings, type AppSetEvaluation } from '../appset/evaluate';
import { appSetRenderer, type AppSetRenderer } from '../appset/renderer';
import { isDns1123Label, isDns1123Subdomain } from '../argocd/names';
import { asRecord } from '../generators/spec';
import { spansExactly, type Range } from '../problems';
import type { QuickFixData } from './types';
import type { YamlDoc, YamlPath } from '../yaml/parse';

// ---- kustomization paths -------------------------------------------------------------

export interface PathReference {
  /** The path as the kustomization writes it (for `key=path` entries, the part after `=`). */
  value: string;
  /** YAML path of the scalar holding it. */
  path: YamlPath;
  /** Repository-relative target. */
  target: string;
  /** The rule's "did you mean", relative like `value`. */
  suggestion?: string;
  /** Whether anything is at the target on disk (a Git-ignored file is). */
  existsOnDisk: boolean;
}

export function kustomizationPathFixes(file: string, doc: YamlDoc, ref: PathReference): QuickFixData[] {
  const fixes: QuickFixData[] = [];
  const scalar = stringAt(doc.value, ref.path);
  if (ref.suggestion !== undefined && scalar?.endsWith(ref.value)) {
    const range = doc.rangeInString(ref.path, scalar.length - ref.value.length, ref.value.length);
    if (range && spansExactly(range, ref.value.length)) fixes.push({ title: `Change to "${ref.suggestion}"`, edits: [{ file, range, newText: ref.suggestion }] });
  }
  const dir = nodePath.posix.dirname(file) === '.' ? '' : nodePath.posix.dirname(file);
  const isValues = ref.path[0] === 'helmCharts' && (ref.path[2] === 'valuesFile' || ref.path[2] === 'additionalValuesFiles');
  // Only inside the kustomization's folder: kustomize refuses values files anywhere else.
  const inside = dir === '' ? !ref.target.startsWith('../') : ref.target.startsWith(`${dir}/`);
  if (isValues && !ref.existsOnDisk && inside && /\.ya?ml$/.test(ref.target)) {
    fixes.push({ title: `Create ${nodePath.posix.relative(dir, ref.target)} (an empty values file)`, edits: [], create: [{ file: ref.target, content: '' }] });
  }
  return fixes;
}

function stringAt(value: unknown, path: YamlPath): string | undefined {
  let cur = value;
  for (const step of path) cur = Array.isArray(cur) && typeof step === 'number' ? cur[step] : asRecord(cur)?.[String(step)];
  return typeof cur === 'string' ? cur : undefined;
}

// ---- missingkey=error ----------------------------------------------------------------

/**
 * `goTemplateOptions: ["missingkey=error"]` on the line after `goTemplate: true` (block style),
 * or in place of an empty `goTemplateOptions` list. Other options already there are the
 * user's choice: no fix.
 */
export function missingKeyErrorFix(file: string, doc: YamlDoc, text: string): QuickFixData | undefined {
  const spec = asRecord(asRecord(doc.value)?.['spec']);
  if (!spec || spec['goTemplate'] !== true) return undefined;
  const title = 'Add goTemplateOptions: ["missingkey=error"]';
  if ('goTemplateOptions' in spec) {
    const opts = spec['goTemplateOptions'];
    if (!Array.isArray(opts) || opts.length > 0) return undefined;
    const range = doc.rangeOf(['spec', 'goTemplateOptions']);
    const offsets = offsetsOf(text, range);
    if (text.slice(offsets[0], offsets[1]).replace(/\s/g, '') !== '[]') return undefined;
    return { title, edits: [{ file, range, newText: '["missingkey=error"]' }] };
  }
  const key = doc.keyRangeOf(['spec', 'goTemplate']);
  const lines = text.split('\n');
  const line = lines[key.start.line];
  if (line === undefined || line.slice(0, key.start.character).trim() !== '') return undefined;
  const value = doc.rangeOf(['spec', 'goTemplate']);
  if (value.end.line !== key.start.line) return undefined;
  const eol = line.endsWith('\r') ? line.length - 1 : line.length;
  const newline = line.endsWith('\r') ? '\r\n' : '\n';
  const at = { line: key.start.line, character: eol };
  return { title, edits: [{ file, range: { start: at, end: at }, newText: `${newline}${' '.repeat(key.start.character)}goTemplateOptions: ["missingkey=error"]` }] };
}

function offsetsOf(text: string, range: Range): [number, number] {
  const at = (p: Range['start']) => {
    let off = 0;
    for (let l = 0; l < p.line; l++) off = text.indexOf('\n', off) + 1;
    return off + p.character;
  };
  return [at(range.start), at(range.end)];
}

// ---- invalid generated names ---------------------------------------------------------

const FIELD_PATH: Record<'name' | 'namespace', YamlPath> = {
  name: ['spec', 'template', 'metadata', 'name'],
  namespace: ['spec', 'template', 'spec', 'destination', 'namespace'],
};

const CONTROL = /^(if|else|end|range|with|define|template|block|break|continue)\b|^\/\*|:?=/;

/**
 * Lower-cases an invalid generated name or namespace: a literal is lower-cased; a Go template
 * gets `| lower` on every action (or `| normalize` when lower case alone is not enough), and
 * the fix is offered only if the new template renders a valid name for every Application the
 * ApplicationSet generates, and the field is where the names come from (no generator template
 * or templatePatch overrides it).
 */
export function lowerCaseNameFix(file: string, doc: YamlDoc, field: 'name' | 'namespace', evaluation: AppSetEvaluation): QuickFixData | undefined {
  const path = FIELD_PATH[field];
  const text = stringAt(doc.value, path);
  if (text === undefined || evaluation.apps.length === 0) return undefined;
  const valid = field === 'name' ? isDns1123Subdomain : isDns1123Label;
  const { goTemplate, options } = templateSettings(doc.value);
  let renderer: AppSetRenderer;
  try {
    renderer = appSetRenderer(goTemplate, options);
  } catch {
    return undefined;
  }
  const produced = (app: AppSetEvaluation['apps'][number]) => (field === 'name' ? app.name : app.namespace);
  const renders = (t: string, check: (out: string, app: AppSetEvaluation['apps'][number]) => boolean) =>
    evaluation.apps.every((app) => {
      try {
        return check(renderer.render(t, app.params), app);
      } catch {
        return false;
      }
    });
  if (!renders(text, (out, app) => out === produced(app))) return undefined;
  const candidates: Array<{ text: string; how: string }> = [];
  if (!text.includes('{{')) candidates.push({ text: text.toLowerCase(), how: 'Lower-case' });
  else if (goTemplate) {
    for (const fn of ['lower', 'normalize']) {
      const t = pipeEveryAction(text, fn);
      if (t !== undefined) candidates.push({ text: t, how: fn === 'lower' ? 'Lower-case' : 'Normalize' });
    }
  }
  const fix = candidates.find((c) => c.text !== text && renders(c.text, (out) => out !== '' && valid(out)));
  if (!fix) return undefined;
  const range = doc.rangeInString(path, 0, text.length);
  if (!range || !spansExactly(range, text.length)) return undefined;
  return { title: `${fix.how} the ${field === 'name' ? 'Application name' : 'destination namespace'}: ${fix.text}`, edits: [{ file, range, newText: fix.text }] };
}

/** `lit{{ x }}lit` → `lit{{ x | fn }}lit` with literal text lower-cased; undefined for control actions. */
function pipeEveryAction(text: string, fn: string): string | undefined {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(/\{\{(-?\s*)([\s\S]*?)(\s*-?)\}\}/g)) {
    const inner = (m[2] as string).trim();
    if (inner === '' || CONTROL.test(inner)) return undefined;
    out += text.slice(last, m.index).toLowerCase();
    out += `{{${m[1]}${inner} | ${fn}${m[3]}}}`;
    last = (m.index ?? 0) + m[0].length;
  }
  return out + text.slice(last).toLowerCase();
}
