import { strict as assert } from 'node:assert';
import { run } from '../../../src/cli/main';
import { git } from '../../support/git';
import { makeRepo, type TempRepo } from '../../support/repo';
import { requireTools } from '../../support/shared';

async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('home-ops lint', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  // `chartVersion` is no helmCharts field (kustomize: `version`): kustomize refuses the file.
  const MODELINE_KUSTOMIZATION = '# yaml-language-server: $schema=https://json.schemastore.org/kustomization.json\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nhelmCharts:\n  - name: app\n    repo: https://charts.example.com\n    chartVersion: 1.0.0\n';

  it('schema-checks files with a Red Hat YAML modeline by default: no Red Hat YAML runs in CI', async () => {
    repo = makeRepo({ 'app/kustomization.yaml': MODELINE_KUSTOMIZATION });
    for (const args of [[], ['--schema', 'auto'], ['--schema', 'always']]) {
      const r = await runCli(['lint', repo.root, '--format', 'json', ...args]);
      assert.equal(r.code, 1, args.join(' '));
      const problems = JSON.parse(r.out) as Array<{ file: string; rule: string; range: { start: { line: number } } }>;
      assert.deepEqual(problems.map((p) => `${p.file}:${p.range.start.line} ${p.rule}`), ['app/kustomization.yaml:6 schema'], args.join(' '));
    }
    const never = await runCli(['lint', repo.root, '--format', 'json', '--schema', 'never']);
    assert.equal(never.code, 0);
    assert.deepEqual(JSON.parse(never.out), []);
  });

  it('says once, on stderr, when presence is approximated (no Git index), and not in a Git repository', async function () {
    requireTools(this, 'presence from a real Git index', 'git');
    repo = makeRepo({ 'app/kustomization.yaml': 'resources: []\n', '.gitignore': '*-secret.yaml\n' });
    const outside = await runCli(['lint', repo.root, '--format', 'json']);
    assert.equal(outside.err.match(/approximated from \.gitignore/g)?.length, 1, outside.err);
    assert.deepEqual(JSON.parse(outside.out), [], 'stdout stays machine-readable');
    git(repo.root, 'init', '-q');
    git(repo.root, 'add', '-A');
    const inside = await runCli(['lint', repo.root, '--format', 'json']);
    assert.doesNotMatch(inside.err, /approximated/);
  });
});
