/**
 * The Home-Ops language server. Runs inside VS Code (started by the extension over IPC) or
 * standalone for other editors: `node dist/server.js --stdio`.
 */
import { CancellationToken, ErrorCodes, LSPErrorCodes, MessageType, ShowMessageNotification, ResponseError, createConnection, DiagnosticSeverity, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type ClientCapabilities, type Diagnostic } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as os from 'node:os';
import * as path from 'node:path';
import { RenderError } from '../core/render';
import { listChartVersions } from '../core/scaffold/chartVersions';
import type { Problem } from '../core/problems';
import { ServerNotifications, type FetchChartsResult, type InitializationOptions, type RenderErrorData } from '../shared/protocol';
import { registerProtocol } from './protocolHandlers';
import { DEFAULT_SETTINGS, readSettings, type ServerSettings } from './settings';
import { renderErrorData, WorkspaceFolderState, type RenderEnvironment } from './workspace';
import { diagnosticData, EDITING_CAPABILITIES, registerEditingFeatures } from './features';

/** Typing pauses shorter than this are one edit. */
const DEBOUNCE_MS = 120;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const folders: WorkspaceFolderState[] = [];
let roots: string[] = [];
/** Workspace Trust and storage, from the client; untrusted until it says otherwise. */
const renderEnv: Omit<RenderEnvironment, 'settings'> = { trusted: false, cacheDir: path.join(os.tmpdir(), 'home-ops-cache') };
let canReadConfiguration = false;
let clientCapabilities: ClientCapabilities = {};
/** Whether the client runs Red Hat YAML (it says so at initialization and on every change). */
let redHatYamlActive = false;
/** Whether the client has the homeOps.fetchCharts command (code actions "Fetch chart X" run it). */
let fetchChartsCommand = false;

function toDiagnostic(p: Problem): Diagnostic {
  const severity = p.severity === 'error' ? DiagnosticSeverity.Error : p.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information;
  const data = diagnosticData(p);
  return { range: p.range, severity, code: p.rule, source: 'home-ops', message: p.message, ...(data ? { data } : {}) };
}

const target = {
  publish: (uri: string, problems: readonly Problem[]) => void connection.sendDiagnostics({ uri, diagnostics: problems.map(toDiagnostic) }),
  modelChanged: () => void connection.sendNotification(ServerNotifications.modelChanged),
  log: (message: string) => connection.console.info(message),
  // A notification, not showMessageRequest: nothing waits for the user to answer it.
  warn: (message: string) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message }),
};

function folderFor(uri: string): { folder: WorkspaceFolderState; rel: string } | undefined {
  for (const folder of folders) {
    const rel = folder.relative(uri);
    if (rel !== undefined) return { folder, rel };
  }
  return undefined;
}

async function settings(): Promise<ServerSettings> {
  const read = canReadConfiguration ? readSettings(await connection.workspace.getConfiguration('homeOps')) : DEFAULT_SETTINGS;
  return { ...read, redHatYamlActive };
}

connection.onInitialize((params) => {
  const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  roots = uris.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
  canReadConfiguration = params.capabilities.workspace?.configuration === true;
  clientCapabilities = params.capabilities;
  const init = (params.initializationOptions ?? {}) as Partial<InitializationOptions>;
  // A client that says nothing about trust (another editor) runs the server on purpose, like the CLI.
  renderEnv.trusted = init.trusted ?? true;
  if (typeof init.cacheDir === 'string' && init.cacheDir !== '') renderEnv.cacheDir = init.cacheDir;
  redHatYamlActive = init.redHatYaml === true;
  fetchChartsCommand = init.fetchChartsCommand === true;
  return { capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, ...EDITING_CAPABILITIES } };
});

let markReady: () => void = () => undefined;
/** Resolves once the workspace folders have been read; requests for the model wait for it. */
const ready = new Promise<void>((resolve) => (markReady = resolve));

registerEditingFeatures(
  connection,
  documents,
  {
    folderFor: (uri) => {
      const hit = folderFor(uri);
      return hit && { root: hit.folder.root, model: hit.folder.repository, rel: hit.rel, uri: (rel) => hit.folder.uri(rel), chartTemplateUri: (chart, template) => hit.folder.chartTemplateUri(chart, template) };
    },
    ready,
    fetchChartsCommand: () => fetchChartsCommand,
  },
  () => clientCapabilities,
);

connection.onInitialized(async () => {
  if (canReadConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'homeOps' });
  const s = await settings();
  for (const root of roots) {
    // Documents may have been opened before the folder is read; their buffers count from the start.
    const open = new Map<string, string>();
    const folderPrefix = pathToFileURL(root).toString() + '/';
    for (const doc of documents.all()) if (doc.uri.startsWith(folderPrefix)) open.set(decodeURIComponent(doc.uri.slice(folderPrefix.length)), doc.getText());
    const folder = new WorkspaceFolderState(root, s, target, DEBOUNCE_MS, open);
    folders.push(folder);
    folder.setTrusted(renderEnv.trusted);
  }
  markReady();
  target.modelChanged();
});

