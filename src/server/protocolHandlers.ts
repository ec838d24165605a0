/**
 * The server's side of src/shared/protocol.ts: one handler per declared request and client
 * notification, registered from the tables themselves. The handler objects are typed from the
 * declarations, so a request the protocol declares but the server does not handle, a handler for
 * one it does not declare, or a handler whose parameters or result differ, fails to compile.
 */
import type { Connection, NotificationHandler, NotificationHandler0, RequestHandler, RequestHandler0 } from 'vscode-languageserver/node';
import type { NotificationType, NotificationType0, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import { ClientNotifications, Requests, type ClientNotificationName, type RequestName } from '../shared/protocol';

type HandlerFor<T> =
  T extends RequestType0<infer R, infer E>
    ? RequestHandler0<R, E>
    : T extends RequestType<infer P, infer R, infer E>
      ? RequestHandler<P, R, E>
      : T extends NotificationType0
        ? NotificationHandler0
        : T extends NotificationType<infer P>
          ? NotificationHandler<P>
          : never;

export type RequestHandlers = { [K in RequestName]: HandlerFor<(typeof Requests)[K]> };
export type ClientNotificationHandlers = { [K in ClientNotificationName]: HandlerFor<(typeof ClientNotifications)[K]> };

export function registerProtocol(connection: Connection, requests: RequestHandlers, notifications: ClientNotificationHandlers): void {
  // The casts only forget which entry is which: each handler was checked against its own entry
  // above, and the message type object itself goes to vscode-jsonrpc (it knows how many
  // parameters the handler takes).
  for (const name of Object.keys(Requests) as RequestName[]) {
    connection.onRequest(Requests[name] as RequestType<unknown, unknown, unknown>, requests[name] as RequestHandler<unknown, unknown, unknown>);
  }
  for (const name of Object.keys(ClientNotifications) as ClientNotificationName[]) {
    connection.onNotification(ClientNotifications[name] as NotificationType<unknown>, notifications[name] as NotificationHandler<unknown>);
  }
}
