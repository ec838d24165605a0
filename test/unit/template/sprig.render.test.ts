import assert from 'node:assert/strict';
import { renderGoTemplate } from '../../../src/core/template/index';
import { argoCdFuncs } from '../../../src/core/template/sprig/index';
import { ERROR_CASES, RENDER_CASES } from './sprig-go-cases';

describe('sprig through Go templates (outputs recorded from Go + sprig v3.3.0)', () => {
  const funcs = argoCdFuncs();

  for (const [template, want] of RENDER_CASES) {
    it(`renders ${template}`, () => {
      assert.equal(renderGoTemplate(template, {}, { funcs }), want);
    });
  }

  for (const [template, message] of ERROR_CASES) {
    it(`fails ${template}`, () => {
      assert.throws(
        () => renderGoTemplate(template, {}, { funcs }),
        (e: Error) => {
          assert.ok(e.message.endsWith(`: ${message}`), `${e.message}\n  should end with: ${message}`);
          assert.match(e.message, /error calling \w+: /);
          return true;
        },
      );
    });
  }

  it('works on generator parameters, as an ApplicationSet uses it', () => {
    const params = { path: { basename: 'My_App', segments: ['apps', 'media', 'My_App'] }, values: { replicas: 3 } };
    const out = renderGoTemplate(
      '{{ index .path.segments 1 }}-{{ .path.basename | normalize }} {{ add .values.replicas 1 }} {{ dig "values" "missing" "dflt" . }}',
      params,
      { funcs },
    );
    assert.equal(out, 'media-my-app 4 dflt');
  });

  it('has no env, expandenv or getHostByName: using them is a parse error', () => {
    for (const name of ['env', 'expandenv', 'getHostByName']) {
      assert.throws(() => renderGoTemplate(`{{ ${name} "HOME" }}`, {}, { funcs }), new RegExp(`function "${name}" not defined`));
    }
  });
});
