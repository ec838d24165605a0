/**
 * Schema checks with exact ranges, from the project's own schemas (src/core/schema).
 *
 * Red Hat YAML validates a file whose first lines carry a `# yaml-language-server: $schema=…`
 * modeline against that schema; checking the same file against ours would show a user the same
 * mistake twice. So by default ('auto'), where Red Hat YAML runs (the editor says so), such files
 * are left to it — the semantic rules still run — and every other Argo CD or kustomization file
 * gets our schema. Where it does not run (the CLI in CI, an editor without it) 'auto' checks
 * every file: a modeline alone checks nothing. 'always' checks every file, 'never' none.
 */
import { manifestKindOf, validateManifest } from '../schema';
import { CacheSlot } from './cache';
import { kustomizationFiles } from './kustomizationPaths';
import type { YamlDoc } from '../yaml/parse';
import { defineRule, type RuleContext } from './types';

export type SchemaValidationMode = 'auto' | 'always' | 'never';

const MODELINE = /^#\s*yaml-language-server:\s*\$schema=(\S+)/m;

/** The `$schema` a Red Hat YAML modeline names in a document's leading comments, if any. */
export function modelineSchema(text: string): string | undefined {
  return MODELINE.exec(text)?.[1];
}

/** A document's schema issues, per `file#index`, with the text they were found in. */
const ISSUES = new CacheSlot<{ text: string | undefined; issues: ReturnType<typeof validateManifest> }>('schema issues');

function check(ctx: RuleContext, file: string, doc: YamlDoc, isKustomization: boolean): void {
  const kind = manifestKindOf(doc.value, isKustomization);
  if (!kind) return;
  // Validation depends on the document alone: keep the issues while the file's text holds.
  const key = `${file}#${doc.index}`;
  const text = ctx.model.textOf(file);
  const hit = ctx.store.get(ISSUES, key);
  const issues = hit && hit.text === text ? hit.issues : validateManifest(kind, doc.value);
  if (!hit || hit.text !== text) ctx.store.set(ISSUES, { text, issues }, key);
  for (const issue of issues) {
    ctx.report({ file, range: issue.target === 'key' ? doc.keyRangeOf(issue.path) : doc.rangeOf(issue.path), message: issue.message, severity: issue.severity });
  }
}

export const schemaRule = defineRule({
  id: 'schema',
  description: "A field the resource's schema does not allow: unknown field, wrong type or value, missing required field, deprecated field.",
  defaultSeverity: 'error',
  run(ctx) {
    const mode: SchemaValidationMode = ctx.options.schemaValidation ?? 'auto';
    if (mode === 'never') return;
    const leaveModelinesToRedHat = mode === 'auto' && ctx.options.redHatYamlActive === true;
    const kustomizations = new Set(kustomizationFiles(ctx));
    const files = new Set<string>(ctx.model.manifests().map((r) => r.file));
    for (const f of kustomizations) files.add(f);
    for (const file of [...files].sort()) {
      const parsed = ctx.parsed(file);
      if (!parsed) continue;
      if (leaveModelinesToRedHat && modelineSchema(ctx.model.textOf(file) ?? '') !== undefined) continue;
      for (const doc of parsed.docs) check(ctx, file, doc, kustomizations.has(file));
    }
  },
});
