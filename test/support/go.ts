/**
 * Tests that compare the engine with Go itself need the Go toolchain. Without it they skip
 * loudly on a developer machine; in CI (CI=true) a missing toolchain fails instead, so the
 * oracle cannot silently stop running.
 */
import { spawnSync } from 'node:child_process';

let cached: boolean | undefined;

export function goAvailable(): boolean {
  if (cached === undefined) cached = spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0;
  return cached;
}

export function requireGoInCi(): void {
  if (process.env['CI'] === 'true') throw new Error('The Go toolchain is required in CI for the differential tests, and `go` was not found on PATH.');
  console.warn('SKIPPED: Go toolchain not found — a differential test against Go did not run');
}
