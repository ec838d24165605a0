// Values files that know their chart, in real VS Code (code-server, offline): on a small
// repository whose kustomization's chart is already where kustomize keeps it (chartHome), a wrong
// type in the values file is squiggled, completion inside a nested key offers the chart's keys,
// hover shows the default from the chart's values.yaml, and F12 on a key opens the template that
// reads it. No network: the chart is in the repository and the chart cache is an empty folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHART_FIXTURES } from '../support/chartArchive';
import { homeOpsInstall, startVSCode, waitFor, type VSCode } from './vscode-driver';

const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: media
helmCharts:
  - name: app-template
    repo: oci://ghcr.io/bjw-s-labs/helm
    version: 4.6.2
    releaseName: sonarr
    valuesFile: values.yaml
`;
// Line 4 is the cursor's place for completion (four spaces: inside `sonarr`).
const VALUES = 'controllers:\n  sonarr:\n    replicas: one\n    \ndefaultPodOptions:\n  restartPolicy: Never\n';

describe('values files know their chart in VS Code', function () {
  let vscode: VSCode | undefined;
  let workspace: string;
  let cache: string;

  before(async function () {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-values-'));
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-values-cache-'));
    fs.mkdirSync(path.join(workspace, 'apps/sonarr'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'apps/sonarr/kustomization.yaml'), KUSTOMIZATION);
    fs.writeFileSync(path.join(workspace, 'apps/sonarr/values.yaml'), VALUES);
    // Where kustomize v5 keeps a chart with repo and version: chartHome/<name>-<version>/<name>.
    fs.cpSync(path.join(CHART_FIXTURES, 'app-template'), path.join(workspace, 'apps/sonarr/charts/app-template-4.6.2/app-template'), { recursive: true });
    vscode = await startVSCode({ folder: workspace, env: { HOME_OPS_CHART_CACHE: cache }, ...homeOpsInstall() });
    await vscode.waitForCommand('Home-Ops: Fetch Charts');
    await vscode.openFile('apps/sonarr/values.yaml');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await vscode?.screenshot(`failed-values-${this.currentTest.title.slice(0, 30)}`);
  });

  after(async () => {
    await vscode?.close();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
    if (cache) fs.rmSync(cache, { recursive: true, force: true });
  });

  /** Go to Line/Column (Ctrl+G), then wait until the status bar shows the cursor there. */
  async function goTo(line: number, column: number): Promise<void> {
    const page = vscode!.page;
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget .quick-input-box input').first();
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    // Go to Line is Quick Open with the `:` prefix; fill replaces the whole text.
    await input.fill(`:${line}:${column}`);
    await page.keyboard.press('Enter');
    await waitFor(`the cursor at ${line}:${column}`, async () => new RegExp(`Ln ${line}, Col ${column}\\b`).test(await vscode!.statusBarText()), 15_000);
  }

  it('squiggles a value of the wrong type with the schema’s message', async () => {
    await waitFor('an error squiggle in values.yaml', () => vscode!.editorHasSquiggle('error'), 60_000);
    const problems = await vscode!.problems();
    const error = problems.find((p) => p.kind === 'error');
    assert.ok(error, JSON.stringify(problems));
    assert.equal(error.file, 'values.yaml');
    assert.match(error.message, /`replicas` must be an integer or empty, not a string/);
    assert.equal(error.line, 3);
    await vscode!.screenshot('values-squiggle');
  });

  it('completes the keys of a nested mapping from the chart', async () => {
    await vscode!.openFile('apps/sonarr/values.yaml');
    await goTo(4, 5);
    const page = vscode!.page;
    const labels = await waitFor(
      'the completion list',
      async () => {
        const rows = page.locator('.editor-widget.suggest-widget .monaco-list-row .label-name');
        const texts = (await rows.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
        if (texts.length >= 4) return texts;
        // Trigger Suggest (again: a keystroke that lands while the editor takes focus is lost).
        await page.keyboard.press('Control+Space');
        return undefined;
      },
      30_000,
      1_000,
    );
    await vscode!.screenshot('values-completion');
    await page.keyboard.press('Escape');
    assert.deepEqual([...labels].sort(), ['annotations', 'containers', 'enabled', 'pod', 'type']);
  });

  it('hover on a key shows its description and the chart’s default', async () => {
    const page = vscode!.page;
    await vscode!.openFile('apps/sonarr/values.yaml');
    await goTo(6, 5);
    // Show Hover at the cursor (Ctrl+K Ctrl+I), as a keyboard user asks for it.
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const text = await waitFor(
      'the hover',
      async () => {
        const hover = page.locator('.monaco-hover:not(.hidden) .hover-contents').first();
        const t = (await hover.isVisible()) ? await hover.innerText() : '';
        return /Default/.test(t) ? t : undefined;
      },
      30_000,
    );
    await vscode!.screenshot('values-hover');
    assert.match(text, /defaultPodOptions\.restartPolicy/);
    assert.match(text, /What the kubelet does when a container exits/);
    assert.match(text, /Default: "Always"/);
  });

  it('F12 on a key opens the chart template that reads it', async () => {
    await vscode!.openFile('apps/sonarr/values.yaml');
    await goTo(3, 6);
    await vscode!.page.keyboard.press('F12');
    // The breadcrumbs name the active editor's file (a preview tab's title is not read reliably).
    const crumbs = vscode!.page.locator('.editor-group-container.active .breadcrumbs-control').first();
    await waitFor('the template to open', async () => /app-template[\s\S]*templates[\s\S]*deployment\.yaml/.test(await crumbs.innerText().catch(() => '')), 30_000);
    assert.match(await vscode!.activeEditorText(), /\$controller\.replicas/);
    // The cursor is on the read: `{{ $controller.replicas` starts at column 16 of line 8.
    await waitFor('the cursor at the read', async () => /Ln 8, Col 16/.test(await vscode!.statusBarText()), 10_000);
  });
});
