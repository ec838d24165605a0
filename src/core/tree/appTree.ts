/**
 * The Home-Ops tree, as data: categories → apps, derived from the generators (never from fixed
 * paths), joined with live status when there is any. The VS Code tree provider renders these
 * nodes; everything that decides what the tree shows lives here, testable in plain Node.
 *
 * Categories: an ApplicationSet whose directory pattern has one glob level (`apps/media/*`) is
 * a category of its own; one whose pattern has several (`apps/pitower/*\/*`) gives a category
 * per value of its first glob level (the folder level its template usually names); a pattern
 * without a glob (`apps/openebs`) is a category of one app. Standalone Applications form their
 * own group. With more than one destination cluster, clusters are a level above.
 */
import type { AppStatus } from '../status/types';

export interface TreeApp {
  name: string;
  namespace?: string;
  project?: string;
  path?: string;
  appset?: { name: string; file: string; line: number };
  file?: string;
  line?: number;
  /** The directory pattern that matched the app's folder, when a git directory generator did. */
  pattern?: string;
  /** The file pattern that matched the app's config file, when a git files generator did. */
  filePattern?: string;
  levels: ReadonlyArray<{ index: number; value: string }>;
  /** Destination cluster (name, else server), for repositories with several clusters. */
  cluster?: string;
}

export interface TreeAppSet {
  name: string;
  file: string;
  line: number;
  patterns: readonly string[];
  /** What its generators read, in a line (every generator type), for the category's tooltip. */
  generators?: string;
  /** Why it generates no Application — the problems found in its document — when it generates none. */
  emptyReasons?: ReadonlyArray<{ message: string; line: number; short?: string }>;
}

export type LiveState = 'offline' | 'live' | 'stale';

export type AppPresence = 'repo-only' | 'deployed' | 'not-deployed' | 'not-in-repo';

export interface AppNode {
  kind: 'app';
  id: string;
  name: string;
  /**
   * What tells the app apart within its category: the folder name when the Application's name
   * ends with it, else the name without the category's prefix, else the name (always unique
   * among its siblings). The full name stays in `name`.
   */
  label: string;
  /** The label of the category holding it, if any (a namespace equal to it says nothing new). */
  category?: string;
  app?: TreeApp;
  status?: AppStatus;
  presence: AppPresence;
  /** Status known but not current (disconnected/reconnecting): show it as stale. */
  stale: boolean;
  /**
   * Argo CD's Application of this name belongs to another ApplicationSet (or to none): the
   * repository and the cluster disagree about who owns it.
   */
  ownerMismatch?: { live?: string; repository?: string };
}

export interface CategoryNode {
  kind: 'category';
  id: string;
  label: string;
  /** The generator path (with the category filled in for multi-level patterns). */
  description: string;
  appset?: { name: string; file: string; line: number };
  /** The category folder, when there is one (where Add App writes). */
  folder?: string;
  /** What its ApplicationSet's generators read, in a line. */
  generators?: string;
  /** With the problems-only filter: how many apps it holds unfiltered. */
  total?: number;
  /** Apps, or — for a category without any — notes saying why it has none. */
  children: Array<AppNode | NoteNode>;
}

/** A line of explanation in the tree (why a category is empty), linking to where it is decided. */
export interface NoteNode {
  kind: 'note';
  id: string;
  /** The row's text: the reason itself. */
  message: string;
  /** The whole sentence, for the tooltip. */
  detail?: string;
  file?: string;
  /** 1-based. */
  line?: number;
}

export interface GroupNode {
  kind: 'group';
  id: 'standalone' | 'not-in-repo';
  label: string;
  /** With the problems-only filter: how many apps it holds unfiltered. */
  total?: number;
  children: AppNode[];
}

export interface ClusterNode {
  kind: 'cluster';
  id: string;
  label: string;
  children: Array<CategoryNode | GroupNode>;
}

export type TreeNode = ClusterNode | CategoryNode | GroupNode | AppNode | NoteNode;

/** Nodes that hold others. */
export type ContainerNode = ClusterNode | CategoryNode | GroupNode;

export function isContainer(node: TreeNode): node is ContainerNode {
  return node.kind === 'cluster' || node.kind === 'category' || node.kind === 'group';
}

export interface TreeInput {
  appsets: readonly TreeAppSet[];
  apps: readonly TreeApp[];
  /** Live status by app name; undefined when not connected. */
  status?: ReadonlyMap<string, AppStatus>;
  state: LiveState;
}

function compare(a: string, b: string): number {
  return a.localeCompare(b, 'en');
}

