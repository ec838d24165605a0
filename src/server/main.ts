/**
 * The Home-Ops language server. For now it publishes the engine's problems (YAML errors,
 * generator and template errors) for the workspace's Argo CD files and keeps the repository
 * model current from open-document edits and watched-file events.
 */
import { createConnection, DiagnosticSeverity, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type Diagnostic } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { RepositoryModel } from '../core/model/repositoryModel';
import type { Problem } from '../core/problems';

const DEBOUNCE_MS = 150;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let model: RepositoryModel | undefined;
let root: string | undefined;
const published = new Set<string>();
let timer: NodeJS.Timeout | undefined;
const pendingPaths = new Set<string>();

connection.onInitialize((params) => {
  const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
  root = folder ? fileURLToPath(folder) : undefined;
  return { capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental } };
});

connection.onInitialized(() => {
  if (!root) return;
  const started = Date.now();
  model = new RepositoryModel(root);
  connection.console.info(`Home-Ops: ${model.apps().length} generated Applications from ${model.appsets().length} ApplicationSets in ${Date.now() - started} ms`);
  publishAll();
});

function relative(uri: string): string | undefined {
  if (!root || !uri.startsWith('file:')) return undefined;
  const rel = path.relative(root, fileURLToPath(uri));
  return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel.split(path.sep).join('/');
}

function schedule(rel: string): void {
  pendingPaths.add(rel);
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = undefined;
    if (!model) return;
    const paths = [...pendingPaths];
    pendingPaths.clear();
    for (const p of paths) {
      const doc = documents.all().find((d) => relative(d.uri) === p);
      if (doc) model.setOverlay(p, doc.getText());
    }
    model.applyChanges(paths);
    publishAll();
  }, DEBOUNCE_MS);
}

documents.onDidChangeContent((e) => {
  const rel = relative(e.document.uri);
  if (rel) schedule(rel);
});

documents.onDidClose((e) => {
  const rel = relative(e.document.uri);
  if (rel && model) {
    model.setOverlay(rel, undefined);
    publishAll();
  }
});

connection.onDidChangeWatchedFiles((e) => {
  for (const change of e.changes) {
    const rel = relative(change.uri);
    if (rel) schedule(rel);
  }
});

function toDiagnostic(p: Problem): Diagnostic {
  const severity = p.severity === 'error' ? DiagnosticSeverity.Error : p.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information;
  return { range: p.range, severity, code: p.rule, source: 'home-ops', message: p.message };
}

function publishAll(): void {
  if (!model || !root) return;
  const byFile = new Map<string, Diagnostic[]>();
  for (const p of model.problems()) {
    const list = byFile.get(p.file) ?? [];
    list.push(toDiagnostic(p));
    byFile.set(p.file, list);
  }
  for (const uri of published) {
    if (!byFile.has(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
  }
  published.clear();
  for (const [file, diagnostics] of byFile) {
    const uri = pathToFileURL(path.join(root, file)).toString();
    published.add(uri);
    void connection.sendDiagnostics({ uri, diagnostics });
  }
}

documents.listen(connection);
connection.listen();
