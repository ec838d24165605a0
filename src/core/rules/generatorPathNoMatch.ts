/**
 * A git generator path that matches nothing generates nothing, silently: usually a typo, or a
 * folder that moved. Patterns still holding `{{` are rendered per parameter set (matrix) and
 * are left to the engine.
 */
import { gitPathspecMatch } from '../glob/gitPathspec';
import { matchingDirectories } from '../generators/gitDirectories';
import { gitItems } from '../generators/gitItems';
import { appSetDocs } from './appsetDocs';
import { defineRule } from './types';

export const generatorPathNoMatch = defineRule({
  id: 'generator-path-no-match',
  description: 'A git generator path (directories or files) that matches nothing in the repository.',
  defaultSeverity: 'warning',
  run(ctx) {
    const tree = ctx.model.tree;
    for (const { evaluation, doc, spec } of appSetDocs(ctx)) {
      // A pattern that produced an Application matches something; only the others need a look.
      const productive = new Set(evaluation.apps.flatMap((a) => a.origins.map((o) => ('pattern' in o ? o.pattern : ''))));
      for (const item of gitItems(spec)) {
        if (item.exclude || item.pattern.includes('{{') || productive.has(item.pattern)) continue;
        let count = 0;
        if (item.kind === 'directories') {
          try {
            count = matchingDirectories(tree, item.pattern).length;
          } catch {
            continue; // a malformed pattern: the engine reports it
          }
        } else for (const f of tree.files) if (gitPathspecMatch(item.pattern, f)) count++;
        if (count > 0) continue;
        const what = item.kind === 'directories' ? 'directory' : 'file';
        ctx.report({
          file: evaluation.appset.file,
          range: doc.locate(item.path),
          message: `No ${what} matches "${item.pattern}", so this generator produces no Applications. ${item.kind === 'directories' ? 'Go path.Match: `*` stays within one folder, hidden folders never match.' : 'Paths are relative to the repository root.'}`,
        });
      }
    }
  },
});
