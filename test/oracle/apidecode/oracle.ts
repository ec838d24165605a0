/**
 * Runs the Go API-decoding oracle (main.go beside this file): each object decoded as the API
 * server decodes it under strict field validation, many in one process.
 */
import { askGoLines, buildGoProgram } from '../../support/go';

export interface DecodeAnswer {
  /** Whether client-go's scheme knows the object's kind. */
  readonly known: boolean;
  /** The error that stops decoding (a value of the wrong type, a quantity that does not parse). */
  readonly fatal?: string;
  /** What strict decoding reports: `unknown field "spec.x"`, `duplicate field "…"`. */
  readonly unknown: readonly string[];
}

export function buildDecodeOracle(): string {
  return buildGoProgram(__dirname, 'apidecode');
}

/** Every object (one YAML document each, by id) through one oracle process. */
export async function runDecodeOracle(bin: string, objects: ReadonlyMap<string, string>): Promise<Map<string, DecodeAnswer>> {
  const requests = [...objects].map(([id, yaml]) => ({ id, yaml: Buffer.from(yaml, 'utf8').toString('base64') }));
  const answers = await askGoLines<{ id: string; known: boolean; fatal?: string; unknown?: string[] }>(bin, 'the API decoding oracle', requests);
  return new Map(answers.map((r) => [r.id, { known: r.known, ...(r.fatal ? { fatal: r.fatal } : {}), unknown: r.unknown ?? [] }]));
}
