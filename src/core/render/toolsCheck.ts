/**
 * "Which helm and kustomize does the preview use, and which would Argo CD?": the binaries as
 * located (setting, Home-Ops' tools cache, PATH, kubectl), their versions, the Argo CD release the
 * repository installs and the versions that release ships, and the note when they differ. Shared
 * by `home-ops tools` and the editor's "Check Tools" command.
 */
import { argoCdTools, detectArgoCdVersion, toolVersionNote, type ArgoCdTools, type DetectedArgoCd } from '../argocd/toolVersions';
import type { RepoFiles } from '../argocd/source';
import { MissingBinaryError, type Binaries, type BinaryName, type BinarySource } from './binaries';

export interface ToolStatus {
  name: BinaryName;
  /** The command that runs (`/usr/bin/kubectl kustomize` for the fallback); absent when not found. */
  command?: string;
  version?: string;
  via?: BinarySource | 'kubectl';
  /** Why it was not found (or does not run). */
  problem?: string;
}

export interface ToolsReport {
  tools: ToolStatus[];
  argocd?: DetectedArgoCd;
  /** What that Argo CD release ships, when the table knows it. */
  expected?: ArgoCdTools;
  /** The note render gives when local versions differ from Argo CD's. */
  note?: string;
}

export async function checkTools(binaries: Binaries, repo: RepoFiles, apps: Iterable<{ name: string; manifest?: Record<string, unknown> }> = []): Promise<ToolsReport> {
  const tools: ToolStatus[] = [];
  for (const name of ['kustomize', 'helm', 'git'] as const) {
    try {
      const b = await binaries[name]();
      tools.push({ name, command: [b.file, ...b.prefix].join(' '), version: b.version, via: b.prefix.length ? 'kubectl' : b.via });
    } catch (e) {
      tools.push({ name, problem: e instanceof MissingBinaryError ? e.message : String((e as Error)?.message ?? e) });
    }
  }
  const argocd = detectArgoCdVersion(repo, apps);
  const expected = argoCdTools(argocd?.argocd);
  const version = (n: BinaryName) => tools.find((t) => t.name === n)?.version;
  const note = toolVersionNote(argocd, { ...(version('kustomize') ? { kustomize: version('kustomize') } : {}), ...(version('helm') ? { helm: version('helm') } : {}) });
  return { tools, ...(argocd ? { argocd } : {}), ...(expected ? { expected } : {}), ...(note ? { note } : {}) };
}

/** The report as text lines (CLI, the editor's output). */
export function formatToolsReport(r: ToolsReport): string[] {
  const where = { setting: 'from the setting', cache: "from Home-Ops' tools cache", path: 'from PATH', kubectl: 'no kustomize binary found: kubectl kustomize' } as const;
  const lines = r.tools.map((t) => (t.command ? `${t.name}: ${t.version ?? '?'} — ${t.command} (${t.via ? where[t.via] : ''})` : `${t.name}: not found — ${t.problem ?? ''}`));
  if (!r.argocd) lines.push('Argo CD: the repository does not say which version it installs (argo-cd chart, install manifest URL or image tag).');
  else if (!r.expected) lines.push(`Argo CD: ${r.argocd.found} (${r.argocd.origin})${r.argocd.argocd ? `, release ${r.argocd.argocd}` : ''}; which helm and kustomize it ships is not in Home-Ops' table.`);
  else lines.push(`Argo CD ${r.expected.argocd} (${r.argocd.found}, ${r.argocd.origin}) ships ${[r.expected.kustomize ? `kustomize ${r.expected.kustomize}` : '', r.expected.helm ? `helm ${r.expected.helm}` : ''].filter(Boolean).join(' and ')} (${r.expected.source}).`);
  if (r.note) lines.push(`Note: ${r.note}`);
  return lines;
}
