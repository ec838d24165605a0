/**
 * Deterministic mutations of YAML text for the robustness fuzz tests: a seeded PRNG and
 * mutation operators at three levels (bytes, lines and indentation, YAML structure and Go
 * templates). Case `i` of seed `s` always produces the same text, so a failure is reproduced from
 * the two numbers the test prints.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

/** sfc32 seeded through splitmix32: fast, good enough, and identical on every platform. */
export function makeRng(seed: number): Rng {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const rng: Rng = {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (xs) => xs[Math.floor(next() * xs.length)] as never,
    chance: (p) => next() < p,
  };
  return rng;
}

/** The seed of case `index` of a run seeded `seed`. */
export function caseSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x01000193) + Math.imul(index + 1, 0x9e3779b1)) >>> 0;
}

export interface Mutation {
  text: string;
  /** Names of the operators applied, in order (for the failure report). */
  ops: string[];
}

type Op = (text: string, rng: Rng) => string;

const lineStarts = (text: string): number[] => {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
};

/** Applies `f` to one random line (without its newline). */
function onLine(text: string, rng: Rng, f: (line: string, lines: string[], index: number) => string | string[]): string {
  const lines = text.split('\n');
  const i = rng.int(lines.length);
  const r = f(lines[i] as string, lines, i);
  lines.splice(i, 1, ...(Array.isArray(r) ? r : [r]));
  return lines.join('\n');
}

/** A random line that looks like `key: ...`, or undefined. */
function keyLineIndex(lines: readonly string[], rng: Rng): number | undefined {
  const candidates: number[] = [];
  for (let i = 0; i < lines.length; i++) if (/^\s*(- )?[\w.$/-]+:( |$)/.test(lines[i] as string)) candidates.push(i);
  return candidates.length ? rng.pick(candidates) : undefined;
}

function onKeyLine(text: string, rng: Rng, f: (line: string, lines: string[], index: number) => string | string[]): string {
  const lines = text.split('\n');
  const i = keyLineIndex(lines, rng);
  if (i === undefined) return text;
  const r = f(lines[i] as string, lines, i);
  lines.splice(i, 1, ...(Array.isArray(r) ? r : [r]));
  return lines.join('\n');
}

const indentOf = (line: string): number => /^ */.exec(line)![0].length;

/** Index after the block that starts at line `i` (lines indented deeper, or blank). */
function blockEnd(lines: readonly string[], i: number): number {
  const ind = indentOf(lines[i] as string) + ((lines[i] as string).trimStart().startsWith('- ') ? 2 : 0);
  let j = i + 1;
  while (j < lines.length && ((lines[j] as string).trim() === '' || indentOf(lines[j] as string) > ind - (ind > 0 && (lines[i] as string).trimStart().startsWith('- ') ? 1 : 0))) j++;
  return j;
}

const WEIRD_BYTES = [0x00, 0xff, 0xfe, 0xc0, 0xc3, 0xe2, 0xed, 0xf0, 0xf4, 0x80, 0xbf, 0x1b, 0x7f, 0x0d, 0x09, 0x0b, 0x0c, 0x85];

const byteLevel: Record<string, Op> = {
  flipBits(text, rng) {
    const b = Buffer.from(text, 'utf8');
    if (b.length === 0) return text;
    for (let n = 1 + rng.int(8); n > 0; n--) {
      const i = rng.int(b.length);
      b[i] = (b[i] as number) ^ (1 << rng.int(8));
    }
    return b.toString('utf8');
  },
  insertBytes(text, rng) {
    const b = Buffer.from(text, 'utf8');
    const at = rng.int(b.length + 1);
    const ins = Buffer.from(Array.from({ length: 1 + rng.int(6) }, () => (rng.chance(0.6) ? rng.pick(WEIRD_BYTES) : rng.int(256))));
    return Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]).toString('utf8');
  },
  deleteBytes(text, rng) {
    const b = Buffer.from(text, 'utf8');
    const at = rng.int(b.length + 1);
    return Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + rng.int(rng.chance(0.2) ? 200 : 8))]).toString('utf8');
  },
  insertNul(text, rng) {
    const at = rng.int(text.length + 1);
    return `${text.slice(0, at)}\0${text.slice(at)}`;
  },
  /** Strings that no UTF-8 decoding produces: lone surrogates (the editor can still send them). */
  loneSurrogate(text, rng) {
    const at = rng.int(text.length + 1);
    return text.slice(0, at) + rng.pick(['\uD800', '\uDFFF', '\uDBFF\uDBFF', '\uFFFE', '\uFEFF', '\u2028', '\u0085']) + text.slice(at);
  },
  truncate(text, rng) {
    return text.slice(0, rng.int(text.length + 1));
  },
};

