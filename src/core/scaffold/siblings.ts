/**
 * Files most of a category's apps list beside their chart — an ExternalSecret, an HTTPRoute, a
 * ConfigMap — offered to Add App as a choice: such a file is shaped like the neighbours' (its
 * first document, which is what loadYaml reads: the keys most of them set, what they share kept, the app's own name
 * generalised, `<placeholders>` for what differs), then listed under `resources`.
 */
import type { RepositoryModel } from '../model/repositoryModel';
import { header, vote, type Conventions } from './conventions';
import { renderValues, valuesSkeleton, type ValuesSample } from './values';

export interface SiblingOption {
  /** The file name, as the neighbours list it under `resources`. */
  file: string;
  /** How many of the neighbours list it. */
  count: number;
  of: number;
}

/** A file is offered when at least two neighbours list it (beside the files Add App writes anyway). */
export function siblingOptions(conv: Conventions, written: ReadonlySet<string>): SiblingOption[] {
  const counts = new Map<string, number>();
  for (const n of conv.neighbours) {
    for (const r of new Set(n.resources)) {
      if (r.includes('/') || !/\.ya?ml$/.test(r) || written.has(r)) continue;
      counts.set(r, (counts.get(r) ?? 0) + 1);
    }
  }
  return [...counts]
    .filter(([, count]) => count >= 2)
    .map(([file, count]) => ({ file, count, of: conv.neighbours.length }))
    .sort((a, b) => b.count - a.count || a.file.localeCompare(b.file));
}

/** The new app's `file`, shaped like the neighbours'; undefined when none of them could be read. */
export function planSibling(model: RepositoryModel, conv: Conventions, file: string, name: string): { content: string; note: string } | undefined {
  const samples: ValuesSample[] = [];
  const headers: Array<ReturnType<typeof header>> = [];
  for (const n of conv.neighbours) {
    if (!n.resources.includes(file)) continue;
    const text = model.textOf(`${n.dir}/${file}`);
    if (text === undefined) continue;
    samples.push({ names: [n.name, ...n.charts.flatMap((c) => (c.releaseName ? [c.releaseName] : []))], text });
    headers.push(header(text));
  }
  const skeleton = valuesSkeleton(samples, 'kustomize-resource');
  if (skeleton.tree === undefined) return undefined;
  const docStart = vote(headers.map((h) => h.docStart))?.value ?? false;
  const modeline = vote(headers.map((h) => h.modeline ?? ''))?.value ?? '';
  const body = renderValues(skeleton, name, { docStart: false });
  const content = `${docStart ? '---\n' : ''}${modeline ? `${modeline}\n` : ''}${body}`;
  return { content, note: `${file}: shaped like the first document of ${skeleton.samples} neighbour${skeleton.samples === 1 ? '' : 's'}' ${file}; fill in the <placeholders>; listed under resources.` };
}
