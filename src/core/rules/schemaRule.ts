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

/** A document's schema issues, per `file#index` (and reading), with the text they were found in. */
const ISSUES = new CacheSlot<{ text: string | undefined; issues: ReturnType<typeof validateManifest> }>('schema issues');

function check(ctx: RuleContext, file: string, doc: YamlDoc, isKustomization: boolean, viaKustomize: boolean): void {
  const kind = manifestKindOf(doc.value, isKustomization);
  if (!kind) return;
  // Validation depends on the document alone: keep the issues while the file's text holds.
  const key = `${file}#${doc.index}${viaKustomize ? ':kustomize' : ''}`;
  const text = ctx.model.textOf(file);
  const hit = ctx.store.get(ISSUES, key);
  const issues = hit && hit.text === text ? hit.issues : validateManifest(kind, doc.value);
  if (!hit || hit.text !== text) ctx.store.set(ISSUES, { text, issues }, key);
  for (const issue of issues) {
    const note = viaKustomize ? yaml11Note(doc.value, issue.path) : '';
    ctx.report({ file, range: issue.target === 'key' ? doc.keyRangeOf(issue.path) : doc.rangeOf(issue.path), message: `${issue.message}${note}`, severity: issue.severity });
  }
}

/** Words YAML 1.1 (kubectl, Argo CD) reads as booleans and YAML 1.2 (kustomize's kyaml) as strings. */
const YAML11_BOOLEAN = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** Why a value is a string here although kubectl would read a boolean: kustomize renders the file. */
function yaml11Note(value: unknown, path: ReadonlyArray<string | number>): string {
  let cur = value;
  for (const step of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[String(step)] : undefined;
  if (typeof cur !== 'string' || !YAML11_BOOLEAN.test(cur)) return '';
  return ` A kustomization lists this file, and kustomize reads YAML 1.2: \`${cur}\` stays the string "${cur}" (kubectl alone would read a boolean). Write \`${/^[yYoO]/.test(cur) && !/^(?:off|Off|OFF)$/.test(cur) ? 'true' : 'false'}\`.`;
}

/**
 * A file only kustomize renders (a kustomization lists it; no directory source or bootstrap
 * reads it) reaches the API server as kustomize wrote it: read as kyaml reads it.
 */
function onlyKustomizeReads(ctx: RuleContext, file: string): boolean {
  const readers = ctx.model.reads().readsOf(file).map((r) => r.reader);
  return readers.includes('kustomize-resource') && !readers.includes('argocd-manifest') && !readers.includes('directory-manifest');
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
      const viaKustomize = !kustomizations.has(file) && onlyKustomizeReads(ctx, file);
      const parsed = viaKustomize ? ctx.model.parsed(file, 'kustomize-resource') : ctx.parsed(file);
      if (!parsed) continue;
      if (leaveModelinesToRedHat && modelineSchema(ctx.model.textOf(file) ?? '') !== undefined) continue;
      for (const doc of parsed.docs) check(ctx, file, doc, kustomizations.has(file), viaKustomize);
    }
  },
});
