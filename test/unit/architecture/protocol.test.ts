/**
 * The homeOps/* protocol is declared once (src/shared/protocol.ts). The compiler holds both
 * sides to it: the server's handler table (server/protocolHandlers.ts) must have exactly one
 * handler per declared request and client notification with the declared types, and the
 * extension sends by name through serverClient.ts. These tests check what the compiler cannot:
 * that no message travels under a name outside the declarations, that the running server
 * answers every declared request, and that the declarations stay out of the activation bundle.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { ErrorCodes, ResponseError } from 'vscode-jsonrpc/node';
import { METHODS, Requests, type RequestName, type ScaffoldCheckNameResult } from '../../../src/shared/protocol';
import type { HomeOpsServer } from '../../../src/extension/serverClient';
import { LspClient, SERVER } from '../../support/lspClient';
import { appset, makeRepo, type TempRepo } from '../../support/repo';

const ROOT = path.resolve(__dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** Not called: tsc checks these lines (a `@ts-expect-error` that stops failing fails the typecheck). */
export function clientTypeChecks(server: HomeOpsServer): void {
  // @ts-expect-error a request the protocol does not declare
  void server.request('renderEverything');
  // @ts-expect-error render needs the app as well as the folder
  void server.request('render', { root: '/repo' });
  // @ts-expect-error model takes no parameters
  void server.request('model', { root: '/repo' });
  // @ts-expect-error the server sends modelChanged, the client does not
  void server.notify('modelChanged');
  // The declared result, unknown category included (the type the extension once had to widen by hand).
  const checked: Promise<ScaffoldCheckNameResult> = server.request('scaffoldCheckName', { root: '/repo', categoryId: 'media', name: 'x' });
  void checked;
}

describe('the homeOps/* protocol', function () {
  this.timeout(60_000);

  it('declares each method once, and no source names a homeOps/ method or sends a bare string method outside src/shared/protocol.ts', () => {
    assert.equal(new Set(METHODS).size, METHODS.length, 'a method declared twice');
    for (const m of METHODS) assert.match(m, /^homeOps\//);
    const offenders: string[] = [];
    for (const file of sourceFiles(path.join(ROOT, 'src'))) {
      const rel = path.relative(ROOT, file).split(path.sep).join('/');
      if (rel === 'src/shared/protocol.ts') continue;
      const code = fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => !/^\s*(\/\/|\*|\/\*)/.test(l));
      code.forEach((line, i) => {
        if (/['"`]homeOps\//.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
        // A method name as a string (they contain a '/'); the extension's names are table keys, checked by tsc.
        if (/\.(onRequest|sendRequest|onNotification|sendNotification)\(\s*['"`][^'"`]*\//.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(offenders, []);
  });

  it('the server answers every declared request, and an undeclared one is unknown to it', async function () {
    assert.ok(fs.existsSync(SERVER), 'dist/server.js is built by `npm test` before the unit tests');
    let repo: TempRepo | undefined;
    let client: LspClient | undefined;
    try {
      repo = makeRepo({ 'argocd/apps.yaml': appset('apps', '  generators: []\n  template: {metadata: {name: x}, spec: {project: default}}') });
      client = new LspClient(repo.root);
      // Untrusted: the render requests answer without running a binary.
      await client.initialize({ trusted: false, cacheDir: path.join(repo.root, '.cache') });
      const code = async (method: string, params?: object): Promise<number | undefined> => {
        try {
          await (params === undefined ? client!.connection.sendRequest(method) : client!.connection.sendRequest(method, params));
          return undefined;
        } catch (e) {
          if (e instanceof ResponseError) return e.code;
          throw e;
        }
      };
      const params: Record<RequestName, object | undefined> = {
        model: undefined,
        scaffoldCategories: undefined,
        scaffoldCheckName: { root: repo.root, categoryId: 'none', name: 'x' },
        scaffoldPlanApp: { root: repo.root, categoryId: 'none', name: 'x', source: { kind: 'plain' } },
        scaffoldPlanCategory: { root: repo.root, name: 'x' },
        scaffoldChartVersions: { repo: '', chart: '' },
        render: { root: repo.root, app: 'none' },
        renderDiff: { root: repo.root, app: 'none', revision: 'HEAD' },
        renderChanged: { root: repo.root, revision: 'HEAD' },
        checkTools: undefined,
        appsForFile: { uri: client.uri('argocd/apps.yaml') },
        fetchCharts: { root: repo.root },
      };
      for (const name of Object.keys(Requests) as RequestName[]) {
        assert.notEqual(await code(Requests[name].method, params[name]), ErrorCodes.MethodNotFound, `${Requests[name].method} is declared but the server does not handle it`);
      }
      assert.equal(await code('homeOps/undeclared', {}), ErrorCodes.MethodNotFound);
    } finally {
      await client?.close();
      repo?.cleanup();
    }
  });

  it('stays out of the activation bundle: the extension loads the protocol library with the language client, after activate()', async () => {
    const result = await build({ entryPoints: [path.join(ROOT, 'src/extension/extension.ts')], bundle: true, platform: 'node', format: 'cjs', external: ['vscode'], write: false, metafile: true, logLevel: 'silent' });
    const inputs = Object.keys(result.metafile.inputs);
    assert.deepEqual(
      inputs.filter((i) => /node_modules\/vscode-(jsonrpc|languageserver-protocol|languageclient)\//.test(i) || i.endsWith('src/shared/protocol.ts')),
      [],
    );
  });
});
