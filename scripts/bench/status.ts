/**
 * Live-status throughput for `npm run bench`: 1,000 apps, 200 watch events a second for 10 s,
 * through the StatusModel (parsing, applying, coalescing) and the tree (rebuilt on each
 * coalesced change, as the view does). Reports events processed and lost, tree refreshes (and
 * the most in any one second), and CPU time per event.
 */
import { StatusModel, type StatusSource, type WatchSink } from '../../src/core/status/statusModel';
import { buildAppTree, type TreeApp } from '../../src/core/tree/appTree';
import { Coalescer } from '../../src/core/tree/coalescer';
import { makeApp, withStatus } from '../../test/argocd/apps';

export interface StatusBenchResult {
  apps: number;
  eventsSent: number;
  /** Apps whose final status equals the last event sent for them. */
  appsVerified: number;
  lost: number;
  refreshes: number;
  maxRefreshesPerSecond: number;
  cpuMicrosPerEvent: number;
  seconds: number;
}

/**
 * `coalesce: false` is the peer: a view that rebuilds its tree on every event, as a provider
 * without coalescing would.
 */
export async function benchStatus(appCount = 1000, eventsPerSecond = 200, seconds = 10, coalesce = true): Promise<StatusBenchResult> {
  const names = Array.from({ length: appCount }, (_, i) => `app-${String(i).padStart(4, '0')}`);
  const apps = names.map((n) => makeApp(n, { appSet: 'bench', sync: 'Synced', health: 'Healthy' }));
  let sink: WatchSink | undefined;
  let opened!: () => void;
  const open = new Promise<void>((r) => (opened = r));
  const source: StatusSource = {
    description: 'in-process bench source',
    list: async () => ({ items: apps, resourceVersion: '1' }),
    watch: (_rv, s, signal) =>
      new Promise<void>((resolve) => {
        sink = s;
        s.open();
        opened();
        signal.addEventListener('abort', () => resolve());
      }),
  };
  const model = new StatusModel(source, { coalesceMs: coalesce ? 100 : 0 });
  const treeApps: TreeApp[] = names.map((name) => ({ name, appset: { name: 'bench', file: 'appset.yaml', line: 1 }, path: `apps/${name}`, pattern: 'apps/*', levels: [{ index: 1, value: name }] }));
  const refreshTimes: number[] = [];
  const tree = new Coalescer(() => {
    refreshTimes.push(Date.now());
    buildAppTree({ appsets: [{ name: 'bench', file: 'appset.yaml', line: 1, patterns: ['apps/*'] }], apps: treeApps, status: new Map(model.list().map((s) => [s.name, s])), state: 'live' });
  }, 100);
  const sub = model.onDidChange(() => (coalesce ? tree.schedule() : tree.runNow()));
  model.start();
  await open;

  const expected = new Map<string, string>();
  const healths = ['Healthy', 'Progressing', 'Degraded', 'Suspended'];
  const total = eventsPerSecond * seconds;
  const cpuStart = process.cpuUsage();
  const started = Date.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      // Catch up to the schedule: timers fire late on a busy machine.
      const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * eventsPerSecond));
      for (; sent < due; sent++) {
        const name = names[sent % names.length] as string;
        const health = healths[sent % healths.length] as string;
        const base = apps[sent % names.length]!;
        const next = withStatus(base, { health });
        (next.metadata as { resourceVersion?: string }).resourceVersion = String(1000 + sent);
        expected.set(name, health);
        sink!.event('MODIFIED', next);
      }
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  await new Promise((r) => setTimeout(r, 300));
  const cpu = process.cpuUsage(cpuStart);
  let lost = 0;
  for (const [name, health] of expected) if (model.get(`argocd/${name}`)?.health !== health) lost++;
  let maxPerSecond = 0;
  for (let i = 0; i < refreshTimes.length; i++) {
    const inWindow = refreshTimes.filter((t) => t >= (refreshTimes[i] as number) && t < (refreshTimes[i] as number) + 1000).length;
    maxPerSecond = Math.max(maxPerSecond, inWindow);
  }
  sub.dispose();
  tree.dispose();
  model.dispose();
  return {
    apps: appCount,
    eventsSent: sent,
    appsVerified: expected.size - lost,
    lost,
    refreshes: refreshTimes.length,
    maxRefreshesPerSecond: maxPerSecond,
    cpuMicrosPerEvent: (cpu.user + cpu.system) / sent,
    seconds: (Date.now() - started) / 1000,
  };
}
