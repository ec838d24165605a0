import { strict as assert } from 'node:assert';
import { lastOption, parseArgs } from '../../../src/cli/args';

describe('CLI argument parsing', () => {
  it('reads flags, options in both spellings (repeatable), and positionals', () => {
    const p = parseArgs(['repo', '--json', '--rule', 'a=off', '--rule=b=error', '--format=sarif'], { flags: ['--json'], options: ['--rule', '--format'], maxPositional: 1 });
    assert.ok(!('error' in p));
    assert.deepEqual(p.positional, ['repo']);
    assert.ok(p.flags.has('--json'));
    assert.deepEqual(p.options.get('--rule'), ['a=off', 'b=error']);
    assert.equal(lastOption(p, '--format'), 'sarif');
  });

  it('says what is wrong', () => {
    assert.deepEqual(parseArgs(['--nope'], { maxPositional: 1 }), { error: 'unknown option --nope' });
    assert.deepEqual(parseArgs(['a', 'b'], { maxPositional: 1 }), { error: 'unexpected argument b' });
    assert.deepEqual(parseArgs(['--format'], { options: ['--format'], maxPositional: 0 }), { error: '--format needs a value' });
  });
});
