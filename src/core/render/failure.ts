/**
 * One line saying what failed and why, from the output of a helm or kustomize run that failed.
 * Their own messages chain every layer (`Error: Error: looks like "…" is not a valid chart
 * repository or cannot be reached: Get "…": dial tcp …: connect: connection refused\n: unable to
 * run: 'helm pull …' with env=[…] (is 'helm' installed?)`): 600 characters in which the cause is
 * one clause and kustomize's "(is 'helm' installed?)" misleads. The summary names the cause —
 * host unreachable, name not found, authentication required, chart version not found, a file and
 * line — in under 200 characters; the full output is kept beside it, shown once.
 *
 * The cause also decides whether the failure may become a diagnostic: a registry that is down or
 * wants credentials says nothing about the file that names it, so only causes located in the
 * user's files (a YAML error at a line, a missing file, a version the repository does not have)
 * are placed on a line.
 */
import * as path from 'node:path';

export type FailureCause =
  /** The host's name does not resolve. */
  | 'dns'
  /** Connection refused, timed out, no route, TLS failure: the host, not the file. */
  | 'unreachable'
  /** 401 / 403: credentials Argo CD has and this machine does not. */
  | 'auth'
  /** The repository answers but has no such chart version (or no chart repository at that URL). */
  | 'not-found'
  /** Fetching a chart failed for a reason not recognised above: remote, so never placed on a line. */
  | 'fetch'
  /** YAML the tool could not read, at a file and line. */
  | 'syntax'
  /** Anything else the tool reported: the summary is its own innermost message. */
  | 'tool';

export interface ToolFailure {
  /** One line, under 200 characters. */
  summary: string;
  cause: FailureCause;
  /**
   * Where the failure is in the user's files, when the output says: `tokens` are values to look
   * for in the kustomization (a chart version), `file`/`line` a place the tool names (absolute
   * path as the repository has it, 1-based line). Undefined: nothing to place; a network or
   * credentials failure is never placed.
   */
  locate?: { tokens?: string[]; file?: string; line?: number };
  /** The chart repository or registry the failing fetch was from, when the output names it. */
  repository?: string;
}

export const MAX_SUMMARY = 199;

/** Network and credential failures: never a diagnostic, whatever file names the host. */
export function isEnvironmentFailure(cause: FailureCause | undefined): boolean {
  return cause === 'dns' || cause === 'unreachable' || cause === 'auth' || cause === 'fetch';
}

/**
 * Classifies a failed run's output. `tool` is what ran (`kustomize`, `helm`, `kubectl
 * kustomize`); `cwd` the folder it ran in, to resolve a file a message names relative to it.
 */
