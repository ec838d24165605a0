/**
 * Drives the bundled language server (dist/server.js) over stdio with real LSP messages, as an
 * editor would. Tests wait for the notifications they expect; nothing sleeps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { ServerNotifications } from '../../src/shared/protocol';

export const SERVER = path.resolve(__dirname, '../../dist/server.js');

export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  message: string;
  source?: string;
}

export interface Position {
  line: number;
  character: number;
}

export interface TextEdit {
  range: { start: Position; end: Position };
  newText: string;
}

export interface CompletionItem {
  label: string;
  kind?: number;
  detail?: string;
  documentation?: { kind: string; value: string } | string;
  filterText?: string;
  sortText?: string;
  insertTextFormat?: number;
  textEdit?: TextEdit;
}

type DocumentChange = { kind: 'create'; uri: string; options?: { overwrite?: boolean; ignoreIfExists?: boolean } } | { textDocument: { uri: string }; edits: TextEdit[] };

export interface WorkspaceEdit {
  changes?: Record<string, TextEdit[]>;
  documentChanges?: DocumentChange[];
}

export interface CodeAction {
  title: string;
  kind?: string;
  diagnostics?: Diagnostic[];
  edit?: WorkspaceEdit;
  command?: { title: string; command: string; arguments?: unknown[] };
}

/** Position of the `nth` occurrence of `needle` in `text`, plus `delta` characters. */
export function positionOf(text: string, needle: string, delta = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" not in the text`);
  }
  const offset = at + delta;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Applies LSP text edits to a text (edits must not overlap, as LSP requires). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const offset = (p: Position) => {
    let off = 0;
    for (let l = 0; l < p.line; l++) off = text.indexOf('\n', off) + 1;
    return off + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/**
 * Applies a WorkspaceEdit the way an editor does: text edits to `texts` (by URI; files not in it
 * are read from disk and written back), file creations on disk honouring `ignoreIfExists` and
 * `overwrite`. Returns the edited texts by URI.
 */
export function applyWorkspaceEdit(edit: WorkspaceEdit, texts: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map(texts);
  const textOf = (uri: string) => out.get(uri) ?? (fs.existsSync(fileURLToPath(uri)) ? fs.readFileSync(fileURLToPath(uri), 'utf8') : '');
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) out.set(uri, applyTextEdits(textOf(uri), edits));
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      const file = fileURLToPath(change.uri);
      if (fs.existsSync(file)) {
        if (change.options?.ignoreIfExists) continue;
        if (!change.options?.overwrite) throw new Error(`${file} exists and the edit neither overwrites nor ignores it`);
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, '');
      out.set(change.uri, '');
    } else out.set(change.textDocument.uri, applyTextEdits(textOf(change.textDocument.uri), change.edits));
  }
  return out;
}

export class LspClient {
  private readonly proc: ChildProcess;
  readonly connection: MessageConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  private readonly waiters: Array<() => void> = [];
  readonly stderr: string[] = [];
  /** How many `homeOps/modelChanged` notifications arrived: the server sends one after each re-lint. */
  modelChanges = 0;
  /** window/showMessage notifications, in order. */
  readonly shownMessages: string[] = [];
  private readonly modelWaiters: Array<() => void> = [];
  private version = 1;

