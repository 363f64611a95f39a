/**
 * tfjs keeps ONE global engine with ONE active backend (tf.setBackend). Every descent tfjs
 * backend runs its work inside `withEngine`, which queues it behind any other tfjs work,
 * makes its tfjs backend the active one, and holds the engine until the work (including its
 * async read-back) finishes. Two tfjs backends used at the same time therefore serialize;
 * they stay correct, but do not run in parallel.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { BackendError } from '@descent/core';

/** The tfjs API (tfjs-core's namespace, or tfjs-node's, which re-exports it). */
export type Tf = typeof TfCore;

/** A tfjs namespace and the name of the tfjs backend to run on ('cpu', 'wasm', 'webgl', …). */
export interface Runtime {
  readonly tf: Tf;
  readonly backendName: string;
}

// One queue for the process: tfjs-core copies share their engine through a global, so even a
// tfjs-node namespace and tfjs-core's drive the same active backend.
let queue: Promise<void> = Promise.resolve();

/** Run `work` with `runtime`'s backend active and the engine held; later calls wait. */
export async function withEngine<T>(runtime: Runtime, work: () => Promise<T> | T): Promise<T> {
  const before = queue;
  let done!: () => void;
  queue = new Promise<void>((resolve) => { done = resolve; });
  await before;
  try {
    await activate(runtime);
    return await work();
  } finally {
    done();
  }
}

async function activate({ tf, backendName }: Runtime): Promise<void> {
  if (tf.getBackend() === backendName) return;
  if (!(await tf.setBackend(backendName))) {
    throw new BackendError(`tfjs could not initialize its '${backendName}' backend (tfjs logged why to the console)`);
  }
  await tf.ready();
}
