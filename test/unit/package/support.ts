/**
 * The npm package as users get it: packed from the project with the real `npm pack`, installed
 * into a temporary folder, run from there. npm's cache and logs go to temporary folders too, so
 * nothing is written outside them and the project (whose dist/cli.js `npm pack` rebuilds).
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const PROJECT = path.resolve(__dirname, '../../..');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * npm's environment for a test: its own cache (so an offline install proves the package needs no
 * registry) and log folder, no update check, no user configuration.
 */
export function npmEnv(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (/^npm_/i.test(k)) delete env[k];
  return {
    ...env,
    npm_config_cache: path.join(dir, 'npm-cache'),
    npm_config_logs_dir: path.join(dir, 'npm-logs'),
    npm_config_userconfig: path.join(dir, 'npmrc'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    ...extra,
  };
}

export function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  return execFileSync('npm', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

export interface Packed {
  dir: string;
  tarball: string;
  /** The files in the tarball, as `npm pack --json` lists them (sorted). */
  files: string[];
  /** The folder the tarball was installed into (`npm install --offline`), its `home-ops` binary. */
  consumer: string;
  bin: string;
}

let packed: Packed | undefined;

/**
 * Packs the project and installs the tarball offline, once per test run (the suites share it);
 * the folder is removed when the process exits.
 */
export function packAndInstall(): Packed {
  if (packed) return packed;
  const dir = tempDir('home-ops-pack-');
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const env = npmEnv(dir);
  const json = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], PROJECT, env)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const entry = json[0];
  if (!entry) throw new Error('npm pack printed no package');
  const tarball = path.join(dir, entry.filename);
  const consumer = path.join(dir, 'consumer');
  fs.mkdirSync(consumer);
  fs.writeFileSync(path.join(consumer, 'package.json'), '{ "private": true }\n');
  npm(['install', '--offline', '--no-audit', '--no-fund', tarball], consumer, env);
  packed = {
    dir,
    tarball,
    files: entry.files.map((f) => f.path).sort(),
    consumer,
    bin: path.join(consumer, 'node_modules', '.bin', 'home-ops'),
  };
  return packed;
}

export function runBin(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  return spawnSync(bin, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/**
 * The project as it would be committed now (tracked files and new ones .gitignore does not
 * ignore, as they are on disk), committed in a fresh Git repository: what a Git install of this
 * repository (pre-commit, the action) starts from. No node_modules, no dist/.
 */
export function projectSnapshot(into: string, git: (cwd: string, ...args: string[]) => string): { root: string; rev: string } {
  const root = path.join(into, 'home-ops-src');
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: PROJECT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && f !== 'node_modules' && !f.startsWith('node_modules/') && !f.startsWith('dist/'));
  for (const f of listed) {
    const from = path.join(PROJECT, f);
    if (!fs.existsSync(from)) continue; // deleted in the working tree, not yet in the index
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.cpSync(from, path.join(root, f), { verbatimSymlinks: true });
  }
  git(root, 'init', '--quiet');
  git(root, 'add', '-A');
  git(root, 'commit', '--quiet', '-m', 'snapshot');
  return { root, rev: git(root, 'rev-parse', 'HEAD').trim() };
}
