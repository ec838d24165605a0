/**
 * Typed errors of the status layer. Messages are for people and never carry a credential: every
 * message built from something a server or a process said passes through `redact` with the
 * secrets the caller holds.
 */

export type StatusErrorCode =
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'ServerError'
  | 'NetworkError'
  | 'Timeout'
  | 'BadResponse'
  | 'Config';

export abstract class StatusError extends Error {
  abstract readonly code: StatusErrorCode;
  /** HTTP status when the server answered. */
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
  override get name(): string {
    return this.code;
  }
}

/** 401: the token is missing, invalid or expired. Retrying will not help; the user must sign in. */
export class Unauthorized extends StatusError {
  readonly code = 'Unauthorized';
}
/** 403: signed in, but RBAC does not allow it. */
export class Forbidden extends StatusError {
  readonly code = 'Forbidden';
}
export class NotFound extends StatusError {
  readonly code = 'NotFound';
}
/** Any other non-2xx answer (5xx, 400, 409...). */
export class ServerError extends StatusError {
  readonly code = 'ServerError';
}
/** The connection failed or broke. `tls` is set when the certificate was not trusted. */
export class NetworkError extends StatusError {
  readonly code = 'NetworkError';
  readonly tls: boolean;
  constructor(message: string, tls = false) {
    super(message);
    this.tls = tls;
  }
}
export class Timeout extends StatusError {
  readonly code = 'Timeout';
}
/** The server answered with something that is not the JSON it should be. */
export class BadResponse extends StatusError {
  readonly code = 'BadResponse';
}
/** Local configuration is unusable (argocd CLI config, kubectl missing, bad URL). */
export class ConfigError extends StatusError {
  readonly code = 'Config';
}

/** Replaces every occurrence of each secret (and of its URL-encoded form) by `***`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join('***');
  }
  return out;
}

/** Node TLS verification error codes (tls.checkServerIdentity and OpenSSL verify results). */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function isTlsVerifyError(code: unknown): boolean {
  return typeof code === 'string' && TLS_CODES.has(code);
}
