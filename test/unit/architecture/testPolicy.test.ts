/**
 * One policy for what tests need from outside the project (test/support/shared.ts): a suite
 * whose reference data or tool is missing fails in CI and says so in one line locally. A guard
 * of its own (a bare skip, a CI check, a catch that skips) would bring back silent skips, so
 * none may exist outside that helper; a platform the test cannot run on is the one exception.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const HELPER = 'test/support/shared.ts';

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === 'fixtures' ? [] : tsFiles(path.join(dir, e.name))) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('tests: one policy for external data and tools', () => {
  it('no test skips, checks CI or gives up on a missing input except through test/support/shared.ts', () => {
    const offenders: string[] = [];
    for (const file of tsFiles(path.join(ROOT, 'test'))) {
      const rel = path.relative(ROOT, file).split(path.sep).join('/');
      if (rel === HELPER || rel === 'test/unit/architecture/testPolicy.test.ts') continue;
      fs.readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const skips = /\.skip\(\)|\b(it|describe)\.skip\(/.test(line) && !/process\.platform/.test(line);
          const ciCheck = /process\.env(\.CI\b|\[['"]CI['"]\])/.test(line);
          const shouted = /SKIPPED/.test(line);
          if (skips || ciCheck || shouted) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    assert.deepEqual(offenders, []);
  });

  it('no source comment points outside the repository', () => {
    const offenders: string[] = [];
    for (const file of tsFiles(path.join(ROOT, 'src'))) {
      const rel = path.relative(ROOT, file).split(path.sep).join('/');
      fs.readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/(\/\/|\/\*|^\s*\*).*(\.\.\/shared|\bshared\/(corpus|reference|argocd|DESIGN))/.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    assert.deepEqual(offenders, []);
  });
});
