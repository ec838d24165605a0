// Add App and the render preview in real VS Code, on a copy of the example repository, with the
// project's pinned helm and kustomize on PATH (scripts/tools/install.sh).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { homeOpsInstall, PROJECT_ROOT, startVSCode, waitFor, type VSCode } from './vscode-driver';

const TOOLS = execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts/tools/install.sh'), '--print-bin-dir'], { encoding: 'utf8' }).trim();

describe('Add App and render preview in VS Code', function () {
  let vscode: VSCode | undefined;
  let workspace: string;

  before(async function () {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-scaffold-'));
    fs.cpSync(path.join(PROJECT_ROOT, 'examples', 'homelab'), workspace, { recursive: true });
    // An umbrella chart over the repository's own chart (file://), and an app whose chart
    // registry is a loopback port where nothing listens.
    const apps = path.join(workspace, 'homelab/kubernetes/apps/selfhosted');
    fs.mkdirSync(path.join(apps, 'umbrella'));
    fs.writeFileSync(path.join(apps, 'umbrella/Chart.yaml'), `apiVersion: v2\nname: umbrella\nversion: 1.0.0\ndependencies:\n  - name: welcome-page\n    version: ${/^version:\s*(\S+)/m.exec(fs.readFileSync(path.join(workspace, 'homelab/charts/welcome-page/Chart.yaml'), 'utf8'))?.[1]}\n    repository: file://../../../../charts/welcome-page\n`);
    fs.mkdirSync(path.join(apps, 'offline'));
    fs.writeFileSync(path.join(apps, 'offline/kustomization.yaml'), 'namespace: selfhosted\nhelmCharts:\n  - name: podinfo\n    repo: http://127.0.0.1:9\n    version: 6.7.0\n    releaseName: podinfo\n');
    // The binaries through the settings a user would set (machine scope).
    vscode = await startVSCode({ folder: workspace, ...homeOpsInstall(), settings: { 'homeOps.render.helmPath': path.join(TOOLS, 'helm'), 'homeOps.render.kustomizePath': path.join(TOOLS, 'kustomize') } });
    // The extension registers its commands when it activates; wait for that before using them.
    await vscode.waitForCommand('Home-Ops: Focus Apps View');
    await vscode.runCommand('Home-Ops: Focus Apps View');
    await waitFor('the selfhosted category', async () => (await vscode!.treeViewRows('Apps')).some((r) => r.label === 'selfhosted'), 60_000);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await vscode?.screenshot(`failed-${this.currentTest.title.slice(0, 40)}`);
  });

  after(async () => {
    await vscode?.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('adds an app through the command palette: files in the neighbours\' style, the app in the tree', async () => {
    await vscode!.runCommand('Home-Ops: Add App');
    await vscode!.pickQuickItem('selfhosted');
    const prompt = await vscode!.answerInputWhen('Add App to selfhosted', 'my-app', /Application selfhosted-my-app in namespace selfhosted/);
    assert.match(prompt, /homelab\/kubernetes\/apps\/selfhosted\/my-app/);
    await vscode!.pickQuickItem('app-template');
    const dir = path.join(workspace, 'homelab/kubernetes/apps/selfhosted/my-app');
    await waitFor('the new kustomization on disk', () => fs.existsSync(path.join(dir, 'kustomization.yaml')), 30_000);
    const kustomization = fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8');
    assert.match(kustomization, /^---\n# yaml-language-server: \$schema=https:\/\/json\.schemastore\.org\/kustomization\.json\n/);
    assert.match(kustomization, /namespace: selfhosted\n/);
    assert.match(kustomization, /- name: app-template\n\s+repo: oci:\/\/ghcr\.io\/bjw-s-labs\/helm\n\s+version: 4\.6\.2\n\s+releaseName: my-app\n/);
    assert.ok(fs.existsSync(path.join(dir, 'values.yaml')));
    await waitFor('values.yaml opened with the cursor on the first placeholder', async () => /Ln 6, Col 23/.test(await vscode!.statusBarText()), 15_000);
    await vscode!.expandTreeRow('Apps', 'selfhosted');
    // Labelled by what tells it apart under selfhosted (the full name is in its tooltip).
    await waitFor('my-app in the tree under selfhosted', async () => (await vscode!.treeViewRows('Apps')).some((r) => r.label === 'my-app' && r.level === 2), 30_000);
    await vscode!.screenshot('home-ops-add-app');
  });

  it('previews the rendered manifests of an app whose chart is in the repository', async () => {
    await vscode!.runCommand('View: Close All Editors');
    await vscode!.runCommand('Home-Ops: Preview Rendered Manifests');
    await vscode!.pickQuickItem('selfhosted-welcome');
    const text = await waitFor('rendered objects', async () => {
      const t = await vscode!.activeEditorText();
      return /kind: Deployment/.test(t.replace(/\u00a0/g, ' ')) ? t.replace(/\u00a0/g, ' ') : undefined;
    }, 60_000);
    assert.match(text, /selfhosted-welcome — rendered as Argo CD would \(Kustomize\)/);
    assert.match(text, /kind: ConfigMap/);
    await vscode!.screenshot('home-ops-render-preview');
  });

  it('previews an umbrella chart whose dependency is a file:// chart of the repository (helm dependency build, as Argo CD)', async () => {
    await vscode!.runCommand('Home-Ops: Preview Rendered Manifests');
    await vscode!.pickQuickItem('selfhosted-umbrella');
    // The preview column is reused: wait for this app's document, not the one shown before.
    const text = await waitFor('rendered objects of selfhosted-umbrella', async () => {
      const t = (await vscode!.activeEditorText()).replace(/\u00a0/g, ' ');
      return /selfhosted-umbrella — rendered/.test(t) && /kind: Deployment/.test(t) ? t : undefined;
    }, 60_000);
    assert.match(text, /selfhosted-umbrella — rendered as Argo CD would \(Helm\): .*helm dependency build/);
    assert.ok(!fs.existsSync(path.join(workspace, 'homelab/kubernetes/apps/selfhosted/umbrella/charts')), 'nothing written into the workspace');
  });

  it('Check Tools names the binaries the preview runs and where they come from', async () => {
    await vscode!.runCommand('Home-Ops: Check Tools');
    const shown = await waitFor('the Check Tools notification', async () => (await vscode!.notifications()).find((n) => /kustomize v5\./.test(n)), 30_000);
    // The settings of this suite name the binaries in the tools cache.
    assert.match(shown, /kustomize v5\.\d+\.\d+ \(setting\), helm v3\.\d+\.\d+\S* \(setting\)/);
  });

  it('an unreachable chart registry: one line saying so, no diagnostic on the valid kustomization', async () => {
    await vscode!.runCommand('Home-Ops: Preview Rendered Manifests');
    await vscode!.pickQuickItem('selfhosted-offline');
    const text = await waitFor('the failure', async () => {
      const t = (await vscode!.activeEditorText()).replace(/\u00a0/g, ' ');
      return /Rendering selfhosted-offline failed/.test(t) ? t : undefined;
    }, 60_000);
    // Comment lines wrap at the editor's width: read them joined.
    const body = text.replace(/\n# /g, ' ');
    assert.match(body, /^# Rendering selfhosted-offline failed\. kustomize: chart podinfo 6\.7\.0 from http:\/\/127\.0\.0\.1:9: host 127\.0\.0\.1:9 unreachable \(connection refused\)\n#/);
    assert.equal(body.split('connection refused').length, 3, 'the summary, then the tool output once');
    await vscode!.openFile('homelab/kubernetes/apps/selfhosted/offline/kustomization.yaml');
    assert.equal(await vscode!.editorHasSquiggle('error'), false, 'an outage is no mistake in the file');
  });
});
