import { initialWeights, OptionError, Random, type Model } from '@descent/core';
import { loadModel } from '@descent/core/node';
import type { CommonOptions, ObjectiveOptions, StartOptions } from './options.js';
import { withSession, type Session } from './session.js';

/**
 * Run with a session whose data is preprocessed the way the weights expect: a saved model's
 * own preprocessing with --model, or freshly fitted for a random W.
 */
export async function withStart<T>(opts: CommonOptions & ObjectiveOptions & StartOptions,
  run: (s: Session, w: Float64Array, model?: Model) => Promise<T>): Promise<T> {
  const model = opts.model ? await loadModel(opts.model) : undefined;
  return withSession(opts, async (s) => {
    const { d, classes } = s.data.train;
    if (model) {
      if (model.weights.length !== d * classes) {
        throw new OptionError(`${opts.model} has ${model.preprocessing.features + 1}×${model.classNames.length} weights; ${s.data.name} needs ${d}×${classes}`);
      }
      return run(s, Float64Array.from(model.weights), model);
    }
    return run(s, initialWeights(d, classes, new Random(opts.seed), opts.initScale));
  }, model ? { preprocessing: model.preprocessing } : {});
}
