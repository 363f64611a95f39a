import { createSampler } from '../samplers.js';
import { effectiveBatching } from './gradient-descent.js';
import { initialWeights } from './initial-weights.js';
import { positiveNumber, type RunState } from './run-state.js';

/**
 * The lecture's random local search: from W, propose W + step·N(0,1) and move there only if
 * the loss goes down. ("Strategy #2: Random Local Search".)
 */
export async function randomLocalSearch(run: RunState): Promise<{ weights: Float64Array; epochs: number }> {
  const { backend, data, objective } = run;
  const o = run.options;
  const step = positiveNumber('searchStep', o.searchStep ?? 1e-4);
  const batching = effectiveBatching(o, data.n);
  const sampler = createSampler(batching.sampler, data.n, batching.batchSize, run.rng.fork('sampler'), data.blocks);
  const proposals = run.rng.fork('search');
  let w = initialWeights(data.d, data.classes, run.rng, positiveNumber('initScale', o.initScale ?? 1e-3), o.initialWeights);
  let trial: Float64Array = new Float64Array(w.length);
  run.bestLoss = (await backend.evaluate(w, data, sampler.next(), objective, false)).loss;
  if (!run.healthy(run.bestLoss)) return { weights: w, epochs: sampler.epoch };
  const evaluateEvery = o.evaluateEvery ?? Math.max(1, Math.floor(run.iterations / 10));
  while (await run.proceed()) {
    for (let i = 0; i < w.length; i++) trial[i] = w[i]! + step * proposals.normal();
    const { loss } = await backend.evaluate(trial, data, sampler.next(), objective, false);
    if (!run.healthy(loss)) break;
    if (loss < run.bestLoss) {
      run.bestLoss = loss;
      [w, trial] = [trial, w];
    }
    await run.record(w, loss, sampler.epoch, evaluateEvery);
  }
  return { weights: w, epochs: sampler.epoch };
}
