/** Go's `path` functions (and `path/filepath`, identical on Linux where Argo CD runs). */
import { GoFuncDef } from '../value';
import { str } from './util';

type Defs = Record<string, GoFuncDef>;

/** path.Clean: lexical shortest equivalent path. */
export function clean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

export function base(p: string): string {
  if (p === '') return '.';
  const s = p.replace(/\/+$/, '');
  if (s === '') return '/';
  return s.slice(s.lastIndexOf('/') + 1);
}

export function dir(p: string): string {
  return clean(p.slice(0, p.lastIndexOf('/') + 1));
}

export function ext(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

const isAbs = (p: string): boolean => p.startsWith('/');

const S = ['string'] as const;
export const pathFuncs: Defs = {
  base: { params: S, fn: (p) => base(str(p)) },
  dir: { params: S, fn: (p) => dir(str(p)) },
  clean: { params: S, fn: (p) => clean(str(p)) },
  ext: { params: S, fn: (p) => ext(str(p)) },
  isAbs: { params: S, fn: (p) => isAbs(str(p)) },
  osBase: { params: S, fn: (p) => base(str(p)) },
  osDir: { params: S, fn: (p) => dir(str(p)) },
  osClean: { params: S, fn: (p) => clean(str(p)) },
  osExt: { params: S, fn: (p) => ext(str(p)) },
  osIsAbs: { params: S, fn: (p) => isAbs(str(p)) },
};
