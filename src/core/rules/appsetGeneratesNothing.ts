/**
 * An ApplicationSet whose generators produce no parameter set, so Argo CD generates no
 * Application from it, with the reason per generator: a selector that drops everything, every
 * directory or file excluded, an empty list, a clusters selector no declared cluster Secret
 * matches. A generator whose include patterns match nothing is left to generator-path-no-match,
 * which says so at the pattern; one that could not be evaluated is reported by the engine.
 */
import { gitPathspecMatch } from '../glob/gitPathspec';
import { goPathMatch } from '../glob/goPathMatch';
import { matchingDirectories } from '../generators/gitDirectories';
import { parseSelector } from '../generators/selector';
import { asArray, asRecord, asString } from '../generators/spec';
import type { YamlPath } from '../yaml/parse';
import { appSetDocs } from './appsetDocs';
import { applicationDeps, memo, memoSlot } from './memo';
import { defineRule, type RuleContext } from './types';

/** Why a generator gave nothing; `covered` when another rule already says it. */
/** Why a generator produced nothing, and where that is decided (relative to the generator), if not the generator itself. */
type Reason = { text: string; at?: YamlPath } | 'covered' | undefined;

/** The last run's reports, while the Applications' inputs hold. */
const MEMO = memoSlot<ReturnType<typeof reports>>('appset-generates-nothing');

export const appsetGeneratesNothing = defineRule({
  id: 'appset-generates-nothing',
  description: 'An ApplicationSet whose generators produce no Application, with the reason.',
  defaultSeverity: 'warning',
  run(ctx) {
    // Depends on the ApplicationSets (re-evaluated when cluster Secrets change) and the paths.
    for (const r of memo(ctx, MEMO, applicationDeps(ctx), () => reports(ctx))) ctx.report(r);
  },
});

function reports(ctx: RuleContext): Array<Parameters<RuleContext['report']>[0]> {
  const out: Array<Parameters<RuleContext['report']>[0]> = [];
  for (const { evaluation, doc, spec } of appSetDocs(ctx)) {
    const generators = asArray(spec['generators']);
    if (evaluation.apps.length > 0 || !evaluation.complete || generators.length === 0) continue;
    // A generator that failed, or sets that did not become Applications, are reported elsewhere.
    if (evaluation.generators.length !== generators.length || evaluation.generators.some((g) => g.failed || g.sets > 0)) continue;
    generators.forEach((raw, i) => {
      const at: YamlPath = ['spec', 'generators', i];
      const deselected = evaluation.generators[i]?.deselected.length ?? 0;
      const reason: Reason = deselected > 0 ? { text: `a \`selector\` drops every parameter set (${deselected})`, at: ['selector'] } : whyEmpty(ctx, raw);
      if (reason === 'covered') return;
      const kind = Object.keys(asRecord(raw) ?? {}).find((k) => k !== 'selector' && k !== 'template' && k !== 'values');
      out.push({
        file: evaluation.appset.file,
        // At what decides it (a selector) when there is one, else at the generator.
        range: doc.locate(reason?.at ? [...at, ...reason.at] : kind ? [...at, kind] : at),
        message: generatesNothingMessage(reason?.text, evaluation.appset.name),
      });
    });
  }
  return out;
}

function whyEmpty(ctx: RuleContext, raw: unknown): Reason {
  const gen = asRecord(raw) ?? {};
  const git = asRecord(gen['git']);
  if (git) return gitReason(ctx, git);
  const list = asRecord(gen['list']);
  if (list) return asArray(list['elements']).length === 0 ? { text: 'its list has no elements' } : undefined;
  const clusters = asRecord(gen['clusters']);
  if (clusters) return clustersReason(ctx, clusters);
  for (const combinator of ['matrix', 'merge'] as const) {
    const children = asArray(asRecord(gen[combinator])?.['generators']);
    if (children.length === 0) continue;
    // Both give nothing when their first child gives nothing (matrix combines, merge keeps the first's sets).
    const first = whyEmpty(ctx, children[0]);
    if (first === 'covered') return 'covered';
    if (first) return { text: `its first child gives nothing: ${first.text}` };
    return undefined;
  }
  return undefined;
}

