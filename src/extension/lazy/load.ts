/**
 * Loads dist/lazy.js (built from lazy/index.ts) on first use. A run-time require with a computed
 * path keeps esbuild from inlining it into the activation bundle.
 */
import type * as vscode from 'vscode';

export type LazyModule = typeof import('./index');

let loaded: LazyModule | undefined;

export function loadLazy(context: Pick<vscode.ExtensionContext, 'asAbsolutePath'>): LazyModule {
  if (!loaded) {
    const file = context.asAbsolutePath('dist/lazy.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(file) as LazyModule;
  }
  return loaded;
}
