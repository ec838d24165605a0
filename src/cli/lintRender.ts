/**
 * `home-ops lint --render`: every app rendered as `home-ops render` renders it (cached by its
 * inputs, several at a time), for what only the rendered manifests show — objects of helmCharts
 * that kustomize ≥ 5.8 leaves outside the kustomization's namespace (`helm-chart-namespace`),
 * objects the API server would refuse or may not serve (`rendered-object-invalid`,
 * `rendered-object-unknown-api`, `rendered-object-schema`: at the field in a plain directory's
 * file, else at the first line of the app's kustomization or Chart.yaml).
 * A render that fails is said in one line on stderr; it is no lint problem: the rules already
 * report what in the files makes kustomize fail, and a registry that is down is no mistake.
 */
import * as os from 'node:os';
import type { RepositoryModel } from '../core/model/repositoryModel';
import type { Problem } from '../core/problems';
import { renderApp, RenderError, type BuildOptionPolicy, type RenderableApp } from '../core/render';
import { cliRenderOptions } from './renderCommand';

export interface RenderLintResult {
  problems: Problem[];
  rendered: number;
  cached: number;
  failed: string[];
  /** Problems of rendered objects with no file to place them in (`app: Kind/name: message`). */
  unplaced: string[];
}

/** How many apps `lint --render` renders at a time: the cores, at most 4. */
export function defaultRenderConcurrency(): number {
  return Math.min(4, Math.max(1, os.availableParallelism?.() ?? os.cpus().length));
}

/** Renders every app with a source folder, `concurrency` at a time (defaultRenderConcurrency). */
export async function renderProblems(model: RepositoryModel, root: string, policy: BuildOptionPolicy, concurrency = defaultRenderConcurrency()): Promise<RenderLintResult> {
  const silent = { out: () => undefined, err: () => undefined };
  // Refused build options are lint's build-option-refused already; not said twice.
  const { options } = cliRenderOptions(model, root, { fallback: '--enable-helm', userOptions: false, policy, timeoutMs: 120_000, useCache: true }, silent);
  const apps: RenderableApp[] = [...model.apps(), ...model.standaloneApps()].filter((a) => a.path !== undefined);
  const result: RenderLintResult = { problems: [], rendered: 0, cached: 0, failed: [], unplaced: [] };
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < apps.length; i = next++) {
      const app = apps[i] as RenderableApp;
      try {
        const r = await renderApp(app, options);
        result.rendered++;
        if (r.cached) result.cached++;
        const w = r.namespaceWarning;
        if (w) {
          result.problems.push({
            file: w.location.file,
            range: { start: { line: w.location.line, character: w.location.column }, end: { line: w.location.line, character: w.location.endColumn } },
            severity: 'warning',
            rule: 'helm-chart-namespace',
            message: `${app.name}: ${w.message}`,
          });
        }
        for (const p of r.objectProblems ?? []) {
          // An app without kustomization or Chart.yaml (a plain folder, a chart from a registry) has no line to carry it: said on stderr.
          if (!p.location) {
            result.unplaced.push(`${app.name}: ${p.object}: ${p.message}`);
            continue;
          }
          const at = p.location;
          result.problems.push({ file: at.file, range: { start: { line: at.line, character: at.column }, end: { line: at.line, character: at.endColumn } }, severity: p.severity, rule: p.rule, message: `${app.name}: ${p.object}: ${p.message}` });
        }
      } catch (e) {
        if (!(e instanceof RenderError)) throw e;
        result.failed.push(`${app.name}: ${e.message.split('\n')[0] ?? ''}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, apps.length) }, worker));
  return result;
}
