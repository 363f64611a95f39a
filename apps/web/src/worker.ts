/**
 * The training worker: holds the data, the backends and the current model, and runs core's
 * train() and the lecture's diagnostics off the page's thread. See protocol.ts for messages.
 *
 * This entry only answers messages; each part of the answer lives in worker/:
 *   state.ts        what the worker holds (data set, prepared splits, model, sessions, the queue)
 *   run-state.ts    the active run, as every module sees it
 *   load.ts         probe, loadEmbedded, loadFiles
 *   run.ts          train, pause, step, resume, stop, reset
 *   model.ts        saveModel, openModel
 *   diagnostics.ts  sweep, landscape1d, landscape2d, batches, gradcheck (and the tools' setup)
 *   race.ts         race (and its plane, kept between races)
 *   tune.ts         tune (and the tuning under way, which Stop aborts)
 */
/// <reference lib="webworker" />
import type { Reply, Request } from './protocol.js';
import { diagnosticHandlers } from './worker/diagnostics.js';
import { loadHandlers } from './worker/load.js';
import { modelHandlers } from './worker/model.js';
import { raceHandlers } from './worker/race.js';
import { runHandlers } from './worker/run.js';
import { scope, type Handlers } from './worker/state.js';
import { tuneHandlers } from './worker/tune.js';

/** Methods that more than one part answers: none (the part spread last would win silently). */
type Shared<Parts extends readonly object[], Seen extends PropertyKey = never> =
  Parts extends readonly [infer First extends object, ...infer Rest extends readonly object[]]
    ? (keyof First & Seen) | Shared<Rest, Seen | keyof First>
    : never;
type NoneOf<T extends never> = T;
type AnsweredOnce = NoneOf<Shared<[typeof loadHandlers, typeof runHandlers, typeof modelHandlers,
  typeof diagnosticHandlers, typeof raceHandlers, typeof tuneHandlers]>>;

/** Every method of protocol.ts, each from its module (one missing is a type error). */
const handlers: Handlers = {
  ...loadHandlers, ...runHandlers, ...modelHandlers, ...diagnosticHandlers, ...raceHandlers, ...tuneHandlers,
};

scope.onmessage = async (ev: MessageEvent<Request>) => {
  const { id, method, args } = ev.data;
  let reply: Reply;
  try {
    // Only the table's own methods: a name such as toString is no method of the worker.
    if (!Object.hasOwn(handlers, method)) throw new TypeError(`the worker has no method ${String(method)}`);
    const fn = handlers[method] as (...a: unknown[]) => Promise<unknown>;
    reply = { id, ok: true, value: await fn(...(args as unknown[])) };
  } catch (e) {
    const err = e as Error;
    reply = { id, ok: false, error: err?.message ?? String(e), kind: err?.name ?? 'Error' };
  }
  scope.postMessage(reply);
};
