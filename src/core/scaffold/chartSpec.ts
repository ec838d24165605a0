/**
 * `REPO/NAME@VERSION` (e.g. `oci://ghcr.io/bjw-s-labs/helm/app-template@4.6.2`), as the CLI's
 * `--chart` and the Add App input take it. Its own module: the extension validates input with it
 * and must not load the engine to do so.
 */
import type { ChartRef } from './types';

export function parseChartSpec(spec: string): ChartRef | undefined {
  const at = spec.lastIndexOf('@');
  if (at <= 0) return undefined;
  const version = spec.slice(at + 1);
  const ref = spec.slice(0, at).replace(/\/+$/, '');
  const slash = ref.lastIndexOf('/');
  if (slash <= 0 || version === '') return undefined;
  const repo = ref.slice(0, slash);
  const name = ref.slice(slash + 1);
  if (!/^(oci|https?):\/\/./.test(repo) || name === '') return undefined;
  return { repo, name, version };
}
