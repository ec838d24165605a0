import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { BadPatternError, goPathMatch } from '../../../src/core/glob/goPathMatch';
import { requireTools } from '../../support/shared';

function match(pattern: string, name: string): boolean | 'bad' {
  try {
    return goPathMatch(pattern, name);
  } catch (e) {
    if (e instanceof BadPatternError) return 'bad';
    throw e;
  }
}

describe('goPathMatch (Go path.Match)', () => {
  it('keeps `*` inside one path segment, as the git directory generator needs', () => {
    assert.equal(match('apps/*', 'apps/media'), true);
    assert.equal(match('apps/*', 'apps/media/jellyfin'), false);
    assert.equal(match('apps/*/*', 'apps/media/jellyfin'), true);
    assert.equal(match('apps/**', 'apps/media/jellyfin'), false, '** is not recursive in Go');
    assert.equal(match('*', 'apps'), true);
    assert.equal(match('apps/openebs', 'apps/openebs'), true, 'a pattern without glob matches that directory');
    assert.equal(match('/apps/*', 'apps/x'), false, 'candidates never start with a slash');
  });

  it('handles ?, classes, negation and escapes', () => {
    assert.equal(match('a?c', 'abc'), true);
    assert.equal(match('a?c', 'a/c'), false);
    assert.equal(match('[a-c]x', 'bx'), true);
    assert.equal(match('[^a-c]x', 'bx'), false);
    assert.equal(match('a\\*b', 'a*b'), true);
    assert.equal(match('a\\*b', 'axb'), false);
  });

  it('reports malformed patterns like Go', () => {
    assert.equal(match('[', 'a'), 'bad');
    assert.equal(match('a\\', 'a'), 'bad');
    assert.equal(match('[a-]', 'a'), 'bad');
  });

  it('agrees with Go on generated cases', function () {
    requireTools(this, "path.Match against Go's own", 'go');
    const alphabet = ['a', 'b', '/', '*', '?', '[', ']', '^', '-', '\\', 'é'];
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const word = (max: number) => Array.from({ length: rand(max) }, () => alphabet[rand(alphabet.length)]).join('');
    const names = ['a', 'b', '/', 'é', '-'];
    const cases: Array<[string, string]> = [];
    for (let i = 0; i < 3000; i++) {
      cases.push([word(7), Array.from({ length: rand(6) }, () => names[rand(names.length)]).join('')]);
    }
    const go = spawnSync('go', ['run', 'main.go'], {
      cwd: path.join(__dirname, '../../oracle/pathmatch'),
      input: cases.map((c) => JSON.stringify(c)).join('\n') + '\n',
      encoding: 'utf8',
      env: { ...process.env, GOFLAGS: '-mod=mod' },
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(go.status, 0, go.stderr);
    const results = go.stdout.trim().split('\n').map((l) => JSON.parse(l) as { match: boolean; bad: boolean });
    const mismatches: string[] = [];
    cases.forEach(([p, n], i) => {
      const want = results[i]!.bad ? 'bad' : results[i]!.match;
      const got = match(p, n);
      // Go returns a match before it looks at a malformed remainder; only compare decided outcomes.
      if (got !== want) mismatches.push(`${JSON.stringify(p)} vs ${JSON.stringify(n)}: Go ${want}, ours ${got}`);
    });
    assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} of ${cases.length} differ`);
  });
});
