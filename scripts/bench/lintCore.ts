/**
 * What `home-ops lint` runs, as one entry point: scripts/bench/lint.ts bundles it with the
 * extension's own esbuild options (production) so that the figures are those of the code users
 * get, not of the TypeScript loader the scripts run under (which wraps every closure).
 */
export { RepositoryModel } from '../../src/core/model/repositoryModel';
export { Linter } from '../../src/core/rules';
export { NodeChartStore } from '../../src/core/render/chartCache';
