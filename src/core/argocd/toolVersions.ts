/**
 * Which Argo CD the repository installs, and which kustomize and helm that Argo CD runs. The
 * repo-server renders with the binaries baked into its image (hack/tool-versions.sh of each
 * release); a preview made with other versions can differ, the known case being kustomize 5.8's
 * namespace rule for helmCharts (kubernetes-sigs/kustomize#5940, #6014, #6058: from 5.8 the
 * kustomization's `namespace:` no longer reaches objects of a chart that does not template
 * `namespace: {{ .Release.Namespace }}`).
 *
 * Only what a public source states is in the tables; a release without a line is "unknown" and
 * nothing is compared for it.
 */
import { loadAllYaml } from '../yaml/load';
import type { RepoFiles } from './source';

export interface ArgoCdTools {
  /** Argo CD minor release, `3.3`. */
  argocd: string;
  helm?: string;
  kustomize?: string;
  /** Where the versions are stated. */
  source: string;
}

/**
 * Argo CD release → the helm and kustomize in its image: hack/tool-versions.sh of each release's
 * source (github.com/argoproj/argo-cd/v3 at that tag, as the Go module proxy serves it), read at
 * the first and the latest patch of each minor; where a patch bumped a tool, the latest is given
 * and the line says so.
 */
export const ARGOCD_TOOLS: readonly ArgoCdTools[] = [
  { argocd: '3.1', helm: '3.18.4', kustomize: '5.7.0', source: 'argo-cd v3.1.0 hack/tool-versions.sh' },
  { argocd: '3.2', helm: '3.18.4', kustomize: '5.7.0', source: 'argo-cd v3.2.0 and v3.2.6 hack/tool-versions.sh' },
  { argocd: '3.3', helm: '3.19.4', kustomize: '5.8.1', source: 'argo-cd v3.3.19 hack/tool-versions.sh; v3.3.0 shipped kustomize 5.8.0' },
  { argocd: '3.4', helm: '3.19.4', kustomize: '5.8.1', source: 'argo-cd v3.4.0 and v3.4.14 hack/tool-versions.sh' },
  { argocd: '3.5', helm: '4.2.1', kustomize: '5.8.1', source: 'argo-cd v3.5.0 and v3.5.8 hack/tool-versions.sh' },
  { argocd: '3.6', helm: '4.3.2', kustomize: '5.8.3', source: 'argo-cd v3.6.2 hack/tool-versions.sh; v3.6.0 shipped helm 4.3.1' },
];

/** argo-helm's `argo-cd` chart, by minor version → the Argo CD release it installs (its release notes: "Update dependency argoproj/argo-cd to …"). */
export const ARGO_CD_CHART: ReadonlyArray<{ chart: string; argocd: string; source: string }> = [
  { chart: '9.0', argocd: '3.1', source: 'argo-helm release argo-cd-9.0.1 (Argo CD v3.1.9)' },
  { chart: '9.3', argocd: '3.2', source: 'argo-helm releases argo-cd-9.3.1, 9.3.4 (Argo CD v3.2.4, v3.2.5)' },
  { chart: '9.4', argocd: '3.3', source: 'argo-helm releases argo-cd-9.4.3, 9.4.4 (Argo CD v3.3.1, v3.3.2)' },
  { chart: '10.8', argocd: '3.5', source: 'argo-helm charts/argo-cd/Chart.yaml at 3bbb4305 of 2026-09-04 from the Go module proxy: version 10.8.0, appVersion v3.5.2' },
];

export interface DetectedArgoCd {
  /** As found: `v3.3.2`, or the chart version `9.4.2`. */
  found: string;
  /** The Argo CD minor release it means (`3.3`), when known. */
  argocd?: string;
  /** `file:line`, or `Application NAME` for one an ApplicationSet generates. */
  origin: string;
  how: 'chart' | 'manifest-url' | 'image-tag';
}

const VERSION = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+][\w.-]*)?$/;

