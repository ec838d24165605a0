/**
 * `home-ops tools [DIR]`: the helm, kustomize and git that `home-ops render` would run (path,
 * version, found how), the Argo CD release the repository installs and the versions it ships.
 * Exit code 1 when helm or kustomize is missing.
 */
import { RepositoryModel } from '../core/model/repositoryModel';
import { checkTools, formatToolsReport } from '../core/render';
import { parseArgs, resolveDir } from './args';
import { cliBinaries } from './renderCommand';

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export const TOOLS_USAGE = `  tools [DIR]
      Show the helm, kustomize and git that render uses (from HOME_OPS_HELM/HOME_OPS_KUSTOMIZE,
      Home-Ops' tools cache, PATH, or kubectl kustomize), their versions, and which ones the
      Argo CD release DIR installs ships. Exit code 1 when helm or kustomize is missing.
`;

export async function toolsCommand(args: readonly string[], io: Io, usage: (message: string) => number): Promise<number> {
  const p = parseArgs(args, { flags: [], options: [], maxPositional: 1 });
  if ('error' in p) return usage(p.error);
  const root = resolveDir(p.positional[0], io.err);
  if (root === undefined) return 2;
  const model = new RepositoryModel(root);
  const report = await checkTools(cliBinaries(), { files: model.tree.files, readText: (f) => model.textOf(f) }, model.apps());
  io.out(`${formatToolsReport(report).join('\n')}\n`);
  return report.tools.some((t) => t.name !== 'git' && !t.command) ? 1 : 0;
}
