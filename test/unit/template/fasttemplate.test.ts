import assert from 'node:assert/strict';
import { GoTemplateError, renderFastTemplate } from '../../../src/core/template';

describe('renderFastTemplate (Argo CD goTemplate: false)', () => {
  const params = {
    'path.basename': 'sonarr',
    'path[0]': 'apps',
    path: 'apps/sonarr',
    'values.cluster': 'prod',
    number: 5,
    empty: '',
  };

  it('returns strings without a same-line {{...}} unchanged', () => {
    assert.equal(renderFastTemplate('plain', params), 'plain');
    assert.equal(renderFastTemplate('{{path', params), '{{path');
    assert.equal(renderFastTemplate('{{path\n}}', params), '{{path\n}}');
    assert.equal(renderFastTemplate('}} {{', params), '}} {{');
  });

  it('substitutes trimmed tags that name string params', () => {
    assert.equal(renderFastTemplate('{{path.basename}}', params), 'sonarr');
    assert.equal(renderFastTemplate('{{ path.basename }}-{{path[0]}}', params), 'sonarr-apps');
    assert.equal(renderFastTemplate('x{{values.cluster}}y{{path}}z', params), 'xprodyapps/sonarrz');
    assert.equal(renderFastTemplate('[{{empty}}]', params), '[]');
  });

  it('leaves unknown, non-string and empty tags exactly as written', () => {
    assert.equal(renderFastTemplate('{{ missing }}', params), '{{ missing }}');
    assert.equal(renderFastTemplate('{{number}}', params), '{{number}}');
    assert.equal(renderFastTemplate('{{}}{{  }}', params), '{{}}{{  }}');
    assert.equal(renderFastTemplate('{{.path.basename}}', params), '{{.path.basename}}');
    assert.equal(renderFastTemplate('{{toString}}', params), '{{toString}}');
  });

  it('does not nest: the first }} closes the tag', () => {
    assert.equal(renderFastTemplate('{{ {{path}} }}', params), '{{ {{path}} }}');
    assert.equal(renderFastTemplate('{{path}}}}', params), 'apps/sonarr}}');
  });

  it('fails on a {{ with no closing }} after it, like fasttemplate v1.2.2', () => {
    // Message text from fasttemplate v1.2.2 NewTemplate, wrapped by Argo CD ("invalid template: %w").
    assert.throws(
      () => renderFastTemplate('{{path}} {{x', params),
      (e: unknown) =>
        e instanceof GoTemplateError &&
        e.kind === 'parse' &&
        e.message === 'invalid template: Cannot find end tag="}}" in the template="{{path}} {{x" starting from "x"' &&
        e.offset === 9,
    );
  });
});
