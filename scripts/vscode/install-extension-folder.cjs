#!/usr/bin/env node
// Installs the project's built extension, unpacked, into a VS Code extensions dir the way VS Code
// itself lays out an installed extension, so that code-server loads it at the next start:
//
//   node scripts/vscode/install-extension-folder.cjs <projectRoot> <extensionsDir> [userDataDir]
//
// - copies package.json, dist/, media/, schemas/, syntaxes/ (and README/CHANGELOG/LICENSE, and
//   any language-configuration*.json, when present) to <extensionsDir>/<publisher>.<name>-<version>;
// - removes other versions of the same extension from that dir;
// - keeps VS Code's extension list (<extensionsDir>/extensions.json) in step: VS Code builds that
//   list by scanning the folder only when the file does not exist yet; once it exists, a folder
//   it does not list is ignored. So the entry is replaced or added here;
// - drops the extension from <extensionsDir>/.obsolete (VS Code deletes what is listed there);
// - deletes VS Code's cache of scanned user extensions in <userDataDir>, so a rebuilt extension
//   with the same version is read anew.
const fs = require('node:fs');
const path = require('node:path');

const [root, extensionsDir, userDataDir] = process.argv.slice(2);
if (!root || !extensionsDir) {
  console.error('usage: install-extension-folder.cjs <projectRoot> <extensionsDir> [userDataDir]');
  process.exit(2);
}

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const id = `${manifest.publisher}.${manifest.name}`.toLowerCase();
const folderName = `${id}-${manifest.version}`;
const target = path.join(extensionsDir, folderName);

const main = manifest.main ? path.join(root, manifest.main) : undefined;
if (main && !fs.existsSync(main) && !fs.existsSync(`${main}.js`)) {
  console.error(`the extension is not built: ${path.relative(root, main)} is missing (run: npm run build)`);
  process.exit(1);
}

fs.mkdirSync(extensionsDir, { recursive: true });
for (const entry of fs.readdirSync(extensionsDir)) {
  if (entry.toLowerCase().startsWith(`${id}-`)) fs.rmSync(path.join(extensionsDir, entry), { recursive: true, force: true });
}
fs.mkdirSync(target);
const wanted = ['package.json', 'package.nls.json', 'dist', 'media', 'schemas', 'syntaxes', 'README.md', 'CHANGELOG.md', 'LICENSE', 'LICENSE.md', 'LICENSE.txt'];
for (const name of fs.readdirSync(root)) {
  if (wanted.includes(name) || /^language-configuration.*\.json$/.test(name)) {
    fs.cpSync(path.join(root, name), path.join(target, name), { recursive: true, dereference: true });
  }
}

const listFile = path.join(extensionsDir, 'extensions.json');
if (fs.existsSync(listFile)) {
  let list = [];
  try {
    list = JSON.parse(fs.readFileSync(listFile, 'utf8'));
  } catch {
    list = [];
  }
  list = list.filter((e) => String(e?.identifier?.id ?? '').toLowerCase() !== id);
  list.push({
    identifier: { id },
    version: manifest.version,
    location: { $mid: 1, path: target, scheme: 'file' },
    relativeLocation: folderName,
    metadata: { installedTimestamp: Date.now(), pinned: true, source: 'vsix' },
  });
  fs.writeFileSync(listFile, JSON.stringify(list));
}

const obsoleteFile = path.join(extensionsDir, '.obsolete');
if (fs.existsSync(obsoleteFile)) {
  try {
    const obsolete = JSON.parse(fs.readFileSync(obsoleteFile, 'utf8'));
    for (const key of Object.keys(obsolete)) if (key.toLowerCase().startsWith(`${id}-`)) delete obsolete[key];
    fs.writeFileSync(obsoleteFile, JSON.stringify(obsolete));
  } catch {
    fs.rmSync(obsoleteFile, { force: true });
  }
}

if (userDataDir) {
  const cached = path.join(userDataDir, 'CachedProfilesData');
  if (fs.existsSync(cached)) {
    for (const profile of fs.readdirSync(cached)) {
      const dir = path.join(cached, profile);
      if (!fs.statSync(dir).isDirectory()) continue;
      for (const f of fs.readdirSync(dir)) if (f.startsWith('extensions.user')) fs.rmSync(path.join(dir, f), { force: true });
    }
  }
}

console.log(`${id}@${manifest.version} -> ${target}`);
