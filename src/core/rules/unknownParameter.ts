/**
 * A template that names a parameter its generators do not produce. With `missingkey=error` the
 * engine already reports it as a template error; without it Argo CD renders `<no value>` (Go
 * templates) or leaves `{{name}}` in place (legacy templates), so this rule renders each field
 * once more, strictly, against the first parameter set.
 */
import { friendlyTemplateMessage } from '../appset/evaluate';
import { typoFixData } from '../appset/templateTypos';
import { spansExactly } from '../problems';
import { didYouMean } from '../spelling';
import { appSetRenderer } from '../appset/renderer';
import { asArray } from '../generators/spec';
import { GoTemplateError } from '../template';
import { appSetDocs, templateStrings } from './appsetDocs';
import { defineRule } from './types';

export const unknownParameter = defineRule({
  id: 'unknown-parameter',
  description: 'A template names a parameter that its generators do not produce.',
  defaultSeverity: 'warning',
  run(ctx) {
    for (const { evaluation, doc, spec } of appSetDocs(ctx)) {
      const first = evaluation.apps[0];
      if (!first) continue;
      const goTemplate = spec['goTemplate'] === true;
      const options = asArray(spec['goTemplateOptions']).filter((o): o is string => typeof o === 'string');
      if (goTemplate && options.includes('missingkey=error')) continue;
      let renderer;
      try {
        renderer = appSetRenderer(goTemplate, options);
      } catch {
        continue;
      }
      for (const { text, path } of templateStrings(spec)) {
        if (!text.includes('{{')) continue;
        if (goTemplate) {
          try {
            renderer.render(text, first.params, true);
          } catch (e) {
            if (!(e instanceof GoTemplateError) || !/map has no entry for key/.test(e.message)) continue;
            const fix = typoFixData(evaluation.appset.file, doc, path, text, e, first.params);
            ctx.report({
              file: evaluation.appset.file,
              range: doc.rangeInString(path, e.offset, e.length) ?? doc.locate(path),
              message: `${friendlyTemplateMessage(e)}: the generator does not produce this parameter, so Argo CD renders "<no value>" here.`,
              ...(fix ? { fixes: [fix] } : {}),
            });
          }
        } else {
          for (const m of text.matchAll(/\{\{([^}]*)\}\}/g)) {
            const tag = (m[1] ?? '').trim();
            if (tag === '' || typeof first.params[tag] === 'string') continue;
            const guess = didYouMean(tag, Object.keys(first.params).filter((k) => typeof first.params[k] === 'string'));
            const at = (m.index ?? 0) + m[0].indexOf(tag);
            const tagRange = guess === undefined ? undefined : doc.rangeInString(path, at, tag.length);
            const fixes = tagRange && spansExactly(tagRange, tag.length) ? [{ title: `Change "${tag}" to "${guess}"`, edits: [{ file: evaluation.appset.file, range: tagRange, newText: guess as string }] }] : undefined;
            ctx.report({
              file: evaluation.appset.file,
              range: doc.rangeInString(path, m.index ?? 0, m[0].length) ?? doc.locate(path),
              message: `"${tag}" is not a parameter of this generator; Argo CD leaves "{{${m[1]}}}" in the Application as it is.${guess !== undefined ? ` Did you mean "${guess}"?` : ''} Parameters: ${Object.keys(first.params).slice(0, 8).join(', ')}.`,
              ...(fixes ? { fixes } : {}),
            });
          }
        }
      }
    }
  },
});
