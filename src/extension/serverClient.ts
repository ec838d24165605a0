/**
 * The extension's side of src/shared/protocol.ts: requests and notifications by their name in
 * the protocol's tables, with the parameters, results and handlers those declare. Lives in the
 * lazy bundle (dist/lazy.js) with the language client: the message type objects come from the
 * LSP protocol library, which activation should not parse. Code in the activation bundle holds
 * a HomeOpsServer and imports this module's types only.
 */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ClientNotifications,
  Requests,
  ServerNotifications,
  type ArgsOf,
  type ClientNotificationName,
  type RequestName,
  type ResultOf,
  type ServerNotificationName,
} from '../shared/protocol';

type RequestOf<K extends RequestName> = (typeof Requests)[K];
/** A request's parameters as declared (none for a request without), then an optional cancellation token. */
export type RequestArgs<K extends RequestName> = [...ArgsOf<RequestOf<K>>, token?: vscode.CancellationToken];

export class HomeOpsServer {
  constructor(readonly client: LanguageClient) {}

  request<K extends RequestName>(name: K, ...args: RequestArgs<K>): Promise<ResultOf<RequestOf<K>>> {
    // The library's overloads cannot be picked for a generic K; the arguments were checked
    // against the declaration above, and the type object tells vscode-jsonrpc how to send them.
    const send = this.client.sendRequest.bind(this.client) as (type: unknown, ...rest: unknown[]) => Promise<ResultOf<RequestOf<K>>>;
    return send(Requests[name], ...args);
  }

  notify<K extends ClientNotificationName>(name: K, ...args: ArgsOf<(typeof ClientNotifications)[K]>): Promise<void> {
    const send = this.client.sendNotification.bind(this.client) as (type: unknown, ...rest: unknown[]) => Promise<void>;
    return send(ClientNotifications[name], ...args);
  }

  onNotification<K extends ServerNotificationName>(name: K, handler: (...args: ArgsOf<(typeof ServerNotifications)[K]>) => void): vscode.Disposable {
    const on = this.client.onNotification.bind(this.client) as (type: unknown, handler: (...args: unknown[]) => void) => vscode.Disposable;
    return on(ServerNotifications[name], handler as (...args: unknown[]) => void);
  }
}