export function describeToolFailure(output: string, tool: string, cwd?: string): ToolFailure {
  const text = output.replace(/\r/g, '');
  const chart = pulledChart(text);
  const what = !chart ? tool : chart.name === '' ? `${tool}: repository ${chart.repo}` : `${tool}: chart ${chart.name}${chart.version ? ` ${chart.version}` : ''}${chart.repo ? ` from ${chart.repo}` : ''}`;
  const net = networkCause(text);
  if (net) return { summary: clip(`${what}: ${net.reason}`), cause: net.cause, ...(chart?.repo ? { repository: chart.repo } : {}) };

  // `helm pull NAME/CHART` through a repository the user added says `matching V not found in NAME index`.
  const version = /chart "([^"]+)" version "([^"]+)" not found in (\S+) repository/.exec(text) ?? /chart "([^"]+)" matching (\S+) not found in (\S+) index/.exec(text) ?? /can't get a valid version for \d+ subchart\(s\): "([^"]+)" \(repository "([^"]+)", version "([^"]+)"\)/.exec(text);
  if (version) {
    const [name, v, repo] = version[0].startsWith('chart') ? [version[1], version[2], version[3]] : [version[1], version[3], version[2]];
    return { summary: clip(`${tool}: chart ${name} version ${v} not found in ${repo}`), cause: 'not-found', locate: { tokens: [v as string] } };
  }
  const noChart = /chart "([^"]+)" not found in (\S+) repository/.exec(text);
  if (noChart) return { summary: clip(`${tool}: chart ${noChart[1]} not found in ${noChart[2]}`), cause: 'not-found', locate: { tokens: [noChart[1] as string] } };
  const oci404 = /(?:manifest unknown|: not found)\b/.exec(text);
  if (oci404 && chart) return { summary: clip(`${what}: not found in the registry (no such chart or version)`), cause: 'not-found', ...(chart.version ? { locate: { tokens: [chart.version] } } : {}) };

  if (chart) return { summary: clip(`${what}: ${innermost(text)}`), cause: 'fetch' };
  const yamlAt = /yaml: line (\d+): ([^\n]+?)(?: in File: (\S+))?$/m.exec(text);
  if (yamlAt) {
    const line = Number(yamlAt[1]);
    const file = yamlFile(text, yamlAt.index, yamlAt[3], cwd);
    const shown = file && cwd ? path.relative(cwd, file) || path.basename(file) : (yamlAt[3] ?? 'a kustomization');
    return { summary: clip(`${tool}: invalid YAML in ${shown}:${line}: ${yamlAt[2]}`), cause: 'syntax', ...(file ? { locate: { file, line } } : {}) };
  }
  const resource = /accumulating resources from '([^']+)': [^\n]*?no such file or directory/.exec(text);
  if (resource) return { summary: clip(`${tool}: resource ${resource[1]} not found (no such file or directory)`), cause: 'tool' };
  const missing = /(?:open|lstat|stat) ([^\s:']+): no such file or directory/.exec(text);
  if (missing) return { summary: clip(`${tool}: ${cwd ? path.relative(cwd, missing[1] as string) : missing[1]} not found (no such file or directory)`), cause: 'tool' };
  return { summary: clip(`${tool}: ${innermost(text)}`), cause: 'tool' };
}

/**
 * An authentication failure of kustomize's helmCharts at a repository the user added to helm
 * (`userRepository`) with credentials: kustomize runs `helm pull --repo URL`, which sends none, and
 * has no field to give any (kustomize issue #4335, out of scope there; helm's --repo ignoring the
 * repositories file is helm PR #9760, open), so the summary says so instead of the HTTP detail.
 */
export function credentialsKustomizeCannotPass(failure: ToolFailure, userRepository: string): ToolFailure {
  const at = failure.summary.indexOf(': authentication required');
  if (failure.cause !== 'auth' || at < 0) return failure;
  return { ...failure, summary: clip(`${failure.summary.slice(0, at)}: authentication required; kustomize cannot pass helm the credentials your helm repository "${userRepository}" has for it`) };
}

/** The chart a failed `helm pull` (kustomize's helmCharts) or `helm dependency build` was fetching. */
function pulledChart(text: string): { name: string; version?: string; repo?: string } | undefined {
  const pull = /'(?:[^'\s]*\/)?helm pull [^']*?(?:--repo ([^\s']+) ([^\s']+)|(oci:\/\/[^\s']+))(?: --version ([^\s']+))?[^']*'/.exec(text);
  if (pull) {
    if (pull[3]) {
      const ref = pull[3];
      return { name: ref.slice(ref.lastIndexOf('/') + 1), ...(pull[4] ? { version: pull[4] } : {}), repo: ref.slice(0, ref.lastIndexOf('/')) };
    }
    return { name: pull[2] as string, ...(pull[4] ? { version: pull[4] } : {}), repo: pull[1] as string };
  }
  const download = /could not download (\S+?):/.exec(text);
  if (download) {
    const url = download[1] as string;
    const file = url.slice(url.lastIndexOf('/') + 1);
    const m = /^(.+)-(\d[^/]*)\.tgz$/.exec(file);
    return m ? { name: m[1] as string, version: m[2] as string, repo: url.slice(0, url.lastIndexOf('/')) } : { name: file, repo: url.slice(0, url.lastIndexOf('/')) };
  }
  const repo = /looks like "([^"]+)" is not a valid chart repository/.exec(text) ?? /Unable to get an update from the "[^"]*" chart repository \(([^)\s]+)\)/.exec(text);
  if (repo) return { name: '', repo: repo[1] as string };
  return undefined;
}

