/**
 * A loopback double of the few Kubernetes API calls `kubectl get applications.argoproj.io
 * [--watch] -o json` makes (seen with `kubectl --v=8`, kubectl v1.32): `/version`, legacy
 * discovery (`/api`, `/apis`, `/apis/argoproj.io/v1alpha1` — the aggregated-discovery Accept
 * types are answered with plain JSON, which kubectl accepts), the namespaced list, and
 * `?watch=true` as newline-delimited `{"type","object"}` events from a resourceVersion. Plus a
 * generated kubeconfig pointing at it over plain http.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Application } from './apps';
import { Conditions } from '../support/conditions';

interface Event {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Application;
}

export class FakeKubernetes {
  readonly requests: { method: string; path: string; query: URLSearchParams }[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly apps = new Map<string, Application>();
  private readonly history: { rv: number; event: Event }[] = [];
  private readonly watchers = new Set<{ res: http.ServerResponse; namespace: string }>();
  private readonly conditions = new Conditions();
  private rv = 1000;
  /** Answer every request with 401. */
  rejectAll = false;
  private port = 0;
  /** Folder holding the kubeconfig and kubectl's cache. */
  readonly dir: string;

  private constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-kube-'));
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  static async start(): Promise<FakeKubernetes> {
    const k = new FakeKubernetes();
    await new Promise<void>((resolve) => k.server.listen(0, '127.0.0.1', () => resolve()));
    k.port = (k.server.address() as AddressInfo).port;
    return k;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  /** Writes a kubeconfig with one context (`test`) and returns its path. */
  writeKubeconfig(): string {
    const file = path.join(this.dir, 'kubeconfig');
    fs.writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: double',
        '  cluster:',
        `    server: ${this.url}`,
        'contexts:',
        '- name: test',
        '  context:',
        '    cluster: double',
        '    user: tester',
        '    namespace: argocd',
        'current-context: test',
        'users:',
        '- name: tester',
        '  user:',
        '    token: kube-double-token',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    return file;
  }

  setApps(apps: Application[]): void {
    this.apps.clear();
    for (const a of apps) {
      const app = this.stamp(a);
      this.apps.set(`${app.metadata.namespace}/${app.metadata.name}`, app);
    }
  }

  emit(type: Event['type'], app: Application): void {
    const obj = this.stamp(app);
    const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
    if (type === 'DELETED') this.apps.delete(key);
    else this.apps.set(key, obj);
    const event = { type, object: obj };
    this.history.push({ rv: this.rv, event });
    for (const w of this.watchers) if (w.namespace === obj.metadata.namespace) w.res.write(`${JSON.stringify(event)}\n`);
  }

  waitFor(predicate: () => boolean): Promise<void> {
    return this.conditions.waitFor(predicate);
  }

  /** Ends every open watch (as an API server does when its watch timeout expires). */
  async stopWatches(): Promise<void> {
    const open = [...this.watchers];
    for (const w of open) w.res.end();
    await this.waitFor(() => [...this.watchers].every((w) => !open.includes(w)));
  }

  async stop(): Promise<void> {
    for (const w of this.watchers) w.res.destroy();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private stamp(a: Application): Application {
    const app = structuredClone(a);
    app.apiVersion = 'argoproj.io/v1alpha1';
    app.kind = 'Application';
    app.metadata.namespace ??= 'argocd';
    app.metadata.resourceVersion = String(++this.rv);
    return app;
  }

  private changed(): void {
    this.conditions.changed();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams });
    this.changed();
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    // client-go sends no bearer token over plain http, so the double authenticates nobody; it can
    // refuse everybody to show how the source reports a 401.
    if (this.rejectAll) {
      return send(401, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
    const p = url.pathname;
    if (p === '/version') {
      return send(200, { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' });
    }
    if (p === '/api') {
      return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${this.port}` }] });
    }
    if (p === '/api/v1') {
      return send(200, { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list', 'watch'], shortNames: ['ns'] }] });
    }
    if (p === '/apis') {
      const gv = { groupVersion: 'argoproj.io/v1alpha1', version: 'v1alpha1' };
      return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'argoproj.io', versions: [gv], preferredVersion: gv }] });
    }
    if (p === '/apis/argoproj.io/v1alpha1') {
      const verbs = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];
      return send(200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: 'argoproj.io/v1alpha1',
        resources: [
          { name: 'applications', singularName: 'application', namespaced: true, kind: 'Application', verbs, shortNames: ['app', 'apps'] },
          { name: 'applicationsets', singularName: 'applicationset', namespaced: true, kind: 'ApplicationSet', verbs, shortNames: ['appset', 'appsets'] },
          { name: 'appprojects', singularName: 'appproject', namespaced: true, kind: 'AppProject', verbs, shortNames: ['appproj', 'appprojs'] },
        ],
      });
    }
    const m = p.match(/^\/apis\/argoproj\.io\/v1alpha1\/namespaces\/([^/]+)\/applications$/);
    if (m && req.method === 'GET') {
      const namespace = m[1]!;
      if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') return this.watch(res, namespace, url);
      const items = [...this.apps.values()].filter((a) => a.metadata.namespace === namespace);
      return send(200, { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationList', metadata: { resourceVersion: String(this.rv) }, items });
    }
    send(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404 });
  }

  private watch(res: http.ServerResponse, namespace: string, url: URL): void {
    const from = Number(url.searchParams.get('resourceVersion') ?? '0') || 0;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    // Kubernetes watch semantics: everything after the given resourceVersion, then live events.
    for (const h of this.history) {
      if (h.rv > from && h.event.object.metadata.namespace === namespace) res.write(`${JSON.stringify(h.event)}\n`);
    }
    const w = { res, namespace };
    this.watchers.add(w);
    res.on('close', () => {
      this.watchers.delete(w);
      this.changed();
    });
    this.changed();
  }
}
