/**
 * What `helm template` checks of the values it is given (helm.sh/helm/v3 v3.22): the user's
 * values files merged in order (pkg/cli/values mergeMaps: maps merge, anything else replaces),
 * coalesced with the chart's defaults and its dependencies' (pkg/chartutil/coalesce.go: the
 * user's value wins, a user `null` removes a default, `global` is copied down into every
 * dependency), dependencies switched off by `condition`/`tags` dropped (dependencies.go), then
 * each chart's `values.schema.json` applied to its part: the top chart's to everything, each
 * enabled dependency's to the values under its alias or name (jsonschema.go
 * ValidateAgainstSchema).
 *
 * Each problem is given back with the values source that wrote the offending node last, so it is
 * reported where the user can fix it; a problem in what only a chart's own defaults say is not
 * the user's and is left out.
 */
import type { SchemaIssue } from '../schema';
import type { ChartDependency, LoadedChart } from './chart';
import { compileValuesSchema } from './valuesSchema';

export type ValuesPath = Array<string | number>;

/** One source of values, lowest precedence first, with whatever the caller needs to place problems. */
export interface ValuesSource<T> {
  value: unknown;
  /** Where `value` sits in the chart's values (`[]`, or a dependency's alias for its defaults). */
  prefix: ValuesPath;
  /** Undefined for a source the user cannot edit (a chart's defaults from the cache). */
  origin?: T;
}

export interface PlacedIssue<T> extends SchemaIssue {
  origin: T;
  /** The issue's path inside the origin's value. */
  originPath: ValuesPath;
}

/** A chart (the top one or a dependency) whose values are not checked, and why. */
export interface Unchecked {
  /** Where its values sit: [] for the top chart, [alias] for a dependency. */
  path: ValuesPath;
  chart: string;
  reason: string;
  /** Set when the chart is one the cache could hold (`home-ops charts pull` fetches it). */
  missingRef?: { repo: string; name: string; version: string };
}

export interface ValuesCheck<T> {
  issues: Array<PlacedIssue<T>>;
  unchecked: Unchecked[];
  /** The values helm renders with (for hover). */
  values: Record<string, unknown>;
}

/**
 * Checks `user` (the user's values sources, in helm's order) against `chart`. The chart's own
 * defaults are a source too when the caller gives them an origin (a chart of the repository:
 * its values.yaml is the file people edit).
 */
export function checkValues<T>(chart: LoadedChart, user: ReadonlyArray<ValuesSource<T>>, defaultsOrigin?: (chartPath: ValuesPath, chart: LoadedChart) => T | undefined): ValuesCheck<T> {
  let merged: Record<string, unknown> = {};
  for (const s of user) {
    const v = at(s.value, []);
    if (isMap(v)) merged = mergeMaps(merged, wrap(s.prefix, v));
  }
  // Dependencies helm drops: decided on the values coalesced with every dependency (helm does so).
  const enabled = enabledDependencies(chart, coalesceChart(chart, clone(merged), () => true), []);
  const values = coalesceChart(chart, clone(merged), (path, dep) => enabled.has(depKey(path, dep)));

  // Every source, highest precedence first: the user's, then the charts' defaults (a parent's over its dependencies').
  const sources: Array<ValuesSource<T>> = [...user].reverse();
  const defaults = (c: LoadedChart, path: ValuesPath): void => {
    sources.push({ value: c.values, prefix: path, ...(defaultsOrigin?.(path, c) !== undefined ? { origin: defaultsOrigin(path, c) as T } : {}) });
    for (const d of c.dependencies) if (d.chart && enabled.has(depKey(path, d))) defaults(d.chart, [...path, d.key]);
  };
  defaults(chart, []);

  const issues: Array<PlacedIssue<T>> = [];
  const unchecked: Unchecked[] = [];
  const visit = (c: LoadedChart, v: Record<string, unknown>, path: ValuesPath): void => {
    if (c.schemaError) unchecked.push({ path, chart: c.name, reason: c.schemaError });
    else if (c.schema && c.schemaText !== undefined) {
      const compiled = compileValuesSchema(c.schemaText, c.schema);
      if (!compiled.ok) unchecked.push({ path, chart: c.name, reason: compiled.reason });
      else for (const issue of compiled.schema.validate(v)) place({ ...issue, path: [...path, ...issue.path] });
    }
    for (const d of c.dependencies) {
      const key = depKey(path, d);
      if (!enabled.has(key)) continue;
      if (!d.chart) {
        unchecked.push({ path: [...path, d.key], chart: d.name, reason: d.missing?.reason ?? 'it was not found', ...(d.missing?.ref ? { missingRef: d.missing.ref } : {}) });
        continue;
      }
      const raw = v[d.key];
      if (raw === undefined || raw === null) continue;
      if (!isMap(raw)) {
        place({ path: [...path, d.key], target: 'value', severity: 'error', check: 'type', message: `\`${d.key}\` holds the values of the dependency ${d.name}: it must be a mapping` });
        continue;
      }
      visit(d.chart, raw, [...path, d.key]);
    }
  };
  const place = (issue: SchemaIssue): void => {
    for (const s of sources) {
      const rel = relativeTo(issue.path, s.prefix);
      if (rel === undefined || at(s.value, rel) === undefined) continue;
      // The source that wrote the node last; a chart default is nobody's to fix.
      if (s.origin !== undefined) issues.push({ ...issue, origin: s.origin, originPath: rel });
      return;
    }
  };
  visit(chart, values, []);
  return { issues, unchecked, values };
}

