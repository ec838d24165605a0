import type { DataType, Json, JsonObject, OracleCase } from './types';

/** Seed of the generated set; change it to explore, keep it fixed so runs are comparable. */
export const DEFAULT_SEED = 20260822;
export const DEFAULT_COUNT = 1200;

/** mulberry32: small, fast, deterministic across platforms. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Approximate Go kind of a pipeline value; `same` (outputs only) = the input's kind. */
type Kind = 'str' | 'num' | 'bool' | 'list' | 'map' | 'any' | 'nil' | 'same';

interface ParamSet {
  data: JsonObject;
  stringSlices?: string[];
  dataTypes?: Record<string, DataType>;
}

const DIRS = [
  'apps/guestbook',
  'clusters/prod/kubernetes/apps/media/jellyfin',
  'clusters/dev/kubernetes/apps/home/Home_Assistant',
  'infra/cert-manager',
  'x',
  'a/b.c/d-e_f',
];

function normalize(s: string): string {
  return s.toLowerCase().replace(/[^-a-z0-9.]/g, '-').slice(0, 253).replace(/^[-.]+|[-.]+$/g, '');
}

function gitDirParams(dir: string): ParamSet {
  const segments = dir.split('/');
  const basename = segments[segments.length - 1] ?? '';
  return {
    data: { path: { path: dir, basename, basenameNormalized: normalize(basename), segments } },
    stringSlices: ['path.segments'],
  };
}

function gitFilesParams(i: number): ParamSet {
  const names = ['in-cluster', 'prod-EU', 'staging_2'];
  const name = names[i % names.length] ?? 'x';
  const file = ['cluster-config/engineering/prod/config.json', 'envs/dev/values.yaml', 'c.json'][i % 3] ?? 'c.json';
  const segments = file.split('/').slice(0, -1);
  const filename = file.split('/').pop() ?? '';
  return {
    data: {
      cluster: {
        name,
        address: `https://10.0.${i}.1:6443`,
        replicas: [1, 3, 0, 1000000][i % 4] ?? 1,
        weight: [0.5, 1.25, -2, 1e15][i % 4] ?? 0.5,
        enabled: i % 2 === 0,
        tags: i % 3 === 0 ? [] : ['web', 'edge', 'web'],
        owner: i % 2 === 0 ? null : 'team-a',
        limits: { cpu: 1.5, memory: '512Mi', pods: 110 },
      },
      path: {
        path: segments.join('/'),
        basename: segments[segments.length - 1] ?? '',
        filename,
        filenameNormalized: normalize(filename),
        basenameNormalized: normalize(segments[segments.length - 1] ?? ''),
        segments,
      },
      values: { env: ['prod', 'dev', ''][i % 3] ?? '', domain: 'example.com' },
    },
    stringSlices: ['path.segments'],
  };
}

function listParams(i: number): ParamSet {
  return {
    data: {
      cluster: ['engineering-dev', 'Finance_Prod', ''][i % 3] ?? '',
      url: 'https://1.2.3.4',
      n: [2, 0, -1, 2.5][i % 4] ?? 2,
      enabled: i % 2 === 1,
      items: ['b', 'a', 'c'],
      nums: [3, 1.5, 2],
      meta: { team: 'core', tier: i },
    },
  };
}

const PARAMS: ParamSet[] = [
  ...DIRS.map(gitDirParams),
  gitFilesParams(0),
  gitFilesParams(1),
  gitFilesParams(2),
  listParams(0),
  listParams(1),
  listParams(2),
  listParams(3),
];

function kindOf(v: Json): Kind {
  if (v === null) return 'nil';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'number') return 'num';
  return 'bool';
}

/** Leaves and subtrees of the params, as template references, with their kinds. */
function references(data: JsonObject, prefix = ''): [string, Kind][] {
  const out: [string, Kind][] = [];
  for (const [k, v] of Object.entries(data)) {
    const ref = `${prefix}.${k}`;
    if (v === null) out.push([ref, 'nil']);
    else if (Array.isArray(v)) {
      out.push([ref, 'list']);
      v.forEach((e, i) => out.push([`(index ${ref} ${i})`, kindOf(e)]));
    } else if (typeof v === 'object') {
      out.push([ref, 'map']);
      out.push(...references(v, ref));
    } else if (typeof v === 'string') out.push([ref, 'str']);
    else if (typeof v === 'number') out.push([ref, 'num']);
    else out.push([ref, 'bool']);
  }
  return out;
}

