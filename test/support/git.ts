/**
 * Real git for tests that need a real repository (index versions, worktrees, force-added
 * files). The user's and the system's configuration are kept out: a global `feature.manyFiles`
 * or `index.version` would change the index the tests mean to write.
 */
import { execFileSync } from 'node:child_process';

const ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
const CONFIG = ['-c', 'user.name=Home-Ops Test', '-c', 'user.email=test@example.org', '-c', 'commit.gpgsign=false', '-c', 'core.fsmonitor=false', '-c', 'init.defaultBranch=main'];

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...CONFIG, ...args], { cwd, encoding: 'utf8', env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `git ls-files -z` as a list (raw bytes decoded as UTF-8, as the index reader decodes them). */
export function lsFiles(cwd: string, ...args: string[]): string[] {
  const out = execFileSync('git', [...CONFIG, 'ls-files', '-z', ...args], { cwd, env: ENV });
  return out
    .toString('utf8')
    .split('\0')
    .filter((p) => p !== '');
}

export function gitAvailable(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
