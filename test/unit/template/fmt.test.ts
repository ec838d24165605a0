import assert from 'node:assert/strict';
import { formatFloat, formatValue, sprint, sprintf, sprintln } from '../../../src/core/template/fmt';
import { GoInt, type GoValue, typedMap, typedSlice } from '../../../src/core/template/value';
import { FMT_GOLDENS } from './fmt-goldens';

const I = (n: number, k: GoInt['kind'] = 'int'): GoInt => new GoInt(n, k);

/** The values fmt-goldens.ts was recorded with, by the names it uses. */
const VALUES: Record<string, GoValue> = {
  '"hi"': 'hi',
  '""': '',
  '"héllo\\n\\"q\\"`"': 'héllo\n"q"`',
  '"日本語"': '日本語',
  '1.5': 1.5,
  '0': 0,
  '1e6': 1e6,
  '123456': 123456,
  '1e21': 1e21,
  '1e20': 1e20,
  '0.0001': 0.0001,
  '0.00001': 0.00001,
  '1/3': 1 / 3,
  '-2.5': -2.5,
  '123456789': 123456789,
  NaN: NaN,
  '+Inf': Infinity,
  '-Inf': -Infinity,
  'int 42': I(42),
  'int -42': I(-42),
  'int 0': I(0),
  'uint8 255': I(255, 'uint8'),
  'int64 1234567': I(1234567, 'int64'),
  'int 0x1F600': I(0x1f600),
  true: true,
  nil: null,
  '[]interface{} mixed': ['a', I(1), 2.5, null, true],
  '[]string': typedSlice(['x', 'y'], 'string'),
  '[]byte': typedSlice([I(104, 'uint8'), I(105, 'uint8')], 'uint8'),
  map: { b: I(2), a: 'x', c: [I(1)], d: { z: null } },
  'map[string]string': typedMap({ k: 'v' }, 'string'),
  'empty slice': [],
  'empty map': {},
};

describe('fmt: Sprintf of every value kind with every verb (recorded from Go)', () => {
  for (const [name, rows] of Object.entries(FMT_GOLDENS)) {
    it(name, () => {
      const v = VALUES[name];
      assert.ok(v !== undefined, `no value named ${name}`);
      for (const [format, want] of rows) assert.equal(sprintf(format, v), want, `${format} of ${name}`);
    });
  }
});

describe('fmt: formatValue (%v)', () => {
  it('prints float64 the way Go %v does', () => {
    const cases: [number, string][] = [
      [1e6, '1e+06'],
      [123456, '123456'],
      [1.5, '1.5'],
      [1e21, '1e+21'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [NaN, 'NaN'],
      [Infinity, '+Inf'],
      [-Infinity, '-Inf'],
      [-0, '-0'],
      [1234567, '1.234567e+06'],
      [999999, '999999'],
      [0.1 + 0.2, '0.30000000000000004'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
    ];
    for (const [v, want] of cases) assert.equal(formatValue(v), want, String(v));
  });

  it('prints ints, bools, nil, slices and sorted maps', () => {
    assert.equal(formatValue(I(1000000)), '1000000');
    assert.equal(formatValue(true), 'true');
    assert.equal(formatValue(null), '<nil>');
    assert.equal(formatValue(['a', I(1), null, [2.5]]), '[a 1 <nil> [2.5]]');
    assert.equal(formatValue({ b: I(2), a: 1, c: { z: 'y' } }), 'map[a:1 b:2 c:map[z:y]]');
    // Go sorts by bytes: U+10000 (a surrogate pair in UTF-16) sorts after U+FFFD.
    assert.equal(formatValue({ '\u{10000}': 1, '\uFFFD': 2 }), 'map[\uFFFD:2 \u{10000}:1]');
  });
});

describe('fmt: Sprint and Sprintln', () => {
  it('adds spaces only between operands when neither is a string', () => {
    assert.equal(sprint('a', 'b'), 'ab');
    assert.equal(sprint(I(1), I(2)), '1 2');
    assert.equal(sprint('a', I(1), I(2), 'b'), 'a1 2b');
    assert.equal(sprint(I(1), 'a', I(2)), '1a2');
    assert.equal(sprint(null, null), '<nil> <nil>');
    assert.equal(sprint(), '');
  });
  it('Sprintln always separates and ends with a newline', () => {
    assert.equal(sprintln('a', 'b', I(1)), 'a b 1\n');
    assert.equal(sprintln(), '\n');
  });
});

describe('fmt: Sprintf argument handling', () => {
  const cases: [string, GoValue[], string][] = [
    ['%d %s', [I(1)], '1 %!s(MISSING)'],
    ['%d', [I(1), 'x', null], '1%!(EXTRA string=x, <nil>)'],
    ['%[2]d %[1]d', [I(1), I(2)], '2 1'],
    ['%[3]d', [I(1)], '%!d(BADINDEX)'],
    ['%[1]d %d', [I(1), I(2)], '1 2'],
    ['%*d', [I(5), I(3)], '    3'],
    ['%-*d|', [I(5), I(3)], '3    |'],
    ['%*d', [I(-5), I(3)], '3    '],
    ['%*d', ['x', I(3)], '%!(BADWIDTH)3'],
    ['%.*f', [I(2), 3.14159], '3.14'],
    ['%.*f', [2.0, 3.14159], '%!(BADPREC)3.141590'],
    ['%', [], '%!(NOVERB)'],
    ['%!', [I(1)], '%!!(int=1)'],
    ['%%', [], '%'],
    ['%5d', ['x'], '%!d(string=    x)'],
    ['%d', [[I(1), 'a', null, 2.5]], '[1 %!d(string=a) <nil> %!d(float64=2.5)]'],
    ['%d', [null], '%!d(<nil>)'],
    ['%.0f %.0f %.1f %.2f', [0.5, 2.5, 0.25, 1.005], '0 2 0.2 1.00'],
    ['%x %X %#x', [-1.0, 1.0, 0.5], '-0x1p+00 0X1P+00 0x1.0000p-01'],
  ];
  for (const [format, args, want] of cases) {
    it(`${format} ${JSON.stringify(args)}`, () => assert.equal(sprintf(format, ...args), want));
  }

  it('formatFloat matches strconv for fixed precisions (half to even on the exact value)', () => {
    assert.equal(formatFloat(0.125, 'f', 2), '0.12');
    assert.equal(formatFloat(0.375, 'f', 2), '0.38');
    assert.equal(formatFloat(1e23, 'e', 3), '1.000e+23');
    assert.equal(formatFloat(100000, 'g', 3), '1e+05');
    assert.equal(formatFloat(1, 'g', 3), '1');
  });
});
