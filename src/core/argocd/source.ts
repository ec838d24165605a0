/**
 * What Argo CD's repo-server would do with an Application's source
 * (reposerver/repository/repository.go `GetAppSourceType`, util/app/discovery `AppType`):
 * an explicit `helm`/`kustomize`/`directory` block decides; otherwise a kustomization file means
 * kustomize, a `Chart.yaml` means Helm, anything else is a plain directory. Pure: which files a
 * folder holds is asked of the caller (the model's tree, or render/sourceType.ts on a disk).
 */
import * as path from 'node:path';
import { loadAllYaml } from '../yaml/load';
import { KUSTOMIZATION_FILE_NAMES } from '../yaml/classify';

/** An Application as the model gives it: GeneratedApp and StandaloneApp both fit. */
export interface RenderableApp {
  name: string;
  /** Repository-relative source path. */
  path?: string;
  /** Destination namespace (GeneratedApp). */
  namespace?: string;
  /** Destination namespace (StandaloneApp). */
  destinationNamespace?: string;
  /** The full Application; its source options (helm, kustomize, directory) are read from it. */
  manifest?: Record<string, unknown>;
  /** The `ref:` names of the Application's other sources, when `manifest` holds one of its sources only. */
  refs?: string[];
}

export type SourceType = 'Kustomize' | 'Helm' | 'Directory';

export interface HelmOptions {
  releaseName?: string;
  namespace?: string;
  valueFiles: string[];
  /** `values` (string) or `valuesObject`, as the YAML Argo CD writes to a temporary values file. */
  valuesYaml?: string;
  parameters: Array<{ name: string; value: string; forceString: boolean }>;
  fileParameters: Array<{ name: string; path: string }>;
  ignoreMissingValueFiles: boolean;
  skipCrds: boolean;
  skipTests: boolean;
  skipSchemaValidation: boolean;
  kubeVersion?: string;
  apiVersions: string[];
}

export interface DirectoryOptions {
  recurse: boolean;
  include: string;
  exclude: string;
}

export interface AppSource {
  appName: string;
  /** Repository-relative, '' for the root. */
  path: string;
  destinationNamespace?: string;
  /** Which of helm/kustomize/directory the Application spells out (Argo CD's `ExplicitType`). */
  explicit: SourceType[];
  helm: HelmOptions;
  directory: DirectoryOptions;
  /** `source.kustomize` as written; see render.ts for which fields are applied. */
  kustomize?: Record<string, unknown>;
  /** Names of the Application's `sources` that carry a `ref` (`$name/…` value files point into them). */
  refs: string[];
  /** `source.plugin`: a Config Management Plugin renders the source (its name may be empty: discovery picks one). */
  plugin?: { name: string; env: Array<{ name: string; value: string }>; parameters: unknown[] };
}

