/**
 * Custom resources against their CustomResourceDefinition (src/core/render/crdSchema.ts): what a
 * user sees, where, and — against the API server's own pruning, defaulting and validation (the
 * Go oracle in test/oracle/crdvalidate) — the same verdict, field for field, on the corpora's
 * custom resources of CRDs they hold, a fixture CRD using every modelled keyword, and seeded
 * mutations of both.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RenderCache, renderApp, splitObjects } from '../../../src/core/render';
import { crdSchemaLookup, crdVersionSchemas, customResourceProblems, goPattern } from '../../../src/core/render/crdSchema';
import { crdDocumentsIn } from '../../../src/core/render/namespaceCheck';
import { checkRenderedObjects } from '../../../src/core/render/renderedObjects';
import { loadAllYaml } from '../../../src/core/yaml/load';
import { buildCrdOracle, runCrdOracle, type CrdAnswer, type CrdCase } from '../../oracle/crdvalidate/oracle';
import { corpusDocuments } from '../../support/corpusDocuments';
import { makeRng } from '../../support/fuzzMutate';
import { mutateObject, type Json } from '../../support/objectMutations';
import { CORPUS_ROOT, requireShared, requireTools } from '../../support/shared';
import { realBinaries, tempDir } from './support';

/** A CRD using every keyword the check models, and some it leaves alone (pattern, format, CEL). */
const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.org
spec:
  group: example.org
  names:
    kind: Widget
    plural: widgets
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size, mode]
              properties:
                size: {type: integer, minimum: 1, maximum: 10}
                ratio: {type: number, exclusiveMaximum: true, maximum: 1}
                mode: {type: string, enum: [Fast, Slow], default: Fast}
                name: {type: string, maxLength: 8, minLength: 2, pattern: '^[a-z]+$'}
                port: {x-kubernetes-int-or-string: true}
                note: {type: string, nullable: true}
                tags: {type: array, maxItems: 3, items: {type: string, format: hostname}}
                labels: {type: object, additionalProperties: {type: string}}
                free: {type: object, x-kubernetes-preserve-unknown-fields: true, properties: {known: {type: boolean}}}
                template: {type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}
                rules:
                  type: array
                  items:
                    type: object
                    required: [host]
                    x-kubernetes-validations: [{rule: 'self.host != "x"'}]
                    properties:
                      host: {type: string}
                      weight: {type: integer, default: 1}
