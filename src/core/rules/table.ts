/**
 * The rule table: every rule with its id, description and default severity, the engine's own
 * rules included. RuleId, the type of every rule id (Problem.rule, severity settings,
 * suppressions, `--rule`), is derived from it: a new rule's id exists once it is listed here.
 */
import { appDirEmpty } from './appDirEmpty';
import { appsetGeneratesNothing } from './appsetGeneratesNothing';
import { applicationPathMissing } from './applicationPathMissing';
import { buildOptionRefused } from './buildOptionRefused';
import { sourceAndSources, unknownProject } from './applicationSpec';
import { duplicateAppNameAcrossAppSets, invalidAppName } from './appNames';
import { ENGINE_RULES } from './engineRules';
import { RENDER_RULES } from './renderRules';
import { generatorExcludeNoMatch } from './generatorExcludeNoMatch';
import { generatorPathNoMatch } from './generatorPathNoMatch';
import { kustomizeLoadRestrictor, kustomizeMissingPath, pathEscapesRepo } from './kustomizationPaths';
import { missingKeyError } from './missingKeyError';
import { namespaceMismatch } from './namespaceMismatch';
import { placeholderUnfilled } from './placeholderUnfilled';
import { kustomizeComponentMismatch, kustomizeInvalidResource, notApplied, yamlSyntax } from './readFiles';
import { schemaRule } from './schemaRule';
import type { Rule } from './types';
import { uncoveredAppDir } from './uncoveredAppDir';
import { unknownParameter } from './unknownParameter';
import { valuesChartUnavailable, valuesSchema, valuesUnknownKey } from './valuesSchema';

const TABLE = [
  yamlSyntax,
  ...ENGINE_RULES,
  schemaRule,
  generatorPathNoMatch,
  uncoveredAppDir,
  unknownParameter,
  invalidAppName,
  duplicateAppNameAcrossAppSets,
  missingKeyError,
  kustomizeMissingPath,
  kustomizeLoadRestrictor,
  pathEscapesRepo,
  namespaceMismatch,
  sourceAndSources,
  unknownProject,
  kustomizeComponentMismatch,
  kustomizeInvalidResource,
  notApplied,
  applicationPathMissing,
  appDirEmpty,
  generatorExcludeNoMatch,
  appsetGeneratesNothing,
  buildOptionRefused,
  placeholderUnfilled,
  valuesSchema,
  valuesUnknownKey,
  valuesChartUnavailable,
  ...RENDER_RULES,
] as const;

export type RuleId = (typeof TABLE)[number]['id'];

export const RULES: readonly Rule<RuleId>[] = TABLE;

const IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.id));

/** For ids from outside the program (settings, suppression comments, `--rule`). */
export function isRuleId(id: string): id is RuleId {
  return IDS.has(id);
}
