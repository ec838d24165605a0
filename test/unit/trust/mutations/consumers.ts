/**
 * Runs the program that reads an edited file — kustomize, helm, or Argo CD's own YAML reading
 * (test/oracle/argocdyaml) — on what Argo CD would check out once the edit is committed: the
 * copy's Git index after `git add -A`, exported to a folder. Untracked ignored files are left out,
 * as they are from the commit.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildGoProgram } from '../../../support/go';
import { TOOL_ENV, tool } from '../../render/support';
import type { Consumer, CorpusName, MutationCase } from './types';
import { stageAsCommitted, withEdits } from './workspace';
import { toolPath, type Tool } from '../../../support/shared';

export const HELM_STUB = path.resolve(__dirname, '../../../support/helm-stub/helm');
const ECHO_CHART = path.resolve(__dirname, '../../../support/helm-stub/chart-echo');
const ORACLE_DIR = path.resolve(__dirname, '../../../oracle/argocdyaml');

/**
 * `kustomize.buildOptions` as each repository's Argo CD configuration sets it; Argo CD's default
 * (none) elsewhere. `--enable-helm` is added for every repository so that offline builds reach
 * the values files: the stub helm never fetches a chart.
 */
export const BUILD_OPTIONS: Record<CorpusName, { options: string[]; source: string }> = {
  'seed-home-ops': { options: ['--enable-helm', '--load-restrictor', 'LoadRestrictionsNone'], source: 'pitower/kubernetes/bootstrap/argocd-values.yaml:11 (configs.cm)' },
  'devxp-tech__gitops': { options: ['--enable-alpha-plugins', '--enable-helm', '--load-restrictor', 'LoadRestrictionsNone'], source: 'bootstrap/argo-cd/kustomization.yaml:75 (argocd-cm literal)' },
  'kyleseneker__homelab': { options: [], source: 'Argo CD default' },
  'edgard__home-ops': { options: [], source: 'Argo CD default' },
  'mineblow__home-ops': { options: [], source: 'Argo CD default' },
  'cterence__homelab-gitops': { options: [], source: 'Argo CD default' },
  'acelinkio__argocd-homelab': { options: [], source: 'Argo CD default' },
};

export interface ConsumerResult {
  ok: boolean;
  /** stdout when it succeeded (manifests, values, decoded documents), else the error text. */
  output: string;
  command: string;
}

/** What the consumers need: kustomize, helm, Go (Argo CD's own YAML reading) and git. */
export const CONSUMER_TOOLS: readonly Tool[] = ['kustomize', 'helm', 'go', 'git'];

/** The consumers' tools that are missing here, by name. */
export function missingConsumers(): Tool[] {
  return CONSUMER_TOOLS.filter((t) => !toolPath(t));
}

function run(file: string, args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): ConsumerResult {
  const r = spawnSync(file, args, { cwd, env: { ...TOOL_ENV, ...extraEnv }, encoding: 'utf8', timeout: 60_000 });
  const command = [path.basename(file), ...args].join(' ');
  if (r.error) return { ok: false, output: String(r.error), command };
  return r.status === 0 ? { ok: true, output: r.stdout, command } : { ok: false, output: `${r.stderr}${r.stdout}`, command };
}

export function runKustomize(root: string, corpus: CorpusName, dir: string): ConsumerResult {
  const args = ['build', ...BUILD_OPTIONS[corpus].options, '--helm-command', HELM_STUB, dir];
  return run(tool('kustomize'), args, root, { HOME_OPS_REAL_HELM: tool('helm') });
}

export function runHelm(root: string, values: string): ConsumerResult {
  return run(tool('helm'), ['template', 'mutation', ECHO_CHART, '-f', values], root);
}

interface OracleLine {
  id: string;
  ok: boolean;
  error?: string;
  docs?: unknown[];
}

