import assert from 'node:assert/strict';
import { GoTemplateError, executeGoTemplate, parseGoTemplate, parseGoTemplateOptions } from '../../../src/core/template';
import { DATA, GOLDEN_CASES } from './go-goldens';
import { TEST_FUNCS, goData } from './template-funcs';

describe('Go text/template goldens (outputs and error messages recorded from Go)', () => {
  for (const c of GOLDEN_CASES) {
    const label = `${JSON.stringify(c.t)}${c.options ? ' ' + c.options.join(',') : ''}`;
    it(label, () => {
      const { missingKey } = parseGoTemplateOptions(c.options ?? []);
      const data = goData(c.data === undefined ? DATA : c.data);
      let parsed;
      try {
        parsed = parseGoTemplate(c.t, { funcs: TEST_FUNCS, name: c.name ?? '', missingKey });
      } catch (e) {
        assert.ok(e instanceof GoTemplateError, String(e));
        assert.equal(e.kind, 'parse');
        assert.equal(e.message, c.parseErr, `unexpected parse error`);
        return;
      }
      assert.equal(c.parseErr, undefined, 'expected a parse error');
      try {
        const out = executeGoTemplate(parsed, data);
        assert.equal(c.execErr, undefined, `expected an exec error, got output ${JSON.stringify(out)}`);
        assert.equal(out, c.out);
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        assert.ok(e instanceof GoTemplateError, String(e));
        assert.equal(e.kind, 'exec');
        assert.equal(e.message, c.execErr);
      }
    });
  }
});