const lineLevel: Record<string, Op> = {
  shiftLine: (text, rng) => onLine(text, rng, (l) => (rng.chance(0.5) ? ' '.repeat(1 + rng.int(4)) + l : l.replace(/^ {1,4}/, ''))),
  shiftBlock(text, rng) {
    const lines = text.split('\n');
    const i = keyLineIndex(lines, rng);
    if (i === undefined) return text;
    const end = blockEnd(lines, i);
    const delta = rng.pick([-4, -2, -1, 1, 2, 4]);
    for (let j = i; j < end; j++) lines[j] = delta > 0 ? ' '.repeat(delta) + (lines[j] as string) : (lines[j] as string).replace(new RegExp(`^ {0,${-delta}}`), '');
    return lines.join('\n');
  },
  tabIndent: (text, rng) => onLine(text, rng, (l) => l.replace(/^( {2})+/, (m) => (rng.chance(0.5) ? '\t'.repeat(m.length / 2) : `\t${m}`))),
  deleteLine: (text, rng) => onLine(text, rng, () => []),
  duplicateLine: (text, rng) => onLine(text, rng, (l) => [l, l]),
  swapLines(text, rng) {
    const lines = text.split('\n');
    const i = rng.int(lines.length);
    const j = rng.int(lines.length);
    [lines[i], lines[j]] = [lines[j] as string, lines[i] as string];
    return lines.join('\n');
  },
  crlf: (text) => text.replace(/\n/g, '\r\n'),
  cr: (text, rng) => onLine(text, rng, (l) => `${l}\r`),
  docSeparator: (text, rng) => onLine(text, rng, (l) => [rng.pick(['---', '...', '--- |', '--- !!map', '%YAML 1.2\n---', '%TAG ! tag:x,2000:', '--- # c', '---\n---', '...\n---']), l]),
  trailingJunk: (text, rng) => onLine(text, rng, (l) => `${l}${rng.pick([' #', ' # home-ops-disable-next-line', ' :', ': :', ' ]', ' }', ' "', " '", ' &', ' *', ' !', ' |', ' >-', ' ? x', ' @', ' `'])}`),
};

const SCALARS = ['{a: 1}', '[1, 2]', '[]', '{}', '123', '-1', '0', '1.5', 'true', 'false', 'yes', 'no', 'on', 'null', '~', '1e400', '-1e400', '.inf', '.nan', '0x7fffffffffffffff', '99999999999999999999999999999', '-9223372036854775809', '0o777', '2001-12-14t21:59:43.10-05:00', '"\\u0000"', '"\\x"', "''", '""', '!!binary aGVsbG8=', '!!int "x"', '!!str 1', '!!map []', '!custom x', '<<', '=', '|', '>-', '|+2', '? a', '- x', 'a: b: c', '"unterminated', "'unterminated", '`x', '@x', '%x', '&anchor', '*nowhere', '!!set {a, b}', '!!omap [a: 1]', '"' + 'x'.repeat(300) + '"'];

const KEY_NAMES = ['', 'x', 'Spec', 'spec', 'metadata', 'kind', 'apiVersion', 'generators', 'template', 'templatePatch', 'goTemplate', 'goTemplateOptions', 'git', 'list', 'matrix', 'merge', 'clusters', 'directories', 'files', 'path', 'exclude', 'elements', 'elementsYaml', 'values', 'selector', 'matchLabels', 'matchExpressions', 'resources', 'components', 'patches', 'helmCharts', 'valuesFile', 'namespace', 'name', 'project', 'source', 'sources', 'destination', 'syncPolicy', 'preserveResourcesOnDeletion', 'strategy', 'requeueAfterSeconds', '<<', '"quoted key"', '? complex', '0', 'true', 'null', '{{.path.basename}}', 'ключ', '🔑'];

const structural: Record<string, Op> = {
  renameKey: (text, rng) =>
    onKeyLine(text, rng, (l) =>
      l.replace(/^(\s*(?:- )?)([\w.$/-]+)(:)/, (_m, pre: string, key: string, colon: string) => {
        const choice = rng.int(4);
        const name = choice === 0 ? rng.pick(KEY_NAMES) : choice === 1 ? key.toUpperCase() : choice === 2 ? key.slice(0, -1) : key + rng.pick(['s', '_', 'X', '-']);
        return pre + name + colon;
      }),
    ),
  deleteKey(text, rng) {
    const lines = text.split('\n');
    const i = keyLineIndex(lines, rng);
    if (i === undefined) return text;
    lines.splice(i, rng.chance(0.5) ? blockEnd(lines, i) - i : 1);
    return lines.join('\n');
  },
  changeScalar: (text, rng) => onKeyLine(text, rng, (l) => l.replace(/^(\s*(?:- )?[\w.$/-]+:)( .*)?$/, (_m, k: string) => `${k} ${rng.pick(SCALARS)}`)),
  /** A map where a list was and the other way around. */
  listMapSwap(text, rng) {
    const lines = text.split('\n');
    const items: number[] = [];
    for (let i = 0; i < lines.length; i++) if (/^\s*- /.test(lines[i] as string)) items.push(i);
    if (items.length && rng.chance(0.5)) {
      const i = rng.pick(items);
      lines[i] = (lines[i] as string).replace(/^(\s*)- /, (_m, s: string) => `${s}${rng.pick(['k', 'path', 'name'])}: `);
    } else {
      const i = keyLineIndex(lines, rng);
      if (i === undefined) return text;
      lines[i] = (lines[i] as string).replace(/^(\s*)(?:- )?([\w.$/-]+:)/, '$1- $2');
    }
    return lines.join('\n');
  },
  /** The block under a key replaced by a scalar, or a scalar by a block. */
  blockToScalar(text, rng) {
    const lines = text.split('\n');
    const i = keyLineIndex(lines, rng);
    if (i === undefined) return text;
    const end = blockEnd(lines, i);
    const line = lines[i] as string;
    const key = /^(\s*(?:- )?[\w.$/-]+:)/.exec(line)![1] as string;
    if (end > i + 1) lines.splice(i, end - i, `${key} ${rng.pick(SCALARS)}`);
    else lines.splice(i, 1, key, `${' '.repeat(indentOf(line) + 2)}${rng.pick(['- a', 'a: 1', '- {b: 2}', '- - x', '? k'])}`);
    return lines.join('\n');
  },
  duplicateKey(text, rng) {
    const lines = text.split('\n');
    const i = keyLineIndex(lines, rng);
    if (i === undefined) return text;
    const end = blockEnd(lines, i);
    const block = lines.slice(i, end).map((l, j) => (j === 0 ? l.replace(/^(\s*)- /, '$1  ') : l));
    lines.splice(end, 0, ...block);
    return lines.join('\n');
  },
  anchorAlias(text, rng) {
    const lines = text.split('\n');
    const i = keyLineIndex(lines, rng);
    const j = keyLineIndex(lines, rng);
    if (i === undefined || j === undefined) return text;
    const name = rng.pick(['a', 'b', 'x', 'a']);
    lines[i] = (lines[i] as string).replace(/:( |$)/, `: &${name} `);
    const kind = rng.int(4);
    if (kind === 0) lines[j] = (lines[j] as string).replace(/:( .*)?$/, `: *${name}`);
    else if (kind === 1) lines.splice(j + 1, 0, `${' '.repeat(indentOf(lines[j] as string) + 2)}<<: *${name}`);
    else if (kind === 2) lines[j] = (lines[j] as string).replace(/:( .*)?$/, `: [*${name}, *${name}, *${name}]`);
    else lines[j] = (lines[j] as string).replace(/:( .*)?$/, ': *undefined-anchor');
    return lines.join('\n');
  },
};

const TEMPLATE_FRAGMENTS = [
  '{{',
  '}}',
  '{{ .path.basename',
  '{{.path.basename}}',
  '{{ .path.segments }}',
  '{{ index .path.segments 99 }}',
  '{{ index .path.segments -1 }}',
  '{{ index .path.segments "x" }}',
  '{{ .nope.deeper.still }}',
  '{{ nosuchfunc .x }}',
  '{{ printf "%!d %v %[9]s" 1 }}',
  '{{ printf "%*d" 100000000 1 }}',
  '{{ div 1 0 }}',
  '{{ mod 1 0 }}',
  '{{ 1/0 }}',
  '{{ ((((.path.basename }}',
  '{{ (.path.basename)) }}',
  '{{ range . }}',
  '{{ range .path.segments }}{{ . }}{{ end }}',
  '{{ end }}',
  '{{ else }}',
  '{{ if }}',
  '{{ if .path }}x{{ else if }}{{ end }}',
  '{{ with $x := 1 }}{{ $x }}{{ end }}',
  '{{ $x }}',
  '{{ $x := }}',
  '{{ break }}',
  '{{ continue }}',
  '{{ define "a" }}x{{ end }}{{ template "a" . }}',
  '{{ template "missing" }}',
  '{{ block "b" . }}{{ end }}',
  '{{ fail "boom" }}',
  '{{ required "need it" .nope }}',
  '{{ regexMatch "(" "a" }}',
  '{{ regexReplaceAll "(a*)*b" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac" "x" }}',
  '{{ toYaml . }}',
  '{{ toJson . | fromJson | toYaml }}',
  '{{ fromYaml "a: [" }}',
  '{{ fromJson "{" }}',
  '{{ sha256sum (toJson .) }}',
  '{{ b64dec "!!!" }}',
  '{{ b64dec "/w==" }}',
  '{{ until 1000 | len }}',
  '{{ untilStep 0 1000 -1 }}',
  '{{ repeat 1000 "ab" }}',
  '{{ seq 1 1000 | len }}',
  '{{ default }}',
  '{{ default "a" }}',
  '{{ dict "a" }}',
  '{{ list 1 2 | first | last }}',
  '{{ trunc -5 "abc" }}',
  '{{ substr 5 1 "abc" }}',
  '{{ atoi "99999999999999999999" }}',
  '{{ int64 "9223372036854775808" }}',
  '{{ add 9223372036854775807 1 }}',
  '{{ 0x }}',
  '{{ 1e99999 }}',
  "{{ 'ab' }}",
  "{{ '\\x' }}",
  '{{ "\\" }}',
  '{{ `raw }}',
  '{{/* unclosed comment',
  '{{- /* c */ -}}',
  '{{-}}',
  '{{ . | . }}',
  '{{ .path.basename | lower | upper | title | trim | quote | squote | lower | upper | title | trim | quote | squote | lower | upper | title }}',
  '{{ call .path.basename }}',
  '{{ nil }}',
  '{{ and }}',
  '{{ or 1 }}',
  '{{ eq }}',
  '{{ lt 1 "a" }}',
  '{{ slice .path.segments 3 1 }}',
  '{{ len 3 }}',
  '{{ html . }}',
  '{{ js . }}',
  '{{ urlquery . }}',
  '{{ print }}',
  '{{ println . . . }}',
  '{{ normalize .path.basename }}',
  '{{ path.basename }}',
  '{{path.basename}}',
  '{{ values.x }}',
  '${{ x }}',
  '{{ "\u0000" }}',
  '{{ .path.basename }}'.repeat(50),
  `{{ ${'('.repeat(200)}1${')'.repeat(200)} }}`,
  `{{ 1${' | print'.repeat(200)} }}`,
];

const templateLevel: Record<string, Op> = {
  /** A template fragment spliced into a string: preferably into an existing template or a quoted value. */
  spliceTemplate(text, rng) {
    const frag = rng.pick(TEMPLATE_FRAGMENTS);
    const at: number[] = [];
    const re = /\{\{|'|"|: /g;
    for (let m = re.exec(text); m; m = re.exec(text)) at.push(m.index + m[0].length);
    const pos = at.length && rng.chance(0.8) ? rng.pick(at) : rng.int(text.length + 1);
    return text.slice(0, pos) + frag + text.slice(pos);
  },
  /** An existing `{{ ... }}` action replaced by a fragment, or cut open. */
  breakAction(text, rng) {
    const actions: Array<[number, number]> = [];
    const re = /\{\{.*?\}\}/g;
    for (let m = re.exec(text); m; m = re.exec(text)) actions.push([m.index, m.index + m[0].length]);
    if (!actions.length) return templateLevel.spliceTemplate!(text, rng);
    const [s, e] = rng.pick(actions);
    if (rng.chance(0.3)) return text.slice(0, e - 2) + text.slice(e);
    return text.slice(0, s) + rng.pick(TEMPLATE_FRAGMENTS) + text.slice(e);
  },
  /** `goTemplate` or `missingkey` options flipped, so the same text goes through the other renderer. */
  flipTemplateMode(text, rng) {
    if (/goTemplate: true/.test(text) && rng.chance(0.5)) return text.replace(/goTemplate: true/, 'goTemplate: false');
    if (/goTemplateOptions:.*/.test(text)) return text.replace(/goTemplateOptions:.*/, `goTemplateOptions: ${rng.pick(['["missingkey=zero"]', '["missingkey=bogus"]', '[""]', '[1]', 'missingkey=error', '[]'])}`);
    return text.replace(/^spec:\n/m, 'spec:\n  goTemplate: true\n');
  },
};

const GROUPS: Array<[number, Record<string, Op>]> = [
  [2, byteLevel],
  [2, lineLevel],
  [4, structural],
  [3, templateLevel],
];

const ALL = GROUPS.flatMap(([weight, ops]) => Object.entries(ops).flatMap(([name, op]) => Array.from({ length: weight }, () => [name, op] as const)));

/** One to four random mutations of `text`. */
export function mutate(text: string, rng: Rng): Mutation {
  const ops: string[] = [];
  let out = text;
  const n = 1 + (rng.chance(0.5) ? 0 : rng.int(4));
  for (let i = 0; i < n; i++) {
    const [name, op] = rng.pick(ALL);
    out = op(out, rng);
    ops.push(name);
  }
  return { text: out, ops };
}

/** Line and character bounds of a text as the engine counts them (lines end at `\n`). */
export function lineLengths(text: string): number[] {
  const starts = lineStarts(text);
  return starts.map((s, i) => (i + 1 < starts.length ? (starts[i + 1] as number) - 1 : text.length) - s);
}