`;
const WIDGET = (spec: string) => `apiVersion: example.org/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n${spec}`;
const seen = (yaml: string, crdYaml = WIDGET_CRD) =>
  checkRenderedObjects(splitObjects(`${crdYaml}---\n${yaml}`), [], ['example.org/Widget'], undefined, crdSchemaLookup(() => crdDocumentsIn({ files: ['crd.yaml'], readText: () => crdYaml })))
    .filter((p) => p.object !== 'CustomResourceDefinition/widgets.example.org')
    .map((p) => `${p.fieldLine ?? '-'} ${p.severity} ${p.rule} ${p.object}: ${p.message}`);

describe('rendered objects: custom resources against their CRD', () => {
  it('reports unknown fields, types, enums, bounds and required fields at their lines, as the server words them', () => {
    assert.deepEqual(seen(WIDGET('  size: 12\n  mode: Medium\n  colour: red\n  name: abcdefghij\n  tags: [a, b, c, d]\n  rules:\n    - weight: "2"\n')), [
      '7 error rendered-object-schema Widget/w: unknown field "spec.colour": kubectl validates strictly, so the API server refuses the object ("strict decoding error") and the sync fails.',
      `5 error rendered-object-schema Widget/w: spec.size is 12, more than the maximum 10 ("Invalid value"): the API server refuses the object (its CustomResourceDefinition's schema) and the sync fails.`,
      `6 error rendered-object-schema Widget/w: spec.mode is "Medium", not one of "Fast", "Slow" ("Unsupported value"): the API server refuses the object (its CustomResourceDefinition's schema) and the sync fails.`,
      `8 error rendered-object-schema Widget/w: spec.name has 10 characters, more than 8 ("Too long"): the API server refuses the object (its CustomResourceDefinition's schema) and the sync fails.`,
      `9 error rendered-object-schema Widget/w: spec.tags has 4 items, more than 3 ("Too many"): the API server refuses the object (its CustomResourceDefinition's schema) and the sync fails.`,
      `11 error rendered-object-schema Widget/w: spec.rules[0].host is required ("Required value"): the API server refuses the object (its CustomResourceDefinition's schema) and the sync fails.`,
      `11 error rendered-object-schema Widget/w: spec.rules[0].weight must be of type integer, not string "2" ("Invalid value"): the API server refuses the object (its CustomResourceDefinition's schema) and the sync fails.`,
    ]);
  });

  it('checks patterns as Go runs them (RE2), in linear time whatever the pattern', () => {
    assert.deepEqual(seen(WIDGET('  size: 3\n  name: Abc\n')), [
      `6 error rendered-object-schema Widget/w: spec.name is "Abc", which does not match the pattern '^[a-z]+$' ("Invalid value"): the API server refuses the object (its CustomResourceDefinition's schema) and the sync fails.`,
    ]);
    // Go's syntax, which JavaScript's RegExp reads otherwise or not at all.
    assert.deepEqual(seen(WIDGET('  size: 3\n  name: Abc\n'), WIDGET_CRD.replace("pattern: '^[a-z]+$'", () => "pattern: '(?i)^[[:alpha:]]+\\z'")), []);
    // A pattern a backtracking engine takes exponential time over: answered at once.
    const started = performance.now();
    const slow = seen(WIDGET(`  size: 3\n  name: ${'a'.repeat(7)}\n`), WIDGET_CRD.replace("pattern: '^[a-z]+$'", () => "pattern: '^(a|aa)+$'").replace('maxLength: 8', 'maxLength: 5000'));
    assert.deepEqual(slow, []);
    const long = WIDGET(`  size: 3\n  name: ${'a'.repeat(3000)}!\n`);
    assert.equal(seen(long, WIDGET_CRD.replace("pattern: '^[a-z]+$'", () => "pattern: '^(a|aa)+$'").replace('maxLength: 8', 'maxLength: 5000')).length, 1);
    assert.ok(performance.now() - started < 5_000, 'no catastrophic backtracking');
    assert.equal(goPattern('(unclosed'), undefined, 'a pattern RE2 refuses is not judged');
  });

  it('accepts what the server accepts: defaults fill required fields, nullable nulls, int-or-string, preserved and embedded fields', () => {
    assert.deepEqual(seen(WIDGET('  size: 3\n  port: http\n  note: null\n  ratio: 0.5\n  labels: {a: b}\n  free: {anything: [1, 2], known: true}\n  template: {apiVersion: v1, kind: ConfigMap, metadata: {name: x}, data: {}}\n  rules:\n    - host: a\n')), []);
    assert.deepEqual(seen(WIDGET('  size: 3\n  port: 8080\n')), []);
    // A custom resource whose CRD Home-Ops cannot see is left to the kind check (silence).
    assert.deepEqual(seen('apiVersion: other.example.org/v1\nkind: Gadget\nmetadata:\n  name: g\nspec:\n  anything: 1\n'), []);
  });

  it('leaves a CRD whose schema is not structural alone', () => {
    const loose = WIDGET_CRD.replace('size: {type: integer, minimum: 1, maximum: 10}', 'size: {minimum: 1}');
    assert.equal(crdVersionSchemas(loadAllYaml(loose, 'directory-manifest')[0]).size, 0);
    assert.deepEqual(seen(WIDGET('  size: 99\n  bogus: 1\n'), loose), []);
  });

  it('reads the CRD from the repository when the render does not hold it, and places the problem at the field', async () => {
    const root = tempDir('home-ops-crd-');
    try {
      fs.mkdirSync(path.join(root, 'crds'), { recursive: true });
      fs.mkdirSync(path.join(root, 'apps/w'), { recursive: true });
      fs.writeFileSync(path.join(root, 'crds/widgets.yaml'), WIDGET_CRD);
      fs.writeFileSync(path.join(root, 'apps/w/widget.yaml'), `# a widget\n${WIDGET('  size: 3\n  mode: Medium\n')}`);
      const files = ['crds/widgets.yaml', 'apps/w/widget.yaml'];
      const repo = { files, readText: (f: string) => fs.readFileSync(path.join(root, f), 'utf8') };
      const r = await renderApp({ name: 'w', path: 'apps/w' }, { root, trusted: true, cacheDir: tempDir(), cache: new RenderCache(), binaries: realBinaries(), crdScopes: new Map([['example.org/Widget', true]]), crdSchemas: crdSchemaLookup(() => crdDocumentsIn(repo)) });
      assert.deepEqual(r.objectProblems?.map((p) => [p.rule, p.location?.file, p.location?.line]), [['rendered-object-schema', 'apps/w/widget.yaml', 7]]);
      assert.match(r.manifests.split('\n')[r.objectProblems?.[0]?.line ?? -1] ?? '', /mode: Medium/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

/** The corpora's custom resources whose CRD they hold, each with that CRD document. */
function corpusCases(): Array<{ crd: string; obj: string }> {
  const docs = corpusDocuments();
  const crds = new Map<string, string>();
  for (const d of docs) if (d.value.kind === 'CustomResourceDefinition') for (const gvk of crdVersionSchemas(d.value).keys()) crds.set(gvk, d.text);
  return docs.flatMap((d) => {
    const crd = d.value.kind === 'CustomResourceDefinition' ? undefined : crds.get(`${d.value.apiVersion}/${d.value.kind}`);
    return crd ? [{ crd, obj: d.text }] : [];
  });
}

/** What Home-Ops says of a case, in the oracle's terms: pruned paths, and the fields validation refuses. */
function ours(c: CrdCase): { unknown: string[]; refused: string[] } {
  const schema = crdVersionSchemas(loadAllYaml(c.crd, 'directory-manifest')[0]).get(`${(loadAllYaml(c.obj, 'directory-manifest')[0] as { apiVersion: string }).apiVersion}/${(loadAllYaml(c.obj, 'directory-manifest')[0] as { kind: string }).kind}`);
  const found = schema ? customResourceProblems(loadAllYaml(c.obj, 'directory-manifest')[0], schema) : [];
  return { unknown: found.filter((p) => p.kind === 'unknown-field').map((p) => p.field), refused: [...new Set(found.filter((p) => p.kind !== 'unknown-field').map((p) => p.field))].sort() };
}

/**
 * The server's refusals Home-Ops models: not those of `format`, CEL, the combinators, a
 * `null` left in a list, or `status`.
 */
function modelled(e: CrdAnswer['errors'][number]): boolean {
  if (e.field === 'status' || e.field.startsWith('status.') || e.field.startsWith('status[')) return false;
  return !/Checked value must be of type|in body must be of type (?!integer|number|string|boolean|object|array)\w|Invalid value: "null"|must validate (?:one|all|at least one)|must not validate|in body should be one of/.test(e.detail) || e.type === 'FieldValueNotSupported';
}

describe('rendered objects: custom resources against the API server (test/oracle/crdvalidate)', function () {
  this.timeout(300_000);
  const cases = new Map<string, CrdCase>();
  let answers = new Map<string, CrdAnswer>();
  let corpus = 0;

  before(async function () {
    if (!requireShared(this, 'custom resources against the API server', CORPUS_ROOT)) return;
    if (!requireTools(this, 'custom resources against the API server', 'go')) return;
    const bases: CrdCase[] = [...corpusCases()];
    corpus = bases.length;
    for (const spec of ['  size: 3\n  mode: Slow\n  name: abc\n  port: 80\n  note: hi\n  ratio: 0.25\n  tags: [a]\n  labels: {a: b}\n  free: {x: 1, known: false}\n  template: {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}\n  rules:\n    - host: a\n      weight: 2\n    - host: b\n', '  size: 1\n  rules: []\n']) bases.push({ crd: WIDGET_CRD, obj: WIDGET(spec) });
    const rng = makeRng(20261208);
    bases.forEach((b, i) => {
      cases.set(`base-${i}`, b);
      const value = loadAllYaml(b.obj, 'directory-manifest')[0] as Json;
      for (let m = 0; m < (b.crd === WIDGET_CRD ? 150 : 12); m++) {
        const mutant = mutateObject(value, rng);
        if (mutant) cases.set(`mutant-${i}-${m}`, { crd: b.crd, obj: mutant.text });
      }
    });
    answers = await runCrdOracle(buildCrdOracle(), cases);
  });

  it('gives the server\'s verdict on every case: the same unknown fields and the same refused fields', () => {
    let compared = 0;
    let refused = 0;
    const wrong: string[] = [];
    for (const [id, c] of cases) {
      const go = answers.get(id) as CrdAnswer;
      assert.ok(go, `${id}: no answer from the oracle`);
      if (go.problem || !go.structural) continue;
      compared++;
      const mine = ours(c);
      const theirs = { unknown: [...go.unknown], refused: [...new Set(go.errors.filter(modelled).map((e) => e.field))].sort() };
      const ignored = go.errors.filter((e) => !modelled(e)).map((e) => e.field);
      // Where the server refuses for a reason not modelled, Home-Ops may say nothing of that field, never something else.
      const mineComparable = mine.refused.filter((f) => !ignored.includes(f) || theirs.refused.includes(f));
      if (theirs.unknown.length || theirs.refused.length) refused++;
      if (JSON.stringify(mine.unknown) !== JSON.stringify(theirs.unknown) || JSON.stringify(mineComparable) !== JSON.stringify(theirs.refused)) {
        wrong.push(`${id}: Go ${JSON.stringify(theirs)} (${JSON.stringify(go.errors.map((e) => e.detail)).slice(0, 600)}), Home-Ops ${JSON.stringify(mine)}\n${c.obj}`);
      }
    }
    console.log(`      ${corpus} corpus custom resources, ${cases.size} cases, ${compared} compared, ${refused} refused by the server`);
    assert.ok(corpus >= 40 && compared > 600 && refused > compared / 5, `too few cases (${corpus} corpus, ${compared} compared, ${refused} refused)`);
    assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} of ${compared} cases disagree`);
  });
});
