/**
 * Git directory generator (Argo CD applicationset/generators/git.go, repo-server
 * GetGitDirectories): every directory of the repository is tested against each
 * `directories[].path` with Go's `path.Match`; it is kept when an include pattern matches and
 * no `exclude: true` pattern does. Hidden directories and their subtrees are never candidates.
 */
import { BadPatternError, goPathMatch, hasClassOrEscape, hasGlobMeta } from '../glob/goPathMatch';
import { sanitizeName } from '../argocd/names';
import type { TreeView } from '../workspace/treeView';
import { typedSlice, type GoMap } from '../template';
import type { YamlPath } from '../yaml/parse';
import { asArray, asRecord, asString } from './spec';
import { applyValues } from './values';
import { GeneratorError, type GeneratorContext, type GeneratorOutput, type ParamSet } from './types';

interface DirItem {
  pattern: string;
  exclude: boolean;
  path: YamlPath;
}

export function evaluateGitDirectories(git: Record<string, unknown>, path: YamlPath, ctx: GeneratorContext): GeneratorOutput {
  const items: DirItem[] = [];
  asArray(git['directories']).forEach((raw, i) => {
    const item = asRecord(raw);
    const itemPath = [...path, 'directories', i];
    const pattern = asString(item?.['path']);
    if (pattern === undefined) throw new GeneratorError([...itemPath], 'A git directories entry needs a `path`.', 'generator-invalid');
    items.push({ pattern, exclude: item?.['exclude'] === true, path: [...itemPath, 'path'] });
  });
  for (const item of items) {
    ctx.deps.dirPatterns.add(item.pattern);
    if (item.pattern.startsWith('/')) {
      ctx.report(item.path, 'warning', 'generator-path', `Pattern "${item.pattern}" starts with "/": Argo CD matches repository-relative paths without a leading slash, so it can never match.`);
    }
  }
  const includes = items.filter((i) => !i.exclude);
  const excludes = items.filter((i) => i.exclude);
  const matched = new Map<string, DirItem>();
  const badPatterns = new Set<DirItem>();
  for (const item of includes) {
    try {
      for (const dir of matchingDirectories(ctx.tree, item.pattern)) if (!matched.has(dir)) matched.set(dir, item);
    } catch (e) {
      if (!(e instanceof BadPatternError)) throw e;
      badPatterns.add(item);
    }
  }
  for (const item of items) {
    try {
      goPathMatch(item.pattern, '');
    } catch (e) {
      if (e instanceof BadPatternError) badPatterns.add(item);
    }
  }
  for (const item of badPatterns) {
    ctx.report(item.path, 'error', 'generator-path', `Invalid pattern "${item.pattern}" (Go path.Match syntax): Argo CD logs it and skips it.`);
  }
  const sets: ParamSet[] = [];
  const levels = new Map<DirItem, number[]>();
  for (const dir of sortWalkOrder([...matched.keys()])) {
    const isExcluded = excludes.some((x) => {
      try {
        return goPathMatch(x.pattern, dir);
      } catch {
        return false;
      }
    });
    if (isExcluded) continue;
    const item = matched.get(dir) as DirItem;
    const params = directoryParams(dir, asString(git['pathParamPrefix']) ?? '', ctx.goTemplate);
    let itemLevels = levels.get(item);
    if (!itemLevels) levels.set(item, (itemLevels = globLevels(item.pattern)));
    sets.push({
      params: applyValues(params, git['values'], [...path, 'values'], ctx),
      origins: [{ kind: 'directory', path: dir, pattern: item.pattern, globLevels: itemLevels }],
    });
  }
  return { sets, description: 'git directories' };
}

/** The parameters Argo CD gives one matched directory. */
export function directoryParams(dir: string, prefix: string, goTemplate: boolean): GoMap {
  const segments = dir.split('/');
  const basename = segments[segments.length - 1] as string;
  if (goTemplate) {
    const pathMap: GoMap = {
      path: dir,
      basename,
      basenameNormalized: sanitizeName(basename),
      segments: typedSlice([...segments], 'string'),
    };
    return prefix ? { [prefix]: { path: pathMap } } : { path: pathMap };
  }
  const p = prefix ? `${prefix}.path` : 'path';
  const flat: GoMap = { [p]: dir, [`${p}.basename`]: basename, [`${p}.basenameNormalized`]: sanitizeName(basename) };
  segments.forEach((s, i) => {
    if (s !== '') flat[`${p}[${i}]`] = s;
  });
  return flat;
}

/** Segment indexes where the pattern has a glob: the directory levels the generator ranges over. */
export function globLevels(pattern: string): number[] {
  const out: number[] = [];
  pattern.split('/').forEach((seg, i) => {
    if (hasGlobMeta(seg)) out.push(i);
  });
  return out;
}

/** Directories (as Git has them, hidden ones excluded) that a pattern matches; throws BadPatternError. */
export function matchingDirectories(tree: TreeView, pattern: string): string[] {
  // Without a class or escape, candidates() has matched every segment already.
  if (!hasClassOrEscape(pattern)) return [...candidates(tree, pattern)];
  const out: string[] = [];
  for (const dir of candidates(tree, pattern)) if (goPathMatch(pattern, dir)) out.push(dir);
  return out;
}

/**
 * Directories worth testing against a pattern. `*` and `?` never cross `/`, so a pattern with
 * only those can be walked segment by segment; a pattern with a class or an escape (which may
 * span `/`) falls back to every directory.
 */
function candidates(tree: TreeView, pattern: string): Iterable<string> {
  if (hasClassOrEscape(pattern)) return tree.allDirs();
  let level: string[] = [''];
  for (const seg of pattern.split('/')) {
    const next: string[] = [];
    for (const dir of level) {
      const kids = tree.childrenOf(dir);
      if (!hasGlobMeta(seg)) {
        if (kids.has(seg)) next.push(dir === '' ? seg : `${dir}/${seg}`);
        continue;
      }
      for (const k of kids) {
        try {
          if (goPathMatch(seg, k)) next.push(dir === '' ? k : `${dir}/${k}`);
        } catch {
          return tree.allDirs();
        }
      }
    }
    level = next;
    if (level.length === 0) break;
  }
  return level.filter((d) => d !== '' && tree.hasDir(d));
}

/** Orders paths as Go's filepath.WalkDir visits them: lexically, segment by segment. */
export function sortWalkOrder(paths: string[]): string[] {
  const split = new Map(paths.map((p) => [p, p.split('/')]));
  return paths.sort((a, b) => {
    const sa = split.get(a) as string[];
    const sb = split.get(b) as string[];
    const n = Math.min(sa.length, sb.length);
    for (let i = 0; i < n; i++) {
      const x = sa[i] as string;
      const y = sb[i] as string;
      if (x !== y) return x < y ? -1 : 1;
    }
    return sa.length - sb.length;
  });
}
