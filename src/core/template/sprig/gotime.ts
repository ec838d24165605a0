/**
 * Go's `time` package as sprig's date functions need it: `time.Time` as a template value (its
 * methods and `%v` form), `Format`/`ParseInLocation` with Go's reference-time layouts (a port of
 * time/format.go), `ParseDuration`, and zones.
 *
 * Zones: `UTC` and fixed offsets are exact. IANA names resolve through `Intl` (offset exact,
 * abbreviation best effort: Intl's short names, else tzdata's numeric `+03` form). `Local` is
 * UTC: the ApplicationSet controller runs in a container without TZ, and the oracle runs with
 * TZ=UTC.
 */
import { quote } from '../fmt';
import { GO_JSON, GO_METHOD, GO_STRING, GoInt, type GoMethod, GoObject, type GoValue } from '../value';

// ---------------------------------------------------------------------------------------------
// Locations

export interface Location {
  /** Location.String(): `UTC`, `Local`, an IANA name, or a fixed zone's name. */
  readonly name: string;
  /** The zone abbreviation and offset (seconds east of UTC) in effect at a Unix second. */
  lookup(unixSec: number): { abbr: string; offset: number };
}

export const UTC: Location = { name: 'UTC', lookup: () => ({ abbr: 'UTC', offset: 0 }) };
export const LOCAL: Location = { name: 'Local', lookup: () => ({ abbr: 'UTC', offset: 0 }) };

export function fixedZone(name: string, offset: number): Location {
  return { name, lookup: () => ({ abbr: name, offset }) };
}

const zoneCache = new Map<string, Location | undefined>();

function numericAbbr(offset: number): string {
  const sign = offset < 0 ? '-' : '+';
  const m = Math.abs(offset) / 60;
  const hh = String(Math.floor(m / 60)).padStart(2, '0');
  return sign + hh + (m % 60 ? String(m % 60).padStart(2, '0') : '');
}

function ianaZone(name: string): Location | undefined {
  let dtf: Intl.DateTimeFormat;
  try {
    dtf = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
  } catch {
    return undefined;
  }
  const resolved = dtf.resolvedOptions().timeZone;
  // Go opens zoneinfo files by name, so the case must match; Intl canonicalises case.
  if (resolved !== name && resolved.toLowerCase() === name.toLowerCase()) return undefined;
  const names = ['en-US', 'en-GB'].map((loc) => new Intl.DateTimeFormat(loc, { timeZone: name, timeZoneName: 'short' }));
  const offsetAt = (ms: number): number => {
    const p: Record<string, string> = {};
    for (const part of dtf.formatToParts(new Date(ms))) p[part.type] = part.value;
    let year = Number(p.year);
    if (p.era === 'BC' || p.era === 'B') year = 1 - year;
    const wall = daysFromCivil(year, Number(p.month), Number(p.day)) * 86400 + Number(p.hour) * 3600 + Number(p.minute) * 60 + Number(p.second);
    return wall - Math.floor(ms / 1000);
  };
  return {
    name,
    lookup(unixSec: number) {
      const ms = Math.max(-8.64e15, Math.min(8.64e15, unixSec * 1000));
      const offset = offsetAt(ms);
      let abbr = '';
      for (const f of names) {
        abbr = f.formatToParts(new Date(ms)).find((x) => x.type === 'timeZoneName')?.value ?? '';
        if (!/^(GMT|UTC)[+-]/.test(abbr)) break;
      }
      if (/^(GMT|UTC)[+-]/.test(abbr) || abbr === '') abbr = numericAbbr(offset);
      return { abbr, offset };
    },
  };
}

/** time.LoadLocation; undefined where Go returns an error. */
export function loadLocation(name: string): Location | undefined {
  if (name === '' || name === 'UTC') return UTC;
  if (name === 'Local') return LOCAL;
  if (name.includes('..') || name.startsWith('/') || name.includes('\\')) return undefined;
  if (!zoneCache.has(name)) zoneCache.set(name, ianaZone(name));
  return zoneCache.get(name);
}

// ---------------------------------------------------------------------------------------------
// Calendar (proleptic Gregorian, as Go's)

export function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const isLeap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);

function daysIn(month: number, year: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
}

const floorDiv = (a: number, b: number): number => Math.floor(a / b);
const mod = (a: number, b: number): number => a - Math.floor(a / b) * b;

const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const SHORT_DAYS = LONG_DAYS.map((d) => d.slice(0, 3));
const SHORT_MONTHS = LONG_MONTHS.map((m) => m.slice(0, 3));

// ---------------------------------------------------------------------------------------------
// time.Time

const START = process.hrtime.bigint();

/** Symbol-keyed state: GoObject's string keys are reserved for GoValues. */
const T = Symbol('time');

interface TimeState {
  /** Unix seconds (an integer; years 1..9999 and well beyond are exact). */
  readonly sec: number;
  readonly nsec: number;
  readonly loc: Location;
  /** Nanoseconds since process start, for values from `now` (Go's monotonic clock reading). */
  readonly mono?: bigint;
}

