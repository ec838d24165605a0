import assert from 'node:assert/strict';
import { parseApplication } from '../../../src/core/status/types';
import { makeApp } from '../../argocd/apps';

describe('status/types parseApplication', () => {
  it('reads the fields the tree shows', () => {
    const app = makeApp('sonarr', { namespace: 'argocd', appSet: 'media', sync: 'OutOfSync', health: 'Degraded', healthMessage: 'crash loop', conditions: [{ type: 'SyncError', message: 'boom' }] });
    app.metadata.resourceVersion = '42';
    app.status!.operationState = { phase: 'Failed', message: 'one or more objects failed', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:00Z' };
    app.status!.sync!.revisions = ['r1', 'r2'];
    const s = parseApplication(app)!;
    assert.deepEqual(s, {
      key: 'argocd/sonarr',
      name: 'sonarr',
      namespace: 'argocd',
      project: 'default',
      sync: 'OutOfSync',
      health: 'Degraded',
      healthMessage: 'crash loop',
      revision: 'a1b2c3d4',
      revisions: ['r1', 'r2'],
      reconciledAt: '2026-01-01T00:00:00Z',
      operation: { phase: 'Failed', message: 'one or more objects failed', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:00Z' },
      conditions: [{ type: 'SyncError', message: 'boom', lastTransitionTime: '2026-01-01T00:00:00Z' }],
      appSet: 'media',
      resourceVersion: '42',
    });
  });

  it('never throws on garbage; unknown values become Unknown', () => {
    const garbage: unknown[] = [
      null, undefined, 0, 'x', [], {}, { metadata: null }, { metadata: { name: 7 } }, { metadata: { name: '' } },
      { metadata: { name: 'a', namespace: 5, ownerReferences: 'no' }, status: 'bad' },
      { metadata: { name: 'a', ownerReferences: [null, { kind: 'ApplicationSet' }] }, status: { sync: { status: 'Weird', revisions: [1, 'x'] }, health: { status: 3 }, operationState: { phase: 'Exploding' }, conditions: [null, { type: 'T' }, { message: 'no type' }] } },
    ];
    for (const g of garbage) assert.doesNotThrow(() => parseApplication(g));
    assert.equal(parseApplication({ metadata: { name: '' } }), undefined);
    const s = parseApplication(garbage[garbage.length - 1])!;
    assert.equal(s.sync, 'Unknown');
    assert.equal(s.health, 'Unknown');
    assert.deepEqual(s.revisions, ['x']);
    assert.deepEqual(s.operation, { phase: 'Unknown' });
    assert.deepEqual(s.conditions, [{ type: 'T', message: '' }]);
    assert.equal(s.appSet, undefined);
    assert.equal(s.namespace, '');
  });
});
