/** How a completed key is inserted: the key, its colon, and where the cursor goes for its value. */
import type { SchemaNodeInfo } from '../schema';

export function valueShape(info: Pick<SchemaNodeInfo, 'type'> | undefined): 'object' | 'array' | 'scalar' {
  const types = info?.type === undefined ? [] : Array.isArray(info.type) ? info.type : [info.type];
  if (types.length === 1 && types[0] === 'object') return 'object';
  if (types.length === 1 && types[0] === 'array') return 'array';
  return 'scalar';
}

export function escapeSnippet(s: string): string {
  return s.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/**
 * `key: $0`, or for a mapping or a list the key and a new line indented `nested` columns (with a
 * `- ` for a list); just the key when the line already has its colon.
 */
export function keyInsertText(key: string, shape: 'object' | 'array' | 'scalar', hasColon: boolean, nested: number): string {
  if (hasColon) return escapeSnippet(key);
  if (shape === 'object') return `${escapeSnippet(key)}:\n${' '.repeat(nested)}$0`;
  if (shape === 'array') return `${escapeSnippet(key)}:\n${' '.repeat(nested)}- $0`;
  return `${escapeSnippet(key)}: $0`;
}