/** `3.3` from `v3.3.2`; undefined for anything else. */
export function argoCdMinor(version: string): string | undefined {
  const m = VERSION.exec(version.trim());
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/**
 * The Argo CD the repository installs: the argo-cd chart of a kustomization's helmCharts, a
 * Chart.yaml dependency or an Application's chart source; a manifests URL with a tag
 * (`…/argo-cd/v3.3.0/manifests/install.yaml`, `…/argo-cd//manifests/cluster-install?ref=v3.3.0`);
 * an `argocd` image tag (kustomization `images`, Helm values `global.image.tag`). The first found
 * in file order, else in the Applications the repository's ApplicationSets generate (`apps`: a
 * chart source, `oci://…/argo-helm/argo-cd` included); undefined when the repository does not say.
 */
export function detectArgoCdVersion(repo: RepoFiles, apps: Iterable<{ name: string; manifest?: Record<string, unknown> }> = []): DetectedArgoCd | undefined {
  for (const file of [...repo.files].sort()) {
    if (!/\.ya?ml$/i.test(file)) continue;
    const text = repo.readText(file);
    // Most files naming `argocd` are Applications in that namespace: parse only what can say a version.
    if (text === undefined || !/argo-cd|argoproj\/argocd|^\s*configs\s*:/m.test(text)) continue;
    const lineOf = (needle: string): number => {
      const i = text.split('\n').findIndex((l) => l.includes(needle));
      return i < 0 ? 1 : i + 1;
    };
    const url = /argoproj\/argo-cd\/(v\d+\.\d+\.\d+[\w.-]*)\/manifests\/|argoproj\/argo-cd\/+manifests\/[\w./-]*\?ref=(v\d+\.\d+\.\d+[\w.-]*)/.exec(text);
    if (url) {
      const found = (url[1] ?? url[2]) as string;
      return withMinor({ found, origin: `${file}:${lineOf(found)}`, how: 'manifest-url' });
    }
    let docs: unknown[];
    try {
      docs = loadAllYaml(text, file.endsWith('Chart.yaml') ? 'chart-metadata' : 'argocd-manifest');
    } catch {
      continue;
    }
    for (const doc of docs) {
      const hit = fromDocument(doc);
      if (hit) return withMinor({ ...hit, origin: `${file}:${lineOf(hit.found)}` });
    }
  }
  for (const app of apps) {
    const hit = fromDocument(app.manifest);
    if (hit) return withMinor({ ...hit, origin: `Application ${app.name}` });
  }
  return undefined;
}

function withMinor(d: Omit<DetectedArgoCd, 'argocd'>): DetectedArgoCd {
  const argocd = d.how === 'chart' ? chartToArgoCd(d.found) : argoCdMinor(d.found);
  return argocd ? { ...d, argocd } : d;
}

function chartToArgoCd(chartVersion: string): string | undefined {
  const minor = argoCdMinor(chartVersion);
  return ARGO_CD_CHART.find((c) => c.chart === minor)?.argocd;
}

function fromDocument(doc: unknown): Omit<DetectedArgoCd, 'argocd' | 'origin'> | undefined {
  const v = rec(doc);
  if (!v) return undefined;
  // kustomization helmCharts, Chart.yaml dependencies
  for (const entry of [...list(v['helmCharts']), ...list(v['dependencies'])]) {
    const e = rec(entry);
    if (e && e['name'] === 'argo-cd' && typeof e['version'] === 'string' && /argo-helm|argoproj/.test(String(e['repo'] ?? e['repository'] ?? ''))) return { found: e['version'], how: 'chart' };
  }
  // an Application (or ApplicationSet template) installing the chart
  const spec = rec(v['spec']);
  for (const s of [rec(spec?.['source']), ...list(spec?.['sources']).map(rec)]) {
    const repoURL = String(s?.['repoURL'] ?? '');
    const chart = (s?.['chart'] === 'argo-cd' && /argo-helm|argoproj/.test(repoURL)) || /argo-helm\/argo-cd\/?$/.test(repoURL);
    if (s && chart && typeof s['targetRevision'] === 'string') return { found: s['targetRevision'], how: 'chart' };
  }
  // kustomization images
  for (const image of list(v['images'])) {
    const i = rec(image);
    if (i && /argoproj\/argocd$/.test(String(i['name'] ?? '')) && typeof i['newTag'] === 'string' && argoCdMinor(i['newTag'])) return { found: i['newTag'], how: 'image-tag' };
  }
  // Argo CD Helm values
  const tag = rec(rec(v['global'])?.['image'])?.['tag'];
  if (typeof tag === 'string' && rec(v['configs']) && argoCdMinor(tag)) return { found: tag, how: 'image-tag' };
  return undefined;
}

/** The tools of that Argo CD release, when the table has its line. */
export function argoCdTools(argocd: string | undefined): ArgoCdTools | undefined {
  return argocd ? ARGOCD_TOOLS.find((t) => t.argocd === argocd) : undefined;
}

/** `5.8.1` from `v5.8.1`, `kubectl v5.5.0`, `v3.22.0+gabcdef`, `{Version:kustomize/v5.8.1 …}`. */
export function plainVersion(reported: string): string | undefined {
  return /v?(\d+\.\d+\.\d+)/.exec(reported)?.[1];
}

function minorOf(v: string): [number, number] {
  const [a, b] = v.split('.').map(Number);
  return [a ?? 0, b ?? 0];
}

/** Whether `v` is at least `major.minor`. */
export function atLeast(v: string, major: number, minor: number): boolean {
  const [a, b] = minorOf(v);
  return a > major || (a === major && b >= minor);
}

/**
 * One note when the binaries the preview uses are not the ones that Argo CD release runs (minor
 * versions compared), with what can differ; undefined when they agree or the table cannot say.
 */
export function toolVersionNote(detected: DetectedArgoCd | undefined, local: { kustomize?: string; helm?: string }): string | undefined {
  const tools = argoCdTools(detected?.argocd);
  if (!detected || !tools) return undefined;
  const diffs: string[] = [];
  const localK = local.kustomize ? plainVersion(local.kustomize) : undefined;
  const localH = local.helm ? plainVersion(local.helm) : undefined;
  const differ = (a: string, b: string) => minorOf(a).join('.') !== minorOf(b).join('.');
  if (tools.kustomize && localK && differ(tools.kustomize, localK)) diffs.push(`kustomize ${tools.kustomize} (here ${localK})`);
  if (tools.helm && localH && differ(tools.helm, localH)) diffs.push(`helm ${tools.helm} (here ${localH})`);
  if (diffs.length === 0) return undefined;
  const namespaceRule =
    tools.kustomize && localK && atLeast(tools.kustomize, 5, 8) !== atLeast(localK, 5, 8)
      ? ` What can differ: from kustomize 5.8 a kustomization's namespace is not applied to helmCharts objects whose chart does not template a namespace (kubernetes-sigs/kustomize#6014, #6058); ${atLeast(tools.kustomize, 5, 8) ? 'Argo CD leaves them to the destination namespace, this preview does not' : 'Argo CD applies it, this preview does not'}.`
      : '';
  return `Argo CD ${detected.argocd} (${detected.found}, ${detected.origin}) renders with ${diffs.join(' and ')}.${namespaceRule}`;
}

function rec(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
