/**
 * Which chart each Helm values source of the repository is for, and in what order helm reads
 * them: the chart named by the consumer (kustomize's helmCharts entry, an Argo CD Helm source,
 * a chart folder of the repository) with its values sources, lowest precedence first.
 *
 * - kustomize (api v0.21.1, HelmChartInflationGenerator): the chart is
 *   `helmGlobals.chartHome` (default `charts`) `/<name>` — `/<name>-<version>/<name>` when both
 *   `repo` and `version` are set — in the kustomization's folder, pulled from `repo` when that
 *   folder is absent. Values: `valuesFile` (else the chart's own values.yaml, no source of ours)
 *   merged with `valuesInline` as `valuesMerge` says (`override`, the default: inline wins;
 *   `merge`: the file wins; `replace`: inline alone), then `additionalValuesFiles` in order.
 * - Argo CD (reposerver helmTemplate): a source with `chart` is that chart of `repoURL` at
 *   `targetRevision` (a repoURL without a scheme is an OCI registry); a source with `path` in this
 *   repository whose type is Helm is the chart in that folder. Values: `valueFiles` in order
 *   (`$ref/…` through another source of this repository), then `valuesObject`, else `values`.
 *   Inline values of an Application written in the repository are read from its document; those
 *   of an ApplicationSet's template are the ones each generated Application got (its template
 *   rendered with its parameters), placed at the template's field so that one mistake is one
 *   report naming the Applications it fails for (`apps`).
 */
import { asArray, asRecord, asString } from '../generators/spec';
import { valueAt, type ChartRequest } from '../charts';
import { joinRelative } from '../kustomize/references';
import { parentOf } from '../workspace/fileTree';
import { isKustomizationName } from '../yaml/classify';
import type { YamlPath } from '../yaml/parse';
import type { YamlReader } from '../yaml/readers';
import { folderSources, repositoryFolder, sourcesOf } from './appSources';
import type { RepositoryModel } from './repositoryModel';

/** One source of values: a values file, or values written inline in a kustomization or Application. */
export interface ValuesLayer {
  file: string;
  reader: YamlReader;
  docIndex: number;
  /** Where the values sit in the document ([] for a values file). */
  path: YamlPath;
  /** Argo CD's `helm.values`: YAML text in a string (located inside it when it can be, else at its key). */
  yamlString?: boolean;
  /**
   * The values as a generated Application has them (its ApplicationSet's template rendered), read
   * instead of the document's template at `path`, which is where they are reported.
   */
  rendered?: { value: unknown };
}

export interface ValuesUse {
  chart: ChartRequest;
  /** Where the chart is named, for the notice that it is not available. */
  at: { file: string; docIndex: number; path: YamlPath };
  /** The values sources helm reads over the chart's defaults, lowest precedence first. */
  layers: ValuesLayer[];
  /** Who reads them, in words. */
  by: string;
  /** For values written in an ApplicationSet's template: the generated Applications that read exactly these. */
  apps?: string[];
}

