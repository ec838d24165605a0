/**
 * Rendering Applications as Argo CD would (kustomize / helm template / plain directory) and
 * rendered diffs against another Git revision. See render.ts and diff.ts.
 */
export { locateBinaries, findOnPath, toolsCacheDir, MissingBinaryError, INSTALL_HINTS, type Binaries, type BinaryName, type BinarySettings, type BinarySource, type ResolvedBinary } from './binaries';
export { checkTools, formatToolsReport, type ToolsReport, type ToolStatus } from './toolsCheck';
export { detectArgoCdVersion, toolVersionNote, type DetectedArgoCd } from '../argocd/toolVersions';
export { findPlugins, type PluginDefinition } from '../argocd/plugins';
export { repositoryCrds } from './crdSchema';
export { RenderCache, type CachedRender } from './cache';
export { defaultChartCacheDir, homeOpsCacheDir, NodeChartStore, repoFolderName, type CachedChart } from './chartCache';
export { changedApps, describeSummary, diffApp, diffChangedApps, diffObjects, summarize, unifiedDiff, withRevision, type AppDiff, type ChangedAppDiff, type ChangedAppsDiff, type DiffSummary, type ResourceDiff } from './diff';
export { argoGlobMatch } from '../glob/argoGlob';
export { directoryManifestFiles } from './directory';
export { appInputs, hashInputs, inputsContain, type AppInputs } from './inputs';
export { objectKey, renderApp, RenderError, resolveBuildOptions, splitObjects, UNTRUSTED_MESSAGE, type ErrorLocation, objectStartLines, type PlacedObjectProblem, type RenderedObject, type RenderErrorKind, type RenderOptions, type RenderResult, type ResolvedBuildOptions } from './render';
export { describeRefused, flagName, screenBuildOptions, type BuildOptionPolicy, type RefusedOption, type ScreenedOptions } from '../argocd/buildOptionPolicy';
export { materialise, SymlinkEscapeError } from './workdir';
export { formatCommand, runProcess, RunError, type RunOptions, type RunResult, type Runner } from './runner';
export { appSourceOf, applicationSources, isRemoteChartSource, findBuildOptions, type AppSource, type BuildOptionsOrigin, type RenderableApp, type RepoFiles, type SourceType } from '../argocd/source';
export { detectSourceType } from './sourceType';
