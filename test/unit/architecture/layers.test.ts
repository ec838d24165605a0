/**
 * The layering and the YAML seam are eslint rules (eslint.config.mjs): a deliberate violation,
 * linted as if it sat at a path in src/, must fail, and the same import must pass where it is allowed.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../../..');

async function messagesFor(relPath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, relPath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('architecture rules in eslint', function () {
  this.timeout(60_000);

  it('refuses the yaml package outside src/core/yaml, and allows it inside', async () => {
    const code = "import { parse } from 'yaml';\nexport const v = parse('a: 1');\n";
    for (const where of ['src/core/rules/violation.ts', 'src/server/violation.ts', 'src/cli/violation.ts', 'src/extension/violation.ts']) {
      const messages = await messagesFor(where, code);
      assert.equal(messages.length, 1, `${where}: ${JSON.stringify(messages)}`);
      assert.match(messages[0]!, /src\/core\/yaml/);
    }
    assert.deepEqual(await messagesFor('src/core/yaml/violation.ts', code), []);
  });

  it('keeps vscode in src/extension and src/core below the front ends', async () => {
    assert.equal((await messagesFor('src/core/model/violation.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n")).length, 1);
    assert.equal((await messagesFor('src/core/model/violation.ts', "import { x } from '../../server/workspace';\nexport const v = x;\n")).length, 1);
    assert.equal((await messagesFor('src/core/model/violation.ts', "import { Connection } from 'vscode-languageserver';\nexport type V = Connection;\n")).length, 1);
    assert.deepEqual(await messagesFor('src/extension/violation.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n"), []);
  });

  it('keeps the protocol in src/shared, between core and the two front ends', async () => {
    const protocol = (from: string) => `import { Requests } from '${from}';\nexport const v = Requests;\n`;
    assert.deepEqual(await messagesFor('src/extension/violation.ts', protocol('../shared/protocol')), []);
    assert.deepEqual(await messagesFor('src/server/violation.ts', protocol('../shared/protocol')), []);
    assert.equal((await messagesFor('src/core/model/violation.ts', protocol('../../shared/protocol'))).length, 1, 'core below the protocol');
    assert.match((await messagesFor('src/extension/violation.ts', "import { WorkspaceFolderState } from '../server/workspace';\nexport const v = WorkspaceFolderState;\n"))[0] ?? '', /src\/shared\/protocol\.ts/);
    assert.equal((await messagesFor('src/server/violation.ts', "import { RenderPreviews } from '../extension/renderPreview';\nexport const v = RenderPreviews;\n")).length, 1);
    assert.equal((await messagesFor('src/shared/violation.ts', "import { createConnection } from 'vscode-languageserver/node';\nexport const v = createConnection;\n")).length, 1);
    assert.deepEqual(await messagesFor('src/shared/violation.ts', "import { RequestType } from 'vscode-languageserver-protocol';\nexport const v = RequestType;\n"), []);
  });
});
