/**
 * A git generator `exclude: true` entry that removes nothing. Argo CD applies excludes only to
 * what the includes selected (git.go filterApps / generateParamsForGitFiles), so an exclude that
 * misses them has no effect. Reported when that is a mistake rather than a guard:
 * - a literal path (no glob) that is not among what the includes select: a typo, or a folder
 *   that moved or went away;
 * - a directories pattern no include can ever select a match of, whatever folders appear: Go's
 *   path.Match never lets `*` cross `/`, so `apps/*\/old` cannot exclude from `apps/*`.
 * A glob that could match a future folder (`apps/tmp-*`) is a standing filter and is left alone.
 * When the includes select nothing, generator-path-no-match says so.
 */
import { gitPathspecMatch } from '../glob/gitPathspec';
import { goPathMatch, hasClassOrEscape, hasGlobMeta } from '../glob/goPathMatch';
import { matchingDirectories } from '../generators/gitDirectories';
import { gitItems, type GitItem } from '../generators/gitItems';
import { appSetDocs } from './appsetDocs';
import { applicationDeps, memo, memoSlot } from './memo';
import { defineRule, type RuleContext } from './types';

/** The last run's reports, while the Applications' inputs hold. */
const MEMO = memoSlot<ReturnType<typeof reports>>('generator-exclude-no-match');

export const generatorExcludeNoMatch = defineRule({
  id: 'generator-exclude-no-match',
  description: 'A git generator `exclude: true` entry that excludes nothing its include entries select.',
  defaultSeverity: 'warning',
  run(ctx) {
    // Depends on the ApplicationSets and the paths of the repository only.
    for (const r of memo(ctx, MEMO, applicationDeps(ctx), () => reports(ctx))) ctx.report(r);
  },
});

function reports(ctx: RuleContext): Array<Parameters<RuleContext['report']>[0]> {
  const out: Array<Parameters<RuleContext['report']>[0]> = [];
  const tree = ctx.model.tree;
  for (const { evaluation, doc, spec } of appSetDocs(ctx)) {
    const items = gitItems(spec);
    if (!items.some((i) => i.exclude)) continue;
    const byGenerator = new Map<string, GitItem[]>();
    for (const item of items) {
      const key = JSON.stringify(item.path.slice(0, -2));
      byGenerator.set(key, [...(byGenerator.get(key) ?? []), item]);
    }
    for (const group of byGenerator.values()) {
      const excludes = group.filter((i) => i.exclude);
      // Patterns still holding `{{` are rendered per parameter set (matrix): not known here.
      if (excludes.length === 0 || group.some((i) => i.pattern.includes('{{'))) continue;
      const includes = group.filter((i) => !i.exclude);
      const kind = group[0]?.kind;
      // With both, Argo CD runs the directories generator and never reads `files`.
      if (kind === 'files' && byGenerator.has(JSON.stringify([...(group[0]?.path.slice(0, -3) ?? []), 'directories']))) continue;
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
        const n = selected.length;
        const noun = kind === 'directories' ? (n === 1 ? 'directory' : 'directories') : n === 1 ? 'file' : 'files';
        const selects = `the ${n} ${noun} the include ${includes.length === 1 ? 'entry selects' : 'entries select'}`;
        let message: string | undefined;
        if (kind === 'directories' && !includes.some((i) => couldOverlap(i.pattern, x.pattern))) {
          message = `This exclude can never remove anything: no include pattern can select a folder it matches (Go path.Match: \`*\` stays within one folder, so the number of levels must agree).`;
        } else if (!hasGlobMeta(x.pattern)) {
          message = `This exclude names ${x.pattern}, which is not among ${selects}, so it excludes nothing. ${kind === 'directories' ? 'Has the folder moved, or is it misspelt?' : 'Paths are relative to the repository root.'}`;
        }
        if (message) out.push({ file: evaluation.appset.file, range: doc.locate(x.path), message });
      }
    }
  }
  return out;
}

/**
 * Whether two Go path.Match patterns can match one path: as many segments, and at each level
 * equal literals or a glob that accepts the other's literal. Classes and escapes may span `/`;
 * with one of those, assume they can.
 */
function couldOverlap(a: string, b: string): boolean {
  if (hasClassOrEscape(a) || hasClassOrEscape(b)) return true;
  const sa = a.split('/');
  const sb = b.split('/');
  if (sa.length !== sb.length) return false;
  return sa.every((x, i) => {
    const y = sb[i] as string;
    const gx = hasGlobMeta(x);
    const gy = hasGlobMeta(y);
    if (!gx && !gy) return x === y;
    if (gx && gy) return true;
    return gx ? goPathMatch(x, y) : goPathMatch(y, x);
  });
}
