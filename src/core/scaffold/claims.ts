/**
 * The PersistentVolumeClaims a new app's values claim. Values shaped like the neighbours' keep
 * `existingClaim: <app>` where every neighbour names its own claim; the neighbours create that
 * claim in a manifest their kustomization lists (`pvc.yaml`). Without it the new app's pod stays
 * Pending, so Add App writes the claim too, as most neighbours write theirs: same file name,
 * storage class, size and access modes, and lists it under `resources`.
 */
import { asRecord, asString } from '../generators/spec';
import type { RepositoryModel } from '../model/repositoryModel';
import { dumpYaml, loadAllYaml, loadYaml } from '../yaml/load';
import { header, vote, type Neighbour } from './conventions';

export interface PlannedClaims {
  /** The manifest's file name inside the app folder (as most neighbours name theirs). */
  fileName: string;
  content: string;
  /** What was written and on what basis, for the plan's notes. */
  note: string;
}

interface ClaimShape {
  accessModes?: unknown;
  storageClassName?: string;
  storage?: string;
  volumeMode?: string;
}

/** `existingClaim` values of a values text that are filled in (not `<placeholders>`), in order. */
export function claimedNames(valuesText: string): string[] {
  let value: unknown;
  try {
    value = loadYaml(valuesText, 'helm-values');
  } catch {
    return [];
  }
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    const rec = asRecord(v);
    if (!rec) return;
    for (const [k, x] of Object.entries(rec)) {
      const s = asString(x);
      if (k === 'existingClaim' && s !== undefined && s !== '' && !s.includes('<') && !s.includes('{{')) out.push(s);
      else walk(x);
    }
  };
  walk(value);
  return [...new Set(out)];
}

/** The claims the neighbours list in their kustomizations' resources, one per neighbour (its first). */
function neighbourClaims(model: RepositoryModel, neighbours: readonly Neighbour[]): Array<{ fileName: string; shape: ClaimShape; docStart: boolean }> {
  const out: Array<{ fileName: string; shape: ClaimShape; docStart: boolean }> = [];
  for (const n of neighbours) {
    for (const resource of n.resources) {
      if (resource.includes('/') || !/\.ya?ml$/.test(resource)) continue;
      const text = model.textOf(`${n.dir}/${resource}`);
      if (text === undefined) continue;
      let docs: unknown[];
      try {
        docs = loadAllYaml(text, 'kustomize-resource');
      } catch {
        continue;
      }
      const pvc = docs.map(asRecord).find((d) => d?.['kind'] === 'PersistentVolumeClaim');
      if (!pvc) continue;
      const spec = asRecord(pvc['spec']) ?? {};
      const storage = asString(asRecord(asRecord(spec['resources'])?.['requests'])?.['storage']);
      const shape: ClaimShape = {
        ...(spec['accessModes'] !== undefined ? { accessModes: spec['accessModes'] } : {}),
        ...(asString(spec['storageClassName']) !== undefined ? { storageClassName: asString(spec['storageClassName']) as string } : {}),
        ...(storage !== undefined ? { storage } : {}),
        ...(asString(spec['volumeMode']) !== undefined ? { volumeMode: asString(spec['volumeMode']) as string } : {}),
      };
      out.push({ fileName: resource, shape, docStart: header(text).docStart });
      break;
    }
  }
  return out;
}

/** The claims to write for `names`, or undefined when no neighbour writes a claim manifest to copy. */
export function planClaims(model: RepositoryModel, neighbours: readonly Neighbour[], names: readonly string[]): PlannedClaims | undefined {
  if (names.length === 0) return undefined;
  const found = neighbourClaims(model, neighbours);
  const fileName = vote(found.map((f) => f.fileName));
  const shape = vote(found.map((f) => f.shape));
  if (!fileName || !shape) return undefined;
  const docStart = vote(found.map((f) => f.docStart))?.value ?? false;
  const s = shape.value;
  const docs = names.map((name) =>
    dumpYaml({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name },
      spec: {
        ...(s.accessModes !== undefined ? { accessModes: s.accessModes } : {}),
        ...(s.volumeMode !== undefined ? { volumeMode: s.volumeMode } : {}),
        resources: { requests: { storage: s.storage ?? '1Gi' } },
        ...(s.storageClassName !== undefined ? { storageClassName: s.storageClassName } : {}),
      },
    }),
  );
  const content = docs.map((d, i) => (docStart || i > 0 ? `---\n${d}` : d)).join('');
  const what = [s.storageClassName, s.storage].filter((x) => x !== undefined).join(', ');
  const claims = names.map((n) => `"${n}"`).join(', ');
  return {
    fileName: fileName.value,
    content,
    note: `${fileName.value}: the PersistentVolumeClaim${names.length > 1 ? 's' : ''} ${claims} the values claim, shaped like ${shape.count} of ${found.length} neighbours' (${what}); listed under resources.`,
  };
}
