/**
 * Where a path of the YAML written inside a string scalar (Argo CD's `helm.values: |`) sits in
 * the file: the string is parsed again on its own and the range found there is moved into the
 * file — through `rangeInString` for a scalar written as the value itself, or line by line for a
 * block scalar, each mapped line checked against the file's text so that a folded, escaped or
 * templated string falls back to `undefined` (the caller then reports at the key) instead of a
 * wrong place.
 */
import type { Range } from '../problems';
import { parseYamlFile, type YamlDoc, type YamlPath } from './parse';

/**
 * The range of `inner` (a path in the YAML held by the string at `path` of `doc`) in the file:
 * its key when `target` is 'key', else as `locate` underlines it. `raw` is the string as written
 * (for an ApplicationSet, the template, not a rendered value); `text` the file's text.
 */
export function rangeInYamlString(doc: YamlDoc, text: string, path: YamlPath, raw: string, inner: YamlPath, target: 'key' | 'value'): Range | undefined {
  if (inner.length === 0) return undefined;
  const parsed = parseYamlFile('values', raw, 'helm-values');
  const values = parsed.docs[0];
  if (!values || parsed.docs.length !== 1 || parsed.problems.some((p) => p.severity === 'error') || !hasPath(values.value, inner)) return undefined;
  const at = target === 'key' ? values.keyRangeOf(inner) : values.locate(inner);
  if (at.start.line !== at.end.line) return undefined;
  const lines = raw.split('\n');
  if (lines.length === 1) {
    const from = at.start.character;
    return doc.rangeInString(path, from, at.end.character - from);
  }
  // A block scalar: the value's line k is the file's line after the header plus k, indented.
  const header = doc.keyRangeOf(path).start.line;
  const fileLines = text.split('\n');
  const firstContent = lines.findIndex((l) => l !== '');
  if (firstContent < 0) return undefined;
  const indentLine = fileLines[header + 1 + firstContent] ?? '';
  const indent = indentLine.length - indentLine.trimStart().length;
  for (let k = 0; k <= at.start.line; k++) {
    const expected = lines[k] as string;
    const actual = (fileLines[header + 1 + k] ?? '').replace(/\r$/, '');
    if (expected === '' ? actual.trim() !== '' : actual !== ' '.repeat(indent) + expected) return undefined;
  }
  const line = header + 1 + at.start.line;
  return { start: { line, character: indent + at.start.character }, end: { line, character: indent + at.end.character } };
}

function hasPath(value: unknown, path: YamlPath): boolean {
  let cur = value;
  for (const seg of path) {
    if (typeof seg === 'number' ? !Array.isArray(cur) || seg >= cur.length : typeof cur !== 'object' || cur === null || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, seg)) return false;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return true;
}
