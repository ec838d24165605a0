/**
 * placeholder-unfilled: a value that is still one of Add App's placeholders (`<image tag>`,
 * `<http port>`, `<hosts entry>`), in a file Argo CD, kustomize or helm reads. Helm and kubectl
 * take the text literally: an image `<image repository>:<image tag>` never pulls, a port
 * `<http port>` fails the chart's schema or the API server. Add App writes a placeholder where
 * the neighbours' values differ from app to app, so the new app cannot run until each is filled.
 */
import type { YamlPath } from '../yaml/parse';
import { READERS } from '../yaml/readers';
import { defineRule } from './types';

/** A whole scalar in angle brackets, starting with a letter: how Add App writes what to fill in. */
const PLACEHOLDER = /^<[A-Za-z][^<>\n{}]*>$/;
/** Cheap test on the text before walking values: a placeholder value after `: ` or `- `. */
const MAY_HOLD = /(?:[:-][ \t]+)["']?<[A-Za-z]/;

/** Paths of every string value that is a placeholder, in document order. */
function placeholderPaths(value: unknown, path: YamlPath, out: YamlPath[]): YamlPath[] {
  if (typeof value === 'string') {
    if (PLACEHOLDER.test(value)) out.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => placeholderPaths(v, [...path, i], out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) placeholderPaths(v, [...path, k], out);
  }
  return out;
}

export const placeholderUnfilled = defineRule({
  id: 'placeholder-unfilled',
  description: 'A value still reads like a placeholder Add App leaves to fill in (`<image tag>`): helm and kubectl would take the text literally.',
  defaultSeverity: 'warning',
  run(ctx) {
    const reads = ctx.model.reads();
    for (const file of reads.files()) {
      if (!MAY_HOLD.test(ctx.model.textOf(file) ?? '')) continue;
      const read = reads.readsOf(file)[0];
      if (!read) continue;
      const parsed = ctx.model.parsed(file, read.reader);
      for (const doc of parsed?.docs ?? []) {
        for (const path of placeholderPaths(doc.value, [], [])) {
          const value = String(path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], doc.value));
          ctx.report({ file, range: doc.rangeOf(path), message: `"${value}" is a placeholder left to fill in: ${READERS[read.reader].consumer} would take the text as it is.` });
        }
      }
    }
  },
});
