import type { GoMap } from '../template';
import type { YamlPath } from '../yaml/parse';
import type { TreeView } from '../workspace/treeView';
import type { ClusterSecret } from './clusterSecrets';
import type { Problem } from '../problems';

/** Where one parameter set came from, so the tree and Add App can place the app. */
export type Origin =
  | {
      kind: 'directory';
      /** The matched directory, repository-relative. */
      path: string;
      /** The `directories[].path` pattern that matched it. */
      pattern: string;
      /** Indexes of the path segments the pattern matched with a glob (`apps/*\/*` → [1, 2]). */
      globLevels: number[];
    }
  | { kind: 'file'; path: string; pattern: string; index: number }
  | { kind: 'list'; index: number }
  | { kind: 'cluster'; name: string; server: string; secretFile?: string };

export interface ParamSet {
  /** goTemplate: nested map; legacy: flat map of strings. */
  params: GoMap;
  origins: Origin[];
}

export interface GeneratorOutput {
  sets: ParamSet[];
  /** The generator's own `template:` override, merged over spec.template by the caller. */
  template?: Record<string, unknown>;
  /** Short human description, e.g. `git directories`, `matrix(git files, list)`. */
  description: string;
  /**
   * Origins of the parameter sets a generator `selector` dropped (this generator's or a
   * child's): inputs the repository filters out on purpose, such as `enabled: "false"`.
   */
  deselected?: Origin[];
}

/** What evaluation of an appset depends on, so file events re-evaluate only what they affect. */
export interface Dependencies {
  dirPatterns: Set<string>;
  filePatterns: Set<string>;
  clusterSecrets: boolean;
}

export interface GeneratorContext {
  readonly tree: TreeView;
  readonly goTemplate: boolean;
  readonly goTemplateOptions: readonly string[];
  readonly clusterSecrets: readonly ClusterSecret[];
  /** Files generator parse cache, keyed by path; owned by the model, invalidated on change. */
  readonly readFileParams: (path: string) => unknown;
  readonly deps: Dependencies;
  /** Reports a problem at a YAML path of the appset document. */
  report(path: YamlPath, severity: 'error' | 'warning' | 'info', rule: Problem['rule'], message: string): void;
  /** Renders one template string with params (Argo CD's `Replace`); throws on error. */
  render(text: string, params: GoMap, options?: { forceMissingKeyError?: boolean }): string;
}

/** Thrown when a generator cannot produce parameters; the whole appset is then unevaluable. */
export class GeneratorError extends Error {
  constructor(
    readonly path: YamlPath,
    message: string,
    readonly rule: Problem['rule'],
    readonly severity: 'error' | 'warning' | 'info' = 'error',
  ) {
    super(message);
  }
}