const STRINGS = ['', 'a', 'Hello World', 'foo-bar_baz', '1.2.3', '  x  ', 'héllo', 'a,b,c', '42', '3.14', 'true', 'A/B/C', 'x.yaml', '-', 'ab ab'];
const INTS = [0, 1, 2, 3, 5, 10, 63, -1, -3, 100];
// No float beyond the int64 range: Go's float-to-int64 conversion of such values is
// platform-dependent (amd64 gives MinInt64, arm64 saturates), so no engine could match it.
const FLOATS = ['1.5', '0.25', '-2.5', '1e3', '3.0', '0.1', '2.5e6'];

type ArgKind = 'int' | 'float' | 'num' | 'str' | 'bool' | 'any' | 'pattern' | 'fmt';

interface FnSpec {
  name: string;
  args: ArgKind[];
  /** Kind of the piped (last) argument the function expects. */
  input: Kind;
  output: Kind;
}

function fn(name: string, args: ArgKind[], input: Kind, output: Kind): FnSpec {
  return { name, args, input, output };
}

const FUNCS: FnSpec[] = [
  ...['upper', 'lower', 'title', 'untitle', 'trim', 'nospace', 'initials', 'swapcase', 'snakecase', 'camelcase', 'kebabcase', 'b64enc', 'b32enc', 'sha1sum', 'adler32sum', 'normalize', 'base', 'dir', 'ext', 'clean', 'regexQuoteMeta', 'urlquery', 'html', 'js'].map((n) =>
    fn(n, [], 'str', 'str'),
  ),
  ...['quote', 'squote', 'toString', 'toJson', 'toYaml', 'typeOf', 'kindOf', 'print', 'cat', 'toRawJson'].map((n) => fn(n, [], 'any', 'str')),
  fn('slugify', [], 'str', 'str'),
  fn('slugify', ['int'], 'str', 'str'),
  fn('slugify', ['int', 'bool'], 'str', 'str'),
  fn('trunc', ['int'], 'str', 'str'),
  fn('abbrev', ['int'], 'str', 'str'),
  fn('substr', ['int', 'int'], 'str', 'str'),
  fn('repeat', ['int'], 'str', 'str'),
  fn('indent', ['int'], 'str', 'str'),
  fn('nindent', ['int'], 'str', 'str'),
  fn('wrap', ['int'], 'str', 'str'),
  fn('replace', ['str', 'str'], 'str', 'str'),
  fn('trimSuffix', ['str'], 'str', 'str'),
  fn('trimPrefix', ['str'], 'str', 'str'),
  fn('trimAll', ['str'], 'str', 'str'),
  fn('contains', ['str'], 'str', 'bool'),
  fn('hasPrefix', ['str'], 'str', 'bool'),
  fn('hasSuffix', ['str'], 'str', 'bool'),
  fn('splitList', ['str'], 'str', 'list'),
  fn('split', ['str'], 'str', 'map'),
  fn('splitn', ['str', 'int'], 'str', 'map'),
  fn('regexMatch', ['pattern'], 'str', 'bool'),
  fn('regexFind', ['pattern'], 'str', 'str'),
  fn('regexFindAll', ['pattern', 'int'], 'str', 'list'),
  fn('semverCompare', ['str'], 'str', 'bool'),
  fn('atoi', [], 'str', 'num'),
  fn('len', [], 'any', 'num'),
  fn('printf', ['fmt'], 'any', 'str'),
  fn('printf', ['fmt', 'any'], 'any', 'str'),
  fn('default', ['any'], 'any', 'same'),
  fn('empty', [], 'any', 'bool'),
  fn('not', [], 'any', 'bool'),
  fn('eq', ['any'], 'any', 'bool'),
  fn('ne', ['any'], 'any', 'bool'),
  fn('lt', ['num'], 'num', 'bool'),
  fn('ge', ['num'], 'num', 'bool'),
  fn('ternary', ['any', 'any'], 'bool', 'any'),
  fn('plural', ['str', 'str'], 'num', 'str'),
  fn('coalesce', ['any'], 'any', 'same'),
  fn('and', ['any'], 'any', 'any'),
  fn('or', ['any'], 'any', 'any'),
  ...['int', 'int64', 'float64', 'add1', 'ceil', 'floor', 'add1f'].map((n) => fn(n, [], 'num', 'num')),
  ...['add', 'sub', 'mul', 'div', 'mod', 'max', 'min', 'addf', 'subf', 'mulf', 'divf', 'maxf', 'minf'].map((n) => fn(n, ['num'], 'num', 'num')),
  fn('round', ['int'], 'num', 'num'),
  fn('until', [], 'num', 'list'),
  fn('seq', [], 'num', 'list'),
  ...['first', 'last', 'rest', 'initial', 'reverse', 'uniq', 'compact', 'sortAlpha', 'toStrings'].map((n) =>
    fn(n, [], 'list', n === 'first' || n === 'last' ? 'any' : 'list'),
  ),
  fn('join', ['str'], 'list', 'str'),
  fn('has', ['any'], 'list', 'bool'),
  fn('without', ['any'], 'list', 'list'),
  fn('chunk', ['int'], 'list', 'list'),
  fn('slice', ['int'], 'list', 'list'),
  fn('toPrettyJson', [], 'map', 'str'),
  fn('hasKey', ['str'], 'map', 'bool'),
  fn('get', ['str'], 'map', 'any'),
  fn('pick', ['str'], 'map', 'map'),
  fn('omit', ['str'], 'map', 'map'),
  fn('dig', ['str', 'any'], 'map', 'any'),
  fn('deepCopy', [], 'any', 'same'),
];

