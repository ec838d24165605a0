/**
 * Completion and hover in a Helm values file, from the chart it is for (model.valuesUses() and
 * model.chart(): the repository or the chart cache): the keys the chart's schema and default
 * values have at the cursor, enum values, each with the schema's description, the default from
 * the chart's values.yaml and the comment written above it there (helm-docs' `# --` included).
 * A key under a dependency's alias is described by that dependency's chart.
 */
import { compileValuesSchema, valueAt, type LoadedChart, type ValuesPath } from '../charts';
import type { RepositoryModel } from '../model/repositoryModel';
import type { ValuesUse } from '../model/valuesUses';
import type { SchemaNodeInfo } from '../schema';
import { parseYamlFile, type YamlDoc } from '../yaml/parse';
import type { CompletionEntry, EditingInput } from './completion';
import { cursorContext } from './cursor';
import { documentAt, nodeAt } from './document';
import type { HoverText } from './hover';
import { keyInsertText, valueShape } from './snippets';

type ValuesFileChart = { use: ValuesUse; chart: LoadedChart } | { use: ValuesUse; unavailable: string };

/** The chart a values file is for: a values file a use reads, or the values.yaml of a chart of the repository. */
export function chartOfValuesFile(model: RepositoryModel, file: string): ValuesFileChart | undefined {
  let found: ValuesFileChart | undefined;
  for (const use of model.valuesUses()) {
    const reads = use.layers.some((l) => l.file === file && l.reader === 'helm-values' && l.path.length === 0);
    const own = use.chart.local !== undefined && file === (use.chart.local === '' ? 'values.yaml' : `${use.chart.local}/values.yaml`);
    if (!reads && !own) continue;
    const r = model.chart(use.chart);
    if (r.ok) return { use, chart: r.chart };
    found ??= { use, unavailable: r.reason };
  }
  return found;
}

/**
 * The chart values under the cursor are for, and the path inside those values: in a values file
 * the document's path; in inline values (kustomize `valuesInline`, `helm.valuesObject` of an
 * Application or of an ApplicationSet's template) the path below the inline mapping, so the
 * same chart lookup serves both. `docIndex` is asked only when the file holds inline values.
 */
export function valuesAtCursor(model: RepositoryModel, file: string, docIndex: () => number | undefined, path: ReadonlyArray<string | number>): { found: ValuesFileChart; path: ValuesPath } | undefined {
  const found = chartOfValuesFile(model, file);
  if (found) return { found, path: [...path] };
  let index: number | undefined | null = null;
  let unavailable: { found: ValuesFileChart; path: ValuesPath } | undefined;
  for (const use of model.valuesUses()) {
    for (const l of use.layers) {
      if (l.file !== file || l.path.length === 0 || l.yamlString || path.length < l.path.length || !l.path.every((seg, i) => seg === path[i])) continue;
      if (index === null) index = docIndex();
      if (index !== l.docIndex) continue;
      const rel = path.slice(l.path.length);
      const r = model.chart(use.chart);
      if (r.ok) return { found: { use, chart: r.chart }, path: rel };
      unavailable ??= { found: { use, unavailable: r.reason }, path: rel };
    }
  }
  return unavailable;
}

/** What the chart says about one values path. */
interface ValuesNodeInfo {
  /** The chart whose values hold the node (a dependency's for a key under its alias). */
  chart: LoadedChart;
  /** The path inside that chart's values. */
  rel: ValuesPath;
  schema?: SchemaNodeInfo;
  hasDefault: boolean;
  default?: unknown;
  comment?: string;
}

function nodeInfo(top: LoadedChart, path: ReadonlyArray<string | number>): ValuesNodeInfo {
  let chart = top;
  let rel: ValuesPath = [...path];
  for (;;) {
    const dep = rel.length > 0 ? chart.dependencies.find((d) => d.chart && d.key === String(rel[0])) : undefined;
    if (!dep?.chart) break;
    chart = dep.chart;
    rel = rel.slice(1);
  }
  const out: ValuesNodeInfo = { chart, rel, hasDefault: false };
  if (chart.schema && chart.schemaText !== undefined) {
    const compiled = compileValuesSchema(chart.schemaText, chart.schema);
    const info = compiled.ok ? compiled.schema.describe(rel) : undefined;
    if (info) out.schema = info;
  }
  const def = valueAt(chart.values, rel);
  if (def !== undefined) {
    out.hasDefault = true;
    out.default = def;
    const comment = commentAbove(chart, rel);
    if (comment) out.comment = comment;
  }
  return out;
}

