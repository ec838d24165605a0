/**
 * sprig date functions. `duration` and `durationRound` are pure and implemented; the functions
 * that take or return a `time.Time` (now, toDate, date, dateInZone, dateModify, ago, htmlDate,
 * unixEpoch…) need a time value the template engine does not model yet, and are reported as not
 * supported rather than guessed. Their output depends on the controller's clock anyway.
 */
import { GoFuncDef, GoInt, GoType, GoValue } from '../value';
import { notSupported } from './crypto';
import { parseGoInt } from './util';

type Defs = Record<string, GoFuncDef>;

const NS = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 } as const;

/** time.ParseDuration; undefined on error (sprig ignores the error and uses 0). */
export function parseDuration(s: string): number | undefined {
  let rest = s;
  let neg = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    neg = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  const re = /^([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/;
  while (rest !== '') {
    const m = re.exec(rest);
    if (!m || m[1] === '' || m[1] === '.') return undefined;
    total += Number(m[1]) * NS[m[2] as keyof typeof NS];
    rest = rest.slice(m[0].length);
  }
  return Math.round(neg ? -total : total);
}

/** time.Duration.String. */
export function durationString(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(ns);
  let out: string;
  if (u < 1e9) {
    const [unit, div] = u < 1e3 ? ['ns', 1] : u < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    out = fmtFrac(u / (div as number)) + unit;
  } else {
    const h = Math.floor(u / 3600e9);
    u -= h * 3600e9;
    const m = Math.floor(u / 60e9);
    u -= m * 60e9;
    const sec = fmtFrac(u / 1e9) + 's';
    out = h > 0 ? `${h}h${m}m${sec}` : m > 0 ? `${m}m${sec}` : sec;
  }
  return neg ? '-' + out : out;
}

function fmtFrac(x: number): string {
  return Number(x.toFixed(9)).toString();
}

function duration(v: GoValue): string {
  let n = 0;
  if (typeof v === 'string') n = (/^[+-]?[0-9]+$/.test(v) ? parseGoInt(v.replace(/^([+-]?)0+(?=\d)/, '$1')) : undefined) ?? 0;
  else if (v instanceof GoInt && v.kind === 'int64') n = v.value;
  return durationString(n * 1e9);
}

function durationRound(v: GoValue): string {
  let d = 0;
  if (typeof v === 'string') d = parseDuration(v) ?? 0;
  else if (v instanceof GoInt && v.kind === 'int64') d = v.value;
  const u = Math.abs(d);
  const units: Array<[number, string]> = [
    [3600e9 * 24 * 365, 'y'],
    [3600e9 * 24 * 30, 'mo'],
    [3600e9 * 24, 'd'],
    [3600e9, 'h'],
    [60e9, 'm'],
    [1e9, 's'],
  ];
  for (const [size, suffix] of units) if (u > size) return Math.floor(u / size) + suffix;
  return '0s';
}

const stub = (name: string, params: GoType[]): GoFuncDef => ({ params, fn: () => notSupported(name) });
const I = 'interface {}' as const;

export const dateFuncs: Defs = {
  duration: { params: [I], fn: (v) => duration(v as GoValue) },
  durationRound: { params: [I], fn: (v) => durationRound(v as GoValue) },
  ago: stub('ago', [I]),
  date: stub('date', ['string', I]),
  date_in_zone: stub('date_in_zone', ['string', I, 'string']),
  dateInZone: stub('dateInZone', ['string', I, 'string']),
  date_modify: stub('date_modify', ['string', I]),
  dateModify: stub('dateModify', ['string', I]),
  must_date_modify: stub('must_date_modify', ['string', I]),
  mustDateModify: stub('mustDateModify', ['string', I]),
  htmlDate: stub('htmlDate', [I]),
  htmlDateInZone: stub('htmlDateInZone', [I, 'string']),
  mustToDate: stub('mustToDate', ['string', 'string']),
  toDate: stub('toDate', ['string', 'string']),
  now: stub('now', []),
  unixEpoch: stub('unixEpoch', [I]),
};