/** Reads files as Argo CD does, all in one process of the Go oracle. */
export async function runArgoYaml(requests: Array<{ id: string; mode: 'manifests' | 'generator-file'; file: string }>): Promise<Map<string, ConsumerResult>> {
  const bin = buildGoProgram(ORACLE_DIR, 'argocdyaml');
  const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  const done = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  child.stdin.end(requests.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const code = await done;
  if (code !== 0) throw new Error(`the Argo CD YAML oracle failed (${code}): ${Buffer.concat(err).toString()}`);
  const results = new Map<string, ConsumerResult>();
  for (const line of Buffer.concat(out).toString('utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line) as OracleLine;
    const req = requests.find((x) => x.id === r.id);
    results.set(r.id, { ok: r.ok, output: r.ok ? JSON.stringify(r.docs) : (r.error ?? ''), command: `argocd-yaml ${req?.mode} ${req?.file}` });
  }
  return results;
}

/** The path a consumer reads, relative to the repository, or undefined for `none`. */
export function consumerTarget(c: Consumer): string | undefined {
  switch (c.tool) {
    case 'kustomize':
      return c.dir;
    case 'helm':
      return c.values;
    case 'argocd-manifests':
    case 'argocd-generator-file':
      return c.file;
    case 'none':
      return undefined;
  }
}

export interface Verdict {
  /** Whether the consumer did what the case says (refused with the message, or accepted). */
  agrees: boolean;
  result: ConsumerResult;
  /** Why it does not agree, for the test output. */
  reason?: string;
}

function judge(consumer: Exclude<Consumer, { tool: 'none' }>, result: ConsumerResult): Verdict {
  if (consumer.verdict === 'refuses') {
    if (result.ok) return { agrees: false, result, reason: 'the consumer accepted the edit: this is no mistake (move it to the controls)' };
    if (!result.output.includes(consumer.message)) return { agrees: false, result, reason: `the consumer refused with another message; expected it to contain ${JSON.stringify(consumer.message)}` };
    return { agrees: true, result };
  }
  if (!result.ok) return { agrees: false, result, reason: 'the consumer refused the edit' };
  for (const has of consumer.output?.has ?? []) if (!result.output.includes(has)) return { agrees: false, result, reason: `its output lacks ${JSON.stringify(has)}` };
  for (const lacks of consumer.output?.lacks ?? []) if (result.output.includes(lacks)) return { agrees: false, result, reason: `its output contains ${JSON.stringify(lacks)}` };
  return { agrees: true, result };
}

/**
 * Applies each case to its corpus' working copy, stages it as it would be committed (see
 * stageAsCommitted), and runs its consumer there. Cases whose consumer is `none` are not in the
 * result. The Go oracle reads copies of its files, all in one process at the end.
 */
export async function verifyConsumers(cases: readonly MutationCase[]): Promise<Map<string, Verdict>> {
  const verdicts = new Map<string, Verdict>();
  const oracle: Array<{ id: string; mode: 'manifests' | 'generator-file'; file: string; consumer: Exclude<Consumer, { tool: 'none' }> }> = [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'home-ops-mut-oracle-'));
  try {
    for (const c of cases) {
      const consumer = c.consumer;
      if (consumer.tool === 'none') continue;
      withEdits(c.corpus, c.edits, (root) => {
        stageAsCommitted(root);
        if (consumer.tool === 'kustomize') verdicts.set(c.id, judge(consumer, runKustomize(root, c.corpus, consumer.dir)));
        else if (consumer.tool === 'helm') verdicts.set(c.id, judge(consumer, runHelm(root, consumer.values)));
        else {
          const copy = path.join(scratch, `${oracle.length}-${path.basename(consumer.file)}`);
          const source = path.join(root, consumer.file);
          if (fs.existsSync(source)) fs.copyFileSync(source, copy);
          oracle.push({ id: c.id, mode: consumer.tool === 'argocd-manifests' ? 'manifests' : 'generator-file', file: copy, consumer });
        }
      });
    }
    if (oracle.length) {
      const results = await runArgoYaml(oracle.map(({ id, mode, file }) => ({ id, mode, file })));
      for (const o of oracle) {
        const r = results.get(o.id);
        verdicts.set(o.id, r ? judge(o.consumer, r) : { agrees: false, result: { ok: false, output: 'no answer from the oracle', command: '' }, reason: 'no answer from the oracle' });
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return verdicts;
}
