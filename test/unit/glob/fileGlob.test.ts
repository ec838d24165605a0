import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverAnswer, type DiscoverAnswer } from '../../../src/core/argocd/pluginDiscovery';
import type { PluginDefinition } from '../../../src/core/argocd/plugins';
import { goFilepathGlob, GlobError, zglobFirstMatch } from '../../../src/core/glob/fileGlob';
import { treeGlobFs } from '../../../src/core/glob/treeGlobFs';
import { repoGlobFs } from '../../../src/core/render/repoGlobFs';
import { buildGoProgram } from '../../support/go';
import { requireTools } from '../../support/shared';

/**
 * The discover globs of a Config Management Plugin (`discover.fileName` through Go's
 * filepath.Glob, `discover.find.glob` through mattn/go-zglob v0.0.6) against Go itself, on a
 * tree with hidden files, nested folders, links and names holding glob characters.
 */
describe("discover globs (filepath.Glob, zglob) against Go's", () => {
  let root: string;
  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-cmpglob-')));
    const files = [
      'apps/a/kustomization.yaml',
      'apps/a/subdir/s1.yaml',
      'apps/a/subdir/t.yaml',
      'apps/a/.hidden.yaml',
      'apps/a/deep/x/y/Chart.yaml',
      'apps/a/deep/x/values.yaml',
      'apps/b/env.yaml',
      'apps/b/weird[1].yaml',
      'apps/b/q?.yaml',
      'apps/b/a,b.txt',
      'apps/b/Chart.yaml',
      'base/common.yaml',
      // Against a pattern of many stars: Go's matchers are linear, a backtracking one would not end.
      `apps/a/${'a'.repeat(60)}.txt`,
    ];
    for (const f of files) {
      fs.mkdirSync(path.join(root, path.dirname(f)), { recursive: true });
      fs.writeFileSync(path.join(root, f), 'x: 1\n');
    }
    fs.mkdirSync(path.join(root, 'apps/c/empty'), { recursive: true });
    fs.symlinkSync('subdir', path.join(root, 'apps/a/link-to-sub'));
    fs.symlinkSync('nowhere', path.join(root, 'apps/a/dangling'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const FILE_NAMES = ['kustomization.yaml', './subdir/s*.yaml', '*.yaml', 'subdir/*', '*/s1.yaml', '[', 'sub\\dir/*', '../b/env.yaml', '.hidden.yaml', '*', 'link-to-sub/*.yaml', 'dangling', '**/Chart.yaml', 'deep/*/values.yaml', 'deep/*/*/Chart.yaml', '/kustomization.yaml', 'nothing*', 'weird[1].yaml', 'weird\\[1\\].yaml', 'q?.yaml', '[a-c]*', 'empty', '*/empty', 'Chart.yaml', '../../base/*.yaml', `${'*a'.repeat(14)}*b`];
  const GLOBS = ['**/Chart.yaml', '**/*.yaml', '*.yaml', 'deep/**/values.yaml', '{subdir,deep}/*.yaml', '**/{s1,t}.yaml', 'q?.yaml', 'missing/**/x', 'kustomization.yaml', 'nothing.yaml', 'weird[1].yaml', '**/weird\\[1\\].yaml', 'link-to-sub/*.yaml', '**/s1.yaml', '*', '**', 'sub*', '../b/*.yaml', '!(x)*', 'deep/**', '**/*.txt', '*,b.txt', 'link-*', '**/empty', '{a,b}', 'Chart.yaml', '../../base/**/*.yaml', `${'*a'.repeat(14)}*b`, `**/${'*a'.repeat(14)}*t`];
  const APPS = ['apps/a', 'apps/b', 'apps/c', ''];

  interface Query {
    root: string;
    app: string;
    fileName?: string;
    glob?: string;
  }
  /** Every pattern in every app folder. */
  const queries = (): Query[] => APPS.flatMap((app) => [...FILE_NAMES.map((fileName) => ({ root, app, fileName })), ...GLOBS.map((glob) => ({ root, app, glob }))]);

  interface GoAnswer {
    supported: boolean;
    error: boolean;
    matches: string[];
  }

  function askGo(queries: Query[]): GoAnswer[] {
    const bin = buildGoProgram(path.resolve(__dirname, '../../oracle/cmpglob'), 'cmpglob');
    const r = spawnSync(bin, [], { input: queries.map((q) => JSON.stringify(q)).join('\n') + '\n', encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as GoAnswer);
  }

  /** The disk at its absolute paths, for the globs themselves. */
  const disk = () => {
    const inner = repoGlobFs('/');
    const rel = (p: string) => p.replace(/^\//, '');
    return { lstat: (p: string) => inner.lstat(rel(p)), stat: (p: string) => inner.stat(rel(p)), readDir: (p: string) => inner.readDir(rel(p)) };
  };

  it('filepath.Glob and zglob find what Go finds, path for path (zglob: one of them)', function () {
    requireTools(this, "the discover globs against Go's own", 'go');
    const all = queries();
    const go = askGo(all);
    const mismatches: string[] = [];
    all.forEach((q, i) => {
      const want = go[i] as GoAnswer;
      const pattern = path.posix.join(root, q.app, q.fileName ?? q.glob ?? '');
      const toRel = (p: string) => path.posix.relative(root, p);
      let got: GoAnswer;
      try {
        if (q.fileName !== undefined) {
          const m = goFilepathGlob(pattern, disk()).map(toRel).sort();
          got = { supported: m.length > 0, error: false, matches: m };
        } else {
          const m = zglobFirstMatch(pattern, disk());
          got = { supported: m !== undefined, error: false, matches: m === undefined ? [] : [toRel(m)] };
        }
      } catch (e) {
        if (!(e instanceof GlobError)) throw e;
        got = { supported: false, error: true, matches: [] };
      }
      const same = q.fileName !== undefined ? JSON.stringify(got) === JSON.stringify(want) : got.supported === want.supported && got.error === want.error && got.matches.every((m) => want.matches.includes(m));
      if (!same) mismatches.push(`${q.app || '.'} ${q.fileName !== undefined ? 'fileName' : 'glob'} ${JSON.stringify(q.fileName ?? q.glob)}: Go ${JSON.stringify(want)}, ours ${JSON.stringify(got)}`);
    });
    assert.deepEqual(mismatches, []);
  });

  it("discoverAnswer says what the sidecar answers, on its own copy of the repository", function () {
    requireTools(this, "the discover globs against Go's own", 'go');
    const plugin = (discover: PluginDefinition['discover']): PluginDefinition => ({ name: 'p', generate: { command: ['true'], args: [] }, ...(discover ? { discover } : {}), origin: 'x:1' });
    const all = queries();
    const go = askGo(all);
    const mismatches: string[] = [];
    all.forEach((q, i) => {
      const a: DiscoverAnswer = discoverAnswer(plugin(q.fileName !== undefined ? { fileName: q.fileName } : { glob: q.glob as string }), q.app, repoGlobFs(root));
      // Only patterns that climb out of the repository (read the sidecar's own folders) are not evaluated.
      const climbsOut = q.app === '' && (q.fileName ?? q.glob ?? '').startsWith('../');
      if ((a.kind === 'unknown') !== climbsOut) mismatches.push(`${q.app || '.'} ${JSON.stringify(q.fileName ?? q.glob)}: ${a.kind}`);
      if (a.kind === 'unknown') return;
      const supported = a.kind === 'match';
      if (supported !== (go[i] as GoAnswer).supported) mismatches.push(`${q.app || '.'} ${JSON.stringify(q.fileName ?? q.glob)}: Go ${JSON.stringify(go[i])}, ours ${JSON.stringify(a)}`);
    });
    assert.deepEqual(mismatches, []);
  });

  it("the engine's view of the repository (its file list, no disk) answers as the disk does", () => {
    const listed: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
        const rel = dir ? `${dir}/${e.name}` : e.name;
        if (e.isDirectory()) walk(rel);
        else if (e.isFile()) listed.push(rel);
      }
    };
    walk('');
    const tree = treeGlobFs(listed);
    const plugin = (discover: PluginDefinition['discover']): PluginDefinition => ({ name: 'p', generate: { command: ['true'], args: [] }, ...(discover ? { discover } : {}), origin: 'x:1' });
    // Links and empty folders are what a file list cannot show (Git tracks neither as such).
    const comparable = queries().filter((q) => !/link|dangling|empty|\*\*$|^\*$|^\[a-c\]\*$/.test(q.fileName ?? q.glob ?? '') && q.app !== 'apps/c');
    const differ = comparable.flatMap((q) => {
      const d = q.fileName !== undefined ? { fileName: q.fileName } : { glob: q.glob as string };
      const onDisk = discoverAnswer(plugin(d), q.app, repoGlobFs(root));
      const inTree = discoverAnswer(plugin(d), q.app, tree);
      // The verdict must agree; the path named may differ where the disk reaches the same file through a link too.
      return onDisk.kind === inTree.kind ? [] : [`${q.app || '.'} ${JSON.stringify(q.fileName ?? q.glob)}: disk ${JSON.stringify(onDisk)}, tree ${JSON.stringify(inTree)}`];
    });
    assert.ok(comparable.length >= 120, `${comparable.length} queries compared`);
    assert.deepEqual(differ, []);
  });

  it('says which rule decided, and what it matched', () => {
    const fsView = repoGlobFs(root);
    const p = (discover: PluginDefinition['discover']): PluginDefinition => ({ name: 'p', generate: { command: ['true'], args: [] }, ...(discover ? { discover } : {}), origin: 'x:1' });
    assert.deepEqual(discoverAnswer(p({ fileName: './subdir/s*.yaml', glob: 'nothing' }), 'apps/a', fsView), { kind: 'match', rule: 'discover.fileName "./subdir/s*.yaml" matches apps/a/subdir/s1.yaml' });
    assert.deepEqual(discoverAnswer(p({ fileName: 'nothing*', glob: '**/*.yaml' }), 'apps/a', fsView), { kind: 'no-match', rule: 'discover.fileName "nothing*" matches nothing in apps/a' }, 'the first rule set decides alone');
    assert.deepEqual(discoverAnswer(p({ glob: '**/Chart.yaml' }), 'apps/a', fsView), { kind: 'match', rule: 'discover.find.glob "**/Chart.yaml" matches apps/a/deep/x/y/Chart.yaml' });
    assert.equal(discoverAnswer(p({ fileName: '[' }), 'apps/a', fsView).kind, 'error');
    assert.deepEqual(discoverAnswer(p({ glob: '$HOME/**/x' }), 'apps/a', fsView), { kind: 'unknown', rule: 'discover.find.glob "$HOME/**/x"', reason: "it reads $HOME from the sidecar's environment" });
    assert.deepEqual(discoverAnswer(p({ fileName: '../../../etc/passwd' }), 'apps/a', fsView), { kind: 'unknown', rule: 'discover.fileName "../../../etc/passwd"', reason: 'it looks outside the repository' });
    assert.deepEqual(discoverAnswer(p({ command: { command: ['sh', '-c'], args: ['ls'] } }), 'apps/a', fsView), { kind: 'command', command: { command: ['sh', '-c'], args: ['ls'] }, rule: 'discover.find.command (sh -c ls)' });
    assert.deepEqual(discoverAnswer(p(undefined), 'apps/a', fsView), { kind: 'no-rules' });
  });
});