function depKey(path: ValuesPath, dep: ChartDependency): string {
  return JSON.stringify([...path, dep.key]);
}

/** helm's CoalesceValues for one chart and its dependencies (those `keep` says are enabled). */
function coalesceChart(chart: LoadedChart, v: Record<string, unknown>, keep: (path: ValuesPath, dep: ChartDependency) => boolean, path: ValuesPath = []): Record<string, unknown> {
  const deps = chart.dependencies.filter((d) => d.chart && keep(path, d));
  const depKeys = new Set(deps.map((d) => d.key));
  for (const [key, def] of Object.entries(chart.values)) {
    if (!(key in v)) {
      v[key] = clone(def);
      continue;
    }
    const mine = v[key];
    if (mine === null) delete v[key];
    else if (isMap(mine) && isMap(def)) coalesceTables(mine, clone(def), depKeys.has(key));
  }
  for (const d of deps) {
    if (!(d.key in v)) v[d.key] = {};
    const sub = v[d.key];
    if (!isMap(sub)) continue; // helm: "type mismatch"; the check reports the value
    coalesceGlobals(sub, v);
    v[d.key] = coalesceChart(d.chart as LoadedChart, sub, keep, [...path, d.key]);
  }
  return v;
}

/** coalesceTablesFullKey: `dst` (the user's) wins; a user null removes a default unless merging. */
function coalesceTables(dst: Record<string, unknown>, src: Record<string, unknown>, merge: boolean): void {
  for (const [key, val] of Object.entries(dst)) if (val === null && !(key in src)) src[key] = null;
  for (const [key, val] of Object.entries(src)) {
    if (!(key in dst)) {
      dst[key] = val;
      continue;
    }
    const dv = dst[key];
    if (dv === null && !merge && val !== null) delete dst[key];
    else if (isMap(val) && isMap(dv)) coalesceTables(dv, val, merge);
  }
}

/** The parent's `global` merged into the dependency's (the parent's wins). */
function coalesceGlobals(dest: Record<string, unknown>, src: Record<string, unknown>): void {
  const dg = dest['global'] === undefined ? {} : dest['global'];
  const sg = src['global'] === undefined ? {} : src['global'];
  if (!isMap(dg) || !isMap(sg)) return;
  for (const [key, val] of Object.entries(sg)) {
    if (isMap(val)) {
      const vv = clone(val);
      const destv = dg[key];
      if (isMap(destv)) coalesceTables(vv, clone(destv), true);
      else if (destv !== undefined) continue;
      dg[key] = vv;
    } else if (!isMap(dg[key])) dg[key] = val;
  }
  dest['global'] = dg;
}

/**
 * The dependencies helm keeps (dependencies.go processDependencyEnabled): tags first (any tag
 * true enables, else any false disables), then the first condition path that holds a boolean.
 */
function enabledDependencies(chart: LoadedChart, values: Record<string, unknown>, path: ValuesPath, out = new Set<string>()): Set<string> {
  const tags = isMap(values['tags']) ? values['tags'] : {};
  for (const d of chart.dependencies) {
    let enabled = true;
    const tagValues = d.tags.map((t) => tags[t]).filter((x): x is boolean => typeof x === 'boolean');
    if (tagValues.includes(true)) enabled = true;
    else if (tagValues.includes(false)) enabled = false;
    for (const cond of (d.condition ?? '').split(',').map((c) => c.trim()).filter(Boolean)) {
      const v = at(values, cond.split('.'));
      if (typeof v === 'boolean') {
        enabled = v;
        break;
      }
    }
    if (!enabled) continue;
    out.add(depKey(path, d));
    const sub = values[d.key];
    if (d.chart && isMap(sub)) enabledDependencies(d.chart, sub, [...path, d.key], out);
  }
  return out;
}

/** helm's mergeMaps: `b` over `a`, maps merged key by key. */
export function mergeMaps(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const bv = out[k];
    out[k] = isMap(v) && isMap(bv) ? mergeMaps(bv, v) : v;
  }
  return out;
}

function wrap(prefix: ValuesPath, v: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> = v;
  for (let i = prefix.length - 1; i >= 0; i--) out = { [String(prefix[i])]: out };
  return out;
}

function relativeTo(path: ValuesPath, prefix: ValuesPath): ValuesPath | undefined {
  if (prefix.length > path.length) return undefined;
  for (let i = 0; i < prefix.length; i++) if (String(prefix[i]) !== String(path[i])) return undefined;
  return path.slice(prefix.length);
}

/** The node at `path` (undefined when absent; a YAML null is null). */
export function at(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let node = value;
  for (const k of path) {
    if (Array.isArray(node) && typeof k === 'number') node = node[k];
    else if (isMap(node) && Object.prototype.hasOwnProperty.call(node, String(k))) node = node[String(k)];
    else return undefined;
  }
  return node;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clone<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(clone) as T;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = clone((v as Record<string, unknown>)[k]);
  return out as T;
}
