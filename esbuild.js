// Bundles the four entry points. `--watch` rebuilds on change, `--production` minifies.
// `--cli-only` builds dist/cli.js alone: the npm package (`npm pack`, and a Git install such as
// pre-commit's, both through the `prepare` script) holds the CLI and nothing else.
// Required as a module (scripts/bench), it only exports its options.
// The problem-matcher lines let VS Code's watch task show build errors in the Problems panel.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const cliOnly = process.argv.includes('--cli-only');

/** @type {import('esbuild').Plugin} */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: watch ? 'silent' : 'warning',
  plugins: watch ? [problemMatcher] : [],
  // Where scripts/package/prepare.cjs put the libraries when npm did not install them.
  nodePaths: (process.env.NODE_PATH || '').split(require('node:path').delimiter).filter(Boolean),
};

const entries = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // Loaded after activation (src/extension/lazy): the language client and the CLI config reader.
  { entryPoints: ['src/extension/lazy/index.ts'], outfile: 'dist/lazy.js', external: ['vscode'] },
  { entryPoints: ['src/server/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

async function main() {
  const selected = cliOnly ? entries.filter((e) => e.outfile === 'dist/cli.js') : entries;
  // Without source maps, a map left by an earlier development build would describe other code.
  if (!common.sourcemap) for (const e of selected) require('node:fs').rmSync(`${e.outfile}.map`, { force: true });
  const contexts = await Promise.all(selected.map((e) => esbuild.context({ ...common, ...e })));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

module.exports = { common };
