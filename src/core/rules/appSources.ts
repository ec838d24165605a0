/** Application source folders for the rules that check what such a folder holds (model/appSources.ts). */
import { folderSources, type FolderSource } from '../model/appSources';
import type { RepositoryIdentity } from '../model/repositoryIdentity';
import type { RuleContext } from './types';

export { deepestExisting, folderPresence, repositoryFolder, type FolderSource, type FolderPresence } from '../model/appSources';

/** folderSources, made once per Application spec and lint run (several rules ask). */
export function folderSourcesOf(ctx: RuleContext, spec: Record<string, unknown>, identity: RepositoryIdentity): FolderSource[] {
  let cache = ctx.run.get('folder-sources') as WeakMap<object, FolderSource[]> | undefined;
  if (!cache) ctx.run.set('folder-sources', (cache = new WeakMap()));
  let hit = cache.get(spec);
  if (!hit) cache.set(spec, (hit = folderSources(spec, identity)));
  return hit;
}
