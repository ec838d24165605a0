/**
 * A Helm chart repository on loopback for the render tests: `index.yaml` and the packaged charts
 * it lists, made with the real helm (`helm package`, `helm repo index`), served by a plain HTTP
 * server whose answer the test chooses (the charts, 401 without credentials, 404 for
 * everything), and an address where nothing listens (a port that was just closed).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { direct, tempDir, tool } from './support';

export type RepositoryMode = 'serve' | 'unauthorized' | 'forbidden' | 'not-found';

export interface ChartRepository {
  url: string;
  /** What the server answers from now on. */
  mode: RepositoryMode;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Serves the given chart folders, packaged, at http://127.0.0.1:PORT (call after requireTools(…, 'helm')). */
export async function chartRepository(chartDirs: readonly string[]): Promise<ChartRepository> {
  const dir = tempDir('home-ops-chart-repo-');
  for (const c of chartDirs) direct(tool('helm'), ['package', c, '--destination', dir], dir);
  const requests: string[] = [];
  const state = { mode: 'serve' as RepositoryMode };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
    if (state.mode === 'unauthorized') {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="charts"' }).end('401 Unauthorized\n');
      return;
    }
    if (state.mode === 'forbidden') {
      res.writeHead(403).end('403 Forbidden\n');
      return;
    }
    const file = path.join(dir, path.basename(url.pathname));
    if (state.mode === 'not-found' || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('404 page not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': file.endsWith('.yaml') ? 'text/yaml' : 'application/gzip' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  direct(tool('helm'), ['repo', 'index', dir, '--url', url], dir);
  return {
    url,
    get mode() {
      return state.mode;
    },
    set mode(m: RepositoryMode) {
      state.mode = m;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        fs.rmSync(dir, { recursive: true, force: true });
      }),
  };
}

/** An http:// address on loopback where nothing listens: connections are refused at once. */
export async function closedPort(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
