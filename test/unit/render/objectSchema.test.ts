/**
 * The field check of rendered objects (src/core/render/objectSchema.ts): what a user sees for
 * each kind of field problem, where, and — against the API server's own decoder (the Go oracle in
 * test/oracle/apidecode) — that it reports exactly the objects the server refuses to decode, on
 * every object of a built-in kind in the seven corpora and on seeded mutations of them.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RenderCache, renderApp, splitObjects } from '../../../src/core/render';
import { KUBERNETES_SCHEMAS } from '../../../src/core/render/kubernetesSchemas.generated';
import { checkRenderedObjects } from '../../../src/core/render/renderedObjects';
import { loadAllYaml } from '../../../src/core/yaml/load';
import { buildDecodeOracle, runDecodeOracle, type DecodeAnswer } from '../../oracle/apidecode/oracle';
import { corpusDocuments } from '../../support/corpusDocuments';
import { makeRng } from '../../support/fuzzMutate';
import { mutateObject, type Json } from '../../support/objectMutations';
import { CORPUS_ROOT, requireShared, requireTools } from '../../support/shared';
import { realBinaries, tempDir } from './support';

const check = (yaml: string, syncOptions?: unknown) => checkRenderedObjects(splitObjects(yaml), [], [], syncOptions);
const seen = (yaml: string, syncOptions?: unknown) => check(yaml, syncOptions).map((p) => `${p.fieldLine ?? '-'} ${p.severity} ${p.rule} ${p.object}: ${p.message}`);

const DEPLOYMENT = (spec: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n${spec}`;
const POD = (container: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n${container}`;

describe('rendered objects: fields against the schema of their kind', () => {
  it('says which value has the wrong type, at its line, as the server refuses it', () => {
    assert.deepEqual(seen(DEPLOYMENT('  replicas: "3"\n  selector: {}\n  template: {}\n')), [
      '5 error rendered-object-schema Deployment/web: spec.replicas must be an integer, not a string ("3"): the API server cannot decode it and the sync fails.',
    ]);
    // YAML 1.1, as Argo CD reads the render: an unquoted `yes` is a boolean, `0755` an octal number.
    assert.deepEqual(seen(POD('      env:\n        - name: DEBUG\n          value: yes\n        - name: MODE\n          value: 0755\n')), [
      '9 error rendered-object-schema Pod/web: spec.containers[0].env[0].value must be a string, not a boolean (true): the API server cannot decode it and the sync fails.',
      '11 error rendered-object-schema Pod/web: spec.containers[0].env[1].value must be a string, not a number (493): the API server cannot decode it and the sync fails.',
    ]);
    assert.deepEqual(seen('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    enabled: true\ndata:\n  port: 8080\n'), [
      '5 error rendered-object-schema ConfigMap/c: metadata.labels.enabled must be a string, not a boolean (true): the API server cannot decode it and the sync fails.',
      '7 error rendered-object-schema ConfigMap/c: data.port must be a string, not a number (8080): the API server cannot decode it and the sync fails.',
    ]);
  });

  it('names an unknown field with the closest one, an error unless Validate=false drops it', () => {
    const yaml = DEPLOYMENT('  replicass: 2\n  selector: {}\n  template:\n    spec:\n      containers:\n        - name: web\n          Image: nginx\n');
    assert.deepEqual(seen(yaml), [
      '5 error rendered-object-schema Deployment/web: unknown field "spec.replicass" (did you mean "replicas"?): kubectl validates strictly, so the API server refuses the object ("strict decoding error") and the sync fails.',
      '11 error rendered-object-schema Deployment/web: unknown field "spec.template.spec.containers[0].Image" (did you mean "image"?): kubectl validates strictly, so the API server refuses the object ("strict decoding error") and the sync fails.',
    ]);
    const dropped = 'with the sync option Validate=false the API server drops it without a word.';
    assert.ok(seen(yaml, ['CreateNamespace=true', 'Validate=false']).every((l) => l.includes(' warning ') && l.endsWith(dropped)));
    const annotated = yaml.replace('  name: web\n', '  name: web\n  annotations:\n    argocd.argoproj.io/sync-options: Prune=false,Validate=false\n');
    assert.ok(seen(annotated).every((l) => l.includes(' warning ') && l.endsWith(dropped)));
  });

  it('reports a required field missing and a quantity that does not parse; null and absent optional fields are fine', () => {
    assert.deepEqual(seen(DEPLOYMENT('  replicas: null\n  template: {}\n')), ['4 error rendered-object-schema Deployment/web: spec.selector is required: the API server refuses the object ("Required value") and the sync fails.']);
    assert.deepEqual(seen(POD('      resources:\n        limits:\n          memory: 512mb\n          cpu: 0.5\n        requests:\n          memory: 1.5Gi\n          cpu: 100m\n')), [
      `9 error rendered-object-schema Pod/web: spec.containers[0].resources.limits.memory is "512mb", which is no quantity (quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'): the API server cannot decode it and the sync fails.`,
    ]);
    assert.deepEqual(seen(POD('      image: null\n      ports:\n        - containerPort: 80\n          protocol: TCP\n')), []);
  });

  it('leaves kinds without a schema to the kind check: custom resources, removed versions', () => {
    assert.deepEqual(seen('apiVersion: example.org/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  anything: [1, 2]\n'), []);
    assert.deepEqual(
      check('apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\nspec:\n  bogus: 1\n').map((p) => p.rule),
      ['rendered-object-unknown-api'],
    );
    assert.equal(KUBERNETES_SCHEMAS.release, 'v1.37.2');
  });

  it('places a field problem at its line in the preview and in the file of a plain directory', async () => {
    const root = tempDir('home-ops-fields-');
    try {
      fs.mkdirSync(path.join(root, 'apps/web'), { recursive: true });
      const file = '# the web app\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n---\n# second\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: "80"\n';
      fs.writeFileSync(path.join(root, 'apps/web/all.yaml'), file);
      const r = await renderApp({ name: 'web', path: 'apps/web' }, { root, trusted: true, cacheDir: tempDir(), cache: new RenderCache(), binaries: realBinaries() });
      assert.equal(r.objectProblems?.length, 1);
      const p = r.objectProblems?.[0];
      assert.equal(p?.rule, 'rendered-object-schema');
      assert.match(r.manifests.split('\n')[p?.line ?? -1] ?? '', /port: "80"/);
      assert.deepEqual(p?.location, { file: 'apps/web/all.yaml', line: 13, column: 0, endColumn: '    - port: "80"'.length });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

/** Every document of a built-in kind with a schema in the corpora's YAML files (chart templates left out). */
function corpusObjects(): string[] {
  return corpusDocuments(2_000_000)
    .filter((d) => typeof d.value.metadata?.name === 'string' && KUBERNETES_SCHEMAS.kinds[`${d.value.apiVersion}/${d.value.kind}`])
    .map((d) => d.text);
}

