/**
 * The GitHub Action (action.yml): its steps are scripts in scripts/action, run here the way the
 * runner runs them (the environment each step sets, GITHUB_PATH / GITHUB_OUTPUT /
 * GITHUB_STEP_SUMMARY files), with the CLI packed and installed as the action installs it.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { git } from '../../support/git';
import { sarifValidator } from '../../support/sarif';
import { packAndInstall, PROJECT, projectSnapshot, tempDir, type Packed } from './support';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const summary = require('../../../scripts/action/render-summary.cjs') as {
  summaryMarkdown(stdout: string, stderr: string, options: { revision: string; code: number; maxBytes?: number; maxAppBytes?: number }): string;
};

interface ActionStep {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

const ACTION = parse(fs.readFileSync(path.join(PROJECT, 'action.yml'), 'utf8')) as Action;
const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - missing.yaml\n';

/** Runs a step's script as the runner would: node or bash, the step's environment. */
function runStep(script: string, env: NodeJS.ProcessEnv, cwd: string) {
  const file = path.join(PROJECT, 'scripts/action', script);
  const [cmd, args] = script.endsWith('.sh') ? ['bash', [file]] : [process.execPath, [file]];
  return spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

describe('GitHub Action (action.yml)', function () {
  this.timeout(120_000);

  describe('the manifest', () => {
    const text = fs.readFileSync(path.join(PROJECT, 'action.yml'), 'utf8');

    it('is a composite action whose every input is described and used, and every expression names a real input', () => {
      assert.equal(ACTION.runs.using, 'composite');
      for (const [name, input] of Object.entries(ACTION.inputs)) {
        assert.ok(input.description.length > 20, `input ${name} is described`);
        assert.ok(text.includes(`inputs.${name}`), `input ${name} is used`);
      }
      for (const m of text.matchAll(/inputs\.([a-z-]+)/g)) assert.ok(ACTION.inputs[m[1] as string], `inputs.${m[1]} is declared`);
      assert.ok(!/\$\{\{[^}]*\}\}/.test(Object.values(ACTION.inputs).map((i) => i.description).join('\n')), 'no expression in a description');
    });

    it('runs scripts that exist, with the environment they read', () => {
      const scripts = ACTION.runs.steps.filter((s) => s.run?.includes('scripts/action/'));
      assert.deepEqual(scripts.map((s) => /scripts\/action\/([\w.-]+)/.exec(s.run ?? '')?.[1]), ['install.sh', 'lint.cjs', 'render-summary.cjs']);
      for (const step of scripts) {
        const file = /scripts\/action\/([\w.-]+)/.exec(step.run ?? '')?.[1] as string;
        const source = fs.readFileSync(path.join(PROJECT, 'scripts/action', file), 'utf8');
        // Every HOME_OPS_* the script reads (other than the binary, for tests) is set by its step,
        // and every variable the step sets is read, by the script or the run line.
        const read = [...new Set([...source.matchAll(/\b(HOME_OPS_[A-Z_]+)/g)].map((m) => m[1] as string))].filter((v) => v !== 'HOME_OPS_BIN');
        const set = Object.keys(step.env ?? {});
        for (const v of read) assert.ok(set.includes(v), `${file} reads ${v}, which its step does not set`);
        for (const v of set) assert.ok(read.includes(v) || (step.run ?? '').includes(`$${v}`), `${file}: its step sets ${v}, which nothing reads`);
      }
      const upload = ACTION.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
      assert.equal(upload?.with?.['sarif_file'], '${{ inputs.sarif }}');
    });

    it('the workflow in README.md and docs/cli.md uses only inputs the action has', () => {
      for (const doc of ['README.md', 'docs/cli.md']) {
        const md = fs.readFileSync(path.join(PROJECT, doc), 'utf8');
        const blocks = [...md.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string).filter((b) => /uses: <owner>\/home-ops@/.test(b));
        assert.equal(blocks.length, 1, `${doc} shows the action`);
        const workflow = parse(blocks[0] as string) as { jobs: Record<string, { steps: ActionStep[] }> };
        const step = Object.values(workflow.jobs)[0]?.steps.find((s) => s.uses?.startsWith('<owner>/home-ops@'));
        for (const key of Object.keys(step?.with ?? {})) assert.ok(ACTION.inputs[key], `${doc}: input ${key}`);
        const hooks = [...md.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string).filter((b) => /id: home-ops-lint/.test(b));
        assert.equal(hooks.length, 1, `${doc} shows the pre-commit hook`);
      }
    });
  });

  describe('install.sh', () => {
    let dir: string;
    beforeEach(() => (dir = tempDir('home-ops-action-')));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    function install(env: NodeJS.ProcessEnv) {
      const githubPath = path.join(dir, 'github-path');
      const runnerTemp = path.join(dir, 'runner-temp');
      fs.mkdirSync(runnerTemp);
      const clean: NodeJS.ProcessEnv = {};
      for (const k of Object.keys(process.env)) if (/^npm_/i.test(k)) clean[k] = undefined;
      const r = runStep('install.sh', { ...clean, RUNNER_TEMP: runnerTemp, GITHUB_PATH: githubPath, npm_config_logs_dir: path.join(dir, 'npm-logs'), npm_config_update_notifier: 'false', ...env }, dir);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const bin = fs.readFileSync(githubPath, 'utf8').trim();
      assert.equal(bin, path.join(runnerTemp, 'home-ops-cli', 'node_modules', '.bin'));
      return { bin: path.join(bin, 'home-ops'), out: r.stdout };
    }

    it('installs a tarball given as `cli`, offline', () => {
      const pkg = packAndInstall();
      const { bin, out } = install({ HOME_OPS_CLI: pkg.tarball, HOME_OPS_ACTION_PATH: '/nonexistent', npm_config_offline: 'true', npm_config_cache: path.join(dir, 'npm-cache') });
      assert.match(out, /^home-ops 0\.1\.0 installed in /m);
      assert.equal(spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout, '0.1.0\n');
    });

    it("builds the CLI from the action's own source when `cli` is empty (a checkout without node_modules)", () => {
      const source = projectSnapshot(dir, git);
      // The user's npm cache, read with prefer-offline: `npm ci` has the three packages the build needs.
      const { bin } = install({ HOME_OPS_CLI: '', HOME_OPS_ACTION_PATH: source.root, npm_config_prefer_offline: 'true' });
      const r = spawnSync(bin, ['rules'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^kustomize-missing-path +error /m);
    });
  });

  describe('lint.cjs', () => {
    let pkg: Packed;
    let workspace: string;
    before(() => (pkg = packAndInstall()));
    beforeEach(() => (workspace = tempDir('home-ops-action-ws-')));
    afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }));

    function lint(env: NodeJS.ProcessEnv) {
      const output = path.join(workspace, '.github-output');
      const r = runStep('lint.cjs', { HOME_OPS_BIN: pkg.bin, GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: output, HOME_OPS_PATH: '', HOME_OPS_ARGS: '', HOME_OPS_SARIF: '', ...env }, workspace);
      return { ...r, output: fs.existsSync(output) ? fs.readFileSync(output, 'utf8') : '' };
    }

    it('annotates files from the workspace for a folder below it, writes valid SARIF, and leaves failing to the last step', () => {
      fs.mkdirSync(path.join(workspace, 'infra/apps/my app'), { recursive: true });
      fs.writeFileSync(path.join(workspace, 'infra/apps/my app/kustomization.yaml'), KUSTOMIZATION);
      const r = lint({ HOME_OPS_PATH: 'infra', HOME_OPS_SARIF: 'out/home-ops.sarif' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.output, 'exit-code=1\n');
      assert.match(r.stdout, /^::error file=infra\/apps\/my app\/kustomization\.yaml,line=4,col=5,endLine=4,endColumn=17,title=kustomize-missing-path::"missing\.yaml" does not exist/m);
      assert.match(r.stdout, /^home-ops lint: 1 errors, 0 warnings, 0 notices$/m);
      const log = JSON.parse(fs.readFileSync(path.join(workspace, 'out/home-ops.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
      const validate = sarifValidator();
      assert.ok(validate(log), JSON.stringify(validate.errors));
      assert.deepEqual(log.runs[0]?.results.map((x) => x.locations[0]?.physicalLocation.artifactLocation.uri), ['infra/apps/my%20app/kustomization.yaml']);
    });

    it('passes extra arguments: a rule turned off makes the run clean', () => {
      fs.mkdirSync(path.join(workspace, 'app'));
      fs.writeFileSync(path.join(workspace, 'app/kustomization.yaml'), KUSTOMIZATION);
      const r = lint({ HOME_OPS_ARGS: '--rule kustomize-missing-path=off\n--schema never' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.output, 'exit-code=0\n');
      assert.doesNotMatch(r.stdout, /^::/m);
    });

    it('fails the step at once on a usage error, with an annotation', () => {
      const r = lint({ HOME_OPS_ARGS: '--rule no-such-rule=error' });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^::error title=home-ops::home-ops lint exited with 2$/m);
      assert.match(r.stderr, /unknown rule no-such-rule/);
      assert.equal(r.output, '');
    });
  });

  describe('render-summary.cjs', () => {
    let pkg: Packed;
    let repo: string;
    before(() => (pkg = packAndInstall()));
    beforeEach(() => (repo = tempDir('home-ops-action-render-')));
    afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

    const APPSET = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: apps
  namespace: argocd
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - git:
        repoURL: https://example.org/gitops.git
        revision: HEAD
        directories:
          - path: apps/*
  template:
    metadata:
      name: '{{.path.basename}}'
    spec:
      project: default
      source: {repoURL: https://example.org/gitops.git, targetRevision: HEAD, path: '{{.path.path}}'}
      destination: {server: https://kubernetes.default.svc, namespace: '{{.path.basename}}'}
`;
    const configMap = (name: string, data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: ${data}\n`;

    function renderSummary(revision: string, renderArgs = '') {
      const file = path.join(repo, '..', `${path.basename(repo)}.summary.md`);
      const r = runStep('render-summary.cjs', { HOME_OPS_BIN: pkg.bin, HOME_OPS_REV: revision, HOME_OPS_PATH: repo, HOME_OPS_RENDER_ARGS: renderArgs, GITHUB_STEP_SUMMARY: file, HOME_OPS_CACHE: path.join(repo, '..', `${path.basename(repo)}.cache`) }, repo);
      const md = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      fs.rmSync(file, { force: true });
      fs.rmSync(path.join(repo, '..', `${path.basename(repo)}.cache`), { recursive: true, force: true });
      return { ...r, md };
    }

    it('posts one collapsed section per changed app, with its diff, and the log as it is', () => {
      fs.mkdirSync(path.join(repo, 'argocd'));
      fs.writeFileSync(path.join(repo, 'argocd/apps.yaml'), APPSET);
      for (const app of ['web', 'db']) {
        fs.mkdirSync(path.join(repo, 'apps', app), { recursive: true });
        fs.writeFileSync(path.join(repo, 'apps', app, 'cm.yaml'), configMap(app, '"1"'));
      }
      git(repo, 'init', '--quiet');
      git(repo, 'add', '-A');
      git(repo, 'commit', '--quiet', '-m', 'one');
      assert.match(renderSummary('HEAD').md, /^No app's inputs differ from `HEAD`\.$/m);

      fs.writeFileSync(path.join(repo, 'apps/web/cm.yaml'), configMap('web', '"2"'));
      fs.mkdirSync(path.join(repo, 'apps/cache'));
      fs.writeFileSync(path.join(repo, 'apps/cache/cm.yaml'), configMap('cache', '"1"'));
      const r = renderSummary('HEAD');
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^# web \(apps\/web\): 1 changed$/m, 'the log has the CLI output');
      assert.equal(
        r.md,
        [
          '### Rendered changes since `HEAD`',
          '',
          '2 apps changed.',
          '',
          '<details><summary>cache (apps/cache): 1 added (new since HEAD)</summary>',
          '',
          '```diff',
          '--- /dev/null',
          '+++ b/ConfigMap/cache',
          '@@ -0,0 +1,6 @@',
          '+apiVersion: v1',
          '+kind: ConfigMap',
          '+metadata:',
          '+  name: cache',
          '+data:',
          '+  value: "1"',
          '```',
          '',
          '</details>',
          '',
          '<details><summary>web (apps/web): 1 changed</summary>',
          '',
          '```diff',
          '--- a/ConfigMap/web',
          '+++ b/ConfigMap/web',
          '@@ -3,4 +3,4 @@',
          ' metadata:',
          '   name: web',
          ' data:',
          '-  value: "1"',
          '+  value: "2"',
          '```',
          '',
          '</details>',
          '',
        ].join('\n'),
      );
    });

    it('a render that cannot start: its exit code, and the summary says so with the log', () => {
      git(repo, 'init', '--quiet');
      const r = renderSummary('HEAD', '--no-such-option');
      assert.equal(r.status, 2);
      assert.match(r.md, /^home-ops render failed before rendering any app \(see the log below\)\.$/m);
      assert.match(r.md, /^home-ops: unknown option --no-such-option$/m);
      const empty = renderSummary('');
      assert.equal(empty.status, 2);
      assert.match(empty.stderr, /HOME_OPS_REV \(the render-changed input\) is empty/);
    });
  });

  describe('summary format', () => {
    const HEADER = (name: string, extra = '1 changed') => `# ${name} (apps/${name}): ${extra}\n`;

    it('escapes HTML in headers, fences a diff holding backticks with a longer fence, marks failed renders', () => {
      const stdout = `${HEADER('a<b>')}--- a/ConfigMap/x\n+++ b/ConfigMap/x\n@@ -1 +1 @@\n-x: \`\`\`\n+x: y\n${HEADER('broken', 'render failed')}`;
      const md = summary.summaryMarkdown(stdout, '# [1/2] rendering a<b>\nhome-ops: render of broken failed (kustomize build):\nboom\n', { revision: 'origin/main', code: 1 });
      assert.match(md, /^2 apps changed, 1 failed to render\.$/m);
      assert.match(md, /^<details><summary>a&lt;b&gt; \(apps\/a&lt;b&gt;\): 1 changed<\/summary>$/m);
      assert.match(md, /^````diff\n--- a\/ConfigMap\/x\n[\s\S]*?\n-x: ```\n\+x: y\n````$/m);
      assert.match(md, /^<details><summary>❌ broken \(apps\/broken\): render failed<\/summary>\n\n<\/details>$/m);
      assert.match(md, /^<details><summary>home-ops log<\/summary>\n\n```text\nhome-ops: render of broken failed \(kustomize build\):\nboom\n```/m);
      assert.doesNotMatch(md, /rendering a<b>/, 'progress lines stay in the log');
    });

    it('keeps every header and stays within the size limit, saying how many lines it left out', () => {
      const body = Array.from({ length: 2000 }, (_, i) => `+  line-${i}: ${'x'.repeat(40)}`).join('\n');
      const apps = Array.from({ length: 30 }, (_, i) => `${HEADER(`app${i}`)}--- /dev/null\n+++ b/ConfigMap/app${i}\n@@ -0,0 +1,2000 @@\n${body}\n`).join('');
      const maxBytes = 200 * 1024;
      const md = summary.summaryMarkdown(apps, '', { revision: 'HEAD~1', code: 0, maxBytes, maxAppBytes: 16 * 1024 });
      assert.ok(Buffer.byteLength(md) <= maxBytes, `${Buffer.byteLength(md)} bytes`);
      assert.equal(md.match(/^<details><summary>app\d+ /gm)?.length, 30);
      assert.match(md, /^\*\d+ more lines not shown: the summary is limited in size; `home-ops render --changed` prints them all\.\*$/m);
      // The first apps get their share; later ones at least their header once the budget is spent.
      assert.match(md, /<summary>app0 [\s\S]*?```diff\n--- \/dev\/null\n/);
    });
  });
});
