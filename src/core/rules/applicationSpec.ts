/** Checks on Application specs, written directly or as an ApplicationSet template. */
import { describeMatch } from '../appset/evaluate';
import { asRecord, asString } from '../generators/spec';
import type { YamlDoc, YamlPath } from '../yaml/parse';
import { appSetDocs, templateFieldPath } from './appsetDocs';
import { defineRule, type RuleContext } from './types';

interface SpecSite {
  file: string;
  doc: YamlDoc;
  spec: Record<string, unknown>;
  /** YAML path of the Application spec in the document. */
  at: YamlPath;
}

function applicationSpecs(ctx: RuleContext): SpecSite[] {
  const sites: SpecSite[] = [];
  for (const app of ctx.model.standaloneApps()) {
    const doc = ctx.model.parsedFile(app.file)?.docs.find((d) => d.index === app.docIndex);
    const spec = asRecord(app.manifest['spec']);
    if (doc && spec) sites.push({ file: app.file, doc, spec, at: ['spec'] });
  }
  for (const { evaluation, doc, spec } of appSetDocs(ctx)) {
    const tspec = asRecord(asRecord(spec['template'])?.['spec']);
    if (tspec) sites.push({ file: evaluation.appset.file, doc, spec: tspec, at: ['spec', 'template', 'spec'] });
  }
  return sites;
}

export const sourceAndSources = defineRule({
  id: 'source-and-sources',
  description: 'An Application with both `source` and `sources`: Argo CD uses `sources` and ignores `source`.',
  defaultSeverity: 'error',
  run(ctx) {
    for (const site of applicationSpecs(ctx)) {
      if (site.spec['source'] === undefined || site.spec['sources'] === undefined) continue;
      ctx.report({ file: site.file, range: site.doc.locate([...site.at, 'source']), message: 'Both `source` and `sources` are set; Argo CD ignores `source` when `sources` is present. Keep one.' });
    }
  },
});

/** Argo CD creates the `default` project itself; any other must be declared somewhere. */
const BUILT_IN_PROJECTS = new Set(['default']);

export const unknownProject = defineRule({
  id: 'unknown-project',
  description: 'An Application in a project that no AppProject in the repository defines (checked when the repository defines any).',
  defaultSeverity: 'warning',
  run(ctx) {
    const projects = new Set(ctx.model.projects().map((p) => p.name));
    if (projects.size === 0) return;
    for (const site of applicationSpecs(ctx)) {
      const project = asString(site.spec['project']);
      if (project === undefined || project.includes('{{') || projects.has(project) || BUILT_IN_PROJECTS.has(project)) continue;
      ctx.report({
        file: site.file,
        range: site.doc.locate([...site.at, 'project']),
        message: `No AppProject named "${project}" in the repository (it defines ${[...projects].sort().join(', ')}). If it lives elsewhere, ignore this with \`# home-ops-disable-next-line unknown-project\`.`,
      });
    }
    // A project written as a template: each generated Application's own project (a new
    // category folder whose AppProject was forgotten).
    for (const { evaluation, doc, spec } of appSetDocs(ctx)) {
      const missing = new Map<string, string[]>();
      for (const app of evaluation.apps) {
        if (app.project === undefined || projects.has(app.project) || BUILT_IN_PROJECTS.has(app.project)) continue;
        const written = asString(asRecord(asRecord(spec['template'])?.['spec'])?.['project']);
        if (written !== undefined && !written.includes('{{')) continue; // reported above, once
        missing.set(app.project, [...(missing.get(app.project) ?? []), describeMatch(app.origins)]);
      }
      for (const [project, matches] of missing) {
        ctx.report({
          file: evaluation.appset.file,
          range: doc.locate(templateFieldPath(spec, ['spec', 'project'])),
          message: `For ${matches.slice(0, 3).join(', ')}${matches.length > 3 ? ` and ${matches.length - 3} more` : ''}: the Application's project "${project}" is defined by no AppProject in the repository (it defines ${[...projects].sort().join(', ')}); Argo CD refuses the Application. If it lives elsewhere, ignore this with \`# home-ops-disable-next-line unknown-project\`.`,
        });
      }
    }
  },
});
