/**
 * The lint engine: the engine's own problems plus every rule, with per-rule severity settings
 * and in-file suppression comments. Used by the language server and `home-ops lint`.
 */
import { MAX_PARSED_BYTES, type RepositoryModel } from '../model/repositoryModel';
import { START_OF_FILE, type Problem } from '../problems';
import { parseYamlFile, type ParsedYamlFile } from '../yaml/parse';
import { sourceAndSources, unknownProject } from './applicationSpec';
import { duplicateAppNameAcrossAppSets, invalidAppName } from './appNames';
import { ENGINE_RULES } from './engineRules';
import { generatorPathNoMatch } from './generatorPathNoMatch';
import { kustomizeLoadRestrictor, kustomizeMissingPath, pathEscapesRepo } from './kustomizationPaths';
import { missingKeyError } from './missingKeyError';
import { namespaceMismatch } from './namespaceMismatch';
import { readSuppressions } from './suppressions';
import { schemaRule, type SchemaValidationMode } from './schemaRule';
import type { Rule, RuleContext, SeveritySetting } from './types';
import { uncoveredAppDir } from './uncoveredAppDir';
import { unknownParameter } from './unknownParameter';

export type { Rule, SeveritySetting } from './types';
export type { SchemaValidationMode } from './schemaRule';

export const RULES: readonly Rule[] = [
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
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

export interface LintOptions {
  /** Rule id → severity, or 'off'. */
  severities?: Readonly<Record<string, SeveritySetting>>;
  /** Our schema checks: 'auto' leaves files with a Red Hat YAML `$schema` modeline to it. */
  schemaValidation?: SchemaValidationMode;
}

/**
 * Keeps parsed YAML between runs, keyed by file and content, so a lint after an edit re-parses
 * only what changed.
 */
export class Linter {
  private readonly parseCache = new Map<string, { text: string; parsed: ParsedYamlFile }>();
  private readonly store = new Map<string, unknown>();

  constructor(private readonly model: RepositoryModel) {}

  run(options: LintOptions = {}): Problem[] {
    const problems: Problem[] = [...this.model.problems()];
    const seen = new Set<string>();
    const texts = new Map<string, string | undefined>();
    const textOf = (file: string) => {
      if (!texts.has(file)) texts.set(file, this.model.textOf(file));
      return texts.get(file);
    };
    const tooLarge = new Set<string>();
    const readIssues = new Map<string, Problem>();
    const shared = new Map<string, unknown>();
    for (const rule of RULES) {
      if (!rule.run) continue;
      const ctx: RuleContext = {
        model: this.model,
        options,
        store: this.store,
        run: shared,
        parsed: (file) => {
          const text = textOf(file);
          if (text === undefined) {
            // A file a consumer reads that is not UTF-8, too large or unreadable says so once.
            const issue = this.model.readIssue(file);
            if (issue) readIssues.set(file, issue);
            return undefined;
          }
          // The model's bound for Argo CD files holds for what rules parse too (kustomizations):
          // a 10 MB kustomization would take a minute and gigabytes to parse and check.
          if (text.length > MAX_PARSED_BYTES) {
            tooLarge.add(file);
            return undefined;
          }
          // Argo CD files: the model parsed this very text already (it re-reads on every change).
          const fromModel = this.model.parsedFile(file);
          if (fromModel) return fromModel;
          const hit = this.parseCache.get(file);
          if (hit && hit.text === text) return hit.parsed;
          const parsed = parseYamlFile(file, text);
          this.parseCache.set(file, { text, parsed });
          return parsed;
        },
        report: (p) => {
          const problem: Problem = { severity: rule.defaultSeverity, rule: rule.id, ...p };
          const key = `${problem.file}:${problem.range.start.line}:${problem.range.start.character}:${problem.rule}:${problem.message}`;
          if (!seen.has(key)) {
            seen.add(key);
            problems.push(problem);
          }
        },
      };
      rule.run?.(ctx);
    }
    for (const file of tooLarge) {
      if (problems.some((p) => p.file === file && p.rule === 'file-too-large')) continue;
      const size = textOf(file)?.length ?? 0;
      problems.push({ file, range: START_OF_FILE, severity: 'warning', rule: 'file-too-large', message: `This file is ${Math.round(size / 1024)} KiB; Home-Ops does not check files over ${MAX_PARSED_BYTES / 1024} KiB.` });
    }
    for (const [file, issue] of readIssues) if (!problems.some((p) => p.file === file && p.rule === issue.rule)) problems.push(issue);
    for (const file of this.parseCache.keys()) if (!this.model.tree.files.has(file)) this.parseCache.delete(file);
    const severities = options.severities ?? {};
    const suppressions = new Map<string, ReturnType<typeof readSuppressions>>();
    const out: Problem[] = [];
    for (const p of problems) {
      const setting = severities[p.rule];
      if (setting === 'off') continue;
      let s = suppressions.get(p.file);
      if (!s) {
        const text = textOf(p.file);
        s = readSuppressions(text ?? '');
        suppressions.set(p.file, s);
      }
      if (s.suppressed(p)) continue;
      out.push(setting ? { ...p, severity: setting } : p);
    }
    return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character));
  }
}
