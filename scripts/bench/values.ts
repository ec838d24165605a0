/**
 * Bench rows for values files checked against their chart (issue 12), for scripts/bench.ts: the
 * seed corpus with the app-template chart in a chart cache, ours as shipped (lintCore.ts bundled
 * like the product), beside yaml-language-server (from npm, same process) validating the same
 * values file against the same values.schema.json.
 *
 * The chart is the project's app-template fixture (test/fixtures/charts/app-template) cached as
 * oci://ghcr.io/bjw-s-labs/helm app-template 4.6.2, the version the seed's 32 app-template
 * kustomizations name: the real chart is not fetched (no network here), so its schema is smaller
 * than bjw-s's. Both sides get the same schema.
 *
 * - first check: a fresh process builds the model and lints everything (every rule), with the
 *   chart cache and without it; the difference is what checking the values files costs, schema
 *   compilation included.
 * - edit: one values file edited N times as an editor buffer; each edit is one model update and
 *   one lint of the repository (what the language server does after its debounce). Peer: one
 *   doValidation of the edited text, a new document version each time.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from 'yaml-language-server';
import { shippedCore } from './lint';

const FIXTURE = path.resolve(__dirname, '../../test/fixtures/charts/app-template');
const OCI = 'oci://ghcr.io/bjw-s-labs/helm';

export interface ValuesBenchResult {
  valuesUses: number;
  checked: number;
  file: string;
  firstMs: { withCharts: number; withoutCharts: number };
  findings: number;
  edits: number;
  ours: { p50: number; p95: number; max: number };
  /** The same edits and lint with no chart cache (values unchecked): the rest of the lint. */
  oursWithoutCharts: { p50: number; p95: number; max: number };
  peer: { p50: number; p95: number; max: number };
  oursFindingsOnEdit: number;
  peerFindingsOnEdit: number;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

function packFixture(cacheDir: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { packFixtureChart } = require('../../test/support/chartArchive') as typeof import('../../test/support/chartArchive');
  const { NodeChartStore } = shippedCore();
  const target = new NodeChartStore(cacheDir).pathOf({ repo: OCI, name: 'app-template', version: '4.6.2' });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, packFixtureChart(FIXTURE));
}

/** `first <root> <cache|none>`: one cold model + lint in this fresh process. */
function first(root: string, cacheDir: string | undefined): { ms: number; findings: number } {
  const { Linter, RepositoryModel, NodeChartStore } = shippedCore();
  const started = performance.now();
  const model = new RepositoryModel(root, cacheDir ? { charts: new NodeChartStore(cacheDir) } : {});
  const problems = new Linter(model).run({ schemaValidation: 'always' });
  return { ms: performance.now() - started, findings: problems.filter((p) => p.rule === 'values-schema').length };
}

async function main(root: string): Promise<void> {
  if (process.argv[3] === 'first') {
    process.stdout.write(JSON.stringify(first(root, process.argv[4] === 'none' ? undefined : process.argv[4])));
    return;
  }
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-bench-charts-'));
  try {
    packFixture(cacheDir);
    const cold = (arg: string) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, root, 'first', arg], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      return JSON.parse(r.stdout) as { ms: number; findings: number };
    };
    // Median of 3 fresh processes each way, alternated.
    const withC: number[] = [];
    const without: number[] = [];
    let findings = 0;
    for (let i = 0; i < 3; i++) {
      const a = cold(cacheDir);
      findings = a.findings;
      withC.push(a.ms);
      without.push(cold('none').ms);
    }

    const { Linter, RepositoryModel, NodeChartStore } = shippedCore();
    const model = new RepositoryModel(root, { charts: new NodeChartStore(cacheDir) });
    const linter = new Linter(model);
    linter.run({ schemaValidation: 'always' });
    // The same edits without the chart: what the rest of the lint costs after an edit.
    const plain = new RepositoryModel(root);
    const plainLinter = new Linter(plain);
    plainLinter.run({ schemaValidation: 'always' });
    const uses = model.valuesUses();
    const checked = uses.filter((u) => model.chart(u.chart).ok);
    const use = checked.find((u) => u.layers.length === 1 && u.layers[0]?.reader === 'helm-values');
    if (!use) throw new Error('bench: no app-template values file in the corpus');
    const file = use.layers[0]!.file;
    const original = fs.readFileSync(path.join(root, file), 'utf8');
    const edited = (i: number) => original.replace(/^(\s*tag:\s*).*$/m, `$1"v1.${i}"`) + `\nservice:\n  bench:\n    controller: x\n    ports:\n      http:\n        port: ${i % 2 === 0 ? i : `"${i}"`}\n`;
    const N = 200;
    const ours: number[] = [];
    const noCharts: number[] = [];
    let oursFindings = 0;
    for (let i = 0; i < N; i++) {
      const text = edited(i);
      // Alternated, so that the machine's load falls on both alike.
      const t0 = performance.now();
      model.update({ overlays: new Map([[file, text]]) });
      const problems = linter.run({ schemaValidation: 'always' });
      ours.push(performance.now() - t0);
      if (i === 1) oursFindings = problems.filter((p) => p.file === file && p.rule === 'values-schema').length;
      const t1 = performance.now();
      plain.update({ overlays: new Map([[file, text]]) });
      plainLinter.run({ schemaValidation: 'always' });
      noCharts.push(performance.now() - t1);
    }

    const schemaUri = pathToFileURL(path.join(FIXTURE, 'values.schema.json')).toString();
    const uri = pathToFileURL(path.join(root, file)).toString();
    const service = getLanguageService({
      schemaRequestService: async (u) => {
        if (u !== schemaUri) throw new Error(`bench: the peer asked for ${u}`);
        return fs.promises.readFile(path.join(FIXTURE, 'values.schema.json'), 'utf8');
      },
      workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).toString() },
    });
    service.configure({ validate: true, completion: false, hover: false, format: false, isKubernetes: false, schemas: [{ uri: schemaUri, fileMatch: [decodeURIComponent(new URL(uri).pathname)] }] });
    const peer: number[] = [];
    let peerFindings = 0;
    for (let i = 0; i < N; i++) {
      const doc = TextDocument.create(uri, 'yaml', i + 1, edited(i).replace(/^(#\s*)yaml-language-server:\s*\$schema=\S+/gm, '$1(modeline removed)'));
      const t0 = performance.now();
      const d = await service.doValidation(doc, false);
      peer.push(performance.now() - t0);
      if (i === 1) peerFindings = d.length;
    }
    const stats = (xs: number[]) => ({ p50: pct(xs, 50), p95: pct(xs, 95), max: Math.max(...xs) });
    const result: ValuesBenchResult = {
      valuesUses: uses.length,
      checked: checked.length,
      file,
      firstMs: { withCharts: pct(withC, 50), withoutCharts: pct(without, 50) },
      findings,
      edits: N,
      ours: stats(ours.slice(10)),
      oursWithoutCharts: stats(noCharts.slice(10)),
      peer: stats(peer.slice(10)),
      oursFindingsOnEdit: oursFindings,
      peerFindingsOnEdit: peerFindings,
    };
    process.stdout.write(JSON.stringify(result));
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

void main(process.argv[2] as string);
