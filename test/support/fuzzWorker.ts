/**
 * Worker-thread entry of the mutation fuzz (started by test/unit/fuzz/mutation.test.ts through
 * `startFuzzWorker`): runs its share of the cases and reports each start, result and failure to
 * the parent, which watches for hangs.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { FuzzBase } from './fuzzRunner';

export interface WorkerInput {
  seed: number;
  total: number;
  worker: number;
  workers: number;
  bases: FuzzBase[];
  consistencyEvery: number;
}

export type WorkerMessage =
  | { type: 'start'; index: number; base: string; file: string; ops: string[] }
  | { type: 'result'; index: number; base: string; file: string; ops: string[]; ms: number; problems: number }
  | { type: 'failure'; index: number; base: string; file: string; ops: string[]; error: string; text: string }
  | { type: 'done'; rules: string[] };

/** Starts a worker running this file under tsx (mocha's TypeScript loader is not inherited). */
export function startFuzzWorker(input: WorkerInput): Worker {
  const code = `require('tsx/cjs'); require(${JSON.stringify(__filename)});`;
  return new Worker(code, { eval: true, workerData: input, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
}

if (parentPort && (workerData as WorkerInput | undefined)?.bases) {
  const input = workerData as WorkerInput;
  const port = parentPort;
  // Loaded here, not at the top: the parent imports this file only for startFuzzWorker.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runFuzzCases } = require('./fuzzRunner') as typeof import('./fuzzRunner');
  const indices = function* () {
    for (let i = input.worker; i < input.total; i += input.workers) yield i;
  };
  const rules = runFuzzCases({
    seed: input.seed,
    bases: input.bases,
    indices: indices(),
    consistencyEvery: input.consistencyEvery,
    onStart: (info) => port.postMessage({ type: 'start', ...info } satisfies WorkerMessage),
    onResult: (r) => port.postMessage({ type: 'result', ...r } satisfies WorkerMessage),
    onFailure: (f) => port.postMessage({ type: 'failure', ...f } satisfies WorkerMessage),
  });
  port.postMessage({ type: 'done', rules: [...rules] } satisfies WorkerMessage);
}