/** Every values use of the repository (see the module comment). */
export function computeValuesUses(model: RepositoryModel): ValuesUse[] {
  const out: ValuesUse[] = [];
  const tree = model.tree;
  const files = (rel: string | undefined): rel is string => rel !== undefined && tree.files.has(rel);

  const kustomizations = [...tree.files].filter((f) => isKustomizationName(f.slice(f.lastIndexOf('/') + 1))).sort();
  const kustomizationDirs = new Set(kustomizations.map(parentOf));
  for (const file of kustomizations) {
    const doc = model.parsed(file, 'kustomization')?.docs[0];
    const k = asRecord(doc?.value);
    const charts = asArray(k?.['helmCharts']);
    if (!doc || charts.length === 0) continue;
    const dir = parentOf(file);
    const home = asString(asRecord(k?.['helmGlobals'])?.['chartHome']) ?? 'charts';
    charts.forEach((raw, i) => {
      const c = asRecord(raw);
      const name = asString(c?.['name']);
      if (!c || !name) return;
      const repo = asString(c['repo']) ?? '';
      const version = c['version'] === undefined || c['version'] === null ? '' : String(c['version']);
      const chartHome = home.startsWith('/') ? undefined : joinRelative(dir, home);
      const local = chartHome === undefined || chartHome === '..' || chartHome.startsWith('../') ? undefined : `${chartHome}${version && repo ? `/${name}-${version}` : ''}/${name}`.replace(/^\//, '');
      const inline = c['valuesInline'] !== undefined && c['valuesInline'] !== null ? [{ file, reader: 'kustomization' as const, docIndex: doc.index, path: ['helmCharts', i, 'valuesInline'] }] : [];
      const vf = asString(c['valuesFile']);
      const valuesFile = vf !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(vf) ? joinRelative(dir, vf) : undefined;
      const fileLayer = files(valuesFile) ? [{ file: valuesFile, reader: 'helm-values' as const, docIndex: 0, path: [] }] : [];
      const merge = asString(c['valuesMerge']) ?? 'override';
      const first = inline.length === 0 ? fileLayer : merge === 'replace' ? inline : merge === 'merge' ? [...inline, ...fileLayer] : [...fileLayer, ...inline];
      const additional = asArray(c['additionalValuesFiles'])
        .map((v) => (typeof v === 'string' ? joinRelative(dir, v) : undefined))
        .filter(files)
        .map((f) => ({ file: f, reader: 'helm-values' as const, docIndex: 0, path: [] }));
      out.push({
        chart: { name, ...(local !== undefined ? { local } : {}), ...(repo ? { remote: { repo, name, version } } : {}) },
        at: { file, docIndex: doc.index, path: ['helmCharts', i, 'name'] },
        layers: [...first, ...additional],
        by: `kustomize, for ${file}`,
      });
    });
  }

  const identity = model.identity();
  const apps = [
    ...model.apps().map((a) => ({ name: a.name, label: `Application ${a.name} (ApplicationSet ${a.appset.name})`, manifest: a.manifest, written: undefined, template: { file: a.appset.file, docIndex: a.appset.docIndex } })),
    ...model.standaloneApps().map((a) => ({ name: a.name, label: `Application ${a.name} (${a.file})`, manifest: a.manifest, written: { file: a.file, docIndex: a.docIndex }, template: undefined })),
  ];
  for (const app of apps) {
    const spec = asRecord(app.manifest['spec']) ?? {};
    const refs = new Map<string, string>();
    for (const { source } of sourcesOf(spec)) {
      const s = asRecord(source);
      const ref = asString(s?.['ref']);
      const url = asString(s?.['repoURL']);
      if (ref && url && identity.isThisRepository(url)) refs.set(ref, '');
    }
    const inRepo = new Map(folderSources(spec, identity).map((f) => [JSON.stringify(f.at), f.dir]));
    for (const { source, at } of sourcesOf(spec)) {
      const s = asRecord(source);
      if (!s) continue;
      const helm = asRecord(s['helm']);
      const chartName = asString(s['chart']);
      const dir = inRepo.get(JSON.stringify(at));
      let chart: ChartRequest | undefined;
      if (chartName) {
        const url = asString(s['repoURL']) ?? '';
        const repo = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : url ? `oci://${url}` : '';
        chart = { name: chartName, ...(repo ? { remote: { repo, name: chartName, version: asString(s['targetRevision']) ?? '' } } : {}) };
      } else if (dir !== undefined && tree.files.has(dir === '' ? 'Chart.yaml' : `${dir}/Chart.yaml`) && !(s['kustomize'] != null || s['directory'] != null || s['plugin'] != null)) {
        // A Helm source of this repository (a Chart.yaml and no kustomization, or an explicit helm block).
        if (kustomizationDirs.has(dir) && s['helm'] == null) continue;
        chart = { name: dir.slice(dir.lastIndexOf('/') + 1) || 'chart', local: dir };
      }
      if (!chart) continue;
      const layers: ValuesLayer[] = [];
      for (const v of asArray(helm?.['valueFiles'])) {
        if (typeof v !== 'string' || /^[a-z][a-z0-9+.-]*:\/\//i.test(v)) continue;
        const m = /^\$([^/]+)\/(.*)$/.exec(v);
        const file = m ? (refs.has(m[1] as string) ? repositoryFolder(m[2] as string) : undefined) : dir !== undefined ? repositoryFolder(dir === '' ? v : `${dir}/${v}`) : undefined;
        // The chart's own values.yaml is its defaults, read first anyway.
        if (files(file) && !(chart.local !== undefined && file === (chart.local === '' ? 'values.yaml' : `${chart.local}/values.yaml`))) layers.push({ file, reader: 'helm-values', docIndex: 0, path: [] });
      }
      const inline = helm ? inlineLayer(model, app, ['spec', ...at, 'helm'], helm) : undefined;
      if (inline) layers.push(inline);
      // A chart of the repository is checked with its own values.yaml even when nothing else is given.
      if (layers.length === 0 && chart.local === undefined) continue;
      const named = app.written ?? (inline ? app.template : undefined);
      out.push({
        chart,
        at: named
          ? { ...named, path: [...(app.written ? [] : TEMPLATE), 'spec', ...at, chartName ? 'chart' : 'path'] }
          : { file: chart.local !== undefined ? (chart.local === '' ? 'Chart.yaml' : `${chart.local}/Chart.yaml`) : (layers[0] as ValuesLayer).file, docIndex: 0, path: [] },
        layers,
        by: `helm, for ${app.label}`,
        ...(inline?.rendered ? { apps: [app.name] } : {}),
      });
    }
  }
  // Applications generated alike (one per cluster) read the same values for the same chart: one use.
  const seen = new Map<string, ValuesUse>();
  return out.filter((u) => {
    const key = JSON.stringify([u.chart, u.layers]);
    const first = seen.get(key);
    if (first) {
      if (first.apps && u.apps) first.apps.push(...u.apps);
      return false;
    }
    seen.set(key, u);
    return true;
  });
}

const TEMPLATE: YamlPath = ['spec', 'template'];

/**
 * `valuesObject` (else `values`) of a Helm source: in an Application's document, or as the
 * generated Application has them when its ApplicationSet's template writes them — only then is
 * the template's field the place to report at (values a `templatePatch` or a generator's own
 * `template` brings are not checked: there is no single place that wrote them).
 */
function inlineLayer(
  model: RepositoryModel,
  app: { written: { file: string; docIndex: number } | undefined; template: { file: string; docIndex: number } | undefined },
  base: YamlPath,
  helm: Record<string, unknown>,
): ValuesLayer | undefined {
  const object = helm['valuesObject'] !== undefined && helm['valuesObject'] !== null;
  if (!object && typeof helm['values'] !== 'string') return undefined;
  const path = [...base, object ? 'valuesObject' : 'values'];
  if (app.written) return { ...app.written, reader: 'argocd-manifest', path, ...(object ? {} : { yamlString: true }) };
  if (!app.template) return undefined;
  const templatePath = [...TEMPLATE, ...path];
  const written = valueAt(model.parsed(app.template.file, 'argocd-manifest')?.docs[app.template.docIndex]?.value, templatePath);
  if (object ? asRecord(written) === undefined : typeof written !== 'string') return undefined;
  return { ...app.template, reader: 'argocd-manifest', path: templatePath, ...(object ? {} : { yamlString: true }), rendered: { value: object ? helm['valuesObject'] : helm['values'] } };
}
