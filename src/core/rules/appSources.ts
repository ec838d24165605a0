/** Application source folders for the rules that check what such a folder holds (model/appSources.ts). */
import { folderSources, type FolderSource } from '../model/appSources';
import type { RepositoryIdentity } from '../model/repositoryIdentity';
import { CacheSlot } from './cache';
import type { RuleContext } from './types';

export { deepestExisting, folderPresence, repositoryFolder, type FolderSource, type FolderPresence } from '../model/appSources';

const FOLDER_SOURCES = new CacheSlot<WeakMap<object, FolderSource[]>>('folder sources');

/** folderSources, made once per Application spec and lint run (several rules ask). */
export function folderSourcesOf(ctx: RuleContext, spec: Record<string, unknown>, identity: RepositoryIdentity): FolderSource[] {
  const cache = ctx.run.get(FOLDER_SOURCES) ?? ctx.run.set(FOLDER_SOURCES, new WeakMap());
  let hit = cache.get(spec);
  if (!hit) cache.set(spec, (hit = folderSources(spec, identity)));
  return hit;
}