  /**
   * `env`: the server's environment (default: this process's). `settings`: the `homeOps` section the
   * client answers workspace/configuration with; without it the client has no configuration
   * capability and the server uses its defaults.
   */
  constructor(
    readonly root: string,
    private readonly options: { env?: NodeJS.ProcessEnv; settings?: Record<string, unknown> } = {},
  ) {
    this.proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], ...(options.env ? { env: options.env } : {}) });
    this.proc.stderr?.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      for (const w of this.waiters.splice(0)) w();
    });
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onNotification('window/showMessage', (p: { type: number; message: string }) => void this.shownMessages.push(p.message));
    if (options.settings) {
      const settings = options.settings;
      this.connection.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) => p.items.map((i) => (i.section === 'homeOps' ? settings : null)));
      this.connection.onRequest('client/registerCapability', () => null);
    }
    this.connection.onNotification(ServerNotifications.modelChanged, () => {
      this.modelChanges++;
      for (const w of this.modelWaiters.splice(0)) w();
    });
    this.connection.listen();
  }

  uri(rel: string): string {
    return pathToFileURL(path.join(this.root, rel)).toString();
  }

  async initialize(initializationOptions?: Record<string, unknown>): Promise<unknown> {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      ...(initializationOptions ? { initializationOptions } : {}),
      rootUri: pathToFileURL(this.root).toString(),
      workspaceFolders: [{ uri: pathToFileURL(this.root).toString(), name: 'test' }],
      capabilities: {
        textDocument: { publishDiagnostics: {}, completion: { completionItem: { snippetSupport: true } }, hover: {}, codeAction: {} },
        workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ['create'] }, ...(this.options.settings ? { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } : {}) },
      },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  async open(rel: string, text: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: this.uri(rel), languageId: 'yaml', version: this.version++, text } });
  }

  async change(rel: string, text: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: this.uri(rel), version: this.version++ }, contentChanges: [{ text }] });
  }

  async filesChanged(rels: string[]): Promise<void> {
    await this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: rels.map((r) => ({ uri: this.uri(r), type: 2 })) });
  }

  /** Watched-file events as an editor sends them (1 created, 2 changed, 3 deleted). */
  async filesEvents(changes: ReadonlyArray<{ rel: string; type: 1 | 2 | 3 }>): Promise<void> {
    await this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map((c) => ({ uri: this.uri(c.rel), type: c.type })) });
  }

  /**
   * Resolves once a re-lint that started after `since` (a `modelChanges` count) has published and
   * `test` holds, re-checked after each later re-lint; rejects after `timeoutMs` with the last state.
   */
  waitForModel(since: number, test: () => boolean, timeoutMs = 15000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching re-lint within ${timeoutMs} ms (${this.modelChanges - since} re-lints since)\n${this.stderr.join('')}`)), timeoutMs);
      const check = () => {
        if (this.modelChanges > since && test()) {
          clearTimeout(timer);
          resolve();
        } else this.modelWaiters.push(check);
      };
      check();
    });
  }

  /** Resolves when the diagnostics of `rel` satisfy `test` (checked on every publish). */
  waitForDiagnostics(rel: string, test: (d: Diagnostic[]) => boolean, timeoutMs = 10000): Promise<Diagnostic[]> {
    const uri = this.uri(rel);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${rel} within ${timeoutMs} ms; last: ${JSON.stringify(this.diagnostics.get(uri))}\n${this.stderr.join('')}`)), timeoutMs);
      const check = () => {
        const d = this.diagnostics.get(uri);
        if (d && test(d)) {
          clearTimeout(timer);
          resolve(d);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  async completion(rel: string, position: Position): Promise<CompletionItem[]> {
    const r = await this.connection.sendRequest<CompletionItem[] | { items: CompletionItem[] } | null>('textDocument/completion', { textDocument: { uri: this.uri(rel) }, position });
    return Array.isArray(r) ? r : (r?.items ?? []);
  }

  /** The hover's markdown, or undefined when the server has none. */
  async hover(rel: string, position: Position): Promise<string | undefined> {
    const r = await this.connection.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: this.uri(rel) }, position });
    return r?.contents.value;
  }

  /** The locations textDocument/definition gives (an array of Location, as this server answers). */
  async definition(rel: string, position: Position): Promise<Array<{ uri: string; range: { start: Position; end: Position } }>> {
    const r = await this.connection.sendRequest<Array<{ uri: string; range: { start: Position; end: Position } }> | null>('textDocument/definition', { textDocument: { uri: this.uri(rel) }, position });
    return r ?? [];
  }

  /** Code actions for `diagnostics` (as published for `rel`), at the first one's range. */
  async codeActions(rel: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: this.uri(rel) }, range, context: { diagnostics } });
  }

  async close(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone; the kill below makes sure.
    }
    this.connection.dispose();
    this.proc.kill();
  }
}
