/**
 * A values.yaml skeleton shaped like the neighbours' values for the same chart: the keys most
 * of them set (at every depth), with a neighbour's own name generalised (a key such as
 * `controllers.<app>` or a host `<app>.example.org`), values most of them share kept, and
 * placeholders such as `<image repository>` for what differs from app to app. Nothing here
 * knows any chart: the shape comes from the files.
 */
import { dumpYaml, loadYaml } from '../yaml/load';
import type { YamlReader } from '../yaml/readers';
import { asRecord } from '../generators/spec';

/** Stands for the app's name inside the skeleton until it is rendered for a new name. */
const APP = '\u0000app\u0000';

export interface ValuesSample {
  /** The app's directory name and release name: occurrences of these become the new name. */
  names: string[];
  text: string;
}

type Kind = 'map' | 'seq' | 'scalar';

interface Shape {
  count: number;
  /** Sum of the key's relative position in its parent map (0 first … 1 last), for ordering. */
  position: number;
  kinds: Map<Kind, number>;
  children: Map<string, Shape>;
  item?: Shape;
  values: Map<string, { value: unknown; count: number }>;
}

export interface ValuesSkeleton {
  /** The skeleton with the name token, or undefined when no sample could be read. */
  tree: unknown;
  samples: number;
}

const newShape = (): Shape => ({ count: 0, position: 0, kinds: new Map(), children: new Map(), values: new Map() });

/** `reader`: how the samples' consumer reads them (helm for values; kustomize for a manifest it lists). */
export function valuesSkeleton(samples: readonly ValuesSample[], reader: YamlReader = 'helm-values'): ValuesSkeleton {
  const root = newShape();
  let read = 0;
  for (const s of samples) {
    let data: unknown;
    try {
      data = loadYaml(s.text, reader);
    } catch {
      continue;
    }
    if (!asRecord(data)) continue;
    read++;
    add(root, data, s.names.filter((n) => n.length >= 2));
  }
  return { tree: read > 0 ? emit(root, [], read) : undefined, samples: read };
}

function kindOf(v: unknown): Kind {
  return Array.isArray(v) ? 'seq' : asRecord(v) ? 'map' : 'scalar';
}

function add(shape: Shape, v: unknown, names: readonly string[]): void {
  const kind = kindOf(v);
  shape.count++;
  shape.kinds.set(kind, (shape.kinds.get(kind) ?? 0) + 1);
  if (kind === 'map') {
    const entries = Object.entries(v as Record<string, unknown>);
    entries.forEach(([k, x], i) => {
      const key = names.includes(k) ? APP : k;
      let child = shape.children.get(key);
      if (!child) shape.children.set(key, (child = newShape()));
      child.position += entries.length <= 1 ? 0 : i / (entries.length - 1);
      add(child, x, names);
    });
  } else if (kind === 'seq') {
    const first = (v as unknown[])[0];
    if (first !== undefined) add((shape.item ??= newShape()), first, names);
  } else {
    const value = typeof v === 'string' ? generalise(v, names) : v;
    const k = JSON.stringify(value) ?? 'null';
    const entry = shape.values.get(k);
    if (entry) entry.count++;
    else shape.values.set(k, { value, count: 1 });
  }
}

function generalise(s: string, names: readonly string[]): string {
  let out = s;
  for (const n of [...names].sort((a, b) => b.length - a.length)) {
    out = out.replace(new RegExp(`(?<![A-Za-z0-9])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`, 'g'), APP);
  }
  return out;
}

function majorityKind(shape: Shape): { kind: Kind; count: number } {
  let best: { kind: Kind; count: number } = { kind: 'scalar', count: 0 };
  for (const [kind, count] of shape.kinds) if (count > best.count) best = { kind, count };
  return best;
}

/** A key is kept when most samples (all of them, not only those with its parent) have it. */
function emit(shape: Shape, path: readonly string[], total: number): unknown {
  const { kind, count } = majorityKind(shape);
  if (kind === 'map') {
    const out: Record<string, unknown> = {};
    const children = [...shape.children].sort(([, a], [, b]) => a.position / a.count - b.position / b.count);
    for (const [k, child] of children) {
      if (child.count * 2 <= total) continue;
      const v = emit(child, [...path, k], total);
      if (v !== undefined) out[k] = v;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  if (kind === 'seq') {
    if (!shape.item || shape.item.count * 2 <= count) return undefined;
    const v = emit(shape.item, [...path, '[]'], total);
    return v === undefined ? undefined : [v];
  }
  let best: { value: unknown; count: number } | undefined;
  for (const e of shape.values.values()) if (!best || e.count > best.count) best = e;
  if (!best) return undefined;
  const shared = best.count * 2 > count && (best.count >= 2 || typeof best.value === 'boolean' || (typeof best.value === 'string' && best.value.includes(APP)));
  // `ghcr.io/home-operations/<app>` is every neighbour's pattern, but no such image need exist
  // for the new app: an image reference is a placeholder, never a guess that looks like a fact.
  if (shared && typeof best.value === 'string' && best.value.includes(APP) && isImageReference(path)) return placeholder(path);
  return shared ? best.value : placeholder(path);
}

/** A value naming a container image: `image: …`, or `repository`/`tag` under an `image` key. */
function isImageReference(path: readonly string[]): boolean {
  const key = path[path.length - 1];
  return key === 'image' || (path[path.length - 2] === 'image' && (key === 'repository' || key === 'tag' || key === 'digest'));
}

function placeholder(path: readonly string[]): string {
  const keys = path.filter((k) => k !== APP);
  if (keys[keys.length - 1] === '[]') return `<${keys.filter((k) => k !== '[]').pop() ?? 'item'} entry>`;
  // Named by the two nearest keys; a list level between them says nothing (`<data secretKey>`).
  return `<${keys.filter((k) => k !== '[]').slice(-2).join(' ')}>`;
}

/** The skeleton as YAML for an app called `name`. */
export function renderValues(skeleton: ValuesSkeleton, name: string, options: { docStart?: boolean; indentSeq?: boolean } = {}): string {
  if (skeleton.tree === undefined) return `${options.docStart ? '---\n' : ''}{}\n`;
  const text = dumpYaml(substitute(skeleton.tree, name), { indentSeq: options.indentSeq ?? true });
  return `${options.docStart ? '---\n' : ''}${text}`;
}

function substitute(v: unknown, name: string): unknown {
  if (typeof v === 'string') return v.split(APP).join(name);
  if (Array.isArray(v)) return v.map((x) => substitute(x, name));
  const rec = asRecord(v);
  if (!rec) return v;
  return Object.fromEntries(Object.entries(rec).map(([k, x]) => [k.split(APP).join(name), substitute(x, name)]));
}

/** The first placeholder (`<...>`) in a text, 0-based. */
export function firstPlaceholder(text: string): { line: number; character: number } | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /<[^<>\n]+>/.exec(lines[i] as string);
    if (m) return { line: i, character: m.index };
  }
  return undefined;
}
