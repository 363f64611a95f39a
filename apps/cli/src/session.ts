import { describeChoice, prepareData, Session, type Preprocessing } from '@descent/core';
import { loadDataset } from '@descent/core/node';
import { createRegistry } from './backends.js';
import type { CommonOptions } from './options.js';

/** What the CLI adds to core's Session: how long loading and placing took. */
export interface CliSession {
  readonly session: Session;
  /** Seconds spent choosing the backend, loading and placing the data. */
  readonly loadSeconds: number;
}

/**
 * Core's session on the backend --backend picks (a backend that cannot run fails before any
 * data is read), with --data loaded, split and placed. Says on stderr which backend `auto` or
 * a list chose (JSON carries it as backendChoice).
 */
export async function openSession(opts: CommonOptions, extra: { preprocessing?: Preprocessing } = {}): Promise<CliSession> {
  const t0 = performance.now();
  const session = await Session.open(createRegistry(), opts.backend);
  const choice = session.choice;
  if (!opts.json && choice.requested !== choice.chosen) {
    process.stderr.write(`backend: ${describeChoice(choice, { reasons: 'short' })}${choice.skipped.length > 0 ? " ('descent backends' says more)" : ''}\n`);
  }
  try {
    const loaded = await loadDataset(opts.data, { seed: opts.seed });
    if (!opts.json && !opts.quiet) for (const note of loaded.notes) process.stderr.write(`data: ${note}\n`);
    await session.place(prepareData(loaded, {
      seed: opts.seed, validation: opts.validation, scale: opts.scale, subtractMean: opts.mean,
      ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
      ...(extra.preprocessing ? { preprocessing: extra.preprocessing } : {}),
    }), { x: opts.xAs });
    return { session, loadSeconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    await session.close();
    throw e;
  }
}

/** Open, run, and always close. */
export async function withSession<T>(opts: CommonOptions, run: (s: Session, loadSeconds: number) => Promise<T>,
  extra: { preprocessing?: Preprocessing } = {}): Promise<T> {
  const { session, loadSeconds } = await openSession(opts, extra);
  try {
    return await run(session, loadSeconds);
  } finally {
    await session.close();
  }
}