export class GoTime extends GoObject {
  readonly goType = 'time.Time' as const;
  readonly goKind = 'struct';
  readonly [T]: TimeState;

  constructor(sec: number, nsec: number, loc: Location, mono?: bigint) {
    super();
    this[T] = mono === undefined ? { sec, nsec, loc } : { sec, nsec, loc, mono };
  }

  [GO_STRING](): string {
    let s = formatTime(this, '2006-01-02 15:04:05.999999999 -0700 MST');
    const mono = this[T].mono;
    if (mono !== undefined) {
      const neg = mono < 0n;
      const m = neg ? -mono : mono;
      s += ` m=${neg ? '-' : '+'}${m / 1_000_000_000n}.${String(m % 1_000_000_000n).padStart(9, '0')}`;
    }
    return s;
  }

  [GO_JSON](): string {
    const { year } = fields(this);
    if (year < 0 || year > 9999) throw new Error('json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: year outside of range [0,9999]');
    return '"' + formatTime(this, '2006-01-02T15:04:05.999999999Z07:00') + '"';
  }

  [GO_METHOD](name: string): GoMethod | undefined {
    const t = this[T];
    const f = (): Fields => fields(this);
    const int = (get: () => number): GoMethod => ({ params: [], fn: () => new GoInt(get()) });
    const int64 = (get: () => number | bigint): GoMethod => ({ params: [], fn: () => new GoInt(get(), 'int64') });
    const cmp = (test: (a: GoTime, b: GoTime) => boolean): GoMethod => ({
      params: ['time.Time'],
      fn: (o) => test(this, o as GoTime),
    });
    switch (name) {
      case 'Year':
        return int(() => f().year);
      case 'Month':
        return { params: [], fn: () => new GoEnum('time.Month', f().month, LONG_MONTHS[f().month - 1] ?? `%!Month(${f().month})`) };
      case 'Day':
        return int(() => f().day);
      case 'Hour':
        return int(() => f().hour);
      case 'Minute':
        return int(() => f().min);
      case 'Second':
        return int(() => f().sec);
      case 'Nanosecond':
        return int(() => t.nsec);
      case 'YearDay':
        return int(() => f().yday);
      case 'Weekday':
        return { params: [], fn: () => new GoEnum('time.Weekday', f().wday, LONG_DAYS[f().wday] as string) };
      case 'Unix':
        return int64(() => t.sec);
      case 'UnixMilli':
        return int64(() => BigInt(t.sec) * 1000n + BigInt(Math.floor(t.nsec / 1e6)));
      case 'UnixMicro':
        return int64(() => BigInt(t.sec) * 1_000_000n + BigInt(Math.floor(t.nsec / 1e3)));
      case 'UnixNano':
        return int64(() => BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec));
      case 'IsZero':
        return { params: [], fn: () => t.sec === ZERO_SEC && t.nsec === 0 };
      case 'Format':
        return { params: ['string'], fn: (layout) => formatTime(this, layout as string) };
      case 'String':
        return { params: [], fn: () => this[GO_STRING]() };
      case 'UTC':
        return { params: [], fn: () => new GoTime(t.sec, t.nsec, UTC, t.mono) };
      case 'Local':
        return { params: [], fn: () => new GoTime(t.sec, t.nsec, LOCAL, t.mono) };
      case 'AddDate':
        return {
          params: ['int', 'int', 'int'],
          fn: (y, m, d) => {
            const x = f();
            return makeDate(x.year + num(y), x.month + num(m), x.day + num(d), x.hour, x.min, x.sec, t.nsec, t.loc);
          },
        };
      case 'Before':
        return cmp((a, b) => compareTimes(a, b) < 0);
      case 'After':
        return cmp((a, b) => compareTimes(a, b) > 0);
      case 'Equal':
        return cmp((a, b) => compareTimes(a, b) === 0);
      case 'Compare':
        return { params: ['time.Time'], fn: (o) => new GoInt(compareTimes(this, o as GoTime)) };
    }
    return undefined;
  }
}

const num = (v: GoValue): number => (v instanceof GoInt ? v.value : 0);

function compareTimes(a: GoTime, b: GoTime): number {
  const x = a[T];
  const y = b[T];
  return x.sec !== y.sec ? Math.sign(x.sec - y.sec) : Math.sign(x.nsec - y.nsec);
}

/** time.Month / time.Weekday: integers that print their name. */
class GoEnum extends GoObject {
  readonly goKind = 'int';
  constructor(
    readonly goType: 'time.Month' | 'time.Weekday',
    readonly n: number,
    readonly label: string,
  ) {
    super();
  }
  [GO_STRING](): string {
    return this.label;
  }
  [GO_JSON](): string {
    return String(this.n);
  }
  [GO_METHOD](name: string): GoMethod | undefined {
    return name === 'String' ? { params: [], fn: () => this.label } : undefined;
  }
}

const ZERO_SEC = -62135596800;

