/**
 * Completion for Argo CD and kustomization files: schema keys and values, and inside `{{ }}`
 * of an ApplicationSet template the parameters its generators produce (from the repository
 * model's evaluation, never re-evaluated here), variables and the allowed template functions.
 */
import type { RepositoryModel } from '../model/repositoryModel';
import { describe, type ManifestKind, type SchemaNodeInfo } from '../schema';
import { ARGOCD_FUNCTION_NAMES, BUILTINS, isGoMap, type GoMap, type GoValue } from '../template';
import { cursorContext, scalarPathAt, type CursorPath } from './cursor';
import { templateSettings } from '../appset/evaluate';
import { documentAt, isTemplatePath } from './document';
import { FUNCTION_DOCS, TEMPLATE_KEYWORDS } from './functionDocs';
import { keyInsertText, valueShape } from './snippets';
import { valuesCompletions } from './valuesHelp';

export interface EditingInput {
  /** Repository-relative path of the document. */
  file: string;
  text: string;
  offset: number;
  /** The server's model of the repository (for generator parameters, files, folders). */
  model?: RepositoryModel;
}

export type ItemKind = 'property' | 'value' | 'field' | 'variable' | 'function' | 'keyword';

export interface CompletionEntry {
  label: string;
  kind: ItemKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  insertText: string;
  /** `insertText` is an LSP snippet (`$0` marks where the cursor ends up). */
  snippet: boolean;
  /** Offsets of the text the item replaces. */
  start: number;
  end: number;
  filterText?: string;
  sortText?: string;
}

/** How many elements of a list parameter get an `index LIST N` item. */
const MAX_INDEX_ITEMS = 12;
/** Parameter maps are walked this deep (`.values.a.b.c`). */
const MAX_PARAM_DEPTH = 4;

export function completions(input: EditingInput): CompletionEntry[] {
  const values = valuesCompletions(input);
  if (values) return values;
  const { text, offset } = input;
  const document = documentAt(input.file, text, offset);
  if (!document?.kind) return [];
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const open = before.lastIndexOf('{{');
  if (document.kind === 'ApplicationSet' && open >= 0 && open > before.lastIndexOf('}}')) {
    const path = scalarPathAt(text, offset);
    if (path && isTemplatePath(path)) return templateCompletions(input, document.index, document.value ?? modelDocValue(input, document.index), before.slice(open + 2), text.slice(document.start, offset));
    return [];
  }
  const ctx = cursorContext(text, offset);
  if (!ctx || ctx.kind === 'text') return [];
  if (ctx.kind === 'value') return valueCompletions(document.kind, ctx.path, ctx.start, offset);
  const parent = describe(document.kind, ctx.path);
  if (!parent || parent.freeForm) return [];
  const end = offset + (/^[\w.\-/]*/.exec(ctx.restOfLine)?.[0].length ?? 0);
  if (ctx.inListItem && !parent.properties) return valueCompletions(document.kind, ctx.path, ctx.start, end);
  const hasColon = /^[\w.\-/]*\s*:/.test(ctx.restOfLine);
  const lineIndent = before.length - before.trimStart().length;
  const nested = ctx.start - lineStart - lineIndent + 2;
  const required = new Set(parent.required ?? []);
  const out: CompletionEntry[] = [];
  for (const key of parent.properties ?? []) {
    if (ctx.siblings.includes(key)) continue;
    const info = describe(document.kind, [...ctx.path, key]);
    const insertText = keyInsertText(key, valueShape(info), hasColon, nested);
    out.push({
      label: key,
      kind: 'property',
      ...(info?.type !== undefined ? { detail: Array.isArray(info.type) ? info.type.join(' | ') : info.type } : {}),
      ...docOf(info),
      insertText,
      snippet: true,
      start: ctx.start,
      end,
      sortText: `${required.has(key) ? '0' : info?.deprecated ? '2' : '1'}${key}`,
    });
  }
  return out;
}

function modelDocValue(input: EditingInput, docIndex: number): unknown {
  return input.model?.parsedFile(input.file)?.docs.find((d) => d.index === docIndex)?.value;
}

function docOf(info: SchemaNodeInfo | undefined): { documentation?: string } {
  if (!info) return {};
  const parts: string[] = [];
  const text = info.markdownDescription ?? info.description;
  if (info.deprecated || info.deprecationMessage) parts.push(`**Deprecated.** ${info.deprecationMessage ?? ''}`.trim());
  if (text) parts.push(text);
  if (info.default !== undefined) parts.push(`Default: \`${JSON.stringify(info.default)}\``);
  return parts.length ? { documentation: parts.join('\n\n') } : {};
}

