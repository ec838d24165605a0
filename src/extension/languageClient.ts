/** Starts the Home-Ops language server (dist/server.js) over IPC. */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SETTINGS } from './constants';
import type { InitializationOptions } from '../shared/protocol';
import { redHatYamlValidates } from './redHatYaml';

/** Bundled into dist/lazy.js (see lazy/index.ts), not into the activation bundle. */
export function createLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): LanguageClient {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', pattern: '**/Kustomization' },
    ],
    synchronize: {
      configurationSection: SETTINGS.section,
      // Every file matters: a new app folder, a values file a kustomization names, a .gitignore.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*'),
    },
    outputChannel: log,
    initializationOptions: { trusted: vscode.workspace.isTrusted, cacheDir: context.globalStorageUri.fsPath, redHatYaml: redHatYamlValidates() } satisfies InitializationOptions,
  };
  return new LanguageClient('homeOps', 'Home-Ops', serverOptions, clientOptions);
}
