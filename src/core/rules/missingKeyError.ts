/**
 * Without `missingkey=error`, a Go template that names a parameter the generator does not give
 * renders `<no value>` into the Application instead of failing: Argo CD's own documentation
 * recommends the option.
 */
import { missingKeyErrorFix } from './fixes';
import { asArray } from '../generators/spec';
import { appSetDocs } from './appsetDocs';
import { defineRule, type QuickFixData } from './types';

export const missingKeyError = defineRule({
  id: 'missingkey-error',
  description: '`goTemplate: true` without `goTemplateOptions: ["missingkey=error"]`: a misspelt parameter renders `<no value>` silently.',
  defaultSeverity: 'info',
  run(ctx) {
    for (const { evaluation, doc, spec } of appSetDocs(ctx)) {
      if (spec['goTemplate'] !== true) continue;
      if (asArray(spec['goTemplateOptions']).includes('missingkey=error')) continue;
      ctx.report({
        file: evaluation.appset.file,
        range: doc.locate(['spec', 'goTemplate']),
        message: 'Add `goTemplateOptions: ["missingkey=error"]` so that a parameter the generator does not produce fails the ApplicationSet instead of rendering `<no value>`.',
        ...withFix(missingKeyErrorFix(evaluation.appset.file, doc, ctx.model.textOf(evaluation.appset.file) ?? '')),
      });
    }
  },
});

function withFix(fix: QuickFixData | undefined): { fixes?: QuickFixData[] } {
  return fix ? { fixes: [fix] } : {};
}
