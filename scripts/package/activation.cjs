'use strict';
// Measures what activation costs: loading dist/extension.js and running activate() up to its
// return (the language server starts afterwards, asynchronously). `vscode` is a stub whose every
// member is a no-op, so the figure is the extension's own work, not the editor's. Prints JSON.
const Module = require('node:module');
const path = require('node:path');

// The namespaces and classes the bundle touches; a bundler copies a module's own keys, so the
// stub must list them (the values are all the same do-nothing proxy).
const API = ['commands', 'env', 'languages', 'window', 'workspace', 'l10n', 'extensions', 'Uri', 'EventEmitter', 'Disposable', 'TreeItem', 'ThemeIcon', 'ThemeColor', 'MarkdownString', 'Position', 'Range', 'RelativePattern', 'Diagnostic', 'DiagnosticSeverity', 'StatusBarAlignment', 'TreeItemCollapsibleState', 'ProgressLocation', 'ViewColumn', 'WorkspaceEdit', 'ConfigurationTarget', 'CancellationTokenSource', 'CancellationError', 'CodeAction', 'CodeActionKind', 'CompletionItem', 'CompletionItemKind', 'Hover', 'Location', 'SnippetString', 'TextEdit', 'SemanticTokensLegend', 'SymbolKind', 'FileType', 'DiagnosticTag', 'CompletionList', 'SignatureHelp', 'ParameterInformation', 'SignatureInformation', 'FoldingRange', 'SelectionRange', 'InlayHint', 'TextDocumentSaveReason', 'FileSystemError', 'version'];

function stub() {
  const fn = function () {
    return proxy;
  };
  const proxy = new Proxy(fn, {
    ownKeys() {
      return [...new Set([...API, 'prototype', 'length', 'name'])];
    },
    getOwnPropertyDescriptor(target, prop) {
      if (prop === 'prototype' || prop === 'length' || prop === 'name') return Reflect.getOwnPropertyDescriptor(target, prop);
      return { configurable: true, enumerable: true, value: proxy };
    },
    get(_t, prop) {
      if (prop === 'then') return undefined; // not a thenable
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === 'isTrusted') return true;
      // vscode-languageclient checks the editor version when it is constructed.
      if (prop === 'version') return '1.100.0';
      return proxy;
    },
    apply() {
      return proxy;
    },
    set() {
      return true;
    },
    construct() {
      return proxy;
    },
  });
  return proxy;
}

const vscode = stub();
const originalLoad = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'vscode') return vscode;
  return originalLoad.call(this, request, ...rest);
};

const bundle = path.resolve(__dirname, '../../dist/extension.js');
const t0 = performance.now();
const ext = require(bundle);
const t1 = performance.now();
const context = { subscriptions: [], asAbsolutePath: (p) => path.join(__dirname, '../..', p), secrets: vscode, globalStorageUri: { fsPath: '/tmp/home-ops-activation' } };
try {
  ext.activate(context);
} catch (e) {
  console.error(`activate() threw against the stub: ${e && e.stack}`);
  process.exit(1);
}
const t2 = performance.now();
process.stdout.write(`${JSON.stringify({ loadMs: t1 - t0, activateMs: t2 - t1, totalMs: t2 - t0 })}\n`);
process.exit(0);
