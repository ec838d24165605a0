/**
 * The mutation suite's vocabulary: one realistic mistake (or one valid edit, a control) made to a
 * copy of a real repository, the diagnostic a user must get for it, and the program whose
 * verdict makes that diagnostic true (kustomize, helm, or Argo CD's own YAML reading).
 */
import type { Severity } from '../../../../src/core/problems';

/** The real repositories in ../shared/corpus the cases edit (each folder is that repository's root). */
export type CorpusName =
  | 'seed-home-ops'
  | 'kyleseneker__homelab'
  | 'devxp-tech__gitops'
  | 'edgard__home-ops'
  | 'mineblow__home-ops'
  | 'cterence__homelab-gitops'
  | 'acelinkio__argocd-homelab';

/**
 * One step of an edit, applied in order to a fresh copy. Paths are repository-relative.
 * `replace` needs `find` exactly once in the file (or `nth` to pick an occurrence), so an edit that
 * no longer matches its corpus fails loudly instead of silently testing nothing.
 */
export type EditStep =
  /** `encoding: 'latin1'` writes the whole file back in Latin-1, as an old editor would save it. */
  | { replace: string; find: string; with: string; nth?: number; encoding?: 'latin1' }
  | { append: string; text: string }
  | { create: string; text: string | Buffer }
  | { delete: string }
  /** The file saved again in another encoding, as some editors and shells do (PowerShell's `>`: UTF-16). */
  | { reencode: string; as: 'utf-8-bom' | 'utf-16le-bom' }
  | { symlink: string; target: string }
  /** `git add -f`: the file is tracked although .gitignore matches it. */
  | { gitAddForce: string };

/** The kind of mistake, for the per-class hit rate. */
export type MistakeClass =
  | 'kustomization-syntax'
  | 'kustomization-duplicate-key'
  | 'resource-syntax'
  | 'resource-duplicate-key'
  | 'component-in-resources'
  | 'values-syntax'
  | 'values-duplicate-key'
  | 'generator-file-syntax'
  | 'generator-file-duplicate-key'
  | 'plain-manifest-syntax'
  | 'plain-manifest-duplicate-key'
  | 'argocd-manifest-syntax'
  | 'kustomization-reference'
  | 'appset-generator'
  | 'appset-template'
  | 'appset-schema'
  | 'application'
  | 'app-folder'
  | 'encoding';

export interface ExpectedDiagnostic {
  file: string;
  /** 1-based, as editors and `home-ops lint` print it. */
  line: number;
  rule: string;
  severity?: Severity;
  /** A piece of the mutated file's text on that line: keeps the line numbers honest. */
  text: string;
}

/**
 * Who reads the edited file, and what it does with it. Every `refuses` and `accepts` is run by
 * mutations.consumers.test.ts; `message` is a piece of the consumer's own output.
 */
export type Consumer =
  /** `kustomize build` of a folder, as Argo CD runs it with this repository's build options. */
  | { tool: 'kustomize'; dir: string; verdict: 'refuses'; message: string }
  | { tool: 'kustomize'; dir: string; verdict: 'accepts'; output?: OutputCheck }
  /** `helm template` with this values file. */
  | { tool: 'helm'; values: string; verdict: 'refuses'; message: string }
  | { tool: 'helm'; values: string; verdict: 'accepts'; output?: OutputCheck }
  /** Argo CD's repo-server reading a plain manifest of a directory source (test/oracle/argocdyaml). */
  | { tool: 'argocd-manifests'; file: string; verdict: 'refuses'; message: string }
  | { tool: 'argocd-manifests'; file: string; verdict: 'accepts'; output?: OutputCheck }
  /** The ApplicationSet controller reading a git files generator input (test/oracle/argocdyaml). */
  | { tool: 'argocd-generator-file'; file: string; verdict: 'refuses'; message: string }
  | { tool: 'argocd-generator-file'; file: string; verdict: 'accepts'; output?: OutputCheck }
  /** No consumer runs offline (the ApplicationSet controller, the API server): why the diagnostic is true. */
  | { tool: 'none'; why: string };

/** Pieces the consumer's output must (not) contain: how a silently lost value is shown. */
export interface OutputCheck {
  has?: string[];
  lacks?: string[];
}

interface CaseBase {
  id: string;
  corpus: CorpusName;
  /** What a person would recognise: which file of which app, and what went wrong. */
  description: string;
  edits: EditStep[];
  consumer: Consumer;
}

export interface MistakeCase extends CaseBase {
  class: MistakeClass;
  expect: ExpectedDiagnostic[];
}

/** A valid edit: the consumers accept it, and it must add no error to the corpus' baseline. */
export interface ControlCase extends CaseBase {
  class: 'control';
}

export type MutationCase = MistakeCase | ControlCase;

export function isControl(c: MutationCase): c is ControlCase {
  return c.class === 'control';
}
