/**
 * Every case of the mutation suite: realistic one-mistake edits to the real repositories in
 * ../shared/corpus, each with the diagnostic a user must get, and controls (valid edits the
 * consumers accept) that must add no error. One file per repository under cases/.
 */
import { DEVXP_CASES } from './cases/devxp';
import { EDGARD_CASES } from './cases/edgard';
import { KYLESENEKER_CASES } from './cases/kyleseneker';
import { OTHER_CASES } from './cases/others';
import { SEED_CASES } from './cases/seed';
import type { MutationCase } from './types';

export const CASES: readonly MutationCase[] = [...SEED_CASES, ...KYLESENEKER_CASES, ...EDGARD_CASES, ...DEVXP_CASES, ...OTHER_CASES];
