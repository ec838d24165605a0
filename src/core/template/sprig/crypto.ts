/**
 * Random values and crypto. Random output cannot match the controller's anyway; the
 * deterministic helpers (derivePassword, decryptAES, and encryptAES up to its random IV) follow
 * sprig's code byte for byte. Certificate and key generators are not evaluated offline and fail
 * loudly instead of producing a plausible-looking but different value.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomInt, randomUUID, scryptSync } from 'node:crypto';
import { GoFuncDef, GoType, goBytesToString, goStringToBytes } from '../value';
import { Corrupt, base64Decode } from './encoding';
import { goPanic, num } from './util';

type Defs = Record<string, GoFuncDef>;

const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
let ASCII = '';
for (let c = 32; c <= 126; c++) ASCII += String.fromCharCode(c);

function randomFrom(set: string, count: number): string {
  if (count < 0) throw new Error(`Requested random string length ${count} is less than 0.`);
  let out = '';
  for (let i = 0; i < count; i++) out += set[randomInt(set.length)];
  return out;
}

const MASTER_PASSWORD_SEED = 'com.lyndir.masterpassword';

const PASSWORD_TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    'CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv',
    'CvccCvcvCvcvno', 'CvcvnoCvccCvcv', 'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc',
    'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv', 'CvccCvccCvcvno',
    'CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc',
    'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};

const TEMPLATE_CHARACTERS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

function uint32BE(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** sprig's derivePassword: the Master Password algorithm (scrypt N=32768 r=8 p=2, HMAC-SHA256). */
function derivePassword(counter: number, passwordType: string, password: string, user: string, site: string): string {
  const templates = PASSWORD_TEMPLATES[passwordType];
  if (!templates) return `cannot find password template ${passwordType}`;
  const seedBytes = Buffer.from(MASTER_PASSWORD_SEED);
  const userBytes = goStringToBytes(user);
  const salt = Buffer.concat([seedBytes, uint32BE(userBytes.length), userBytes]);
  // scrypt needs 128·N·r = 32 MiB, exactly Node's default limit, which excludes its bookkeeping.
  const key = scryptSync(goStringToBytes(password), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 64 * 1024 * 1024 });
  const siteBytes = goStringToBytes(site);
  const seed = createHmac('sha256', key)
    .update(Buffer.concat([seedBytes, uint32BE(siteBytes.length), siteBytes, uint32BE(counter)]))
    .digest();
  const temp = templates[(seed[0] as number) % templates.length] as string;
  let out = '';
  for (let i = 0; i < temp.length; i++) {
    const chars = TEMPLATE_CHARACTERS[temp[i] as string] as string;
    out += chars[(seed[i + 1] as number) % chars.length];
  }
  return out;
}

/** The AES-256 key sprig derives: the password's bytes, zero-padded or cut to 32. */
function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(goStringToBytes(password)).copy(key, 0, 0, 32);
  return key;
}

function encryptAES(password: string, plaintext: string): string {
  if (plaintext === '') return '';
  const content = goStringToBytes(plaintext);
  const padding = 16 - (content.length % 16);
  const padded = Buffer.concat([content, Buffer.alloc(padding, padding)]);
  const iv = randomBytes(16);
  const c = createCipheriv('aes-256-cbc', aesKey(password), iv).setAutoPadding(false);
  return Buffer.concat([iv, c.update(padded), c.final()]).toString('base64');
}

/** sprig's decryptAES, including the runtime panics its unchecked slicing causes. */
function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  const crypt = base64Decode(crypt64);
  if (crypt instanceof Corrupt) throw new Error(`illegal base64 data at input byte ${crypt.at}`);
  if (crypt.length < 16) goPanic(`runtime error: slice bounds out of range [:16] with capacity ${crypt.length}`);
  const body = crypt.subarray(16);
  if (body.length % 16 !== 0) goPanic('crypto/cipher: input not full blocks');
  if (body.length === 0) goPanic('runtime error: index out of range [-1]');
  const d = createDecipheriv('aes-256-cbc', aesKey(password), crypt.subarray(0, 16)).setAutoPadding(false);
  const decrypted = Buffer.concat([d.update(body), d.final()]);
  const end = decrypted.length - (decrypted[decrypted.length - 1] as number);
  if (end < 0) goPanic(`runtime error: slice bounds out of range [:${end}]`);
  return goBytesToString(decrypted.subarray(0, end));
}

export function notSupported(name: string): never {
  throw new Error(`${name} is not supported by home-ops offline evaluation`);
}

const stub = (name: string, params: GoType[]): GoFuncDef => ({ params, fn: () => notSupported(name) });
const CERT = 'interface {}' as const;

export const cryptoFuncs: Defs = {
  randAlphaNum: { params: ['int'], fn: (n) => randomFrom(ALPHA + DIGITS, num(n)) },
  randAlpha: { params: ['int'], fn: (n) => randomFrom(ALPHA, num(n)) },
  randAscii: { params: ['int'], fn: (n) => randomFrom(ASCII, num(n)) },
  randNumeric: { params: ['int'], fn: (n) => randomFrom(DIGITS, num(n)) },
  randBytes: {
    params: ['int'],
    fn: (n) => {
      if (num(n) < 0) throw new Error('runtime error: makeslice: len out of range');
      return randomBytes(num(n)).toString('base64');
    },
  },
  uuidv4: { params: [], fn: () => randomUUID() },
  bcrypt: stub('bcrypt', ['string']),
  htpasswd: stub('htpasswd', ['string', 'string']),
  genPrivateKey: stub('genPrivateKey', ['string']),
  derivePassword: {
    params: ['uint32', 'string', 'string', 'string', 'string'],
    fn: (c, t, p, u, s) => derivePassword(num(c), t as string, p as string, u as string, s as string),
  },
  buildCustomCert: stub('buildCustomCert', ['string', 'string']),
  genCA: stub('genCA', ['string', 'int']),
  genCAWithKey: stub('genCAWithKey', ['string', 'int', 'string']),
  genSelfSignedCert: stub('genSelfSignedCert', ['string', '[]interface {}', '[]interface {}', 'int']),
  genSelfSignedCertWithKey: stub('genSelfSignedCertWithKey', ['string', '[]interface {}', '[]interface {}', 'int', 'string']),
  genSignedCert: stub('genSignedCert', ['string', '[]interface {}', '[]interface {}', 'int', CERT]),
  genSignedCertWithKey: stub('genSignedCertWithKey', ['string', '[]interface {}', '[]interface {}', 'int', CERT, 'string']),
  encryptAES: { params: ['string', 'string'], fn: (p, t) => encryptAES(p as string, t as string) },
  decryptAES: { params: ['string', 'string'], fn: (p, c) => decryptAES(p as string, c as string) },
};