/** The zero time.Time (what toDate returns for unparsable input). */
export function zeroTime(): GoTime {
  return new GoTime(ZERO_SEC, 0, UTC);
}

/** time.Unix(sec, 0): in Local. */
export function unixTime(sec: number): GoTime {
  return new GoTime(sec, 0, LOCAL);
}

/** time.Now(). */
export function now(): GoTime {
  const ms = Date.now();
  return new GoTime(Math.floor(ms / 1000), (ms % 1000) * 1e6, LOCAL, process.hrtime.bigint() - START);
}

export function timeIn(t: GoTime, loc: Location): GoTime {
  return new GoTime(t[T].sec, t[T].nsec, loc, t[T].mono);
}

export function unixSeconds(t: GoTime): number {
  return t[T].sec;
}

/** t.Add(d) with d in nanoseconds. */
export function addDuration(t: GoTime, d: bigint): GoTime {
  const s = t[T];
  const total = BigInt(s.nsec) + d;
  const sec = s.sec + Number(total >= 0n ? total / 1_000_000_000n : -((-total + 999_999_999n) / 1_000_000_000n));
  const nsec = Number(((total % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n);
  return new GoTime(sec, nsec, s.loc, s.mono === undefined ? undefined : s.mono + d);
}

/** time.Since(t) in nanoseconds. */
export function since(t: GoTime): bigint {
  const n = now()[T];
  const s = t[T];
  return (BigInt(n.sec) - BigInt(s.sec)) * 1_000_000_000n + BigInt(n.nsec - s.nsec);
}

interface Fields {
  year: number;
  month: number;
  day: number;
  yday: number;
  wday: number;
  hour: number;
  min: number;
  sec: number;
  abbr: string;
  offset: number;
}

function fields(t: GoTime): Fields {
  const s = t[T];
  const { abbr, offset } = s.loc.lookup(s.sec);
  const local = s.sec + offset;
  const days = floorDiv(local, 86400);
  const secOfDay = local - days * 86400;
  const [year, month, day] = civilFromDays(days);
  return {
    year,
    month,
    day,
    yday: days - daysFromCivil(year, 1, 1) + 1,
    wday: mod(days + 4, 7),
    hour: Math.floor(secOfDay / 3600),
    min: Math.floor((secOfDay % 3600) / 60),
    sec: secOfDay % 60,
    abbr,
    offset,
  };
}

/** time.Date, normalising out-of-range fields as Go does. */
export function makeDate(year: number, month: number, day: number, hour: number, min: number, sec: number, nsec: number, loc: Location): GoTime {
  let m = month - 1;
  year += floorDiv(m, 12);
  m = mod(m, 12);
  sec += floorDiv(nsec, 1e9);
  nsec = mod(nsec, 1e9);
  const days = daysFromCivil(year, m + 1, 1) + day - 1;
  let unix = days * 86400 + hour * 3600 + min * 60 + sec;
  // Go's two-step offset lookup for zones with transitions.
  const off = loc.lookup(unix).offset;
  const off2 = loc.lookup(unix - off).offset;
  unix -= off2 === off ? off : loc.lookup(unix - off2).offset === off2 ? off2 : off;
  return new GoTime(unix, nsec, loc);
}

// ---------------------------------------------------------------------------------------------
// Layouts (time/format.go)

const enum Std {
  None = 0,
  LongMonth,
  Month,
  NumMonth,
  ZeroMonth,
  LongWeekDay,
  WeekDay,
  Day,
  UnderDay,
  ZeroDay,
  UnderYearDay,
  ZeroYearDay,
  Hour,
  Hour12,
  ZeroHour12,
  Minute,
  ZeroMinute,
  Second,
  ZeroSecond,
  LongYear,
  Year,
  PM,
  pm,
  TZ,
  ISO8601TZ,
  ISO8601SecondsTZ,
  ISO8601ShortTZ,
  ISO8601ColonTZ,
  ISO8601ColonSecondsTZ,
  NumTZ,
  NumSecondsTz,
  NumShortTZ,
  NumColonTZ,
  NumColonSecondsTZ,
  FracSecond0,
  FracSecond9,
}

interface Chunk {
  prefix: string;
  std: Std;
  /** Fractional seconds: digit count and separator. */
  digits: number;
  sep: string;
  suffix: string;
}

const STD0X = [Std.ZeroMonth, Std.ZeroDay, Std.ZeroHour12, Std.ZeroMinute, Std.ZeroSecond, Std.Year];

const isDigitAt = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;
const startsWithLower = (s: string): boolean => s.length > 0 && s[0] as string >= 'a' && s[0] as string <= 'z';

function nextStdChunk(layout: string): Chunk {
  const at = (i: number, std: Std, len: number, prefixEnd = i): Chunk => ({
    prefix: layout.slice(0, prefixEnd),
    std,
    digits: 0,
    sep: '.',
    suffix: layout.slice(i + len),
  });
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i] as string;
    const has = (s: string): boolean => layout.startsWith(s, i);
    switch (c) {
      case 'J':
        if (has('Jan')) {
          if (has('January')) return at(i, Std.LongMonth, 7);
          if (!startsWithLower(layout.slice(i + 3))) return at(i, Std.Month, 3);
        }
        break;
      case 'M':
        if (has('Mon')) {
          if (has('Monday')) return at(i, Std.LongWeekDay, 6);
          if (!startsWithLower(layout.slice(i + 3))) return at(i, Std.WeekDay, 3);
        }
        if (has('MST')) return at(i, Std.TZ, 3);
        break;
      case '0': {
        const n = layout[i + 1];
        if (n !== undefined && n >= '1' && n <= '6') return at(i, STD0X[n.charCodeAt(0) - 49] as Std, 2);
        if (has('002')) return at(i, Std.ZeroYearDay, 3);
        break;
      }
      case '1':
        if (has('15')) return at(i, Std.Hour, 2);
        return at(i, Std.NumMonth, 1);
      case '2':
        if (has('2006')) return at(i, Std.LongYear, 4);
        return at(i, Std.Day, 1);
      case '_':
        if (layout[i + 1] === '2') {
          // _2006 is a literal _ followed by the year.
          if (layout.startsWith('2006', i + 1)) return at(i + 1, Std.LongYear, 4, i + 1);
          return at(i, Std.UnderDay, 2);
        }
        if (has('__2')) return at(i, Std.UnderYearDay, 3);
        break;
      case '3':
        return at(i, Std.Hour12, 1);
      case '4':
        return at(i, Std.Minute, 1);
      case '5':
        return at(i, Std.Second, 1);
      case 'P':
        if (has('PM')) return at(i, Std.PM, 2);
        break;
      case 'p':
        if (has('pm')) return at(i, Std.pm, 2);
        break;
      case '-':
        if (has('-070000')) return at(i, Std.NumSecondsTz, 7);
        if (has('-07:00:00')) return at(i, Std.NumColonSecondsTZ, 9);
        if (has('-0700')) return at(i, Std.NumTZ, 5);
        if (has('-07:00')) return at(i, Std.NumColonTZ, 6);
        if (has('-07')) return at(i, Std.NumShortTZ, 3);
        break;
      case 'Z':
        if (has('Z070000')) return at(i, Std.ISO8601SecondsTZ, 7);
        if (has('Z07:00:00')) return at(i, Std.ISO8601ColonSecondsTZ, 9);
        if (has('Z0700')) return at(i, Std.ISO8601TZ, 5);
        if (has('Z07:00')) return at(i, Std.ISO8601ColonTZ, 6);
        if (has('Z07')) return at(i, Std.ISO8601ShortTZ, 3);
        break;
      case '.':
      case ',': {
        const ch = layout[i + 1];
        if (ch === '0' || ch === '9') {
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          if (!isDigitAt(layout, j)) {
            return {
              prefix: layout.slice(0, i),
              std: ch === '0' ? Std.FracSecond0 : Std.FracSecond9,
              digits: (j - (i + 1)) & 0xfff,
              sep: c,
              suffix: layout.slice(j),
            };
          }
        }
        break;
      }
    }
  }
  return { prefix: layout, std: Std.None, digits: 0, sep: '.', suffix: '' };
}

