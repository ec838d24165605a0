/**
 * Who reads which file of the repository, and how: the files Argo CD, kustomize and helm will
 * read — and only those — each with its reader (yaml/readers.ts), so that a file is checked as
 * its consumer reads it:
 *
 * - every kustomization (kustomize reads it when anything builds it), and through it every file
 *   it lists: resources and patches (kyaml), Helm values (helm), nested kustomizations and
 *   components;
 * - each Application source in this repository (generated or written): a kustomization, a
 *   Helm chart's values and value files (also through `$ref`), or the manifests of a plain
 *   directory (recurse/include/exclude as Argo CD applies them);
 * - the files the git files generators read;
 * - Argo CD manifests outside every Application source: applied by hand, as a bootstrap —
 *   with the kustomization that lists them (`kubectl apply -k`), else on their own (kubectl).
 *
 * It also says whether an Argo CD file is applied at all: when some Application's source
 * renders it, or when it lies outside every Application source. A file inside a source folder
 * that the source does not render (an `application.yaml` beside a kustomization that does not
 * list it) is applied by nothing: Argo CD never sees what it says.
 */
import * as nodePath from 'node:path';
import type { GeneratedApp } from '../appset/evaluate';
import { asArray, asRecord, asString } from '../generators/spec';
import { directoryIncludes, isManifestName } from '../argocd/directory';
import { joinRelative, kustomizationReferences } from '../kustomize/references';
import { parentOf } from '../workspace/fileTree';
import { isKustomizationName, kustomizationIn } from '../yaml/classify';
import type { YamlPath } from '../yaml/parse';
import type { YamlReader } from '../yaml/readers';
import { pluginClaims } from '../argocd/pluginClaims';
import { sourceReads, type InRepoSource } from './appSources';
import type { RepositoryModel, StandaloneApp } from './repositoryModel';

export interface FileRead {
  readonly file: string;
  readonly reader: YamlReader;
  /** Who reads it, in words ("kustomize, for apps/media/sonarr/kustomization.yaml"). */
  readonly by: string;
  /** The reference that makes the reader read it, when a file names it. */
  readonly ref?: { readonly file: string; readonly path: YamlPath };
}

/** A reference from a kustomization to a folder built as a kustomization or a component. */
export interface KustomizationLink {
  readonly from: string;
  readonly path: YamlPath;
  readonly field: 'resources' | 'bases' | 'components';
  /** The kustomization file of the folder named. */
  readonly target: string;
}

export interface NotApplied {
  /** The Applications whose source folders hold the file, none of which renders it. */
  readonly sources: ReadonlyArray<{ app: string; dir: string; type: string }>;
}

export class RepositoryReads {
  private readonly byFile = new Map<string, FileRead[]>();
  readonly links: KustomizationLink[] = [];
  /** Argo CD files some Application source renders. */
  readonly rendered = new Set<string>();
  private readonly notApplied = new Map<string, NotApplied>();
  /** files(), kept until a file is added (rules ask for it after the reads are complete). */
  private sorted: string[] | undefined;

  add(read: FileRead): void {
    const list = this.byFile.get(read.file);
    if (!list) {
      this.byFile.set(read.file, [read]);
      this.sorted = undefined;
    } else if (!list.some((r) => r.reader === read.reader && r.by === read.by)) list.push(read);
  }

  readsOf(file: string): readonly FileRead[] {
    return this.byFile.get(file) ?? [];
  }

  /** Every file something reads, sorted. */
  files(): string[] {
    this.sorted ??= [...this.byFile.keys()].sort();
    return [...this.sorted];
  }

  markNotApplied(file: string, why: NotApplied): void {
    this.notApplied.set(file, why);
  }

  /** Why an Argo CD file is applied by nothing, or undefined when something applies it. */
  whyNotApplied(file: string): NotApplied | undefined {
    return this.notApplied.get(file);
  }
}

interface AppRef {
  label: string;
  manifest: Record<string, unknown>;
}

