/** The Argo CD API as a StatusSource: list, then the `/api/v1/stream/applications` watch. */
import { ArgoCdClient, ListOptions, WatchOptions } from './argocdClient';
import { StatusSource, WatchSink } from './statusModel';

export interface ArgoCdSourceOptions {
  /**
   * `fields` of the list. Default `'all'`: the list endpoint's field processor cannot select
   * `metadata.ownerReferences`, `status.conditions`, `status.reconciledAt` or the operation
   * message, and the tree needs them before the first event arrives.
   */
  listFields?: ListOptions['fields'];
  watchFields?: WatchOptions['fields'];
  selector?: string;
  projects?: readonly string[];
  appNamespace?: string;
  /** The token, so that the model can scrub it from anything it reports. */
  token?: string;
  /**
   * List once more as soon as the watch is open (default true). A watch from a resourceVersion
   * sends only what changes after it subscribed (server/application/application.go Watch), so a
   * change between the list and the subscription would otherwise be missed until the next one.
   */
  resyncOnOpen?: boolean;
}

export function argoCdSource(client: ArgoCdClient, options: ArgoCdSourceOptions = {}): StatusSource {
  const filters = {
    ...(options.selector ? { selector: options.selector } : {}),
    ...(options.projects ? { projects: options.projects } : {}),
    ...(options.appNamespace ? { appNamespace: options.appNamespace } : {}),
  };
  const list = (signal: AbortSignal) => client.listApplications({ ...filters, fields: options.listFields ?? 'all', signal });
  return {
    description: `Argo CD at ${client.serverUrl}`,
    list,
    watch: (resourceVersion, sink: WatchSink, signal) =>
      client.watchApplications(resourceVersion, (e) => sink.event(e.type, e.application), signal, {
        ...filters,
        ...(options.watchFields ? { fields: options.watchFields } : {}),
        onOpen: () => {
          sink.open();
          if (options.resyncOnOpen === false) return;
          list(signal).then(
            (l) => {
              if (!signal.aborted) sink.resync(l.items, l.resourceVersion);
            },
            () => undefined, // the watch reports its own failures; the next reconnect lists anyway
          );
        },
        onKeepAlive: () => sink.keepAlive(),
      }),
    secrets: () => (options.token ? [options.token] : []),
  };
}
