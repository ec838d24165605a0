/**
 * sprig's urlParse/urlJoin over a port of Go's net/url (`Parse`, `URL.String`, `Hostname`,
 * `Userinfo.String`), so the keys urlParse returns and what urlJoin reassembles (escaping
 * included) are Go's. net/url works on bytes: the port runs on "binary strings" (one char per
 * byte) and converts at the edges, so non-ASCII text and escaped invalid bytes come out as Go's.
 */
import { isIPv6 } from 'node:net';
import { quote } from '../fmt';
import { GoFuncDef, GoValue, goBytesToString, goKindName, goStringToBytes, isGoMap } from '../value';
import { goPanic, NIL_DEREF } from './util';

const PATH = 1;
const PATH_SEGMENT = 2;
const HOST = 4;
const ZONE = 8;
const USER_PASSWORD = 16;
const QUERY_COMPONENT = 32;
const FRAGMENT = 64;
type Mode = number;

function toBin(s: string): string {
  const b = goStringToBytes(s);
  let out = '';
  for (let i = 0; i < b.length; i++) out += String.fromCharCode(b[i] as number);
  return out;
}

function fromBin(s: string): string {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return goBytesToString(b);
}

class UrlError extends Error {}

const isAlnum = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const unhex = (c: string): number => parseInt(c, 16);

/** net/url's shouldEscape (the generator of its encoding table). */
function shouldEscape(c: string, mode: Mode): boolean {
  if (c.length === 1 && isAlnum(c)) return false;
  if (mode === HOST || mode === ZONE) {
    if ("!$&'()*+,;=:[]<>\"".includes(c)) return false;
  }
  if ('-_.~'.includes(c)) return false;
  if ('$&+,/:;=?@'.includes(c)) {
    switch (mode) {
      case PATH:
        return c === '?';
      case PATH_SEGMENT:
        return c === '/' || c === ';' || c === ',' || c === '?';
      case USER_PASSWORD:
        return c === '@' || c === '/' || c === '?' || c === ':';
      case QUERY_COMPONENT:
        return true;
      case FRAGMENT:
        return false;
    }
  }
  if (mode === FRAGMENT && '!()*'.includes(c)) return false;
  return true;
}

/** Go's quoting of a byte string in error texts. */
function q(bin: string): string {
  return quote(fromBin(bin));
}

function unescape(s: string, mode: Mode): string {
  let n = 0;
  let hasPlus = false;
  for (let i = 0; i < s.length; ) {
    const c = s[i] as string;
    if (c === '%') {
      n++;
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) {
        const bad = s.slice(i, i + 3);
        throw new UrlError(`invalid URL escape ${q(bad)}`);
      }
      if (mode === HOST && unhex(s[i + 1] as string) < 8 && s.slice(i, i + 3) !== '%25') {
        throw new UrlError(`invalid URL escape ${q(s.slice(i, i + 3))}`);
      }
      if (mode === ZONE) {
        const v = String.fromCharCode((unhex(s[i + 1] as string) << 4) | unhex(s[i + 2] as string));
        if (s.slice(i, i + 3) !== '%25' && v !== ' ' && shouldEscape(v, HOST)) {
          throw new UrlError(`invalid URL escape ${q(s.slice(i, i + 3))}`);
        }
      }
      i += 3;
    } else if (c === '+') {
      hasPlus = mode === QUERY_COMPONENT;
      i++;
    } else {
      if ((mode === HOST || mode === ZONE) && c.charCodeAt(0) < 0x80 && shouldEscape(c, mode)) {
        throw new UrlError(`invalid character ${q(c)} in host name`);
      }
      i++;
    }
  }
  if (n === 0 && !hasPlus) return s;
  let t = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '%') {
      t += String.fromCharCode((unhex(s[i + 1] as string) << 4) | unhex(s[i + 2] as string));
      i += 2;
    } else if (c === '+') t += mode === QUERY_COMPONENT ? ' ' : '+';
    else t += c;
  }
  return t;
}

function escape(s: string, mode: Mode): string {
  let t = '';
  for (const c of s) {
    if (c === ' ' && mode === QUERY_COMPONENT) t += '+';
    else if (shouldEscape(c, mode)) t += '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
    else t += c;
  }
  return t;
}

interface User {
  username: string;
  password: string;
  passwordSet: boolean;
}

interface Url {
  scheme: string;
  opaque: string;
  user: User | undefined;
  host: string;
  path: string;
  rawPath: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
  rawFragment: string;
}

function userString(u: User): string {
  let s = escape(u.username, USER_PASSWORD);
  if (u.passwordSet) s += ':' + escape(u.password, USER_PASSWORD);
  return s;
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c === '+' || c === '-' || c === '.') {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new UrlError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  return /^[0-9]*$/.test(port.slice(1));
}

