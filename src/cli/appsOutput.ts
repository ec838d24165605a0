/** What `home-ops apps` prints: a JSON array for tools, an aligned table for people. */
import type { GeneratedApp } from '../core/appset/evaluate';
import type { StandaloneApp } from '../core/model/repositoryModel';

export interface AppJson {
  name: string;
  namespace: string | null;
  project: string | null;
  path: string | null;
  appset: { name: string; file: string; line: number } | null;
  /** For a standalone Application: where it is written. */
  file?: string;
  line?: number;
  generator: string | null;
  /** The directories/files/elements the generator produced this app from. */
  origins: GeneratedApp['origins'];
  /** The directory levels the generator ranged over (`index .path.segments N`). */
  levels: GeneratedApp['levels'];
  destination: { server: string | null; name: string | null };
}

export function appsToJson(generated: readonly GeneratedApp[], standalone: readonly StandaloneApp[]): AppJson[] {
  const out: AppJson[] = generated.map((a) => ({
    name: a.name,
    namespace: a.namespace ?? null,
    project: a.project ?? null,
    path: a.path ?? null,
    appset: { name: a.appset.name, file: a.appset.file, line: a.appset.line },
    generator: a.generator,
    origins: a.origins,
    levels: a.levels,
    destination: { server: a.destinationServer ?? null, name: a.destinationName ?? null },
  }));
  for (const s of standalone) {
    const dest = (s.manifest['spec'] as { destination?: { server?: string; name?: string } } | undefined)?.destination;
    out.push({
      name: s.name,
      namespace: s.destinationNamespace ?? null,
      project: s.project ?? null,
      path: s.path ?? null,
      appset: null,
      file: s.file,
      line: s.line,
      generator: null,
      origins: [],
      levels: [],
      destination: { server: dest?.server ?? null, name: dest?.name ?? null },
    });
  }
  return out;
}

export function formatAppsTable(generated: readonly GeneratedApp[], standalone: readonly StandaloneApp[]): string {
  const rows: string[][] = [['NAME', 'NAMESPACE', 'PROJECT', 'PATH', 'FROM']];
  for (const a of generated) rows.push([a.name, a.namespace ?? '-', a.project ?? '-', a.path ?? '-', `appset ${a.appset.name}`]);
  for (const s of standalone) rows.push([s.name, s.destinationNamespace ?? '-', s.project ?? '-', s.path ?? '-', `${s.file}:${s.line}`]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  '));
  const summary = `${generated.length} generated Application${generated.length === 1 ? '' : 's'}, ${standalone.length} standalone`;
  return `${lines.join('\n')}\n\n${summary}\n`;
}
