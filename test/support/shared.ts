/**
 * What tests need from outside the project: reference data (../shared: the real repositories,
 * the Argo CD CRDs and API description) and tools (go, helm, kustomize, kubectl, openssl, git).
 * One policy for every suite that needs them, called from its `before` hook (or from the one
 * test that needs them): when something is missing, in CI (CI set) the suite fails; locally it
 * is skipped with one line that names what is missing and how to get it. No other guard skips.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const SHARED = path.resolve(__dirname, '../../../shared');
export const CORPUS_ROOT = path.join(SHARED, 'corpus');

/** The seven real repositories the project is tested against (../shared/corpus). */
export const CORPORA = ['seed-home-ops', 'acelinkio__argocd-homelab', 'cterence__homelab-gitops', 'devxp-tech__gitops', 'edgard__home-ops', 'kyleseneker__homelab', 'mineblow__home-ops'] as const;
export type CorpusName = (typeof CORPORA)[number];

export function corpusPath(name: CorpusName): string {
  return path.join(CORPUS_ROOT, name);
}

/** Whether this run is CI, where everything a test needs must be present (CI=true, as CI services set it). */
export function inCi(): boolean {
  const v = process.env['CI'];
  return v !== undefined && v !== '' && v !== 'false' && v !== '0';
}

/** The one way a suite gives up: fail in CI, else say once what did not run and skip. */
function unavailable(ctx: Mocha.Context, what: string, missing: string, hint: string): false {
  const message = `${what}: ${missing}`;
  if (inCi()) throw new Error(`${message} — CI must have it (${hint})`);
  console.log(`      (skipped: ${message}; ${hint})`);
  ctx.skip();
  return false;
}

/**
 * For a suite's `before` hook: true when every path exists; otherwise fails in CI, or prints one
 * line and skips the suite locally.
 */
export function requireShared(ctx: Mocha.Context, what: string, ...paths: string[]): boolean {
  const missing = paths.filter((p) => !fs.existsSync(p));
  if (missing.length === 0) return true;
  return unavailable(ctx, what, `not found at ${missing.join(', ')}`, 'the reference data lives in ../shared beside the project');
}

/**
 * For input a test can do without locally (it then runs on less): true when every path exists;
 * otherwise fails in CI, or says in one line what the test leaves out.
 */
export function sharedIfPresent(what: string, ...paths: string[]): boolean {
  const missing = paths.filter((p) => !fs.existsSync(p));
  if (missing.length === 0) return true;
  const message = `${what}: not found at ${missing.join(', ')}`;
  if (inCi()) throw new Error(`${message} — CI must have it (the reference data lives in ../shared beside the project)`);
  console.log(`      (left out: ${message})`);
  return false;
}

/** Where scripts/tools/install.sh puts the pinned helm and kustomize. */
export const TOOLS_BIN = path.join(process.env['HOME_OPS_CACHE'] || path.join(os.homedir(), '.cache', 'home-ops'), 'tools', 'bin');

/** PATH with the tools cache first, so tests find the pinned binaries without setup. */
export const TOOL_ENV: NodeJS.ProcessEnv = { ...process.env, PATH: `${TOOLS_BIN}${path.delimiter}${process.env['PATH'] ?? ''}` };

export type Tool = 'go' | 'helm' | 'kustomize' | 'kubectl' | 'openssl' | 'git' | 'setsid' | 'pre-commit';

const HINTS: Record<Tool, string> = {
  go: 'install Go (https://go.dev/dl/)',
  helm: '`npm run tools:install` builds the pinned helm and kustomize with Go',
  kustomize: '`npm run tools:install` builds the pinned helm and kustomize with Go',
  kubectl: 'install kubectl',
  openssl: 'install openssl',
  git: 'install git',
  setsid: 'install util-linux (setsid starts a process in a session of its own)',
  'pre-commit': '`bash scripts/tools/install-pre-commit.sh` installs the pinned pre-commit (needs python3 with its venv module)',
};

/** What proves a tool runs (a binary that is found but does not start counts as missing). */
const VERSION_ARGS: Record<Tool, string[]> = {
  go: ['version'],
  helm: ['version', '--short'],
  kustomize: ['version'],
  kubectl: ['version', '--client'],
  openssl: ['version'],
  git: ['--version'],
  setsid: ['--version'],
  'pre-commit': ['--version'],
};

/** Tools installed at a place of their own rather than on PATH: the script that pins them says where. */
const INSTALLED_AT: Partial<Record<Tool, () => string>> = {
  'pre-commit': () => execFileSync('bash', [path.resolve(__dirname, '../../scripts/tools/install-pre-commit.sh'), '--print-bin'], { encoding: 'utf8' }).trim(),
};

const found = new Map<Tool, string | undefined>();

/** The tool's path (on TOOL_ENV's PATH: the tools cache, then PATH) when it runs; else undefined. */
export function toolPath(tool: Tool): string | undefined {
  if (!found.has(tool)) {
    let hit: string | undefined;
    const at = INSTALLED_AT[tool]?.();
    for (const dir of at !== undefined ? [path.dirname(at)] : (TOOL_ENV['PATH'] ?? '').split(path.delimiter)) {
      const file = path.join(dir, process.platform === 'win32' ? `${tool}.exe` : tool);
      if (dir === '' || !fs.existsSync(file)) continue;
      const r = spawnSync(file, VERSION_ARGS[tool], { env: TOOL_ENV, stdio: 'ignore', timeout: 20_000 });
      if (r.status === 0) hit = file;
      break;
    }
    found.set(tool, hit);
  }
  return found.get(tool);
}

/**
 * For a suite's `before` hook (or one test): true when every tool runs; otherwise fails in CI,
 * or prints one line and skips locally.
 */
export function requireTools(ctx: Mocha.Context, what: string, ...tools: Tool[]): boolean {
  const missing = tools.filter((t) => !toolPath(t));
  if (missing.length === 0) return true;
  return unavailable(ctx, what, `needs ${missing.join(', ')}, not found on PATH${missing.some((t) => t === 'helm' || t === 'kustomize') ? ` or in ${TOOLS_BIN}` : ''}`, [...new Set(missing.map((t) => HINTS[t]))].join('; '));
}
