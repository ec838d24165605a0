/**
 * A packaged Helm chart (`.tgz`: a gzip'd tar whose entries all sit under one folder, the
 * chart's name) read into memory. Nothing is written anywhere: the entries become a map of
 * chart-relative paths to bytes, so a hostile archive (`../../etc/x`, a link, a device) cannot
 * place a file outside the cache. Sizes are bounded before anything large is allocated: charts
 * are kilobytes to a few megabytes, so a "chart" that inflates past the bound is refused.
 *
 * Formats read: ustar (name + prefix), GNU long names (`L`) and pax headers (`x`: `path`,
 * `size`), as `helm package` (Go archive/tar) and other tools write them. Only regular files are
 * kept; links, folders and special entries are skipped.
 */
import { gunzipSync, gzipSync } from 'node:zlib';

export interface TarballLimits {
  /** Inflated size of the whole archive. */
  maxBytes: number;
  maxEntries: number;
}

export const CHART_TARBALL_LIMITS: TarballLimits = { maxBytes: 64 * 1024 * 1024, maxEntries: 20_000 };

export class TarballError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TarballError';
  }
}

/** Entries of a gzip'd tar (or a plain tar) by path as written in the archive. */
export function readTarball(bytes: Uint8Array, limits: TarballLimits = CHART_TARBALL_LIMITS): Map<string, Buffer> {
  let tar: Buffer;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      tar = gunzipSync(bytes, { maxOutputLength: limits.maxBytes });
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw new TarballError(code === 'ERR_BUFFER_TOO_LARGE' ? `the archive inflates to more than ${limits.maxBytes} bytes` : `not a valid gzip stream (${(e as Error).message})`);
    }
  } else tar = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return readTar(tar, limits);
}

function readTar(tar: Buffer, limits: TarballLimits): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let offset = 0;
  let entries = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  let paxSize: number | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break; // end of archive
    if (++entries > limits.maxEntries) throw new TarballError(`the archive has more than ${limits.maxEntries} entries`);
    if (!checksumOk(header)) throw new TarballError(`bad header checksum at byte ${offset}`);
    const type = String.fromCharCode(header[156] ?? 0);
    const size = paxSize ?? octal(header.subarray(124, 136));
    if (size === undefined || size < 0 || offset + 512 + size > tar.length) throw new TarballError(`entry at byte ${offset} runs past the end of the archive`);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = cString(body);
      continue;
    }
    if (type === 'x') {
      const pax = parsePax(body);
      paxPath = pax.get('path');
      const s = pax.get('size');
      paxSize = s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined;
      continue;
    }
    if (type === 'g') continue; // global pax header: nothing we use
    const ustar = header.subarray(257, 262).toString('latin1') === 'ustar';
    const prefix = ustar ? cString(header.subarray(345, 500)) : '';
    const name = paxPath ?? longName ?? (prefix ? `${prefix}/${cString(header.subarray(0, 100))}` : cString(header.subarray(0, 100)));
    longName = paxPath = paxSize = undefined;
    if (type !== '0' && type !== '\0' && type !== '7') continue; // folders, links, devices
    out.set(name, Buffer.from(body));
  }
  return out;
}

function checksumOk(header: Buffer): boolean {
  const stored = octal(header.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] as number);
  return stored === sum;
}

/** A numeric header field: octal text, or base-256 when the high bit is set (GNU, large files). */
function octal(field: Buffer): number | undefined {
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let n = (field[0] as number) & 0x7f;
    for (let i = 1; i < field.length; i++) n = n * 256 + (field[i] as number);
    return n;
  }
  const text = cString(field).trim();
  if (text === '') return 0;
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : undefined;
}

function cString(b: Buffer): string {
  const end = b.indexOf(0);
  return b.subarray(0, end < 0 ? b.length : end).toString('utf8');
}

/** `len key=value\n` records. */
function parsePax(body: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < body.length) {
    const space = body.indexOf(0x20, i);
    if (space < 0) break;
    const len = Number(body.subarray(i, space).toString('latin1'));
    if (!Number.isInteger(len) || len <= 0 || i + len > body.length) break;
    const record = body.subarray(space + 1, i + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    i += len;
  }
  return out;
}

/**
 * The files of a packaged chart, relative to its one top folder (`app-template/values.yaml` →
 * `values.yaml`). Entries outside that folder, or with `..` or an absolute path, are dropped.
 */
export function chartArchiveFiles(entries: ReadonlyMap<string, Buffer>): { top: string; files: Map<string, Buffer> } | undefined {
  let top: string | undefined;
  const files = new Map<string, Buffer>();
  for (const [name, bytes] of entries) {
    const parts = name.replace(/^\.\//, '').split('/');
    if (name.startsWith('/') || parts.some((p) => p === '..') || parts.length < 2) continue;
    const head = parts[0] as string;
    top ??= head;
    if (head !== top) continue;
    files.set(parts.slice(1).filter((p) => p !== '' && p !== '.').join('/'), bytes);
  }
  return top === undefined ? undefined : { top, files };
}

/**
 * A gzip'd ustar of `files` (archive path → bytes), as `helm package` lays a chart out (every
 * path under the chart's folder); a path over ustar's 100 bytes gets a pax `path` record, which
 * readTarball reads back.
 */
export function writeTarball(files: ReadonlyMap<string, Buffer>): Buffer {
  const parts: Buffer[] = [];
  const push = (name: string, body: Buffer, type: string) => {
    parts.push(tarHeader(name, body.length, type), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  };
  for (const [name, body] of files) {
    if (Buffer.byteLength(name) > 100) {
      const record = (len: number) => `${len} path=${name}\n`;
      let len = Buffer.byteLength(record(0));
      while (Buffer.byteLength(record(len)) !== len) len = Buffer.byteLength(record(len));
      push('././@PaxHeader', Buffer.from(record(len)), 'x');
    }
    push(Buffer.byteLength(name) > 100 ? name.slice(0, 100) : name, body, '0');
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

function tarHeader(name: string, size: number, type: string): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}
