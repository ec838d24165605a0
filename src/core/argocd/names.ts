/** Name rules of Argo CD and Kubernetes that the engine and the rules share. */

/**
 * Argo CD's `SanitizeName` (template function `normalize`, and `path.basenameNormalized`):
 * lower-case, every character outside `[-a-z0-9.]` becomes `-`, at most 253 characters, then
 * leading and trailing `-` and `.` trimmed.
 */
export function sanitizeName(name: string): string {
  const replaced = name.toLowerCase().replace(/[^-a-z0-9.]/g, '-');
  const truncated = Array.from(replaced).slice(0, 253).join('');
  return truncated.replace(/^[-.]+/, '').replace(/[-.]+$/, '');
}

/** Kubernetes DNS-1123 label: what Application names and namespaces must be. */
export function isDns1123Label(s: string): boolean {
  return s.length > 0 && s.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s);
}

/** Kubernetes DNS-1123 subdomain: what most resource names (an Application's included) may be. */
export function isDns1123Subdomain(s: string): boolean {
  return s.length > 0 && s.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s);
}
