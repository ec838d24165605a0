// Runs inside VS Code desktop through @vscode/test-cli (`npm run test:vscode`, on machines that
// can download VS Code). The offline tier in test/integration/ covers the same ground through
// code-server. The extension is driven through its exported API, not by importing its modules,
// so the bundle under test is the one VS Code loaded.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

interface HomeOpsApi {
  ready: Promise<void>;
  treeSnapshot(): Array<{ kind: string; label?: string; children?: unknown[] }>;
}

describe('Home-Ops in VS Code desktop', () => {
  it('activates on the example repository and shows its categories', async () => {
    const ext = vscode.extensions.getExtension<HomeOpsApi>('home-ops.home-ops');
    assert.ok(ext, 'the extension is installed');
    const api = await ext.activate();
    await api.ready;
    const labels = api.treeSnapshot().filter((n) => n.kind === 'category').map((n) => n.label);
    assert.deepEqual(labels, ['cert-manager', 'media', 'observability', 'selfhosted']);
  });

  it('contributes its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['homeOps.addApp', 'homeOps.previewRender', 'homeOps.connect']) assert.ok(commands.includes(id), id);
  });
});
