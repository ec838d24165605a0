import { strict as assert } from 'node:assert';
import { cursorContext, scalarPathAt } from '../../../src/core/editing/cursor';

/** The text with `§` removed, and the offset where it was. */
function at(marked: string): [string, number] {
  const i = marked.indexOf('§');
  return [marked.slice(0, i) + marked.slice(i + 1), i];
}

describe('editing: cursor context from indentation', () => {
  it('a partial key in a nested map: its parent path, prefix and the keys already there (above and below)', () => {
    const ctx = cursorContext(...at('spec:\n  generators:\n    - git:\n        directories: []\n        rev§\n        repoURL: x\n  template: {}\n'));
    assert.deepEqual(ctx, { kind: 'key', path: ['spec', 'generators', 0, 'git'], prefix: 'rev', start: 63, siblings: ['directories', 'repoURL'], inListItem: false, restOfLine: '' });
  });

  it('counts list items, including compact lists written at the key’s own column', () => {
    const ctx = cursorContext(...at('items:\n- a: 1\n- b: 2\n  c§\n'));
    assert.equal(ctx?.kind, 'key');
    assert.deepEqual(ctx?.kind === 'key' && [ctx.path, ctx.siblings], [['items', 1], ['b']]);
  });

  it('a new list item has no keys yet', () => {
    const ctx = cursorContext(...at('spec:\n  generators:\n    - list: {}\n    - §\n'));
    assert.deepEqual(ctx?.kind === 'key' && [ctx.path, ctx.siblings, ctx.inListItem], [['spec', 'generators', 1], [], true]);
  });

  it('after `key:` is a value position for that key', () => {
    const ctx = cursorContext(...at('spec:\n  strategy:\n    type: Ro§\n'));
    assert.deepEqual(ctx, { kind: 'value', path: ['spec', 'strategy', 'type'], prefix: 'Ro', start: 28 });
  });

  it('inside a block scalar it is text, not keys (templatePatch holds YAML-looking lines)', () => {
    const text = 'spec:\n  templatePatch: |\n    spec:\n      §\n';
    assert.deepEqual(cursorContext(...at(text)), { kind: 'text', path: ['spec', 'templatePatch'] });
    assert.deepEqual(scalarPathAt(...at('spec:\n  templatePatch: |\n    spec:\n      source: {{ .pa§\n')), ['spec', 'templatePatch']);
  });

  it('no context in a flow collection or a comment', () => {
    assert.equal(cursorContext(...at('spec: {gen§\n')), undefined);
    assert.equal(cursorContext(...at('spec:\n  # gen§\n')), undefined);
  });

  it('the path of a template string on its line, quoted or in a list item', () => {
    assert.deepEqual(scalarPathAt(...at('spec:\n  template:\n    metadata:\n      name: "{{ .pa§"\n')), ['spec', 'template', 'metadata', 'name']);
    assert.deepEqual(scalarPathAt(...at('spec:\n  template:\n    spec:\n      sources:\n        - repoURL: x\n          path: "{{ .§"\n')), ['spec', 'template', 'spec', 'sources', 0, 'path']);
  });

  it('each YAML document starts from its own root', () => {
    const ctx = cursorContext(...at('a:\n  b: 1\n---\nspec:\n  §\n'));
    assert.deepEqual(ctx?.kind === 'key' && ctx.path, ['spec']);
  });
});
