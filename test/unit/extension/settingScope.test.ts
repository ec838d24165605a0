/**
 * Settings that choose where the token goes or which binary runs: a value from the workspace
 * (a repository's .vscode/settings.json) is shown, not used, until the user confirms it by name;
 * an http:// server is asked about once. The decisions, in plain Node (settingScope.ts has no
 * vscode import); config.ts and argoConnection.ts apply them.
 */
import { strict as assert } from 'node:assert';
import { cleartextDecision, cleartextQuestion, confirmationQuestion, decideScopedSetting, hostOf, withGuardedSettings } from '../../../src/extension/settingScope';

const none = () => false;

describe('extension: settings a workspace may not choose unconfirmed', () => {
  it('a workspace-set Argo CD server is not used: the user has none, the workspace value waits for a confirmation naming its host', () => {
    const d = decideScopedSetting({ defaultValue: '', workspaceValue: 'https://argocd.attacker.example:8443' }, none);
    assert.equal(d.value, '');
    assert.equal(d.from, 'default');
    assert.equal(d.pending, 'https://argocd.attacker.example:8443');
    assert.match(confirmationQuestion('homeOps.argocd.server', d.pending as string, 'server'), /name the Argo CD server argocd\.attacker\.example:8443 \(https:\/\/argocd\.attacker\.example:8443\)\. .*Use argocd\.attacker\.example:8443\?/);
  });

  it('the user\'s own value is used while a different workspace value waits; once confirmed, the workspace value is used', () => {
    const inspected = { globalValue: 'https://argocd.home.example', workspaceValue: 'https://argocd.attacker.example' };
    assert.deepEqual(decideScopedSetting(inspected, none), { value: 'https://argocd.home.example', from: 'user', pending: 'https://argocd.attacker.example' });
    assert.deepEqual(decideScopedSetting(inspected, (v) => v === 'https://argocd.attacker.example'), { value: 'https://argocd.attacker.example', from: 'workspace' });
  });

  it('nothing to confirm: no workspace value, a blank one, or the same as the user\'s', () => {
    assert.deepEqual(decideScopedSetting({ defaultValue: '', globalValue: '/usr/local/bin/helm' }, none), { value: '/usr/local/bin/helm', from: 'user' });
    assert.deepEqual(decideScopedSetting({ defaultValue: '', globalValue: '/usr/local/bin/helm', workspaceValue: '  ' }, none), { value: '/usr/local/bin/helm', from: 'user' });
    assert.deepEqual(decideScopedSetting({ defaultValue: '', globalValue: '/usr/local/bin/helm', workspaceValue: '/usr/local/bin/helm' }, none), { value: '/usr/local/bin/helm', from: 'user' });
    assert.deepEqual(decideScopedSetting(undefined, none), { value: undefined, from: 'default' });
  });

  it('a folder value wins over the workspace value, as in VS Code, and is confirmed the same way', () => {
    const d = decideScopedSetting({ defaultValue: '', workspaceValue: './bin/helm-a', workspaceFolderValue: './bin/helm-b' }, none);
    assert.equal(d.pending, './bin/helm-b');
    assert.match(confirmationQuestion('homeOps.render.helmPath', './bin/helm-b', 'binary'), /choose the program \.\/bin\/helm-b\. Home-Ops runs it only if you confirm/);
  });

  it('the language server gets the decided tool paths and allowed build options, never the workspace\'s own', () => {
    // What workspace/configuration returns when a workspace sets them (the effective values).
    const effective = { exclude: ['x'], render: { helmPath: './pwn-helm', kustomizePath: './pwn-kustomize', allowedBuildOptions: ['--helm-command'], timeoutSeconds: 5 }, kubectl: { path: './pwn-kubectl', context: 'c' } };
    const sent = withGuardedSettings(effective, { helmPath: '', kustomizePath: '/opt/kustomize', kubectlPath: '', allowedBuildOptions: [] });
    assert.deepEqual(sent, { exclude: ['x'], render: { helmPath: '', kustomizePath: '/opt/kustomize', allowedBuildOptions: [], timeoutSeconds: 5 }, kubectl: { path: '', context: 'c' } });
    assert.equal(effective.render.helmPath, './pwn-helm', 'the input is not modified');
    assert.deepEqual(withGuardedSettings(undefined, { helmPath: 'h', kustomizePath: 'k', kubectlPath: 'kc', allowedBuildOptions: ['--enable-alpha-plugins'] }), { render: { helmPath: 'h', kustomizePath: 'k', allowedBuildOptions: ['--enable-alpha-plugins'] }, kubectl: { path: 'kc' } });
  });

  it('http:// servers are asked about once per server; the answer holds until asked again', () => {
    assert.equal(cleartextDecision('https://argocd.example', {}), 'send');
    assert.equal(cleartextDecision('http://argocd.lan:8080', {}), 'ask');
    assert.equal(cleartextDecision('http://argocd.lan:8080/', { 'http://argocd.lan:8080': 'allow' }), 'send');
    assert.equal(cleartextDecision('HTTP://argocd.lan:8080', { 'HTTP://argocd.lan:8080': 'refuse' }), 'refuse');
    assert.equal(cleartextDecision('http://other.lan', { 'http://argocd.lan:8080': 'allow' }), 'ask', 'remembered per server');
    assert.match(cleartextQuestion('http://argocd.lan:8080'), /token would travel to argocd\.lan:8080 unencrypted/);
    assert.equal(hostOf('not a url'), 'not a url');
    // Loopback never leaves the machine (kubectl port-forward): nothing to ask.
    for (const local of ['http://localhost:8080', 'http://127.0.0.1:8080', 'http://[::1]:8080', 'http://argocd.localhost']) assert.equal(cleartextDecision(local, {}), 'send', local);
    assert.equal(cleartextDecision('http://localhost.attacker.example', {}), 'ask');
  });
});
