/**
 * The repository model: every ApplicationSet, Application and AppProject in the working tree,
 * and the Applications the ApplicationSets generate. Built once, then kept current from file
 * events: a change re-reads only the files it touches and re-evaluates only the ApplicationSets
 * whose generators could see it.
 */
import { describeMatch, evaluateAppSet, firstParameterSet, type AppSetEvaluation, type AppSetInputs, type GeneratedApp } from '../appset/evaluate';
import { goPathMatch } from '../glob/goPathMatch';
import { gitPathspecMatch } from '../glob/gitPathspec';
import { readClusterSecret, type ClusterSecret } from '../generators/clusterSecrets';
import { parseFileGeneratorContent } from '../generators/gitFiles';
import { asArray, asRecord, asString } from '../generators/spec';
import { START_OF_FILE, type Problem } from '../problems';
import type { GoMap } from '../template';
import { FileTree, type TreeFs } from '../workspace/fileTree';
import { parentOf, WithFiles, type TreeView } from '../workspace/treeView';
import { decodeText, hasUtf16Bom, type Decoded } from '../workspace/textDecode';
import { argoManifestLine, chartOfTemplate, classifyText, isKustomizationName, isYamlName, type FileRole } from '../yaml/classify';
import { loadYaml } from '../yaml/load';
import { findExcessiveNesting, NestingLimitError } from '../yaml/nesting';
import { checkYamlFile, nestingProblem, parseYamlFile, type ParsedYamlFile, type YamlDoc } from '../yaml/parse';
import type { YamlReader } from '../yaml/readers';
import { AppSetMap, type AppSetKey } from './appSetKey';
import { ChartResolver, type ChartRequest, type ChartStore, type Resolved } from '../charts';
import { computeValuesUses, type ValuesUse } from './valuesUses';
import { PLUGIN_DEFINITION_MARKER } from '../argocd/plugins';
import { computeReads, type RepositoryReads } from './reads';
import { computeRepositoryIdentity, type RepositoryIdentity } from './repositoryIdentity';

/** Files larger than this are not parsed: no Argo CD manifest is that big, and parsing would stall the editor. */
export const MAX_PARSED_BYTES = 2 * 1024 * 1024;

/** Texts larger than this are read again when needed rather than kept in memory. */
const MAX_CACHED_TEXT = 256 * 1024;
/** How much of a file over MAX_PARSED_BYTES is read to tell whether it is an Argo CD file. */
const CLASSIFY_HEAD_BYTES = 64 * 1024;
/** What classifyText needs in a file, as bytes (a string needle is re-encoded on every search). */
const ARGOPROJ_BYTES = Buffer.from('argoproj.io');
const BUILD_OPTIONS_BYTES = Buffer.from('kustomize.buildOptions');
const CMP_BYTES = Buffer.from('cmp');
const CMP_KIND_BYTES = Buffer.from('ConfigManagementPlugin');

/**
 * Readings whose values no feature reads: yaml-syntax asks only whether the consumer reads the
 * file without a problem (Helm values files, a chart's templates and Chart.yaml, generator files,
 * whose parameters are read on their own, directory manifests). They are checked without their
 * values being built, which are built if something asks for them after all (checkYamlFile).
 */
const CHECKED_READINGS: ReadonlySet<YamlReader> = new Set(['helm-values', 'chart-metadata', 'chart-template', 'generator-file', 'directory-manifest']);

/**
 * Git's test for binary content: a NUL in the first 8000 bytes. A file named like YAML that
 * passes it is reported as `binary-file` and read by nothing else.
 */
export function looksBinary(content: Uint8Array | string): boolean {
  return typeof content === 'string' ? content.slice(0, 8000).includes('\0') : content.subarray(0, 8000).includes(0);
}

export function binaryFileProblem(file: string): Problem {
  return { file, range: START_OF_FILE, severity: 'warning', rule: 'binary-file', message: 'This file is named like YAML but holds binary data; it is not read.' };
}

export interface ModelOptions {
  exclude?: readonly string[];
  fs?: TreeFs;
  /** Editor buffers open from the start, by repository-relative path (see `update`). */
  overlays?: ReadonlyMap<string, string>;
  /** The chart cache values files are checked against (charts not in the repository); none: only charts of the repository. */
  charts?: ChartStore;
}

/** One batch of changes, applied in one pass. */
export interface ModelUpdate {
  /** Paths created, changed or deleted on disk (files or folders, repository-relative). */
  paths?: Iterable<string>;
  /** Editor buffers opened or edited (their text) or closed (undefined: back to the disk). */
  overlays?: ReadonlyMap<string, string | undefined>;
}

export interface ManifestRef {
  kind: 'Application' | 'ApplicationSet' | 'AppProject';
  name: string;
  namespace?: string;
  file: string;
  line: number;
  docIndex: number;
}

