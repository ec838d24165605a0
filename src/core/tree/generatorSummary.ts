/**
 * What an ApplicationSet's generators read, in a line, for the category's tooltip: the git
 * directory and file patterns, a list's elements, a clusters selector — whatever the generator
 * type, so a category never shows the first app's folder in place of its pattern.
 */
import { asArray, asRecord, asString } from '../generators/spec';

export function summarizeGenerators(spec: unknown): string {
  const generators = asArray(asRecord(spec)?.['generators']);
  return generators.map(summarize).join('; ') || 'no generator';
}

function summarize(raw: unknown): string {
  const gen = asRecord(raw) ?? {};
  const git = asRecord(gen['git']);
  if (git) {
    const dirs = asArray(git['directories']).map((d) => asRecord(d)).filter((d) => d !== undefined);
    const files = asArray(git['files']).map((d) => asRecord(d)).filter((d) => d !== undefined);
    const paths = [
      ...dirs.map((d) => `${d['exclude'] === true ? 'not ' : ''}${asString(d['path']) ?? '?'}`),
      ...files.map((f) => `${f['exclude'] === true ? 'not ' : ''}${asString(f['path']) ?? '?'}`),
    ];
    return `git ${files.length > 0 && dirs.length === 0 ? 'files' : 'directories'} ${paths.join(', ')}`;
  }
  const list = asRecord(gen['list']);
  if (list) {
    const n = asArray(list['elements']).length;
    return list['elementsYaml'] !== undefined ? 'list (elementsYaml)' : `list of ${n} element${n === 1 ? '' : 's'}`;
  }
  const clusters = asRecord(gen['clusters']);
  if (clusters) {
    const labels = asRecord(asRecord(clusters['selector'])?.['matchLabels']);
    const selector = labels ? Object.entries(labels).map(([k, v]) => `${k}=${String(v)}`).join(',') : undefined;
    return selector ? `clusters with ${selector}` : asRecord(clusters['selector']) ? 'clusters matching a selector' : 'every cluster';
  }
  for (const combinator of ['matrix', 'merge'] as const) {
    const children = asArray(asRecord(gen[combinator])?.['generators']);
    if (children.length > 0) return `${combinator} of ${children.map(summarize).join(combinator === 'matrix' ? ' × ' : ' and ')}`;
  }
  const kind = Object.keys(gen).find((k) => k !== 'selector' && k !== 'template' && k !== 'values');
  return kind ? `${kind} generator` : 'generator';
}
