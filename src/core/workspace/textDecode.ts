/**
 * File bytes to text the way the consumers read them. Every consumer of a repository's YAML and
 * JSON (Argo CD and kubectl through sigs.k8s.io/yaml, kustomize through kyaml, helm) rejects
 * bytes that are not UTF-8 ("yaml: invalid leading UTF-8 octet"), even in a comment, and
 * accepts UTF-16 with a byte-order mark. Decoding invalid bytes to U+FFFD would hand the engine
 * names no consumer ever sees (an app named `caf�`), so an invalid file yields its first bad
 * byte's position instead of text.
 */
import { isUtf8 } from 'node:buffer';
import type { Position } from '../problems';

export type Decoded = { ok: true; text: string } | { ok: false; position: Position; offset: number };

export function decodeText(bytes: Buffer): Decoded {
  if (bytes.length >= 2) {
    // UTF-16 with a byte-order mark (go-yaml reads it); the mark stays, as U+FEFF, like UTF-8's.
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return { ok: true, text: bytes.toString('utf16le') };
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return { ok: true, text: Buffer.from(bytes).swap16().toString('utf16le') };
  }
  if (isUtf8(bytes)) return { ok: true, text: bytes.toString('utf8') };
  const offset = firstInvalidUtf8(bytes);
  const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
  let line = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
  // Columns count UTF-16 code units, like every position the engine reports.
  const character = bytes.toString('utf8', lineStart, offset).length;
  return { ok: false, position: { line, character }, offset };
}

/** Whether the bytes start with a UTF-16 byte-order mark (such text holds NUL bytes). */
export function hasUtf16Bom(bytes: Buffer): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min = 0x80;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) min = 0xa0; // overlong
      if (b === 0xed) max = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) min = 0x90; // overlong
      if (b === 0xf4) max = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      const lo = k === 1 ? min : 0x80;
      const hi = k === 1 ? max : 0xbf;
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
