/**
 * `home-ops lint --format sarif` is what GitHub code scanning reads, and `--format github` what
 * a workflow turns into annotations: both must hold for every file name a repository can have.
 * The SARIF log is validated against the OASIS SARIF 2.1.0 schema (test/fixtures/sarif, draft-04).
 */
import { strict as assert } from 'node:assert';
import { run } from '../../../src/cli/main';
import { RULES } from '../../../src/core/rules';
import { makeRepo, SEED_CORPUS, type TempRepo } from '../../support/repo';
import { requireShared } from '../../support/shared';
import { sarifValidator } from '../../support/sarif';

async function lint(root: string, format: string): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await run(['lint', root, '--format', format], { out: (s) => (out += s), err: () => undefined });
  return { code, out };
}

interface JsonProblem {
  file: string;
  rule: string;
  severity: string;
  range: { start: { line: number; character: number } };
}
interface SarifResult {
  ruleId: string;
  level: string;
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }>;
}

describe('home-ops lint: SARIF 2.1.0 and GitHub annotations', () => {
  const validate = sarifValidator();
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  // Folder names a repository may well have: a space, `#`, `%`, `,` and `:`, and non-ASCII.
  const FOLDERS = ['apps/my app', 'apps/c#1', 'apps/100%', 'apps/a,b:c', 'apps/café'];
  function brokenKustomizations(): TempRepo {
    const files: Record<string, string> = {};
    for (const f of FOLDERS) files[`${f}/kustomization.yaml`] = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - missing.yaml\n';
    return makeRepo(files);
  }

  it('is valid SARIF 2.1.0 whose locations name the files the JSON output names', async () => {
    repo = brokenKustomizations();
    const json = JSON.parse((await lint(repo.root, 'json')).out) as JsonProblem[];
    assert.deepEqual(json.map((p) => `${p.file} ${p.rule}`).sort(), FOLDERS.map((f) => `${f}/kustomization.yaml kustomize-missing-path`).sort());
    const { code, out } = await lint(repo.root, 'sarif');
    assert.equal(code, 1, 'errors give exit code 1 in every format');
    const log = JSON.parse(out) as { runs: Array<{ results: SarifResult[] }> };
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const results = log.runs[0]?.results ?? [];
    // A relative URI reference resolves against the repository root: percent-decoding it gives the path.
    assert.deepEqual(
      results.map((r) => {
        const loc = r.locations[0]?.physicalLocation;
        return `${decodeURIComponent(loc?.artifactLocation.uri ?? '')}:${loc?.region.startLine}:${loc?.region.startColumn} ${r.level} ${r.ruleId}`;
      }),
      json.map((p) => `${p.file}:${p.range.start.line + 1}:${p.range.start.character + 1} error ${p.rule}`),
    );
    assert.ok(results.some((r) => r.locations[0]?.physicalLocation.artifactLocation.uri === 'apps/c%231/kustomization.yaml'), 'a # is not read as a fragment');
  });

  it('declares every rule with a SARIF level (info is note)', async () => {
    repo = makeRepo({ 'README.md': 'nothing to check\n' });
    const log = JSON.parse((await lint(repo.root, 'sarif')).out) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string; defaultConfiguration: { level: string } }> } }; results: unknown[] }> };
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const rules = log.runs[0]?.tool.driver.rules ?? [];
    assert.deepEqual(rules.map((r) => r.id), RULES.map((r) => r.id));
    assert.deepEqual(rules.map((r) => r.defaultConfiguration.level), RULES.map((r) => (r.defaultSeverity === 'info' ? 'note' : r.defaultSeverity)));
    assert.deepEqual(log.runs[0]?.results, []);
  });

  it('is valid SARIF on a real repository (the seed corpus)', async function () {
    if (!requireShared(this, 'SARIF of the seed corpus', SEED_CORPUS)) return;
    const log = JSON.parse((await lint(SEED_CORPUS, 'sarif')).out) as { runs: Array<{ results: SarifResult[] }> };
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    assert.deepEqual(log.runs[0]?.results.map((r) => `${r.locations[0]?.physicalLocation.artifactLocation.uri} ${r.level} ${r.ruleId}`), ['pitower/kubernetes/apps/ai/kagent/kustomization.yaml warning namespace-mismatch']);
  });

  it('github: file names with `,` `:` `%` are escaped so the annotation lands on the file', async () => {
    repo = brokenKustomizations();
    const lines = (await lint(repo.root, 'github')).out.trimEnd().split('\n');
    assert.equal(lines.length, FOLDERS.length);
    // The runner splits properties at `,` and a key from its value at `:`; it unescapes %XX.
    const files = lines.map((l) => {
      const m = /^::error (.*?)::/.exec(l);
      assert.ok(m, l);
      const props = Object.fromEntries((m[1] as string).split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
      assert.ok(!(props['file'] as string).includes(':'), l);
      return decodeURIComponent(props['file'] as string);
    });
    assert.deepEqual(files.sort(), FOLDERS.map((f) => `${f}/kustomization.yaml`).sort());
  });
});
