/** The tree's input from a repository model (what the server sends to the extension). */
import type { RepositoryModel } from '../model/repositoryModel';
import type { Problem } from '../problems';
import { emptyReasonText } from '../rules';
import type { TreeApp, TreeAppSet } from './appTree';
import { summarizeGenerators } from './generatorSummary';

export interface TreeAppSetInfo extends TreeAppSet {
  complete: boolean;
  appCount: number;
}

/**
 * The ApplicationSets for the tree. `problems` (the linter's, when the caller has them) explain
 * an ApplicationSet that generates nothing: those found in its document, at their lines.
 */
export function treeAppSets(model: RepositoryModel, problems: readonly Problem[] = []): TreeAppSetInfo[] {
  return model.appsets().map((e) => {
    const doc = model.appSetDocument(e.appset);
    const empty = e.apps.length === 0 ? emptyReasons(model, e.appset, problems) : [];
    return {
      name: e.appset.name,
      file: e.appset.file,
      line: e.appset.line,
      patterns: [...e.deps.dirPatterns, ...e.deps.filePatterns],
      generators: summarizeGenerators((doc?.value as { spec?: unknown } | undefined)?.spec),
      ...(empty.length > 0 ? { emptyReasons: empty } : {}),
      complete: e.complete,
      appCount: e.apps.length,
    };
  });
}

/** Rules that say why an ApplicationSet generates nothing (or could not be evaluated). */
const WHY_EMPTY: ReadonlySet<string> = new Set(['appset-generates-nothing', 'generator-path-no-match', 'generator-offline', 'generator-file', 'template-error', 'template-options', 'invalid-app-name', 'duplicate-app-name', 'yaml-syntax', 'schema']);

/** Problems of those rules inside the ApplicationSet's document: from its start to the next document of its file. */
function emptyReasons(model: RepositoryModel, appset: { file: string; line: number }, problems: readonly Problem[]): Array<{ message: string; short: string; line: number }> {
  const next = model
    .appsets()
    .map((e) => e.appset)
    .filter((a) => a.file === appset.file && a.line > appset.line)
    .reduce((min, a) => Math.min(min, a.line), Infinity);
  return problems
    .filter((p) => p.file === appset.file && WHY_EMPTY.has(p.rule) && p.severity !== 'info' && p.range.start.line + 1 >= appset.line && p.range.start.line + 1 < next)
    .map((p) => ({ message: p.message, short: emptyReasonText(p.message), line: p.range.start.line + 1 }));
}

export function treeApps(model: RepositoryModel): TreeApp[] {
  const opt = <K extends string, V>(key: K, v: V | undefined) => (v === undefined ? {} : ({ [key]: v } as Record<K, V>));
  const generated: TreeApp[] = model.apps().map((a) => {
    const dir = a.origins.find((o) => o.kind === 'directory');
    const fileOrigin = a.origins.find((o) => o.kind === 'file');
    return {
      name: a.name,
      ...opt('namespace', a.namespace),
      ...opt('project', a.project),
      ...opt('path', a.path),
      appset: { name: a.appset.name, file: a.appset.file, line: a.appset.line },
      ...opt('pattern', dir?.kind === 'directory' ? dir.pattern : undefined),
      ...opt('filePattern', fileOrigin?.kind === 'file' ? fileOrigin.pattern : undefined),
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