export function appSourceOf(app: RenderableApp): AppSource {
  const spec = rec(app.manifest?.['spec']);
  const source = rec(spec?.['source']) ?? (Array.isArray(spec?.['sources']) ? (spec['sources'] as unknown[]).map(rec).find((s) => typeof s?.['path'] === 'string' && !isRemoteChartSource(s)) : undefined) ?? {};
  const helm = rec(source['helm']);
  const kustomize = rec(source['kustomize']);
  const directory = rec(source['directory']);
  const plugin = rec(source['plugin']);
  const explicit = explicitSourceTypes(source);
  const valuesObject = helm?.['valuesObject'];
  const valuesString = helm?.['values'];
  let valuesYaml: string | undefined;
  // util/helm: ValuesYAML prefers valuesObject over values.
  if (valuesObject != null && typeof valuesObject === 'object' && Object.keys(valuesObject).length > 0) valuesYaml = `${JSON.stringify(valuesObject)}\n`;
  else if (typeof valuesString === 'string' && valuesString.trim() !== '') valuesYaml = valuesString;
  const kubeVersion = str(helm?.['kubeVersion']) ?? str(kustomize?.['kubeVersion']);
  const dns = app.namespace ?? app.destinationNamespace ?? str(rec(spec?.['destination'])?.['namespace']);
  return {
    appName: app.name,
    path: normalizeRel(app.path ?? str(source['path']) ?? ''),
    ...(dns ? { destinationNamespace: dns } : {}),
    explicit,
    refs: app.refs ?? arr(spec?.['sources']).map((s) => str(rec(s)?.['ref'])).filter((r): r is string => r !== undefined),
    helm: {
      ...(str(helm?.['releaseName']) ? { releaseName: str(helm?.['releaseName']) as string } : {}),
      ...(str(helm?.['namespace']) ? { namespace: str(helm?.['namespace']) as string } : {}),
      valueFiles: strings(helm?.['valueFiles']),
      ...(valuesYaml !== undefined ? { valuesYaml } : {}),
      parameters: arr(helm?.['parameters']).map((p) => ({ name: String(rec(p)?.['name'] ?? ''), value: scalar(rec(p)?.['value']), forceString: rec(p)?.['forceString'] === true })).filter((p) => p.name),
      fileParameters: arr(helm?.['fileParameters']).map((p) => ({ name: String(rec(p)?.['name'] ?? ''), path: String(rec(p)?.['path'] ?? '') })).filter((p) => p.name && p.path),
      ignoreMissingValueFiles: helm?.['ignoreMissingValueFiles'] === true,
      skipCrds: helm?.['skipCrds'] === true,
      skipTests: helm?.['skipTests'] === true,
      skipSchemaValidation: helm?.['skipSchemaValidation'] === true,
      ...(kubeVersion ? { kubeVersion } : {}),
      apiVersions: strings(helm?.['apiVersions']).length ? strings(helm?.['apiVersions']) : strings(kustomize?.['apiVersions']),
    },
    directory: {
      recurse: directory?.['recurse'] === true,
      include: str(directory?.['include']) ?? '',
      exclude: str(directory?.['exclude']) ?? '',
    },
    ...(kustomize ? { kustomize } : {}),
    ...(plugin ? { plugin: { name: str(plugin['name']) ?? '', env: arr(plugin['env']).map((e) => ({ name: String(rec(e)?.['name'] ?? ''), value: scalar(rec(e)?.['value']) })).filter((e) => e.name), parameters: arr(plugin['parameters']) } } : {}),
  };
}

/** The source types an Application source spells out (Argo CD's `ExplicitType`): its helm, kustomize or directory block. */
export function explicitSourceTypes(source: Record<string, unknown>): SourceType[] {
  const explicit: SourceType[] = [];
  if (source['kustomize'] != null) explicit.push('Kustomize');
  if (source['helm'] != null) explicit.push('Helm');
  if (source['directory'] != null) explicit.push('Directory');
  return explicit;
}

export class SourceTypeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceTypeError';
  }
}

/**
 * Argo CD's decision from the source's explicit type fields and the files its folder holds
 * (`has(name)`): a kustomization wins over a Chart.yaml (discovery walks the folder in lexical
 * order and the later match wins: `Chart.yaml` sorts before `kustomization.yaml`).
 */
export function sourceTypeOf(explicit: readonly SourceType[], has: (name: string) => boolean): SourceType {
  if (explicit.length > 1) throw new SourceTypeError(`multiple application sources defined: ${explicit.join(',')} (Argo CD accepts one of helm, kustomize, directory)`);
  if (explicit.length === 1) return explicit[0] as SourceType;
  if (KUSTOMIZATION_FILE_NAMES.some(has)) return 'Kustomize';
  if (has('Chart.yaml')) return 'Helm';
  return 'Directory';
}

// ---- kustomize.buildOptions ---------------------------------------------------------------

/**
 * Kustomize build options are not per app in Argo CD: they come from `kustomize.buildOptions` in
 * the `argocd-cm` ConfigMap (docs/user-guide/kustomize.md). A home-ops repository usually holds
 * that configuration itself, either as the ConfigMap or as the Argo CD Helm chart's values
 * (`configs.cm."kustomize.buildOptions"`), so it is read from the repository.
 */

export interface BuildOptionsOrigin {
  options: string;
  /** Repository-relative file and 1-based line where it was found. */
  file: string;
  line: number;
  how: 'argocd-cm' | 'helm-values' | 'configMapGenerator' | 'text';
}

/** The few reads discovery needs; RepositoryModel's tree fits (`tree.files`, `textOf`). */
export interface RepoFiles {
  files: Iterable<string>;
  readText(rel: string): string | undefined;
}

const BUILD_OPTIONS_KEY = 'kustomize.buildOptions';

/**
 * Every place the repository sets `kustomize.buildOptions` for Argo CD, most specific first:
 * an `argocd-cm` ConfigMap, the Argo CD chart's `configs.cm`, a kustomize `configMapGenerator`
 * for argocd-cm, then any other YAML line with the key (patches). Versioned keys
 * (`kustomize.buildOptions.v5.0.0`) belong to custom kustomize versions and are ignored.
 */
