// Layering (ARCHITECTURE.md): only src/extension may import 'vscode'; src/core imports neither
// 'vscode' nor the LSP packages, so the engine runs unchanged in the CLI, the server and tests.
// Inside src/core each folder belongs to a layer and imports only the layers below it; the engine
// folders import no Node I/O module (the disk is read through adapters/treeFs.ts).
import tseslint from 'typescript-eslint';

const noVscode = {
  paths: [{ name: 'vscode', message: "Only src/extension/ may import 'vscode' (see ARCHITECTURE.md)." }],
};
// One YAML seam (ARCHITECTURE.md): every reading names its reader in src/core/yaml, which sets the
// dialect, the documents read, repeated-key rules and the limits once.
const noYaml = {
  name: 'yaml',
  message: "Read YAML through src/core/yaml (readers.ts names who reads a file: loadYaml, parseYamlFile, parseDocuments, dumpYaml).",
};
const coreLayers = [
  { group: ['vscode-languageserver*', 'vscode-languageclient*'], message: 'src/core stays free of LSP types.' },
  { group: ['**/server/**', '**/extension/**', '**/cli/**', '**/shared/**'], message: 'src/core imports nothing above it.' },
];
// The protocol between extension and server (src/shared/protocol.ts): above core, below both
// front ends; it may use the protocol package's message types, not a client or server library.
const sharedLayers = [
  { group: ['vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageclient*'], message: "src/shared declares messages with 'vscode-languageserver-protocol' only." },
  { group: ['**/server/**', '**/extension/**', '**/cli/**'], message: 'src/shared imports only src/core below it.' },
];
// The extension talks to the server through src/shared/protocol.ts, never its implementation.
const noServerImpl = { group: ['**/server/**'], message: 'src/extension reaches the server through src/shared/protocol.ts (see serverClient.ts), not its implementation.' };
const noExtension = { group: ['**/extension/**'], message: 'src/server does not import the extension.' };

/**
 * The layers of src/core, bottom first (ARCHITECTURE.md draws them). A folder imports folders of
 * the rows below its own, never of its own row or above: what is below knows nothing of what
 * uses it, so a change moves down the stack, never round it. src/core/problems.ts is below all.
 */
export const CORE_LAYERS = [
  ['adapters', 'glob', 'yaml'],
  ['template', 'workspace'],
  ['argocd', 'schema', 'status'],
  ['generators'],
  ['appset', 'kustomize', 'charts'],
  ['model'],
  ['rules', 'editing'],
  ['tree'],
  ['scaffold', 'render'],
];

/** Folders that talk to the disk, processes or the network themselves: the rest is the engine. */
export const IO_FOLDERS = ['adapters', 'render', 'status', 'scaffold'];

/** Folders whose insides are theirs: others import them through their index only. */
const INDEX_ONLY = ['template', 'rules'];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A relative import that climbs out of the importing folder into `folder` (or below it). */
const into = (folder) => `^(\\.\\./)+${escape(folder)}(/|$)`;

function layerPatterns(folder) {
  const row = CORE_LAYERS.findIndex((r) => r.includes(folder));
  const above = CORE_LAYERS.slice(row).flat().filter((f) => f !== folder);
  const below = CORE_LAYERS.slice(0, row).flat();
  const patterns = above.map((f) => ({
    regex: into(f),
    message: `src/core/${folder} imports only the layers below it (${below.join(', ') || 'none'}); ${f} is ${CORE_LAYERS[row].includes(f) ? 'in its own layer' : 'above it'} (ARCHITECTURE.md, eslint.config.mjs CORE_LAYERS).`,
  }));
  for (const f of INDEX_ONLY) {
    if (f !== folder) patterns.push({ regex: `^(\\.\\./)+${escape(f)}/`, message: `Import src/core/${f} through its index ('../${f}'): its other modules are its own.` });
  }
  return patterns;
}

/** Node modules that reach the disk, processes or the network (type imports are fine). */
const NODE_IO = ['fs', 'fs/promises', 'child_process', 'http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns', 'os', 'worker_threads', 'readline'];
const noNodeIo = {
  paths: NODE_IO.flatMap((m) =>
    [m, `node:${m}`].map((name) => ({
      name,
      allowTypeImports: true,
      // node:net's address checks are pure functions.
      ...(m === 'net' ? { allowImportNames: ['isIP', 'isIPv4', 'isIPv6'] } : {}),
      message: `The engine does no I/O of its own: read files through the tree's TreeFs (src/core/adapters/treeFs.ts); processes and the network belong to ${IO_FOLDERS.filter((f) => f !== 'adapters').join(', ')} (ARCHITECTURE.md).`,
    })),
  ),
};

const coreFolders = CORE_LAYERS.flat();

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**', '.vscode-test/**', 'out/**', '.cache/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', noVscode],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [...noVscode.paths, noYaml] }] },
  },
  {
    // src/core/problems.ts and any other file at the top of src/core: below every folder.
    files: ['src/core/*.ts'],
    rules: {
      // One exception, for types only: Problem.rule is a RuleId, which the rule table defines.
      'no-restricted-imports': ['error', { paths: [...noVscode.paths, noYaml], patterns: [...coreLayers, ...coreFolders.map((f) => ({ regex: `^\\./${escape(f)}${f === 'rules' ? '(?!/table$)' : ''}(/|$)`, message: `src/core/*.ts is below every folder of src/core.` }))] }],
      '@typescript-eslint/no-restricted-imports': ['error', { ...noNodeIo, patterns: [{ regex: '^\\./rules/table$', allowTypeImports: true, message: 'src/core/*.ts is below every folder of src/core: it may import the rule table for its types only.' }] }],
      'no-console': 'error',
    },
  },
  ...coreFolders.map((folder) => ({
    files: [`src/core/${folder}/**/*.ts`],
    rules: {
      // The seam itself may import the yaml package.
      'no-restricted-imports': ['error', { paths: folder === 'yaml' ? noVscode.paths : [...noVscode.paths, noYaml], patterns: [...coreLayers, ...layerPatterns(folder)] }],
      ...(IO_FOLDERS.includes(folder) ? {} : { '@typescript-eslint/no-restricted-imports': ['error', noNodeIo] }),
      'no-console': 'error',
    },
  })),
  {
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [...noVscode.paths, noYaml], patterns: sharedLayers }] },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [...noVscode.paths, noYaml], patterns: [noExtension] }],
      'no-console': 'error',
    },
  },
  {
    // The extension itself, and the tests that run inside VS Code desktop.
    files: ['src/extension/**/*.ts', 'test/vscode/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noYaml], patterns: [noServerImpl] }] },
  },
  {
    files: ['esbuild.js', 'scripts/**/*.js', 'scripts/**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
