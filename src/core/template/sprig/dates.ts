/**
 * sprig date functions (date.go) over gotime.ts. Functions that read the clock (`now`, `ago`,
 * and `date` given something that is not a time or an int) cannot match the controller's output;
 * everything else is deterministic.
 */
import { GoFuncDef, GoInt, GoValue } from '../value';
import {
  GoTime,
  LOCAL,
  UTC,
  addDuration,
  durationString,
  formatTime,
  loadLocation,
  now,
  parseDuration,
  parseTime,
  roundToSecond,
  since,
  timeIn,
  unixSeconds,
  unixTime,
  zeroTime,
} from './gotime';
import { parseGoIntExact } from './util';

type Defs = Record<string, GoFuncDef>;

/** sprig's dateInZone type switch: a time, an int/int32/int64 of Unix seconds, else now. */
function dateInZone(layout: string, date: GoValue, zone: string): string {
  let t: GoTime;
  if (date instanceof GoTime) t = date;
  else if (date instanceof GoInt && (date.kind === 'int' || date.kind === 'int32' || date.kind === 'int64')) t = unixTime(date.value);
  else t = now();
  const loc = loadLocation(zone) ?? UTC;
  return formatTime(timeIn(t, loc), layout);
}

function dateAgo(date: GoValue): string {
  let t: GoTime;
  if (date instanceof GoTime) t = date;
  else if (date instanceof GoInt && (date.kind === 'int' || date.kind === 'int64')) t = unixTime(date.value);
  else t = now();
  return durationString(roundToSecond(since(t)));
}

const NS_PER_SEC = 1_000_000_000n;

function duration(v: GoValue): string {
  let n: number | bigint = 0;
  if (typeof v === 'string') n = (/^[+-]?[0-9]+$/.test(v) ? parseGoIntExact(v.replace(/^([+-]?)0+(?=\d)/, '$1')) : undefined) ?? 0;
  else if (v instanceof GoInt && v.kind === 'int64') n = v.exact();
  // time.Duration(n) * time.Second wraps like Go's int64.
  return durationString(BigInt.asIntN(64, BigInt(n) * NS_PER_SEC));
}

function durationRound(v: GoValue): string {
  let d = 0n;
  if (typeof v === 'string') {
    try {
      d = parseDuration(v);
    } catch {
      d = 0n;
    }
  } else if (v instanceof GoInt && v.kind === 'int64') d = v.toBigInt();
  else if (v instanceof GoTime) d = since(v);
  const u = d < 0n ? -d : d;
  const units: Array<[bigint, string]> = [
    [3600n * NS_PER_SEC * 24n * 365n, 'y'],
    [3600n * NS_PER_SEC * 24n * 30n, 'mo'],
    [3600n * NS_PER_SEC * 24n, 'd'],
    [3600n * NS_PER_SEC, 'h'],
    [60n * NS_PER_SEC, 'm'],
    [NS_PER_SEC, 's'],
  ];
  for (const [size, suffix] of units) if (u > size) return String(u / size) + suffix;
  return '0s';
}

function dateModify(fmt: string, date: GoTime, must: boolean): GoTime {
  let d: bigint;
  try {
    d = parseDuration(fmt);
  } catch (e) {
    if (must) throw e;
    return date;
  }
  return addDuration(date, d);
}

function toDate(fmt: string, str: string, must: boolean): GoTime {
  try {
    return parseTime(fmt, str, LOCAL);
  } catch (e) {
    if (must) throw e;
    return zeroTime();
  }
}

const I = 'interface {}' as const;
const TIME = 'time.Time' as const;

const dateFn: GoFuncDef = { params: ['string', I], fn: (f, d) => dateInZone(f as string, d as GoValue, 'Local') };
const dateInZoneFn: GoFuncDef = { params: ['string', I, 'string'], fn: (f, d, z) => dateInZone(f as string, d as GoValue, z as string) };
const dateModifyFn: GoFuncDef = { params: ['string', TIME], fn: (f, d) => dateModify(f as string, d as GoTime, false) };
const mustDateModifyFn: GoFuncDef = { params: ['string', TIME], fn: (f, d) => dateModify(f as string, d as GoTime, true) };

export const dateFuncs: Defs = {
  duration: { params: [I], fn: (v) => duration(v as GoValue) },
  durationRound: { params: [I], fn: (v) => durationRound(v as GoValue) },
  ago: { params: [I], fn: (d) => dateAgo(d as GoValue) },
  date: dateFn,
  date_in_zone: dateInZoneFn,
  dateInZone: dateInZoneFn,
  date_modify: dateModifyFn,
  dateModify: dateModifyFn,
  must_date_modify: mustDateModifyFn,
  mustDateModify: mustDateModifyFn,
  htmlDate: { params: [I], fn: (d) => dateInZone('2006-01-02', d as GoValue, 'Local') },
  htmlDateInZone: { params: [I, 'string'], fn: (d, z) => dateInZone('2006-01-02', d as GoValue, z as string) },
  mustToDate: { params: ['string', 'string'], fn: (f, s) => toDate(f as string, s as string, true) },
  toDate: { params: ['string', 'string'], fn: (f, s) => toDate(f as string, s as string, false) },
  now: { params: [], fn: () => now() },
  unixEpoch: { params: [TIME], fn: (d) => String(unixSeconds(d as GoTime)) },
};
