// @vscode/test-cli configuration: runs the tests under test/vscode/ inside a real VS Code desktop
// build (Electron) that @vscode/test-electron downloads and caches in .vscode-test/. Use it on
// machines that can download VS Code; where nothing can be downloaded, test/integration/ drives
// code-server offline instead (scripts/vscode/install.sh).
//
//   npm run test:vscode   (build, compile test/vscode to out/, run)
//
// The extension under test is the project itself (package.json "main": dist/extension.js).
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'vscode',
  files: 'out/test/vscode/**/*.test.js',
  version: 'stable',
  workspaceFolder: './examples/homelab',
  // Only the extension under development runs; no trust prompt on the example repository.
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: {
    ui: 'bdd',
    timeout: 60_000,
  },
});
