import { createSampler } from '../samplers.js';
import { effectiveBatching } from './gradient-descent.js';
import { positiveNumber, type RunState } from './run-state.js';

/**
 * The lecture's random search: try W = scale·N(0,1) many times and keep the W with the lowest
 * loss. ("Strategy #1: a first very bad idea solution".)
 */
export async function randomSearch(run: RunState): Promise<{ weights: Float64Array; epochs: number }> {
  const { backend, data, objective } = run;
  const o = run.options;
  const scale = positiveNumber('searchScale', o.searchScale ?? 1e-3);
  const batching = effectiveBatching(o, data.n);
  const sampler = createSampler(batching.sampler, data.n, batching.batchSize, run.rng.fork('sampler'), data.blocks);
  const proposals = run.rng.fork('search');
  const size = data.d * data.classes;
  let best: Float64Array = new Float64Array(size);
  let candidate: Float64Array = new Float64Array(size);
  const evaluateEvery = o.evaluateEvery ?? Math.max(1, Math.floor(run.iterations / 10));
  while (await run.proceed()) {
    proposals.fillNormal(candidate, scale);
    const { loss } = await backend.evaluate(candidate, data, sampler.next(), objective, false);
    if (!run.healthy(loss)) break;
    if (loss < run.bestLoss) {
      run.bestLoss = loss;
      [best, candidate] = [candidate, best];
    }
    await run.record(best, loss, sampler.epoch, evaluateEvery);
  }
  return { weights: best, epochs: sampler.epoch };
}
