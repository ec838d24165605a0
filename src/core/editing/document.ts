/**
 * The YAML document and node under the cursor, from the `yaml` package's tree with source
 * ranges (hover works on text that parses; completion uses cursor.ts, which copes with text
 * being typed). Also what kind of manifest the document is, so the right schema applies.
 */
import * as nodePath from 'node:path';
import { isMap, isPair, isScalar, isSeq, MAX_ALIAS_COUNT, parseDocuments, type Document, type Node } from '../yaml/ast';
import { findExcessiveNesting } from '../yaml/nesting';
import { manifestKindOf, type ManifestKind } from '../schema';
import { isKustomizationName } from '../yaml/classify';
import type { YamlPath } from '../yaml/parse';

export interface DocumentAt {
  /** Index of the document in the file, as the repository model numbers them. */
  index: number;
  doc: Document.Parsed;
  /** Plain data; undefined when the document cannot be converted (e.g. half-typed). */
  value: unknown;
  kind: ManifestKind | undefined;
  /** Offsets of the document's text. */
  start: number;
  end: number;
}

export interface NodeAt {
  document: DocumentAt;
  /** Path of the node; for a key, the path of the value it names. */
  path: YamlPath;
  role: 'key' | 'value';
  node: Node;
  start: number;
  end: number;
}

/** Bounds alias expansion like the engine does: a document here is untrusted input. */

export function documentAt(file: string, text: string, offset: number): DocumentAt | undefined {
  // Hover and completion parse the buffer on every request: not one the engine does not read.
  if (findExcessiveNesting(text)) return undefined;
  let docs: Document.Parsed[];
  try {
    docs = parseDocuments(text, 'editor');
  } catch {
    return undefined;
  }
  if (!Array.isArray(docs)) docs = [docs];
  const kustomization = isKustomizationName(nodePath.posix.basename(file));
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i] as Document.Parsed;
    const [start, , end] = doc.range;
    if (offset > end && i < docs.length - 1) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch {
      value = undefined;
    }
    const kind = manifestKindOf(value ?? headerOf(text.slice(start, end)), kustomization);
    return { index: i, doc, value, kind, start, end };
  }
  return undefined;
}

/** `apiVersion` and `kind` read line by line, for a document too broken to convert. */
function headerOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['apiVersion', 'kind']) {
    const m = new RegExp(`^${key}:\\s*["']?([^"'\\s#]+)`, 'm').exec(text);
    if (m) out[key] = m[1] as string;
  }
  return out;
}

/** The deepest key or value whose text holds `offset`. */
export function nodeAt(file: string, text: string, offset: number): NodeAt | undefined {
  const document = documentAt(file, text, offset);
  if (!document) return undefined;
  const within = (n: Node | null | undefined): n is Node => !!n?.range && n.range[0] <= offset && offset <= n.range[1];
  let node = document.doc.contents as Node | null;
  const path: Array<string | number> = [];
  if (!within(node)) return undefined;
  for (;;) {
    if (isMap(node)) {
      let next: Node | undefined;
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key as Node | null;
        const value = pair.value as Node | null;
        const name = isScalar(key) ? String(key.value) : undefined;
        if (name === undefined) continue;
        if (within(key)) return { document, path: [...path, name], role: 'key', node: key, start: key.range![0], end: key.range![1] };
        if (within(value)) {
          path.push(name);
          next = value;
          break;
        }
      }
      if (!next) return undefined;
      node = next;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((item) => within(item as Node));
      if (i < 0) return undefined;
      path.push(i);
      node = node.items[i] as Node;
    } else if (isScalar(node)) {
      return { document, path, role: 'value', node, start: node.range![0], end: node.range![1] };
    } else return undefined;
  }
}

/** Where a string scalar's characters start in the file, when offsets map one to one. */
export function stringStart(node: Node): number | undefined {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  if (node.type !== 'PLAIN' && !quoted) return undefined;
  const start = node.range[0] + (quoted ? 1 : 0);
  const end = quoted ? node.range[1] - 1 : node.range[1];
  return end - start === node.value.length ? start : undefined;
}

/**
 * Whether a path is a string Argo CD renders with the generators' parameters: spec.template,
 * a generator's own `template` override (at any matrix/merge depth) and spec.templatePatch.
 */
export function isTemplatePath(path: YamlPath): boolean {
  if (path[0] !== 'spec') return false;
  if (path[1] === 'template' || path[1] === 'templatePatch') return true;
  if (path[1] !== 'generators') return false;
  // spec.generators[i].<type>.template… (also inside matrix/merge children)
  for (let i = 2; i + 2 < path.length + 1; i++) {
    if (typeof path[i] === 'number' && typeof path[i + 1] === 'string' && path[i + 2] === 'template') return true;
  }
  return false;
}
