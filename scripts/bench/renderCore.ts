/**
 * What `home-ops lint --render` runs for each app, as one entry point: scripts/bench/lintRender.ts
 * bundles it like the product (lint.ts bundleAsShipped) to time each app's render on its own.
 */
export { RepositoryModel } from '../../src/core/model/repositoryModel';
export { renderApp } from '../../src/core/render/render';
export { kustomizeBuildCommand } from '../../src/core/render/kustomizeCommand';
export { splitBuildOptions } from '../../src/core/argocd/source';
export { cliRenderOptions } from '../../src/cli/renderCommand';
export { defaultRenderConcurrency } from '../../src/cli/lintRender';
