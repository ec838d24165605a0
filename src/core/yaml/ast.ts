/**
 * The `yaml` package's document tree, for the few features that work on nodes rather than values:
 * editing help (what is at the cursor, where to insert) and Argo CD's `fromYaml`, which needs the
 * text of numbers. Parsed in a reader's dialect (readers.ts); repeated keys are kept, not errors,
 * so that a half-typed file still has a tree to complete in.
 */
import { parseAllDocuments, type Document } from 'yaml';
import { parseOptionsFor, MAX_ALIAS_COUNT } from './dialect';
import { READERS, type YamlReader } from './readers';

export { isMap, isPair, isScalar, isSeq, visit } from 'yaml';
export type { Document, Node, Scalar, YAMLMap, YAMLSeq, Pair } from 'yaml';

/** Every document of `text` as `reader` reads its scalars; never throws (errors are on each document). */
export function parseDocuments(text: string, reader: YamlReader): Document.Parsed[] {
  const docs = parseAllDocuments(text, { ...parseOptionsFor(READERS[reader].dialect), uniqueKeys: false, prettyErrors: false }) as Document.Parsed[] | Document.Parsed;
  return Array.isArray(docs) ? docs : [docs];
}

export { MAX_ALIAS_COUNT };
