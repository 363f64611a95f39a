import type { ResidentTrainer } from '../backend.js';
import { createOptimizer, createSchedule, resolveOptimizerOptions } from '../optimizers/index.js';
import type { Schedule } from '../optimizers/schedules.js';
import { createSampler, type Sampler, type SamplerName } from '../samplers.js';
import { initialWeights } from './initial-weights.js';
import { positiveNumber, type RunState } from './run-state.js';

/** Rows per step when the caller does not say. */
export function defaultBatchSize(strategy: string, n: number): number {
  return strategy === 'sgd' ? 1 : strategy === 'minibatch' ? Math.min(256, n) : n;
}

/**
 * The batch size and sampler a run will use: the caller's, else the strategy's defaults
 * (whole set in order for the searches and gd; shuffled each epoch when batches are smaller).
 */
export function effectiveBatching(options: { strategy: string; batchSize?: number; sampler?: SamplerName }, n: number):
  { batchSize: number; sampler: SamplerName } {
  const batchSize = options.batchSize ?? defaultBatchSize(options.strategy, n);
  return { batchSize, sampler: options.sampler ?? (batchSize >= n ? 'sequential' : 'shuffle') };
}

export const DEFAULT_LEARNING_RATE = 0.05;

/**
 * Gradient descent: W ← optimizer(W, ∇L_batch(W), lr(epoch)). Full batch ('gd'), minibatch
 * or SGD differ only in the batch the sampler hands out.
 *
 * The divergence guard keeps a copy of the last W whose loss and gradient were finite and
 * in range, so a run that blows up returns what it had learned before it did. On a backend
 * that offers a resident trainer for the run, W stays there (residentDescent).
 */
export async function gradientDescent(run: RunState): Promise<{ weights: Float64Array; epochs: number }> {
  const { backend, data, objective } = run;
  const o = run.options;
  const batching = effectiveBatching(o, data.n);
  const sampler = createSampler(batching.sampler, data.n, batching.batchSize, run.rng.fork('sampler'), data.blocks);
  const optimizer = createOptimizer(o.optimizer ?? 'sgd', o.optimizerOptions);
  const schedule = createSchedule(o.schedule ?? 'constant', positiveNumber('learningRate', o.learningRate ?? DEFAULT_LEARNING_RATE), o.scheduleOptions);
  const w = initialWeights(data.d, data.classes, run.rng, positiveNumber('initScale', o.initScale ?? 1e-3), o.initialWeights);
  // Once per epoch, but no more than about 50 times a run (full-batch gd: an epoch per step).
  const evaluateEvery = o.evaluateEvery ?? Math.max(sampler.batchesPerEpoch, Math.ceil(run.iterations / 50));
  const trainer = o.hostSteps ? undefined : await backend.createTrainer?.(data, { objective, optimizer: optimizer.name,
    optimizerOptions: resolveOptimizerOptions(o.optimizerOptions), batchSize: batching.batchSize, weights: w });
  if (trainer) {
    let result: { weights: Float64Array; epochs: number } | undefined;
    try {
      result = await residentDescent(run, trainer, sampler, schedule, evaluateEvery);
      return result;
    } finally {
      // RunControl keeps showing the run's W once the trainer is gone (a step that threw included).
      const shown = result?.weights ?? trainer.weights(0);
      if (shown) run.show(shown);
      await trainer.dispose();
    }
  }
  const lastGood = Float64Array.from(w);
  while (await run.proceed()) {
    const lr = schedule(sampler.epoch);
    const { loss, gradient } = await backend.evaluate(w, data, sampler.next(), objective, true);
    if (!run.healthy(loss, gradient)) return { weights: lastGood, epochs: sampler.epoch };
    lastGood.set(w);
    run.bestLoss = Math.min(run.bestLoss, loss);
    optimizer.step(w, gradient!, lr);
    await run.record(w, loss, sampler.epoch, evaluateEvery, lr);
  }
  // The final W has not been evaluated yet: if the last step blew it up, fall back.
  for (let i = 0; i < w.length; i++) {
    if (!Number.isFinite(w[i]!)) {
      run.healthy(NaN);
      return { weights: lastGood, epochs: sampler.epoch };
    }
  }
  return { weights: w, epochs: sampler.epoch };
}

/**
 * The same loop on a backend's resident trainer: loss, gradient and update in one call, W on
 * the backend. With W₀ the start, step k measures the loss at W_{k−1} and leaves W_k. The
 * guard needs no gradient here: a step's loss is non-finite whenever the W it started from
 * holds a non-finite value (ResidentTrainer), so a bad loss at step k means W_{k−1} is bad,
 * and the run keeps W_{k−2}, the last W whose loss was good (W₀ at k = 1): the W the host loop
 * keeps. A gradient that the host loop would have caught as non-finite shows up one step
 * later, as the loss at the W it produced.
 */
async function residentDescent(run: RunState, trainer: ResidentTrainer, sampler: Sampler, schedule: Schedule,
  evaluateEvery: number): Promise<{ weights: Float64Array; epochs: number }> {
  const current = (): Float64Array => trainer.weights(0)!;
  let steps = 0;
  while (await run.proceed()) {
    const lr = schedule(sampler.epoch);
    const loss = await trainer.step(sampler.next(), lr);
    steps++;
    // Step k's loss was measured at W_{k−1} (now one back); the last good W is W_{k−2} (two back).
    if (!run.healthy(loss)) return { weights: trainer.weights(steps >= 2 ? 2 : 1)!, epochs: sampler.epoch };
    run.bestLoss = Math.min(run.bestLoss, loss);
    await run.record(current, loss, sampler.epoch, evaluateEvery, lr);
  }
  const w = current();
  for (let i = 0; i < w.length; i++) {
    if (!Number.isFinite(w[i]!)) {
      run.healthy(NaN);
      return { weights: trainer.weights(1) ?? w, epochs: sampler.epoch };
    }
  }
  return { weights: w, epochs: sampler.epoch };
}
