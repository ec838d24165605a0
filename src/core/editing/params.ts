/**
 * The first parameter set of an ApplicationSet, for completion and hover. The model's
 * evaluation has it in its first generated Application; but while a template is being typed
 * every Application can fail to render, and then the evaluation holds none. The parameters do
 * not depend on the template, so in that case (only) the generators are run once more here,
 * on the model's tree, without rendering anything.
 */
import { describeMatch, type AppSetEvaluation } from '../appset/evaluate';
import { appSetRenderer } from '../appset/renderer';
import { evaluateGenerator } from '../generators';
import { parseFileGeneratorContent } from '../generators/gitFiles';
import { asArray, asRecord } from '../generators/spec';
import type { GeneratorContext } from '../generators/types';
import type { RepositoryModel } from '../model/repositoryModel';
import type { GoMap } from '../template/value';
import { templateSettings } from './document';
import { loadYaml } from '../yaml/load';

export interface FirstParams {
  params: GoMap;
  /** The match the parameters are for, e.g. `pitower/kubernetes/apps/media/jellyfin`. */
  match: string;
  /** How many Applications the ApplicationSet generates (0 when rendering failed for all). */
  apps: number;
}

export function evaluationOf(model: RepositoryModel | undefined, file: string, docIndex: number): AppSetEvaluation | undefined {
  return model?.appsets().find((e) => e.appset.file === file && e.appset.docIndex === docIndex);
}

export function firstParams(model: RepositoryModel | undefined, file: string, docIndex: number): FirstParams | undefined {
  if (!model) return undefined;
  const evaluation = evaluationOf(model, file, docIndex);
  const app = evaluation?.apps[0];
  if (evaluation && app) return { params: app.params, match: describeMatch(app.origins), apps: evaluation.apps.length };
  const value = model.parsedFile(file)?.docs.find((d) => d.index === docIndex)?.value;
  const spec = asRecord(asRecord(value)?.['spec']);
  if (!spec) return undefined;
  const { goTemplate, options } = templateSettings(value);
  let render: GeneratorContext['render'];
  try {
    const renderer = appSetRenderer(goTemplate, options);
    render = (text, params, opts) => renderer.render(text, params, opts?.forceMissingKeyError === true);
  } catch {
    return undefined;
  }
  const ctx: GeneratorContext = {
    tree: model.tree,
    goTemplate,
    goTemplateOptions: options,
    clusterSecrets: model.clusterSecrets(),
    readFileParams: (p) => {
      const text = model.textOf(p);
      return text === undefined ? new Error('the file cannot be read') : parseFileGeneratorContent(text, (t) => loadYaml(t, 'generator-file'));
    },
    deps: { dirPatterns: new Set(), filePatterns: new Set(), clusterSecrets: false },
    report: () => undefined,
    render,
  };
  const generators = asArray(spec['generators']);
  for (let i = 0; i < generators.length; i++) {
    try {
      const set = evaluateGenerator(generators[i], ['spec', 'generators', i], ctx).sets[0];
      if (set) return { params: set.params, match: describeMatch(set.origins), apps: 0 };
    } catch {
      // This generator cannot run (its problem is reported by the engine); try the next one.
    }
  }
  return undefined;
}
