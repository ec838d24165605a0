/**
 * The burst rows of `npm run bench -- engine`: 20,000 file events (a branch switch that deletes
 * 10,000 files and creates 10,000) on a repository of 2,000 apps under 10 ApplicationSets,
 * through the model (one `update`) and through the server's folder state (the events queued,
 * then one update, the lint and the publication), each beside a fresh build of the same disk.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeBranchRepo, type BranchRepoShape } from '../../test/support/branchSwitch';

/** 2,000 apps of 10 files: 20,000 files. */
export const BURST_SHAPE: BranchRepoShape = { categories: 10, appsPerCategory: 200, filesPerApp: 10 };
/** Half the apps of each category swapped: 10,000 files deleted and 10,000 created per switch. */
export const BURST_SWAP = 100;

/** The repository on its `main` branch (each bench run switches away and back). */
export function burstRepo(): string {
  const root = path.join(os.tmpdir(), 'home-ops-bench-burst');
  const stamp = path.join(root, '.stamp-v1');
  if (fs.existsSync(stamp)) return root;
  fs.rmSync(root, { recursive: true, force: true });
  writeBranchRepo(root, BURST_SHAPE);
  fs.writeFileSync(stamp, '');
  return root;
}
