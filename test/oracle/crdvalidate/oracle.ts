/**
 * Runs the Go custom-resource oracle (main.go beside this file): each object handled as the API
 * server handles a create under its CRD (pruning, defaulting, OpenAPI validation), many in one process.
 */
import { spawn } from 'node:child_process';
import { buildGoProgram } from '../../support/go';

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

export function runCrdOracle(bin: string, cases: ReadonlyMap<string, CrdCase>): Promise<Map<string, CrdAnswer>> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the CRD oracle exited with ${code}: ${Buffer.concat(err).toString('utf8').slice(0, 4000)}`));
      const answers = new Map<string, CrdAnswer>();
      for (const line of Buffer.concat(out).toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        const r = JSON.parse(line) as { id: string; structural: boolean; problem?: string; unknown?: string[]; errors?: CrdAnswer['errors'] };
        answers.set(r.id, { structural: r.structural, ...(r.problem ? { problem: r.problem } : {}), unknown: r.unknown ?? [], errors: r.errors ?? [] });
      }
      resolve(answers);
    });
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    child.stdin.end([...cases].map(([id, c]) => JSON.stringify({ id, crd: b64(c.crd), obj: b64(c.obj) })).join('\n') + '\n');
  });
}
