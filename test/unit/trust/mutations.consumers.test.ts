/**
 * The mutation suite's ground truth: for every case whose consumer runs offline, the consumer
 * itself is asked. Each mistake must be refused with the message the case records, each control
 * accepted (and where a case says what is silently lost, the consumer's output must show it).
 * Consumers: kustomize with the repository's build options and the offline helm stub
 * (test/support/helm-stub), helm template for values files, and Argo CD's own reading of plain
 * manifests and generator files (test/oracle/argocdyaml, Go). Skips loudly without them; CI
 * (CI=true) must have them.
 */
import { strict as assert } from 'node:assert';
import { CASES } from './mutations/cases';
import { CONSUMER_TOOLS, verifyConsumers, type Verdict } from './mutations/consumers';
import { isControl } from './mutations/types';
import { corpusPath, requireShared, requireTools } from '../../support/shared';

describe('mutation suite ground truth: kustomize, helm and Argo CD agree with every case', function () {
  this.timeout(600_000);
  let verdicts = new Map<string, Verdict>();

  before(async function () {
    requireShared(this, 'mutation ground truth', ...[...new Set(CASES.map((c) => c.corpus))].map(corpusPath));
    requireTools(this, 'mutation ground truth from kustomize, helm and Argo CD\'s YAML reading', ...CONSUMER_TOOLS);
    verdicts = await verifyConsumers(CASES);
  });


  it('every mistake is refused with the message its case records, every control accepted', () => {
    const disagreements = CASES.filter((c) => c.consumer.tool !== 'none')
      .map((c) => ({ c, v: verdicts.get(c.id) }))
      .filter(({ v }) => !v?.agrees)
      .map(({ c, v }) => `${c.id} (${c.consumer.tool}): ${v?.reason ?? 'not run'}\n    $ ${v?.result.command ?? ''}\n    ${(v?.result.output ?? '').trim().split('\n').slice(0, 3).join('\n    ')}`);
    const verified = CASES.filter((c) => verdicts.get(c.id)?.agrees);
    console.log(`\nmutation ground truth: ${verified.filter((c) => !isControl(c)).length} mistakes and ${verified.filter(isControl).length} controls confirmed by their consumer; ${CASES.filter((c) => c.consumer.tool === 'none').length} cases rest on argocd-facts`);
    assert.deepEqual(disagreements, []);
  });

  it('every control is judged by a consumer that runs, and every case no consumer can run says why', () => {
    assert.deepEqual(
      CASES.filter((c) => isControl(c) && c.consumer.tool === 'none').map((c) => c.id),
      [],
    );
    for (const c of CASES) if (c.consumer.tool === 'none') assert.match(c.consumer.why, /argocd-facts|Argo CD|API server|Kubernetes/, c.id);
  });
});
