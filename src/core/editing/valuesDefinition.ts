/**
 * Go to definition in a Helm values file: from a key (or its value) to the places in the chart's
 * templates that read it (charts/templateReads.ts). A key under a dependency's alias goes to that
 * dependency's templates (and to the parent's, if it reads the key too); a key under `global`
 * to every chart of the tree that reads it, as helm hands `global` to each.
 *
 * The places that read the key or something under it come first; when no template names the
 * key itself (a chart that ranges over `controllers` reads `controllers.sonarr.replicas` as
 * `$controller.replicas`, which is `controllers.*.replicas` here), the reads of its nearest
 * parent are given instead. Nothing at all when nothing reads it: no guess.
 */
import { readCovers, readIs, templateValuesReads, type LoadedChart, type TemplateRead } from '../charts';
import type { Range } from '../problems';
import type { EditingInput } from './completion';
import { nodeAt } from './document';
import { chartOfValuesFile, valuesAtCursor } from './valuesHelp';

export interface ValuesDefinition {
  /** The chart whose template reads the key: `repoDir` set when it is a folder of the repository. */
  chart: LoadedChart;
  /** Chart-relative path of the template (`templates/deployment.yaml`). */
  template: string;
  /** Where the read is written in the template, 0-based. */
  range: Range;
}

/** More places than this are not listed (a key every template reads, such as `global.labels`). */
const MAX_PLACES = 50;

interface TemplateReads {
  template: string;
  text: string;
  reads: TemplateRead[];
}

const scanned = new WeakMap<LoadedChart, TemplateReads[]>();

function readsOf(chart: LoadedChart): TemplateReads[] {
  let out = scanned.get(chart);
  if (!out) {
    out = [...chart.templates].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([template, text]) => ({ template, text, reads: templateValuesReads(text) }));
    scanned.set(chart, out);
  }
  return out;
}

/** Each chart of the tree with the path the key has in its values. */
function chartsFor(top: LoadedChart, path: readonly string[]): Array<{ chart: LoadedChart; rel: string[] }> {
  if (path[0] === 'global') {
    const all: LoadedChart[] = [];
    const walk = (c: LoadedChart): void => {
      if (all.includes(c)) return;
      all.push(c);
      for (const d of c.dependencies) if (d.chart) walk(d.chart);
    };
    walk(top);
    return all.map((chart) => ({ chart, rel: [...path] }));
  }
  const out = [{ chart: top, rel: [...path] }];
  let chart = top;
  let rel = [...path];
  for (;;) {
    const dep = rel.length > 1 ? chart.dependencies.find((d) => d.chart && d.key === rel[0]) : undefined;
    if (!dep?.chart) break;
    chart = dep.chart;
    rel = rel.slice(1);
    out.push({ chart, rel });
  }
  return out;
}

/** The template places that read the values key at the cursor; undefined when the file is no values file of an available chart. */
export function valuesDefinition(input: EditingInput): ValuesDefinition[] | undefined {
  if (!input.model) return undefined;
  const inValuesFile = chartOfValuesFile(input.model, input.file);
  if (inValuesFile && !('chart' in inValuesFile)) return undefined;
  const at = nodeAt(input.file, input.text, input.offset);
  if (!at) return inValuesFile ? [] : undefined;
  const place = valuesAtCursor(input.model, input.file, () => at.document.index, at.path);
  if (!place || !('chart' in place.found)) return undefined;
  if (place.path.length === 0) return [];
  const found = place.found;
  const path = place.path.map(String);
  const targets = chartsFor(found.chart, path);
  const collect = (match: (read: string[], rel: string[]) => boolean): ValuesDefinition[] => {
    const out: ValuesDefinition[] = [];
    for (const { chart, rel } of targets) {
      for (const t of readsOf(chart)) {
        const seen = new Set<number>();
        for (const r of t.reads) {
          if (!match(r.path, rel) || seen.has(r.start)) continue;
          seen.add(r.start);
          out.push({ chart, template: t.template, range: { start: positionAt(t.text, r.start), end: positionAt(t.text, r.end) } });
        }
      }
    }
    return out.slice(0, MAX_PLACES);
  };
  const direct = collect((read, rel) => readCovers(read, rel));
  if (direct.length > 0) return direct;
  for (let k = path.length - 1; k >= 1; k--) {
    const parent = collect((read, rel) => rel.length - (path.length - k) >= 1 && readIs(read, rel.slice(0, rel.length - (path.length - k))));
    if (parent.length > 0) return parent;
  }
  return [];
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}
