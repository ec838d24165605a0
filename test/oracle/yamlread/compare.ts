/**
 * Our YAML readers (src/core/yaml) against the Go readers they stand for: the reading each of
 * ours gives, the Go reader it must equal, and how an answer pair differs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAllYaml, YamlLoadError } from '../../../src/core/yaml/load';
import { parseYamlFile } from '../../../src/core/yaml/parse';
import type { YamlReader } from '../../../src/core/yaml/readers';
import { GoNumber, type GoAnswer, type GoReader } from './oracle';

/** The Go reader each of ours stands for (readers.ts says who reads the file). */
export const GO_READER: Readonly<Record<Exclude<YamlReader, 'as-written' | 'editor'>, GoReader>> = {
  'argocd-manifest': 'manifests',
  'directory-manifest': 'manifests',
  // helm checks a rendered template with sigs.k8s.io/yaml; Argo CD then reads it as a manifest.
  'chart-template': 'manifests',
  kustomization: 'sigs',
  'kustomize-resource': 'kyaml',
  'generator-file': 'sigs',
  'helm-values': 'sigs',
  'chart-metadata': 'sigs',
  'argocd-embedded': 'sigs',
  config: 'sigs',
};

export type ComparedReader = keyof typeof GO_READER;

export interface OurAnswer {
  readonly ok: boolean;
  readonly message?: string;
  /** 1-based line of our first error. */
  readonly line?: number;
  /** The rule of our first error (yaml-syntax, duplicate-key…). */
  readonly rule?: string;
  /** Some text is reported as never read by the reader (a yaml-ignored warning). */
  readonly ignored: boolean;
  readonly values: unknown[];
  /** What loadAllYaml says: the values, or the error it throws. */
  readonly load: { ok: true; values: unknown[] } | { ok: false; message: string; line?: number };
}

/** Values as the Go reader reports them: `manifests` and `kyaml` skip empty (null) documents. */
function asGoReports(values: unknown[], reader: GoReader): unknown[] {
  return reader === 'sigs' ? [values[0] ?? null] : values.filter((v) => v !== null && v !== undefined);
}

export function ourAnswer(text: string, reader: ComparedReader): OurAnswer {
  const goReader = GO_READER[reader];
  const parsed = parseYamlFile('f.yaml', text, reader);
  // The first error in the file, as Go stops at it.
  const errors = parsed.problems.filter((p) => p.severity === 'error').sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  let load: OurAnswer['load'];
  try {
    load = { ok: true, values: asGoReports(loadAllYaml(text, reader), goReader) };
  } catch (e) {
    if (!(e instanceof YamlLoadError)) throw e;
    load = { ok: false, message: e.message, line: e.line };
  }
  const first = errors[0];
  return {
    ok: first === undefined,
    message: first?.message,
    line: first ? first.range.start.line + 1 : undefined,
    rule: first?.rule,
    ignored: parsed.problems.some((p) => p.rule === 'yaml-ignored'),
    values: asGoReports(
      parsed.docs.map((d) => d.value),
      goReader,
    ),
    load,
  };
}

/** Where a value differs from Go's, or undefined when equal (numbers by value; -0 is 0). */
export function valueDifference(ours: unknown, go: unknown, at = '$'): string | undefined {
  if (go instanceof GoNumber) {
    if (typeof ours !== 'number') return `${at}: Go has the number ${go.text}, ours ${show(ours)}`;
    if (Number.isNaN(go.value) ? !Number.isNaN(ours) : ours !== go.value) return `${at}: Go has ${go.text}, ours ${show(ours)}`;
    return undefined;
  }
  if (Array.isArray(go)) {
    if (!Array.isArray(ours)) return `${at}: Go has a list, ours ${show(ours)}`;
    if (ours.length !== go.length) return `${at}: Go has ${go.length} items, ours ${ours.length}`;
    for (let i = 0; i < go.length; i++) {
      const d = valueDifference(ours[i], go[i], `${at}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (go !== null && typeof go === 'object') {
    if (ours === null || typeof ours !== 'object' || Array.isArray(ours)) return `${at}: Go has a map, ours ${show(ours)}`;
    const g = go as Record<string, unknown>;
    const o = ours as Record<string, unknown>;
    const gk = Object.keys(g).sort();
    const ok = Object.keys(o).sort();
    const missing = gk.filter((k) => !Object.prototype.hasOwnProperty.call(o, k));
    const extra = ok.filter((k) => !Object.prototype.hasOwnProperty.call(g, k));
    if (missing.length || extra.length) return `${at}: keys differ: Go only ${JSON.stringify(missing)}, ours only ${JSON.stringify(extra)}`;
    for (const k of gk) {
      const d = valueDifference(o[k], g[k], `${at}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  if (ours !== go) return `${at}: Go has ${show(go)}, ours ${show(ours)}`;
  return undefined;
}

function show(v: unknown): string {
  if (typeof v === 'number') return `the number ${v}`;
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export type Disagreement =
  | { kind: 'false-error'; detail: string }
  | { kind: 'miss'; detail: string }
  | { kind: 'value'; detail: string }
  | { kind: 'load-vs-parse'; detail: string };

/** How our answer differs from Go's (line agreement is measured apart). */
export function disagreement(ours: OurAnswer, go: GoAnswer): Disagreement | undefined {
  const loadOk = ours.load.ok;
  if (loadOk !== ours.ok) return { kind: 'load-vs-parse', detail: `parseYamlFile ${ours.ok ? 'accepts' : `rejects (${ours.message})`}, loadAllYaml ${loadOk ? 'accepts' : `rejects (${(ours.load as { message: string }).message})`}` };
  if (!ours.ok && go.ok) return { kind: 'false-error', detail: `ours: line ${ours.line}: ${ours.message}` };
  if (ours.ok && !go.ok) return { kind: 'miss', detail: `Go: ${firstLine(go.error ?? '')} (line ${go.line})` };
  if (!ours.ok) return undefined;
  if (ours.load.ok) {
    const d = listDifference(ours.load.values, go.values);
    if (d) return { kind: 'value', detail: `loadAllYaml: ${d}` };
  }
  const d = listDifference(ours.values, go.values);
  return d ? { kind: 'value', detail: `parseYamlFile: ${d}` } : undefined;
}

function listDifference(ours: unknown[], go: unknown[]): string | undefined {
  if (ours.length !== go.length) return `Go reads ${go.length} documents, ours ${ours.length}`;
  for (let i = 0; i < go.length; i++) {
    const d = valueDifference(ours[i], go[i], `doc ${i}`);
    if (d) return d;
  }
  return undefined;
}

export function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

/** Every YAML file under `root` (sorted), as the linter finds them. */
export function yamlFilesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (/\.ya?ml$|^Kustomization$/.test(e.name)) out.push(abs);
    }
  };
  walk(root);
  return out.sort();
}