const valuesDocs = new WeakMap<LoadedChart, YamlDoc | null>();

/** The comment written above a key in the chart's values.yaml (and after it on its line). */
function commentAbove(chart: LoadedChart, rel: ValuesPath): string | undefined {
  if (rel.length === 0 || chart.valuesText === undefined) return undefined;
  let doc = valuesDocs.get(chart);
  if (doc === undefined) {
    doc = parseYamlFile('values.yaml', chart.valuesText, 'helm-values').docs[0] ?? null;
    valuesDocs.set(chart, doc);
  }
  if (!doc) return undefined;
  const lines = chart.valuesText.split('\n');
  const line = doc.keyRangeOf(rel).start.line;
  const out: string[] = [];
  for (let i = line - 1; i >= 0; i--) {
    const t = (lines[i] ?? '').trim();
    if (!t.startsWith('#')) break;
    out.unshift(t.replace(/^#+\s?/, '').replace(/^--\s?/, ''));
  }
  const trailing = /\s#\s?(.*)$/.exec((lines[line] ?? '').replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '""'))?.[1];
  if (trailing) out.push(trailing.replace(/^--\s?/, ''));
  const text = out.filter((l) => !/^@(default|section|ignored)\b/.test(l)).join('\n').trim();
  return text || undefined;
}

function chartLabel(c: LoadedChart): string {
  return `${c.name}${c.version ? ` ${c.version}` : ''}`;
}

function yamlOf(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? 'null' : s.length > 120 ? `${s.slice(0, 117)}…` : s;
}

function documentation(n: ValuesNodeInfo): string | undefined {
  const parts: string[] = [];
  const text = n.schema?.markdownDescription ?? n.schema?.description;
  if (text) parts.push(text);
  if (n.schema?.enum) parts.push(`One of ${n.schema.enum.map((v) => `\`${String(v)}\``).join(', ')}.`);
  if (n.hasDefault) parts.push(`Default: \`${yamlOf(n.default)}\``);
  else if (n.schema?.default !== undefined) parts.push(`Default (schema): \`${yamlOf(n.schema.default)}\``);
  // helm-docs charts write the schema's description again as the comment: said once.
  if (n.comment && !(text && sameWords(text, n.comment))) parts.push(n.comment.split('\n').map((l) => `> ${l}`).join('\n'));
  return parts.length ? parts.join('\n\n') : undefined;
}

function sameWords(a: string, b: string): boolean {
  const words = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return words(a) === words(b);
}

function typeOf(n: ValuesNodeInfo): string | undefined {
  const t = n.schema?.type;
  if (t !== undefined) return Array.isArray(t) ? t.join(' | ') : t;
  if (!n.hasDefault || n.default === null) return undefined;
  return Array.isArray(n.default) ? 'array' : typeof n.default === 'object' ? 'object' : typeof n.default;
}

