/**
 * Runs the Go API-decoding oracle (main.go beside this file): each object decoded as the API
 * server decodes it under strict field validation, many in one process.
 */
import { spawn } from 'node:child_process';
import { buildGoProgram } from '../../support/go';

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
export function runDecodeOracle(bin: string, objects: ReadonlyMap<string, string>): Promise<Map<string, DecodeAnswer>> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the API decoding oracle exited with ${code}: ${Buffer.concat(err).toString('utf8').slice(0, 4000)}`));
      const answers = new Map<string, DecodeAnswer>();
      for (const line of Buffer.concat(out).toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        const r = JSON.parse(line) as { id: string; known: boolean; fatal?: string; unknown?: string[] };
        answers.set(r.id, { known: r.known, ...(r.fatal ? { fatal: r.fatal } : {}), unknown: r.unknown ?? [] });
      }
      resolve(answers);
    });
    const lines = [...objects].map(([id, yaml]) => JSON.stringify({ id, yaml: Buffer.from(yaml, 'utf8').toString('base64') }));
    child.stdin.end(lines.join('\n') + '\n');
  });
}
