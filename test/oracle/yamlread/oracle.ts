/**
 * Runs the Go YAML-reader oracle (main.go beside this file) on many texts in one process and
 * turns its answers into JavaScript values comparable with ours.
 */
import { askGoLines, buildGoProgram } from '../../support/go';

export const YAMLREAD_DIR = __dirname;

/**
 * The Go readers: `sigs` is sigs.k8s.io/yaml.Unmarshal (first document), `manifests` the
 * document-by-document reading of kubectl and Argo CD, `kyaml` kustomize reading a resource file.
 */
export type GoReader = 'sigs' | 'manifests' | 'kyaml';

export interface GoCase {
  readonly id: string;
  readonly reader: GoReader;
  /** The file's bytes (a string is written as UTF-8). */
  readonly text: string | Buffer;
}

/** A number as Go produced it: its JSON text tells an integer (`12`) from a float (`1.5`, `1e+21`). */
export class GoNumber {
  constructor(readonly text: string) {}
  get value(): number {
    return Number(this.text);
  }
  get isInteger(): boolean {
    return /^-?[0-9]+$/.test(this.text);
  }
}

export interface GoAnswer {
  readonly ok: boolean;
  readonly error?: string;
  /** 1-based line of the file that the error names; 0 when it names none. */
  readonly line: number;
  /** 0-based document the error is in; -1 when unknown. */
  readonly doc: number;
  /** Lines (1-based, inclusive) of that document in the file; 0 when unknown. */
  readonly docFrom: number;
  readonly docTo: number;
  /** One value per document read (empty and null documents are skipped by `manifests` and `kyaml`). */
  readonly values: unknown[];
}

const NUM = '\u0000num';

function untag(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(untag);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === NUM) return new GoNumber(o[NUM] as string);
    const out: Record<string, unknown> = {};
    for (const k of keys) Object.defineProperty(out, k, { value: untag(o[k]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

export function buildYamlOracle(): string {
  return buildGoProgram(YAMLREAD_DIR, 'yamlread');
}

/** Every case through one oracle process. */
export async function runYamlOracle(bin: string, cases: readonly GoCase[]): Promise<Map<string, GoAnswer>> {
  const requests = cases.map((c) => ({ id: c.id, reader: c.reader, text: (typeof c.text === 'string' ? Buffer.from(c.text, 'utf8') : c.text).toString('base64') }));
  const answers = await askGoLines<GoAnswer & { id: string }>(bin, 'the YAML oracle', requests);
  return new Map(answers.map((r) => [r.id, { ok: r.ok, error: r.error, line: r.line, doc: r.doc, docFrom: r.docFrom, docTo: r.docTo, values: r.values.map(untag) }]));
}
