/**
 * Editing help over LSP: completion, hover and quick fixes. The logic is in src/core/editing;
 * this layer only finds the document and the folder's model, and converts offsets, items and
 * edits to LSP types.
 */
import {
  CodeActionKind,
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type ClientCapabilities,
  type CodeAction,
  type CompletionItem,
  type Connection,
  type Diagnostic,
  type Hover,
  type Location,
  type ServerCapabilities,
  type TextDocuments,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { completions, type CompletionEntry, type ItemKind } from '../../core/editing/completion';
import { disableNextLineEdit } from '../../core/editing/fixes';
import { isRuleId } from '../../core/rules';
import { hover } from '../../core/editing/hover';
import { valuesDefinition } from '../../core/editing/valuesDefinition';
import { chartRefLabel, type LoadedChart } from '../../core/charts';
import { missingCharts } from '../../core/render/chartFetch';
import type { FetchChartsCommandArgs } from '../../shared/protocol';
import type { RepositoryModel } from '../../core/model/repositoryModel';
import type { Problem, Range } from '../../core/problems';

export const EDITING_CAPABILITIES: ServerCapabilities = {
  // `.` and `$` continue a template expression, `{` opens one; keys complete as words.
  completionProvider: { triggerCharacters: ['.', '$', '{'] },
  hoverProvider: true,
  definitionProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
};

/** What the features need from the server: the folder (and model) a document belongs to. */
export interface EditingHost {
  folderFor(uri: string): { root: string; model: RepositoryModel; rel: string; uri(rel: string): string; chartTemplateUri(chart: LoadedChart, template: string): string | undefined } | undefined;
  /** Resolves once the workspace folders have been read. */
  ready: Promise<void>;
  /** Whether the client runs `homeOps.fetchCharts` (FetchChartsCommandArgs) from a code action. */
  fetchChartsCommand(): boolean;
}

type ProblemFix = NonNullable<Problem['fixes']>[number];

/** `Diagnostic.data` of a problem with fixes: the fixes, and the range they were computed for. */
interface DiagnosticData {
  fixes: ProblemFix[];
  range: Range;
}

/** The `data` a published diagnostic carries so code actions need not re-derive its fixes. */
export function diagnosticData(p: Problem): DiagnosticData | undefined {
  return p.fixes?.length ? { fixes: p.fixes, range: p.range } : undefined;
}

const ITEM_KIND: Record<ItemKind, CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  field: CompletionItemKind.Field,
  variable: CompletionItemKind.Variable,
  function: CompletionItemKind.Function,
  keyword: CompletionItemKind.Keyword,
};

