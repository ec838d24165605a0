'use strict';
// The action's lint step (action.yml): `home-ops lint --format github` prints the annotations,
// and with HOME_OPS_SARIF a second run writes the SARIF log code scanning reads. The CLI names
// files relative to the folder it checks, GitHub relative to the workspace: for a folder below
// the workspace its path is put in front of every file.
//
//   HOME_OPS_PATH   the folder to check (default: .)
//   HOME_OPS_ARGS   more `home-ops lint` arguments, separated by spaces or new lines (a value cannot hold a space)
//   HOME_OPS_SARIF  the file to write the SARIF log to (empty: none)
//   HOME_OPS_BIN    the CLI (default: home-ops on PATH)
//   GITHUB_WORKSPACE, GITHUB_OUTPUT  set by the runner
//
// Exit code 0 with `exit-code=N` in GITHUB_OUTPUT when lint ran (0 clean, 1 errors), so the
// SARIF upload and the summary still run; the action's last step fails the job. A usage error
// (2) or a CLI that cannot run fails this step at once.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** The folder checked, relative to the workspace, as a prefix ('' for the workspace itself or a folder outside it). */
function workspacePrefix(workspace, root) {
  const rel = path.relative(path.resolve(workspace), path.resolve(root)).split(path.sep).join('/');
  return rel === '' || rel.startsWith('../') || rel === '..' || path.isAbsolute(rel) ? '' : `${rel}/`;
}

/** `::error file=F,…` lines with the prefix in front of F (escaped as the CLI escapes F). */
function relocateAnnotations(text, prefix) {
  if (!prefix) return text;
  const escaped = prefix.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C');
  return text.replace(/^(::[a-z]+ file=)/gm, (m) => `${m}${escaped}`);
}

/** The SARIF log with the prefix (percent-encoded like the CLI's URIs) in front of every location's URI. */
function relocateSarif(log, prefix) {
  if (!prefix) return log;
  const encoded = prefix.split('/').map(encodeURIComponent).join('/');
  for (const run of log.runs ?? []) {
    for (const result of run.results ?? []) {
      for (const loc of result.locations ?? []) {
        const artifact = loc.physicalLocation?.artifactLocation;
        if (artifact && typeof artifact.uri === 'string') artifact.uri = `${encoded}${artifact.uri}`;
      }
    }
  }
  return log;
}

function lint(bin, root, args, format) {
  const r = spawnSync(bin, ['lint', root, '--format', format, ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.error) throw new Error(`home-ops lint could not run (${bin}): ${r.error.message}`);
  if (r.status !== 0 && r.status !== 1) {
    process.stdout.write(r.stdout);
    throw new Error(`home-ops lint exited with ${r.status ?? r.signal}`);
  }
  return { code: r.status, out: r.stdout };
}

function main(env) {
  const root = env.HOME_OPS_PATH || '.';
  const args = (env.HOME_OPS_ARGS || '').split(/\s+/).filter(Boolean);
  const bin = env.HOME_OPS_BIN || 'home-ops';
  const prefix = workspacePrefix(env.GITHUB_WORKSPACE || process.cwd(), root);
  const annotations = lint(bin, root, args, 'github');
  process.stdout.write(relocateAnnotations(annotations.out, prefix));
  const count = (level) => (annotations.out.match(new RegExp(`^::${level} `, 'gm')) ?? []).length;
  console.log(`home-ops lint: ${count('error')} errors, ${count('warning')} warnings, ${count('notice')} notices`);
  if (env.HOME_OPS_SARIF) {
    const sarif = lint(bin, root, args, 'sarif');
    fs.mkdirSync(path.dirname(path.resolve(env.HOME_OPS_SARIF)), { recursive: true });
    fs.writeFileSync(env.HOME_OPS_SARIF, `${JSON.stringify(relocateSarif(JSON.parse(sarif.out), prefix), null, 2)}\n`);
    console.log(`home-ops lint: SARIF written to ${env.HOME_OPS_SARIF}`);
  }
  if (env.GITHUB_OUTPUT) fs.appendFileSync(env.GITHUB_OUTPUT, `exit-code=${annotations.code}\n`);
  return annotations.code;
}

module.exports = { workspacePrefix, relocateAnnotations, relocateSarif, main };

if (require.main === module) {
  try {
    main(process.env);
  } catch (e) {
    console.error(`::error title=home-ops::${String(e instanceof Error ? e.message : e).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}`);
    process.exitCode = 2;
  }
}
