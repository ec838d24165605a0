import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS, SETTINGS, VIEWS } from '../../../src/extension/constants';
import { RULES } from '../../../src/core/rules';

interface Manifest {
  main: string;
  bin: Record<string, string>;
  contributes: {
    commands: Array<{ command: string; title: string; category?: string; icon?: string }>;
    configuration: Array<{ properties: Record<string, { markdownDescription?: string; description?: string }> }>;
    views: Record<string, Array<{ id: string }>>;
    viewsContainers: { activitybar: Array<{ id: string; icon: string }> };
    menus: Record<string, Array<{ command: string; when?: string }>>;
  };
}

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;

describe('package.json contributions', () => {
  it('contributes exactly the commands the extension registers, each with a title and category', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(contributed, Object.values(COMMANDS).sort());
    for (const c of manifest.contributes.commands) {
      assert.ok(c.title.length > 0, c.command);
      assert.equal(c.category, 'Home-Ops', c.command);
    }
  });

  it('contributes exactly the settings the code reads, each with a description', () => {
    const contributed = manifest.contributes.configuration.flatMap((s) => Object.keys(s.properties)).sort();
    const known = Object.entries(SETTINGS).filter(([k]) => k !== 'section').map(([, v]) => v).sort();
    assert.deepEqual(contributed, known);
    for (const s of manifest.contributes.configuration) for (const [k, v] of Object.entries(s.properties)) assert.ok(v.markdownDescription ?? v.description, k);
  });

  it('declares the view in its own activity-bar container with an existing icon', () => {
    const container = manifest.contributes.viewsContainers.activitybar.find((c) => c.id === VIEWS.container);
    assert.ok(container);
    assert.ok(fs.existsSync(path.join(root, container.icon)), container.icon);
    assert.deepEqual(manifest.contributes.views[VIEWS.container]?.map((v) => v.id), [VIEWS.apps]);
  });

  it('menus only name contributed commands, and item menus are gated by `when`', () => {
    const ids = new Set<string>(Object.values(COMMANDS));
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) {
        assert.ok(ids.has(item.command), `${menu}: ${item.command}`);
        assert.ok(item.when, `${menu}: ${item.command} has a when clause`);
      }
    }
  });

  it('points main and bin at the bundles esbuild writes', () => {
    assert.equal(manifest.main, './dist/extension.js');
    assert.equal(manifest.bin['home-ops'], 'dist/cli.js');
    const esbuild = fs.readFileSync(path.join(root, 'esbuild.js'), 'utf8');
    for (const out of ['dist/extension.js', 'dist/server.js', 'dist/cli.js']) assert.ok(esbuild.includes(`'${out}'`), out);
  });
});

describe('README', () => {
  it('documents every rule id and every setting', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const missing = RULES.map((r) => r.id).filter((id) => !readme.includes(`| \`${id}\` |`));
    assert.deepEqual(missing, [], 'rules missing from the README rules table');
    const settings = manifest.contributes.configuration.flatMap((s) => Object.keys(s.properties));
    assert.deepEqual(settings.filter((k) => !readme.includes(`| \`${k}\` |`)), [], 'settings missing from the README settings table');
  });

  it('starts with exactly the two set-up commands', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    assert.deepEqual(block.trim().split('\n').map((l) => l.split('#')[0]!.trim()), ['npm ci && npm start', 'npm ci && npm test']);
  });
});
