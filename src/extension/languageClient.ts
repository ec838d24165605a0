/** Starts the Home-Ops language server (dist/server.js) over IPC. */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SETTINGS } from './constants';
import type { InitializationOptions } from '../shared/protocol';
import { redHatYamlValidates } from './redHatYaml';

/** Bundled into dist/lazy.js (see lazy/index.ts), not into the activation bundle. */
/**
 * `homeOpsSettings` rewrites the `homeOps` section before the server gets it: the settings that
 * choose binaries are decided in the extension host, which can tell user from workspace scope.
 */
export function createLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, homeOpsSettings: (raw: unknown) => Record<string, unknown>): LanguageClient {
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
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return result.map((value, i) => (params.items[i]?.section === SETTINGS.section ? homeOpsSettings(value) : value));
        },
      },
    },
    initializationOptions: { trusted: vscode.workspace.isTrusted, cacheDir: context.globalStorageUri.fsPath, redHatYaml: redHatYamlValidates(), fetchChartsCommand: true } satisfies InitializationOptions,
  };
  return new LanguageClient('homeOps', 'Home-Ops', serverOptions, clientOptions);
}
