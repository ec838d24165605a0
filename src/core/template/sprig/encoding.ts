/**
 * Encodings and checksums. Go's base64/base32 decoders are lenient about trailing bits and
 * precise about where input is corrupt; sprig returns that error text as the decoded value, so
 * the decoders below follow Go's quantum-by-quantum algorithm to report the same byte offset.
 */
import { createHash } from 'node:crypto';
import { GoFuncDef, goBytesToString, goStringToBytes } from '../value';
import { str } from './util';

type Defs = Record<string, GoFuncDef>;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function decodeMap(alphabet: string): Int16Array {
  const m = new Int16Array(256).fill(-1);
  for (let k = 0; k < alphabet.length; k++) m[alphabet.charCodeAt(k)] = k;
  return m;
}
const B64MAP = decodeMap(B64);
const B32MAP = decodeMap(B32);

export class Corrupt {
  constructor(readonly at: number) {}
}

const isNL = (b: number | undefined): boolean => b === 0x0a || b === 0x0d;

/** base64.StdEncoding.DecodeString; a string on success, the error offset otherwise. */
export function base64Decode(input: string): Buffer | Corrupt {
  const src = Buffer.from(goStringToBytes(input));
  const out: number[] = [];
  let si = 0;
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let err: Corrupt | undefined;
    let done = false;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out);
        return new Corrupt(si - j);
      }
      const inb = src[si] as number;
      si++;
      const v = B64MAP[inb] as number;
      if (v >= 0) {
        dbuf[j] = v;
        continue;
      }
      if (isNL(inb)) {
        j--;
        continue;
      }
      if (inb !== 0x3d) return new Corrupt(si - 1);
      if (j === 0 || j === 1) return new Corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && isNL(src[si])) si++;
        if (si === src.length) return new Corrupt(src.length);
        if (src[si] !== 0x3d) return new Corrupt(si - 1);
        si++;
      }
      while (si < src.length && isNL(src[si])) si++;
      if (si < src.length) err = new Corrupt(si);
      dlen = j;
      done = true;
      break;
    }
    const val = ((dbuf[0] as number) << 18) | ((dbuf[1] as number) << 12) | ((dbuf[2] as number) << 6) | (dbuf[3] as number);
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (err) return err;
    if (done) break;
  }
  return Buffer.from(out);
}

/** base32.StdEncoding.DecodeString. */
export function base32Decode(input: string): Buffer | Corrupt {
  let src = [...goStringToBytes(input)].filter((b) => !isNL(b));
  const olen = src.length;
  const out: number[] = [];
  let end = false;
  while (src.length > 0 && !end) {
    const dbuf = new Array<number>(8).fill(0);
    let dlen = 8;
    for (let j = 0; j < 8; ) {
      if (src.length === 0) return new Corrupt(olen - src.length - j);
      const inb = src[0] as number;
      src = src.slice(1);
      if (inb === 0x3d && j >= 2 && src.length < 8) {
        if (src.length + j < 7) return new Corrupt(olen);
        for (let k = 0; k < 7 - j; k++) {
          if (src.length > k && src[k] !== 0x3d) return new Corrupt(olen - src.length + k - 1);
        }
        dlen = j;
        end = true;
        if (dlen === 1 || dlen === 3 || dlen === 6) return new Corrupt(olen - src.length - 1);
        break;
      }
      const v = B32MAP[inb] as number;
      if (v < 0) return new Corrupt(olen - src.length - 1);
      dbuf[j] = v;
      j++;
    }
    let bits = 0n;
    for (const d of dbuf) bits = (bits << 5n) | BigInt(d);
    const bytes: number[] = [];
    for (let k = 4; k >= 0; k--) bytes.push(Number((bits >> BigInt(k * 8)) & 0xffn));
    const nbytes = [0, 0, 1, 1, 2, 3, 3, 4, 5][dlen] as number;
    out.push(...bytes.slice(0, nbytes));
  }
  return Buffer.from(out);
}

function base32Encode(s: string): string {
  const b = Buffer.from(goStringToBytes(s));
  let out = '';
  for (let k = 0; k < b.length; k += 5) {
    const chunk = b.subarray(k, k + 5);
    let bits = 0n;
    for (let j = 0; j < 5; j++) bits = (bits << 8n) | BigInt(chunk[j] ?? 0);
    const chars = Math.ceil((chunk.length * 8) / 5);
    for (let j = 0; j < 8; j++) out += j < chars ? B32[Number((bits >> BigInt(35 - 5 * j)) & 31n)] : '=';
  }
  return out;
}

function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (const byte of goStringToBytes(s)) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const hash = (alg: string) => (s: string) => createHash(alg).update(goStringToBytes(s)).digest('hex');

export const encodingFuncs: Defs = {
  b64enc: { params: ['string'], fn: (s) => Buffer.from(goStringToBytes(str(s))).toString('base64') },
  b64dec: {
    params: ['string'],
    fn: (s) => {
      const r = base64Decode(str(s));
      return r instanceof Corrupt ? `illegal base64 data at input byte ${r.at}` : goBytesToString(r);
    },
  },
  b32enc: { params: ['string'], fn: (s) => base32Encode(str(s)) },
  b32dec: {
    params: ['string'],
    fn: (s) => {
      const r = base32Decode(str(s));
      return r instanceof Corrupt ? `illegal base32 data at input byte ${r.at}` : goBytesToString(r);
    },
  },
  sha1sum: { params: ['string'], fn: (s) => hash('sha1')(str(s)) },
  sha256sum: { params: ['string'], fn: (s) => hash('sha256')(str(s)) },
  sha512sum: { params: ['string'], fn: (s) => hash('sha512')(str(s)) },
  adler32sum: { params: ['string'], fn: (s) => String(adler32(str(s))) },
};
