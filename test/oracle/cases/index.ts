import type { OracleCase } from '../types';
import { actionCases } from './actions';
import { argoCases } from './argo';
import { builtinCases } from './builtins';
import { errorCases } from './errors';
import { goValueCases } from './govalues';
import { sprigCases } from './sprig';
import { unicodeCases } from './unicode';

/** All hand-written cases, ids unique. */
export function handwrittenCases(): OracleCase[] {
  const all = [...actionCases, ...builtinCases, ...errorCases, ...argoCases, ...sprigCases, ...unicodeCases, ...goValueCases];
  const seen = new Set<string>();
  for (const c of all) {
    if (seen.has(c.id)) throw new Error(`duplicate oracle case id ${c.id}`);
    seen.add(c.id);
  }
  return all;
}