function categoryOf(app: TreeApp): { key: string; label: string; description: string; folder?: string } | undefined {
  if (!app.appset) return undefined;
  const appsetKey = `${app.appset.file}#${app.appset.name}`;
  if (app.levels.length >= 2 && app.path) {
    const first = app.levels[0] as { index: number; value: string };
    const segments = app.path.split('/');
    const folder = segments.slice(0, first.index + 1).join('/');
    const rest = app.pattern ? app.pattern.split('/').slice(first.index + 1) : app.levels.slice(1).map(() => '*');
    return { key: `${appsetKey}#${folder}`, label: first.value, description: [folder, ...rest].join('/'), folder };
  }
  const folder = app.path && app.levels.length === 1 ? app.path.split('/').slice(0, (app.levels[0] as { index: number }).index).join('/') : app.path;
  return { key: appsetKey, label: app.appset.name, description: app.pattern ?? app.filePattern ?? app.path ?? '', ...(folder ? { folder } : {}) };
}

export function buildAppTree(input: TreeInput): TreeNode[] {
  const appsets = new Map(input.appsets.map((a) => [`${a.file}#${a.name}`, a]));
  const connected = input.status !== undefined;
  const stale = input.state === 'stale';
  const seen = new Set<string>();
  const appNode = (app: TreeApp): AppNode => {
    const status = input.status?.get(app.name);
    if (status) seen.add(app.name);
    const repoOwner = app.appset?.name;
    // Joined by name; the owner must agree too (a standalone Application has no appset owner).
    const mismatch = status !== undefined && status.appSet !== repoOwner;
    return {
      kind: 'app',
      id: `app:${app.appset?.file ?? app.file ?? ''}:${app.name}`,
      name: app.name,
      label: app.name,
      app,
      ...(status ? { status } : {}),
      presence: !connected ? 'repo-only' : status ? 'deployed' : 'not-deployed',
      stale: stale && status !== undefined,
      ...(mismatch ? { ownerMismatch: { ...(status.appSet ? { live: status.appSet } : {}), ...(repoOwner ? { repository: repoOwner } : {}) } } : {}),
    };
  };

  const clusters = new Set(input.apps.map((a) => a.cluster ?? ''));
  const byCluster = new Map<string, Array<CategoryNode | GroupNode>>();
  const categories = new Map<string, CategoryNode>();
  const standalone: AppNode[] = [];
  for (const app of input.apps) {
    const cluster = clusters.size > 1 ? (app.cluster ?? '') : '';
    const cat = categoryOf(app);
    if (!cat) {
      standalone.push(appNode(app));
      continue;
    }
    const key = `${cluster}\0${cat.key}`;
    let node = categories.get(key);
    if (!node) {
      const generators = appsets.get(`${app.appset?.file}#${app.appset?.name}`)?.generators;
      node = { kind: 'category', id: `category:${key}`, label: cat.label, description: cat.description, ...(app.appset ? { appset: app.appset } : {}), ...(cat.folder ? { folder: cat.folder } : {}), ...(generators ? { generators } : {}), children: [] };
      categories.set(key, node);
      const list = byCluster.get(cluster) ?? [];
      list.push(node);
      byCluster.set(cluster, list);
    }
    node.children.push(appNode(app));
  }
  // An ApplicationSet that generates nothing is still a category: it is where a first app goes.
  for (const appset of input.appsets) {
    const has = [...categories.values()].some((c) => c.appset?.file === appset.file && c.appset.name === appset.name);
    if (has) continue;
    const id = `category:${appset.file}#${appset.name}`;
    const reasons = appset.emptyReasons?.length ? appset.emptyReasons : [{ message: 'Its generators produce no Application.', line: appset.line }];
    const node: CategoryNode = {
      kind: 'category',
      id,
      label: appset.name,
      description: appset.patterns.join(', '),
      appset: { name: appset.name, file: appset.file, line: appset.line },
      ...(appset.generators ? { generators: appset.generators } : {}),
      children: reasons.map((r, i) => ({ kind: 'note', id: `${id}:why:${i}`, message: r.short ?? r.message, ...(r.short !== undefined && r.short !== r.message ? { detail: r.message } : {}), file: appset.file, line: r.line })),
    };
    const list = byCluster.get('') ?? [];
    list.push(node);
    byCluster.set('', list);
  }
  for (const list of byCluster.values()) {
    for (const c of list) {
      if (c.kind !== 'category') continue;
      const apps = c.children.filter((n): n is AppNode => n.kind === 'app').sort((a, b) => compare(a.name, b.name));
      labelApps(apps, c.label);
      c.children = [...apps, ...c.children.filter((n) => n.kind !== 'app')];
    }
    list.sort((a, b) => compare(a.label, b.label));
  }
  const groups: GroupNode[] = [];
  if (standalone.length > 0) groups.push({ kind: 'group', id: 'standalone', label: 'Applications', children: standalone.sort((a, b) => compare(a.name, b.name)) });
  if (input.status) {
    const orphans: AppNode[] = [...input.status.values()]
      .filter((s) => !seen.has(s.name))
      .map((s) => ({ kind: 'app', id: `live:${s.key}`, name: s.name, label: s.name, status: s, presence: 'not-in-repo', stale }));
    if (orphans.length > 0) groups.push({ kind: 'group', id: 'not-in-repo', label: 'Not in repository', children: orphans.sort((a, b) => compare(a.name, b.name)) });
  }
  if (byCluster.size <= 1) return [...(byCluster.get('') ?? [...byCluster.values()][0] ?? []), ...groups];
  const clusterNodes: ClusterNode[] = [...byCluster.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([cluster, children]) => ({ kind: 'cluster', id: `cluster:${cluster}`, label: cluster || '(no destination)', children }));
  return [...clusterNodes, ...groups];
}

