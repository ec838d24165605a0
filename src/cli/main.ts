/**
 * `home-ops`: the engine on the command line, for CI and pre-commit hooks.
 * Exit codes: 0 fine, 1 the repository has a problem the command is about, 2 usage error.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import { RepositoryModel } from '../core/model/repositoryModel';
import { formatLocation, type Problem } from '../core/problems';
import { appsToJson, formatAppsTable } from './appsOutput';
import { isRuleId, Linter, RULES, type RuleId, type SeveritySetting } from '../core/rules';
import { formatLint } from './lintOutput';
import { lastOption, parseArgs, resolveDir } from './args';
import { ADD_USAGE, addAppCommand, addCategoryCommand } from './addApp';
import { buildOptionPolicyOf, RENDER_USAGE, renderCommand } from './renderCommand';
import { CHARTS_USAGE, chartsCommand, chartStore, pullMissingCharts, unavailableSummary } from './charts';
import { TOOLS_USAGE, toolsCommand } from './toolsCommand';
import { renderProblems } from './lintRender';

const USAGE = `Usage: home-ops <command> [options]

Commands:
  apps [DIR] [--json] [--exclude PATTERN]...
      List the Applications that the ApplicationSets in DIR (default: .) generate from the
      working tree, plus the Applications written directly in the repository.
  lint [DIR] [--format text|json|sarif|github] [--rule RULE=SEVERITY]... [--exclude PATTERN]...
       [--schema auto|always|never] [--trust-repo-config | --allow-build-option FLAG...]
       [--fetch-charts] [--render]
      Check the Argo CD and kustomize files in DIR. SEVERITY is error, warning, info or off.
      Helm values files are checked against their chart when it is in the repository or in
      the chart cache; --fetch-charts pulls the missing ones first (see charts pull).
      --schema: 'auto' (default) and 'always' check every Argo CD and kustomization file
      against Home-Ops' schemas, those with a Red Hat YAML $schema modeline too (no Red Hat
      YAML runs here); 'never' skips schema checks. --trust-repo-config and
      --allow-build-option: as for render (build-option-refused says what render leaves out).
      --render also renders every app (as render does; cached, several at a time) for what
      only the manifests show (helm-chart-namespace, rendered-object-invalid,
      rendered-object-unknown-api, rendered-object-schema); a render that fails
      is said on stderr.
      Exit code 1 on any error.
  rules
      List the rules with their default severity.
${CHARTS_USAGE}${ADD_USAGE}${RENDER_USAGE}${TOOLS_USAGE}
Options:
  -h, --help     Show this help.
  -v, --version  Show the version.
`;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

/**
 * Runs one command and resolves to its exit code (the header's meaning): `render` waits for
 * kustomize/helm, so every command is awaited the same way and none sets process.exitCode itself.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    io.out(`${version()}\n`);
    return 0;
  }
  if (command === 'apps') return apps(rest, io);
  if (command === 'lint') return lint(rest, io);
  if (command === 'charts') return chartsCommand(rest, io, (m) => usageError(io, m));
  if (command === 'add-app') return addAppCommand(rest, io, (m) => usageError(io, m));
  if (command === 'add-category') return addCategoryCommand(rest, io, (m) => usageError(io, m));
  if (command === 'render') return renderCommand(rest, io);
  if (command === 'tools') return toolsCommand(rest, io, (m) => usageError(io, m));
  if (command === 'rules') {
    for (const r of RULES) io.out(`${r.id.padEnd(28)} ${(r.offByDefault ? 'off' : r.defaultSeverity).padEnd(8)} ${r.description}\n`);
    return 0;
  }
  io.err(`home-ops: unknown command "${command}"\n\n${USAGE}`);
  return 2;
}

async function lint(args: readonly string[], io: Io): Promise<number> {
  const p = parseArgs(args, { flags: ['--trust-repo-config', '--fetch-charts', '--render'], options: ['--format', '--rule', '--exclude', '--schema', '--allow-build-option'], maxPositional: 1 });
  if ('error' in p) return usageError(io, p.error);
  const format = lastOption(p, '--format') ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif' && format !== 'github') return usageError(io, '--format takes text, json, sarif or github');
  const schemaValidation = lastOption(p, '--schema') ?? 'auto';
  if (schemaValidation !== 'auto' && schemaValidation !== 'always' && schemaValidation !== 'never') return usageError(io, '--schema takes auto, always or never');
  const severities: Partial<Record<RuleId, SeveritySetting>> = {};
  for (const r of p.options.get('--rule') ?? []) {
    const m = /^([a-z0-9-]+)=(error|warning|info|off)$/.exec(r);
    if (!m) return usageError(io, '--rule takes RULE=error|warning|info|off');
    const id = m[1] as string;
    if (!isRuleId(id)) return usageError(io, `unknown rule ${id} (see \`home-ops rules\`)`);
    severities[id] = m[2] as SeveritySetting;
  }
  const exclude = p.options.get('--exclude') ?? [];
  const dir = p.positional[0];
  const root = resolveDir(dir, io.err);
  if (root === undefined) return 2;
  const charts = chartStore();
  const model = new RepositoryModel(root, { exclude, charts });
  notePresence(model, io);
  if (p.flags.has('--fetch-charts')) await pullMissingCharts(model, charts, io);
  else {
    const note = unavailableSummary(model);
    if (note) io.err(note);
  }
  let extra: Problem[] = [];
  if (p.flags.has('--render')) {
    const r = await renderProblems(model, root, buildOptionPolicyOf(p));
    for (const f of r.failed) io.err(`home-ops: render failed: ${f}\n`);
    for (const u of r.unplaced) io.err(`home-ops: rendered object: ${u}\n`);
    io.err(`home-ops: rendered ${r.rendered} apps (${r.cached} cached)${r.failed.length ? `, ${r.failed.length} failed` : ''}\n`);
    extra = r.problems;
  }
  const problems = new Linter(model).run({ severities, schemaValidation, buildOptionPolicy: buildOptionPolicyOf(p), extra });
  io.out(formatLint(problems, format, RULES, version()));
  if (format === 'text') {
    const count = (s: string) => problems.filter((p) => p.severity === s).length;
    io.err(`${count('error')} errors, ${count('warning')} warnings, ${count('info')} infos\n`);
  }
  return problems.some((p) => p.severity === 'error') ? 1 : 0;
}

function apps(args: readonly string[], io: Io): number {
  const p = parseArgs(args, { flags: ['--json'], options: ['--exclude'], maxPositional: 1 });
  if ('error' in p) return usageError(io, p.error);
  const json = p.flags.has('--json');
  const exclude = p.options.get('--exclude') ?? [];
  const dir = p.positional[0];
  const root = resolveDir(dir, io.err);
  if (root === undefined) return 2;
  const model = new RepositoryModel(root, { exclude });
  notePresence(model, io);
  const generated = model.apps();
  const standalone = model.standaloneApps();
  if (json) io.out(`${JSON.stringify(appsToJson(generated, standalone), null, 2)}\n`);
  else io.out(formatAppsTable(generated, standalone));
  const problems = model.problems();
  for (const p of problems) io.err(`${formatProblem(p)}\n`);
  const incomplete = model.appsets().filter((e) => !e.complete);
  if (incomplete.length > 0) {
    io.err(`home-ops: ${incomplete.length} ApplicationSet${incomplete.length > 1 ? 's' : ''} could not be fully evaluated: ${incomplete.map((e) => `${e.appset.name || '(unnamed)'} (${e.appset.file}:${e.appset.line})`).join(', ')}\n`);
    return 1;
  }
  return 0;
}

/**
 * Argo CD clones what is committed: without a Git index to read, which files it has is a guess
 * from .gitignore, and the user should know once.
 */
function notePresence(model: RepositoryModel, io: Io): void {
  if (model.tree.presenceFromGitIndex()) return;
  io.err(`home-ops: ${model.tree.presence.reason ?? 'no Git index'}: which files Argo CD's clone has is approximated from .gitignore (a force-added file may be reported with a warning).\n`);
}

export function formatProblem(p: Problem): string {
  return `${formatLocation(p)} ${p.severity} ${p.rule} ${p.message}`;
}

function usageError(io: Io, message: string): number {
  io.err(`home-ops: ${message}\n\n${USAGE}`);
  return 2;
}

/** The package's version: package.json is one folder up from the bundle (dist/), two from src/cli. */
function version(): string {
  for (const file of [path.join(__dirname, '..', 'package.json'), path.join(__dirname, '..', '..', 'package.json')]) {
    try {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'home-ops' && pkg.version) return pkg.version;
    } catch {
      // not this one
    }
  }
  return 'unknown';
}

if (require.main === module) {
  run(process.argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }).then(
    (code) => void (process.exitCode = code),
    (e: unknown) => {
      // A defect, not a finding: say what failed rather than print a stack trace as a result.
      process.stderr.write(`home-ops: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