/** appendInt: zero-padded to width, sign first. */
function pad(x: number, width: number): string {
  const s = String(Math.abs(x)).padStart(width, '0');
  return x < 0 ? '-' + s : s;
}

function appendNano(nsec: number, std: Std, digits: number, sep: string): string {
  const trim = std === Std.FracSecond9;
  if (trim && (digits === 0 || nsec === 0)) return '';
  let b = sep + pad(nsec, 9);
  if (digits < 9) b = b.slice(0, b.length - 9 + digits);
  if (trim) {
    b = b.replace(/0+$/, '');
    if (b === sep) b = '';
  }
  return b;
}

const ISO_TZ = new Set([Std.ISO8601TZ, Std.ISO8601ColonTZ, Std.ISO8601SecondsTZ, Std.ISO8601ShortTZ, Std.ISO8601ColonSecondsTZ]);
const NUM_TZ = new Set([Std.NumTZ, Std.NumColonTZ, Std.NumSecondsTz, Std.NumShortTZ, Std.NumColonSecondsTZ]);

/** Time.Format. */
export function formatTime(t: GoTime, layout0: string): string {
  const f = fields(t);
  let layout = layout0;
  let b = '';
  for (;;) {
    const { prefix, std, digits, sep, suffix } = nextStdChunk(layout);
    b += prefix;
    if (std === Std.None) break;
    layout = suffix;
    switch (std) {
      case Std.Year:
        b += pad(Math.abs(f.year) % 100, 2);
        break;
      case Std.LongYear:
        b += pad(f.year, 4);
        break;
      case Std.Month:
        b += SHORT_MONTHS[f.month - 1];
        break;
      case Std.LongMonth:
        b += LONG_MONTHS[f.month - 1];
        break;
      case Std.NumMonth:
        b += String(f.month);
        break;
      case Std.ZeroMonth:
        b += pad(f.month, 2);
        break;
      case Std.WeekDay:
        b += SHORT_DAYS[f.wday];
        break;
      case Std.LongWeekDay:
        b += LONG_DAYS[f.wday];
        break;
      case Std.Day:
        b += String(f.day);
        break;
      case Std.UnderDay:
        b += (f.day < 10 ? ' ' : '') + String(f.day);
        break;
      case Std.ZeroDay:
        b += pad(f.day, 2);
        break;
      case Std.UnderYearDay:
        b += (f.yday < 100 ? (f.yday < 10 ? '  ' : ' ') : '') + String(f.yday);
        break;
      case Std.ZeroYearDay:
        b += pad(f.yday, 3);
        break;
      case Std.Hour:
        b += pad(f.hour, 2);
        break;
      case Std.Hour12:
        b += String(f.hour % 12 || 12);
        break;
      case Std.ZeroHour12:
        b += pad(f.hour % 12 || 12, 2);
        break;
      case Std.Minute:
        b += String(f.min);
        break;
      case Std.ZeroMinute:
        b += pad(f.min, 2);
        break;
      case Std.Second:
        b += String(f.sec);
        break;
      case Std.ZeroSecond:
        b += pad(f.sec, 2);
        break;
      case Std.PM:
        b += f.hour >= 12 ? 'PM' : 'AM';
        break;
      case Std.pm:
        b += f.hour >= 12 ? 'pm' : 'am';
        break;
      case Std.TZ:
        if (f.abbr !== '') {
          b += f.abbr;
        } else {
          const zone = Math.trunc(f.offset / 60);
          b += (zone < 0 ? '-' : '+') + pad(Math.floor(Math.abs(zone) / 60), 2) + pad(Math.abs(zone) % 60, 2);
        }
        break;
      case Std.FracSecond0:
      case Std.FracSecond9:
        b += appendNano(t[T].nsec, std, digits, sep);
        break;
      default: {
        if (f.offset === 0 && ISO_TZ.has(std)) {
          b += 'Z';
          break;
        }
        let zone = Math.trunc(f.offset / 60);
        let absoffset = f.offset;
        if (zone < 0) {
          b += '-';
          zone = -zone;
          absoffset = -absoffset;
        } else b += '+';
        b += pad(Math.floor(zone / 60), 2);
        const colon = std === Std.ISO8601ColonTZ || std === Std.NumColonTZ || std === Std.ISO8601ColonSecondsTZ || std === Std.NumColonSecondsTZ;
        if (colon) b += ':';
        if (std !== Std.NumShortTZ && std !== Std.ISO8601ShortTZ) b += pad(zone % 60, 2);
        if (std === Std.ISO8601SecondsTZ || std === Std.NumSecondsTz || std === Std.NumColonSecondsTZ || std === Std.ISO8601ColonSecondsTZ) {
          if (std === Std.NumColonSecondsTZ || std === Std.ISO8601ColonSecondsTZ) b += ':';
          b += pad(absoffset % 60, 2);
        }
      }
    }
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// Parsing

class Bad extends Error {}

/** Go's leadingInt: digits as a number, or Bad past 2^63. */
function leadingInt(s: string): [number, string] {
  let i = 0;
  let x = 0n;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    x = x * 10n + BigInt(c - 48);
    if (x > 1n << 63n) throw new Bad();
  }
  return [Number(x), s.slice(i)];
}

function atoi(s0: string): number {
  let s = s0;
  let neg = false;
  if (s.length > 0 && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  const [q, rem] = leadingInt(s);
  if (rem.length > 0) throw new Bad();
  return neg ? -q : q;
}

function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigitAt(s, 0)) throw new Bad();
  if (!isDigitAt(s, 1)) {
    if (fixed) throw new Bad();
    return [s.charCodeAt(0) - 48, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2)];
}

