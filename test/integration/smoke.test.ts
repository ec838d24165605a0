// Smoke test of the integration harness: a real VS Code (code-server) starts offline on a small
// folder, loads a throwaway extension installed from a folder, and every driver helper works
// against it (command palette, tree view, Problems panel, screenshot).
//
//   npx mocha --config test/integration/.mocharc.integration.json
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startVSCode, waitFor, type VSCode } from './vscode-driver';

const EXTENSION_MANIFEST = {
  name: 'smoke-test',
  displayName: 'Smoke Test',
  publisher: 'home-ops-test',
  version: '0.0.1',
  engines: { vscode: '^1.90.0' },
  main: './extension.js',
  activationEvents: ['onStartupFinished'],
  capabilities: { untrustedWorkspaces: { supported: true } },
  contributes: {
    commands: [{ command: 'smokeTest.hello', title: 'Say Hello', category: 'Smoke Test' }],
    views: { explorer: [{ id: 'smokeTest.items', name: 'Smoke Items' }] },
  },
};

// Plain CommonJS, as an extension bundle is. SMOKE_MARKER_DIR comes from the server's environment.
const EXTENSION_MAIN = `
const vscode = require('vscode');
const fs = require('fs');
const path = require('path');
const marker = (name, data) =>
  fs.writeFileSync(path.join(process.env.SMOKE_MARKER_DIR, name), JSON.stringify(data));

exports.activate = (context) => {
  const items = {
    '': [{ id: 'alpha', label: 'alpha', collapsible: true }, { id: 'beta', label: 'beta', description: 'second' }],
    alpha: [{ id: 'gamma', label: 'gamma' }],
  };
  const tree = vscode.window.createTreeView('smokeTest.items', {
    treeDataProvider: {
      getChildren: (element) => items[element ? element.id : ''] || [],
      getTreeItem: (element) => {
        const item = new vscode.TreeItem(
          element.label,
          element.collapsible ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
        );
        item.description = element.description;
        return item;
      },
    },
  });
  const diagnostics = vscode.languages.createDiagnosticCollection('smoke');
  const file = vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'a.yaml');
  diagnostics.set(file, [
    new vscode.Diagnostic(new vscode.Range(1, 2, 1, 7), 'smoke error on line two', vscode.DiagnosticSeverity.Error),
    new vscode.Diagnostic(new vscode.Range(0, 0, 0, 4), 'smoke warning on line one', vscode.DiagnosticSeverity.Warning),
  ]);
  context.subscriptions.push(
    tree,
    diagnostics,
    vscode.commands.registerCommand('smokeTest.hello', () => {
      marker('hello.json', { at: Date.now() });
      vscode.window.showInformationMessage('Hello from the smoke test');
    }),
  );
  marker('activated.json', { vscodeVersion: vscode.version, folder: file.fsPath });
};
`;

describe('VS Code (code-server) in headless Chromium', function () {
  let vscode: VSCode | undefined;
  let tmp: string;
  let markers: string;
  let workspace: string;
  const started = Date.now();

  before(async function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-smoke-'));
    const extension = path.join(tmp, 'extension');
    markers = path.join(tmp, 'markers');
    workspace = path.join(tmp, 'workspace');
    for (const dir of [extension, markers, workspace]) fs.mkdirSync(dir);
    fs.writeFileSync(path.join(extension, 'package.json'), JSON.stringify(EXTENSION_MANIFEST, null, 2));
    fs.writeFileSync(path.join(extension, 'extension.js'), EXTENSION_MAIN);
    fs.writeFileSync(path.join(workspace, 'a.yaml'), 'kind: Kustomization\nresources: []\n');
    fs.writeFileSync(path.join(workspace, 'b.txt'), 'hello\n');

    vscode = await startVSCode({ folder: workspace, extensions: [extension], env: { SMOKE_MARKER_DIR: markers } });
    console.log(`      code-server up in ${vscode.timings.serverMs} ms, workbench ready in ${vscode.timings.workbenchMs} ms`);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && vscode) {
      const file = await vscode.screenshot(`smoke-failed-${this.currentTest.title}`).catch(() => undefined);
      if (file) console.log(`      screenshot of the failure: ${file}`);
    }
  });

  after(async function () {
    await vscode?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    console.log(`      whole suite: ${Date.now() - started} ms`);
  });

  it('loads the workbench with the folder in the explorer', async function () {
    const rows = await vscode!.page.locator('.explorer-folders-view .monaco-list-row').allInnerTexts();
    assert.ok(rows.some((r) => r.includes('a.yaml')), `explorer rows: ${JSON.stringify(rows)}`);
    assert.ok(rows.some((r) => r.includes('b.txt')), `explorer rows: ${JSON.stringify(rows)}`);
  });

  it('activates an extension installed from a folder', async function () {
    const file = path.join(markers, 'activated.json');
    const activated = await waitFor('the extension to activate', () => fs.existsSync(file), 60_000);
    assert.ok(activated);
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as { vscodeVersion: string; folder: string };
    assert.match(info.vscodeVersion, /^1\.\d+\.\d+/);
    assert.equal(info.folder, path.join(workspace, 'a.yaml'));
  });

  it('offers the contributed command in the palette and runs it', async function () {
    await vscode!.waitForCommand('Smoke Test: Say Hello');
    await vscode!.runCommand('Smoke Test: Say Hello');
    await waitFor('the command to run', () => fs.existsSync(path.join(markers, 'hello.json')), 30_000);
    const toasts = await waitFor('the notification', async () => {
      const texts = await vscode!.notifications();
      return texts.some((t) => t.includes('Hello from the smoke test')) && texts;
    });
    assert.ok(toasts.length >= 1);
  });

  it("reads the rows of the extension's tree view", async function () {
    const rows = await waitFor('three tree rows', async () => {
      const r = await vscode!.treeViewRows('Smoke Items');
      return r.length === 3 && r;
    });
    assert.deepEqual(
      rows.map((r) => [r.label, r.description, r.level, r.expanded]),
      [
        ['alpha', '', 1, true],
        ['gamma', '', 2, undefined],
        ['beta', 'second', 1, undefined],
      ],
    );
  });

  it("reads the extension's diagnostics from the Problems panel", async function () {
    const problems = await waitFor('three Problems rows', async () => {
      const p = await vscode!.problems();
      return p.length === 3 && p;
    });
    assert.deepEqual(
      problems.map((p) => [p.kind, p.file, p.message, p.line, p.column]),
      [
        ['file', 'a.yaml', '', undefined, undefined],
        ['error', 'a.yaml', 'smoke error on line two', 2, 3],
        ['warning', 'a.yaml', 'smoke warning on line one', 1, 1],
      ],
    );
    assert.match(problems[1]!.text, /^Error: smoke error on line two/);
  });

  it('saves a screenshot', async function () {
    const file = await vscode!.screenshot('smoke-workbench');
    assert.ok(fs.statSync(file).size > 10_000, `${file} is suspiciously small`);
    console.log(`      screenshot: ${path.relative(process.cwd(), file)}`);
  });
});
