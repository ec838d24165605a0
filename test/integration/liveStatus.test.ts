// Live Argo CD status in the Home-Ops view, in real VS Code: the extension connects to the
// local Argo CD API double (responses checked against swagger.json by the contract tests) with a
// token typed into its Connect flow, shows sync/health per app and both orphan groups, and
// follows a MODIFIED event from the watch stream.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeArgoCd } from '../argocd/server';
import { makeApp, withStatus } from '../argocd/apps';
import { homeOpsInstall, PROJECT_ROOT, startVSCode, waitFor, type TreeRow, type VSCode } from './vscode-driver';

describe('Home-Ops live status in VS Code', function () {
  let vscode: VSCode | undefined;
  let argocd: FakeArgoCd | undefined;
  let workspace: string;

  before(async function () {
    argocd = await FakeArgoCd.start();
    argocd.setApps([
      makeApp('media-jellyfin', { sync: 'Synced', health: 'Healthy', appSet: 'media' }),
      makeApp('media-navidrome', { sync: 'OutOfSync', health: 'Progressing', appSet: 'media' }),
      makeApp('retired-app', { sync: 'Synced', health: 'Healthy' }),
    ]);
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-live-'));
    fs.cpSync(path.join(PROJECT_ROOT, 'examples', 'homelab'), workspace, { recursive: true });
    vscode = await startVSCode({ folder: workspace, ...homeOpsInstall() });
    // The extension registers its commands when it activates; wait for that before using them.
    await vscode.waitForCommand('Home-Ops: Focus Apps View');
  });

  after(async () => {
    await vscode?.close();
    await argocd?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  const rows = async (): Promise<TreeRow[]> => vscode!.treeViewRows('Apps');
  const row = (all: TreeRow[], label: string) => all.find((r) => r.label === label);

  it('connects with a token and shows live status, with apps missing on either side', async () => {
    await vscode!.runCommand('Home-Ops: Focus Apps View');
    await waitFor('the repository categories', async () => row(await rows(), 'media'), 60_000);
    await vscode!.runCommand('Home-Ops: Connect to Argo CD');
    await vscode!.pickQuickItem('Use an API token');
    await vscode!.answerInput('Argo CD server', argocd!.url);
    await vscode!.answerInput('Argo CD API token', argocd!.issueToken());
    await waitFor('the Not in repository group', async () => row(await rows(), 'Not in repository'), 30_000);
    await vscode!.expandTreeRow('Apps', 'media');
    const all = await waitFor('status on media-jellyfin', async () => {
      const r = await rows();
      return /Synced · Healthy/.test(row(r, 'jellyfin')?.description ?? '') ? r : undefined;
    }, 30_000);
    assert.match(row(all, 'navidrome')?.description ?? '', /^OutOfSync · Progressing/);
    // The icons say it too: healthy and synced, progressing (spinning), not deployed.
    assert.equal(row(all, 'jellyfin')?.icon, 'pass-filled');
    assert.match(row(all, 'navidrome')?.icon ?? '', /^loading/);
    assert.equal(row(all, 'audiobookshelf')?.icon, 'cloud-upload');
    assert.match(row(all, 'audiobookshelf')?.description ?? '', /^Not deployed/);
    await vscode!.screenshot('home-ops-live');
  });

  it('keeps the token out of settings, logs and the workspace', async () => {
    const tokens = argocd!.issuedTokens();
    assert.ok(tokens.length > 0);
    const leaks: string[] = [];
    const scan = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) scan(p);
        else if (e.isFile() && fs.statSync(p).size < 50_000_000) {
          const text = fs.readFileSync(p, 'latin1');
          if (tokens.some((t) => text.includes(t))) leaks.push(p);
        }
      }
    };
    // VS Code keeps secrets in the browser's storage, never in these folders.
    scan(vscode!.tempDir);
    scan(workspace);
    assert.deepEqual(leaks, []);
    const settings = fs.readFileSync(path.join(vscode!.tempDir, 'user-data', 'User', 'settings.json'), 'utf8') + (fs.existsSync(path.join(workspace, '.vscode', 'settings.json')) ? fs.readFileSync(path.join(workspace, '.vscode', 'settings.json'), 'utf8') : '');
    assert.ok(settings.includes(argocd!.url), 'the server URL is a setting');
  });

  it('changes an app after a MODIFIED event on the watch stream', async () => {
    const jellyfin = argocd!.getApp('media-jellyfin')!;
    argocd!.emit('MODIFIED', withStatus(jellyfin, { health: 'Degraded', healthMessage: 'Back-off restarting failed container' }));
    const after = await waitFor('media-jellyfin Degraded', async () => {
      const r = await rows();
      return /Synced · Degraded/.test(row(r, 'jellyfin')?.description ?? '') ? r : undefined;
    }, 30_000);
    assert.equal(row(after, 'jellyfin')?.icon, 'error');
    await vscode!.screenshot('home-ops-live-degraded');
  });
});
