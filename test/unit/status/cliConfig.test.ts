import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { argoCdConfigPath, readArgoCdCliConfig } from '../../../src/core/status/cliConfig';
import { ConfigError } from '../../../src/core/status/errors';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl';

const CONFIG = `contexts:
- name: argocd.example.com:443
  server: argocd.example.com:443
  user: argocd.example.com:443
- name: lab
  server: 10.0.0.5:8080
  user: lab
current-context: argocd.example.com:443
servers:
- server: argocd.example.com:443
  insecure: true
  grpc-web-root-path: ""
- server: 10.0.0.5:8080
  plain-text: true
  grpc-web: true
  grpc-web-root-path: /argo-cd/
users:
- name: argocd.example.com:443
  auth-token: ${TOKEN}
- name: lab
  auth-token: lab-token
prompts-enabled: false
`;

describe('status/cliConfig (argocd CLI config)', () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-argocd-cli-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('resolves the path in the CLI order: $ARGOCD_CONFIG_DIR, legacy ~/.argocd if it exists, $XDG_CONFIG_HOME, ~/.config', () => {
    const at = (env: Record<string, string>, legacy: boolean) =>
      argoCdConfigPath({ env, homedir: '/home/u', existsSync: (p) => legacy && p === '/home/u/.argocd' });
    assert.equal(at({ ARGOCD_CONFIG_DIR: '/cfg', XDG_CONFIG_HOME: '/x' }, true), '/cfg/config');
    assert.equal(at({ XDG_CONFIG_HOME: '/x' }, true), '/home/u/.argocd/config');
    assert.equal(at({ XDG_CONFIG_HOME: '/x' }, false), '/x/argocd/config');
    assert.equal(at({}, false), '/home/u/.config/argocd/config');
  });

  function write(content: string, mode = 0o600): string {
    const dir = path.join(home, '.config', 'argocd');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'config');
    fs.writeFileSync(file, content);
    fs.chmodSync(file, mode);
    return file;
  }
  const host = () => ({ env: {}, homedir: home, platform: 'linux' as const });

  it('no config file: undefined', () => {
    assert.equal(readArgoCdCliConfig(host()), undefined);
  });

  it('reads the current context: https URL, token, insecure flag', () => {
    const file = write(CONFIG);
    assert.deepEqual(readArgoCdCliConfig(host()), {
      configPath: file,
      name: 'argocd.example.com:443',
      serverName: 'argocd.example.com:443',
      server: 'https://argocd.example.com:443',
      token: TOKEN,
      insecure: true,
      plainText: false,
      grpcWeb: false,
      core: false,
    });
  });

  it('a named context: plain-text is http, grpc-web-root-path becomes the root path', () => {
    write(CONFIG, 0o400);
    const ctx = readArgoCdCliConfig(host(), 'lab')!;
    assert.equal(ctx.server, 'http://10.0.0.5:8080/argo-cd');
    assert.equal(ctx.grpcWebRootPath, 'argo-cd');
    assert.equal(ctx.insecure, false);
    assert.equal(ctx.token, 'lab-token');
  });

  it('refuses a file others can read, like the CLI, with a clear message', () => {
    const file = write(CONFIG, 0o644);
    assert.throws(
      () => readArgoCdCliConfig(host()),
      (e: unknown) => e instanceof ConfigError && e.message.includes('0644') && e.message.includes(`chmod 600 "${file}"`) && !e.message.includes(TOKEN),
    );
    fs.chmodSync(file, 0o640);
    assert.throws(() => readArgoCdCliConfig(host()), ConfigError);
  });

  it('broken files are ConfigErrors that never quote the token', () => {
    write(`users:\n- name: x\n  auth-token: ${TOKEN}\n  bad: [unclosed\n`);
    assert.throws(
      () => readArgoCdCliConfig(host()),
      (e: unknown) => e instanceof ConfigError && !e.message.includes(TOKEN),
    );
    write('contexts: []\n');
    assert.throws(() => readArgoCdCliConfig(host()), /no current context/);
    write(CONFIG);
    assert.throws(() => readArgoCdCliConfig(host(), 'missing'), /no context named "missing"/);
  });
});
