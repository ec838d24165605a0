/**
 * The versions a Helm chart repository offers, for Add App's "Another Helm chart…" choice.
 *
 * - HTTP(S) repositories: `<repo>/index.yaml` (a Helm repository index, `entries.<chart>[].version`).
 * - OCI registries (`oci://host/path`): the OCI distribution API `GET /v2/<path>/<chart>/tags/list`,
 *   anonymously; a `401` with a `Bearer` challenge is answered with an anonymous token from the
 *   challenge's realm (how ghcr.io serves public charts), and `Link` pagination is followed up to a
 *   bound.
 *
 * Plain Node (global `fetch`, TLS verified), bounded in time and size; never throws: a lookup that
 * cannot be made says why in a few words (`offline`, `timeout`, `HTTP 404`…) so the caller can offer
 * to type a version instead.
 */
import { loadYaml } from '../yaml/load';

export type ChartVersionsResult =
  | {
      /** Newest first in semver order; prereleases after the releases (unless there are only prereleases). */
      versions: string[];
      source: 'index' | 'oci';
      /** Set when the registry had more tag pages than the bound: the list may miss some versions. */
      truncated?: true;
    }
  | { unavailable: string };

export interface ChartVersionsOptions {
  /** Cancels the lookup (the result is then `{ unavailable: 'cancelled' }`). */
  signal?: AbortSignal;
  /** Bound for the whole lookup (token and every page included). */
  timeoutMs?: number;
  /** Replaces the global `fetch` (tests). */
  fetchImpl?: typeof fetch;
  /** Largest body read, in bytes (after decompression). */
  maxBytes?: number;
  /** Most tag-list pages followed on an OCI registry. */
  maxPages?: number;
  /**
   * Talk to OCI registries (and their token realms) over plain `http://`. For tests against a
   * loopback registry only: production lookups always use HTTPS with verified certificates.
   */
  insecureHttp?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
const DEFAULT_MAX_PAGES = 20;
/** Above this size the index is cut down to the chart's own entry before it is parsed. */
const SLICE_THRESHOLD = 256 * 1024;
const USER_AGENT = 'home-ops (chart versions)';

export function isChartVersionsUnavailable(r: ChartVersionsResult): r is { unavailable: string } {
  return 'unavailable' in r;
}

/** A lookup that cannot be completed, for a stated reason. */
class Unavailable extends Error {}

export async function listChartVersions(repo: string, chart: string, options: ChartVersionsOptions = {}): Promise<ChartVersionsResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(Math.max(1, timeoutMs));
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const ctx: Ctx = {
    fetch: options.fetchImpl ?? globalThis.fetch,
    signal,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    maxPages: options.maxPages ?? DEFAULT_MAX_PAGES,
    insecureHttp: options.insecureHttp === true,
  };
  try {
    if (options.signal?.aborted) return { unavailable: 'cancelled' };
    const r = repo.trim().replace(/\/+$/, '');
    const name = chart.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return { unavailable: 'invalid chart name' };
    if (/^oci:\/\//i.test(r)) return await guard(fromOci(r, name, ctx), signal);
    if (/^https?:\/\//i.test(r)) return await guard(fromIndex(r, name, ctx), signal);
    return { unavailable: 'not an http(s):// or oci:// repository' };
  } catch (e) {
    if (options.signal?.aborted) return { unavailable: 'cancelled' };
    if (timeout.aborted) return { unavailable: 'timeout' };
    return { unavailable: describe(e) };
  }
}

interface Ctx {
  fetch: typeof fetch;
  signal: AbortSignal;
  maxBytes: number;
  maxPages: number;
  insecureHttp: boolean;
}

// ---------------------------------------------------------------------------------------------
// Helm repository index

async function fromIndex(repo: string, chart: string, ctx: Ctx): Promise<ChartVersionsResult> {
  const url = parseUrl(`${repo}/index.yaml`);
  const res = await ctx.fetch(url, { signal: ctx.signal, redirect: 'follow', headers: { 'user-agent': USER_AGENT, accept: 'application/x-yaml, text/yaml, application/yaml, */*' } });
  if (!res.ok) {
    await discard(res);
    throw new Unavailable(res.status === 404 ? 'HTTP 404: no index.yaml, not a Helm repository' : httpReason(res.status));
  }
  const text = await readBody(res, ctx);
  return { versions: sortVersions(versionsFromIndex(text, chart)), source: 'index' };
}

/** The versions `index.yaml` lists for a chart; throws `Unavailable` when the text is no Helm index or lacks the chart. */
function versionsFromIndex(text: string, chart: string): string[] {
  let source = text;
  if (text.length > SLICE_THRESHOLD) {
    const sliced = sliceIndex(text, chart);
    if (sliced === null) throw new Unavailable(`no chart ${chart} in the repository`);
    if (sliced !== undefined) source = sliced;
  }
  const doc = parseIndex(source);
  if (!isRecord(doc) || !isRecord(doc.entries)) throw new Unavailable('not a Helm repository (index.yaml has no entries)');
  const list = Object.hasOwn(doc.entries, chart) ? doc.entries[chart] : undefined;
  if (list === undefined) throw new Unavailable(`no chart ${chart} in the repository`);
  if (!Array.isArray(list)) throw new Unavailable('not a Helm repository (malformed index.yaml)');
  const out: string[] = [];
  for (const e of list) if (isRecord(e) && typeof e.version === 'string' && e.version.trim() !== '') out.push(e.version.trim());
  if (out.length === 0) throw new Unavailable(`no versions of ${chart} in the repository`);
  return out;
}

function parseIndex(text: string): unknown {
  // Some repositories serve their index as JSON (which is YAML too): far faster to read as such.
  if (/^\s*\{/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // Not JSON after all: YAML flow style, or garbage.
    }
  }
  try {
    // failsafe: every scalar a string, so `version: 1.10` stays "1.10".
    return loadYaml(text, 'as-written');
  } catch {
    throw new Unavailable('not a Helm repository (index.yaml is not YAML)');
  }
}

/**
 * Cuts a large index written the way Helm writes it (`entries:` at the top level, two-space chart
 * keys) down to the chart's own entry, so that a 20 MB index is not parsed whole. `null`: such an
 * index without the chart; `undefined`: not laid out that way (parse it all).
 */
function sliceIndex(text: string, chart: string): string | null | undefined {
  const entries = /^entries:[ \t]*\r?$/m.exec(text);
  if (!entries) return undefined;
  const body = text.slice(entries.index + entries[0].length);
  // The first chart key must be at two spaces, else the layout is not Helm's.
  if (!/^[ \t]*\r?\n {2}[^\s#-]/.test(body)) return undefined;
  const esc = chart.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const key = new RegExp(`^ {2}(?:${esc}|"${esc}"|'${esc}'):[ \\t]*\\r?$`, 'm');
  const start = key.exec(body);
  if (!start) {
    // A quoted, flow-style or oddly indented key would not have been seen: only trust a miss when
    // every chart key looks plain.
    return /^ {2}["'{[?]/m.test(body) ? undefined : null;
  }
  const rest = body.slice(start.index + start[0].length);
  // The entry ends at the next two-space key or top-level key.
  const end = /^(?: {2}[^\s-]|[^\s#-])/m.exec(rest);
  return `entries:\n${start[0]}${end ? rest.slice(0, end.index) : rest}`;
}

// ---------------------------------------------------------------------------------------------
// OCI registries

async function fromOci(repo: string, chart: string, ctx: Ctx): Promise<ChartVersionsResult> {
  const ref = repo.replace(/^oci:\/\//i, '');
  const slash = ref.indexOf('/');
  let host = (slash < 0 ? ref : ref.slice(0, slash)).toLowerCase();
  const repoPath = slash < 0 ? '' : ref.slice(slash + 1).replace(/^\/+|\/+$/g, '');
  if (host === '' || /[\s@?#]/.test(ref)) throw new Unavailable('invalid oci:// repository');
  // Docker Hub's registry API lives on another host than its references name (as Helm/ORAS map it).
  if (host === 'docker.io' || host === 'index.docker.io') host = 'registry-1.docker.io';
  const scheme = ctx.insecureHttp ? 'http' : 'https';
  const name = repoPath === '' ? chart : `${repoPath}/${chart}`;
  const base = parseUrl(`${scheme}://${host}`);
  let next: URL | undefined = parseUrl(`${base.origin}/v2/${name}/tags/list`);
  const tags: string[] = [];
  let token: string | undefined;
  let pages = 0;
  while (next) {
    if (pages >= ctx.maxPages) return { versions: sortVersions(chartTags(tags)), source: 'oci', truncated: true };
    pages++;
    let res = await registryGet(next, token, ctx);
    if (res.status === 401) {
      const challenge = parseBearerChallenge(res.headers.get('www-authenticate'));
      await discard(res);
      if (!challenge) throw new Unavailable('authentication required');
      token = await anonymousToken(challenge, name, ctx);
      res = await registryGet(next, token, ctx);
      if (res.status === 401 || res.status === 403) {
        await discard(res);
        throw new Unavailable('authentication required (private chart?)');
      }
    }
    if (!res.ok) {
      await discard(res);
      throw new Unavailable(res.status === 404 ? `HTTP 404: no chart ${chart} in the registry` : httpReason(res.status));
    }
    const body = await readBody(res, ctx);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new Unavailable('not an OCI registry (tags/list is not JSON)');
    }
    if (!isRecord(parsed) || !(Array.isArray(parsed.tags) || parsed.tags === null)) throw new Unavailable('not an OCI registry (no tags in tags/list)');
    for (const t of (parsed.tags ?? []) as unknown[]) if (typeof t === 'string') tags.push(t);
    next = nextPage(res.headers.get('link'), next);
  }
  const versions = sortVersions(chartTags(tags));
  if (versions.length === 0) throw new Unavailable(tags.length === 0 ? `no versions of ${chart} in the registry` : `no version tags for ${chart} in the registry`);
  return { versions, source: 'oci' };
}

function registryGet(url: URL, token: string | undefined, ctx: Ctx): Promise<Response> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  // With a token, redirects are not followed: the token must not travel to another host.
  return ctx.fetch(url, { signal: ctx.signal, headers, redirect: token ? 'error' : 'follow' });
}

export interface BearerChallenge {
  realm: string;
  service?: string;
  scope?: string;
}

/** `Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:x/y:pull"`. */
export function parseBearerChallenge(header: string | null): BearerChallenge | undefined {
  if (!header) return undefined;
  const m = /^\s*Bearer\s+(.*)$/is.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (let p = re.exec(m[1]!); p; p = re.exec(m[1]!)) params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]!;
  if (!params.realm) return undefined;
  return { realm: params.realm, ...(params.service ? { service: params.service } : {}), ...(params.scope ? { scope: params.scope } : {}) };
}

async function anonymousToken(ch: BearerChallenge, name: string, ctx: Ctx): Promise<string> {
  let realm: URL;
  try {
    realm = new URL(ch.realm);
  } catch {
    throw new Unavailable('authentication required (invalid token realm)');
  }
  if (realm.protocol !== 'https:' && !(ctx.insecureHttp && realm.protocol === 'http:')) throw new Unavailable('authentication required (token realm is not https)');
  if (ch.service) realm.searchParams.set('service', ch.service);
  realm.searchParams.set('scope', ch.scope ?? `repository:${name}:pull`);
  const res = await ctx.fetch(realm, { signal: ctx.signal, headers: { 'user-agent': USER_AGENT, accept: 'application/json' }, redirect: 'follow' });
  if (!res.ok) {
    await discard(res);
    throw new Unavailable(res.status === 401 || res.status === 403 ? 'authentication required (private chart?)' : `token service: ${httpReason(res.status)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(await readBody(res, { ...ctx, maxBytes: Math.min(ctx.maxBytes, 1024 * 1024) }));
  } catch (e) {
    if (e instanceof Unavailable) throw e;
    throw new Unavailable('authentication required (token service answered no JSON)');
  }
  const token = isRecord(body) ? (typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined) : undefined;
  if (!token) throw new Unavailable('authentication required (no anonymous token)');
  return token;
}

/** The `rel="next"` target of a `Link` header, on the same origin as the page it came with. */
function nextPage(link: string | null, current: URL): URL | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (!m || !/(?:^|;)\s*rel\s*=\s*"?next"?\s*(?:;|$)/i.test(m[2]!)) continue;
    try {
      const url = new URL(m[1]!, current);
      return url.origin === current.origin ? url : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The tags that are chart versions: Helm pushes `1.2.3+build` as the tag `1.2.3_build`. */
function chartTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tags) {
    const v = t.includes('_') ? t.replace(/_/g, '+') : t;
    if (parseSemver(v)) out.push(v);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Versions

interface Semver {
  nums: [number, number, number];
  pre: string[];
}

/** Semver as Helm reads it (Masterminds): an optional `v`, and minor/patch may be left out. */
export function parseSemver(v: string): Semver | undefined {
  const m = /^v?(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/.exec(v);
  if (!m) return undefined;
  return { nums: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)], pre: m[4] ? m[4].split('.') : [] };
}

/** Semver precedence (build metadata ignored); versions that are not semver sort below all others. */
export function compareSemver(a: string, b: string): number {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (!pa || !pb) return pa ? 1 : pb ? -1 : a < b ? -1 : a > b ? 1 : 0;
  for (let i = 0; i < 3; i++) if (pa.nums[i] !== pb.nums[i]) return pa.nums[i]! - pb.nums[i]!;
  if (pa.pre.length === 0 || pb.pre.length === 0) return pb.pre.length - pa.pre.length;
  for (let i = 0; i < Math.max(pa.pre.length, pb.pre.length); i++) {
    const x = pa.pre[i];
    const y = pb.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    } else if (nx !== ny) return nx ? -1 : 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Newest first; prereleases after every release unless there are only prereleases; duplicates once. */
export function sortVersions(versions: readonly string[]): string[] {
  const unique = [...new Set(versions)];
  const byNewest = (a: string, b: string) => compareSemver(b, a) || (a < b ? 1 : a > b ? -1 : 0);
  const isPre = (v: string) => (parseSemver(v)?.pre.length ?? 0) > 0;
  const releases = unique.filter((v) => !isPre(v)).sort(byNewest);
  const pre = unique.filter(isPre).sort(byNewest);
  return [...releases, ...pre];
}

// ---------------------------------------------------------------------------------------------
// Plumbing

function parseUrl(s: string): URL {
  try {
    const url = new URL(s);
    if (url.username || url.password) throw new Unavailable('credentials in the repository URL are not supported');
    return url;
  } catch (e) {
    if (e instanceof Unavailable) throw e;
    throw new Unavailable('invalid repository URL');
  }
}

/** Reads a body up to the size bound. */
async function readBody(res: Response, ctx: Pick<Ctx, 'maxBytes' | 'signal'>): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > ctx.maxBytes) {
    await discard(res);
    throw new Unavailable('response too large');
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > ctx.maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Unavailable('response too large');
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

async function discard(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => undefined);
}

/** Rejects as soon as the signal aborts, whether or not the fetch implementation honours it. */
function guard<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function httpReason(status: number): string {
  if (status === 401 || status === 403) return `HTTP ${status}: authentication required`;
  if (status === 429) return 'HTTP 429: rate limited';
  return `HTTP ${status}`;
}

const NETWORK_REASONS: Record<string, string> = {
  ENOTFOUND: 'host not found (offline?)',
  EAI_AGAIN: 'offline',
  ENETUNREACH: 'offline',
  ENETDOWN: 'offline',
  EHOSTUNREACH: 'host unreachable',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_SOCKET: 'connection closed',
};

/** A short reason for a failed lookup. */
function describe(e: unknown): string {
  if (e instanceof Unavailable) return e.message;
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const walk = (x: unknown) => {
    if (typeof x !== 'object' || x === null || seen.has(x)) return;
    seen.add(x);
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    walk((x as { cause?: unknown }).cause);
    const errors = (x as { errors?: unknown }).errors;
    if (Array.isArray(errors)) errors.forEach(walk);
  };
  walk(e);
  for (const code of codes) {
    const r = NETWORK_REASONS[code];
    if (r) return r;
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(code)) return 'TLS certificate not trusted';
  }
  if (e instanceof Error && /redirect/i.test(`${e.message} ${String((e.cause as Error | undefined)?.message ?? '')}`)) return 'registry redirected (not followed)';
  if ((e as { name?: unknown })?.name === 'TimeoutError') return 'timeout';
  if ((e as { name?: unknown })?.name === 'AbortError') return 'cancelled';
  return 'network error';
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
