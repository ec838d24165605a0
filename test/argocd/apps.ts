/** Application objects for the API doubles, shaped like what Argo CD serves (argocd-facts.md §2.5). */

export type Application = {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    uid?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }[];
  };
  spec: Record<string, unknown> & { project?: string };
  status?: Record<string, unknown> & {
    sync?: { status?: string; revision?: string; revisions?: string[]; comparedTo?: Record<string, unknown> };
    health?: { status?: string; message?: string };
    operationState?: Record<string, unknown>;
    conditions?: { type: string; message: string; lastTransitionTime?: string }[];
    reconciledAt?: string;
  };
  operation?: Record<string, unknown>;
};

export interface AppInit {
  namespace?: string;
  project?: string;
  sync?: string;
  health?: string;
  healthMessage?: string;
  revision?: string;
  appSet?: string;
  conditions?: { type: string; message: string }[];
}

export const T0 = '2026-01-01T00:00:00Z';

export function makeApp(name: string, init: AppInit = {}): Application {
  const app: Application = {
    metadata: {
      name,
      namespace: init.namespace ?? 'argocd',
      uid: `uid-${name}`,
      // Every stored object has one; the doubles renumber it as they store the app.
      resourceVersion: '1',
      creationTimestamp: T0,
      labels: { 'app.kubernetes.io/instance': name },
    },
    spec: {
      project: init.project ?? 'default',
      source: { repoURL: 'https://github.com/example/home-ops', path: `kubernetes/apps/${name}`, targetRevision: 'HEAD' },
      destination: { server: 'https://kubernetes.default.svc', namespace: name },
    },
    status: {
      sync: {
        status: init.sync ?? 'Synced',
        revision: init.revision ?? 'a1b2c3d4',
        comparedTo: {
          source: { repoURL: 'https://github.com/example/home-ops', path: `kubernetes/apps/${name}`, targetRevision: 'HEAD' },
          destination: { server: 'https://kubernetes.default.svc', namespace: name },
        },
      },
      health: { status: init.health ?? 'Healthy', ...(init.healthMessage ? { message: init.healthMessage } : {}) },
      reconciledAt: T0,
      sourceType: 'Kustomize',
      resources: [{ version: 'v1', kind: 'Service', namespace: name, name, status: 'Synced', health: { status: 'Healthy' } }],
      summary: { images: [`ghcr.io/example/${name}:1.0.0`] },
      conditions: (init.conditions ?? []).map((c) => ({ ...c, lastTransitionTime: T0 })),
    },
  };
  if (app.status?.conditions?.length === 0) delete app.status.conditions;
  if (init.appSet) {
    app.metadata.ownerReferences = [
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', name: init.appSet, uid: `uid-${init.appSet}`, controller: true, blockOwnerDeletion: true },
    ];
  }
  return app;
}

/** A deep copy with some status changed (what a MODIFIED event carries). */
export function withStatus(app: Application, change: { sync?: string; health?: string; healthMessage?: string }): Application {
  const next = structuredClone(app);
  next.status ??= {};
  if (change.sync) next.status.sync = { ...next.status.sync, status: change.sync };
  if (change.health) next.status.health = { status: change.health, ...(change.healthMessage ? { message: change.healthMessage } : {}) };
  return next;
}
