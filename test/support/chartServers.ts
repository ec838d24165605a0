/**
 * Loopback chart servers for `helm pull` in tests, speaking only what helm needs:
 *
 * - a classic Helm repository over HTTP (`index.yaml` and the archives it lists), optionally
 *   behind basic auth;
 * - an OCI registry (the distribution API's `/v2/`, manifests by tag or digest, blobs) over
 *   HTTPS — helm talks TLS to a registry unless told `--plain-http` — with the chart stored as
 *   helm pushes it (a config blob of media type application/vnd.cncf.helm.config.v1+json, one
 *   layer application/vnd.cncf.helm.chart.content.v1.tar+gzip), optionally behind a Bearer
 *   token challenge (`WWW-Authenticate: Bearer realm=…/token`, the token given for basic
 *   credentials) or plain basic auth.
 *
 * Every request is recorded (method, path, whether it carried credentials) so tests can say
 * what helm did.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { toolPath } from './shared';

export interface ServedChart {
  name: string;
  version: string;
  tgz: Buffer;
}

export interface Credentials {
  user: string;
  password: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: 'none' | 'basic' | 'bearer';
  status: number;
}

export interface LoopbackServer {
  url: string;
  /** `127.0.0.1:PORT`, as registry logins are keyed. */
  host: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function basicOk(header: string | undefined, creds: Credentials): boolean {
  return header === `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString('base64')}`;
}

function kindOf(header: string | undefined): RecordedRequest['authorization'] {
  return header?.startsWith('Basic ') ? 'basic' : header?.startsWith('Bearer ') ? 'bearer' : 'none';
}

async function listen(server: http.Server | https.Server, scheme: 'http' | 'https', requests: RecordedRequest[]): Promise<LoopbackServer> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function sha256(b: Buffer | string): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

/** A classic Helm repository: `index.yaml` and `charts/<name>-<version>.tgz`, behind basic auth when given. */
export async function startHelmRepository(charts: readonly ServedChart[], options: { auth?: Credentials } = {}): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  let base = '';
  const server = http.createServer((req, res) => {
    const reply = (status: number, body: string | Buffer, headers: http.OutgoingHttpHeaders = {}) => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', authorization: kindOf(req.headers.authorization), status });
      res.writeHead(status, headers);
      res.end(body);
    };
    if (options.auth && !basicOk(req.headers.authorization, options.auth)) return reply(401, 'unauthorized\n', { 'WWW-Authenticate': 'Basic realm="charts"' });
    const url = req.url ?? '';
    if (url === '/index.yaml') {
      const entries = new Map<string, string[]>();
      for (const c of charts) {
        const list = entries.get(c.name) ?? [];
        list.push(`  - apiVersion: v2\n    name: ${c.name}\n    version: ${c.version}\n    digest: ${createHash('sha256').update(c.tgz).digest('hex')}\n    created: "2026-01-01T00:00:00Z"\n    urls:\n      - ${base}/charts/${c.name}-${c.version}.tgz\n`);
        entries.set(c.name, list);
      }
      const body = `apiVersion: v1\ngenerated: "2026-01-01T00:00:00Z"\nentries:\n${[...entries].map(([name, list]) => `  ${name}:\n${list.map((l) => l.replace(/^(?=.)/gm, '  ')).join('')}`).join('')}`;
      return reply(200, body, { 'Content-Type': 'application/x-yaml' });
    }
    const chart = charts.find((c) => url === `/charts/${c.name}-${c.version}.tgz`);
    if (chart) return reply(200, chart.tgz, { 'Content-Type': 'application/gzip' });
    return reply(404, 'not found\n');
  });
  const srv = await listen(server, 'http', requests);
  base = srv.url;
  return srv;
}

export type RegistryAuth = { kind: 'bearer'; credentials: Credentials } | { kind: 'basic'; credentials: Credentials };

