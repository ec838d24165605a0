import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GoInt, GoValue, elemTypeOf, goTypeName } from '../../../src/core/template/value';
import { ARGOCD_FUNCTION_NAMES, argoCdFuncs } from '../../../src/core/template/sprig/index';
import { translate } from '../../../src/core/template/sprig/regex';
import { sanitizeName, slugMake } from '../../../src/core/template/sprig/argocd';
import { parseGoFloat, parseGoInt } from '../../../src/core/template/sprig/util';

const funcs = argoCdFuncs();
function call(name: string, ...args: GoValue[]): GoValue {
  const def = funcs.get(name);
  assert.ok(def, `no function ${name}`);
  return def.fn(...args);
}
const int = (n: number) => new GoInt(n);

describe('sprig function map', () => {
  it('holds exactly the Argo CD list plus push/mustPush', () => {
    const listed = readFileSync(join(__dirname, '../../../../shared/argocd/appset-gotemplate-functions.txt'), 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'));
    assert.deepEqual([...funcs.keys()].sort(), [...listed, 'push', 'mustPush'].sort());
    assert.equal(new Set(ARGOCD_FUNCTION_NAMES).size, ARGOCD_FUNCTION_NAMES.length);
  });

  it('declares Go signatures the executor can check', () => {
    assert.deepEqual(funcs.get('trunc')?.params, ['int', 'string']);
    assert.deepEqual(funcs.get('add')?.params, []);
    assert.equal(funcs.get('add')?.variadic, 'interface {}');
    assert.deepEqual(funcs.get('default')?.params, ['interface {}']);
    assert.deepEqual(funcs.get('merge')?.params, ['map[string]interface {}']);
  });
});

describe('sprig return types', () => {
  it('integer functions return int64, conversions their own kind', () => {
    assert.equal(goTypeName(call('add', int(1), '2', 3.9)), 'int64');
    assert.equal((call('add', int(1), '2', 3.9) as GoInt).value, 6);
    assert.equal(goTypeName(call('int', '7')), 'int');
    assert.equal(goTypeName(call('atoi', '7')), 'int');
    assert.equal(goTypeName(call('float64', '7')), 'float64');
  });
  it('list-making functions keep Go slice and map types', () => {
    assert.equal(goTypeName(call('splitList', ',', 'a,b')), '[]string');
    assert.equal(goTypeName(call('until', int(3))), '[]int');
    assert.equal(goTypeName(call('split', ',', 'a,b')), 'map[string]string');
    assert.equal(goTypeName(call('list', int(1))), '[]interface {}');
    assert.equal(goTypeName(call('chunk', int(1), [int(1)])), '[][]interface {}');
    assert.equal(goTypeName(call('keys', { b: 1, a: 2 })), '[]string');
  });
  it('keys and values come out in sorted key order (Go map order is random)', () => {
    assert.deepEqual(call('keys', { b: 1, a: 2 }, { c: 3 }), ['a', 'b', 'c']);
    assert.deepEqual(call('values', { b: 1, a: 2 }), [2, 1]);
  });
  it('set and unset change the map itself, as Go maps are references', () => {
    const d = { a: 1 };
    call('set', d, 'b', 2);
    assert.deepEqual(d, { a: 1, b: 2 });
    call('unset', d, 'a');
    assert.deepEqual(d, { b: 2 });
  });
  it('slice keeps the element type of a typed slice', () => {
    const s = call('slice', call('splitList', ',', 'a,b,c'), int(1));
    assert.ok(Array.isArray(s));
    assert.equal(elemTypeOf(s), 'string');
  });
});

describe('sprig decimal float math', () => {
  it('adds, subtracts, multiplies exactly in decimal', () => {
    assert.equal(call('addf', 0.1, 0.2), 0.3);
    assert.equal(call('subf', 1, 0.9), 0.1);
    assert.equal(call('mulf', 1.1, int(3)), 3.3);
  });
  it('divides to 16 places, half away from zero', () => {
    assert.equal(call('divf', int(2), int(3)), 0.6666666666666667);
    assert.equal(call('divf', int(-2), int(3)), -0.6666666666666667);
    assert.throws(() => call('divf', int(1), int(0)), { message: 'decimal division by 0' });
  });
});

describe('spf13/cast and strconv parsing', () => {
  it('parses Go integer literals', () => {
    assert.equal(parseGoInt('0x1F'), 31);
    assert.equal(parseGoInt('0o17'), 15);
    assert.equal(parseGoInt('017'), 15);
    assert.equal(parseGoInt('0b11'), 3);
    assert.equal(parseGoInt('1_000'), 1000);
    assert.equal(parseGoInt('08'), undefined);
    assert.equal(parseGoInt('9223372036854775808'), undefined);
    assert.equal(parseGoInt(' 1'), undefined);
  });
  it('parses Go float literals', () => {
    assert.equal(parseGoFloat('1e3'), 1000);
    assert.equal(parseGoFloat('.5'), 0.5);
    assert.equal(parseGoFloat('1_0'), 10);
    assert.equal(parseGoFloat('0x1p-2'), 0.25);
    assert.equal(parseGoFloat('Inf'), Infinity);
    assert.equal(parseGoFloat('1e400'), undefined);
    assert.equal(parseGoFloat('abc'), undefined);
  });
});

describe('RE2 → JS regex translation', () => {
  const t = (re: string) => translate(re).pattern;
  const m = (re: string, s: string) => new RegExp(t(re), 'u').test(s);
  it('keeps Go meanings of ., \\s, ^ and $', () => {
    assert.equal(m('a.c', 'a\nc'), false);
    assert.equal(m('a.c', 'a\rc'), true);
    assert.equal(m('(?s)a.c', 'a\nc'), true);
    assert.equal(m('^a\\sb$', 'a\u00a0b'), false);
    assert.equal(m('^b$', 'a\nb'), false);
    assert.equal(m('(?m)^b$', 'a\nb\nc'), true);
  });
  it('supports named groups, \\A, \\z, \\Q…\\E, POSIX and Unicode classes, scoped flags', () => {
    assert.deepEqual(translate('(?P<x>a)(b)(?:c)').names, ['', 'x', '']);
    assert.equal(m('\\Aab\\z', 'ab'), true);
    assert.equal(m('\\Q.*\\E', 'a.*b'), true);
    assert.equal(m('^[[:alpha:]]+$', 'abc'), true);
    assert.equal(m('^[[:^digit:]]+$', 'ab1'), false);
    assert.equal(m('^\\pL+$', 'héllo'), true);
    assert.equal(m('^\\p{Greek}+$', 'αβ'), true);
    assert.equal(m('^a(?i:b)c$', 'aBc'), true);
    assert.equal(m('^a(?i:b)c$', 'aBC'), false);
    assert.equal(m('^x{2}$', 'xx'), true);
    assert.equal(m('^a{,2}$', 'a{,2}'), true);
  });
});

describe('Argo CD normalize and slugify', () => {
  it('sanitizes names', () => {
    assert.equal(sanitizeName('My_App Name!!.v2.'), 'my-app-name--.v2');
    assert.equal(sanitizeName('x'.repeat(300)).length, 253);
  });
  it('slugifies with gosimple/slug rules', () => {
    assert.equal(slugMake(sanitizeName('Hello World.example'), 50, true), 'hello-world-example');
    assert.equal(slugMake('hello-world-foo-bar', 10, true), 'hello');
    assert.equal(slugMake('hello-world-foo-bar', 10, false), 'hello-worl');
    assert.equal(slugMake('helloworld', 5, true), 'hello');
  });
});

describe('functions not evaluated offline', () => {
  for (const name of ['bcrypt', 'genCA', 'genPrivateKey', 'htpasswd']) {
    it(`${name} says so`, () => {
      const def = funcs.get(name);
      assert.ok(def);
      assert.throws(() => def.fn(...def.params.map(() => '')), { message: `${name} is not supported by home-ops offline evaluation` });
    });
  }
  it('random functions produce the requested shape', () => {
    assert.match(call('randAlphaNum', int(12)) as string, /^[A-Za-z0-9]{12}$/);
    assert.match(call('uuidv4') as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(Buffer.from(call('randBytes', int(3)) as string, 'base64').length, 3);
  });
});
