/**
 * Bench rows for `home-ops lint` (issue 3), for scripts/bench.ts: a lint of a repository with
 * every rule of ours, beside yaml-language-server (from npm, in this same process) validating the
 * same Argo CD and kustomization files against the same schemas (our schemas/*.json).
 *
 * Ours runs as shipped: src/core bundled and minified with the extension's esbuild options
 * (lintCore.ts), since the TypeScript loader this script runs under slows every closure down.
 * Ours, timed: `new RepositoryModel(root)` (walk, read and classify every file, parse the Argo CD
 * ones, evaluate every ApplicationSet) + `new Linter(model).run({ schemaValidation: 'always' })`
 * (every rule, schema checks on every Argo CD and kustomization file, modeline or not).
 * Peer, timed: for each file our schema rule checks, read it, create a TextDocument (a new
 * version each run, so its parse cache cannot answer) and `doValidation`. Not timed for the peer:
 * `getLanguageService` + `configure` (the file → schema association, like a user's
 * `yaml.schemas` setting) and finding the files (our model does that, outside the clock).
 * Both keep their compiled schemas between warm runs (ours are precompiled and loaded once; the
 * peer resolves and compiles on first use): the cold figure, a fresh process's first run,
 * shows that cost.
 *
 * Honesty checks: broken copies of the largest ApplicationSet and the largest kustomization must
 * make both report an error on every line we broke, and on the corpus the peer's diagnostic count
 * is printed beside our schema rule's.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService, type LanguageService } from 'yaml-language-server';
import { RepositoryModel } from '../../src/core/model/repositoryModel';
import { manifestKindOf, validateManifest } from '../../src/core/schema';
import { isKustomizationName } from '../../src/core/yaml/classify';
import { parseYamlFile } from '../../src/core/yaml/parse';

const SCHEMAS = path.resolve(__dirname, '../../schemas');
const SCHEMA_FILE: Record<string, string> = {
  Application: 'application.schema.json',
  ApplicationSet: 'applicationset.schema.json',
  AppProject: 'appproject.schema.json',
  Kustomization: 'kustomization.schema.json',
  Component: 'kustomization.schema.json',
};
/**
 * For a file whose documents are not all of one kind (an Application beside a Secret, say): our
 * rule checks each document by its own kind and skips the others, so the peer gets the same
 * dispatch as a schema. The seed corpus has no such file.
 */
