'use strict';
// The `prepare` script: `npm pack` and every install from Git run it. It builds dist/cli.js (one
// minified bundle), the only built file the npm package holds (.npmignore lists the rest).
//
// An install from Git is packed from a fresh clone, so the bundle must be built there. npm is
// meant to install the dependencies first; in a global install it does not (npm/cli#8440), and
// pre-commit's `language: node` installs hooks exactly that way (`npm install -g
// git+file://CLONE`). Then the packages the bundle is built from (esbuild, and the libraries the
// CLI imports) are installed at the versions package-lock.json pins into a
// temporary folder that is removed afterwards, and the build finds them through NODE_PATH.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');

/**
 * The packages the CLI bundle is built from: esbuild, and every package src/cli and src/core
 * import (read from their import lines, so a new library cannot be forgotten here).
 */
function buildFrom() {
  const names = new Set(['esbuild']);
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/^(?:import|export)\b[^'\n]*from '([^'.][^']*)'/gm)) {
          const spec = m[1];
          if (spec.startsWith('node:') || spec === 'vscode') continue;
          names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
        }
      }
    }
  };
  for (const dir of ['src/cli', 'src/core']) walk(path.join(root, dir));
  return [...names].sort();
}
const BUILD_FROM = buildFrom();
// Settings of the install that is running this script, which must not leak into ours: a global
// install's prefix and location would make it install into the hook's environment.
const PARENT_ONLY = /^npm_config_(global|location|prefix|dry_run|package_lock_only|save.*|include|omit|production|only|also|ignore_scripts|install_links|workspaces?|include_workspace_root)$/i;

function resolvable(name) {
  try {
    require.resolve(name, { paths: [root] });
    return true;
  } catch {
    return false;
  }
}

function npm(args, options) {
  // npm_execpath is the npm that runs this script; `npm` on PATH otherwise.
  const cli = process.env['npm_execpath'];
  if (cli && /\.c?js$/.test(cli)) execFileSync(process.execPath, [cli, ...args], options);
  else execFileSync('npm', args, options);
}

function main() {
  let env = process.env;
  let deps;
  if (!BUILD_FROM.every(resolvable)) {
    const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
    const specs = BUILD_FROM.map((name) => `${name}@${lock.packages[`node_modules/${name}`].version}`);
    deps = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-prepare-'));
    fs.writeFileSync(path.join(deps, 'package.json'), '{ "private": true }\n');
    console.error(`home-ops prepare: dependencies not installed (an install from Git); fetching ${specs.join(' ')} to build dist/cli.js`);
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !PARENT_ONLY.test(k)));
    npm(['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', ...specs], { cwd: deps, env: clean, stdio: ['ignore', 'inherit', 'inherit'] });
    env = { ...process.env, NODE_PATH: path.join(deps, 'node_modules') };
  }
  try {
    execFileSync(process.execPath, [path.join(root, 'esbuild.js'), '--production', '--cli-only'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  } finally {
    if (deps) fs.rmSync(deps, { recursive: true, force: true });
  }
}

main();