/** Computes the reads of a repository from its model (see the module comment). */
export function computeReads(model: RepositoryModel): RepositoryReads {
  const reads = new RepositoryReads();
  const tree = model.tree;
  const renderedBy = new Map<string, Set<string>>();
  const visiting = new Set<string>();

  /** Files a kustomization renders into objects (its resources, transitively); records every read. */
  const visitKustomization = (file: string): Set<string> => {
    const done = renderedBy.get(file);
    if (done) return done;
    const out = new Set<string>();
    if (visiting.has(file)) return out; // a cycle: kustomize reports it; nothing more to read
    visiting.add(file);
    reads.add({ file, reader: 'kustomization', by: 'kustomize' });
    const doc = model.parsed(file, 'kustomization')?.docs[0];
    const dir = parentOf(file);
    const by = `kustomize, for ${file}`;
    for (const ref of doc ? kustomizationReferences(doc.value) : []) {
      const field = String(ref.path[0]);
      if (ref.invalid !== undefined || field === 'configMapGenerator' || field === 'secretGenerator' || field === 'helmGlobals') continue; // not YAML, or a folder of charts
      const joined = joinRelative(dir, ref.value);
      if (nodePath.posix.isAbsolute(ref.value) || joined === '..' || joined.startsWith('../')) continue; // outside the repository: path-escapes-repo
      // Through symbolic links inside the repository, as kustomize follows them.
      const found = tree.lookup(joined);
      const target = found.real;
      const asRef = { file, path: ref.path };
      if (found.kind === 'file') {
        if (field === 'helmCharts') reads.add({ file: target, reader: 'helm-values', by: `helm, for ${file}`, ref: asRef });
        else reads.add({ file: target, reader: 'kustomize-resource', by, ref: asRef });
        if (field === 'resources' || field === 'bases') out.add(target);
        continue;
      }
      if (found.kind !== 'dir' || field === 'helmCharts') continue;
      const nested = kustomizationIn(tree.files, target);
      if (!nested || nested === file) continue;
      const builds = visitKustomization(nested);
      if (field === 'resources' || field === 'bases' || field === 'components') {
        reads.links.push({ from: file, path: ref.path, field, target: nested });
        for (const f of builds) out.add(f);
      }
    }
    // A chart kustomize inflates from helmGlobals.chartHome without a valuesFile reads its own values.yaml.
    const k = asRecord(doc?.value);
    const chartHome = asString(asRecord(k?.['helmGlobals'])?.['chartHome']) ?? 'charts';
    asArray(k?.['helmCharts']).forEach((c, i) => {
      const chart = asRecord(c);
      const name = asString(chart?.['name']);
      if (!chart || !name || asString(chart['repo']) !== undefined || asString(chart['valuesFile']) !== undefined) return;
      const values = joinRelative(dir, `${chartHome}/${name}/values.yaml`);
      if (values && tree.files.has(values)) reads.add({ file: values, reader: 'helm-values', by: `helm, for ${file}`, ref: { file, path: ['helmCharts', i, 'name'] } });
    });
    visiting.delete(file);
    renderedBy.set(file, out);
    return out;
  };

  for (const file of [...tree.files].filter((f) => isKustomizationName(f.slice(f.lastIndexOf('/') + 1))).sort()) visitKustomization(file);

  // ---- Application sources ----
  const identity = model.identity();
  const sourceDirs: Array<{ dir: string; app: string; type: string }> = [];
  const filesByDir = new Map<string, string[]>();
  for (const f of tree.files) {
    const d = parentOf(f);
    const list = filesByDir.get(d);
    if (list) list.push(f);
    else filesByDir.set(d, [f]);
  }
  const apps: AppRef[] = [
    ...model.apps().map((a: GeneratedApp) => ({ label: `Application ${a.name} (ApplicationSet ${a.appset.name})`, manifest: a.manifest })),
    ...model.standaloneApps().map((a: StandaloneApp) => ({ label: `Application ${a.name} (${a.file})`, manifest: a.manifest })),
  ];
  const claims = pluginClaims(tree.files, () => model.pluginFiles(), (f) => model.textOf(f));
  for (const app of apps) {
    const { folders, refValueFiles } = sourceReads(asRecord(app.manifest['spec']) ?? {}, identity, tree, (dir) => claims.mayClaim(dir));
    for (const file of refValueFiles) if (tree.files.has(file)) reads.add({ file, reader: 'helm-values', by: `helm, for ${app.label}` });
    for (const source of folders) {
      for (const file of source.valueFiles) if (tree.files.has(file)) reads.add({ file, reader: 'helm-values', by: `helm, for ${app.label}` });
      sourceDirs.push({ dir: source.dir, app: app.label, type: source.type });
      readSource(source, app.label);
    }
  }

  function readSource(source: InRepoSource, label: string): void {
    if (source.type === 'Kustomize') {
      const k = kustomizationIn(tree.files, source.dir);
      if (k) for (const f of visitKustomization(k)) reads.rendered.add(f);
    } else if (source.type === 'Helm') {
      const chart = source.dir === '' ? 'Chart.yaml' : `${source.dir}/Chart.yaml`;
      if (!tree.files.has(chart)) return;
      reads.add({ file: chart, reader: 'chart-metadata', by: `helm, for ${label}` });
      // A template without a single action is rendered as written: its text is what helm checks
      // and Argo CD applies. Templates with actions are Go templates until helm renders them.
      const templates = source.dir === '' ? 'templates' : `${source.dir}/templates`;
      for (const f of filesBelow(templates)) {
        const base = f.slice(f.lastIndexOf('/') + 1);
        if (base.startsWith('_') || !/\.ya?ml$/.test(base)) continue;
        const text = model.textOf(f);
        if (text !== undefined && !text.includes('{{')) reads.add({ file: f, reader: 'chart-template', by: `helm, for ${label}` });
      }
    } else if (source.type === 'Directory') {
      for (const f of directoryFiles(source)) {
        reads.add({ file: f, reader: 'directory-manifest', by: `Argo CD, for ${label}` });
        reads.rendered.add(f);
      }
    }
  }

  function filesBelow(dir: string): string[] {
    const out = [...(filesByDir.get(dir) ?? [])];
    for (const child of tree.childrenOf(dir)) out.push(...filesBelow(`${dir}/${child}`));
    return out;
  }

  function directoryFiles(source: InRepoSource): string[] {
    const out: string[] = [];
    const prefix = source.dir === '' ? '' : `${source.dir}/`;
    const walk = (dir: string): void => {
      for (const f of filesByDir.get(dir) ?? []) {
        const base = f.slice(f.lastIndexOf('/') + 1);
        if (!isManifestName(base) || base.endsWith('.jsonnet')) continue;
        if (directoryIncludes(f.slice(prefix.length), source.directory)) out.push(f);
      }
      if (source.directory.recurse) for (const child of tree.childrenOf(dir)) walk(dir === '' ? child : `${dir}/${child}`);
    };
    walk(source.dir);
    return out;
  }

  // ---- generator files ----
  for (const file of model.generatorFilesRead()) reads.add({ file, reader: 'generator-file', by: 'the ApplicationSet git files generator' });

  // ---- Argo CD files: rendered, applied by hand, or applied by nothing ----
  const dirs = new Map<string, Array<{ app: string; dir: string; type: string }>>();
  for (const s of sourceDirs) {
    const list = dirs.get(s.dir);
    if (list) list.push(s);
    else dirs.set(s.dir, [s]);
  }
  // A bootstrap a kustomization lists is applied with it (`kubectl apply -k`): as kustomize reads it.
  const kustomized = new Set<string>();
  for (const files of renderedBy.values()) for (const f of files) kustomized.add(f);
  for (const file of model.argoFiles()) {
    if (reads.rendered.has(file)) continue;
    const holders: Array<{ app: string; dir: string; type: string }> = [];
    for (let d = parentOf(file); ; d = parentOf(d)) {
      holders.push(...(dirs.get(d) ?? []));
      if (d === '') break;
    }
    if (holders.length === 0) {
      if (!kustomized.has(file)) reads.add({ file, reader: 'argocd-manifest', by: 'kubectl (applied by hand: no Application source holds it)' });
    }
    else reads.markNotApplied(file, { sources: holders });
  }
  return reads;
}
