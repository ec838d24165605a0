// Runs the grammar tests (test/grammar/*.test.yaml, vscode-tmgrammar-test's comment-annotation
// format) against VS Code's own YAML grammar with our injection grammar injected into it, the
// way VS Code composes them, and checks that the grammar's name lists match the template engine.
// Every scope assertion (one `^^^` run or `<-`) counts as one test.
//
//   node test/grammar/run-grammar-tests.mjs --yaml-extension <dir> [--base-grammar <file>]... [files...]
//
// --yaml-extension: VS Code's built-in `extensions/yaml` folder (its package.json lists the YAML
//   grammars; test/grammar/run.sh finds it in the code-server install). The grammars are read
//   from there and never copied into this repository.
// --base-grammar: one more pass with this file as `source.yaml` (e.g. Red Hat YAML's
//   syntaxes/yaml.tmLanguage.json, which replaces VS Code's when that extension is installed), to
//   check that the injection works on it too. The test files assert only scopes both share.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkGrammar, GRAMMAR_PATH } from './function-names.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const require = createRequire(import.meta.url);

function die(message) {
  console.error(`grammar tests: ${message}`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { yamlExtension: '', baseGrammars: [], files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--yaml-extension') opts.yamlExtension = argv[++i] ?? '';
    else if (a === '--base-grammar') opts.baseGrammars.push(resolve(argv[++i] ?? ''));
    else if (a.startsWith('-')) die(`unknown option ${a}`);
    else opts.files.push(resolve(a));
  }
  if (!opts.yamlExtension) die('--yaml-extension <dir> is required (test/grammar/run.sh finds it)');
  if (opts.files.length === 0) {
    opts.files = readdirSync(HERE)
      .filter((f) => f.endsWith('.test.yaml'))
      .sort()
      .map((f) => join(HERE, f));
  }
  return opts;
}

function loadTool() {
  try {
    return {
      unit: require('vscode-tmgrammar-test/dist/unit/index.js'),
      common: require('vscode-tmgrammar-test/dist/common/index.js'),
    };
  } catch (e) {
    die(`cannot load vscode-tmgrammar-test (a devDependency; run npm ci): ${e.message.split('\n')[0]}`);
  }
}

/** VS Code's YAML grammars as its yaml extension contributes them, one per scope name. */
function yamlGrammars(extDir) {
  const manifest = join(extDir, 'package.json');
  if (!existsSync(manifest)) die(`no VS Code YAML extension at ${extDir} (missing package.json)`);
  const byScope = new Map();
  for (const g of JSON.parse(readFileSync(manifest, 'utf8')).contributes?.grammars ?? []) {
    const path = join(extDir, g.path);
    if (!existsSync(path)) die(`the YAML extension lists ${g.path} but ${path} does not exist`);
    byScope.set(g.scopeName, { scopeName: g.scopeName, path });
  }
  if (!byScope.has('source.yaml')) die(`${manifest} contributes no source.yaml grammar`);
  return byScope;
}

/**
 * Our grammar as package.json contributes it, so the test covers the manifest's scopeName and
 * injectTo too; until the manifest has the contribution, the values it is meant to have.
 */
function injectionGrammar() {
  const ourScope = JSON.parse(readFileSync(GRAMMAR_PATH, 'utf8')).scopeName;
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const contributed = (manifest.contributes?.grammars ?? []).find(
    (g) => resolve(ROOT, g.path) === GRAMMAR_PATH,
  );
  if (!contributed) {
    console.log(`note: package.json does not contribute ${relative(ROOT, GRAMMAR_PATH)} yet; using injectTo [source.yaml]`);
    return { scopeName: ourScope, path: GRAMMAR_PATH, injectTo: ['source.yaml'] };
  }
  if (contributed.scopeName !== ourScope) {
    die(`package.json names the grammar ${contributed.scopeName}, the grammar says ${ourScope}`);
  }
  return { scopeName: ourScope, path: GRAMMAR_PATH, injectTo: contributed.injectTo ?? [] };
}

function formatFailure(file, testCase, assertion, failure) {
  const src = testCase.source[failure.srcLine] ?? '';
  const marker = ' '.repeat(failure.start) + '^'.repeat(Math.max(1, failure.end - failure.start));
  const lines = [
    `  FAIL ${relative(ROOT, file)}:${failure.line + 1}:${failure.start + 1}`,
    `    ${src}`,
    `    ${marker}`,
  ];
  if (failure.missing.length) lines.push(`    missing:    ${failure.missing.join(' ')}`);
  if (failure.unexpected.length) lines.push(`    unexpected: ${failure.unexpected.join(' ')}`);
  lines.push(`    actual:     ${failure.actual.join(' ') || '(no token)'}`);
  lines.push(`    asserted:   ${assertion.scopes.join(' ')}${assertion.exclude.length ? ` - ${assertion.exclude.join(' ')}` : ''}`);
  return lines.join('\n');
}

async function runFile(unit, registry, file) {
  let testCase;
  try {
    testCase = unit.parseGrammarTestCase(readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`  FAIL ${relative(ROOT, file)}: cannot parse: ${e.message}`);
    return { passed: 0, failed: 1 };
  }
  let passed = 0;
  let failed = 0;
  // One run per scope assertion, so each is its own test and a failure names its assertion.
  for (const line of testCase.assertions) {
    for (const assertion of line.scopeAssertions) {
      const single = { ...testCase, assertions: [{ ...line, scopeAssertions: [assertion] }] };
      const failures = await unit.runGrammarTestCase(registry, single);
      if (failures.length === 0) {
        passed++;
      } else {
        failed++;
        for (const f of failures) console.log(formatFailure(file, testCase, assertion, f));
      }
    }
  }
  if (passed + failed === 0) {
    console.log(`  FAIL ${relative(ROOT, file)}: no assertions`);
    failed++;
  }
  return { passed, failed };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { unit, common } = loadTool();
  const vscodeGrammars = yamlGrammars(resolve(opts.yamlExtension));
  const injection = injectionGrammar();
  const passes = [{ label: 'VS Code YAML', grammars: vscodeGrammars }];
  for (const base of opts.baseGrammars) {
    if (!existsSync(base)) die(`--base-grammar ${base} does not exist`);
    const grammars = new Map(vscodeGrammars);
    grammars.set('source.yaml', { scopeName: 'source.yaml', path: base });
    passes.push({ label: 'extra source.yaml grammar', grammars });
  }

  let passed = 0;
  let failed = 0;

  for (const r of checkGrammar()) {
    if (r.ok) passed++;
    else {
      failed++;
      console.log(`  FAIL name list ${r.rule}: ${r.message}`);
    }
  }

  for (const pass of passes) {
    console.log(`== ${pass.label}: ${pass.grammars.get('source.yaml').path}`);
    const registry = common.createRegistry([...pass.grammars.values(), injection]);
    for (const file of opts.files) {
      const r = await runFile(unit, registry, file);
      console.log(`${r.failed ? 'FAIL' : 'ok  '} ${relative(ROOT, file)}: ${r.passed} passed, ${r.failed} failed`);
      passed += r.passed;
      failed += r.failed;
    }
  }

  console.log(`grammar: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => die(e.stack ?? String(e)));
