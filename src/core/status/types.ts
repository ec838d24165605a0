/**
 * The status of one Argo CD Application as the tree view needs it, read defensively from the
 * Application JSON (Argo CD API or the Kubernetes API serve the same object). Field paths and
 * value sets: Argo CD's pkg/apis/application/v1alpha1/types.go and gitops-engine's health and
 * sync types. Garbage never throws: unknown values become
 * 'Unknown', missing strings stay undefined.
 */

export const SYNC_STATUSES = ['Synced', 'OutOfSync', 'Unknown'] as const;
export type SyncStatusCode = (typeof SYNC_STATUSES)[number];

/** In Argo CD's severity order, best to worst (gitops-engine health.go `healthOrder`). */
export const HEALTH_STATUSES = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'] as const;
export type HealthStatusCode = (typeof HEALTH_STATUSES)[number];

export const OPERATION_PHASES = ['Running', 'Terminating', 'Failed', 'Error', 'Succeeded'] as const;
export type OperationPhase = (typeof OPERATION_PHASES)[number] | 'Unknown';

export interface AppOperation {
  phase: OperationPhase;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
}

export interface AppCondition {
  type: string;
  message: string;
  lastTransitionTime?: string;
}

export interface AppStatus {
  /** `namespace/name`: how Argo CD itself keys applications (the namespace may be empty). */
  key: string;
  name: string;
  namespace: string;
  project?: string;
  sync: SyncStatusCode;
  health: HealthStatusCode;
  healthMessage?: string;
  /** `status.sync.revision` (single source). */
  revision?: string;
  /** `status.sync.revisions` (multi-source). */
  revisions: string[];
  reconciledAt?: string;
  operation?: AppOperation;
  conditions: AppCondition[];
  /** The ApplicationSet that owns the app (`metadata.ownerReferences[kind=ApplicationSet]`). */
  appSet?: string;
  resourceVersion?: string;
}

export interface AppRef {
  key: string;
  name: string;
  namespace: string;
}

export function appKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function oneOf<T extends string>(values: readonly T[], v: unknown, fallback: T): T {
  return typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : fallback;
}

/** Name and namespace of an Application object; undefined when it has no usable name. */
export function appRefOf(raw: unknown): AppRef | undefined {
  const meta = obj(obj(raw)?.['metadata']);
  const name = str(meta?.['name']);
  if (!name) return undefined;
  const namespace = str(meta?.['namespace']) ?? '';
  return { key: appKey(namespace, name), name, namespace };
}

export function resourceVersionOf(raw: unknown): string | undefined {
  const rv = obj(obj(raw)?.['metadata'])?.['resourceVersion'];
  return typeof rv === 'number' ? String(rv) : str(rv);
}

/** Parses an Application; undefined only when it has no name (nothing to key it by). */
export function parseApplication(raw: unknown): AppStatus | undefined {
  const ref = appRefOf(raw);
  if (!ref) return undefined;
  const app = obj(raw) ?? {};
  const meta = obj(app['metadata']) ?? {};
  const spec = obj(app['spec']) ?? {};
  const status = obj(app['status']) ?? {};
  const sync = obj(status['sync']) ?? {};
  const health = obj(status['health']) ?? {};

  const result: AppStatus = {
    ...ref,
    sync: oneOf(SYNC_STATUSES, sync['status'], 'Unknown'),
    health: oneOf(HEALTH_STATUSES, health['status'], 'Unknown'),
    revisions: Array.isArray(sync['revisions']) ? sync['revisions'].filter((r): r is string => typeof r === 'string') : [],
    conditions: [],
  };
  const project = str(spec['project']);
  if (project) result.project = project;
  const healthMessage = str(health['message']);
  if (healthMessage) result.healthMessage = healthMessage;
  const revision = str(sync['revision']);
  if (revision) result.revision = revision;
  const reconciledAt = str(status['reconciledAt']);
  if (reconciledAt) result.reconciledAt = reconciledAt;
  const rv = resourceVersionOf(raw);
  if (rv) result.resourceVersion = rv;

  const op = obj(status['operationState']);
  if (op) {
    const operation: AppOperation = { phase: oneOf<OperationPhase>(OPERATION_PHASES, op['phase'], 'Unknown') };
    const message = str(op['message']);
    if (message) operation.message = message;
    const startedAt = str(op['startedAt']);
    if (startedAt) operation.startedAt = startedAt;
    const finishedAt = str(op['finishedAt']);
    if (finishedAt) operation.finishedAt = finishedAt;
    result.operation = operation;
  }

  if (Array.isArray(status['conditions'])) {
    for (const c of status['conditions']) {
      const cond = obj(c);
      const type = str(cond?.['type']);
      if (!cond || !type) continue;
      const condition: AppCondition = { type, message: typeof cond['message'] === 'string' ? cond['message'] : '' };
      const at = str(cond['lastTransitionTime']);
      if (at) condition.lastTransitionTime = at;
      result.conditions.push(condition);
    }
  }

  if (Array.isArray(meta['ownerReferences'])) {
    for (const o of meta['ownerReferences']) {
      const owner = obj(o);
      if (owner?.['kind'] === 'ApplicationSet' && str(owner['name'])) {
        result.appSet = owner['name'] as string;
        break;
      }
    }
  }
  return result;
}

/** True when two parsed statuses would display the same (resourceVersion ignored). */
export function sameStatus(a: AppStatus, b: AppStatus): boolean {
  const strip = (s: AppStatus) => JSON.stringify({ ...s, resourceVersion: undefined });
  return strip(a) === strip(b);
}
