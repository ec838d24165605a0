/**
 * semver/semverCompare: a port of Masterminds/semver v3.3.0 (the version sprig v3.3.0 pins):
 * `NewVersion`'s coercing parser, `Version` with its methods as templates call them
 * (`(semver "1.2.3").Major`, `.Compare`), and `NewConstraint`/`Check` with the library's regular
 * expressions translated to JS (RE2's `\s` is `[\t\n\f\r ]`, narrower than JS's).
 */
import { GO_JSON, GO_METHOD, GO_STRING, GoFuncDef, GoInt, GoMethod, GoObject, GoValue } from '../value';
import { jsonString } from './json';
import { NIL_DEREF, goPanic } from './util';

const S = '[\\t\\n\\f\\r ]';
const CV =
  'v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?' +
  '(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?' +
  '(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?';
const OPS = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';

const VERSION_RE = new RegExp(
  '^v?([0-9]+)(\\.[0-9]+)?(\\.[0-9]+)?' + '(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?' + '(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?$',
);
const CONSTRAINT_RE = new RegExp(`^${S}*(${OPS})${S}*(${CV})${S}*$`);
const RANGE_RE = new RegExp(`${S}*(${CV})${S}+-${S}+(${CV})${S}*`, 'g');
const FIND_RE = new RegExp(`(${OPS})${S}*(${CV})`, 'g');
const VALID_RE = new RegExp(`^(${S}*(${OPS})${S}*(${CV})${S}*)((?:${S}+|,${S}*)(${OPS})${S}*(${CV})${S}*)*$`);

const UINT64_MAX = 2n ** 64n - 1n;
const NUM = /^[0-9]*$/;
const ALLOWED = /^[0-9A-Za-z-]*$/;

class SemverError extends Error {}

function parseUint(s: string): bigint {
  const n = /^[0-9]+$/.test(s) ? BigInt(s) : -1n;
  if (n < 0n || n > UINT64_MAX) {
    throw new SemverError(`Error parsing version segment: strconv.ParseUint: parsing "${s}": value out of range`);
  }
  return n;
}

function validatePrerelease(p: string): void {
  for (const part of p.split('.')) {
    if (NUM.test(part)) {
      if (part.length > 1 && part[0] === '0') throw new SemverError('Version segment starts with 0');
    } else if (!ALLOWED.test(part)) throw new SemverError('Invalid Prerelease string');
  }
}

function validateMetadata(m: string): void {
  for (const part of m.split('.')) if (!ALLOWED.test(part)) throw new SemverError('Invalid Metadata string');
}

interface Fields {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string;
  metadata: string;
  original: string;
}

/** `NewVersion`: coerces `v1`, `1.2` to full versions; throws the library's error text. */
export function newVersion(v: string): Version {
  const m = VERSION_RE.exec(v);
  if (!m) throw new SemverError('Invalid Semantic Version');
  const f: Fields = {
    major: parseUint(m[1] as string),
    minor: m[2] ? parseUint(m[2].slice(1)) : 0n,
    patch: m[3] ? parseUint(m[3].slice(1)) : 0n,
    pre: m[5] ?? '',
    metadata: m[8] ?? '',
    original: v,
  };
  if (f.pre !== '') validatePrerelease(f.pre);
  if (f.metadata !== '') validateMetadata(f.metadata);
  return new Version(f, true);
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return o !== '' ? -1 : 1;
  if (o === '') return s !== '' ? 1 : -1;
  const oNum = /^[0-9]+$/.test(o) && BigInt(o) <= UINT64_MAX;
  const sNum = /^[0-9]+$/.test(s) && BigInt(s) <= UINT64_MAX;
  if (!oNum && !sNum) return s > o ? 1 : -1;
  if (!oNum) return -1;
  if (!sNum) return 1;
  return BigInt(s) > BigInt(o) ? 1 : -1;
}

