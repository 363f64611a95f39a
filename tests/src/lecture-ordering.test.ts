import { describe, expect, it } from 'vitest';
import { accuracy, fitPreprocessing, take, toDesignMatrix, train, type StrategyName } from '@descent/core';
import { loadDataset } from '@descent/core/node';
import { f32 } from './helpers.js';

/**
 * The lecture's point, on the embedded real data: random search is a very bad idea, random
 * local search is better, following the gradient is far better. (CS231n reports 15.5% and
 * 21.4% for the two searches on CIFAR-10.) 1000 training rows keep the searches quick.
 */
describe('on the embedded Fashion-MNIST subset', () => {
  it('random search < random local search < gradient descent in test accuracy, each reproducible', async () => {
    const loaded = await loadDataset('embedded');
    const trainSet = take(loaded.train, 1000);
    const prep = fitPreprocessing(trainSet);
    const backend = f32();
    const trainData = await backend.place(toDesignMatrix(trainSet, prep));
    const test = await backend.place(toDesignMatrix(loaded.test, prep));
    const objective = { loss: 'softmax', reg: 1e-4 } as const;
    const run = async (strategy: StrategyName, iterations: number) => {
      const r = await train({ backend, train: trainData, objective, strategy, seed: 7, iterations, learningRate: 0.05 });
      return { weights: r.weights, acc: await accuracy(backend, r.weights, test) };
    };
    const search = await run('random-search', 150);
    const local = await run('random-local-search', 300);
    const gd = await run('gd', 60);
    expect(search.acc).toBeGreaterThan(0.1); // better than nothing, barely
    expect(search.acc).toBeLessThan(0.35);
    expect(local.acc).toBeGreaterThan(search.acc + 0.05);
    expect(gd.acc).toBeGreaterThan(0.7);
    expect(gd.acc).toBeGreaterThan(local.acc + 0.15);
    // Same seed, same run, bit for bit — each of the three.
    expect(Array.from((await run('random-search', 150)).weights)).toEqual(Array.from(search.weights));
    expect(Array.from((await run('random-local-search', 300)).weights)).toEqual(Array.from(local.weights));
    expect(Array.from((await run('gd', 60)).weights)).toEqual(Array.from(gd.weights));
    console.log(`test accuracy: random search ${search.acc}, random local search ${local.acc}, gradient descent ${gd.acc}`);
  });
});
