import type { TreeApp } from '../core/tree/appTree';
import type { TreeAppSetInfo } from '../core/tree/fromModel';

/**
 * Home-Ops' own messages between the extension (client) and the language server, beside the
 * standard LSP ones. Shared by both sides; plain data only.
 */

/** Sent by the client: the generated and standalone Applications, for the tree view. */
export const MODEL_REQUEST = 'homeOps/model';

/** Sent by the server after the repository model changed (debounced); no payload. */
export const MODEL_CHANGED_NOTIFICATION = 'homeOps/modelChanged';

export interface ModelResponse {
  root: string;
  appsets: TreeAppSetInfo[];
  apps: TreeApp[];
}
