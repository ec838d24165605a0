/**
 * Random values and crypto. Random output cannot match the controller's anyway; the
 * certificate, key and password helpers are not evaluated offline and fail loudly instead of
 * producing a plausible-looking but different value.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { GoFuncDef, GoType } from '../value';
import { num } from './util';

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
  derivePassword: stub('derivePassword', ['uint32', 'string', 'string', 'string', 'string']),
  buildCustomCert: stub('buildCustomCert', ['string', 'string']),
  genCA: stub('genCA', ['string', 'int']),
  genCAWithKey: stub('genCAWithKey', ['string', 'int', 'string']),
  genSelfSignedCert: stub('genSelfSignedCert', ['string', '[]interface {}', '[]interface {}', 'int']),
  genSelfSignedCertWithKey: stub('genSelfSignedCertWithKey', ['string', '[]interface {}', '[]interface {}', 'int', 'string']),
  genSignedCert: stub('genSignedCert', ['string', '[]interface {}', '[]interface {}', 'int', CERT]),
  genSignedCertWithKey: stub('genSignedCertWithKey', ['string', '[]interface {}', '[]interface {}', 'int', CERT, 'string']),
  encryptAES: stub('encryptAES', ['string', 'string']),
  decryptAES: stub('decryptAES', ['string', 'string']),
};
