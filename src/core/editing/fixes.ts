/**
 * The editor's own quick fix, offered for every diagnostic: a `# home-ops-disable-next-line`
 * comment above the line (rules/suppressions.ts reads it). The rules' own fixes are built beside
 * the rules (rules/fixes.ts) and travel on the Problem.
 */
import type { Range } from '../problems';
import { parseDocuments, visit, type Document } from '../yaml/ast';

export interface TextInsert {
  range: Range;
  newText: string;
}

/**
 * `# home-ops-disable-next-line RULE` above `line`, indented like it; appended to such a
 * comment already there. Undefined where a comment cannot go: inside a block scalar or a string
 * spanning lines (the comment would become part of the text).
 */
export function disableNextLineEdit(text: string, line: number, rule: string): TextInsert | undefined {
  const lines = text.split('\n');
  const target = lines[line];
  if (target === undefined) return undefined;
  let lineStart = 0;
  for (let l = 0; l < line; l++) lineStart += (lines[l] as string).length + 1;
  if (insideMultiLineScalar(text, lineStart)) return undefined;
  const indent = /^[ \t]*/.exec(target)?.[0] ?? '';
  const previous = line > 0 ? (lines[line - 1] as string).replace(/\r$/, '') : undefined;
  const existing = previous === undefined ? null : /^([ \t]*#\s*home-ops-disable-next-line)\b(.*)$/.exec(previous);
  if (existing) {
    const ids = (existing[2] as string).split(/[\s,]+/).filter((s) => s !== '');
    if (ids.length === 0 || ids.includes(rule)) return undefined;
    const end = { line: line - 1, character: previous!.length };
    return { range: { start: end, end }, newText: `, ${rule}` };
  }
  const newline = target.endsWith('\r') ? '\r\n' : '\n';
  const at = { line, character: 0 };
  return { range: { start: at, end: at }, newText: `${indent}# home-ops-disable-next-line ${rule}${newline}` };
}

function insideMultiLineScalar(text: string, offset: number): boolean {
  let docs: Document.Parsed[];
  try {
    docs = parseDocuments(text, 'editor');
  } catch {
    return false;
  }
  if (!Array.isArray(docs)) docs = [docs];
  let inside = false;
  for (const doc of docs) {
    visit(doc, {
      Scalar(_key, node) {
        if (node.range && node.range[0] < offset && offset < node.range[1] && text.slice(node.range[0], offset).includes('\n')) {
          inside = true;
          return visit.BREAK;
        }
        return undefined;
      },
    });
    if (inside) return true;
  }
  return false;
}
