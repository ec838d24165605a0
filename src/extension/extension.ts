/**
 * Extension entry point: starts the Home-Ops language server and registers the commands.
 * Everything that touches VS Code lives under src/extension; the engine is in src/core.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { COMMANDS, OUTPUT_CHANNEL_NAME } from './constants';

export interface HomeOpsApi {
  /** Resolves when the language server has started. Integration tests wait on it. */
  readonly ready: Promise<void>;
}

export function activate(context: vscode.ExtensionContext): HomeOpsApi {
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  context.subscriptions.push(log);
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'yaml' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*') },
    outputChannel: log,
  };
  const client = new LanguageClient('homeOps', 'Home-Ops', serverOptions, clientOptions);
  context.subscriptions.push(client);
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.showLog, () => log.show()),
  );
  const ready = client.start();
  ready.catch((e: unknown) => log.error(`The Home-Ops language server did not start: ${String(e)}`));
  return { ready };
}

export function deactivate(): void {
  // The client is in context.subscriptions; VS Code disposes it, which stops the server.
}