function gitReason(ctx: RuleContext, git: Record<string, unknown>): Reason {
  const tree = ctx.model.tree;
  const kind = git['directories'] !== undefined && git['directories'] !== null ? 'directories' : 'files';
  const items = asArray(git[kind]).map(asRecord).filter((i): i is Record<string, unknown> => i !== undefined);
  const patterns = items.map((i) => ({ pattern: asString(i['path']) ?? '', exclude: i['exclude'] === true }));
  if (patterns.some((p) => p.pattern.includes('{{'))) return undefined;
  const includes = patterns.filter((p) => !p.exclude).map((p) => p.pattern);
  const excludes = patterns.filter((p) => p.exclude).map((p) => p.pattern);
  let selected: string[];
  let match: (pattern: string, path: string) => boolean;
  try {
    if (kind === 'directories') {
      selected = [...new Set(includes.flatMap((p) => matchingDirectories(tree, p)))];
      match = goPathMatch;
    } else {
      selected = [...tree.files].filter((f) => includes.some((p) => gitPathspecMatch(p, f)));
      match = gitPathspecMatch;
    }
  } catch {
    return 'covered'; // a malformed pattern: the engine reports it
  }
  // Nothing matched: generator-path-no-match reports each include pattern.
  if (selected.length === 0) return 'covered';
  const safeMatch = (p: string, path: string): boolean => {
    try {
      return match(p, path);
    } catch {
      return false;
    }
  };
  const kept = selected.filter((path) => !excludes.some((x) => safeMatch(x, path)));
  if (kept.length === 0) {
    const noun = kind === 'directories' ? ['directory', 'directories'] : ['file', 'files'];
    const subject = selected.length === 1 ? `the one ${noun[0]} its include patterns match is` : `all ${selected.length} ${noun[1]} its include patterns match are`;
    return { text: `${subject} excluded by its \`exclude: true\` patterns` };
  }
  if (kind === 'files') return { text: `${kept.length === 1 ? 'the file it reads holds' : `the ${kept.length} files it reads hold`} an empty list` };
  return undefined;
}

function clustersReason(ctx: RuleContext, clusters: Record<string, unknown>): Reason {
  const secrets = ctx.model.clusterSecrets();
  // Without cluster Secrets in the repository, Argo CD's clusters are unknown here (the engine says so).
  if (secrets.length === 0 || clusters['selector'] === undefined) return undefined;
  let selector;
  try {
    selector = parseSelector(clusters['selector'], []);
  } catch {
    return 'covered';
  }
  if (secrets.some((s) => selector.matches(s.labels))) return undefined;
  return { text: `its \`selector\` matches none of the ${secrets.length} cluster Secret${secrets.length === 1 ? '' : 's'} the repository declares (a cluster registered with Argo CD outside the repository would still count)`, at: ['clusters', 'selector'] };
}

const LEAD = 'This generator produces no parameter set';

function generatesNothingMessage(reason: string | undefined, appset: string): string {
  return `${LEAD}${reason ? `: ${reason}` : ''}, so ApplicationSet ${appset} generates no Application.`;
}

/**
 * What a row can show of a problem that explains an empty ApplicationSet: for this rule's
 * message, the reason alone (the sentence around it says what the category already shows);
 * any other message as it is (capitalised, as a row starts). Beside the message it reads, so the two cannot drift apart.
 */
export function emptyReasonText(message: string): string {
  const reason = message.startsWith(LEAD) ? message.replace(`${LEAD}: `, '').replace(/, so ApplicationSet \S+ generates no Application\.$/, '') : message;
  return reason.replace(/^./, (c) => c.toUpperCase());
}
