/**
 * A git generator `exclude: true` entry that removes nothing: none of the directories (or files)
 * its generator's include entries select matches it — a typo, a folder that moved, or `*` where
 * the directories generator needs one pattern per level. Argo CD applies excludes only to what
 * the includes selected (git.go filterApps / generateParamsForGitFiles), so an exclude that
 * misses them has no effect. When the includes select nothing, generator-path-no-match says so.
 */
import { gitPathspecMatch } from '../glob/gitPathspec';
import { goPathMatch } from '../glob/goPathMatch';
import { matchingDirectories } from '../generators/gitDirectories';
import { appSetDocs, gitItems, type GitItem } from './appsetDocs';
import type { Rule } from './types';

export const generatorExcludeNoMatch: Rule = {
  id: 'generator-exclude-no-match',
  description: 'A git generator `exclude: true` entry that excludes nothing its include entries select.',
  defaultSeverity: 'warning',
  run(ctx) {
    const tree = ctx.model.tree;
    for (const { evaluation, doc, spec } of appSetDocs(ctx)) {
      const byGenerator = new Map<string, GitItem[]>();
      for (const item of gitItems(spec)) {
        const key = JSON.stringify(item.path.slice(0, -2));
        byGenerator.set(key, [...(byGenerator.get(key) ?? []), item]);
      }
      for (const items of byGenerator.values()) {
        const excludes = items.filter((i) => i.exclude);
        // Patterns still holding `{{` are rendered per parameter set (matrix): not known here.
        if (excludes.length === 0 || items.some((i) => i.pattern.includes('{{'))) continue;
        const includes = items.filter((i) => !i.exclude);
        const kind = items[0]?.kind;
        // With both, Argo CD runs the directories generator and never reads `files`.
        if (kind === 'files' && byGenerator.has(JSON.stringify([...(items[0]?.path.slice(0, -3) ?? []), 'directories']))) continue;
        let selected: string[];
        let matches: (pattern: string, path: string) => boolean;
        if (kind === 'directories') {
          try {
            selected = [...new Set(includes.flatMap((i) => matchingDirectories(tree, i.pattern)))];
          } catch {
            continue; // a malformed include: the engine reports it
          }
          matches = goPathMatch;
        } else {
          selected = [...tree.files].filter((f) => includes.some((i) => gitPathspecMatch(i.pattern, f)));
          matches = gitPathspecMatch;
        }
        if (selected.length === 0) continue;
        for (const x of excludes) {
          let hit = false;
          try {
            hit = selected.some((p) => matches(x.pattern, p));
          } catch {
            continue; // a malformed exclude: the engine reports it
          }
          if (hit) continue;
          const what = kind === 'directories' ? 'director' : 'file';
          const n = selected.length;
          ctx.report({
            file: evaluation.appset.file,
            range: doc.locate(x.path),
            message: `This exclude matches none of the ${n} ${what}${kind === 'directories' ? (n === 1 ? 'y' : 'ies') : n === 1 ? '' : 's'} the include ${includes.length === 1 ? 'entry selects' : 'entries select'}, so it excludes nothing. ${kind === 'directories' ? 'Go path.Match: `*` stays within one folder.' : 'Paths are relative to the repository root.'}`,
          });
        }
      }
    }
  },
};