/** An Application written directly in the repository (not generated). */
export interface StandaloneApp extends ManifestRef {
  kind: 'Application';
  project?: string;
  path?: string;
  destinationNamespace?: string;
  manifest: Record<string, unknown>;
}

interface FileRecord {
  role: FileRole;
  /** The file's bytes hold `kustomize.buildOptions` (a byte search while classifying it). */
  mentionsBuildOptions?: boolean;
  /** Whether the text may define a Config Management Plugin (plugins.ts PLUGIN_DEFINITION_MARKER), whose discover rules can type sources. */
  mentionsPlugins?: boolean;
  parsed?: ParsedYamlFile;
  problems: Problem[];
  manifests: ManifestRef[];
  clusterSecrets: ClusterSecret[];
}

export interface ModelChange {
  /** The ApplicationSets evaluated again. */
  reevaluated: AppSetKey[];
  filesRead: number;
}

/** How much work the model has done since it was created: a burst of events must be one pass. */
export interface ModelWork {
  /** Full builds (the first one, and one per `.gitignore` change or switch of presence). */
  builds: number;
  /** Incremental passes: one per `update` (`applyChanges`, `setOverlay`) that was not a build. */
  passes: number;
  /** ApplicationSet evaluations, builds included. */
  evaluations: number;
}

/** The first parameter set of an ApplicationSet, for completion and hover. */
export interface FirstParams {
  params: GoMap;
  /** The match the parameters are for, e.g. `pitower/kubernetes/apps/media/jellyfin`. */
  match: string;
  /** How many Applications the ApplicationSet generates (0 when rendering failed for all). */
  apps: number;
}

/** "What would the engine generate if these files existed?" (RepositoryModel.probe). */
export interface ProbeResult {
  /** Evaluations of the appsets the new files could affect, against the extended tree. */
  evaluations: AppSetEvaluation[];
  /** Applications whose source directory (or a generator file) is among the new paths. */
  newApps: GeneratedApp[];
  /** Problems that the extended tree causes and the current one does not. */
  newProblems: Problem[];
}

/** An ApplicationSet document not in the repository yet (a planned file), for `probe`. */
export interface PlannedAppSet {
  file: string;
  doc: YamlDoc;
}

export class RepositoryModel {
  private currentTree!: FileTree;
  private readonly files = new Map<string, FileRecord>();
  private readonly evaluations = new AppSetMap<AppSetEvaluation>();
  private readonly fileParams = new Map<string, unknown>();
  /**
   * File texts read for rules, kept until a change event touches the file: the model's view of
   * the disk is event-driven anyway, and re-reading every kustomization on each lint of a big
   * repository costs more than the lint.
   */
  private readonly texts = new Map<string, string>();
  /** Bytes of YAML files read while classifying them, until textOf decodes them (then in `texts`). */
  private readonly unreadBytes = new Map<string, Buffer>();
  private structure = 0;
  /** Per file, the change that last touched it; never reused (see contentVersion). */
  private readonly fileVersions = new Map<string, number>();
  private changes = 0;
  private baseVersion = 0;
  /** Editor buffers by path: the model is their one owner (the server hands every change here). */
  private readonly overlays = new Map<string, string>();
  private clusterSecretList: ClusterSecret[] = [];
  /** manifests(), kept until a file is read or dropped (every rule asks for it). */
  private manifestList: ManifestRef[] | undefined;
  /** Files parsed by reader, kept while their text holds. */
  private readonly parses = new Map<string, Map<YamlReader, { text: string; parsed: ParsedYamlFile }>>();
  /** reads() and identity(), kept until a change can change them. */
  private readsCache: { reads?: RepositoryReads; identity?: RepositoryIdentity; valuesUses?: ValuesUse[] } = {};
  private chartResolver: ChartResolver | undefined;
  /** Per ApplicationSet evaluation: why files its generators read could not be read, in those files. */
  private readonly generatorReadIssues = new AppSetMap<Problem[]>();
  private readonly counters: ModelWork = { builds: 0, passes: 0, evaluations: 0 };

  constructor(
    readonly root: string,
    private readonly options: ModelOptions = {},
  ) {
    for (const [file, text] of options.overlays ?? []) this.overlays.set(file, text);
    this.load();
  }

  /** The work done so far (a copy). */
  get work(): ModelWork {
    return { ...this.counters };
  }

  get tree(): FileTree {
    return this.currentTree;
  }

  private load(): void {
    this.counters.builds++;
    this.currentTree = new FileTree(this.root, this.options);
    this.files.clear();
    this.manifestList = undefined;
    this.evaluations.clear();
    this.generatorReadIssues.clear();
    this.fileParams.clear();
    this.texts.clear();
    this.unreadBytes.clear();
    this.parses.clear();
    this.readsCache = {};
    this.structure++;
    this.fileVersions.clear();
    this.baseVersion = ++this.changes;
    for (const file of this.tree.files) this.readFile(file);
    for (const file of this.overlays.keys()) if (!this.files.has(file) && this.overlayCounts(file)) this.readFile(file);
    this.refreshClusterSecrets();
    for (const key of this.appsetKeys()) this.evaluate(key);
  }

