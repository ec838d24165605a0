/**
 * What the extension loads after activation, from its own bundle (dist/lazy.js): the language
 * client library and the argocd CLI config reader (with its YAML parser) are most of the code,
 * and activation should not pay for parsing them. extension.ts requires this at run time.
 */
export { createLanguageClient } from '../languageClient';
export { HomeOpsServer } from '../serverClient';
export { readArgoCdCliConfig } from '../../core/status/cliConfig';
