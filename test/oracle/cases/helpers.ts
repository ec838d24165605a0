import type { JsonObject, OracleCase } from '../types';

/**
 * Parameters shaped like the generators make them, shared by most hand-written cases: a git
 * directory generator's `path` (with `segments` a Go `[]string`), a git files generator's nested
 * objects with numbers and bools, a list element's flat keys and `values`.
 */
export const DATA: JsonObject = {
  path: {
    path: 'clusters/prod/kubernetes/apps/media/jellyfin',
    basename: 'jellyfin',
    basenameNormalized: 'jellyfin',
    segments: ['clusters', 'prod', 'kubernetes', 'apps', 'media', 'jellyfin'],
    filename: 'config.yaml',
    filenameNormalized: 'config.yaml',
  },
  name: 'My_App-Name',
  cluster: {
    name: 'prod-eu',
    address: 'https://10.0.0.1:6443',
    region: 'eu-west-1',
    replicas: 3,
    weight: 0.25,
    enabled: true,
    disabled: false,
    tags: ['web', 'edge', 'web'],
    labels: { 'app.kubernetes.io/name': 'jellyfin', tier: 'media' },
    limits: { cpu: 1.5, memory: '512Mi' },
  },
  values: { foo: 'bar', replicas: '3', empty: '', chart: 'app-template', version: '3.7.1' },
  str: 'Hello, World',
  spaced: '  padded text  ',
  csv: 'a,b,,c',
  url: 'https://user:pw@example.com:8443/a/b?x=1&y=two#frag',
  html: '<a href="x">Tom & "Jerry"</a>',
  unicode: 'héllo wörld ✓',
  n: 3,
  f: 2.5,
  big: 1000000,
  huge: 12345678901,
  tiny: 0.000001,
  neg: -7,
  zero: 0,
  t: true,
  fl: false,
  nil: null,
  list: ['a', 'b', 'c'],
  nums: [3, 1, 2],
  floats: [1.5, 2.25, -0.5],
  mixed: [1, 'two', true, null, { k: 'v' }],
  emptyList: [],
  emptyMap: {},
  emptyStr: '',
  nested: { a: { b: { c: 'deep', n: 1 } }, list: [{ name: 'x', port: 80 }, { name: 'y', port: 443 }] },
  semver: '1.2.3',
  yamlDoc: 'a: 1\nb:\n  - x\n  - y\nc: {d: true}\n',
  jsonDoc: '{"a":1,"b":[true,null,"s"],"c":{"d":1.5}}',
};

/** The `path.segments` of DATA is a `[]string`, as the git directory generator makes it. */
export const STRING_SLICES = ['path.segments'];

type CaseSpec = string | [string, Partial<Omit<OracleCase, 'id' | 'template'>>];

/**
 * A named group of cases. Each spec is a template (rendered against `defaults`, which default to
 * DATA) or a `[template, overrides]` pair. Ids are `name/NNN` in order.
 */
export function group(
  name: string,
  specs: CaseSpec[],
  defaults: Partial<Omit<OracleCase, 'id' | 'template'>> = {},
): OracleCase[] {
  return specs.map((spec, i) => {
    const [template, over] = typeof spec === 'string' ? [spec, {}] : spec;
    const c: OracleCase = {
      id: `${name}/${String(i).padStart(3, '0')}`,
      template,
      data: DATA,
      stringSlices: STRING_SLICES,
      ...defaults,
      ...over,
    };
    return c;
  });
}

/** Options for the cases that set Argo CD's recommended `missingkey=error`. */
export const STRICT = { options: ['missingkey=error'] };
