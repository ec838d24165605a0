/**
 * A folder beside generated app folders that no ApplicationSet generates: typically an app added
 * in the wrong place, or a pattern that does not reach it. Not reported: folders a generator
 * excludes on purpose, folders above or below generated ones, hidden folders, and folders that
 * hold a generator's input — the directory a directories generator matched or the file a files
 * generator read — whether its Application deploys another path (a Helm chart from a repository
 * with `$values` from this folder), a generator `selector` drops it on purpose, or the template
 * fails for it (template-error reports that, not this rule).
 */
import * as nodePath from 'node:path';
import { asRecord } from '../generators/spec';
import { goPathMatch } from '../glob/goPathMatch';
import { folderSources, repositoryFolder } from '../model/appSources';
import type { RepositoryIdentity } from '../model/repositoryIdentity';
import { gitItems } from '../generators/gitItems';
import { appSetDocs } from './appsetDocs';
import type { Origin } from '../generators/types';
import { defineRule, type RuleContext } from './types';
import { isKustomizationName, kustomizationIn } from '../yaml/classify';
import { parentOf } from '../workspace/fileTree';

export const uncoveredAppDir = defineRule({
  id: 'uncovered-app-dir',
  description: 'A folder beside generated app folders that no ApplicationSet generates an Application for.',
  defaultSeverity: 'warning',
  run(ctx) {
    const tree = ctx.model.tree;
    // The app level is where ApplicationSets generate; standalone Applications (a bootstrap)
    // only mark their own folders as deployed.
    const identity = ctx.model.identity();
    const generated = new Set<string>();
    for (const app of ctx.model.apps()) for (const dir of appFolders(app.manifest, app.path, identity)) generated.add(dir);
    if (generated.size === 0) return;
    const deployed = new Set(generated);
    for (const app of ctx.model.standaloneApps()) for (const dir of appFolders(app.manifest, app.path, identity)) deployed.add(dir);
    for (const dir of inputFolders(ctx)) deployed.add(dir);
    const argoFiles = new Set(ctx.model.manifests().map((m) => m.file));
    const excludes = appSetDocs(ctx).flatMap((d) => gitItems(d.spec).filter((i) => i.exclude && i.kind === 'directories').map((i) => i.pattern));
    // A folder is accounted for when it is deployed, inside a deployed one, or above one; the
    // folders above deployed ones are collected once so each check is a few set lookups.
    const above = new Set<string>();
    for (const g of deployed) for (let d = parentOf(g); d !== ''; d = parentOf(d)) above.add(d);
    const related = (dir: string) => {
      if (deployed.has(dir) || above.has(dir)) return true;
      for (let d = parentOf(dir); d !== ''; d = parentOf(d)) if (deployed.has(d)) return true;
      return false;
    };
    const parents = new Set([...generated].map((g) => (nodePath.posix.dirname(g) === '.' ? '' : nodePath.posix.dirname(g))));
    // The YAML files directly in each folder, gathered once when the first candidate needs them.
    let yamlByDir: Map<string, string[]> | undefined;
    const yamlFilesIn = (dir: string): string[] => {
      if (!yamlByDir) {
        yamlByDir = new Map();
        for (const f of tree.files) {
          if (!/\.ya?ml$/.test(f)) continue;
          const d = parentOf(f);
          const list = yamlByDir.get(d);
          if (list) list.push(f);
          else yamlByDir.set(d, [f]);
        }
      }
      return yamlByDir.get(dir) ?? [];
    };
    for (const parent of [...parents].sort()) {
      for (const name of [...tree.childrenOf(parent)].sort()) {
        if (name.startsWith('.')) continue;
        const dir = parent === '' ? name : `${parent}/${name}`;
        if (related(dir)) continue;
        if (excludes.some((x) => safeMatch(x, dir))) continue;
        const kustomization = kustomizationIn(tree.files, dir);
        // Only folders that look like apps: a kustomization, or YAML manifests at their top.
        // A folder of Argo CD manifests is the control plane, not an app.
        const here = yamlFilesIn(dir);
        const yaml = here.find((f) => !argoFiles.has(f));
        const manifests = here.filter((f) => !isKustomizationName(nodePath.posix.basename(f)));
        const onlyArgo = manifests.length > 0 && manifests.every((f) => argoFiles.has(f));
        const anchor = kustomization && !onlyArgo ? kustomization : yaml;
        if (!anchor) continue;
        const siblings = [...generated].filter((g) => g.startsWith(`${parent}/`)).length;
        ctx.report({
          file: anchor,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          message: `No ApplicationSet generates an Application for ${dir}, although ${siblings} folder${siblings === 1 ? '' : 's'} beside it ${siblings === 1 ? 'is' : 'are'} generated. Argo CD will not deploy it.`,
        });
      }
    }
  },
});

/**
 * The folders of this repository an Application deploys: its sources there (of a multi-source
 * Application, not the chart repository's `path: .`); when the repository's URL is not known,
 * the path of its first source.
 */
function appFolders(manifest: Record<string, unknown>, path: string | undefined, identity: RepositoryIdentity): string[] {
  const dirs = folderSources(asRecord(manifest['spec']) ?? {}, identity).map((s) => s.dir).filter((d) => d !== '');
  if (dirs.length > 0) return dirs;
  const fallback = path === undefined ? undefined : repositoryFolder(path);
  return fallback ? [fallback] : [];
}

/** Folders of the generator inputs behind every generated or selector-dropped parameter set. */
function inputFolders(ctx: RuleContext): Set<string> {
  const out = new Set<string>();
  const add = (o: Origin): void => {
    const dir = o.kind === 'directory' ? o.path : o.kind === 'file' ? parentOf(o.path) : '';
    if (dir !== '') out.add(dir);
  };
  for (const ev of ctx.model.appsets()) {
    for (const app of ev.apps) app.origins.forEach(add);
    // Inputs a selector drops on purpose, and inputs whose template failed (template-error says why).
    for (const g of ev.generators) {
      g.deselected.forEach(add);
      g.unrendered.forEach(add);
    }
  }
  return out;
}

function safeMatch(pattern: string, dir: string): boolean {
  try {
    return goPathMatch(pattern, dir);
  } catch {
    return false;
  }
}
