/**
 * An Application whose source `path` names a folder this repository does not have: Argo CD's
 * repo-server fails it with "app path does not exist" (or "app path is not a directory") and
 * the Application shows a ComparisonError. Only sources whose `repoURL` is known to be this
 * repository are checked (repositoryIdentity.ts); for any other, nothing is said.
 *
 * Standalone Applications are reported at their `path`; generated ones at the field of the
 * ApplicationSet that writes it, naming the generator matches it fails for.
 */
import { describeMatch } from '../appset/evaluate';
import { asRecord } from '../generators/spec';
import { deepestExisting, folderPresence, folderSourcesOf, type FolderSource } from './appSources';
import { appSetDocs, templateFieldPath } from './appsetDocs';
import { applicationDeps, memo, memoSlot } from './memo';
import { defineRule, type RuleContext } from './types';

type Report = Parameters<RuleContext['report']>[0];

/** Generator matches named in one message before the rest are counted. */
const MATCHES_NAMED = 3;

/** The last run's reports, while the Applications' inputs hold. */
const MEMO = memoSlot<ReturnType<typeof reports>>('application-path-missing');

export const applicationPathMissing = defineRule({
  id: 'application-path-missing',
  description: "An Application's source path (in this repository) names a folder the repository does not have.",
  defaultSeverity: 'error',
  run(ctx) {
    for (const r of memo(ctx, MEMO, applicationDeps(ctx), () => reports(ctx))) ctx.report(r);
  },
});

function reports(ctx: RuleContext): Report[] {
  const out: Report[] = [];
  const identity = ctx.model.identity();
  for (const app of ctx.model.standaloneApps()) {
    const doc = ctx.model.parsedFile(app.file)?.docs.find((d) => d.index === app.docIndex);
    const spec = asRecord(app.manifest['spec']);
    if (!doc || !spec) continue;
    for (const source of folderSourcesOf(ctx, spec, identity)) {
      const problem = missing(ctx, source);
      if (problem) out.push({ file: app.file, range: doc.locate(['spec', ...source.at, 'path']), message: problem });
    }
  }
  for (const { evaluation, doc, spec } of appSetDocs(ctx)) {
    const byField = new Map<string, { at: ReturnType<typeof templateFieldPath>; problem: string; matches: string[] }>();
    for (const app of evaluation.apps) {
      const appSpec = asRecord(app.manifest['spec']);
      if (!appSpec) continue;
      for (const source of folderSourcesOf(ctx, appSpec, identity)) {
        const problem = missing(ctx, source);
        if (!problem) continue;
        const at = templateFieldPath(spec, ['spec', ...source.at, 'path']);
        const key = `${at.join('.')}\0${problem}`;
        const entry = byField.get(key) ?? { at, problem, matches: [] };
        entry.matches.push(describeMatch(app.origins));
        byField.set(key, entry);
      }
    }
    for (const { at, problem, matches } of byField.values()) {
      const more = matches.length > MATCHES_NAMED ? ` and ${matches.length - MATCHES_NAMED} more` : '';
      out.push({ file: evaluation.appset.file, range: doc.locate(at), message: `For ${matches.slice(0, MATCHES_NAMED).join(', ')}${more}: ${problem}` });
    }
  }
  return out;
}

function missing(ctx: RuleContext, source: FolderSource): string | undefined {
  const tree = ctx.model.tree;
  const presence = folderPresence(tree, source.dir);
  if (presence === 'file') return `"${source.path}" is a file, not a folder: Argo CD fails the Application ("app path is not a directory").`;
  if (presence !== 'missing') return undefined;
  const parent = deepestExisting(tree, source.dir);
  return `"${source.path}" does not exist in this repository${parent ? ` (${parent} does)` : ''}: Argo CD fails the Application ("app path does not exist").`;
}
