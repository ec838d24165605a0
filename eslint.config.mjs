// Layering (ARCHITECTURE.md): only src/extension may import 'vscode'; src/core imports neither
// 'vscode' nor the LSP packages, so the engine runs unchanged in the CLI, the server and tests.
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
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [...noVscode.paths, noYaml], patterns: coreLayers }],
      'no-console': 'error',
    },
  },
  {
    // The seam itself.
    files: ['src/core/yaml/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: noVscode.paths, patterns: coreLayers }] },
  },
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
