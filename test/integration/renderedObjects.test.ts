// The problems of rendered objects in real VS Code (code-server, offline), with the project's
// pinned kustomize: a kustomize app whose manifests hold a misspelt kind (`apps/v1` `Deploymnet`,
// which the API server refuses) and a HorizontalPodAutoscaler at `autoscaling/v2beta2` (a version
// Kubernetes no longer serves). The preview lists both at its top, squiggles each object, and the
// Problems view has them under the preview; fixed and previewed again, all of it is gone, and a
// render that fails leaves none behind.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { homeOpsInstall, PROJECT_ROOT, startVSCode, waitFor, type Problem, type VSCode } from './vscode-driver';

const TOOLS = execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts/tools/install.sh'), '--print-bin-dir'], { encoding: 'utf8' }).trim();

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
        repoURL: https://git.example.org/home-ops.git
        revision: main
        directories:
          - path: apps/*
  template:
    metadata:
      name: "{{.path.basename}}"
    spec:
      project: default
      source:
        repoURL: https://git.example.org/home-ops.git
        targetRevision: main
        path: "{{.path.path}}"
      destination:
        server: https://kubernetes.default.svc
        namespace: web
`;
const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: web\nresources:\n  - deployment.yaml\n  - hpa.yaml\n';
const deployment = (kind: string) => `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n`;
const hpa = (apiVersion: string) => `apiVersion: ${apiVersion}\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  minReplicas: 1\n  maxReplicas: 3\n`;
const PREVIEW = 'web.rendered.yaml';

describe('problems of rendered objects in the preview, in VS Code', function () {
  let vscode: VSCode | undefined;
  let workspace: string;

  before(async function () {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-rendered-objects-'));
    fs.mkdirSync(path.join(workspace, 'argocd'));
    fs.mkdirSync(path.join(workspace, 'apps/web'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'argocd/apps.yaml'), APPSET);
    fs.writeFileSync(path.join(workspace, 'apps/web/kustomization.yaml'), KUSTOMIZATION);
    fs.writeFileSync(path.join(workspace, 'apps/web/deployment.yaml'), deployment('Deploymnet'));
    fs.writeFileSync(path.join(workspace, 'apps/web/hpa.yaml'), hpa('autoscaling/v2beta2'));
    vscode = await startVSCode({ folder: workspace, ...homeOpsInstall(), settings: { 'homeOps.render.kustomizePath': path.join(TOOLS, 'kustomize'), 'homeOps.render.helmPath': path.join(TOOLS, 'helm') } });
    await vscode.waitForCommand('Home-Ops: Focus Apps View');
    await vscode.runCommand('Home-Ops: Focus Apps View');
    // The palette's app list is the tree's: wait until the app is in it.
    await waitFor('the apps category', async () => (await vscode!.treeViewRows('Apps')).some((r) => r.label === 'apps'), 60_000);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await vscode?.screenshot(`failed-rendered-objects-${this.currentTest.title.slice(0, 30)}`);
  });

  after(async () => {
    await vscode?.close();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  /**
   * Runs the preview of `web` and waits until it shows a render (or its failure) whose text
   * `ready` accepts; returns its lines as shown, and its text with the comment lines the header
   * wraps at the editor's width joined (a line that starts no item).
   */
  async function preview(what: string, ready: (text: string) => boolean): Promise<{ lines: string[]; text: string }> {
    await vscode!.runCommand('Home-Ops: Preview Rendered Manifests');
    await vscode!.pickQuickItem('web');
    const shown = await waitFor(what, async () => {
      const t = (await vscode!.activeEditorText()).replace(/\u00a0/g, ' ');
      return /web — rendered as Argo CD would \(Kustomize\)|^# Rendering web failed\./m.test(t) && ready(t) ? t : undefined;
    }, 60_000);
    return { lines: shown.split('\n'), text: shown.replace(/\n# (?!Error: |Warning: |web — |\d+ objects)/g, ' ') };
  }

  const previewProblems = async (): Promise<Problem[]> => (await vscode!.problems()).filter((p) => p.file === PREVIEW && p.kind !== 'file');

  it('lists the error and the warning at the top of the preview, squiggles the objects, and shows them in the Problems view', async () => {
    const { lines, text } = await preview('the preview with the misspelt kind', (t) => /kind: Deploymnet/.test(t));
    assert.match(text, /^# Error: Deploymnet\/web: no matches for kind "Deploymnet" in version "apps\/v1": apps\/v1 has no kind Deploymnet; the sync fails\.$/m);
    assert.match(text, /^# Warning: HorizontalPodAutoscaler\/web: no matches for kind "HorizontalPodAutoscaler" in version "autoscaling\/v2beta2": Kubernetes \S+ does not serve autoscaling\/v2beta2 \(Kubernetes serves HorizontalPodAutoscaler as autoscaling\/v1, autoscaling\/v2\); the sync fails unless the cluster serves it\.$/m);
    await waitFor('an error squiggle in the preview', () => vscode!.editorHasSquiggle('error'), 15_000);
    assert.ok(await vscode!.editorHasSquiggle('warning'), 'a warning squiggle in the preview');
    await vscode!.screenshot('rendered-objects-preview');

    const problems = await waitFor('both in the Problems view', async () => {
      const p = await previewProblems();
      return p.length >= 2 ? p : undefined;
    }, 15_000);
    assert.deepEqual(problems.map((p) => p.kind).sort(), ['error', 'warning'], JSON.stringify(problems));
    const error = problems.find((p) => p.kind === 'error') as Problem;
    const warning = problems.find((p) => p.kind === 'warning') as Problem;
    assert.match(error.message, /^Deploymnet\/web: no matches for kind "Deploymnet" in version "apps\/v1"/);
    assert.match(warning.message, /^HorizontalPodAutoscaler\/web: no matches for kind "HorizontalPodAutoscaler" in version "autoscaling\/v2beta2"/);
    for (const p of problems) assert.match(p.source, /home-ops render/);
    // Each on its object's first line in the preview, below the header.
    assert.equal(lines[(error.line ?? 0) - 1], 'apiVersion: apps/v1', `the error at line ${error.line}`);
    assert.equal(lines[(warning.line ?? 0) - 1], 'apiVersion: autoscaling/v2beta2', `the warning at line ${warning.line}`);
  });

  it('fixed and previewed again: the header, the squiggles and the problems are gone', async () => {
    fs.writeFileSync(path.join(workspace, 'apps/web/deployment.yaml'), deployment('Deployment'));
    fs.writeFileSync(path.join(workspace, 'apps/web/hpa.yaml'), hpa('autoscaling/v2'));
    const { text } = await preview('the preview of the fixed app', (t) => /kind: Deployment\n/.test(t) && !/autoscaling\/v2beta2/.test(t));
    assert.doesNotMatch(text, /^# (Error|Warning):/m);
    assert.match(text, /apiVersion: autoscaling\/v2\nkind: HorizontalPodAutoscaler/);
    await waitFor('no squiggle in the preview', async () => !(await vscode!.editorHasSquiggle('error')) && !(await vscode!.editorHasSquiggle('warning')), 15_000);
    await waitFor('nothing under the preview in the Problems view', async () => (await previewProblems()).length === 0, 15_000);
  });

  it('a render that fails leaves none of the previous render\'s problems on the preview', async () => {
    fs.writeFileSync(path.join(workspace, 'apps/web/deployment.yaml'), deployment('Deploymnet'));
    await preview('the preview with the misspelt kind again', (t) => /kind: Deploymnet/.test(t));
    await waitFor('the error in the Problems view', async () => (await previewProblems()).some((p) => p.kind === 'error'), 15_000);
    fs.writeFileSync(path.join(workspace, 'apps/web/kustomization.yaml'), `${KUSTOMIZATION}  - missing.yaml\n`);
    await preview('the failed render', (t) => /^# Rendering web failed\./m.test(t));
    await waitFor('nothing under the preview in the Problems view', async () => (await previewProblems()).length === 0, 15_000);
  });

  it('a field the schema refuses is shown at its own line', async () => {
    fs.writeFileSync(path.join(workspace, 'apps/web/kustomization.yaml'), KUSTOMIZATION);
    fs.writeFileSync(path.join(workspace, 'apps/web/deployment.yaml'), deployment('Deployment').replace('spec:\n  selector:', 'spec:\n  replicas: "2"\n  selector:'));
    const { lines, text } = await preview('the preview with a quoted replica count', (t) => /replicas: "2"/.test(t));
    assert.match(text, /^# Error: Deployment\/web: spec\.replicas must be an integer, not a string \("2"\): the API server cannot decode it and the sync fails\.$/m);
    const problem = await waitFor('the field error in the Problems view', async () => (await previewProblems()).find((p) => p.kind === 'error'), 15_000);
    assert.equal(lines[(problem.line ?? 0) - 1], '  replicas: "2"', `the error at line ${problem.line}`);
  });
});
