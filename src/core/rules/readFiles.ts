/**
 * Problems of the files Argo CD, kustomize and helm read, as each reads them (model/reads.ts):
 * YAML errors and repeated keys in kustomizations, in every file a kustomization lists, in
 * values files, generator files, directory-source manifests and bootstrap manifests; kinds
 * kustomize refuses where they are listed; Argo CD files nothing applies.
 */
import { asRecord, asString } from '../generators/spec';
import type { Problem } from '../problems';
import type { FileRead } from '../model/reads';
import type { ParsedYamlFile } from '../yaml/parse';
import { defineRule, type RuleContext } from './types';

const PARSE_RULES: ReadonlySet<string> = new Set(['yaml-syntax', 'duplicate-key', 'duplicate-key-last-wins']);

/** Whether a problem is about how a file reads (the rules this module reports for every reader). */
export function isReadProblem(p: Problem): boolean {
  return PARSE_RULES.has(p.rule);
}

/**
 * Argo CD reads a plain directory file that does not parse as an error only when it looks like
 * a manifest, or when other documents of it parsed (reposerver `findManifests`); any other YAML
 * there (a stray config) is skipped without a word.
 */
function argoReportsBrokenDirectoryFile(text: string, parsed: ParsedYamlFile): boolean {
  if (parsed.docs.some((d) => d.value !== null)) return true;
  return text.includes('apiVersion:') && text.includes('kind:') && text.includes('metadata:');
}

function problemsOf(ctx: RuleContext, read: FileRead): Problem[] {
  const parsed = ctx.model.parsed(read.file, read.reader);
  if (!parsed) return [];
  if (read.reader === 'directory-manifest' && parsed.problems.some((p) => p.rule === 'yaml-syntax') && !argoReportsBrokenDirectoryFile(ctx.model.textOf(read.file) ?? '', parsed)) {
    return parsed.problems.filter((p) => p.rule !== 'yaml-syntax');
  }
  return parsed.problems;
}

export const yamlSyntax = defineRule({
  id: 'yaml-syntax',
  description: 'A file Argo CD, kustomize or helm reads is not valid YAML (the first error of each document).',
  defaultSeverity: 'error',
  run(ctx) {
    const reads = ctx.model.reads();
    for (const file of reads.files()) {
      // One report per place: several readers of a file see the same syntax error; where one
      // rejects a repeated key and another keeps the last, the rejection is what matters.
      const byPlace = new Map<string, Problem>();
      for (const read of reads.readsOf(file)) {
        for (const p of problemsOf(ctx, read)) {
          const place = `${p.range.start.line}:${p.range.start.character}`;
          const seen = byPlace.get(place);
          if (!seen || (seen.rule === 'duplicate-key-last-wins' && p.rule === 'duplicate-key')) byPlace.set(place, p);
        }
      }
      for (const p of byPlace.values()) ctx.report({ file: p.file, range: p.range, message: p.message, severity: p.severity, rule: p.rule });
    }
  },
});

export const kustomizeComponentMismatch = defineRule({
  id: 'kustomize-component-mismatch',
  description: 'A Component listed under `resources`, or a Kustomization under `components`: kustomize refuses both.',
  defaultSeverity: 'error',
  run(ctx) {
    for (const link of ctx.model.reads().links) {
      const kind = asString(asRecord(ctx.model.parsed(link.target, 'kustomization')?.docs[0]?.value)?.['kind']) ?? 'Kustomization';
      const doc = ctx.model.parsed(link.from, 'kustomization')?.docs[0];
      if (!doc) continue;
      if (link.field === 'components' && kind !== 'Component') {
        ctx.report({ file: link.from, range: doc.locate(link.path), message: `${link.target} is a ${kind}, not a Component: kustomize refuses it under \`components\` ("expected kind 'Component'"). List it under \`resources\`.` });
      } else if (link.field !== 'components' && kind === 'Component') {
        ctx.report({ file: link.from, range: doc.locate(link.path), message: `${link.target} is a Component: kustomize refuses it under \`${link.field}\` ("expected kind != 'Component'"). List it under \`components\`.` });
      }
    }
  },
});

export const kustomizeInvalidResource = defineRule({
  id: 'kustomize-invalid-resource',
  description: 'A file listed under a kustomization\'s `resources` that is not a Kubernetes object (no kind, no metadata.name): kustomize refuses it.',
  defaultSeverity: 'error',
  run(ctx) {
    const reads = ctx.model.reads();
    for (const file of reads.files()) {
      for (const read of reads.readsOf(file)) {
        const field = read.ref?.path[0];
        if (read.reader !== 'kustomize-resource' || (field !== 'resources' && field !== 'bases') || !read.ref) continue;
        const parsed = ctx.model.parsed(file, 'kustomize-resource');
        if (!parsed || parsed.problems.some((p) => p.severity === 'error')) continue;
        for (const doc of parsed.docs) {
          const v = doc.value;
          if (v === null) continue;
          const obj = asRecord(v);
          const kind = asString(obj?.['kind']);
          const name = asString(asRecord(obj?.['metadata'])?.['name']);
          if (obj && (kind === 'List' || (kind && name))) continue;
          const from = ctx.model.parsed(read.ref.file, 'kustomization')?.docs[0];
          if (!obj || (!kind && asRecord(obj['metadata']) === undefined)) {
            // Not an object at all (a values file listed by mistake): the reference is the mistake.
            if (from) ctx.report({ file: read.ref.file, range: from.locate(read.ref.path), message: `${file} is listed under \`${String(field)}\` but holds no Kubernetes object (no kind, no metadata): kustomize fails with "missing Resource metadata". Is it a Helm values file? Those go under helmCharts' valuesFile.` });
            break;
          }
          const missing = !kind ? 'kind' : 'metadata.name';
          ctx.report({ file, range: doc.keyRangeOf(missing === 'kind' ? [] : ['metadata']), message: `This object has no ${missing}: kustomize refuses it ("missing ${missing} in object"), and so every app that lists ${file}.` });
        }
      }
    }
  },
});

export const notApplied = defineRule({
  id: 'not-applied',
  description: 'An Argo CD manifest inside an Application\'s source folder that the source does not render: nothing applies it.',
  defaultSeverity: 'info',
  run(ctx) {
    const reads = ctx.model.reads();
    for (const m of ctx.model.manifests()) {
      const why = reads.whyNotApplied(m.file);
      if (!why) continue;
      const holder = why.sources[0];
      if (!holder) continue;
      const how = holder.type === 'Kustomize' ? 'renders only what its kustomization lists, which does not include this file' : holder.type === 'Directory' ? 'does not read this file (directory recurse/include/exclude)' : holder.type === 'Helm' ? 'renders a Helm chart, which does not include this file' : 'is rendered by a plugin';
      ctx.report({
        file: m.file,
        range: { start: { line: m.line - 1, character: 0 }, end: { line: m.line - 1, character: 0 } },
        message: `Nothing applies this ${m.kind}${m.name ? ` ${m.name}` : ''}: it sits in the source folder ${holder.dir || '(the repository root)'} of ${holder.app}, which ${how}. Argo CD never sees it.`,
      });
    }
  },
});
