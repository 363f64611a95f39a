import { OptionError } from '../errors.js';
import { batchesPerEpoch } from '../samplers.js';
import { defaultBatchSize, gradientDescent } from './gradient-descent.js';
import { randomLocalSearch } from './random-local-search.js';
import { randomSearch } from './random-search.js';
import { positiveInteger, positiveNumber, RunState } from './run-state.js';
import { STRATEGY_NAMES, type StrategyName, type TrainOptions, type TrainResult } from './types.js';

export function isStrategyName(name: string): name is StrategyName {
  return (STRATEGY_NAMES as readonly string[]).includes(name);
}

/** Iterations a run will take: given, or epochs × batches per epoch, or 1000. */
export function plannedIterations(options: TrainOptions): number {
  if (options.iterations !== undefined) return positiveInteger('iterations', options.iterations);
  if (options.epochs !== undefined) {
    const epochs = positiveNumber('epochs', options.epochs);
    const batch = options.batchSize ?? defaultBatchSize(options.strategy, options.train.n);
    return Math.max(1, Math.ceil(epochs * batchesPerEpoch(options.train.n, batch, options.train.blocks?.rows)));
  }
  return 1000;
}

/** Run one strategy to completion, a stop request, or divergence. */
export async function train(options: TrainOptions): Promise<TrainResult> {
  if (!isStrategyName(options.strategy)) {
    throw new OptionError(`unknown strategy '${String(options.strategy)}'; choose one of ${STRATEGY_NAMES.join(', ')}`);
  }
  if (options.batchSize !== undefined) positiveInteger('batchSize', options.batchSize);
  const v = options.validation;
  const t = options.train;
  if (v && (v.d !== t.d || v.classes !== t.classes)) {
    throw new OptionError(`validation data is ${v.d} features × ${v.classes} classes but training data is ${t.d} × ${t.classes}`);
  }
  const run = new RunState(options, options.strategy, plannedIterations(options));
  const { weights, epochs } = options.strategy === 'random-search' ? await randomSearch(run)
    : options.strategy === 'random-local-search' ? await randomLocalSearch(run)
    : await gradientDescent(run);
  return run.finish(weights, epochs);
}
