/**
 * Helm charts as the values files beside them need them: found in the repository or the chart
 * cache (never the network), loaded (metadata, defaults, schema, dependencies, templates), and
 * values checked against them as `helm template` checks them.
 */
export { archiveChartFiles, chartRefLabel, isExactVersion, loadChart, mapChartFiles, ChartLoadError, type ChartDependency, type ChartFiles, type ChartRef, type ChartStore, type LoadedChart } from './chart';
export { ChartResolver, type ChartRequest, type RepositoryFiles, type Resolved } from './resolve';
export { readTarball, chartArchiveFiles, TarballError, writeTarball } from './tarball';
export { at as valueAt, checkValues, mergeMaps, type PlacedIssue, type Unchecked, type ValuesCheck, type ValuesPath, type ValuesSource } from './valuesCheck';
export { compileValuesSchema, draftOf, type CompiledValuesSchema, type Draft } from './valuesSchema';
export { readCovers, readIs, templateValuesReads, type TemplateRead } from './templateReads';