function networkCause(text: string): { cause: FailureCause; reason: string } | undefined {
  let m = /lookup ([^\s:]+)(?: on [^:]+:\d+)?: (no such host|server misbehaving|Temporary failure in name resolution|i\/o timeout)/.exec(text);
  if (m) return { cause: 'dns', reason: `host ${m[1]} not found (DNS: ${m[2]})` };
  m = /dial tcp ([^\s]+?): connect: (connection refused|no route to host|network is unreachable|connection timed out)/.exec(text);
  if (m) return { cause: 'unreachable', reason: `host ${m[1]} unreachable (${m[2]})` };
  m = /(?:read|write) tcp [^\s]+->([^\s]+?): (connection reset by peer|broken pipe)|proxyconnect tcp: (.+)$/m.exec(text);
  if (m) return { cause: 'unreachable', reason: m[3] ? `proxy unreachable (${m[3].slice(0, 80)})` : `host ${m[1]} dropped the connection (${m[2]})` };
  if (/server gave HTTP response to HTTPS client/.test(text)) return { cause: 'unreachable', reason: 'the registry speaks HTTP, not HTTPS (server gave HTTP response to HTTPS client)' };
  m = /dial tcp ([^\s]+?): (i\/o timeout)/.exec(text);
  if (m) return { cause: 'unreachable', reason: `host ${m[1]} unreachable (no answer: ${m[2]})` };
  if (/TLS handshake timeout|context deadline exceeded|Client\.Timeout exceeded/.test(text)) return { cause: 'unreachable', reason: 'no answer from the host (timeout)' };
  m = /x509: ([^\n]+?)(?:$|\n)/.exec(text);
  if (m) return { cause: 'unreachable', reason: `TLS certificate not accepted (x509: ${m[1]})`.slice(0, 150) };
  m = /failed to fetch (\S+) : (40[13]) ([^\n]*)/.exec(text);
  if (m) return { cause: 'auth', reason: `authentication required: ${m[1]} answered ${m[2]} ${(m[3] ?? '').trim()}` };
  // helm 3.18+ reaches registries through oras-go v2, whose errors end in `GET "<url>": response
  // status code 401: unauthorized` (the registry's own message, if any, after it): a registry or
  // its token endpoint refusing an anonymous pull, not a chart that is missing.
  m = /response status code (40[13]): ([^\n]*)/.exec(text);
  if (m) return { cause: 'auth', reason: `authentication required (the registry answered ${m[1]} ${(m[2] ?? '').trim().slice(0, 60)})` };
  if (/\b(?:unauthorized: authentication required|401 Unauthorized|denied: requested access to the resource is denied)\b/i.test(text)) {
    return { cause: 'auth', reason: 'authentication required (the registry answered 401 Unauthorized or denied access)' };
  }
  m = /failed to fetch (\S+\/index\.yaml) : (404[^\n]*)/.exec(text);
  if (m) return { cause: 'not-found', reason: `no chart repository there: ${m[1]} answered ${(m[2] ?? '').trim()}` };
  m = /failed to fetch (\S+) : (\d{3}[^\n]*)/.exec(text);
  if (m) return { cause: (m[2] as string).startsWith('404') ? 'not-found' : 'unreachable', reason: `${m[1]} answered ${(m[2] as string).trim()}` };
  return undefined;
}

/** The file a go-yaml error is about: `in File: x` relative to the path kustomize was reading, or the kustomization of the target it could not make. */
function yamlFile(text: string, at: number, inFile: string | undefined, cwd: string | undefined): string | undefined {
  const before = text.slice(0, at);
  const targets = [...before.matchAll(/(?:couldn't make target for path|recursed accumulation of path) '([^']+)'/g)];
  const folder = targets.length ? (targets[targets.length - 1]?.[1] as string) : cwd;
  if (!folder) return undefined;
  if (inFile) return path.resolve(folder, inFile);
  if (/invalid Kustomization/.test(before.slice(-200))) return path.join(folder, 'kustomization.yaml');
  return undefined;
}

/**
 * The tool's own message without its chain: the last clause after kustomize's wrappers, the
 * misleading "(is 'helm' installed?)" and the environment dump removed.
 */
function innermost(text: string): string {
  const first = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !/^(?:Usage|See '|Flag --\S+ has been deprecated|W\d{4} )/.test(l));
  let line = (first ?? 'failed without a message').replace(/^(?:Error:\s*)+/, '');
  line = line.replace(/^accumulating resources: accumulation err='accumulating resources from '([^']+)': /, "resource '$1': ");
  line = line.replace(/: unable to run: '(?:[^'\s]*\/)?helm [^']*' with env=\[[^\]]*\] \(is 'helm' installed\?\).*$/, '');
  return line;
}

function clip(s: string): string {
  const one = s.replace(/\s*\n\s*/g, ' ');
  return one.length > MAX_SUMMARY ? `${one.slice(0, MAX_SUMMARY - 1)}…` : one;
}
