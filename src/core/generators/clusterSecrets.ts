/**
 * Cluster Secrets a repository declares (`argocd.argoproj.io/secret-type: cluster`), which the
 * clusters generator reads. A Secret encrypted with SOPS (or any value still `ENC[...]`) cannot
 * be read offline; it is kept as `encrypted` so the generator can say so instead of guessing.
 */
import { asRecord, asString } from './spec';

export interface ClusterSecret {
  file: string;
  line: number;
  secretName: string;
  name?: string;
  server?: string;
  project?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  encrypted: boolean;
}

export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

export function readClusterSecret(doc: unknown, file: string, line: number): ClusterSecret | undefined {
  const d = asRecord(doc);
  if (!d || d['kind'] !== 'Secret') return undefined;
  const meta = asRecord(d['metadata']) ?? {};
  const labels = stringMap(meta['labels']);
  if (labels['argocd.argoproj.io/secret-type'] !== 'cluster') return undefined;
  const encrypted = asRecord(d['sops']) !== undefined;
  const field = (k: string): string | undefined => {
    const plain = asString(asRecord(d['stringData'])?.[k]);
    if (plain !== undefined) return plain;
    const b64 = asString(asRecord(d['data'])?.[k]);
    return b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8');
  };
  const isEnc = (v: string | undefined) => v !== undefined && v.startsWith('ENC[');
  const name = field('name');
  const server = field('server');
  return {
    file,
    line,
    secretName: asString(meta['name']) ?? '',
    name,
    server,
    project: field('project'),
    labels,
    annotations: stringMap(meta['annotations']),
    encrypted: encrypted || isEnc(name) || isEnc(server),
  };
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(asRecord(v) ?? {})) out[k] = String(val);
  return out;
}