export function findBuildOptions(repo: RepoFiles): BuildOptionsOrigin[] {
  const found: BuildOptionsOrigin[] = [];
  for (const file of [...repo.files].sort()) {
    if (!/\.ya?ml$/i.test(file)) continue;
    const text = repo.readText(file);
    if (text === undefined || !text.includes(BUILD_OPTIONS_KEY)) continue;
    const lineOf = (needle: string): number => {
      const lines = text.split('\n');
      const i = lines.findIndex((l) => l.includes(BUILD_OPTIONS_KEY) && l.includes(needle.split(/\s+/)[0] ?? ''));
      return i < 0 ? 1 : i + 1;
    };
    let structured = false;
    try {
      // Values only (the fast loader reads most of these files): a line is found by its text.
      for (const value of loadAllYaml(text, 'argocd-manifest')) {
        const v = rec(value);
        if (!v) continue;
        const meta = rec(v['metadata']);
        if (v['kind'] === 'ConfigMap' && meta?.['name'] === 'argocd-cm') {
          const o = str(rec(v['data'])?.[BUILD_OPTIONS_KEY]);
          if (o !== undefined) {
            found.push({ options: o, file, line: lineOf(o), how: 'argocd-cm' });
            structured = true;
          }
        }
        const cm = rec(rec(v['configs'])?.['cm']);
        const fromValues = str(cm?.[BUILD_OPTIONS_KEY]);
        if (fromValues !== undefined) {
          found.push({ options: fromValues, file, line: lineOf(fromValues), how: 'helm-values' });
          structured = true;
        }
        for (const gen of arr(v['configMapGenerator'])) {
          if (rec(gen)?.['name'] !== 'argocd-cm') continue;
          for (const lit of strings(rec(gen)?.['literals'])) {
            if (lit.startsWith(`${BUILD_OPTIONS_KEY}=`)) {
              found.push({ options: literalValue(lit.slice(BUILD_OPTIONS_KEY.length + 1)), file, line: lineOf(lit), how: 'configMapGenerator' });
              structured = true;
            }
          }
        }
      }
    } catch {
      // Not YAML we can read; the line scan below still sees the key.
    }
    if (structured) continue;
    text.split('\n').forEach((l, i) => {
      const m = /^\s*["']?kustomize\.buildOptions["']?\s*:\s*(.*?)\s*$/.exec(l);
      if (m && m[1]) found.push({ options: unquote(m[1]), file, line: i + 1, how: 'text' });
    });
  }
  const rank: Record<BuildOptionsOrigin['how'], number> = { 'argocd-cm': 0, 'helm-values': 1, configMapGenerator: 2, text: 3 };
  return found.sort((a, b) => rank[a.how] - rank[b.how]);
}

/** Argo CD splits the option string on white space (util/kustomize: `strings.Fields`). */
export function splitBuildOptions(options: string): string[] {
  return options.split(/\s+/).filter(Boolean);
}

// ---- small helpers ------------------------------------------------------------------------

/**
 * A source Argo CD fetches from elsewhere rather than from this repository's folders: a Helm
 * chart (`chart:` set) or an OCI artifact (`repoURL: oci://…`, since Argo CD 3.1).
 */
export function isRemoteChartSource(source: Record<string, unknown>): boolean {
  return (typeof source['chart'] === 'string' && source['chart'] !== '') || String(source['repoURL'] ?? '').startsWith('oci://');
}

/** The Application's sources as written: `sources`, else `[source]`. */
export function applicationSources(app: RenderableApp): Record<string, unknown>[] {
  const spec = rec(app.manifest?.['spec']);
  const many = arr(spec?.['sources']).map(rec).filter((s): s is Record<string, unknown> => s !== undefined);
  if (many.length) return many;
  const one = rec(spec?.['source']);
  return one ? [one] : [];
}

export function normalizeRel(p: string): string {
  const n = path.posix.normalize(p.replace(/\\/g, '/')).replace(/^\.\/?/, '').replace(/\/$/, '');
  return n === '.' ? '' : n;
}

function rec(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function strings(v: unknown): string[] {
  return arr(v).filter((x): x is string => typeof x === 'string');
}

function scalar(v: unknown): string {
  return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
}

/** kustomize drops one pair of matching quotes around a `literals` value (api/kv: removeQuotes). */
function literalValue(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0] ? s.slice(1, -1) : s;
}

function unquote(s: string): string {
  const t = s.replace(/\s+#.*$/, '');
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  return t;
}
