'use strict';
// The action's render step (action.yml, input render-changed): `home-ops render --changed REV`,
// posted as the job summary with one collapsed section per app (its header line, then its
// per-resource diff), and printed to the log as it is.
//
//   HOME_OPS_REV          the revision to compare with (e.g. origin/main)
//   HOME_OPS_PATH         the repository folder (default: .)
//   HOME_OPS_RENDER_ARGS  more `home-ops render` arguments, separated by spaces or new lines (a value cannot hold a space)
//   HOME_OPS_BIN          the CLI (default: home-ops on PATH)
//   GITHUB_STEP_SUMMARY   set by the runner
//
// The exit code is render's: 0 when every changed app rendered (or none changed), 1 when one
// failed (the others are still in the summary), 2 on a usage error.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

/** GitHub refuses a step summary over 1 MiB: stay under it, keeping every app's header. */
const MAX_BYTES = 1000 * 1024;
const MAX_APP_BYTES = 64 * 1024;

/**
 * Splits `render --changed` output into apps: a header line `# NAME (PATH): SUMMARY` starts each;
 * the diff lines that follow never start with `#` (they start with `---`, `+++`, `@@`, ` `, `+`, `-`).
 */
function parseChanged(stdout) {
  const apps = [];
  for (const line of stdout.split('\n')) {
    const header = /^# (.*)$/.exec(line);
    if (header) apps.push({ header: header[1], lines: [] });
    else if (apps.length > 0 && line !== '') apps[apps.length - 1].lines.push(line);
  }
  return apps;
}

function escapeHtml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A fence longer than any run of backticks inside, so a diff line cannot close it. */
function fence(text) {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** The first lines of `lines` that fit in `bytes`, and how many were left out. */
function truncate(lines, bytes) {
  const kept = [];
  let size = 0;
  for (const line of lines) {
    size += Buffer.byteLength(line) + 1;
    if (size > bytes) break;
    kept.push(line);
  }
  return { kept, omitted: lines.length - kept.length };
}

/**
 * The Markdown of the job summary: a title, then per app a <details> block whose summary is the
 * app's header line and whose body is its diff; render errors (from stderr) in a last block.
 */
function summaryMarkdown(stdout, stderr, options) {
  const { revision, code } = options;
  const maxBytes = options.maxBytes ?? MAX_BYTES;
  const maxAppBytes = options.maxAppBytes ?? MAX_APP_BYTES;
  const apps = parseChanged(stdout);
  const out = [`### Rendered changes since \`${revision.replace(/`/g, "'")}\``, ''];
  if (apps.length === 0) out.push(code === 0 ? `No app's inputs differ from \`${revision.replace(/`/g, "'")}\`.` : 'home-ops render failed before rendering any app (see the log below).', '');
  else {
    const failed = apps.filter((a) => / render failed$/.test(a.header)).length;
    out.push(`${apps.length} app${apps.length === 1 ? '' : 's'} changed${failed ? `, ${failed} failed to render` : ''}.`, '');
  }
  // Every header is kept: reserve room for them, and share the rest among the diffs.
  let budget = maxBytes - Buffer.byteLength(out.join('\n')) - apps.reduce((n, a) => n + Buffer.byteLength(a.header) + 200, 0) - 4096;
  for (const app of apps) {
    const failed = / render failed$/.test(app.header);
    out.push(`<details><summary>${failed ? '❌ ' : ''}${escapeHtml(app.header)}</summary>`, '');
    if (app.lines.length > 0) {
      const { kept, omitted } = truncate(app.lines, Math.max(0, Math.min(maxAppBytes, budget)));
      budget -= kept.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
      if (kept.length > 0) {
        const f = fence(kept.join('\n'));
        out.push(`${f}diff`, ...kept, f, '');
      }
      if (omitted > 0) out.push(`*${omitted} more line${omitted === 1 ? '' : 's'} not shown: the summary is limited in size; \`home-ops render --changed\` prints them all.*`, '');
    }
    out.push('</details>', '');
  }
  // Progress lines (`# [1/3] rendering …`) and the closing count are noise here; errors are not.
  const log = stderr.split('\n').filter((l) => l !== '' && !/^# /.test(l));
  if (log.length > 0) {
    const { kept, omitted } = truncate(log, Math.max(4096, Math.min(maxAppBytes, budget)));
    const f = fence(kept.join('\n'));
    out.push('<details><summary>home-ops log</summary>', '', `${f}text`, ...kept, ...(omitted ? [`… ${omitted} more lines`] : []), f, '', '</details>', '');
  }
  return out.join('\n');
}

function main(env) {
  const revision = env.HOME_OPS_REV;
  if (!revision) throw new Error('HOME_OPS_REV (the render-changed input) is empty');
  const args = (env.HOME_OPS_RENDER_ARGS || '').split(/\s+/).filter(Boolean);
  const r = spawnSync(env.HOME_OPS_BIN || 'home-ops', ['render', '--changed', revision, env.HOME_OPS_PATH || '.', ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw new Error(`home-ops render could not run: ${r.error.message}`);
  process.stderr.write(r.stderr);
  process.stdout.write(r.stdout);
  const code = r.status ?? 1;
  if (env.GITHUB_STEP_SUMMARY) fs.appendFileSync(env.GITHUB_STEP_SUMMARY, summaryMarkdown(r.stdout, r.stderr, { revision, code }));
  return code;
}

module.exports = { parseChanged, summaryMarkdown, main };

if (require.main === module) {
  try {
    process.exitCode = main(process.env);
  } catch (e) {
    console.error(`::error title=home-ops::${String(e instanceof Error ? e.message : e).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}`);
    process.exitCode = 2;
  }
}
