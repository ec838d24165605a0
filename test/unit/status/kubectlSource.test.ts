import assert from 'node:assert/strict';
import * as path from 'node:path';
import { kubectlSource, KubectlSourceOptions } from '../../../src/core/status/kubectlSource';
import { ConfigError, Unauthorized } from '../../../src/core/status/errors';
import { StatusModel } from '../../../src/core/status/statusModel';
import { makeApp, withStatus } from '../../argocd/apps';
import { FakeKubernetes } from '../../argocd/kube';
import { FakeClock, isState, waitForChange, waitForState, waitForStore } from './helpers';
import { requireTools, toolPath } from '../../support/shared';

describe('status/kubectlSource with the real kubectl against the Kubernetes double', function () {
  let kube: FakeKubernetes;
  let kubeconfig: string;
  let kubectl: string;
  const models: StatusModel[] = [];

  before(function () {
    requireTools(this, 'the kubectl status source against the real kubectl', 'kubectl');
    kubectl = toolPath('kubectl') as string;
  });
  beforeEach(async () => {
    kube = await FakeKubernetes.start();
    kube.setApps([makeApp('radarr', { appSet: 'media' }), makeApp('sonarr', { appSet: 'media', health: 'Progressing' })]);
    kubeconfig = kube.writeKubeconfig();
  });
  afterEach(async () => {
    for (const m of models.splice(0)) m.dispose();
    await kube.waitFor(() => kube.watcherCount === 0);
    await kube.stop();
  });

  function model(options: Partial<KubectlSourceOptions> = {}, clock = new FakeClock()): StatusModel {
    const source = kubectlSource({
      kubectl,
      kubeconfig,
      context: 'test',
      namespace: 'argocd',
      // Keep kubectl's discovery cache out of the user's home.
      env: { KUBECACHEDIR: path.join(kube.dir, 'cache') },
      ...options,
    });
    const m = new StatusModel(source, { clock, random: () => 0, coalesceMs: 20 });
    models.push(m);
    return m;
  }

  it('lists, then watches: a MODIFIED event changes health; DELETED removes', async () => {
    const m = model();
    m.start();
    await waitForState(m, isState('live'));
    await waitForStore(m, () => m.size === 2);
    assert.equal(m.get('argocd/sonarr')?.health, 'Progressing');
    assert.equal(m.get('argocd/sonarr')?.appSet, 'media');
    assert.equal(m.status.state, 'live');
    await kube.waitFor(() => kube.watcherCount === 1);
    const listCall = kube.requests.find((r) => r.path.endsWith('/applications') && !r.query.has('watch'));
    assert.ok(listCall, 'kubectl listed');

    const change = waitForChange(m, (c) => c.updated.some((a) => a.name === 'sonarr' && a.health === 'Healthy'));
    kube.emit('MODIFIED', withStatus(makeApp('sonarr', { appSet: 'media' }), { health: 'Healthy' }));
    await change;
    assert.equal(m.get('argocd/sonarr')?.health, 'Healthy');

    const removed = waitForChange(m, (c) => c.removed.some((r) => r.name === 'radarr'));
    kube.emit('DELETED', makeApp('radarr'));
    await removed;
    assert.equal(m.size, 1);
  });

  it('kubectl exiting (watch connection dropped) resumes with backoff and re-lists', async () => {
    const clock = new FakeClock();
    const m = model({}, clock);
    m.start();
    await waitForState(m, isState('live'));
    await kube.waitFor(() => kube.watcherCount === 1);
    const s = waitForState(m, isState('reconnecting'));
    kube.emit('ADDED', makeApp('lidarr'));
    await kube.stopWatches();
    assert.equal((await s).stale, true);
    kube.emit('DELETED', makeApp('radarr'));
    clock.advance(clock.pending().at(-1)!);
    await waitForState(m, isState('live'));
    await waitForStore(m, () => m.get('argocd/radarr') === undefined && m.get('argocd/lidarr') !== undefined);
  });

  it('rejected credentials: unauthorized, no retry', async () => {
    kube.rejectAll = true;
    const clock = new FakeClock();
    const m = model({}, clock);
    m.start();
    const s = await waitForState(m, isState('unauthorized', 'error'));
    assert.ok(s.error instanceof Unauthorized, String(s.error));
    assert.deepEqual(clock.pending(), []);
  });

  it('a missing kubectl or context is a configuration error, not a retry loop', async () => {
    const clock = new FakeClock();
    const m1 = model({ kubectl: path.join(kube.dir, 'no-such-kubectl') }, clock);
    m1.start();
    const s1 = await waitForState(m1, isState('error'));
    assert.ok(s1.error instanceof ConfigError);
    assert.match(s1.message ?? '', /not found/);
    const m2 = model({ context: 'nope' }, clock);
    m2.start();
    const s2 = await waitForState(m2, isState('error'));
    assert.match(s2.message ?? '', /nope/);
    assert.deepEqual(clock.pending(), []);
  });

  it('dispose kills kubectl', async () => {
    const m = model();
    m.start();
    await waitForState(m, isState('live'));
    await kube.waitFor(() => kube.watcherCount === 1);
    m.dispose();
    await kube.waitFor(() => kube.watcherCount === 0);
  });
});