function getnum3(s: string, fixed: boolean): [number, string] {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigitAt(s, i); i++) n = n * 10 + (s.charCodeAt(i) - 48);
  if (i === 0 || (fixed && i !== 3)) throw new Bad();
  return [n, s.slice(i)];
}

function skip(value0: string, prefix0: string): string {
  let value = value0;
  let prefix = prefix0;
  while (prefix.length > 0) {
    if (prefix[0] === ' ') {
      if (value.length > 0 && value[0] !== ' ') throw new Bad();
      prefix = prefix.replace(/^ +/, '');
      value = value.replace(/^ +/, '');
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) throw new Bad();
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return value;
}

function lookup(tab: string[], val: string): [number, string] {
  for (let i = 0; i < tab.length; i++) {
    const v = tab[i] as string;
    if (val.length >= v.length && val.slice(0, v.length).toLowerCase() === v.toLowerCase() && /^[A-Za-z]*$/.test(val.slice(0, v.length))) {
      return [i, val.slice(v.length)];
    }
  }
  throw new Bad();
}

const commaOrPeriod = (c: string | undefined): boolean => c === '.' || c === ',';

function parseNanoseconds(value: string, nbytes0: number): number {
  if (!commaOrPeriod(value[0])) throw new Bad();
  const nbytes = Math.min(nbytes0, 10);
  let ns = atoi(value.slice(1, nbytes));
  if (ns < 0) throw new RangeErr('fractional second');
  for (let i = 0; i < 10 - nbytes; i++) ns *= 10;
  return ns;
}

function parseSignedOffset(value: string): number {
  const sign = value[0];
  if (sign !== '-' && sign !== '+') return 0;
  let x: number;
  let rem: string;
  try {
    [x, rem] = leadingInt(value.slice(1));
  } catch {
    return 0;
  }
  if (value.slice(1) === rem || x > 23) return 0;
  return value.length - rem.length;
}

function parseTimeZone(value: string): number {
  if (value.length < 3) return 0;
  if (value.startsWith('ChST') || value.startsWith('MeST')) return 4;
  if (value.startsWith('GMT')) return value.length === 3 ? 3 : 3 + parseSignedOffset(value.slice(3));
  if (value[0] === '+' || value[0] === '-') return parseSignedOffset(value);
  let n = 0;
  for (; n < 6 && n < value.length; n++) {
    const c = value[n] as string;
    if (c < 'A' || c > 'Z') break;
  }
  switch (n) {
    case 5:
      return value[4] === 'T' ? 5 : 0;
    case 4:
      return value[3] === 'T' || value.startsWith('WITA') ? 4 : 0;
    case 3:
      return 3;
  }
  return 0;
}

class RangeErr extends Error {}

export class TimeParseError extends Error {}

/** time.ParseInLocation(layout, value, loc) with Local as the local zone. */
export function parseTime(layout0: string, value0: string, defaultLoc: Location): GoTime {
  const fail = (elem: string, valueElem: string, msg = ''): never => {
    throw new TimeParseError(
      msg
        ? `parsing time ${quote(value0)}${msg}`
        : `parsing time ${quote(value0)} as ${quote(layout0)}: cannot parse ${quote(valueElem)} as ${quote(elem)}`,
    );
  };
  let layout = layout0;
  let value = value0;
  let amSet = false;
  let pmSet = false;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let z: Location | undefined;
  let zoneOffset = -1;
  let zoneName = '';
  for (;;) {
    const chunk = nextStdChunk(layout);
    const { prefix, suffix } = chunk;
    const std = chunk.std;
    const stdstr = layout.slice(prefix.length, layout.length - suffix.length);
    try {
      value = skip(value, prefix);
    } catch {
      fail(prefix, value);
    }
    if (std === Std.None) {
      if (value.length !== 0) fail('', value, `: extra text: ${quote(value)}`);
      break;
    }
    layout = suffix;
    const hold = value;
    let rangeErr = '';
    try {
      switch (std) {
        case Std.Year: {
          if (value.length < 2) throw new Bad();
          const p = value.slice(0, 2);
          value = value.slice(2);
          year = atoi(p);
          year += year >= 69 ? 1900 : 2000;
          break;
        }
        case Std.LongYear:
          if (value.length < 4 || !isDigitAt(value, 0)) throw new Bad();
          year = atoi(value.slice(0, 4));
          value = value.slice(4);
          break;
        case Std.Month:
          [month, value] = lookup(SHORT_MONTHS, value);
          month++;
          break;
        case Std.LongMonth:
          [month, value] = lookup(LONG_MONTHS, value);
          month++;
          break;
        case Std.NumMonth:
        case Std.ZeroMonth:
          [month, value] = getnum(value, std === Std.ZeroMonth);
          if (month <= 0 || month > 12) rangeErr = 'month';
          break;
        case Std.WeekDay:
          [, value] = lookup(SHORT_DAYS, value);
          break;
        case Std.LongWeekDay:
          [, value] = lookup(LONG_DAYS, value);
          break;
        case Std.Day:
        case Std.UnderDay:
        case Std.ZeroDay:
          if (std === Std.UnderDay && value[0] === ' ') value = value.slice(1);
          [day, value] = getnum(value, std === Std.ZeroDay);
          break;
        case Std.UnderYearDay:
        case Std.ZeroYearDay:
          for (let i = 0; i < 2; i++) if (std === Std.UnderYearDay && value[0] === ' ') value = value.slice(1);
          [yday, value] = getnum3(value, std === Std.ZeroYearDay);
          break;
        case Std.Hour:
          [hour, value] = getnum(value, false);
          if (hour < 0 || hour >= 24) rangeErr = 'hour';
          break;
        case Std.Hour12:
        case Std.ZeroHour12:
          [hour, value] = getnum(value, std === Std.ZeroHour12);
          if (hour < 0 || hour > 12) rangeErr = 'hour';
          break;
        case Std.Minute:
        case Std.ZeroMinute:
          [min, value] = getnum(value, std === Std.ZeroMinute);
          if (min < 0 || min >= 60) rangeErr = 'minute';
          break;
        case Std.Second:
        case Std.ZeroSecond: {
          [sec, value] = getnum(value, std === Std.ZeroSecond);
          if (sec < 0 || sec >= 60) {
            rangeErr = 'second';
            break;
          }
          if (value.length >= 2 && commaOrPeriod(value[0]) && isDigitAt(value, 1)) {
            const next = nextStdChunk(layout).std;
            if (next === Std.FracSecond0 || next === Std.FracSecond9) break;
            let n = 2;
            while (n < value.length && isDigitAt(value, n)) n++;
            nsec = parseNanoseconds(value, n);
            value = value.slice(n);
          }
          break;
        }
        case Std.PM:
        case Std.pm: {
          if (value.length < 2) throw new Bad();
          const p = value.slice(0, 2);
          value = value.slice(2);
          const [am, pm] = std === Std.PM ? ['AM', 'PM'] : ['am', 'pm'];
          if (p === pm) pmSet = true;
          else if (p === am) amSet = true;
          else throw new Bad();
          break;
        }
        case Std.TZ: {
          if (value.startsWith('UTC')) {
            z = UTC;
            value = value.slice(3);
            break;
          }
          const n = parseTimeZone(value);
          if (n === 0) throw new Bad();
          zoneName = value.slice(0, n);
          value = value.slice(n);
          break;
        }
        case Std.FracSecond0: {
          const ndigit = 1 + chunk.digits;
          if (value.length < ndigit) throw new Bad();
          nsec = parseNanoseconds(value, ndigit);
          value = value.slice(ndigit);
          break;
        }
        case Std.FracSecond9: {
          if (value.length < 2 || !commaOrPeriod(value[0]) || !isDigitAt(value, 1)) break;
          let i = 0;
          while (i + 1 < value.length && isDigitAt(value, i + 1)) i++;
          nsec = parseNanoseconds(value, 1 + i);
          value = value.slice(1 + i);
          break;
        }
        default: {
          if (ISO_TZ.has(std) && value[0] === 'Z') {
            value = value.slice(1);
            z = UTC;
            break;
          }
          if (!ISO_TZ.has(std) && !NUM_TZ.has(std)) break;
          let sign: string;
          let hh: string;
          let mm: string;
          let ss = '00';
          if (std === Std.ISO8601ColonTZ || std === Std.NumColonTZ) {
            if (value.length < 6 || value[3] !== ':') throw new Bad();
            [sign, hh, mm, value] = [value.slice(0, 1), value.slice(1, 3), value.slice(4, 6), value.slice(6)];
          } else if (std === Std.NumShortTZ || std === Std.ISO8601ShortTZ) {
            if (value.length < 3) throw new Bad();
            [sign, hh, mm, value] = [value.slice(0, 1), value.slice(1, 3), '00', value.slice(3)];
          } else if (std === Std.ISO8601ColonSecondsTZ || std === Std.NumColonSecondsTZ) {
            if (value.length < 9 || value[3] !== ':' || value[6] !== ':') throw new Bad();
            [sign, hh, mm, ss, value] = [value.slice(0, 1), value.slice(1, 3), value.slice(4, 6), value.slice(7, 9), value.slice(9)];
          } else if (std === Std.ISO8601SecondsTZ || std === Std.NumSecondsTz) {
            if (value.length < 7) throw new Bad();
            [sign, hh, mm, ss, value] = [value.slice(0, 1), value.slice(1, 3), value.slice(3, 5), value.slice(5, 7), value.slice(7)];
          } else {
            if (value.length < 5) throw new Bad();
            [sign, hh, mm, value] = [value.slice(0, 1), value.slice(1, 3), value.slice(3, 5), value.slice(5)];
          }
          let hr = 0;
          let mi = 0;
          let se = 0;
          let bad = false;
          try {
            hr = getnum(hh, true)[0];
            mi = getnum(mm, true)[0];
            se = getnum(ss, true)[0];
          } catch {
            bad = true;
          }
          if (hr > 24) rangeErr = 'time zone offset hour';
          if (mi > 60) rangeErr = 'time zone offset minute';
          if (se > 60) rangeErr = 'time zone offset second';
          zoneOffset = (hr * 60 + mi) * 60 + se;
          if (sign === '-') zoneOffset = -zoneOffset;
          else if (sign !== '+') bad = true;
          if (bad && !rangeErr) throw new Bad();
        }
      }
    } catch (e) {
      if (e instanceof RangeErr) fail(stdstr, value, `: ${e.message} out of range`);
      if (!(e instanceof Bad)) throw e;
      fail(stdstr, hold);
    }
    if (rangeErr) fail(stdstr, value, `: ${rangeErr} out of range`);
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;

  if (yday >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(year)) {
      if (yday === 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) yday--;
    }
    if (yday < 1 || yday > 365) fail('', value, ': day-of-year out of range');
    if (m === 0) {
      m = Math.floor((yday - 1) / 31) + 1;
      const daysBefore = (mm: number): number => daysFromCivil(2001, mm, 1) - daysFromCivil(2001, 1, 1);
      if (m < 12 && daysBefore(m + 1) < yday) m++;
      d = yday - daysBefore(m);
    }
    if (month >= 0 && month !== m) fail('', value, ': day-of-year does not match month');
    month = m;
    if (day >= 0 && day !== d) fail('', value, ': day-of-year does not match day');
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) fail('', value, ': day out of range');

  if (z) return makeDate(year, month, day, hour, min, sec, nsec, z);
  if (zoneOffset !== -1) {
    const t = makeDate(year, month, day, hour, min, sec, nsec, UTC);
    const unix = t[T].sec - zoneOffset;
    const local = LOCAL.lookup(unix);
    if (local.offset === zoneOffset && (zoneName === '' || local.abbr === zoneName)) return new GoTime(unix, nsec, LOCAL);
    return new GoTime(unix, nsec, fixedZone(zoneName, zoneOffset));
  }
  if (zoneName !== '') {
    const t = makeDate(year, month, day, hour, min, sec, nsec, UTC);
    const local = LOCAL.lookup(t[T].sec);
    if (local.abbr === zoneName) return new GoTime(t[T].sec - local.offset, nsec, LOCAL);
    let offset = 0;
    if (zoneName.length > 3 && zoneName.startsWith('GMT')) offset = atoi(zoneName.slice(3)) * 3600;
    // Go attaches the zone without moving the instant: the clock reading is taken as UTC.
    return new GoTime(t[T].sec, nsec, fixedZone(zoneName, offset));
  }
  return makeDate(year, month, day, hour, min, sec, nsec, defaultLoc);
}

// ---------------------------------------------------------------------------------------------
// Durations

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n,
  'μs': 1000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX = 1n << 63n;

/** time.ParseDuration in nanoseconds; throws Go's error text. */
export function parseDuration(orig: string): bigint {
  const err = (msg: string): never => {
    throw new Error(`time: ${msg} ${quote(orig)}`);
  };
  let s = orig;
  let d = 0n;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') err('invalid duration');
  while (s !== '') {
    let v = 0n;
    let f = 0n;
    let scale = 1;
    if (!(s[0] === '.' || isDigitAt(s, 0))) err('invalid duration');
    const pl = s.length;
    let i = 0;
    while (isDigitAt(s, i)) {
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > MAX) err('invalid duration');
      i++;
    }
    s = s.slice(i);
    const pre = pl !== s.length;
    let post = false;
    if (s[0] === '.') {
      s = s.slice(1);
      const pl2 = s.length;
      let overflow = false;
      let j = 0;
      for (; isDigitAt(s, j); j++) {
        if (overflow) continue;
        if (f > (MAX - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(s.charCodeAt(j) - 48);
        if (y > MAX) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      s = s.slice(j);
      post = pl2 !== s.length;
    }
    if (!pre && !post) err('invalid duration');
    let k = 0;
    while (k < s.length && !(s[k] === '.' || isDigitAt(s, k))) k++;
    if (k === 0) err('missing unit in duration');
    const u = s.slice(0, k);
    s = s.slice(k);
    const unit = UNITS[u];
    if (unit === undefined) err(`unknown unit ${quote(u)} in duration`);
    const un = unit as bigint;
    if (v > MAX / un) err('invalid duration');
    v *= un;
    if (f > 0n) {
      // Go computes this part in float64.
      v += BigInt(Math.trunc(Number(f) * (Number(un) / scale)));
      if (v > MAX) err('invalid duration');
    }
    d += v;
    if (d > MAX) err('invalid duration');
  }
  if (neg) return -d;
  if (d > MAX - 1n) err('invalid duration');
  return d;
}

/** time.Duration.String. */
export function durationString(d: bigint): string {
  if (d === 0n) return '0s';
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  const frac = (v: bigint, prec: number): string => {
    const p = 10n ** BigInt(prec);
    const whole = v / p;
    let f = String(v % p).padStart(prec, '0').replace(/0+$/, '');
    if (f !== '') f = '.' + f;
    return String(whole) + f;
  };
  if (u < 1_000_000_000n) {
    if (u < 1000n) out = `${u}ns`;
    else if (u < 1_000_000n) out = frac(u, 3) + 'µs';
    else out = frac(u, 6) + 'ms';
  } else {
    const h = u / 3_600_000_000_000n;
    u -= h * 3_600_000_000_000n;
    const m = u / 60_000_000_000n;
    u -= m * 60_000_000_000n;
    const sec = frac(u, 9) + 's';
    out = h > 0n ? `${h}h${m}m${sec}` : m > 0n ? `${m}m${sec}` : sec;
  }
  return neg ? '-' + out : out;
}

/** Duration.Round(time.Second). */
export function roundToSecond(d: bigint): bigint {
  const m = 1_000_000_000n;
  let r = d % m;
  if (d < 0n) {
    r = -r;
    return r + r < m ? d + r : d + r - m;
  }
  return r + r < m ? d - r : d + m - r;
}