const DISPATCH_FILE = 'home-ops-bench-dispatch.schema.json';
const DISPATCH_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  allOf: ['Application', 'ApplicationSet', 'AppProject'].map((kind) => ({
    if: { required: ['apiVersion', 'kind'], properties: { apiVersion: { type: 'string', pattern: '^argoproj\\.io/' }, kind: { const: kind } } },
    then: { $ref: SCHEMA_FILE[kind] },
  })),
};
/** Red Hat YAML's modeline wins over settings; the seed's point at SchemaStore and CRD catalogs. */
const MODELINE = /^(#\s*)yaml-language-server:\s*\$schema=\S+/gm;

export interface LintTarget {
  /** Repository-relative path. */
  file: string;
  abs: string;
  uri: string;
  /** Schema file name in schemas/ (or the dispatch schema). */
  schema: string;
}

export interface BrokenCheck {
  file: string;
  /** 0-based lines we broke. */
  expected: number[];
  oursLines: number[];
  peerLines: number[];
}

export interface LintBenchResult {
  root: string;
  /** The yaml-language-server version measured. */
  peerVersion: string;
  files: number;
  yamlFiles: number;
  targets: number;
  schemasLoadedByPeer: string[];
  runs: number;
  ours: { warmMs: number; coldMs: number; problems: number; schemaProblems: number };
  peer: { warmMs: number; coldMs: number; diagnostics: number };
  /** Median over rounds of (ours / peer), each round's two blocks measured back to back. */
  warmRatio: number;
  /** Median over pairs of fresh processes (one per side, back to back) of (ours / peer). */
  coldRatio: number;
  /** A few of each side's findings on the corpus when the counts differ. */
  samples: { ours: string[]; peer: string[] };
  broken: BrokenCheck[];
  notes: string[];
}

/** The files our schema rule checks, each with the schema it checks them against. */
export function lintTargets(root: string): { targets: LintTarget[]; files: number; yamlFiles: number } {
  const model = new RepositoryModel(root);
  const files = new Set(model.manifests().map((m) => m.file));
  for (const f of model.tree.files) if (isKustomizationName(path.posix.basename(f))) files.add(f);
  const targets: LintTarget[] = [];
  for (const file of [...files].sort()) {
    const text = model.textOf(file) ?? '';
    const kustomization = isKustomizationName(path.posix.basename(file));
    const schemas = new Set<string>();
    for (const doc of (model.parsedFile(file) ?? parseYamlFile(file, text, kustomization ? 'kustomization' : 'argocd-manifest')).docs) {
      if (doc.value === null || typeof doc.value !== 'object') continue;
      const kind = manifestKindOf(doc.value, kustomization);
      schemas.add(kind ? (SCHEMA_FILE[kind] as string) : 'none');
    }
    const only = schemas.size === 1 ? [...schemas][0] : undefined;
    const abs = path.join(root, file);
    targets.push({ file, abs, uri: pathToFileURL(abs).toString(), schema: only && only !== 'none' ? only : DISPATCH_FILE });
  }
  let yamlFiles = 0;
  for (const f of model.tree.files) if (/\.ya?ml$|(^|\/)Kustomization$/.test(f)) yamlFiles++;
  return { targets, files: model.tree.files.size, yamlFiles };
}

/** yaml-language-server set up to check `targets` (and any extra virtual files) with our schemas. */
export class PeerValidator {
  readonly service: LanguageService;
  readonly requested = new Set<string>();
  private version = 1;

  constructor(
    private readonly targets: readonly LintTarget[],
    extra: ReadonlyArray<{ uri: string; schema: string }> = [],
  ) {
    this.service = getLanguageService({
      schemaRequestService: async (uri) => {
        const name = decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
        this.requested.add(name);
        if (name === DISPATCH_FILE) return JSON.stringify(DISPATCH_SCHEMA);
        if (!uri.startsWith(pathToFileURL(SCHEMAS).toString() + '/')) throw new Error(`bench: the peer asked for ${uri}, not one of our schemas`);
        return fs.promises.readFile(path.join(SCHEMAS, name), 'utf8');
      },
      workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).toString() },
    });
    const bySchema = new Map<string, string[]>();
    for (const t of [...targets, ...extra]) {
      const list = bySchema.get(t.schema) ?? [];
      // fileMatch globs are matched as `**/PATTERN`: the absolute path, glob characters escaped.
      list.push(decodeURIComponent(new URL(t.uri).pathname).replace(/[*?{}()[\]!+@\\]/g, '\\$&'));
      bySchema.set(t.schema, list);
    }
    this.service.configure({
      validate: true,
      completion: false,
      hover: false,
      format: false,
      isKubernetes: false,
      schemas: [...bySchema].map(([schema, fileMatch]) => ({ uri: pathToFileURL(path.join(SCHEMAS, schema)).toString(), fileMatch })),
    });
  }

  async validateText(uri: string, text: string): Promise<Array<{ line: number; message: string; severity?: number }>> {
    const doc = TextDocument.create(uri, 'yaml', this.version++, text.replace(MODELINE, '$1(modeline removed by the bench)'));
    return (await this.service.doValidation(doc, false)).map((d) => ({ line: d.range.start.line, message: d.message, ...(d.severity !== undefined ? { severity: d.severity } : {}) }));
  }

  /** One timed run: read and validate every target. Returns its diagnostics as `file:line message`. */
  async run(): Promise<string[]> {
    const out: string[] = [];
    for (const t of this.targets) {
      for (const d of await this.validateText(t.uri, fs.readFileSync(t.abs, 'utf8'))) out.push(`${t.file}:${d.line + 1} ${d.message}`);
    }
    return out;
  }
}

type LintCore = typeof import('./lintCore');
let shipped: LintCore | undefined;

/**
 * `entry` bundled the way esbuild.js bundles the product for release (minified, no source map)
 * into `outfile`: what the benches time is the code users get, not the TypeScript loader's.
 */
export function bundleAsShipped(entry: string, outfile: string, options: { banner?: string } = {}): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { common } = require('../../esbuild.js') as { common: import('esbuild').BuildOptions };
  esbuild.buildSync({ ...common, plugins: [], minify: true, sourcemap: false, logLevel: 'error', entryPoints: [entry], outfile, ...(options.banner ? { banner: { js: options.banner } } : {}) });
}

/** `entry` bundled as shipped (bundleAsShipped) and loaded, once per process. */
export function loadShipped<T>(entry: string, name: string): T {
  const outfile = path.join(os.tmpdir(), `home-ops-bench-${name}-${process.pid}.js`);
  bundleAsShipped(entry, outfile);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(outfile) as T;
  } finally {
    fs.rmSync(outfile, { force: true });
  }
}

/** lintCore.ts bundled the way esbuild.js bundles the product for release, loaded once per process. */
export function shippedCore(): LintCore {
  shipped ??= loadShipped<LintCore>(path.join(__dirname, 'lintCore.ts'), 'lint-core');
  return shipped;
}

