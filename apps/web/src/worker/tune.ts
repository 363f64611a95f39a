/**
 * The tuning panel: core's Session.tune (learning rate and reg, coarse to fine, scored on
 * validation), runs of its own on the current model's preprocessing. This module owns the
 * tuning under way: run.ts's stop() aborts it, and no run starts while it is there.
 */
import { DataError, OptionError, type Session } from '@descent/core';
import { count, STUDY_CAPS } from '../protocol.js';
import { run } from './run-state.js';
import { exclusive, placed, post, preparedForModel, raw, type Handlers } from './state.js';

/** The tuning under way, to abort (Stop): a run cannot start meanwhile. */
export let tuning: AbortController | undefined;

/** A tuning's sizes within the page's caps, and its total epochs too (trials × rounds × epochs). */
function checkTune(o: { trials: number; rounds: number; epochs: number; batchSize: number }): void {
  for (const [k, cap] of [['trials', STUDY_CAPS.trials], ['rounds', STUDY_CAPS.rounds], ['epochs', STUDY_CAPS.epochs], ['batchSize', STUDY_CAPS.batchSize]] as const) {
    const v = o[k];
    if (!(Number.isInteger(v) && v >= 1 && v <= cap)) throw new OptionError(`tune ${k} must be a whole number from 1 to ${cap}, got ${v}`);
  }
  const total = o.trials * o.rounds * o.epochs;
  if (total > STUDY_CAPS.totalEpochs) {
    throw new OptionError(`a tuning of ${o.rounds} × ${o.trials} trials × ${o.epochs} epochs is ${total} epochs, more than the page runs at once (${STUDY_CAPS.totalEpochs}): the CLI's descent tune takes more`);
  }
}

export const tuneHandlers: Pick<Handlers, 'tune'> = {
  tune(o) {
    checkTune(o);
    if (run) throw new OptionError('a run is training: stop it before tuning (tuning trains runs of its own)');
    if (tuning) throw new OptionError('a tuning is already in progress: stop it first (Stop)');
    // The tuning is under way (and Stop aborts it) from now on, while its data is placed too.
    const abort = new AbortController();
    tuning = abort;
    return exclusive(async () => {
      const t0 = performance.now();
      let r: Awaited<ReturnType<Session['tune']>>;
      let session: Session;
      let done = 0;
      try {
        if (run) throw new OptionError('a run is training: stop it before tuning (tuning trains runs of its own)');
        if (!raw) throw new DataError('no data set is loaded');
        session = await placed(o.backend, await preparedForModel(o.seed));
        if (abort.signal.aborted) throw new OptionError('the tuning was stopped before it began');
        r = await session.tune({ trials: o.trials, rounds: o.rounds, keep: Math.min(3, o.trials), lrRange: o.lrRange, regRange: o.regRange,
          epochs: o.epochs, batchSize: o.batchSize, optimizer: 'momentum', base: { loss: o.loss, delta: o.delta, seed: o.seed, initScale: o.initScale },
          signal: abort.signal }, (_, best) => {
          done++;
          post({ event: 'tune-trial', done, total: o.rounds * o.trials, bestValidation: best.validationAccuracy });
        });
      } finally {
        if (tuning === abort) tuning = undefined;
      }
      const s = session.summary;
      return { trials: r.trials, best: r.best, warnings: r.warnings, seconds: (performance.now() - t0) / 1000,
        settings: `${o.loss} on ${session.backend.id}, ${count(s.train, 'training row')} scored on ${count(s.validation, 'validation row')}, `
          + `${o.rounds} × ${count(o.trials, 'trial')} of ${count(o.epochs, 'epoch')} (momentum, batch ${o.batchSize})` };
    });
  },
};