  // ---- queries -------------------------------------------------------------------------

  appsets(): AppSetEvaluation[] {
    return [...this.evaluations.values()].sort((a, b) => compare(a.appset.file, b.appset.file) || a.appset.docIndex - b.appset.docIndex);
  }

  /** Every generated Application, appset by appset in file order, each in generator order. */
  apps(): GeneratedApp[] {
    return this.appsets().flatMap((e) => e.apps);
  }

  manifests(): ManifestRef[] {
    this.manifestList ??= this.inFileOrder((r) => r.manifests);
    return [...this.manifestList];
  }

  standaloneApps(): StandaloneApp[] {
    return this.manifests().filter((m): m is StandaloneApp => m.kind === 'Application');
  }

  projects(): ManifestRef[] {
    return this.manifests().filter((m) => m.kind === 'AppProject');
  }

  clusterSecrets(): readonly ClusterSecret[] {
    return this.clusterSecretList;
  }

  /** Problems of reading files and evaluating ApplicationSets, sorted by file and position. */
  problems(): Problem[] {
    const out: Problem[] = [...this.tree.problems.values()];
    for (const r of this.files.values()) out.push(...r.problems);
    for (const e of this.evaluations.values()) out.push(...e.problems);
    const seen = new Set<string>();
    for (const issues of this.generatorReadIssues.values()) {
      for (const p of issues) {
        if (seen.has(p.file) || out.some((q) => q.file === p.file && q.rule === p.rule)) continue;
        seen.add(p.file);
        out.push(p);
      }
    }
    return out.sort((a, b) => compare(a.file, b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }

  /** The evaluation of one ApplicationSet. */
  evaluation(key: AppSetKey): AppSetEvaluation | undefined {
    return this.evaluations.get(key);
  }

  /** The YAML document of an ApplicationSet (an AppSetRef or an evaluation's `appset` fits). */
  appSetDocument(key: AppSetKey): YamlDoc | undefined {
    return this.files.get(key.file)?.parsed?.docs.find((d) => d.index === key.docIndex);
  }

  /**
   * The first parameter set of an ApplicationSet, for completion and hover: the first generated
   * Application's; while a template is being typed every Application can fail to render, and
   * then the generators are run once more, without rendering anything.
   */
  firstParams(key: AppSetKey): FirstParams | undefined {
    const evaluation = this.evaluations.get(key);
    const app = evaluation?.apps[0];
    if (evaluation && app) return { params: app.params, match: describeMatch(app.origins), apps: evaluation.apps.length };
    const doc = this.appSetDocument(key);
    const set = doc && firstParameterSet(doc, this.inputs(this.tree, (p) => this.fileParamsOf(p, false)));
    return set && { params: set.params, match: describeMatch(set.origins), apps: 0 };
  }

  /**
   * The ApplicationSets evaluated as if `files` existed (and `planned` ApplicationSets were in
   * the repository), without writing anything or changing the model: only those the new paths
   * could affect are evaluated again, against the model's tree with the paths added (no rescan),
   * so this is cheap enough for every keystroke of a name.
   */
  probe(files: readonly string[], planned: readonly PlannedAppSet[] = []): ProbeResult {
    const tree = new WithFiles(this.tree, files);
    const inputs = this.inputs(tree, (p) => this.fileParamsOf(p, false));
    const newFiles = new Set(files);
    const newDirs = ancestorsOf(files);
    const evaluations: AppSetEvaluation[] = [];
    const newProblems: Problem[] = [];
    const key = (p: Problem) => `${p.file}:${p.rule}:${p.message}`;
    for (const ev of this.appsets()) {
      if (!affects(ev, newFiles, newDirs)) continue;
      const doc = this.appSetDocument(ev.appset);
      if (!doc) continue;
      const next = evaluateAppSet(ev.appset.file, doc, inputs);
      evaluations.push(next);
      const before = new Set(ev.problems.map(key));
      newProblems.push(...next.problems.filter((p) => !before.has(key(p))));
    }
    for (const { file, doc } of planned) {
      const next = evaluateAppSet(file, doc, inputs);
      evaluations.push(next);
      newProblems.push(...next.problems);
    }
    const isNew = (app: GeneratedApp) =>
      app.origins.some((o) => (o.kind === 'directory' && newDirs.has(o.path)) || (o.kind === 'file' && newFiles.has(o.path))) || planned.some((x) => x.file === app.appset.file);
    const newApps = evaluations.flatMap((e) => e.apps.filter(isNew));
    return { evaluations, newApps, newProblems };
  }

  /** The parsed YAML of a file the model classified as Argo CD or cluster Secret. */
  parsedFile(file: string): ParsedYamlFile | undefined {
    return this.files.get(file)?.parsed;
  }

  /**
   * Any file of the repository as `reader` reads it (yaml/readers.ts), kept while its text
   * holds; undefined when it cannot be read. A binary file, or one too large to parse (over
   * MAX_PARSED_BYTES: a 10 MB kustomization would take a minute and gigabytes), has no
   * documents and one problem that says so.
   */
  parsed(file: string, reader: YamlReader): ParsedYamlFile | undefined {
    if (reader === 'argocd-manifest') {
      const own = this.files.get(file)?.parsed;
      if (own) return own;
    }
    const text = this.textOf(file);
    if (text === undefined) {
      // Not UTF-8, too large or unreadable: the reader refuses the file, and says why once.
      const issue = this.readIssue(file);
      return issue ? { docs: [], problems: [issue] } : undefined;
    }
    let byReader = this.parses.get(file);
    const hit = byReader?.get(reader);
    if (hit?.text === text) return hit.parsed;
    const read = CHECKED_READINGS.has(reader) ? checkYamlFile : parseYamlFile;
    const parsed: ParsedYamlFile =
      text.length > MAX_PARSED_BYTES ? { docs: [], problems: [tooLargeProblem(file, text.length)] } : looksBinary(text) ? { docs: [], problems: [binaryFileProblem(file)] } : read(file, text, reader);
    if (!byReader) this.parses.set(file, (byReader = new Map()));
    byReader.set(reader, { text, parsed });
    return parsed;
  }

  /** Files classified as Argo CD manifests or cluster Secrets (parsed or not), sorted. */
  argoFiles(): string[] {
    return [...this.files.entries()]
      .filter(([, r]) => r.role === 'argocd' || r.role === 'clusterSecret')
      .map(([f]) => f)
      .sort(compare);
  }

  /**
   * The files that may set Argo CD's `kustomize.buildOptions`: those whose bytes mention it (a
   * search made while classifying every file) and every kustomization (not read up front; a
   * configMapGenerator literal for argocd-cm can set it), sorted.
   */
  buildOptionFiles(): string[] {
    return [...this.files.entries()]
      .filter(([, r]) => r.mentionsBuildOptions === true || r.role === 'kustomization')
      .map(([f]) => f)
      .sort(compare);
  }

  /** The files whose text may define a Config Management Plugin (a search made while classifying every file), sorted. */
  pluginFiles(): string[] {
    return [...this.files.entries()]
      .filter(([, r]) => r.mentionsPlugins === true)
      .map(([f]) => f)
      .sort(compare);
  }

  /** Whether the model classified a file as an Argo CD manifest or cluster Secret. */
  isArgoFile(file: string): boolean {
    const role = this.files.get(file)?.role;
    return role === 'argocd' || role === 'clusterSecret';
  }

  /** The files the git files generators read in the last evaluations, sorted. */
  generatorFilesRead(): string[] {
    return [...this.fileParams.keys()].sort(compare);
  }

  /** Who reads which file, and which Argo CD files nothing applies (model/reads.ts). */
  reads(): RepositoryReads {
    this.readsCache.reads ??= computeReads(this);
    return this.readsCache.reads;
  }

  /** Which chart each Helm values source is for, and the order helm reads them in (valuesUses.ts). */
  valuesUses(): readonly ValuesUse[] {
    this.readsCache.valuesUses ??= computeValuesUses(this);
    return this.readsCache.valuesUses;
  }

  /**
   * The chart a values use names: from the repository, else the chart cache; never the network.
   * Kept while the chart's files hold.
   */
  chart(request: ChartRequest): Resolved {
    this.chartResolver ??= new ChartResolver(
      {
        readBytes: (rel, max) => this.tree.readBytes(rel, max),
        isFile: (rel) => this.tree.files.has(rel) || this.tree.kindOnDisk(rel) === 'file',
        listOnDisk: (rel) => this.tree.listOnDisk(rel),
        stamp: (dir) => {
          const v = (f: string) => this.contentVersion(dir === '' ? f : `${dir}/${f}`);
          return `${this.structure}:${v('Chart.yaml')}:${v('values.yaml')}:${v('values.schema.json')}:${v('Chart.lock')}`;
        },
      },
      this.options.charts,
    );
    return this.chartResolver.resolve(request);
  }

  /** Which repoURLs name this repository (repositoryIdentity.ts). */
  identity(): RepositoryIdentity {
    this.readsCache.identity ??= computeRepositoryIdentity(this);
    return this.readsCache.identity;
  }

  // ---- updates -------------------------------------------------------------------------

  /** Unsaved editor content for a file (undefined: back to the file on disk). */
  setOverlay(file: string, text: string | undefined): ModelChange {
    return this.update({ overlays: new Map([[file, text]]) });
  }

  /** Applies paths that were created, changed or deleted (files or folders, repository-relative). */
  applyChanges(changedPaths: readonly string[]): ModelChange {
    return this.update({ paths: changedPaths });
  }

  /** The editor buffers the model holds, for a model built again with other options. */
  overlayTexts(): ReadonlyMap<string, string> {
    return new Map(this.overlays);
  }

  /**
   * Applies a batch of changes in one pass: the tree is updated for every path, each touched
   * file is read once, and each ApplicationSet that a touched path can affect is evaluated once,
   * however many paths the batch holds (a branch switch sends thousands). A `.gitignore` change
   * can hide or reveal anything, so it rebuilds.
   */
  update(batch: ModelUpdate): ModelChange {
    const changed = new Set<string>(batch.paths ?? []);
    for (const [file, text] of batch.overlays ?? []) {
      if (text === undefined) this.overlays.delete(file);
      else this.overlays.set(file, text);
      changed.add(file);
    }
    for (const p of changed) if (p === '.gitignore' || p.endsWith('/.gitignore')) return this.rebuild();
    const structureBefore = this.structure;
    // The index says which files Git tracks (`git add -f`, `git rm --cached`). Its events may not
    // arrive (it can live outside the workspace), so one stat per batch checks it.
    if (this.tree.indexChanged()) {
      const tracked = this.tree.refreshPresence();
      if (tracked === 'rebuild') return this.rebuild();
      for (const p of tracked) changed.add(p);
    }
    this.counters.passes++;
    const { added, removed } = this.tree.updateAll(changed);
    if (added.length > 0 || removed.length > 0) this.structure++;
    const touched = new Set<string>([...added, ...removed]);
    // `this.files.has(p)`: an overlay of a file that never existed on disk, just dropped.
    for (const p of changed) if (this.tree.files.has(p) || this.overlays.has(p) || this.files.has(p)) touched.add(p);
    let filesRead = 0;
    let secretsChanged = false;
    /** A file that is (or was) an Argo CD manifest, a kustomization or a chart template. */
    let argoTouched = false;
    /** A file that defines (or defined) a Config Management Plugin whose discover rules may type sources. */
    let pluginsTouched = false;
    const appsetFilesChanged = new Set<string>();
    for (const f of touched) {
      this.fileVersions.set(f, ++this.changes);
      this.fileParams.delete(f);
      this.texts.delete(f);
      this.unreadBytes.delete(f);
      if (!this.tree.files.has(f) && !this.overlays.has(f)) this.parses.delete(f);
      const before = this.files.get(f);
      if (before && before.role !== 'other') argoTouched = true;
      if (before?.mentionsPlugins) pluginsTouched = true;
      if (before?.clusterSecrets.length) secretsChanged = true;
      if (before?.manifests.some((m) => m.kind === 'ApplicationSet')) appsetFilesChanged.add(f);
      this.files.delete(f);
      this.manifestList = undefined;
      if (this.tree.files.has(f) || this.overlayCounts(f)) {
        this.readFile(f);
        filesRead++;
        const after = this.files.get(f);
        if (after && after.role !== 'other') argoTouched = true;
        if (after?.clusterSecrets.length) secretsChanged = true;
        if (after?.manifests.some((m) => m.kind === 'ApplicationSet')) appsetFilesChanged.add(f);
        if (after?.mentionsPlugins) pluginsTouched = true;
      }
    }
    if (secretsChanged) this.refreshClusterSecrets();

    const current = new AppSetMap<true>();
    for (const key of this.appsetKeys()) current.set(key, true);
    for (const key of [...this.evaluations.keys()]) {
      if (!current.has(key)) {
        this.evaluations.delete(key);
        this.generatorReadIssues.delete(key);
      }
    }
    const touchedDirs = ancestorsOf(touched);
    const reevaluate: AppSetKey[] = [];
    for (const key of current.keys()) {
      const ev = this.evaluations.get(key);
      if (!ev || appsetFilesChanged.has(key.file) || (secretsChanged && ev.deps.clusterSecrets) || affects(ev, touched, touchedDirs)) reevaluate.push(key);
    }
    for (const key of reevaluate) this.evaluate(key);
    // Who reads what changes with paths appearing or going, a kustomization or Argo CD file
    // edited, or an ApplicationSet evaluated again; editing a values file or a manifest changes
    // what is read, not who reads it, so the common edit keeps reads().
    if (argoTouched || pluginsTouched || reevaluate.length > 0 || structureBefore !== this.structure || touched.has('.git/config')) this.readsCache = {};
    return { reevaluated: reevaluate, filesRead };
  }

  private rebuild(): ModelChange {
    this.load();
    return { reevaluated: [...this.evaluations.keys()], filesRead: this.files.size };
  }

  // ---- internals -----------------------------------------------------------------------

  private appsetKeys(): AppSetKey[] {
    const keys: AppSetKey[] = [];
    for (const [file, r] of this.files) for (const m of r.manifests) if (m.kind === 'ApplicationSet') keys.push({ file, docIndex: m.docIndex });
    return keys;
  }

  /** What the generators read, against `tree` (the model's, or a probe's view over it). */
  private inputs(tree: TreeView, readFileParams: (path: string) => unknown): AppSetInputs {
    return { tree, clusterSecrets: this.clusterSecretList, readFileParams };
  }

  private evaluate(key: AppSetKey): void {
    const doc = this.appSetDocument(key);
    if (!doc) {
      this.evaluations.delete(key);
      this.generatorReadIssues.delete(key);
      return;
    }
    this.counters.evaluations++;
    const issues: Problem[] = [];
    const readFileParams = (p: string): unknown => {
      const value = this.fileParamsOf(p, true);
      const issue = value instanceof Error ? this.generatorFileIssue(p) : undefined;
      if (issue) issues.push(issue);
      return value;
    };
    this.evaluations.set(key, evaluateAppSet(key.file, doc, this.inputs(this.tree, readFileParams)));
    if (issues.length > 0) this.generatorReadIssues.set(key, issues);
    else this.generatorReadIssues.delete(key);
  }

  /**
   * A files generator's file as parameters (an Error saying why it cannot be read). `keep`:
   * remember it until the file changes, for the model's own evaluations; a probe's or an editing
   * query's reads (of planned files, say) leave the model as it was.
   */
  private fileParamsOf(path: string, keep: boolean): unknown {
    if (this.fileParams.has(path)) return this.fileParams.get(path);
    const text = this.textOf(path);
    const issue = text === undefined ? this.readIssue(path) : undefined;
    const reason = issue ? issue.message.charAt(0).toLowerCase() + issue.message.slice(1) : 'the file cannot be read';
    const deep = text === undefined ? undefined : findExcessiveNesting(text);
    const value = text === undefined ? new Error(reason) : deep ? new NestingLimitError(path, deep) : parseFileGeneratorContent(text, (t) => loadYaml(t, 'generator-file'));
    if (keep) this.fileParams.set(path, value);
    return value;
  }

  /** Why a generator could not read `file`: the read issue, or its nesting (said in the file, once). */
  private generatorFileIssue(file: string): Problem | undefined {
    const issue = this.readIssue(file);
    if (issue) return issue;
    const text = this.textOf(file);
    const deep = text === undefined ? undefined : findExcessiveNesting(text);
    return deep ? nestingProblem(file, deep) : undefined;
  }

  /**
   * A file's text as the editor has it (unsaved changes included), else from disk: undefined
   * when it cannot be read, is over MAX_PARSED_BYTES, or is not UTF-8 (readIssue says which).
   */
  textOf(file: string): string | undefined {
    const overlay = this.overlays.get(file);
    if (overlay !== undefined) return overlay;
    const cached = this.texts.get(file);
    if (cached !== undefined) return cached;
    let bytes = this.unreadBytes.get(file);
    if (bytes) this.unreadBytes.delete(file);
    else {
      const read = this.tree.read(file, MAX_PARSED_BYTES);
      if (!read.ok) return undefined;
      bytes = read.bytes;
    }
    const decoded = decodeText(bytes);
    if (!decoded.ok) return undefined;
    if (decoded.text.length <= MAX_CACHED_TEXT) this.texts.set(file, decoded.text);
    return decoded.text;
  }

  /**
   * Why `textOf(file)` gives no text, as the problem a consumer of the file reports: the file is
   * binary (`binary-file`), not valid UTF-8 (`invalid-utf8`, at its first bad byte), too large
   * (`file-too-large`), or cannot be read (`unreadable-path`). Undefined when the text is there
   * or the file is absent.
   */
  readIssue(file: string): Problem | undefined {
    if (this.overlays.has(file)) return undefined;
    const read = this.tree.read(file, MAX_PARSED_BYTES);
    if (!read.ok) {
      if (read.kind === 'missing') return undefined;
      if (read.kind === 'too-large') return tooLargeProblem(file, read.size);
      return this.tree.problems.get(file) ?? { file, range: START_OF_FILE, severity: 'warning', rule: 'unreadable-path', message: `File could not be read: ${read.message}.` };
    }
    // NUL bytes without a UTF-16 byte-order mark: binary data, not text in another encoding.
    if (!hasUtf16Bom(read.bytes) && looksBinary(read.bytes)) return binaryFileProblem(file);
    const decoded = decodeText(read.bytes);
    return decoded.ok ? undefined : invalidUtf8Problem(file, decoded);
  }

  /**
   * Whether an editor buffer counts: for a file of the tree, or a new file Git would have. A
   * buffer of a file Git ignores (or of an excluded folder) adds nothing the CLI would not see.
   */
  private overlayCounts(file: string): boolean {
    return this.overlays.has(file) && (this.tree.files.has(file) || this.tree.wouldHave(file));
  }

  /**
   * Changes whenever a file's content may have changed (a change event, an editor edit), without
   * reading it: rules keep results about a file while it holds, even for files too large for the
   * text cache.
   */
  contentVersion(file: string): number {
    return this.fileVersions.get(file) ?? this.baseVersion;
  }

  /**
   * Changes whenever files appear or disappear (not when one is edited): results that depend on
   * which paths exist, such as resolved kustomization references, can be kept while it holds.
   */
  get structureVersion(): number {
    return this.structure;
  }

  private readFile(file: string): void {
    const base = file.slice(file.lastIndexOf('/') + 1);
    if (!isYamlName(base)) return;
    const record: FileRecord = { role: 'other', problems: [], manifests: [], clusterSecrets: [] };
    this.files.set(file, record);
    // Kustomizations are known by name; the engine reads them only when a feature needs them.
    if (isKustomizationName(base)) {
      record.role = 'kustomization';
      return;
    }
    const overlay = this.overlays.get(file);
    let bytes: Buffer | undefined;
    if (overlay === undefined) {
      // Bounded before reading: a FIFO, a link to /dev/zero or a huge file is never read whole.
      const read = this.tree.read(file, MAX_PARSED_BYTES);
      if (!read.ok) {
        if (read.kind === 'too-large') this.classifyTooLarge(file, base, record, read.size);
        return; // vanished, special or unreadable: the tree reports it
      }
      bytes = read.bytes;
    }
    const utf16 = bytes !== undefined && hasUtf16Bom(bytes);
    if (bytes && !utf16 && looksBinary(bytes)) {
      record.problems.push(binaryFileProblem(file));
      return;
    }
    record.mentionsBuildOptions = utf16 || (bytes ? bytes.indexOf(BUILD_OPTIONS_BYTES) !== -1 : (overlay as string).includes('kustomize.buildOptions'));
    // Each marker holds `cmp` or `ConfigManagementPlugin`: a byte search rules most files out before the text is tested.
    record.mentionsPlugins = utf16 || (bytes ? (bytes.indexOf(CMP_BYTES) !== -1 || bytes.indexOf(CMP_KIND_BYTES) !== -1) && PLUGIN_DEFINITION_MARKER.test(bytes.toString('utf8')) : PLUGIN_DEFINITION_MARKER.test(overlay as string));
    // Most YAML files are Helm values or plain manifests: a byte search rules them out before they
    // are decoded (classifyText says 'other' for any text without `argoproj.io`: both the Argo CD
    // apiVersion and the cluster Secret label hold it).
    if (bytes && !utf16 && bytes.indexOf(ARGOPROJ_BYTES) === -1) {
      // Values files and manifests are read again when a consumer's reading is checked: keep the
      // bytes (decoded then) rather than a second read from disk.
      if (bytes.length <= MAX_CACHED_TEXT) this.unreadBytes.set(file, bytes);
      return;
    }
    let text: string;
    if (overlay !== undefined) text = overlay;
    else {
      const decoded = decodeText(bytes as Buffer);
      if (!decoded.ok) {
        // Classified on a lossy decoding, never parsed: no name from it reaches the engine.
        record.role = classifyText(base, (bytes as Buffer).toString('utf8'));
        if (record.role === 'argocd' || record.role === 'clusterSecret') record.problems.push(invalidUtf8Problem(file, decoded));
        return;
      }
      text = decoded.text;
      // Rules read Argo CD files again (schema checks, suppressions): keep the text read here.
      if (text.length <= MAX_CACHED_TEXT) this.texts.set(file, text);
    }
    record.role = classifyText(base, text);
    if (record.role !== 'argocd' && record.role !== 'clusterSecret') return;
    // A chart template is a Go template, not YAML: what it holds exists only after helm renders
    // the chart (an ApplicationSet a chart installs, say). Say so once; do not parse it.
    const chart = chartOfTemplate(this.tree.files, file);
    if (chart !== undefined) {
      record.role = 'helmTemplate';
      const line = argoManifestLine(text);
      record.problems.push({
        file,
        range: { start: { line, character: 0 }, end: { line, character: 0 } },
        severity: 'info',
        rule: 'helm-template-manifest',
        message: `This Argo CD manifest is a template of the Helm chart ${chart || '(the repository root)'}: it exists only once helm renders the chart, so Home-Ops does not read it or the Applications it would generate.`,
      });
      return;
    }
    if (overlay !== undefined && overlay.length > MAX_PARSED_BYTES) {
      record.problems.push(tooLargeProblem(file, overlay.length));
      return;
    }
    const parsed = parseYamlFile(file, text, 'argocd-manifest');
    record.parsed = parsed;
    record.problems.push(...parsed.problems);
    for (const doc of parsed.docs) {
      const ref = manifestRef(file, doc);
      if (ref) record.manifests.push(ref);
      const secret = readClusterSecret(doc.value, file, doc.line + 1);
      if (secret) record.clusterSecrets.push(secret);
    }
  }

  /** A YAML file over the bound: its head says whether it is an Argo CD file worth a warning. */
  private classifyTooLarge(file: string, base: string, record: FileRecord, size: number | undefined): void {
    const head = this.tree.read(file, CLASSIFY_HEAD_BYTES, { head: true });
    if (!head.ok || head.bytes.indexOf(ARGOPROJ_BYTES) === -1) return;
    record.role = classifyText(base, head.bytes.toString('utf8'));
    if (record.role === 'argocd' || record.role === 'clusterSecret') record.problems.push(tooLargeProblem(file, size));
  }

  private refreshClusterSecrets(): void {
    this.clusterSecretList = this.inFileOrder((r) => r.clusterSecrets);
  }

  /** What `pick` takes from each file record, files in path order (only those with any sorted). */
  private inFileOrder<T>(pick: (r: FileRecord) => readonly T[]): T[] {
    return [...this.files.entries()]
      .filter(([, r]) => pick(r).length > 0)
      .sort(([a], [b]) => compare(a, b))
      .flatMap(([, r]) => pick(r));
  }
}

/**
 * Whether a file (or a folder above one) falls under a pattern the appset's generators used:
 * then the appset is evaluated again. `dirs` holds every folder above every file, computed
 * once per batch rather than once per appset.
 */
function affects(ev: AppSetEvaluation, files: ReadonlySet<string>, dirs: ReadonlySet<string>): boolean {
  if (ev.deps.filePatterns.size > 0) for (const f of files) for (const p of ev.deps.filePatterns) if (gitPathspecMatch(p, f)) return true;
  for (const p of ev.deps.dirPatterns) {
    for (const d of dirs) {
      try {
        if (goPathMatch(p, d)) return true;
      } catch {
        // A malformed pattern matches nothing; its problem is already reported.
      }
    }
  }
  return false;
}

/** Every folder above the paths (the root excluded). */
function ancestorsOf(paths: Iterable<string>): Set<string> {
  const dirs = new Set<string>();
  for (const p of paths) for (let d = parentOf(p); d !== '' && !dirs.has(d); d = parentOf(d)) dirs.add(d);
  return dirs;
}

function manifestRef(file: string, doc: YamlDoc): ManifestRef | StandaloneApp | undefined {
  const v = asRecord(doc.value);
  const kind = v?.['kind'];
  if (!v || !String(v['apiVersion'] ?? '').startsWith('argoproj.io/')) return undefined;
  if (kind !== 'Application' && kind !== 'ApplicationSet' && kind !== 'AppProject') return undefined;
  const meta = asRecord(v['metadata']) ?? {};
  const ns = asString(meta['namespace']);
  const ref: ManifestRef = { kind, name: asString(meta['name']) ?? '', ...(ns !== undefined ? { namespace: ns } : {}), file, line: doc.line + 1, docIndex: doc.index };
  if (kind !== 'Application') return ref;
  const spec = asRecord(v['spec']) ?? {};
  const source = asRecord(spec['source']) ?? asArray(spec['sources']).map(asRecord).find((s) => asString(s?.['path']) !== undefined) ?? {};
  const app: StandaloneApp = { ...ref, kind: 'Application', manifest: v };
  const project = asString(spec['project']);
  const path = asString(source['path']);
  const dns = asString(asRecord(spec['destination'])?.['namespace']);
  if (project !== undefined) app.project = project;
  if (path !== undefined) app.path = path;
  if (dns !== undefined) app.destinationNamespace = dns;
  return app;
}

function tooLargeProblem(file: string, size: number | undefined): Problem {
  const what = size === undefined ? `over ${MAX_PARSED_BYTES / 1024} KiB` : `${Math.round(size / 1024)} KiB`;
  return { file, range: START_OF_FILE, severity: 'warning', rule: 'file-too-large', message: `This file is ${what}; Home-Ops does not read files over ${MAX_PARSED_BYTES / 1024} KiB.` };
}

function invalidUtf8Problem(file: string, decoded: Extract<Decoded, { ok: false }>): Problem {
  const { line, character } = decoded.position;
  return {
    file,
    range: { start: { line, character }, end: { line, character: character + 1 } },
    severity: 'error',
    rule: 'invalid-utf8',
    message: `This file is not valid UTF-8 (line ${line + 1}, column ${character + 1}): kustomize, helm and Argo CD refuse it ("invalid UTF-8 octet"). Save it as UTF-8.`,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
