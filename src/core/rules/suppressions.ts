/**
 * In-file suppression comments:
 *   `# home-ops-disable-next-line RULE[, RULE]` — the problems starting on the next line;
 *   `# home-ops-disable-file RULE[, RULE]` — the whole file.
 * Without a rule id, every rule is suppressed.
 */
import type { Problem } from '../problems';
import { isRuleId, type RuleId } from './table';

const COMMENT = /#\s*home-ops-disable-(next-line|file)\b([^\n]*)/g;

export interface Suppressions {
  suppressed(p: Problem): boolean;
}

export function readSuppressions(text: string): Suppressions {
  const file = new Set<RuleId>();
  let fileAll = false;
  const lines = new Map<number, Set<RuleId> | 'all'>();
  let lineNo = 0;
  let lineStart = 0;
  for (const m of text.matchAll(COMMENT)) {
    while (lineStart <= (m.index ?? 0)) {
      const nl = text.indexOf('\n', lineStart);
      if (nl < 0 || nl >= (m.index ?? 0)) break;
      lineStart = nl + 1;
      lineNo++;
    }
    const words = (m[2] ?? '').split(/[\s,]+/).filter((s) => /^[a-z0-9-]+$/.test(s));
    // An id that names no rule suppresses nothing (and does not turn the comment into "all").
    const ids = words.filter(isRuleId);
    if (m[1] === 'file') {
      if (words.length === 0) fileAll = true;
      ids.forEach((id) => file.add(id));
    } else lines.set(lineNo + 1, words.length === 0 ? 'all' : new Set(ids));
  }
  return {
    suppressed(p) {
      if (fileAll || file.has(p.rule)) return true;
      const entry = lines.get(p.range.start.line);
      return entry === 'all' || (entry !== undefined && entry.has(p.rule));
    },
  };
}