/** netip.ParseAddr accepting only what parseHost lets through (IPv6, optionally with a zone). */
function checkIPv6(addr: string): void {
  const pct = addr.indexOf('%');
  const ip = pct >= 0 ? addr.slice(0, pct) : addr;
  if (pct >= 0 && pct === addr.length - 1) throw new UrlError(`invalid host: ParseAddr(${q(addr)}): zone must be a non-empty string`);
  if (/^[0-9.]+$/.test(ip)) throw new UrlError('invalid IP-literal');
  if (!isIPv6(ip)) throw new UrlError(`invalid host: ParseAddr(${q(addr)}): unable to parse IP`);
}

function parseHost(host: string): string {
  const open = host.lastIndexOf('[');
  if (open > 0) throw new UrlError('invalid IP-literal');
  if (open === 0) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new UrlError("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${q(colonPort)} after host`);
    const port = unescape(colonPort, HOST);
    const hostname = host.slice(1, close);
    const zoneIdx = hostname.indexOf('%25');
    const unescaped =
      zoneIdx >= 0 ? unescape(hostname.slice(0, zoneIdx), HOST) + unescape(hostname.slice(zoneIdx), ZONE) : unescape(hostname, HOST);
    checkIPv6(unescaped);
    return '[' + unescaped + ']' + port;
  }
  // The colon before the port is the last one (Go's behaviour before urlstrictcolons, and the
  // oracle's with its go.mod).
  const i = host.lastIndexOf(':');
  if (i !== -1) {
    const colonPort = host.slice(i);
    if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${q(colonPort)} after host`);
  }
  return unescape(host, HOST);
}

function validUserinfo(s: string): boolean {
  return /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(s);
}

function parseAuthority(authority: string): [User | undefined, string] {
  const i = authority.lastIndexOf('@');
  const host = parseHost(i < 0 ? authority : authority.slice(i + 1));
  if (i < 0) return [undefined, host];
  const userinfo = authority.slice(0, i);
  if (!validUserinfo(userinfo)) throw new UrlError('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  if (colon < 0) return [{ username: unescape(userinfo, USER_PASSWORD), password: '', passwordSet: false }, host];
  return [
    {
      username: unescape(userinfo.slice(0, colon), USER_PASSWORD),
      password: unescape(userinfo.slice(colon + 1), USER_PASSWORD),
      passwordSet: true,
    },
    host,
  ];
}

function emptyUrl(): Url {
  return {
    scheme: '',
    opaque: '',
    user: undefined,
    host: '',
    path: '',
    rawPath: '',
    omitHost: false,
    forceQuery: false,
    rawQuery: '',
    fragment: '',
    rawFragment: '',
  };
}

function parseNoFragment(raw: string): Url {
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new UrlError('net/url: invalid control character in URL');
  const url = emptyUrl();
  if (raw === '*') {
    url.path = '*';
    return url;
  }
  const split = getScheme(raw);
  let rest = split[1];
  url.scheme = split[0].toLowerCase();
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    url.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const qi = rest.indexOf('?');
    if (qi >= 0) {
      url.rawQuery = rest.slice(qi + 1);
      rest = rest.slice(0, qi);
    }
  }
  if (!rest.startsWith('/')) {
    if (url.scheme !== '') {
      url.opaque = rest;
      return url;
    }
    const slash = rest.indexOf('/');
    const segment = slash >= 0 ? rest.slice(0, slash) : rest;
    if (segment.includes(':')) throw new UrlError('first path segment in URL cannot contain colon');
  }
  if ((url.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    [url.user, url.host] = parseAuthority(authority);
  } else if (url.scheme !== '' && rest.startsWith('/')) {
    url.omitHost = true;
  }
  url.path = unescape(rest, PATH);
  url.rawPath = escape(url.path, PATH) === rest ? '' : rest;
  return url;
}

/** url.Parse on a binary string; throws Go's error text. */
function parseUrl(raw: string): Url {
  const hash = raw.indexOf('#');
  const u = hash >= 0 ? raw.slice(0, hash) : raw;
  const frag = hash >= 0 ? raw.slice(hash + 1) : '';
  let url: Url;
  try {
    url = parseNoFragment(u);
  } catch (e) {
    throw new UrlError(`parse ${q(u)}: ${(e as Error).message}`);
  }
  if (frag === '') return url;
  try {
    url.fragment = unescape(frag, FRAGMENT);
  } catch (e) {
    throw new UrlError(`parse ${q(raw)}: ${(e as Error).message}`);
  }
  url.rawFragment = escape(url.fragment, FRAGMENT) === frag ? '' : frag;
  return url;
}

function validEncoded(s: string, mode: Mode): boolean {
  for (const c of s) {
    if ("!$&'()*+,;=:@[]%".includes(c)) continue;
    if (shouldEscape(c, mode)) return false;
  }
  return true;
}

function escapedPath(u: Url): string {
  if (u.rawPath !== '' && validEncoded(u.rawPath, PATH)) {
    try {
      if (unescape(u.rawPath, PATH) === u.path) return u.rawPath;
    } catch {
      // fall through to escaping Path, as Go does
    }
  }
  if (u.path === '*') return '*';
  return escape(u.path, PATH);
}

function escapedFragment(u: Url): string {
  if (u.rawFragment !== '' && validEncoded(u.rawFragment, FRAGMENT)) {
    try {
      if (unescape(u.rawFragment, FRAGMENT) === u.fragment) return u.rawFragment;
    } catch {
      // fall through
    }
  }
  return escape(u.fragment, FRAGMENT);
}

/** URL.String. */
function urlString(u: Url): string {
  let buf = '';
  if (u.scheme !== '') buf += u.scheme + ':';
  if (u.opaque !== '') {
    buf += u.opaque;
  } else {
    if (u.scheme !== '' || u.host !== '' || u.user !== undefined) {
      if (!(u.omitHost && u.host === '' && u.user === undefined)) {
        if (u.host !== '' || u.path !== '' || u.user !== undefined) buf += '//';
        if (u.user !== undefined) buf += userString(u.user) + '@';
        if (u.host !== '') buf += escape(u.host, HOST);
      }
    }
    const path = escapedPath(u);
    if (path !== '' && path[0] !== '/' && u.host !== '') buf += '/';
    if (buf.length === 0) {
      const slash = path.indexOf('/');
      if ((slash >= 0 ? path.slice(0, slash) : path).includes(':')) buf += './';
    }
    buf += path;
  }
  if (u.forceQuery || u.rawQuery !== '') buf += '?' + u.rawQuery;
  if (u.fragment !== '') buf += '#' + escapedFragment(u);
  return buf;
}

/** URL.Hostname (splitHostPort without the port). */
function hostname(hostPort: string): string {
  let host = hostPort;
  const colon = host.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(host.slice(colon))) host = host.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return host;
}

function urlParse(v: string): GoValue {
  let u: Url;
  try {
    u = parseUrl(toBin(v));
  } catch (e) {
    if (e instanceof UrlError) goPanic(`unable to parse url: ${e.message}`);
    throw e;
  }
  return {
    scheme: fromBin(u.scheme),
    host: fromBin(u.host),
    hostname: fromBin(hostname(u.host)),
    path: fromBin(u.path),
    query: fromBin(u.rawQuery),
    opaque: fromBin(u.opaque),
    fragment: fromBin(u.fragment),
    userinfo: u.user ? fromBin(userString(u.user)) : '',
  };
}

/** sprig's dictGetOrEmpty: a missing key is "", a non-string panics. */
function dictGetOrEmpty(d: Record<string, GoValue>, key: string): string {
  if (!Object.hasOwn(d, key)) return '';
  const v = d[key] as GoValue;
  // reflect.TypeOf(nil).Kind() dereferences a nil Type.
  if (v === null) goPanic(NIL_DEREF);
  if (typeof v !== 'string') goPanic(`unable to parse ${key} key, must be of type string, but ${goKindName(v)} found`);
  return toBin(v);
}

function urlJoin(d: GoValue): string {
  const m = d !== null && isGoMap(d) ? d : {};
  const u = emptyUrl();
  u.scheme = dictGetOrEmpty(m, 'scheme');
  u.host = dictGetOrEmpty(m, 'host');
  u.path = dictGetOrEmpty(m, 'path');
  u.rawQuery = dictGetOrEmpty(m, 'query');
  u.opaque = dictGetOrEmpty(m, 'opaque');
  u.fragment = dictGetOrEmpty(m, 'fragment');
  const userinfo = dictGetOrEmpty(m, 'userinfo');
  if (userinfo !== '') {
    try {
      u.user = parseUrl(`proto://${userinfo}@host`).user;
    } catch (e) {
      if (e instanceof UrlError) goPanic(`unable to parse userinfo in dict: ${e.message}`);
      throw e;
    }
  }
  return fromBin(urlString(u));
}

export const urlFuncs: Record<string, GoFuncDef> = {
  urlParse: { params: ['string'], fn: (v) => urlParse(v as string) },
  urlJoin: { params: ['map[string]interface {}'], fn: (d) => urlJoin(d) },
};
