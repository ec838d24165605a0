/** The tree's input from a repository model (what the server sends to the extension). */
import type { RepositoryModel } from '../model/repositoryModel';
import type { TreeApp, TreeAppSet } from './appTree';

export interface TreeAppSetInfo extends TreeAppSet {
  complete: boolean;
  appCount: number;
}

export function treeAppSets(model: RepositoryModel): TreeAppSetInfo[] {
  return model.appsets().map((e) => ({
    name: e.appset.name,
    file: e.appset.file,
    line: e.appset.line,
    patterns: [...e.deps.dirPatterns, ...e.deps.filePatterns],
    complete: e.complete,
    appCount: e.apps.length,
  }));
}

export function treeApps(model: RepositoryModel): TreeApp[] {
  const opt = <K extends string, V>(key: K, v: V | undefined) => (v === undefined ? {} : ({ [key]: v } as Record<K, V>));
  const generated: TreeApp[] = model.apps().map((a) => {
    const dir = a.origins.find((o) => o.kind === 'directory');
    return {
      name: a.name,
      ...opt('namespace', a.namespace),
      ...opt('project', a.project),
      ...opt('path', a.path),
      appset: { name: a.appset.name, file: a.appset.file, line: a.appset.line },
      ...opt('pattern', dir?.kind === 'directory' ? dir.pattern : undefined),
      levels: a.levels,
      ...opt('cluster', a.destinationName ?? a.destinationServer),
    };
  });
  const standalone: TreeApp[] = model.standaloneApps().map((s) => {
    const dest = (s.manifest['spec'] as { destination?: { name?: string; server?: string } } | undefined)?.destination;
    return {
      name: s.name,
      ...opt('namespace', s.destinationNamespace),
      ...opt('project', s.project),
      ...opt('path', s.path),
      file: s.file,
      line: s.line,
      levels: [],
      ...opt('cluster', dest?.name ?? dest?.server),
    };
  });
  return [...generated, ...standalone];
}
