import { makeObjective, type ComputeBackend, type Objective, type Preprocessing, type Resident } from '@descent/core';
import { createRegistry } from './backends.js';
import type { CommonOptions, ObjectiveOptions } from './options.js';
import { prepareData, type PreparedData } from './prepare.js';

/** A backend with the prepared data placed on it: what every data command works on. */
export interface Session {
  readonly backend: ComputeBackend;
  readonly data: PreparedData;
  readonly train: Resident;
  /** Absent when --validation 0. */
  readonly validation?: Resident;
  readonly test: Resident;
  readonly objective: Objective;
  /** Seconds spent loading and placing. */
  readonly loadSeconds: number;
  close(): Promise<void>;
}

/** Create the backend first (a backend that cannot run fails before any data is read). */
export async function openSession(opts: CommonOptions & ObjectiveOptions,
  extra: { preprocessing?: Preprocessing } = {}): Promise<Session> {
  const t0 = performance.now();
  const backend = await createRegistry().create(opts.backend);
  try {
    const data = await prepareData({ data: opts.data, validation: opts.validation, scale: opts.scale,
      subtractMean: opts.mean, seed: opts.seed, ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
      ...(extra.preprocessing ? { preprocessing: extra.preprocessing } : {}) });
    const train = await backend.place(data.train);
    const validation = data.validation.n > 0 ? await backend.place(data.validation) : undefined;
    const test = await backend.place(data.test);
    return {
      backend, data, train, ...(validation ? { validation } : {}), test, objective: makeObjective(opts),
      loadSeconds: (performance.now() - t0) / 1000,
      close: () => backend.dispose(),
    };
  } catch (e) {
    await backend.dispose();
    throw e;
  }
}

/** Open, run, and always close. */
export async function withSession<T>(opts: CommonOptions & ObjectiveOptions, run: (s: Session) => Promise<T>,
  extra: { preprocessing?: Preprocessing } = {}): Promise<T> {
  const session = await openSession(opts, extra);
  try {
    return await run(session);
  } finally {
    await session.close();
  }
}
