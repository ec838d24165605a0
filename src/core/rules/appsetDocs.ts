/** Shared walking over ApplicationSet documents for the rules that read their specs. */
import type { AppSetEvaluation } from '../appset/evaluate';
import { asArray, asRecord } from '../generators/spec';
import type { YamlDoc, YamlPath } from '../yaml/parse';
import type { RuleContext } from './types';

export interface AppSetDoc {
  evaluation: AppSetEvaluation;
  doc: YamlDoc;
  spec: Record<string, unknown>;
}

export function appSetDocs(ctx: RuleContext): AppSetDoc[] {
  const out: AppSetDoc[] = [];
  for (const evaluation of ctx.model.appsets()) {
    const doc = ctx.model.appSetDocument(evaluation.appset);
    const spec = asRecord(asRecord(doc?.value)?.['spec']);
    if (doc && spec) out.push({ evaluation, doc, spec });
  }
  return out;
}

/** Every string in the template (spec.template) with its path, for per-field checks. */
export function templateStrings(spec: Record<string, unknown>): Array<{ text: string; path: YamlPath }> {
  const out: Array<{ text: string; path: YamlPath }> = [];
  const walk = (v: unknown, path: YamlPath): void => {
    if (typeof v === 'string') out.push({ text: v, path });
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else {
      const rec = asRecord(v);
      if (rec) for (const [k, x] of Object.entries(rec)) walk(x, [...path, k]);
    }
  };
  walk(spec['template'], ['spec', 'template']);
  return out;
}

/**
 * Where the field at `rel` of the generated Applications (`['spec', 'source', 'path']`) is
 * written: in spec.template, else in a generator's own `template`, else in `templatePatch` (which
 * must have set it), else spec.template itself.
 */
export function templateFieldPath(spec: Record<string, unknown>, rel: YamlPath): YamlPath {
  const has = (root: unknown, path: YamlPath): boolean => {
    let cur = root;
    for (const step of path) {
      cur = typeof step === 'number' ? asArray(cur)[step] : asRecord(cur)?.[step];
      if (cur === undefined) return false;
    }
    return true;
  };
  if (has(spec['template'], rel)) return ['spec', 'template', ...rel];
  const generators = asArray(spec['generators']);
  for (let i = 0; i < generators.length; i++) {
    for (const [kind, g] of Object.entries(asRecord(generators[i]) ?? {})) {
      if (has(asRecord(g)?.['template'], rel)) return ['spec', 'generators', i, kind, 'template', ...rel];
    }
  }
  if (typeof spec['templatePatch'] === 'string') return ['spec', 'templatePatch'];
  return ['spec', 'template'];
}
