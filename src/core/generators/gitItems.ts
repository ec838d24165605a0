/**
 * The git generator entries of an ApplicationSet spec (`git.directories` and `git.files`, at any
 * matrix/merge depth), with their YAML paths: the rules that explain what a pattern matched and
 * Add App's categories read them.
 */
import type { YamlPath } from '../yaml/parse';
import { asArray, asRecord } from './spec';

export interface GitItem {
  kind: 'directories' | 'files';
  pattern: string;
  exclude: boolean;
  path: YamlPath;
}

/** Every git directories/files entry of an appset, at any matrix/merge depth. */
export function gitItems(spec: Record<string, unknown>): GitItem[] {
  const out: GitItem[] = [];
  const visit = (generators: unknown, base: YamlPath): void => {
    asArray(generators).forEach((g, i) => {
      const gen = asRecord(g);
      if (!gen) return;
      const here = [...base, i];
      const git = asRecord(gen['git']);
      for (const kind of ['directories', 'files'] as const) {
        asArray(git?.[kind]).forEach((item, j) => {
          const rec = asRecord(item);
          const pattern = rec?.['path'];
          if (typeof pattern === 'string') out.push({ kind, pattern, exclude: rec?.['exclude'] === true, path: [...here, 'git', kind, j, 'path'] });
        });
      }
      for (const combinator of ['matrix', 'merge']) {
        const c = asRecord(gen[combinator]);
        if (c) visit(c['generators'], [...here, combinator, 'generators']);
      }
    });
  };
  visit(spec['generators'], ['spec', 'generators']);
  return out;
}
