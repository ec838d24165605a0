/**
 * Values files checked against their chart (model/valuesUses.ts says which chart each is for;
 * src/core/charts finds it in the repository or the chart cache and checks the values as
 * `helm template` does):
 *
 * - `values-schema`: what the chart's `values.schema.json` (and its dependencies' schemas, under
 *   their alias) refuses — helm refuses to render it — at the key or value that causes it, in
 *   the file that wrote it last.
 * - `values-unknown-key` (off by default): for a chart without a schema, a key its default
 *   values do not have; many charts read keys they do not default, so it is a hint, not a promise.
 * - `values-chart-unavailable`: the chart is not in the repository nor in the chart cache, so
 *   nothing above is checked. Said only in files open in the editor (at the chart reference and
 *   at the top of each values file): on a whole repository it would be one line per chart
 *   reference until the charts are fetched — 61 on the seed repository — which is a state of the
 *   cache, not of the repository. `home-ops lint` prints one summary line instead.
 */
import { checkValues, chartRefLabel, valueAt, type LoadedChart, type ValuesPath, type ValuesSource } from '../charts';
import type { ValuesLayer, ValuesUse } from '../model/valuesUses';
import type { Range } from '../problems';
import { rangeInYamlString } from '../yaml/inString';
import { loadYaml } from '../yaml/load';
import type { YamlDoc } from '../yaml/parse';
import { CacheSlot } from './cache';
import { modelineSchema } from './schemaRule';
import { defineRule, type RuleContext } from './types';

interface Finding {
  file: string;
  range: Range;
  message: string;
  /** The generated Applications these values are theirs (values in an ApplicationSet's template). */
  apps?: readonly string[];
}

interface UseResult {
  /** What the result was computed from: the chart object and the layer files' versions. */
  chart: LoadedChart | undefined;
  stamp: string;
  issues: Finding[];
  unknownKeys: Finding[];
  unavailable: Finding[];
}

/** Per use (by its JSON), kept while the chart and the values files hold. */
const BY_USE = new CacheSlot<UseResult>('values check per use');
/** This run's results, shared by the three rules. */
const RUN = new CacheSlot<UseResult[]>('values checks of this run');

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function results(ctx: RuleContext): UseResult[] {
  const done = ctx.run.get(RUN);
  if (done) return done;
  const out: UseResult[] = [];
  for (const use of ctx.model.valuesUses()) {
    const key = JSON.stringify([use.chart, use.at, use.layers]);
    const resolved = ctx.model.chart(use.chart);
    const chart = resolved.ok ? resolved.chart : undefined;
    // The file that names the chart too: its ranges (the chart reference) move when it is edited.
    const stamp = [use.at.file, ...use.layers.map((l) => l.file)].map((f) => ctx.model.contentVersion(f)).join(',');
    const hit = ctx.store.get(BY_USE, key);
    if (hit && hit.chart === chart && hit.stamp === stamp && (chart || hit.unavailable.length > 0 || resolved.ok)) {
      out.push(hit);
      continue;
    }
    const result: UseResult = { chart, stamp, issues: [], unknownKeys: [], unavailable: [] };
    if (!resolved.ok) {
      const how = resolved.ref ? ` \`home-ops charts pull\` (or the Fetch Chart action in the editor) fetches ${chartRefLabel(resolved.ref)} into the chart cache.` : '';
      unavailableNotes(ctx, use, `Chart ${use.chart.name} is not available, so its values are not checked: ${resolved.reason}.${how}`, result);
    } else check(ctx, use, resolved.chart, result);
    ctx.store.set(BY_USE, result, key);
    out.push(result);
  }
  return ctx.run.set(RUN, out);
}

function unavailableNotes(ctx: RuleContext, use: ValuesUse, message: string, result: UseResult): void {
  const at = use.at.path.length ? ctx.model.parsed(use.at.file, readerOfAt(use))?.docs[use.at.docIndex] : undefined;
  result.unavailable.push({ file: use.at.file, range: at ? at.locate(use.at.path) : START, message });
  for (const l of use.layers) if (l.file !== use.at.file) result.unavailable.push({ file: l.file, range: START, message });
}