function oursRun(root: string): { problems: number; schema: string[] } {
  const { Linter, RepositoryModel } = shippedCore();
  const problems = new Linter(new RepositoryModel(root)).run({ schemaValidation: 'always' });
  return { problems: problems.length, schema: problems.filter((p) => p.rule === 'schema').map((p) => `${p.file}:${p.range.start.line + 1} ${p.message}`) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** A copy of `text` with deliberate schema errors, and the 0-based lines they are on. */
function breakAppSet(text: string): { text: string; expected: number[] } {
  let t = text.replace(/^spec:[ \t]*\n/m, 'spec:\n  bogusField: 1\n');
  t = t.replace(/^( {2}goTemplate:) (true|false)$/m, '$1 3');
  t = t.replace(/^(\s+(?:prune|selfHeal|allowEmpty):) (true|false)$/m, '$1 sometimes');
  return { text: t, expected: linesOf(t, [/^ {2}bogusField: 1$/m, /^ {2}goTemplate: 3$/m, /: sometimes$/m]) };
}

function breakKustomization(text: string): { text: string; expected: number[] } {
  const t = `${text.replace(/\n*$/, '\n')}bogusField: 1\nbuildMetadata: 5\n`;
  return { text: t, expected: linesOf(t, [/^bogusField: 1$/m, /^buildMetadata: 5$/m]) };
}

function linesOf(text: string, patterns: RegExp[]): number[] {
  const lines: number[] = [];
  for (const p of patterns) {
    const m = p.exec(text);
    if (m) lines.push(text.slice(0, m.index).split('\n').length - 1);
  }
  return lines;
}

async function brokenChecks(root: string, targets: readonly LintTarget[]): Promise<BrokenCheck[]> {
  const largest = (schema: string) =>
    targets
      .filter((t) => t.schema === schema)
      .map((t) => ({ t, size: fs.statSync(t.abs).size }))
      .sort((a, b) => b.size - a.size)[0]?.t;
  const cases = [
    { target: largest('applicationset.schema.json'), kind: 'ApplicationSet', breaker: breakAppSet },
    { target: largest('kustomization.schema.json'), kind: 'Kustomization', breaker: breakKustomization },
  ];
  const virtual = (t: LintTarget) => pathToFileURL(path.join(root, '.home-ops-bench-broken', t.file)).toString();
  const peer = new PeerValidator([], cases.flatMap((c) => (c.target ? [{ uri: virtual(c.target), schema: c.target.schema }] : [])));
  const out: BrokenCheck[] = [];
  for (const c of cases) {
    if (!c.target) continue;
    const { text, expected } = c.breaker(fs.readFileSync(c.target.abs, 'utf8'));
    // Ours: what the schema rule does for one file (parse with ranges, validate each document).
    const parsed = parseYamlFile(c.target.file, text, isKustomizationName(path.posix.basename(c.target.file)) ? 'kustomization' : 'argocd-manifest');
    const oursLines = parsed.problems.map((p) => p.range.start.line);
    for (const doc of parsed.docs) {
      const kind = manifestKindOf(doc.value, c.kind === 'Kustomization');
      if (kind) for (const issue of validateManifest(kind, doc.value)) oursLines.push((issue.target === 'key' ? doc.keyRangeOf(issue.path) : doc.rangeOf(issue.path)).start.line);
    }
    const peerLines = (await peer.validateText(virtual(c.target), text)).map((d) => d.line);
    out.push({ file: c.target.file, expected, oursLines: [...new Set(oursLines)].sort((a, b) => a - b), peerLines: [...new Set(peerLines)].sort((a, b) => a - b) });
  }
  return out;
}

/** The first run in a fresh process, for one side. */
function coldRun(side: 'ours' | 'peer', root: string): number {
  const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, 'cold', side, root], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench: cold ${side} lint failed:\n${r.stderr}`);
  return (JSON.parse(r.stdout.trim().split('\n').pop() as string) as { ms: number }).ms;
}

/** `pairs` fresh processes per side, the sides back to back: medians and the median pair ratio. */
function coldPairs(root: string, pairs: number): { ours: number; peer: number; ratio: number } {
  const ours: number[] = [];
  const peer: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    ours.push(coldRun('ours', root));
    peer.push(coldRun('peer', root));
    ratios.push((ours[i] as number) / (peer[i] as number));
  }
  return { ours: median(ours), peer: median(peer), ratio: median(ratios) };
}

/**
 * Warm runs go in blocks, one side at a time, the sides taking turns: run after run of one side
 * alternating with the other would charge each with collecting the other's garbage. This machine
 * has slow spells that last longer than a block pair, so the ratio is taken per round (two blocks
 * back to back) and the median of those is reported.
 */
export async function benchLint(root: string, rounds = 10, perBlock = 5, warmup = 40, coldProcessPairs = 5): Promise<LintBenchResult> {
  const runs = rounds * perBlock;
  const { targets, files, yamlFiles } = lintTargets(root);
  const broken = await brokenChecks(root, targets);
  for (const b of broken) {
    for (const [side, lines] of [
      ['ours', b.oursLines],
      ['yaml-language-server', b.peerLines],
    ] as const) {
      const missed = b.expected.filter((l) => !lines.includes(l));
      if (missed.length || b.expected.length < 2) throw new Error(`bench: on a broken copy of ${b.file}, ${side} reported lines ${lines.map((l) => l + 1).join(', ') || 'none'}; expected ${b.expected.map((l) => l + 1).join(', ')}`);
    }
  }

  const peer = new PeerValidator(targets);
  const oursTimes: number[] = [];
  const peerTimes: number[] = [];
  let oursLast = { problems: 0, schema: [] as string[] };
  let peerLast: string[] = [];
  for (let i = 0; i < warmup; i++) {
    oursRun(root);
    await peer.run();
  }
  const roundRatios: number[] = [];
  // Between blocks (outside the clocks) the young generation is emptied, so that neither side's
  // first run pays for promoting what the other side's block left alive. A full collection would
  // also shrink the heap and slow both sides down; `npm run bench` runs with --expose-gc.
  const settle = (): void => (globalThis as { gc?: (o: { type: 'minor' }) => void }).gc?.({ type: 'minor' });
  for (let r = 0; r < rounds; r++) {
    const o: number[] = [];
    const p: number[] = [];
    settle();
    for (let i = 0; i < perBlock; i++) {
      const t = performance.now();
      oursLast = oursRun(root);
      o.push(performance.now() - t);
    }
    settle();
    for (let i = 0; i < perBlock; i++) {
      const t = performance.now();
      peerLast = await peer.run();
      p.push(performance.now() - t);
    }
    oursTimes.push(...o);
    peerTimes.push(...p);
    roundRatios.push(median(o) / median(p));
  }
  const cold = coldPairs(root, coldProcessPairs);
  const differ = oursLast.schema.length !== peerLast.length;
  return {
    root,
    peerVersion: (JSON.parse(fs.readFileSync(require.resolve('yaml-language-server/package.json'), 'utf8')) as { version: string }).version,
    files,
    yamlFiles,
    targets: targets.length,
    schemasLoadedByPeer: [...peer.requested].sort(),
    runs,
    ours: { warmMs: median(oursTimes), coldMs: cold.ours, problems: oursLast.problems, schemaProblems: oursLast.schema.length },
    peer: { warmMs: median(peerTimes), coldMs: cold.peer, diagnostics: peerLast.length },
    warmRatio: median(roundRatios),
    coldRatio: cold.ratio,
    samples: { ours: differ ? oursLast.schema.slice(0, 5) : [], peer: differ ? peerLast.slice(0, 5) : [] },
    broken,
    notes: [
      `ours timed: new RepositoryModel(root) (walk the ${files} files, read and classify the ${yamlFiles} YAML ones, parse the Argo CD ones, evaluate every ApplicationSet) + Linter.run with every rule, schemaValidation 'always'.`,
      `peer timed: yaml-language-server doValidation on the ${targets.length} files our schema rule checks (each read from disk, a new TextDocument version per run); not timed: getLanguageService + configure (file → schema association) and finding the files.`,
      `peer schemas: our schemas/*.json, each file mapped by its kind as manifestKindOf does (loaded: ${[...peer.requested].sort().join(', ')}); \`# yaml-language-server: $schema=\` modelines are blanked in the peer's copy so it uses ours, not SchemaStore.`,
      `warm: median of ${runs} runs per side in this process after ${warmup} warm-up runs each, in ${rounds} rounds of ${perBlock} runs of ours then ${perBlock} of the peer, the ratio being the median of the rounds' ratios; a minor GC before each block, outside the clocks (no full GC: one before each run made both sides 2–3× slower); ours is src/core bundled and minified by esbuild with the release options, as users run it; cold: first run in a fresh process (${coldProcessPairs} pairs of processes, ours then the peer; ratio: median of the pairs'), after imports and the peer's configure — includes loading our precompiled validators / the peer resolving and compiling the schemas.`,
    ],
  };
}

if (require.main === module && process.argv[2] === 'cold') {
  const [, , , side, root] = process.argv as [string, string, string, 'ours' | 'peer', string];
  void (async () => {
    let ms: number;
    if (side === 'ours') {
      shippedCore();
      const t = performance.now();
      oursRun(root);
      ms = performance.now() - t;
    } else {
      const peer = new PeerValidator(lintTargets(root).targets);
      const t = performance.now();
      await peer.run();
      ms = performance.now() - t;
    }
    process.stdout.write(`${JSON.stringify({ ms })}\n`);
  })();
} else if (require.main === module) {
  const root = process.argv[2] ?? path.resolve(__dirname, '../../../shared/corpus/seed-home-ops');
  void benchLint(root).then((r) => console.log(JSON.stringify(r, null, 2)));
}
