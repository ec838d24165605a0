/**
 * Which `repoURL`s name this very repository, for rules that look inside a source's `path`: a
 * path of another repository says nothing about this one. Known for certain from the checkout's
 * own Git remotes (.git/config); from the ApplicationSets' git generators whose patterns match
 * something here (the engine reads them from this working tree, so they are this repository);
 * and from the repoURL the generated Applications use for folders: one whose paths mostly exist
 * here (at least two, and more than those that do not) is this repository, since another
 * repository's layout does not match this one by chance. Only Applications whose parameters do
 * not come from this tree count (list elements, clusters): a path made from a directory the git
 * generator found exists here whatever the repoURL says. Any other URL is unknown, and rules then
 * say nothing.
 */
import { asArray, asRecord, asString } from '../generators/spec';
import { folderPresence, repositoryFolder } from './appSources';
import type { RepositoryModel } from './repositoryModel';

export interface RepositoryIdentity {
  /** True when `repoURL` certainly names this repository. */
  isThisRepository(repoURL: string): boolean;
}

/**
 * One spelling per repository, in the spirit of Argo CD's git.NormalizeGitURL: no scheme, no user,
 * no port, no `.git`, lower case, so `git@github.com:o/r.git`, `ssh://git@github.com/o/r` and
 * `https://github.com/O/r/` are one repository.
 */
export function normalizeRepoUrl(url: string): string {
  let u = url.trim().toLowerCase();
  u = u.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  u = u.replace(/^[^@/]*@/, '');
  // scp-like `host:owner/repo` (git@ stripped above); a `host:port/` has digits only.
  u = u.replace(/^([^/:]+):(?!\d+\/)/, '$1/');
  u = u.replace(/^([^/:]+):\d+\//, '$1/');
  u = u.replace(/\/+$/, '').replace(/\.git$/, '').replace(/\/+$/, '');
  return u;
}

/** The identity of a model's repository (RepositoryModel.identity() keeps it until anything changes). */
export function computeRepositoryIdentity(model: RepositoryModel): RepositoryIdentity {
  const known = new Set<string>();
  for (const url of model.tree.gitRemoteUrls()) known.add(normalizeRepoUrl(url));
  for (const url of productiveGitGeneratorUrls(model)) known.add(normalizeRepoUrl(url));
  for (const url of urlsWhosePathsExist(model)) known.add(url);
  const answers = new Map<string, boolean>();
  return {
    isThisRepository: (repoURL: string) => {
      let answer = answers.get(repoURL);
      if (answer === undefined) answers.set(repoURL, (answer = repoURL.trim() !== '' && known.has(normalizeRepoUrl(repoURL))));
      return answer;
    },
  };
}

/** repoURLs of git generators at least one of whose patterns gave an Application here. */
function productiveGitGeneratorUrls(model: RepositoryModel): string[] {
  const urls: string[] = [];
  for (const evaluation of model.appsets()) {
    const spec = asRecord(asRecord(model.appSetDocument(evaluation.appset)?.value)?.['spec']);
    if (!spec) continue;
    const productive = new Set<string>();
    for (const a of evaluation.apps) for (const o of a.origins) if ('pattern' in o) productive.add(o.pattern);
    for (const d of evaluation.generators) for (const o of d.deselected) if ('pattern' in o) productive.add(o.pattern);
    if (productive.size === 0) continue;
    const visit = (generators: unknown): void => {
      for (const g of asArray(generators)) {
        const gen = asRecord(g);
        const git = asRecord(gen?.['git']);
        const url = asString(git?.['repoURL']);
        if (git && url && !url.includes('{{')) {
          const patterns = [...asArray(git['directories']), ...asArray(git['files'])].map((i) => asString(asRecord(i)?.['path']));
          if (patterns.some((p) => p !== undefined && productive.has(p))) urls.push(url);
        }
        for (const combinator of ['matrix', 'merge']) visit(asRecord(gen?.[combinator])?.['generators']);
      }
    };
    visit(spec['generators']);
  }
  return urls;
}

/** Normalised repoURLs of generated sources whose folders mostly exist here (see above). */
function urlsWhosePathsExist(model: RepositoryModel): string[] {
  const byUrl = new Map<string, { found: Set<string>; absent: Set<string> }>();
  for (const app of model.apps()) {
    if (app.origins.some((o) => o.kind === 'directory' || o.kind === 'file')) continue;
    const spec = asRecord(app.manifest['spec']);
    const sources = asArray(spec?.['sources']).length > 0 ? asArray(spec?.['sources']) : [spec?.['source']];
    for (const raw of sources) {
      const s = asRecord(raw);
      const url = asString(s?.['repoURL']);
      const path = asString(s?.['path']);
      if (!s || url === undefined || path === undefined || s['chart'] !== undefined) continue;
      const dir = repositoryFolder(path);
      if (!dir) continue; // the root exists in every repository
      const key = normalizeRepoUrl(url);
      const entry = byUrl.get(key) ?? { found: new Set<string>(), absent: new Set<string>() };
      byUrl.set(key, entry);
      const presence = folderPresence(model.tree, dir);
      if (presence === 'folder') entry.found.add(dir);
      else if (presence !== 'unsure') entry.absent.add(dir);
    }
  }
  return [...byUrl].filter(([, e]) => e.found.size >= 2 && e.found.size > e.absent.size).map(([url]) => url);
}
