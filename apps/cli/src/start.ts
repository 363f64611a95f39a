import type { Model, Session } from '@descent/core';
import { loadModel } from '@descent/core/node';
import type { CommonOptions, StartOptions } from './options.js';
import { withSession } from './session.js';

/**
 * Run with a session whose data is preprocessed the way the weights expect: a saved model's
 * own preprocessing and weights with --model, or freshly fitted data and a random W.
 */
export async function withStart<T>(opts: CommonOptions & StartOptions,
  run: (s: Session, w: Float64Array, model?: Model) => Promise<T>): Promise<T> {
  const model = opts.model ? await loadModel(opts.model) : undefined;
  return withSession(opts, async (s) => {
    if (model) return run(s, s.checkWeights(Float64Array.from(model.weights), opts.model), model);
    return run(s, s.randomWeights(opts.seed, opts.initScale));
  }, model ? { preprocessing: model.preprocessing } : {});
}

/** "at …": where a diagnostic evaluates, for reports. */
export function startLabel(opts: StartOptions): string {
  return opts.model ?? `random W (scale ${opts.initScale})`;
}
