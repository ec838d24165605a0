/**
 * The layering and the YAML seam are eslint rules (eslint.config.mjs): a deliberate violation,
 * linted as if it sat at a path in src/, must fail, and the same import must pass where it is allowed.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../../..');

async function messagesFor(relPath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, relPath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
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

  it('lets each folder of src/core import only the layers below it', async () => {
    const { CORE_LAYERS } = (await import(pathToFileURL(path.join(ROOT, 'eslint.config.mjs')).href)) as { CORE_LAYERS: string[][] };
    const folders = fs.readdirSync(path.join(ROOT, 'src/core'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    assert.deepEqual([...folders].sort(), CORE_LAYERS.flat().sort(), 'every folder of src/core has a layer');
    // Upward: the model does not know the rules that read it.
    const up = await messagesFor('src/core/model/violation.ts', "import { Linter } from '../rules';\nexport const v = Linter;\n");
    assert.equal(up.length, 1);
    assert.match(up[0]!, /src\/core\/model imports only the layers below it .*rules is above it/);
    // Sideways, within a layer: rules and editing are siblings.
    assert.equal((await messagesFor('src/core/rules/violation.ts', "import { cursorContext } from '../editing/cursor';\nexport const v = cursorContext;\n")).length, 1);
    // From a sub-folder, climbing further.
    assert.equal((await messagesFor('src/core/template/sprig/violation.ts', "import { FileTree } from '../../workspace/fileTree';\nexport type V = FileTree;\n")).length, 1);
    // Downward is the point of layers.
    assert.deepEqual(await messagesFor('src/core/rules/violation.ts', "import { RepositoryModel } from '../model/repositoryModel';\nexport type V = RepositoryModel;\n"), []);
    assert.deepEqual(await messagesFor('src/core/scaffold/violation.ts', "import { buildAppTree } from '../tree/appTree';\nexport const v = buildAppTree;\n"), []);
  });

  it('keeps the files at the top of src/core below every folder, but for the rule ids\' type', async () => {
    assert.equal((await messagesFor('src/core/problems-violation.ts', "import { RULES } from './rules/table';\nexport const v = RULES;\n")).length, 1);
    assert.equal((await messagesFor('src/core/problems-violation.ts', "import type { Linter } from './rules';\nexport type V = Linter;\n")).length, 1);
    assert.deepEqual(await messagesFor('src/core/problems-violation.ts', "import type { RuleId } from './rules/table';\nexport type V = RuleId;\n"), []);
  });

  it('reaches template and rules through their index only', async () => {
    const deep = await messagesFor('src/core/generators/violation.ts', "import type { GoMap } from '../template/value';\nexport type V = GoMap;\n");
    assert.equal(deep.length, 1);
    assert.match(deep[0]!, /through its index/);
    assert.deepEqual(await messagesFor('src/core/generators/violation.ts', "import type { GoMap } from '../template';\nexport type V = GoMap;\n"), []);
    assert.equal((await messagesFor('src/core/scaffold/violation.ts', "import { appSetDocs } from '../rules/appsetDocs';\nexport const v = appSetDocs;\n")).length, 1);
    assert.deepEqual(await messagesFor('src/core/rules/violation.ts', "import { appSetDocs } from './appsetDocs';\nexport const v = appSetDocs;\n"), []);
  });

  it('keeps Node I/O out of the engine folders', async () => {
    const readFs = "import * as fs from 'node:fs';\nexport const v = fs.readFileSync;\n";
    for (const where of ['src/core/model/violation.ts', 'src/core/rules/violation.ts', 'src/core/workspace/violation.ts', 'src/core/tree/violation.ts', 'src/core/problems-violation.ts']) {
      const messages = await messagesFor(where, readFs);
      assert.equal(messages.length, 1, `${where}: ${JSON.stringify(messages)}`);
      assert.match(messages[0]!, /TreeFs/);
    }
    assert.equal((await messagesFor('src/core/rules/violation.ts', "import { spawnSync } from 'child_process';\nexport const v = spawnSync;\n")).length, 1);
    assert.equal((await messagesFor('src/core/editing/violation.ts', "import { request } from 'node:https';\nexport const v = request;\n")).length, 1);
    assert.equal((await messagesFor('src/core/kustomize/violation.ts', "import { connect } from 'node:net';\nexport const v = connect;\n")).length, 1);
    // Pure functions and types of those modules are fine.
    assert.deepEqual(await messagesFor('src/core/kustomize/violation.ts', "import { isIPv6 } from 'node:net';\nexport const v = isIPv6;\n"), []);
    assert.deepEqual(await messagesFor('src/core/workspace/violation.ts', "import type { Stats } from 'node:fs';\nexport type V = Stats;\n"), []);
    // The folders that talk to the world.
    for (const where of ['src/core/adapters/violation.ts', 'src/core/render/violation.ts', 'src/core/status/violation.ts', 'src/core/scaffold/violation.ts']) assert.deepEqual(await messagesFor(where, readFs), [], where);
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
