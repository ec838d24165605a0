import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { isKustomizationName } from '../../../src/core/yaml/classify';
import { ManifestKind, SchemaCatalog, manifestKindOf } from '../../../src/core/schema';
import { EXAMPLES, SEED, loadDocuments, yamlFiles } from './support';
import { requireShared } from '../../support/shared';

interface Doc {
  file: string;
  index: number;
  kind: ManifestKind;
  value: unknown;
}

function manifests(root: string): Doc[] {
  const out: Doc[] = [];
  for (const file of yamlFiles(root)) {
    const isK = isKustomizationName(path.basename(file));
    loadDocuments(file).forEach((value, index) => {
      const kind = manifestKindOf(value, isK);
      if (kind) out.push({ file: path.relative(root, file), index, kind, value });
    });
  }
  return out;
}

function validateAll(docs: Doc[], catalog: SchemaCatalog): string[] {
  const problems: string[] = [];
  for (const d of docs) {
    for (const i of catalog.validate(d.kind, d.value)) problems.push(`${d.file}#${d.index} ${i.severity} ${i.path.join('.')}: ${i.message}`);
  }
  return problems;
}

describe('schemas accept real repositories', function () {
  it('every Argo CD manifest and kustomization of the seed corpus', function () {
    requireShared(this, 'our schemas on the seed corpus', SEED);
    const docs = manifests(SEED);
    const kinds = new Set(docs.map((d) => d.kind));
    assert.ok(docs.length >= 90, `only ${docs.length} manifests found`);
    for (const k of ['Application', 'ApplicationSet', 'AppProject', 'Kustomization'] as const) assert.ok(kinds.has(k), `no ${k} in the corpus`);

    const catalog = new SchemaCatalog();
    const t0 = performance.now();
    catalog.warmUp();
    const load = performance.now() - t0;
    const t1 = performance.now();
    const problems = validateAll(docs, catalog);
    const first = performance.now() - t1;
    const t2 = performance.now();
    validateAll(docs, catalog);
    const second = performance.now() - t2;
    process.stdout.write(
      `      (${docs.length} documents: load ${load.toFixed(1)} ms, validate ${first.toFixed(1)} ms cold / ${second.toFixed(1)} ms warm)\n`,
    );
    assert.deepEqual(problems, []);
  });

  it('every Argo CD manifest and kustomization of examples/homelab', () => {
    const docs = manifests(EXAMPLES);
    assert.ok(docs.length >= 10, `only ${docs.length} manifests found`);
    assert.deepEqual(validateAll(docs, new SchemaCatalog()), []);
  });
});