/** Completion items in a values file; undefined when the file is no values file of a known chart. */
export function valuesCompletions(input: EditingInput): CompletionEntry[] | undefined {
  if (!input.model) return undefined;
  const model = input.model;
  const inValuesFile = chartOfValuesFile(model, input.file);
  if (inValuesFile && !('chart' in inValuesFile)) return undefined;
  const cursor = cursorContext(input.text, input.offset);
  if (inValuesFile && (!cursor || cursor.kind === 'text')) return [];
  if (!cursor || cursor.kind === 'text') return undefined;
  const at = valuesAtCursor(model, input.file, () => documentAt(input.file, input.text, input.offset)?.index, cursor.path);
  // Inline values: only inside their mapping (a key completed beside them is the manifest's).
  if (!at || !('chart' in at.found) || (!inValuesFile && cursor.kind === 'value' && at.path.length === 0)) return undefined;
  const found = at.found;
  const ctx = { ...cursor, path: at.path };
  if (ctx.kind === 'value') {
    const n = nodeInfo(found.chart, ctx.path);
    const out: CompletionEntry[] = [];
    const values = n.schema?.enum ?? (typeOf(n) === 'boolean' ? [true, false] : []);
    values.forEach((v, i) => {
      if (v === null || typeof v === 'object') return;
      out.push({ label: String(v), kind: 'value', ...(n.hasDefault && n.default === v ? { detail: 'default' } : {}), insertText: String(v), snippet: false, start: ctx.start, end: input.offset, sortText: String(i).padStart(3, '0') });
    });
    return out;
  }
  const parent = nodeInfo(found.chart, ctx.path);
  const keys: string[] = [...(parent.schema?.properties ?? [])];
  if (parent.hasDefault && parent.default && typeof parent.default === 'object' && !Array.isArray(parent.default)) for (const k of Object.keys(parent.default)) if (!keys.includes(k)) keys.push(k);
  if (ctx.path.length === 0 || parent.chart !== found.chart || parent.rel.length === 0) for (const d of parent.chart.dependencies) if (!keys.includes(d.key)) keys.push(d.key);
  const lineStart = input.text.lastIndexOf('\n', input.offset - 1) + 1;
  const before = input.text.slice(lineStart, input.offset);
  const lineIndent = before.length - before.trimStart().length;
  const nested = ctx.start - lineStart - lineIndent + 2;
  const hasColon = /^[\w.\-/]*\s*:/.test(ctx.restOfLine);
  const end = input.offset + (/^[\w.\-/]*/.exec(ctx.restOfLine)?.[0].length ?? 0);
  const required = new Set(parent.schema?.required ?? []);
  const out: CompletionEntry[] = [];
  for (const key of keys) {
    if (ctx.siblings.includes(key)) continue;
    const n = nodeInfo(found.chart, [...ctx.path, key]);
    const type = typeOf(n);
    const doc = documentation(n);
    const shape = valueShape(type !== undefined ? { type } : undefined);
    out.push({
      label: key,
      kind: 'property',
      detail: `${type ?? 'value'} · ${chartLabel(n.chart)}`,
      ...(doc ? { documentation: doc } : {}),
      insertText: keyInsertText(key, shape, hasColon, nested),
      snippet: true,
      start: ctx.start,
      end,
      sortText: `${required.has(key) ? '0' : '1'}${key}`,
    });
  }
  return out;
}

/** Hover on a key or value of a values file; undefined when the file is no values file of a chart. */
export function valuesHover(input: EditingInput): HoverText | undefined {
  if (!input.model) return undefined;
  const node = nodeAt(input.file, input.text, input.offset);
  const inValuesFile = chartOfValuesFile(input.model, input.file);
  if (!node) return undefined;
  const place = valuesAtCursor(input.model, input.file, () => node.document.index, node.path);
  // Inline values: their keys and values, not the key that holds them (the manifest's own hover).
  if (!place || (!inValuesFile && place.path.length === 0)) return undefined;
  const found = place.found;
  const at = { start: node.start, end: node.end, path: place.path };
  if (!('chart' in found)) {
    return { markdown: `Chart **${found.use.chart.name}** is not available, so this file is not checked against it: ${found.unavailable}. \`home-ops charts pull\` fetches the charts values files need.`, start: at.start, end: at.end };
  }
  const n = nodeInfo(found.chart, at.path);
  const doc = documentation(n);
  const type = typeOf(n);
  const head = `**\`${at.path.join('.')}\`**${type ? ` · \`${type}\`` : ''} — chart ${chartLabel(n.chart)}${n.chart !== found.chart ? ` (dependency of ${chartLabel(found.chart)})` : ''}`;
  if (!doc && !n.schema && !n.hasDefault) return { markdown: `${head}\n\nNot in the chart's default values${found.chart.schema ? ' nor its schema' : ''}.`, start: at.start, end: at.end };
  return { markdown: doc ? `${head}\n\n${doc}` : head, start: at.start, end: at.end };
}
