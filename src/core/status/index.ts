/** The Argo CD status layer: plain Node, no 'vscode'. See the modules for the details. */
export * from './types';
export * from './errors';
export * from './argocdClient';
export * from './argocdSource';
export * from './statusModel';
export * from './cliConfig';
export * from './kubectlSource';
