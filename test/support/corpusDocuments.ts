/**
 * Every YAML document of the seven corpora that reads as an object with apiVersion and kind, as
 * Argo CD reads a manifest (chart templates, which are no YAML until helm renders them, left
 * out), for the oracles of the field checks.
 */
import * as fs from 'node:fs';
import { loadAllYaml } from '../../src/core/yaml/load';
import { yamlFilesUnder } from '../oracle/yamlread/compare';
import { CORPUS_ROOT } from './shared';

export interface CorpusDocument {
  /** The document's text, leading blank lines dropped. */
  text: string;
  value: { apiVersion: string; kind: string; metadata?: { name?: unknown } } & Record<string, unknown>;
}

export function corpusDocuments(maxFileBytes = 4_000_000): CorpusDocument[] {
  const out: CorpusDocument[] = [];
  for (const file of yamlFilesUnder(CORPUS_ROOT)) {
    const text = fs.readFileSync(file, 'utf8');
    if (text.includes('{{') || text.length > maxFileBytes) continue;
    for (const doc of text.split(/^---[ \t]*$/m)) {
      let value: unknown;
      try {
        value = loadAllYaml(doc, 'directory-manifest')[0];
      } catch {
        continue;
      }
      const v = value as CorpusDocument['value'] | null;
      if (v && typeof v.apiVersion === 'string' && typeof v.kind === 'string') out.push({ text: doc.replace(/^\n+/, ''), value: v });
    }
  }
  return out;
}