function readerOfAt(use: ValuesUse): 'kustomization' | 'argocd-manifest' {
  return use.by.startsWith('kustomize') ? 'kustomization' : 'argocd-manifest';
}

interface Origin {
  layer: ValuesLayer;
  doc: YamlDoc;
}

function check(ctx: RuleContext, use: ValuesUse, chart: LoadedChart, result: UseResult): void {
  const sources: Array<ValuesSource<Origin>> = [];
  for (const layer of use.layers) {
    const doc = ctx.model.parsed(layer.file, layer.reader)?.docs[layer.docIndex];
    // A values file helm cannot read fails the render anyway; yaml-syntax says where.
    if (!doc || ctx.model.parsed(layer.file, layer.reader)?.problems.some((p) => p.rule === 'yaml-syntax')) return;
    let value = layer.rendered ? layer.rendered.value : valueAt(doc.value, layer.path);
    if (layer.yamlString) {
      try {
        value = typeof value === 'string' ? loadYaml(value, 'helm-values') : undefined;
      } catch {
        return;
      }
    }
    sources.push({ value, prefix: [], origin: { layer, doc } });
  }
  // A chart of the repository: its values.yaml is a file people edit, checked with the rest.
  const defaultsOrigin = (_path: ValuesPath, c: LoadedChart): Origin | undefined => {
    if (c.repoDir === undefined) return undefined;
    const file = c.repoDir === '' ? 'values.yaml' : `${c.repoDir}/values.yaml`;
    if (!ctx.model.tree.files.has(file)) return undefined;
    const doc = ctx.model.parsed(file, 'helm-values')?.docs[0];
    return doc ? { layer: { file, reader: 'helm-values', docIndex: 0, path: [] }, doc } : undefined;
  };
  const checked = checkValues(chart, sources, defaultsOrigin);
  const where = (c: string, v: string) => `chart ${c}${v ? ` ${v}` : ''}`;
  for (const issue of checked.issues) {
    const { layer, doc } = issue.origin;
    const full = [...layer.path, ...issue.originPath];
    const raw = layer.yamlString ? valueAt(doc.value, layer.path) : undefined;
    const inside = typeof raw === 'string' ? rangeInYamlString(doc, ctx.model.textOf(layer.file) ?? '', layer.path, raw, issue.originPath, issue.target) : undefined;
    const range = layer.yamlString ? (inside ?? doc.keyRangeOf(layer.path)) : issue.target === 'key' ? doc.keyRangeOf(full) : doc.locate(full);
    const inString = layer.yamlString ? ` (at \`${issue.originPath.join('.')}\` of these values)` : '';
    result.issues.push({ file: layer.file, range, message: `${issue.message}${inString}: the values.schema.json of ${where(chart.name, chart.version)} refuses it, so helm does not render.`, ...(use.apps ? { apps: use.apps } : {}) });
  }
  for (const u of checked.unchecked) {
    const label = u.path.length ? `dependency ${u.chart} (\`${u.path.join('.')}\`) of ${where(chart.name, chart.version)}` : where(chart.name, chart.version);
    const how = u.missingRef ? ` \`home-ops charts pull\` fetches ${chartRefLabel(u.missingRef)} into the chart cache.` : '';
    unavailableNotes(ctx, use, `The values of ${label} are not checked: ${u.reason}.${how}`, result);
  }
  if (!chart.schema) unknownKeys(chart, checked.values, sources, result, use.apps);
}

/**
 * Keys the user sets that the chart's defaults (its dependencies' included) do not have, below
 * keys the defaults give as mappings with keys: `global`, and mappings the chart leaves empty
 * (`podAnnotations: {}`), are open by design.
 */
