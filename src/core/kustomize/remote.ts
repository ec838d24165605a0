/**
 * Which kustomization entries kustomize fetches instead of reading from the repository, ported
 * from kustomize v5.8.1 (api v0.21.1): internal/loader/fileloader.go and
 * internal/git/repospec.go.
 *
 * Every file is loaded with `Load`: an http(s) URL is fetched, anything else is a local path
 * (`foo//bar.yaml` included: it is not a URL). `resources`, `components` and the generator,
 * transformer and validator lists may also name a kustomization: kustomize tries the entry as a
 * local file first, then as a root, and a root that parses as a Git repository spec
 * (`github.com/org/repo//path?ref=v1`, `https://host/org/repo.git`, `git@host:org/repo`,
 * `ssh://…`, `file://…`) is cloned.
 */
import { isIPv6 } from 'node:net';

/** `url.Parse(s)` succeeds with an http or https scheme (Go lowercases the scheme). */
export function isHttpUrl(s: string): boolean {
  if (!s.includes(':')) return false;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(s);
  if (!m) return false;
  const scheme = (m[1] as string).toLowerCase();
  return (scheme === 'http' || scheme === 'https') && goUrlParses(s.slice(m[0].length));
}

/**
 * Whether Go's url.Parse accepts what follows the scheme: an error makes kustomize read the
 * entry as a local path instead. Checks what net/url checks: control bytes, `%` escapes in
 * the path and fragment, the host's characters and port, the user information.
 */
function goUrlParses(afterScheme: string): boolean {
  if (/[\x00-\x1f\x7f]/.test(afterScheme)) return false;
  const hash = afterScheme.indexOf('#');
  const fragment = hash >= 0 ? afterScheme.slice(hash + 1) : '';
  let rest = hash >= 0 ? afterScheme.slice(0, hash) : afterScheme;
  if (!escapesValid(fragment)) return false;
  const q = rest.indexOf('?');
  if (q >= 0) rest = rest.slice(0, q); // the query is not checked by Parse
  if (!rest.startsWith('/')) return true; // opaque: "https:host/x"
  let path = rest;
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash >= 0 ? rest.slice(2, slash) : rest.slice(2);
    path = slash >= 0 ? rest.slice(slash) : '';
    const at = authority.lastIndexOf('@');
    const userinfo = at >= 0 ? authority.slice(0, at) : '';
    if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo) || !escapesValid(userinfo)) return false;
    if (!hostParses(at >= 0 ? authority.slice(at + 1) : authority)) return false;
  }
  return escapesValid(path);
}