interface Ours {
  /** A type or quantity problem: the server's decoder would stop. */
  fatal: string[];
  unknown: string[];
  /** Another check decided first (no name after the mutation, …): not comparable. */
  other: boolean;
}

function ours(yaml: string): Ours {
  const found = check(yaml);
  const fields = found.filter((p) => p.rule === 'rendered-object-schema');
  return {
    fatal: fields.filter((p) => !p.message.startsWith('unknown field') && !/ is required: /.test(p.message)).map((p) => p.message),
    unknown: fields.flatMap((p) => /^unknown field "[^"]*"/.exec(p.message)?.[0] ?? []),
    other: found.length > fields.length,
  };
}

function disagreement(o: Ours, go: DecodeAnswer): string | undefined {
  if (!go.known) return 'Go does not know this kind, Home-Ops has a schema for it';
  if (Boolean(go.fatal) !== o.fatal.length > 0) return `decoding: Go ${go.fatal ? `fails (${go.fatal})` : 'decodes it'}, Home-Ops ${o.fatal.length ? `says ${o.fatal[0]}` : 'says nothing'}`;
  if (go.fatal) return undefined;
  const theirs = go.unknown.filter((u) => u.startsWith('unknown field')).sort();
  const mine = [...new Set(o.unknown)].sort();
  return JSON.stringify(theirs) === JSON.stringify(mine) ? undefined : `unknown fields: Go ${JSON.stringify(theirs)}, Home-Ops ${JSON.stringify(mine)}`;
}

describe('rendered objects: fields against the API server decoder (test/oracle/apidecode)', function () {
  this.timeout(300_000);
  const cases = new Map<string, string>();
  let answers = new Map<string, DecodeAnswer>();
  let corpusCount = 0;
  /** Mutants inside a CRD's schema, which Home-Ops does not read: there it must only never say more than the server. */
  const inCrdSchema = new Set<string>();

  before(async function () {
    if (!requireShared(this, 'fields of rendered objects against the API server decoder', CORPUS_ROOT)) return;
    if (!requireTools(this, 'fields of rendered objects against the API server decoder', 'go')) return;
    const objects = corpusObjects();
    corpusCount = objects.length;
    objects.forEach((o, i) => cases.set(`corpus-${i}`, o));
    const rng = makeRng(20261207);
    objects.forEach((o, i) => {
      const base = loadAllYaml(o, 'directory-manifest')[0] as Json;
      for (let m = 0; m < 10; m++) {
        const mutant = mutateObject(base, rng);
        if (!mutant) continue;
        cases.set(`mutant-${i}-${m}`, mutant.text);
        if (mutant.at.includes('openAPIV3Schema')) inCrdSchema.add(`mutant-${i}-${m}`);
      }
    });
    const started = Date.now();
    answers = await runDecodeOracle(buildDecodeOracle(), cases);
    console.log(`      ${corpusCount} corpus objects of built-in kinds, ${cases.size - corpusCount} mutants (Go in ${Date.now() - started} ms)`);
  });

  it('agrees with the server on every object of a built-in kind in the corpora, and those are many', () => {
    assert.ok(corpusCount > 200, `only ${corpusCount} objects of built-in kinds found in the corpora`);
    const wrong = [...cases].filter(([id]) => id.startsWith('corpus-')).flatMap(([id, yaml]) => {
      const go = answers.get(id) as DecodeAnswer;
      const d = disagreement(ours(yaml), go);
      return d ? [`${id}: ${d}\n${yaml.slice(0, 400)}`] : [];
    });
    assert.deepEqual(wrong, []);
  });

  it('refuses exactly what the server refuses to decode, field for field, on seeded mutations', () => {
    let compared = 0;
    let refused = 0;
    const wrong: string[] = [];
    for (const [id, yaml] of cases) {
      if (!id.startsWith('mutant-')) continue;
      const o = ours(yaml);
      if (o.other) continue;
      const go = answers.get(id) as DecodeAnswer;
      compared++;
      if (go.fatal || go.unknown.length) refused++;
      const d = inCrdSchema.has(id) ? (o.fatal.length || o.unknown.length ? 'Home-Ops reports inside a CRD schema' : undefined) : disagreement(o, go);
      if (d) wrong.push(`${id}: ${d}\n${yaml}`);
    }
    console.log(`      ${compared} mutants compared, ${refused} refused by the server, ${[...inCrdSchema].length} inside CRD schemas (checked for false reports only)`);
    assert.ok(compared > 1500 && refused > compared / 4, `too few mutants compared (${compared}) or refused (${refused})`);
    assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} of ${compared} mutants disagree`);
  });
});
