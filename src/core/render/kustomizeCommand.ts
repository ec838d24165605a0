/**
 * The command line of a kustomize build, for kustomize itself or for its fallback `kubectl
 * kustomize`. The two differ: kustomize takes `build DIR`, kubectl takes `kustomize DIR` (a
 * `kubectl kustomize build .` reads `build` as the folder and refuses the second argument), and
 * kubectl's embedded kustomize lists fewer flags (`--enable-exec`, `--stack-trace` are
 * missing in v1.32) and fails on one it lacks. So kubectl gets the flags it accepts, and the
 * preview says which it left out.
 */
import { flagName, groupFlags } from '../argocd/buildOptionPolicy';
import type { ResolvedBinary } from './binaries';

export interface KustomizeBuildCommand {
  /** Arguments after the binary (`kubectl` or `kustomize`), in the app folder: DIR is `.`. */
  args: string[];
  /** Build options the binary does not accept and that were left out (`--stack-trace`), as written. */
  dropped: string[];
}

/**
 * `kustomize build . OPTIONS [--helm-command HELM]`, or `kubectl kustomize . OPTIONS …` with the
 * options kubectl accepts. `helm` is the helm Home-Ops located: kustomize would run `helm` from
 * PATH otherwise (kept when the options name a `--helm-command` the user allowed).
 */
export function kustomizeBuildCommand(k: ResolvedBinary, buildArgs: readonly string[], helm?: ResolvedBinary): KustomizeBuildCommand {
  const accepted = k.flags ? new Set(k.flags) : undefined;
  const args = k.prefix.length ? [...k.prefix, '.'] : ['build', '.'];
  const dropped: string[] = [];
  for (const tokens of groupFlags(buildArgs)) {
    const first = tokens[0] as string;
    if (accepted && first.startsWith('-') && first !== '-' && first !== '--' && !accepted.has(flagName(first))) dropped.push(tokens.join(' '));
    else args.push(...tokens);
  }
  if (helm && !buildArgs.some((a) => flagName(a) === '--helm-command')) args.push('--helm-command', helm.file);
  return { args, dropped };
}