export function registerEditingFeatures(connection: Connection, documents: TextDocuments<TextDocument>, host: EditingHost, client: () => ClientCapabilities): void {
  const input = async (uri: string, position: { line: number; character: number }) => {
    await host.ready;
    const doc = documents.get(uri);
    const hit = host.folderFor(uri);
    if (!doc || !hit) return undefined;
    return { doc, hit, input: { file: hit.rel, text: doc.getText(), offset: doc.offsetAt(position), model: hit.model } };
  };

  connection.onCompletion(async (params): Promise<CompletionItem[]> => {
    const at = await input(params.textDocument.uri, params.position);
    if (!at) return [];
    const snippets = client().textDocument?.completion?.completionItem?.snippetSupport === true;
    return completions(at.input).map((e) => toCompletionItem(e, at.doc, snippets));
  });

  connection.onHover(async (params): Promise<Hover | null> => {
    const at = await input(params.textDocument.uri, params.position);
    if (!at) return null;
    const h = hover(at.input);
    if (!h) return null;
    return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: { start: at.doc.positionAt(h.start), end: at.doc.positionAt(h.end) } };
  });

  // From a values key to the chart templates that read it (a packaged chart's template is
  // written out into the chart cache first: the editor opens files, not archive entries).
  connection.onDefinition(async (params): Promise<Location[]> => {
    const at = await input(params.textDocument.uri, params.position);
    if (!at) return [];
    const places = valuesDefinition(at.input) ?? [];
    const out: Location[] = [];
    for (const p of places) {
      const uri = at.hit.chartTemplateUri(p.chart, p.template);
      if (uri) out.push({ uri, range: p.range });
    }
    return out;
  });

  connection.onCodeAction(async (params): Promise<CodeAction[]> => {
    await host.ready;
    const doc = documents.get(params.textDocument.uri);
    const hit = host.folderFor(params.textDocument.uri);
    if (!doc || !hit) return [];
    const caps = client().workspace?.workspaceEdit;
    const canCreate = caps?.documentChanges === true && (caps.resourceOperations ?? []).includes('create');
    const out: CodeAction[] = [];
    const seen = new Set<string>();
    const text = doc.getText();
    for (const d of params.context.diagnostics) {
      if (d.source !== 'home-ops' || typeof d.code !== 'string' || !isRuleId(d.code)) continue;
      for (const fix of fixesOf(d)) {
        if (fix.create?.length && !canCreate) continue;
        const edit = toWorkspaceEdit(fix, hit.uri.bind(hit), canCreate);
        const key = JSON.stringify([fix.title, edit]);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], edit });
      }
      if (d.code === 'values-chart-unavailable' && host.fetchChartsCommand()) {
        for (const ref of missingCharts(hit.model, new Set([hit.rel]))) {
          const title = `Fetch chart ${chartRefLabel(ref)}`;
          if (seen.has(title)) continue;
          seen.add(title);
          const args: FetchChartsCommandArgs = { root: hit.root, charts: [ref] };
          out.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, command: { title, command: 'homeOps.fetchCharts', arguments: [args] } });
        }
      }
      const ignore = disableNextLineEdit(text, d.range.start.line, d.code);
      if (ignore) {
        const key = `ignore:${d.code}:${d.range.start.line}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ title: `Ignore ${d.code} on this line`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [doc.uri]: [{ range: ignore.range, newText: ignore.newText }] } } });
      }
    }
    return out;
  });
}

/**
 * The fixes a diagnostic carries, unless the editor moved it since it was published: then the
 * text changed under it, and edits computed for the old text could land in the wrong place.
 */
function fixesOf(d: Diagnostic): ProblemFix[] {
  const data = d.data as Partial<DiagnosticData> | undefined;
  if (!data || !Array.isArray(data.fixes) || !data.range) return [];
  const r = data.range;
  const same = r.start.line === d.range.start.line && r.start.character === d.range.start.character && r.end.line === d.range.end.line && r.end.character === d.range.end.character;
  return same ? data.fixes : [];
}

function toWorkspaceEdit(fix: ProblemFix, uri: (rel: string) => string, documentChanges: boolean): WorkspaceEdit {
  const byFile = new Map<string, TextEdit[]>();
  for (const e of fix.edits) {
    const u = uri(e.file);
    byFile.set(u, [...(byFile.get(u) ?? []), { range: e.range, newText: e.newText }]);
  }
  if (!documentChanges) return { changes: Object.fromEntries(byFile) };
  const changes: NonNullable<WorkspaceEdit['documentChanges']> = [];
  // Never overwrite: a file that appeared meanwhile is left as it is.
  for (const c of fix.create ?? []) {
    changes.push({ kind: 'create', uri: uri(c.file), options: { ignoreIfExists: true } });
    if (c.content !== '') changes.push({ textDocument: { uri: uri(c.file), version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: c.content }] });
  }
  for (const [u, edits] of byFile) changes.push({ textDocument: { uri: u, version: null }, edits });
  return { documentChanges: changes };
}

function toCompletionItem(e: CompletionEntry, doc: TextDocument, snippets: boolean): CompletionItem {
  const range = { start: doc.positionAt(e.start), end: doc.positionAt(e.end) };
  // Without snippet support, drop the tab stop and keep the text.
  const newText = e.snippet && !snippets ? e.insertText.replace(/\$0/g, '').replace(/\\([\\$}])/g, '$1') : e.insertText;
  return {
    label: e.label,
    kind: ITEM_KIND[e.kind],
    ...(e.detail !== undefined ? { detail: e.detail } : {}),
    ...(e.documentation ? { documentation: { kind: MarkupKind.Markdown, value: e.documentation } } : {}),
    ...(e.filterText ? { filterText: e.filterText } : {}),
    ...(e.sortText ? { sortText: e.sortText } : {}),
    insertTextFormat: e.snippet && snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    textEdit: { range, newText },
  };
}