/** An OCI registry over HTTPS holding charts under `<namespace>/<name>:<version>`. */
export async function startOciRegistry(charts: readonly ServedChart[], tls: { key: Buffer; cert: Buffer }, options: { namespace?: string; auth?: RegistryAuth } = {}): Promise<LoopbackServer> {
  const namespace = options.namespace ?? 'charts';
  const requests: RecordedRequest[] = [];
  const blobs = new Map<string, { body: Buffer; type: string }>();
  const manifests = new Map<string, { body: string; digest: string }>();
  for (const c of charts) {
    const config = Buffer.from(JSON.stringify({ name: c.name, version: c.version, apiVersion: 'v2' }));
    blobs.set(sha256(config), { body: config, type: 'application/vnd.cncf.helm.config.v1+json' });
    blobs.set(sha256(c.tgz), { body: c.tgz, type: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip' });
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: sha256(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', digest: sha256(c.tgz), size: c.tgz.length }],
    });
    const entry = { body: manifest, digest: sha256(manifest) };
    manifests.set(`${namespace}/${c.name}:${c.version}`, entry);
    manifests.set(`${namespace}/${c.name}:${entry.digest}`, entry);
  }
  const token = 'loopback-token-1234';
  let base = '';
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const url = new URL(req.url ?? '/', base);
    const reply = (status: number, body: string | Buffer, headers: http.OutgoingHttpHeaders = {}) => {
      requests.push({ method: req.method ?? '', path: url.pathname + url.search, authorization: kindOf(req.headers.authorization), status });
      res.writeHead(status, { 'Docker-Distribution-Api-Version': 'registry/2.0', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const auth = options.auth;
    if (url.pathname === '/token') {
      if (auth?.kind !== 'bearer') return reply(404, 'not found\n');
      if (!basicOk(req.headers.authorization, auth.credentials)) return reply(401, '{"errors":[{"code":"UNAUTHORIZED"}]}', { 'Content-Type': 'application/json' });
      return reply(200, JSON.stringify({ token, access_token: token, expires_in: 300 }), { 'Content-Type': 'application/json' });
    }
    if (auth) {
      const ok = auth.kind === 'bearer' ? req.headers.authorization === `Bearer ${token}` : basicOk(req.headers.authorization, auth.credentials);
      if (!ok) {
        const m = /^\/v2\/(.+)\/(?:manifests|blobs)\//.exec(url.pathname);
        const challenge = auth.kind === 'bearer' ? `Bearer realm="${base}/token",service="${new URL(base).host}"${m ? `,scope="repository:${m[1]}:pull"` : ''}` : 'Basic realm="registry"';
        return reply(401, '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}', { 'Content-Type': 'application/json', 'WWW-Authenticate': challenge });
      }
    }
    if (url.pathname === '/v2/' || url.pathname === '/v2') return reply(200, '{}', { 'Content-Type': 'application/json' });
    const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    if (manifest) {
      const m = manifests.get(`${manifest[1]}:${manifest[2]}`);
      if (!m) return reply(404, '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}', { 'Content-Type': 'application/json' });
      return reply(200, m.body, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json', 'Docker-Content-Digest': m.digest, 'Content-Length': Buffer.byteLength(m.body) });
    }
    const blob = /^\/v2\/(.+)\/blobs\/([^/]+)$/.exec(url.pathname);
    if (blob) {
      const b = blobs.get(blob[2] as string);
      if (!b) return reply(404, '{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown"}]}', { 'Content-Type': 'application/json' });
      return reply(200, b.body, { 'Content-Type': 'application/octet-stream', 'Docker-Content-Digest': blob[2], 'Content-Length': b.body.length });
    }
    return reply(404, '{"errors":[{"code":"NAME_UNKNOWN"}]}', { 'Content-Type': 'application/json' });
  });
  const srv = await listen(server, 'https', requests);
  base = srv.url;
  return srv;
}

/**
 * A self-signed certificate for 127.0.0.1, made by the real openssl in `dir` (the tests' HTTPS
 * registries; helm trusts it through SSL_CERT_FILE). Call after requireTools said openssl is there.
 */
export function loopbackCertificate(dir: string): { key: Buffer; cert: Buffer } {
  const r = spawnSync(toolPath('openssl') as string, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `openssl could not make a test certificate: ${r.error?.message ?? r.stderr}`);
  return { key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) };
}
