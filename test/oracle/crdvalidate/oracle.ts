/**
 * Runs the Go custom-resource oracle (main.go beside this file): each object handled as the API
 * server handles a create under its CRD (pruning, defaulting, OpenAPI validation), many in one process.
 */
import { askGoLines, buildGoProgram } from '../../support/go';

export interface CrdCase {
  readonly crd: string;
  readonly obj: string;
}

export interface CrdAnswer {
  /** Whether the CRD version's schema is structural (else the server would not have it). */
  readonly structural: boolean;
  /** Why the case could not be judged (no schema for the version, a reading error). */
  readonly problem?: string;
  /** Paths pruning removes (strict validation reports them as unknown fields). */
  readonly unknown: readonly string[];
  /** Validation errors: `type` is field.ErrorType (`FieldValueRequired`, …). */
  readonly errors: ReadonlyArray<{ type: string; field: string; detail: string }>;
}

export function buildCrdOracle(): string {
  return buildGoProgram(__dirname, 'crdvalidate');
}

export async function runCrdOracle(bin: string, cases: ReadonlyMap<string, CrdCase>): Promise<Map<string, CrdAnswer>> {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const requests = [...cases].map(([id, c]) => ({ id, crd: b64(c.crd), obj: b64(c.obj) }));
  const answers = await askGoLines<{ id: string; structural: boolean; problem?: string; unknown?: string[]; errors?: CrdAnswer['errors'] }>(bin, 'the CRD oracle', requests);
  return new Map(answers.map((r) => [r.id, { structural: r.structural, ...(r.problem ? { problem: r.problem } : {}), unknown: r.unknown ?? [], errors: r.errors ?? [] }]));
}
