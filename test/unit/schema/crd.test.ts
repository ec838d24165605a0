import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { JsonPath, ManifestKind, describe as describeNode, locate, schemaFor, SchemaCatalog } from '../../../src/core/schema';
import { CRD_DIR } from './support';
import { requireShared } from '../../support/shared';

type Node = { [key: string]: unknown };

/** Every property path of an upstream openAPIV3Schema; `*` for list items, `{}` for map values. */
function upstreamPaths(node: Node, path: JsonPath, out: Array<[JsonPath, Node]>): Array<[JsonPath, Node]> {
  for (const [k, v] of Object.entries((node.properties ?? {}) as Record<string, Node>)) {
    out.push([[...path, k], v]);
    upstreamPaths(v, [...path, k], out);
  }
  if (node.items && typeof node.items === 'object') upstreamPaths(node.items as Node, [...path, 0], out);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') {
    out.push([[...path, '{}'], node.additionalProperties as Node]);
    upstreamPaths(node.additionalProperties as Node, [...path, '{}'], out);
  }
  return out;
}

/** Upstream checks something below this node (it is not preserve-unknown-fields or a plain scalar). */
function structured(n: Node): boolean {
  return !!(n.properties || n.items || (n.additionalProperties && typeof n.additionalProperties === 'object'));
}

/**
 * Maps upstream declares as map[string]bool but whose only meaningful keys we list (a typo in
 * them is silently ignored by Argo CD, so ours rejects other keys).
 */
const NARROWED_MAPS = [/^spec(\.template\.spec|\.generators\.\d+\.[a-zA-Z]+\.template\.spec|\.generators\.\d+\.[a-zA-Z]+\.generators\.\d+\.[a-zA-Z]+\.template\.spec)?\.(source|sources\.0|sourceHydrator\.drySource)\.kustomize\.patches\.0\.options$/, /^operation\.sync\.(source|sources\.0)\.kustomize\.patches\.0\.options$/];

function check(kind: ManifestKind, file: string): { paths: number; unknown: string[]; free: string[] } {
  const crd = parse(fs.readFileSync(path.join(CRD_DIR, file), 'utf8')) as Node;
  const versions = (crd.spec as Node).versions as Node[];
  const openapi = ((versions[0] as Node).schema as Node).openAPIV3Schema as Node;
  const paths = upstreamPaths(openapi, [], []);
  const catalog = new SchemaCatalog();
  const root = schemaFor(kind);
  const unknown: string[] = [];
  const free: string[] = [];
  for (const [p, upstream] of paths) {
    const asKey = p.map((k) => (k === '{}' ? 'any-key' : k));
    const found = locate(root, root.$id as string, asKey, catalog.documents());
    if (found === 'free') {
      if (p[0] !== 'status' && structured(upstream)) free.push(p.join('.'));
      continue;
    }
    if (found !== undefined) continue;
    const parent = p.slice(0, -1).join('.');
    if (p[p.length - 1] === '{}' && NARROWED_MAPS.some((r) => r.test(parent)) && describeNode(kind, p.slice(0, -1))?.properties) continue;
    // Report the shallowest unknown path only.
    const text = p.join('.');
    if (!unknown.some((u) => text.startsWith(`${u}.`))) unknown.push(text);
  }
  return { paths: paths.length, unknown, free };
}

describe('schemas know every property of the upstream CRDs', function () {
  before(function () {
    requireShared(this, 'our schemas against the upstream Argo CD CRDs', CRD_DIR);
  });

  for (const [kind, file] of [
    ['ApplicationSet', 'applicationset-crd.yaml'],
    ['Application', 'application-crd.yaml'],
    ['AppProject', 'appproject-crd.yaml'],
  ] as Array<[ManifestKind, string]>) {
    it(`${kind} (${file})`, () => {
      const { paths, unknown, free } = check(kind, file);
      assert.ok(paths > 50, `only ${paths} upstream paths read from ${file}`);
      assert.deepEqual(unknown, [], `${unknown.length} upstream properties unknown to our ${kind} schema:\n  ${unknown.join('\n  ')}`);
      // Ours accepts anything only where upstream does (preserve-unknown-fields) or in status;
      // a structured upstream node under a free-form one of ours would be a hole in our checks.
      assert.deepEqual(free.slice(0, 10), [], `upstream structure that our ${kind} schema leaves unchecked`);
    });
  }
});