/**
 * Short labels for a category's apps (sorted by name): the folder name when the Application's
 * name ends with it (`pitower-ai-agent-sandbox` in folder `agent-sandbox`), else the name
 * without `<category>-`, else the name; where two would read the same, both keep their names.
 */
function labelApps(apps: AppNode[], category: string): void {
  for (const node of apps) {
    node.category = category;
    const name = node.name;
    const folder = node.app?.path?.split('/').pop();
    if (folder && name !== folder && name.endsWith(`-${folder}`)) node.label = folder;
    else if (name.startsWith(`${category}-`) && name.length > category.length + 1) node.label = name.slice(category.length + 1);
    else node.label = name;
  }
  const count = new Map<string, number>();
  for (const n of apps) count.set(n.label, (count.get(n.label) ?? 0) + 1);
  for (const n of apps) if ((count.get(n.label) ?? 0) > 1) n.label = n.name;
}

/** Whether an app needs attention: the "problems only" filter keeps these. */
export function needsAttention(node: AppNode): boolean {
  if (node.presence === 'not-deployed' || node.presence === 'not-in-repo' || node.stale || node.ownerMismatch) return true;
  const s = node.status;
  if (!s) return false;
  return s.sync !== 'Synced' || s.health !== 'Healthy' || (s.operation !== undefined && s.operation.phase !== 'Succeeded');
}

/** The tree with only apps that need attention (and the containers that hold them, with their unfiltered counts). */
export function problemsOnly(nodes: readonly TreeNode[]): TreeNode[] {
  const out: TreeNode[] = [];
  for (const n of nodes) {
    if (n.kind === 'app') {
      if (needsAttention(n)) out.push(n);
    } else if (n.kind === 'cluster') {
      const children = problemsOnly(n.children) as Array<CategoryNode | GroupNode>;
      if (children.length > 0) out.push({ ...n, children });
    } else if (n.kind === 'category') {
      const apps = n.children.filter((c): c is AppNode => c.kind === 'app');
      const children = apps.filter(needsAttention);
      if (children.length > 0) out.push({ ...n, total: apps.length, children });
    } else if (n.kind === 'group') {
      const children = n.children.filter(needsAttention);
      if (children.length > 0) out.push({ ...n, total: n.children.length, children });
    }
  }
  return out;
}

/** The apps a category or group holds (its notes aside). */
export function appCount(node: CategoryNode | GroupNode): number {
  return node.children.filter((c) => c.kind === 'app').length;
}

export interface StatusSummary {
  apps: number;
  syncedHealthy: number;
  progressing: number;
  degraded: number;
  outOfSync: number;
  missing: number;
  notDeployed: number;
  notInRepo: number;
}

export function summarize(nodes: readonly TreeNode[]): StatusSummary {
  const s: StatusSummary = { apps: 0, syncedHealthy: 0, progressing: 0, degraded: 0, outOfSync: 0, missing: 0, notDeployed: 0, notInRepo: 0 };
  const visit = (n: TreeNode): void => {
    if (n.kind === 'note') return;
    if (n.kind !== 'app') return n.children.forEach(visit);
    s.apps++;
    if (n.presence === 'not-deployed') s.notDeployed++;
    if (n.presence === 'not-in-repo') s.notInRepo++;
    const st = n.status;
    if (!st) return;
    if (st.sync === 'Synced' && st.health === 'Healthy') s.syncedHealthy++;
    if (st.health === 'Progressing') s.progressing++;
    if (st.health === 'Degraded') s.degraded++;
    if (st.health === 'Missing') s.missing++;
    if (st.sync === 'OutOfSync') s.outOfSync++;
  };
  nodes.forEach(visit);
  return s;
}