function valueCompletions(kind: ManifestKind, path: CursorPath, start: number, end: number): CompletionEntry[] {
  const info = describe(kind, path);
  if (!info) return [];
  const out: CompletionEntry[] = [];
  const types = info.type === undefined ? [] : Array.isArray(info.type) ? info.type : [info.type];
  (info.enum ?? []).forEach((v, i) => {
    if (v === null || typeof v === 'object') return;
    const description = info.enumDescriptions?.[i];
    out.push({ label: String(v), kind: 'value', ...(description ? { documentation: description } : {}), ...(info.default === v ? { detail: 'default' } : {}), insertText: String(v), snippet: false, start, end, sortText: String(i).padStart(3, '0') });
  });
  if (!info.enum && info.examples) {
    // Examples are suggestions, not a closed list; their one-line explanations, where the
    // description lists them as "- `example`: why", go along.
    const text = info.markdownDescription ?? '';
    info.examples.forEach((v, i) => {
      if (typeof v !== 'string') return;
      const line = text.split('\n').find((l) => l.startsWith(`- \`${v}\`: `));
      out.push({ label: v, kind: 'value', ...(line ? { documentation: line.slice(v.length + 6) } : {}), insertText: v, snippet: false, start, end, sortText: String(i).padStart(3, '0') });
    });
  }
  if (!info.enum && types.includes('boolean')) {
    for (const v of ['true', 'false']) out.push({ label: v, kind: 'value', ...(String(info.default) === v ? { detail: 'default' } : {}), insertText: v, snippet: false, start, end });
  }
  return out;
}

// ---- inside {{ }} ----------------------------------------------------------------------

function templateCompletions(input: EditingInput, docIndex: number, docValue: unknown, action: string, docTextBefore: string): CompletionEntry[] {
  const { goTemplate } = templateSettings(docValue);
  const first = input.model?.firstParams({ file: input.file, docIndex });
  const params = first?.params;
  const end = input.offset;
  if (!goTemplate) {
    // Legacy fasttemplate: `{{path.basename}}`, flat keys, no functions.
    const word = /[\w.[\]-]*$/.exec(action)?.[0] ?? '';
    const start = end - word.length;
    return Object.entries(params ?? {}).map(([key, v]) => ({ label: key, kind: 'field' as const, detail: preview(v), insertText: key, snippet: false, start, end, sortText: `0${key}` }));
  }
  const word = /[$\w.]*$/.exec(action)?.[0] ?? '';
  const start = end - word.length;
  const out: CompletionEntry[] = [];
  const where = first ? `for ${first.match}` : undefined;
  const add = (label: string, kind: ItemKind, sort: string, detail?: string, documentation?: string, filterText?: string) =>
    out.push({ label, kind, ...(detail !== undefined ? { detail } : {}), ...(documentation ? { documentation } : {}), insertText: label, snippet: false, start, end, sortText: `${sort}${label}`, ...(filterText ? { filterText } : {}) });
  if (params) {
    const root = word.startsWith('$') ? '$' : '';
    for (const p of paramPaths(params)) {
      const expr = `${root}${p.expr}`;
      if (p.index === undefined) add(expr, 'field', '0', p.preview, where ? `\`${p.preview}\` ${where}` : undefined);
      else {
        // `index .path.segments 3` is offered where `.path.seg…` is being typed, too.
        const label = `index ${expr} ${p.index}`;
        add(label, 'field', '1', p.preview, where ? `\`${p.preview}\` ${where}` : undefined, word.startsWith('.') || word.startsWith('$') ? `${expr} ${p.index}` : undefined);
      }
    }
  }
  if (word.startsWith('.')) return out;
  const vars = new Set<string>(['$']);
  for (const m of docTextBefore.matchAll(/\$([A-Za-z_]\w*)\s*:?=/g)) vars.add(`$${m[1]}`);
  for (const v of vars) add(v, 'variable', '2', v === '$' ? 'the parameters (root)' : 'variable');
  if (word.startsWith('$')) return out;
  for (const name of [...ARGOCD_FUNCTION_NAMES, ...BUILTINS.keys()]) add(name, 'function', '3', 'function', FUNCTION_DOCS[name]);
  for (const [k, doc] of Object.entries(TEMPLATE_KEYWORDS)) add(k, 'keyword', '4', 'keyword', doc);
  return out;
}

interface ParamPath {
  expr: string;
  index?: number;
  preview: string;
}

/** Every parameter as the Go template expression that reads it, with its value for the first match. */
export function paramPaths(params: GoMap): ParamPath[] {
  const out: ParamPath[] = [];
  const walk = (map: GoMap, prefix: string, depth: number) => {
    for (const [key, v] of Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const ident = /^[A-Za-z_]\w*$/.test(key);
      // Keys that are not identifiers (`app.kubernetes.io/name`) are read with `index`.
      const expr = ident ? `${prefix}.${key}` : `index ${prefix === '' ? '.' : prefix} ${JSON.stringify(key)}`;
      if (isGoMap(v) && !Array.isArray(v)) {
        if (ident && depth < MAX_PARAM_DEPTH) walk(v, expr, depth + 1);
        else out.push({ expr, preview: preview(v) });
      } else if (Array.isArray(v)) {
        out.push({ expr, preview: preview(v) });
        if (ident) v.slice(0, MAX_INDEX_ITEMS).forEach((x, i) => out.push({ expr, index: i, preview: preview(x) }));
      } else out.push({ expr, preview: preview(v) });
    }
  };
  walk(params, '', 0);
  return out;
}

function preview(v: GoValue | undefined): string {
  if (typeof v === 'string') return v.length > 80 ? `${v.slice(0, 77)}…` : v;
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}
