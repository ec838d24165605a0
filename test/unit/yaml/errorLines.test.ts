/**
 * A syntax error is reported on the line a person fixes, which is often not where the parser
 * noticed it (nor the line go-yaml names, often the one before): the opener of what is never
 * closed, the line missing its `:`, the item missing its `,`, the misaligned line, the tab.
 */
import { strict as assert } from 'node:assert';
import { parseYamlFile } from '../../../src/core/yaml/parse';
import type { YamlReader } from '../../../src/core/yaml/readers';

const at = (text: string, reader: YamlReader): string[] => parseYamlFile('f.yaml', text, reader).problems.map((p) => `${p.range.start.line + 1}:${p.range.start.character}`);

describe('syntax errors at the line to fix', () => {
  it('an unclosed `[` or `{` at the opener, not where the file ends or at a nested one that is closed', () => {
    assert.deepEqual(at('resources: [\n  - cm.yaml\n', 'kustomization'), ['1:11']);
    assert.deepEqual(at('{\n  "a": 1,\n  "b": {\n    "c": 2\n  }\n', 'generator-file'), ['1:0']);
  });

  it('a missing `:` on the line that lacks it, an over-indented line on itself', () => {
    assert.deepEqual(at('helmCharts:\n  - name: x\n    releaseName authelia\n    namespace: security\n', 'kustomization'), ['3:4']);
    assert.deepEqual(at('a:\n  b: 1\n    c: 2\n', 'kustomization'), ['3:4']);
  });

  it('a missing `,` after the item that lacks it', () => {
    assert.deepEqual(at('{\n  "a": "x",\n  "d": "y"\n  "s": "z"\n}\n', 'generator-file'), ['3:9']);
  });

  it('a key misaligned with its siblings on its own line', () => {
    assert.deepEqual(at('data:\n  - secretKey: PLEX_CLAIM\n    remoteRef:\n  key: plex_claim\n', 'helm-values'), ['4:2']);
  });

  it('a tab-indented line on that line, though the parser trips on the line above', () => {
    assert.deepEqual(at('spec:\n  ingress:\n    - fromEntities:\n\t\t\t\t- ingress\n', 'kustomize-resource'), ['4:0']);
  });
});
