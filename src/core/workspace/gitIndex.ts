/**
 * Reads the paths a Git index (`.git/index`) tracks, without running git: an untrusted
 * workspace runs no binary. Format: gitformat-index(5), versions 2, 3 and 4.
 *
 * Anything this reader cannot vouch for — a split index (its entries live partly in another
 * file), a sparse index or sparse checkout (tracked files that are not on disk), an unknown
 * required extension, a checksum that does not match — is a failure with a reason, and the
 * caller falls back to an approximation rather than trusting a partial list.
 */
import { createHash } from 'node:crypto';

export interface GitIndexEntries {
  version: number;
  /** Repository-relative paths of every entry (files, symlinks and submodules), `/`-separated. */
  paths: string[];
  /** The entries that are submodules (gitlinks): folders for the working tree. */
  gitlinks: string[];
}

export type GitIndexResult = { ok: true; index: GitIndexEntries } | { ok: false; reason: string };

/** Object ids are SHA-1 (20 bytes) unless the repository uses `extensions.objectFormat = sha256`. */
export type HashLength = 20 | 32;

const SIGNATURE = 0x44495243; // "DIRC"
const MODE_TYPE_MASK = 0o170000;
const MODE_GITLINK = 0o160000;
const MODE_DIRECTORY = 0o040000;
const FLAG_EXTENDED = 0x4000;
const FLAG_NAME_MASK = 0x0fff;
const EXT_FLAG_SKIP_WORKTREE = 0x4000;

export function parseGitIndex(buf: Buffer, hashLength: HashLength = 20): GitIndexResult {
  const fail = (reason: string): GitIndexResult => ({ ok: false, reason });
  if (buf.length < 12 + hashLength) return fail('the index file is truncated');
  if (buf.readUInt32BE(0) !== SIGNATURE) return fail('the index file has no DIRC signature');
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 4) return fail(`index version ${version} is not supported`);
  const count = buf.readUInt32BE(8);
  const end = buf.length - hashLength;
  const trailer = buf.subarray(end);
  // index.skipHash writes a zero checksum; anything else must match, or the file is torn.
  if (trailer.some((b) => b !== 0)) {
    const digest = createHash(hashLength === 20 ? 'sha1' : 'sha256').update(buf.subarray(0, end)).digest();
    if (!digest.equals(trailer)) return fail('the index checksum does not match (corrupt, or being written)');
  }

  const fixed = 40 + hashLength; // ctime, mtime, dev, ino, mode, uid, gid, size, object id
  // Each entry takes at least its fixed part, its flags and a NUL: a larger count is a lie.
  if (count > (end - 12) / (fixed + 3)) return fail('the index file is corrupt (entry count)');
  const paths: string[] = [];
  const gitlinks: string[] = [];
  // Version 4 strips a prefix of the previous path: keep its bytes, not its decoded text.
  let prev: Buffer = Buffer.alloc(0);
  let pos = 12;
  for (let i = 0; i < count; i++) {
    const start = pos;
    if (start + fixed + 2 > end) return fail('the index file is truncated');
    const mode = buf.readUInt32BE(start + 24);
    const flags = buf.readUInt16BE(start + fixed);
    pos = start + fixed + 2;
    if (flags & FLAG_EXTENDED) {
      if (version < 3) return fail('an extended entry in a version 2 index');
      if (pos + 2 > end) return fail('the index file is truncated');
      const extended = buf.readUInt16BE(pos);
      pos += 2;
      if (extended & EXT_FLAG_SKIP_WORKTREE) return fail('the repository uses a sparse checkout (files Git tracks are not on disk)');
    }
    if ((mode & MODE_TYPE_MASK) === MODE_DIRECTORY) return fail('the index is sparse (it holds folders, not files)');
    let pathBytes: Buffer;
    if (version === 4) {
      const { value: strip, next } = readVarint(buf, pos, end);
      if (next < 0 || strip > prev.length) return fail('the index file is corrupt (bad path prefix)');
      pos = next;
      const nul = buf.indexOf(0, pos);
      if (nul < 0 || nul >= end) return fail('the index file is truncated');
      pathBytes = Buffer.concat([prev.subarray(0, prev.length - strip), buf.subarray(pos, nul)]);
      pos = nul + 1;
      prev = pathBytes;
    } else {
      const nameLength = flags & FLAG_NAME_MASK;
      // Names of 0xFFF bytes or more carry 0xFFF: the NUL ends them.
      const nul = nameLength < FLAG_NAME_MASK ? pos + nameLength : buf.indexOf(0, pos);
      if (nul < 0 || nul >= end || buf[nul] !== 0) return fail('the index file is corrupt (bad path length)');
      pathBytes = buf.subarray(pos, nul);
      // 1 to 8 NUL bytes pad each entry to a multiple of 8.
      pos = start + ((nul - start + 8) & ~7);
      if (pos > end) return fail('the index file is truncated');
    }
    const path = pathBytes.toString('utf8');
    paths.push(path);
    if ((mode & MODE_TYPE_MASK) === MODE_GITLINK) gitlinks.push(path);
  }

  // Extensions: a lower-case signature is required to understand the index; upper-case ones are
  // caches that can be skipped.
  while (pos + 8 <= end) {
    const signature = buf.toString('latin1', pos, pos + 4);
    const size = buf.readUInt32BE(pos + 4);
    if (signature === 'link') return fail('the index is split (core.splitIndex): part of it lives in a shared index file');
    if (signature === 'sdir') return fail('the index is sparse (it holds folders, not files)');
    const first = signature.charCodeAt(0);
    if (!(first >= 0x41 && first <= 0x5a)) return fail(`the index has an extension this reader does not know ("${signature}")`);
    pos += 8 + size;
  }
  if (pos !== end) return fail('the index file is corrupt (extensions do not end at the checksum)');
  return { ok: true, index: { version, paths, gitlinks } };
}

/** Git's offset varint (varint.c): big-endian groups of 7 bits, each continuation adding one. */
function readVarint(buf: Buffer, pos: number, end: number): { value: number; next: number } {
  if (pos >= end) return { value: 0, next: -1 };
  let c = buf[pos++] as number;
  let value = c & 127;
  while (c & 128) {
    if (pos >= end || value > 0xffffff) return { value: 0, next: -1 };
    value += 1;
    c = buf[pos++] as number;
    value = value * 128 + (c & 127);
  }
  return { value, next: pos };
}