const FORMATS = ['%v', '%s', '%d', '%q', '%.2f', '%5s|', '%-4v|', '%x', '%T', '%t', '%g', '%03d', '%+v', '%e'];
const PATTERNS = ['^[a-z]+$', '[0-9]+', '-', '(a|b)', '^$', '\\.', '[', 'x*'];

function goString(s: string): string {
  return JSON.stringify(s);
}

export function generateCases(seed = DEFAULT_SEED, count = DEFAULT_COUNT): OracleCase[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => {
    const x = xs[Math.floor(r() * xs.length)];
    if (x === undefined) throw new Error('pick from empty list');
    return x;
  };
  const literal = (kind: ArgKind | Kind): string => {
    switch (kind) {
      case 'int':
        return String(pick(INTS));
      case 'float':
        return pick(FLOATS);
      case 'num':
        return r() < 0.6 ? String(pick(INTS)) : pick(FLOATS);
      case 'str':
        return goString(pick(STRINGS));
      case 'bool':
        return r() < 0.5 ? 'true' : 'false';
      case 'pattern':
        return goString(pick(PATTERNS));
      case 'fmt':
        return goString(pick(FORMATS));
      case 'nil':
        return 'nil';
      case 'list':
        return pick(['(list 1 2)', '(list "b" "a" "b")', '(list)', '(splitList "," "x,y")']);
      case 'map':
        return pick(['(dict "a" 1)', '(dict)', '(dict "k" "v" "n" 2.5)']);
      case 'any':
      default:
        return literal(pick(['int', 'float', 'str', 'bool', 'nil'] as const));
    }
  };
  const argFor = (kind: ArgKind, refs: [string, Kind][]): string => {
    const roll = r();
    if (roll < 0.08) return literal(pick(['int', 'float', 'str', 'bool', 'nil', 'list'] as const));
    if (roll < 0.25 && kind !== 'fmt' && kind !== 'pattern') {
      const [ref] = pick(refs);
      return ref;
    }
    return literal(kind);
  };

  const cases: OracleCase[] = [];
  for (let n = 0; n < count; n++) {
    const params = pick(PARAMS);
    const refs = references(params.data);
    let source: string;
    let kind: Kind;
    const s = r();
    if (s < 0.7) {
      [source, kind] = pick(refs);
    } else if (s < 0.78 && 'path' in params.data) {
      source = `(index .path.segments ${pick([0, 1, 1, 2, 3, 9])})`;
      kind = 'str';
    } else {
      kind = pick(['str', 'num', 'bool', 'list', 'map', 'nil'] as const);
      source = literal(kind);
      if (kind === 'nil') source = 'nil';
    }
    const stages: string[] = [];
    const nStages = 1 + Math.floor(r() * 4);
    for (let i = 0; i < nStages; i++) {
      const compatible = FUNCS.filter((f) => f.input === kind || f.input === 'any' || kind === 'any');
      const f = r() < 0.8 && compatible.length > 0 ? pick(compatible) : pick(FUNCS);
      const args = f.args.map((a) => argFor(a, refs));
      stages.push([f.name, ...args].join(' '));
      if (f.output !== 'same') kind = f.output;
    }
    // Go rejects a bare nil as the first command of a pipeline; keep it as an argument then.
    const head = source === 'nil' ? 'print nil' : source;
    let template = `{{ ${[head, ...stages].join(' | ')} }}`;
    const wrap = r();
    if (wrap < 0.1) template = `pre-${template}-post`;
    else if (wrap < 0.15) template = `{{ if ${source === 'nil' ? 'not nil' : source} }}${template}{{ else }}no{{ end }}`;
    const c: OracleCase = { id: `gen/${seed}/${String(n).padStart(4, '0')}`, template, data: params.data };
    if (params.stringSlices) c.stringSlices = params.stringSlices;
    if (params.dataTypes) c.dataTypes = params.dataTypes;
    if (r() < 0.5) c.options = ['missingkey=error'];
    cases.push(c);
  }
  return cases;
}
