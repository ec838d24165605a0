import assert from 'node:assert/strict';
import { GoInt } from '../../../src/core/template/value';
import { unmarshalJson } from '../../../src/core/template/sprig/json';
import { keyLess, marshalYaml, yamlFuncs } from '../../../src/core/template/sprig/yaml';
import { YAML_CASES } from './sprig-yaml-cases';

const call = (name: string, ...args: Parameters<NonNullable<(typeof yamlFuncs)[string]>['fn']>) => {
  const def = yamlFuncs[name];
  assert.ok(def);
  return def.fn(...args);
};

describe('sprig toYaml (sigs.k8s.io/yaml + go-yaml v2 emitter)', () => {
  for (const [json, want] of YAML_CASES) {
    it(`marshals ${json.length > 60 ? json.slice(0, 60) + '…' : json}`, () => {
      const v = unmarshalJson(json).value;
      if (want.startsWith('ERR ')) assert.throws(() => marshalYaml(v), { message: want.slice(4) });
      else assert.equal(marshalYaml(v), want);
    });
  }

  it('trims the final newline and keeps Go number types', () => {
    assert.equal(call('toYaml', { a: new GoInt(3, 'int64'), b: 3.0, c: 0.5 }), 'a: 3\nb: 3\nc: 0.5');
  });

  it('orders keys like go-yaml: digit runs numerically, letters before other runes', () => {
    const keys = ['a10', 'a9', 'b', 'B', '_x', 'a01b', 'a1b', '1', '01'];
    const sorted = keys.slice().sort((x, y) => (keyLess(x, y) ? -1 : keyLess(y, x) ? 1 : 0));
    // the order Go printed for these keys
    assert.deepEqual(sorted, ['_x', '1', '01', 'B', 'a1b', 'a01b', 'a9', 'a10', 'b']);
  });
});

describe('sprig fromYaml / fromYamlArray', () => {
  it('reads YAML 1.1 scalars the way go-yaml v2 does, numbers as float64', () => {
    assert.deepEqual(call('fromYaml', 'a: 1\nb: [yes, on, "x", ~]\nc: 2020-01-02\nd: 1:20'), {
      a: 1,
      b: [true, true, 'x', null],
      c: '2020-01-02',
      d: '1:20',
    });
  });
  it('gives an empty map or list for empty input', () => {
    assert.deepEqual(call('fromYaml', ''), {});
    assert.deepEqual(call('fromYamlArray', ''), []);
  });
  it('rejects the other container kind with encoding/json text', () => {
    assert.throws(() => call('fromYaml', '- a'), /cannot unmarshal array into Go value of type map\[string\]interface \{\}/);
    assert.throws(() => call('fromYamlArray', 'a: 1'), /cannot unmarshal object into Go value of type \[\]interface \{\}/);
    assert.throws(() => call('fromYaml', 'x'), /cannot unmarshal string into Go value/);
  });
  it('reports syntax errors', () => {
    assert.throws(() => call('fromYaml', 'a: [1'), /^Error: error converting YAML to JSON: yaml: /);
  });
});