function hostParses(host: string): boolean {
  const open = host.lastIndexOf('[');
  if (open > 0) return false; // "invalid IP-literal"
  if (open === 0) {
    const close = host.lastIndexOf(']');
    if (close < 0) return false;
    if (!/^(:[0-9]*)?$/.test(host.slice(close + 1))) return false;
    // Only an IPv6 address (with an optional %25 zone) may stand in brackets.
    const literal = host.slice(1, close);
    const zone = literal.indexOf('%25');
    const address = zone >= 0 ? literal.slice(0, zone) : literal;
    return escapesValid(literal) && isIPv6(decodeURIComponentSafe(address));
  }
  // The port follows the last colon (kustomize v5.8.1 declares go 1.24: no urlstrictcolons).
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && !/^:[0-9]*$/.test(host.slice(colon))) return false;
  const name = host;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (name[i] === '%') {
      if (!/^%[0-9a-fA-F]{2}/.test(name.slice(i, i + 3))) return false;
      // a host may not hold an escaped byte below 0x80 other than %25
      if (parseInt(name[i + 1] as string, 16) < 8 && name.slice(i, i + 3) !== '%25') return false;
      i += 2;
    } else if (c < 0x80 && !/[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"]/.test(name[i] as string)) return false;
  }
  return true;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function escapesValid(s: string): boolean {
  return !/%(?![0-9a-fA-F]{2})/.test(s);
}

/** git.NewRepoSpecFromURL(s) succeeds: kustomize would clone it. */
export function isGitRepoSpec(raw: string): boolean {
  // Most entries are plain local paths: without a scheme (`:`), a user (`@`) or github.com,
  // extractHost refuses them ("failed to parse scheme").
  if (!raw.includes(':') && !raw.includes('@') && !/^(?:git::)?github\.com\//i.test(raw)) return false;
  if (raw.startsWith('/')) return false; // "uri looks like abs path"
  let n = raw.split('?')[0] as string;
  // extractHost
  if (n.toLowerCase().startsWith('git::')) n = n.slice('git::'.length);
  let scheme = '';
  for (const prefix of ['ssh://', 'https://', 'http://', 'file://']) {
    if (n.toLowerCase().startsWith(prefix)) {
      scheme = prefix;
      n = n.slice(prefix.length);
      break;
    }
  }
  let username = '';
  const user = /^([a-zA-Z][a-zA-Z0-9-]*)@/.exec(n);
  if (user) {
    username = user[0];
    n = n.slice(username.length);
  }
  const lower = n.toLowerCase();
  const stdGithub = lower.startsWith('github.com/') || lower.startsWith('github.com:');
  const acceptScp = scheme === '' && (username !== '' || stdGithub);
  if (scheme === '' && !acceptScp) return false; // "failed to parse scheme"
  let rest: string;
  if (scheme === 'file://') rest = username + n;
  else {
    let sep = n.indexOf('/');
    if (acceptScp) {
      const colon = n.indexOf(':');
      if (sep === -1 || (colon > 0 && colon < sep)) sep = colon;
    }
    const host = sep >= 0 ? n.slice(0, sep + 1) : n;
    rest = sep >= 0 ? n.slice(sep + 1) : '';
    if (!stdGithub && host === '') return false; // "failed to parse host segment"
  }
  return parsesPathParts(rest, scheme === 'file://');
}

/** repospec.go parsePathParts: a repository path, then an optional root inside it. */
function parsesPathParts(n: string, allSegments: boolean): boolean {
  let repoPath: string;
  let rootPath: string;
  const gitRoot = n.indexOf('_git/');
  const doubleSlash = n.indexOf('//');
  const gitSuffix = n.indexOf('.git');
  if (gitRoot >= 0) {
    const segs = n.slice(gitRoot + '_git/'.length).split('/');
    repoPath = n.slice(0, gitRoot + '_git/'.length) + segs[0];
    rootPath = segs.slice(1).join('/');
  } else if (doubleSlash >= 0) {
    repoPath = n.slice(0, doubleSlash);
    rootPath = n.slice(doubleSlash + 2);
  } else if (gitSuffix >= 0) {
    repoPath = n.slice(0, gitSuffix + '.git'.length);
    rootPath = n.slice(gitSuffix + '.git'.length);
  } else if (allSegments) {
    repoPath = n;
    rootPath = '';
  } else {
    const segs = n.split('/');
    if (segs.length < 2) return false;
    repoPath = segs.slice(0, 2).join('/');
    rootPath = segs.slice(2).join('/');
  }
  if (repoPath.length === 0) return false;
  // "url path exits repo" (one leading slash is trimmed; a path still rooted cannot leave)
  const root = rootPath.startsWith('/') ? rootPath.slice(1) : rootPath;
  return root.startsWith('/') || cleanPath(root).split('/')[0] !== '..';
}

/** Go path.Clean, enough to tell whether a path starts by leaving its root. */
function cleanPath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(seg);
  }
  return out.length === 0 ? '.' : out.join('/');
}

/** Whether kustomize fetches this entry of a field that may name a kustomization root. */
export function isRemoteRoot(s: string): boolean {
  return isHttpUrl(s) || isGitRepoSpec(s);
}

/** Whether kustomize fetches this entry of a field that names a file. */
export function isRemoteFile(s: string): boolean {
  return isHttpUrl(s);
}