function unknownKeys(chart: LoadedChart, _values: Record<string, unknown>, sources: ReadonlyArray<ValuesSource<Origin>>, result: UseResult, apps: readonly string[] | undefined): void {
  const defaults = defaultsTree(chart);
  for (const s of sources) {
    const walk = (value: unknown, def: unknown, path: ValuesPath): void => {
      if (!isMap(value) || !isMap(def) || Object.keys(def).length === 0) return;
      for (const [k, v] of Object.entries(value)) {
        if (path.length === 0 && k === 'global') continue;
        if (!(k in def)) {
          if (!s.origin) continue;
          const { layer, doc } = s.origin;
          if (layer.yamlString) continue;
          result.unknownKeys.push({ file: layer.file, range: doc.keyRangeOf([...layer.path, ...path, k]), message: `\`${[...path, k].join('.')}\` is not a key of the default values of chart ${chart.name}${chart.version ? ` ${chart.version}` : ''} (it has no values.schema.json); check the spelling against its values.yaml.`, ...(apps ? { apps } : {}) });
          continue;
        }
        walk(v, def[k], [...path, k]);
      }
    };
    walk(s.value, defaults, []);
  }
}

function defaultsTree(chart: LoadedChart): Record<string, unknown> {
  const out: Record<string, unknown> = { ...chart.values };
  for (const d of chart.dependencies) {
    if (!d.chart) {
      out[d.key] = {}; // unknown dependency: open
      continue;
    }
    const sub = defaultsTree(d.chart);
    const mine = out[d.key];
    out[d.key] = isMap(mine) ? { ...sub, ...mine } : sub;
  }
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** How many generated Applications a message names before `and N more` (as template-error does). */
const APPS_NAMED = 3;

/**
 * One report per place and message: the values of an ApplicationSet's template are checked once
 * per generated Application (each renders them with its parameters), and a mistake they share is
 * said once, naming them.
 */
function merged(findings: Iterable<Finding>): Finding[] {
  const byPlace = new Map<string, { finding: Finding; apps: Set<string> }>();
  for (const f of findings) {
    const key = JSON.stringify([f.file, f.range, f.message]);
    const hit = byPlace.get(key);
    if (hit) for (const a of f.apps ?? []) hit.apps.add(a);
    else byPlace.set(key, { finding: f, apps: new Set(f.apps ?? []) });
  }
  return [...byPlace.values()].map(({ finding, apps }) => {
    if (apps.size === 0) return finding;
    const names = [...apps].sort();
    const more = names.length > APPS_NAMED ? ` and ${names.length - APPS_NAMED} more` : '';
    return { file: finding.file, range: finding.range, message: `For ${names.slice(0, APPS_NAMED).join(', ')}${more}: ${finding.message}` };
  });
}

/** Values files whose Red Hat YAML modeline hands them to it, in 'auto' mode while it validates. */
function leftToRedHat(ctx: RuleContext, file: string): boolean {
  const mode = ctx.options.schemaValidation ?? 'auto';
  return mode === 'never' || (mode === 'auto' && ctx.options.redHatYamlActive === true && modelineSchema(ctx.model.textOf(file) ?? '') !== undefined);
}

export const valuesSchema = defineRule({
  id: 'values-schema',
  description: "A Helm values file (or inline values) that its chart's values.schema.json refuses — wrong type, value not in the enum, unknown key where the schema closes a mapping, missing required key — with the subcharts' schemas under their alias; helm does not render it.",
  defaultSeverity: 'error',
  run(ctx) {
    for (const f of merged(results(ctx).flatMap((r) => r.issues))) if (!leftToRedHat(ctx, f.file)) ctx.report(f);
  },
});

export const valuesUnknownKey = defineRule({
  id: 'values-unknown-key',
  description: "A key in a Helm values file that the chart's default values do not have, for a chart without values.schema.json (off by default: charts read keys they do not default).",
  defaultSeverity: 'warning',
  offByDefault: true,
  run(ctx) {
    for (const f of merged(results(ctx).flatMap((r) => r.unknownKeys))) ctx.report(f);
  },
});

export const valuesChartUnavailable = defineRule({
  id: 'values-chart-unavailable',
  description: 'The chart a values file is for is neither in the repository nor in the chart cache, so the values are not checked (in files open in the editor only; `home-ops lint` prints one summary line).',
  defaultSeverity: 'info',
  run(ctx) {
    const open = ctx.model.overlayTexts();
    if (open.size === 0) return;
    // Applications generated alike name one chart at one place of their template: one notice.
    for (const f of merged(results(ctx).flatMap((r) => r.unavailable))) if (open.has(f.file)) ctx.report(f);
  },
});
