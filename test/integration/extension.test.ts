// Home-Ops in real VS Code (code-server, offline): the extension as built (dist/) installed from
// its folder, on a copy of the example repository.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { homeOpsInstall, PROJECT_ROOT, startVSCode, waitFor, type VSCode } from './vscode-driver';

const EXAMPLE = path.join(PROJECT_ROOT, 'examples', 'homelab');

describe('Home-Ops in VS Code', function () {
  let vscode: VSCode | undefined;
  let workspace: string;

  before(async function () {
    assert.ok(fs.existsSync(path.join(PROJECT_ROOT, 'dist', 'extension.js')), 'run `npm run build` first');
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-it-'));
    fs.cpSync(EXAMPLE, workspace, { recursive: true });
    vscode = await startVSCode({ folder: workspace, ...homeOpsInstall() });
    // The extension registers its commands when it activates; wait for that before using them.
    await vscode.waitForCommand('Home-Ops: Focus Apps View');
  });

  after(async () => {
    await vscode?.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('activates and lists the categories of the repository in the Home-Ops view', async () => {
    await vscode!.runCommand('Home-Ops: Focus Apps View');
    const rows = await waitFor(
      'the media category in the Apps view',
      async () => {
        const r = await vscode!.treeViewRows('Apps');
        return r.some((x) => x.label === 'media') ? r : undefined;
      },
      60_000,
    );
    assert.deepEqual(
      rows.filter((r) => r.level === 1).map((r) => `${r.label} ${r.description}`),
      // Each category with its count; the generator path is in the tooltip.
      ['cert-manager 1', 'media 3', 'observability 2', 'selfhosted 4', 'Applications 1'],
    );
    await vscode!.screenshot('home-ops-tree');
  });

  it('shows a broken kustomization reference in the Problems panel and in the editor', async () => {
    const file = path.join(workspace, 'homelab/kubernetes/apps/media/jellyfin/kustomization.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('valuesFile: values.yaml', 'valuesFile: valus.yaml'));
    const problems = await waitFor(
      'the missing values file in the Problems panel',
      async () => {
        const p = await vscode!.problems();
        return p.some((x) => /valus\.yaml/.test(x.message)) ? p : undefined;
      },
      60_000,
    );
    const marker = problems.find((x) => /valus\.yaml/.test(x.message))!;
    assert.equal(marker.kind, 'error');
    assert.equal(marker.file, 'kustomization.yaml');
    assert.match(marker.message, /"valus\.yaml" does not exist; did you mean "values\.yaml"\?/);
    // And in the editor: opened, the file shows the error squiggle.
    await vscode!.openFile('homelab/kubernetes/apps/media/jellyfin/kustomization.yaml');
    await waitFor('an error squiggle in the editor', () => vscode!.editorHasSquiggle('error'), 30_000);
    await vscode!.screenshot('home-ops-problems');
  });
});