function comparePrerelease(v: string, o: string): number {
  const sp = v.split('.');
  const op = o.split('.');
  const l = Math.max(sp.length, op.length);
  for (let i = 0; i < l; i++) {
    const d = comparePrePart(sp[i] ?? '', op[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

const VER = '*semver.Version' as const;

function otherVersion(o: GoValue): Version {
  // A nil *Version argument: the method dereferences it.
  if (!(o instanceof Version)) goPanic(NIL_DEREF);
  return o;
}

/** Version.Compare. */
function compareVersions(x: Version, y: Version): number {
  const a = x[F];
  const b = y[F];
  const d = cmp(a.major, b.major) || cmp(a.minor, b.minor) || cmp(a.patch, b.patch);
  if (d !== 0) return d;
  if (a.pre === '' && b.pre === '') return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  return comparePrerelease(a.pre, b.pre);
}

/** The Version that IncMajor & co. return: a value, with `original` rebuilt. */
function nextVersion(v: Version, change: Partial<Fields>): Version {
  const f = { ...v[F], ...change };
  const n = new Version(f, false);
  f.original = (v[F].original.startsWith('v') ? 'v' : '') + n[GO_STRING]();
  return n;
}

// Symbol-keyed: GoObject's string keys are reserved for GoValues.
const F = Symbol('fields');
const PTR = Symbol('ptr');

/** `*semver.Version` (ptr) or, from IncMajor & co., a `semver.Version` value. */
export class Version extends GoObject {
  readonly goType: '*semver.Version' | 'semver.Version';
  readonly goKind: string;
  readonly [F]: Fields;
  readonly [PTR]: boolean;

  constructor(f: Fields, ptr: boolean) {
    super();
    this[F] = f;
    this[PTR] = ptr;
    this.goType = ptr ? '*semver.Version' : 'semver.Version';
    this.goKind = ptr ? 'ptr' : 'struct';
  }

  [GO_STRING](): string {
    const f = this[F];
    let s = `${f.major}.${f.minor}.${f.patch}`;
    if (f.pre !== '') s += '-' + f.pre;
    if (f.metadata !== '') s += '+' + f.metadata;
    return s;
  }

  [GO_JSON](): string {
    return jsonString(this[GO_STRING](), true);
  }

  [GO_METHOD](name: string): GoMethod | undefined {
    const f = this[F];
    const u64 = (n: bigint): GoMethod => ({ params: [], fn: () => new GoInt(n, 'uint64') });
    const str = (s: () => string): GoMethod => ({ params: [], fn: s });
    const rel = (test: (c: number) => boolean): GoMethod => ({ params: [VER], fn: (o) => test(compareVersions(this, otherVersion(o))) });
    switch (name) {
      case 'Major':
        return u64(f.major);
      case 'Minor':
        return u64(f.minor);
      case 'Patch':
        return u64(f.patch);
      case 'Prerelease':
        return str(() => f.pre);
      case 'Metadata':
        return str(() => f.metadata);
      case 'String':
        return str(() => this[GO_STRING]());
      case 'IncPatch':
        return { params: [], fn: () => (f.pre !== '' ? nextVersion(this, { pre: '', metadata: '' }) : nextVersion(this, { pre: '', metadata: '', patch: f.patch + 1n })) };
      case 'IncMinor':
        return { params: [], fn: () => nextVersion(this, { pre: '', metadata: '', patch: 0n, minor: f.minor + 1n }) };
      case 'IncMajor':
        return { params: [], fn: () => nextVersion(this, { pre: '', metadata: '', patch: 0n, minor: 0n, major: f.major + 1n }) };
      case 'SetPrerelease':
        return {
          params: ['string'],
          fn: (p) => {
            if (p !== '') validatePrerelease(p as string);
            return nextVersion(this, { pre: p as string });
          },
        };
      case 'SetMetadata':
        return {
          params: ['string'],
          fn: (m) => {
            if (m !== '') validateMetadata(m as string);
            return nextVersion(this, { metadata: m as string });
          },
        };
    }
    // Pointer-receiver methods: not in the method set of a (non-addressable) Version value.
    if (!this[PTR]) return undefined;
    switch (name) {
      case 'Original':
        return str(() => f.original);
      case 'Compare':
        return { params: [VER], fn: (o) => new GoInt(compareVersions(this, otherVersion(o))) };
      case 'LessThan':
        return rel((c) => c < 0);
      case 'LessThanEqual':
        return rel((c) => c <= 0);
      case 'GreaterThan':
        return rel((c) => c > 0);
      case 'GreaterThanEqual':
        return rel((c) => c >= 0);
      case 'Equal':
        return { params: [VER], fn: (o) => (o === this ? true : o instanceof Version ? compareVersions(this, o) === 0 : false) };
    }
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Constraints

interface Constraint {
  con: Version;
  orig: string;
  op: string;
  minorDirty: boolean;
  dirty: boolean;
  patchDirty: boolean;
}

const isX = (x: string): boolean => x === 'x' || x === '*' || x === 'X';

function parseConstraint(c: string): Constraint {
  if (c.length === 0) {
    return { con: newVersion('0.0.0'), orig: c, op: '', minorDirty: false, patchDirty: false, dirty: true };
  }
  const m = CONSTRAINT_RE.exec(c);
  if (!m) throw new SemverError(`improper constraint: ${c}`);
  const g = (i: number): string => m[i] ?? '';
  let ver = g(2);
  let minorDirty = false;
  let patchDirty = false;
  let dirty = false;
  if (isX(g(3)) || g(3) === '') {
    ver = `0.0.0${g(6)}`;
    dirty = true;
  } else if (isX(g(4).replace(/^\./, '')) || g(4) === '') {
    minorDirty = true;
    dirty = true;
    ver = `${g(3)}.0.0${g(6)}`;
  } else if (isX(g(5).replace(/^\./, '')) || g(5) === '') {
    dirty = true;
    patchDirty = true;
    ver = `${g(3)}${g(4)}.0${g(6)}`;
  }
  let con: Version;
  try {
    con = newVersion(ver);
  } catch {
    throw new SemverError('constraint Parser Error');
  }
  return { con, orig: g(2), op: g(1), minorDirty, dirty, patchDirty };
}

function rewriteRange(i: string): string {
  let o = i;
  for (const m of i.matchAll(RANGE_RE)) o = o.replace(m[0], () => `>= ${m[1] ?? ''}, <= ${m[11] ?? ''} `);
  return o;
}

function newConstraint(c: string): Constraint[][] {
  return rewriteRange(c)
    .split('||')
    .map((v) => {
      if (!VALID_RE.test(v)) throw new SemverError(`improper constraint: ${v}`);
      const found = [...v.matchAll(FIND_RE)].map((m) => m[0]);
      return (found.length > 0 ? found : [v]).map(parseConstraint);
    });
}

const prereleaseMismatch = (v: Version, c: Constraint): boolean => v[F].pre !== '' && c.con[F].pre === '';

function tilde(v: Version, c: Constraint): boolean {
  if (prereleaseMismatch(v, c)) return false;
  if (compareVersions(v, c.con) < 0) return false;
  const k = c.con[F];
  if (k.major === 0n && k.minor === 0n && k.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v[F].major !== k.major) return false;
  if (v[F].minor !== k.minor && !c.minorDirty) return false;
  return true;
}

function check(v: Version, c: Constraint): boolean {
  const k = c.con[F];
  const x = v[F];
  switch (c.op) {
    case '':
    case '=':
      if (prereleaseMismatch(v, c)) return false;
      if (c.dirty) return tilde(v, c);
      return compareVersions(v, c.con) === 0;
    case '!=':
      if (c.dirty) {
        if (prereleaseMismatch(v, c)) return false;
        if (k.major !== x.major) return true;
        if (k.minor !== x.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (k.patch !== x.patch && !c.patchDirty) return true;
        if (c.patchDirty) {
          if (x.pre !== '' || k.pre !== '') return comparePrerelease(x.pre, k.pre) !== 0;
          return false;
        }
      }
      return compareVersions(v, c.con) !== 0;
    case '>':
      if (prereleaseMismatch(v, c)) return false;
      if (!c.dirty) return compareVersions(v, c.con) === 1;
      if (x.major > k.major) return true;
      if (x.major < k.major) return false;
      if (c.minorDirty) return false;
      if (c.patchDirty) return x.minor > k.minor;
      return compareVersions(v, c.con) === 1;
    case '<':
      if (prereleaseMismatch(v, c)) return false;
      return compareVersions(v, c.con) < 0;
    case '>=':
    case '=>':
      if (prereleaseMismatch(v, c)) return false;
      return compareVersions(v, c.con) >= 0;
    case '<=':
    case '=<':
      if (prereleaseMismatch(v, c)) return false;
      if (!c.dirty) return compareVersions(v, c.con) <= 0;
      if (x.major > k.major) return false;
      if (x.major === k.major && x.minor > k.minor && !c.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      return tilde(v, c);
    case '^':
      if (prereleaseMismatch(v, c)) return false;
      if (compareVersions(v, c.con) < 0) return false;
      if (k.major > 0n || c.minorDirty) return x.major === k.major;
      if (k.major === 0n && x.major > 0n) return false;
      if (k.minor > 0n || c.patchDirty) return x.minor === k.minor;
      if (k.minor === 0n && x.minor > 0n) return false;
      return k.patch === x.patch;
  }
  return false;
}

function semverCompare(constraint: string, version: string): boolean {
  const cs = newConstraint(constraint);
  const v = newVersion(version);
  return cs.some((and) => and.every((c) => check(v, c)));
}

export const semverFuncs: Record<string, GoFuncDef> = {
  semver: { params: ['string'], fn: (v) => newVersion(v as string) },
  semverCompare: { params: ['string', 'string'], fn: (c, v) => semverCompare(c as string, v as string) },
};
