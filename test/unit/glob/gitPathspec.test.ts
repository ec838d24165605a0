import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gitPathspecMatch } from '../../../src/core/glob/gitPathspec';
import { requireTools } from '../../support/shared';

const FILES = [
  'apps/a/config.yaml',
  'apps/a/values.yaml',
  'apps/b/sub/config.yaml',
  'apps/b/config.json',
  'apps-other/x.yaml',
  'clusters/prod/config.json',
  'clusters/dev/config.json',
  'clusters/dev/extra/config.json',
  'root.yaml',
  '.hidden/config.yaml',
  'a[1]/x.yaml',
  'star*dir/y.yaml',
];

describe('gitPathspecMatch (git ls-files pathspecs)', () => {
  it('lets `*` cross folders, as the git files generator documents', () => {
    assert.equal(gitPathspecMatch('apps/*.yaml', 'apps/a/config.yaml'), true);
    assert.equal(gitPathspecMatch('clusters/*/config.json', 'clusters/dev/extra/config.json'), true);
    assert.equal(gitPathspecMatch('clusters/*/config.json', 'apps/b/config.json'), false);
  });

  it('treats a pattern without wildcards as a path or folder prefix', () => {
    assert.equal(gitPathspecMatch('apps', 'apps/a/config.yaml'), true);
    assert.equal(gitPathspecMatch('apps', 'apps-other/x.yaml'), false);
    assert.equal(gitPathspecMatch('root.yaml', 'root.yaml'), true);
  });

  it('selects exactly what `git ls-files -- PATTERN` selects', function () {
    requireTools(this, 'pathspecs against git ls-files', 'git');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-pathspec-'));
    try {
      for (const f of FILES) {
        fs.mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), 'x: 1\n');
      }
      const git = (...args: string[]) => execFileSync('git', ['-c', 'core.fsmonitor=false', ...args], { cwd: dir, encoding: 'utf8' });
      git('init', '-q');
      git('add', '-A');
      const patterns = [
        '*', '*.yaml', '*.json', 'apps/*', 'apps/*/config.yaml', 'apps/**/config.yaml', 'apps/**', '**/config.json',
        'clusters/*/config.json', 'clusters/**/config.json', 'clusters', 'clusters/', 'apps', 'app*', 'apps?other/*',
        '[ab]pps/*', 'apps/[!a]/*', 'a[[]1]/*', 'star\\*dir/*', '.hidden/*', '*/config.*', 'root.yaml', 'nothing/*', '?oot.yaml',
        'apps/*/*.json', 'c*s/d*/c*', '*.[jy]*',
      ];
      const mismatches: string[] = [];
      for (const p of patterns) {
        const want = git('ls-files', '--full-name', '-z', '--', p).split('\0').filter(Boolean).sort();
        const got = FILES.filter((f) => gitPathspecMatch(p, f)).sort();
        if (JSON.stringify(want) !== JSON.stringify(got)) mismatches.push(`${p}: git ${JSON.stringify(want)} ours ${JSON.stringify(got)}`);
      }
      assert.deepEqual(mismatches, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
