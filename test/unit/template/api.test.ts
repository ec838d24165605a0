import assert from 'node:assert/strict';
import {
  GoInt,
  GoTemplateError,
  executeGoTemplate,
  parseGoTemplate,
  parseGoTemplateCached,
  parseGoTemplateOptions,
  renderGoTemplate,
  typedSlice,
  type GoFuncDef,
  type GoFuncMap,
} from '../../../src/core/template';

function errorOf(fn: () => unknown): GoTemplateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GoTemplateError) return e;
    throw e;
  }
  assert.fail('expected a GoTemplateError');
}

const params = {
  path: {
    path: 'cluster/kubernetes/apps/media/sonarr',
    basename: 'sonarr',
    segments: typedSlice(['cluster', 'kubernetes', 'apps', 'media', 'sonarr'], 'string'),
  },
};

describe('Go template public API', () => {
  it('renders the typical ApplicationSet name template', () => {
    assert.equal(renderGoTemplate('{{index .path.segments 3}}-{{.path.basename}}', params, { missingKey: 'error' }), 'media-sonarr');
  });

  it('parses once and executes many times', () => {
    const t = parseGoTemplate('{{.path.basename}}');
    assert.equal(executeGoTemplate(t, params), 'sonarr');
    assert.equal(executeGoTemplate(t, { path: { basename: 'radarr' } }), 'radarr');
    assert.equal(executeGoTemplate(t, {}), '<no value>');
    assert.throws(() => executeGoTemplate(t, {}, { missingKey: 'error' }), /map has no entry for key "path"/);
  });

  it('caches parses, including parse errors', () => {
    const a = parseGoTemplateCached('{{.x}}');
    assert.equal(parseGoTemplateCached('{{.x}}'), a);
    const e1 = errorOf(() => parseGoTemplateCached('{{.x'));
    const e2 = errorOf(() => parseGoTemplateCached('{{.x'));
    assert.equal(e1, e2);
    assert.notEqual(parseGoTemplateCached('{{.x}}', { name: 'n' }), a);
  });

  it('reports parse errors with Go message, kind and offset', () => {
    const e = errorOf(() => parseGoTemplate('name: {{ foo .x }}'));
    assert.equal(e.kind, 'parse');
    assert.equal(e.message, 'template: :1: function "foo" not defined');
    assert.equal(e.offset, 9);
    assert.equal(e.length, 3);
  });

  it('reports exec errors with Go message, kind and offset of the node', () => {
    const text = 'x\n  {{ .a.b.c }}';
    const e = errorOf(() => renderGoTemplate(text, { a: { b: 'str' } }));
    assert.equal(e.kind, 'exec');
    assert.equal(e.message, 'template: :2:7: executing "" at <.a.b.c>: can\'t evaluate field c in type interface {}');
    // Go positions a field chain at its second element.
    assert.equal(text.slice(e.offset, e.offset + 2), '.b');
  });

  it('counts columns in bytes in messages but offsets in UTF-16 units', () => {
    const text = 'é{{.a.x}}';
    const e = errorOf(() => renderGoTemplate(text, { a: null }));
    assert.equal(e.message, 'template: :1:6: executing "" at <.a.x>: nil pointer evaluating interface {}.x');
    assert.equal(e.offset, 5);
  });

  it('lets supplied functions shadow builtins (sprig slice over builtin slice)', () => {
    const sprigSlice: GoFuncDef = {
      params: ['interface {}'],
      variadic: 'interface {}',
      fn: (list, ...idx) => `sprig:${String(Array.isArray(list) ? list.length : 0)}:${idx.length}`,
    };
    const funcs: GoFuncMap = new Map([['slice', sprigSlice]]);
    assert.equal(renderGoTemplate('{{slice .l 1}}', { l: ['a', 'b'] }, { funcs }), 'sprig:2:1');
    assert.equal(renderGoTemplate('{{slice .l 1}}', { l: ['a', 'b'] }, { funcs: new Map() }), '[b]');
  });

  it("defaults to Argo CD's function map", () => {
    assert.equal(renderGoTemplate('{{upper "x"}}', {}), 'X');
    assert.throws(() => parseGoTemplate('{{env "HOME"}}'), /template: :1: function "env" not defined/);
    assert.throws(() => parseGoTemplate('{{upper "x"}}', { funcs: new Map() }), /function "upper" not defined/);
  });

  it('converts untyped constants to the declared parameter types', () => {
    const seen: string[] = [];
    const funcs: GoFuncMap = new Map<string, GoFuncDef>([
      [
        'probe',
        {
          params: ['int', 'float64', 'uint8', 'interface {}', 'interface {}'],
          fn: (...a) => {
            for (const v of a) seen.push(v instanceof GoInt ? `${v.kind}(${v.value})` : `${typeof v}(${String(v)})`);
            return '';
          },
        },
      ],
    ]);
    renderGoTemplate('{{probe 1 2 3 4 5.0}}', {}, { funcs });
    assert.deepEqual(seen, ['int(1)', 'number(2)', 'uint8(3)', 'int(4)', 'number(5)']);
  });

  it('reports function errors as "error calling NAME"', () => {
    const funcs: GoFuncMap = new Map<string, GoFuncDef>([
      [
        'boom',
        {
          params: [],
          fn: () => {
            throw new Error('bad things');
          },
        },
      ],
    ]);
    assert.throws(
      () => renderGoTemplate('{{boom}}', {}, { funcs }),
      (e: unknown) => e instanceof GoTemplateError && e.message === 'template: :1:2: executing "" at <boom>: error calling boom: bad things',
    );
  });

  it('reports deep template recursion as Go does instead of overflowing the stack', () => {
    const e = errorOf(() => renderGoTemplate('{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}', {}));
    assert.match(e.message, /exceeded maximum template depth \(100000\)/);
  });

  it('parses each text once however often a large repository renders it', () => {
    // Tens of thousands of short renders: each text is parsed once and its tree reused (how long
    // the renders take is a row of `npm run bench`).
    const texts = ['{{index .path.segments 3}}-{{.path.basename}}', ...Array.from({ length: 500 }, (_, i) => `app-${i}-{{.path.basename}}`)];
    const parsed = texts.map((t) => parseGoTemplateCached(t));
    for (let i = 0; i < 20000; i++) {
      assert.equal(renderGoTemplate(texts[0]!, params), 'media-sonarr');
      assert.equal(renderGoTemplate(texts[1 + (i % 500)]!, params), `app-${i % 500}-sonarr`);
    }
    texts.forEach((t, i) => assert.equal(parseGoTemplateCached(t), parsed[i], `${t} parsed again`));
  });
});

describe('parseGoTemplateOptions', () => {
  it('accepts the missingkey values Go accepts', () => {
    assert.deepEqual(parseGoTemplateOptions([]), { missingKey: 'default' });
    assert.deepEqual(parseGoTemplateOptions(['missingkey=error']), { missingKey: 'error' });
    assert.deepEqual(parseGoTemplateOptions(['missingkey=zero']), { missingKey: 'zero' });
    assert.deepEqual(parseGoTemplateOptions(['missingkey=invalid']), { missingKey: 'invalid' });
    assert.deepEqual(parseGoTemplateOptions(['missingkey=error', 'missingkey=default']), { missingKey: 'default' });
  });
  it("returns Go's panic message for the first rejected option", () => {
    assert.deepEqual(parseGoTemplateOptions(['missingkey=error', 'missingkey=nope']), {
      missingKey: 'error',
      error: 'unrecognized option: missingkey=nope',
    });
    assert.deepEqual(parseGoTemplateOptions(['']), { missingKey: 'default', error: 'empty option string' });
    assert.equal(parseGoTemplateOptions(['missingKey=error']).error, 'unrecognized option: missingKey=error');
  });
});