connection.onDidChangeConfiguration(async () => {
  const s = await settings();
  for (const f of folders) f.updateSettings(s);
});

documents.onDidChangeContent((e) => {
  const hit = folderFor(e.document.uri);
  hit?.folder.setOverlay(hit.rel, e.document.getText());
});

documents.onDidClose((e) => {
  const hit = folderFor(e.document.uri);
  hit?.folder.setOverlay(hit.rel, undefined);
});

connection.onDidChangeWatchedFiles((e) => {
  for (const change of e.changes) {
    const hit = folderFor(change.uri);
    hit?.folder.fileChanged(hit.rel);
  }
});

function folderAt(root: string): WorkspaceFolderState {
  const folder = folders.find((f) => f.root === root) ?? folders[0];
  if (!folder) throw new Error('No workspace folder is open.');
  return folder;
}

/** Render failures travel as a ResponseError whose data says what happened and where. */
function renderFailure(e: unknown): ResponseError<RenderErrorData> {
  if (e instanceof RenderError) {
    return new ResponseError(e.kind === 'cancelled' ? LSPErrorCodes.RequestCancelled : ErrorCodes.InternalError, e.message, renderErrorData(e));
  }
  return new ResponseError(ErrorCodes.InternalError, String((e as Error)?.message ?? e), { kind: 'internal' });
}

function abortOn(token: CancellationToken): AbortSignal {
  const abort = new AbortController();
  if (token.isCancellationRequested) abort.abort();
  token.onCancellationRequested(() => abort.abort());
  return abort.signal;
}

// Every homeOps/* message of src/shared/protocol.ts, and only those (the types check both).
registerProtocol(
  connection,
  {
    model: async () => {
      await ready;
      return folders.map((f) => f.modelSnapshot());
    },
    scaffoldCategories: async () => {
      await ready;
      return folders.map((f) => ({ root: f.root, categories: f.scaffoldCategories() }));
    },
    scaffoldCheckName: async (p) => {
      await ready;
      return folderAt(p.root).checkAppName(p.categoryId, p.name);
    },
    scaffoldPlanApp: async (p) => {
      await ready;
      return folderAt(p.root).planAddApp(p.categoryId, p.name, p.source, p.siblings);
    },
    scaffoldPlanCategory: async (p) => {
      await ready;
      return folderAt(p.root).planAddCategory(p.name);
    },
    scaffoldChartVersions: (p, token) => listChartVersions(String(p?.repo ?? ''), String(p?.chart ?? ''), { signal: abortOn(token) }),
    render: async (p, token) => {
      await ready;
      try {
        return await folderAt(p.root).render(p.app, { ...renderEnv, settings: (await settings()).render }, abortOn(token));
      } catch (e) {
        return renderFailure(e);
      }
    },
    renderDiff: async (p, token) => {
      await ready;
      try {
        return await folderAt(p.root).renderDiff(p.app, p.revision, { ...renderEnv, settings: (await settings()).render }, abortOn(token));
      } catch (e) {
        return renderFailure(e);
      }
    },
    renderChanged: async (p, token) => {
      await ready;
      const progressId = p.progressId;
      const progress = progressId ? (done: number, total: number, app: string) => void connection.sendNotification(ServerNotifications.renderChangedProgress, { progressId, done, total, app }) : undefined;
      try {
        return await folderAt(p.root).renderChanged(p.revision || 'HEAD', { ...renderEnv, settings: (await settings()).render }, abortOn(token), progress);
      } catch (e) {
        return renderFailure(e);
      }
    },
    checkTools: async () => {
      await ready;
      try {
        const env = { ...renderEnv, settings: (await settings()).render };
        return await Promise.all(folders.map((f) => f.checkTools(env)));
      } catch (e) {
        return renderFailure(e);
      }
    },
    fetchCharts: async (p) => {
      await ready;
      const targets = p?.root ? folders.filter((f) => f.root === p.root) : folders;
      const out: FetchChartsResult = { pulled: [], cached: [], failed: [] };
      for (const f of targets) {
        const r = await f.fetchCharts(Array.isArray(p?.charts) ? p.charts : undefined);
        if (r.refused) return { ...out, refused: r.refused };
        out.pulled.push(...r.pulled);
        out.cached.push(...r.cached);
        out.failed.push(...r.failed);
      }
      return out;
    },
    appsForFile: async (p) => {
      await ready;
      const hit = folderFor(p.uri);
      if (!hit) return [];
      return hit.folder.appsFor(hit.rel).map((a) => ({ root: hit.folder.root, ...a }));
    },
  },
  {
    trustGranted: () => {
      renderEnv.trusted = true;
      for (const f of folders) f.setTrusted(true);
    },
    redHatYaml: async (p) => {
      const active = p?.active === true;
      if (active === redHatYamlActive) return;
      redHatYamlActive = active;
      await ready;
      const s = await settings();
      for (const f of folders) f.updateSettings(s);
    },
  },
);

connection.onShutdown(() => {
  for (const f of folders) f.dispose();
});

documents.listen(connection);
connection.listen();
