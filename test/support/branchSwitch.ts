/**
 * A repository of many apps on disk and a branch switch on it: the burst of file events an
 * editor's watcher sends when `git switch` removes and adds thousands of files. Used by the
 * server's burst test, the fuzz suite's LSP burst and the bench (scripts/bench/engineWorker.ts).
 *
 * Layout: `cluster/argocd/<category>.yaml` ApplicationSets (a git directories generator over
 * `cluster/apps/<category>/*`), each app folder holding a kustomization and the files it lists.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeRng } from './fuzzMutate';

export interface BranchRepoShape {
  categories: number;
  appsPerCategory: number;
  /** Files per app folder (a kustomization, a values file, manifests); at least 2. */
  filesPerApp: number;
}

export interface FileEvent {
  rel: string;
  /** As LSP numbers them: 1 created, 2 changed, 3 deleted. */
  type: 1 | 2 | 3;
}

export interface SwitchOptions {
  /** Apps per category the switch removes (and as many it adds under other names). */
  swapPerCategory: number;
  /** Also send one event per folder created or deleted, as most watchers do. */
  folderEvents?: boolean;
  /** Shuffle the events (watchers batch them in no particular order). */
  seed?: number;
  /** With a seed: also repeat about one event in twenty (created, then changed), as some watchers do. */
  repeats?: boolean;
}

const MANIFEST = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  key: value\n`;

function category(c: number): string {
  return `category-${String(c).padStart(2, '0')}`;
}

function appFolder(c: number, a: number, branch: 'main' | 'topic'): string {
  return `cluster/apps/${category(c)}/${branch === 'main' ? 'app' : 'topic'}-${String(a).padStart(3, '0')}`;
}

function fileNames(shape: BranchRepoShape): string[] {
  const manifests = Array.from({ length: shape.filesPerApp - 2 }, (_, i) => `manifest-${String(i).padStart(2, '0')}.yaml`);
  return ['kustomization.yaml', 'values.yaml', ...manifests];
}

function writeApp(root: string, rel: string, shape: BranchRepoShape): string[] {
  const names = fileNames(shape);
  fs.mkdirSync(path.join(root, rel), { recursive: true });
  for (const name of names) {
    const text = name === 'kustomization.yaml' ? `resources:\n${names.slice(2).map((n) => `  - ${n}`).join('\n')}\n` : name === 'values.yaml' ? 'replicas: 1\n' : MANIFEST(name.replace(/\.yaml$/, ''));
    fs.writeFileSync(path.join(root, rel, name), text);
  }
  return names.map((n) => `${rel}/${n}`);
}

/** Writes the repository (on the `main` branch) into `root`, which must be empty or absent. */
export function writeBranchRepo(root: string, shape: BranchRepoShape): void {
  fs.mkdirSync(path.join(root, 'cluster/argocd'), { recursive: true });
  for (let c = 0; c < shape.categories; c++) {
    const name = category(c);
    fs.writeFileSync(
      path.join(root, `cluster/argocd/${name}.yaml`),
      `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: ${name}
  namespace: argocd
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - git:
        repoURL: https://git.example.org/home-ops.git
        revision: main
        directories:
          - path: cluster/apps/${name}/*
  template:
    metadata:
      name: "{{.path.basename}}-${c}"
    spec:
      project: default
      source:
        repoURL: https://git.example.org/home-ops.git
        targetRevision: main
        path: "{{.path.path}}"
      destination:
        server: https://kubernetes.default.svc
        namespace: ${name}
`,
    );
    for (let a = 0; a < shape.appsPerCategory; a++) writeApp(root, appFolder(c, a, 'main'), shape);
  }
}

/**
 * Switches the repository on disk from `main` to `topic` (or back): the first `swapPerCategory`
 * apps of each category are removed and as many others added. Returns the events a watcher sends.
 */
export function switchBranch(root: string, shape: BranchRepoShape, to: 'main' | 'topic', options: SwitchOptions): FileEvent[] {
  const from = to === 'topic' ? 'main' : 'topic';
  const events: FileEvent[] = [];
  for (let c = 0; c < shape.categories; c++) {
    for (let a = 0; a < options.swapPerCategory; a++) {
      const gone = appFolder(c, a, from);
      for (const name of fileNames(shape)) events.push({ rel: `${gone}/${name}`, type: 3 });
      if (options.folderEvents) events.push({ rel: gone, type: 3 });
      fs.rmSync(path.join(root, gone), { recursive: true, force: true });
      const added = appFolder(c, a, to);
      if (options.folderEvents) events.push({ rel: added, type: 1 });
      for (const rel of writeApp(root, added, shape)) events.push({ rel, type: 1 });
    }
  }
  if (options.seed === undefined) return events;
  const rng = makeRng(options.seed);
  const repeated = options.repeats ? events.filter(() => rng.int(20) === 0).map((e) => ({ rel: e.rel, type: e.type === 1 ? (2 as const) : e.type })) : [];
  const all = [...events, ...repeated];
  for (let i = all.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [all[i], all[j]] = [all[j] as FileEvent, all[i] as FileEvent];
  }
  return all;
}
