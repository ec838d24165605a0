/**
 * Clusters generator (Argo CD applicationset/generators/cluster.go), evaluated against the
 * cluster Secrets the repository itself declares. Each matching Secret gives name, server,
 * project and its labels/annotations; the local cluster (`in-cluster`) is added last when the
 * selector is empty and no Secret already points at it. What the repository cannot tell
 * (encrypted Secrets, Secrets kept outside Git) is reported, never guessed.
 */
import { sanitizeName } from '../argocd/names';
import type { GoMap } from '../template';
import type { YamlPath } from '../yaml/parse';
import { IN_CLUSTER_SERVER, type ClusterSecret } from './clusterSecrets';
import { parseSelector } from './selector';
import { applyValues } from './values';
import type { GeneratorContext, GeneratorOutput, ParamSet } from './types';

export function evaluateClusters(spec: Record<string, unknown>, path: YamlPath, ctx: GeneratorContext): GeneratorOutput {
  ctx.deps.clusterSecrets = true;
  const selector = parseSelector(spec['selector'], [...path, 'selector']);
  const secrets = ctx.clusterSecrets;
  const encrypted = secrets.filter((s) => s.encrypted && selector.matches(s.labels));
  if (encrypted.length > 0) {
    const names = encrypted.map((s) => `${s.file}:${s.line}`).join(', ');
    ctx.report(path, 'warning', 'generator-offline', `Cluster Secret${encrypted.length > 1 ? 's' : ''} ${names} ${encrypted.length > 1 ? 'are' : 'is'} encrypted: the clusters ${encrypted.length > 1 ? 'they give are' : 'it gives is'} not listed here.`);
  }
  const usable = secrets.filter((s) => !s.encrypted && selector.matches(s.labels));
  const clusters: Array<{ name: string; server: string; project: string; labels: Record<string, string>; annotations: Record<string, string>; file?: string }> = usable.map((s) => ({
    name: s.name ?? '',
    server: s.server ?? '',
    project: s.project ?? '',
    labels: s.labels,
    annotations: s.annotations,
    file: s.file,
  }));
  if (selector.empty && !secrets.some((s) => s.server === IN_CLUSTER_SERVER)) {
    clusters.push({ name: 'in-cluster', server: IN_CLUSTER_SERVER, project: '', labels: {}, annotations: {} });
  }
  if (secrets.length === 0) {
    ctx.report(path, 'info', 'generator-offline', 'The repository declares no cluster Secrets: only clusters Argo CD knows from its own Secrets exist, and only the local cluster (in-cluster) is assumed here.');
  }
  const toParams = (c: (typeof clusters)[number]): GoMap =>
    ctx.goTemplate
      ? { name: c.name, nameNormalized: sanitizeName(c.name), server: c.server, project: c.project, metadata: { labels: { ...c.labels }, annotations: { ...c.annotations } } }
      : legacyParams(c);
  if (spec['flatList'] === true) {
    const params: GoMap = { clusters: clusters.map(toParams) };
    return { sets: [{ params: applyValues(params, spec['values'], [...path, 'values'], ctx), origins: [] }], description: 'clusters (flat list)' };
  }
  const sets: ParamSet[] = clusters.map((c) => ({
    params: applyValues(toParams(c), spec['values'], [...path, 'values'], ctx),
    origins: [{ kind: 'cluster', name: c.name, server: c.server, ...(c.file ? { secretFile: c.file } : {}) }],
  }));
  return { sets, description: 'clusters' };
}

function legacyParams(c: { name: string; server: string; project: string; labels: Record<string, string>; annotations: Record<string, string> }): GoMap {
  const p: GoMap = { name: c.name, nameNormalized: sanitizeName(c.name), server: c.server, project: c.project };
  for (const [k, v] of Object.entries(c.labels)) p[`metadata.labels.${k}`] = v;
  for (const [k, v] of Object.entries(c.annotations)) p[`metadata.annotations.${k}`] = v;
  return p;
}

export type { ClusterSecret };
