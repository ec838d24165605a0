/** Name rules of Argo CD and Kubernetes that the engine and the rules share. */

/**
 * Argo CD's `SanitizeName` (template function `normalize`, and `path.basenameNormalized`). One
 * implementation, the template library's, since it follows Go's Unicode lower-casing exactly.
 */
export { sanitizeName } from '../template';

/** Kubernetes DNS-1123 label: what Application names and namespaces must be. */
export function isDns1123Label(s: string): boolean {
  return s.length > 0 && s.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s);
}

/** Kubernetes DNS-1123 subdomain: what most resource names (an Application's included) may be. */
export function isDns1123Subdomain(s: string): boolean {
  return s.length > 0 && s.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s);
}
