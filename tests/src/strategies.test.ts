import { describe, expect, it } from 'vitest';
import { train, type TrainOptions } from '@descent/core';
import { blobs, f32, f64 } from './helpers.js';

const objective = { loss: 'softmax', reg: 1e-3 } as const;

async function setup(seed = 3) {
  const backend = f64();
  const data = blobs(300, 6, 4, seed);
  const trainData = await backend.place(data);
  const validation = await backend.place(blobs(120, 6, 4, seed));
  return { backend, trainData, validation };
}

describe('train(): every strategy', () => {
  it.each(['random-search', 'random-local-search', 'gd', 'minibatch', 'sgd'] as const)(
    '%s is reproducible bit for bit from its seed and differs with another seed', async (strategy) => {
      const { backend, trainData, validation } = await setup();
      const opts: TrainOptions = { backend, train: trainData, validation, objective, strategy, seed: 11,
        iterations: 40, learningRate: 0.05, searchScale: 0.1, searchStep: 0.02 };
      const a = await train(opts);
      const b = await train(opts);
      const c = await train({ ...opts, seed: 12 });
      expect(a.status).toBe('completed');
      expect(a.iterations).toBe(40);
      expect(Array.from(b.weights)).toEqual(Array.from(a.weights));
      expect(Array.from(b.losses)).toEqual(Array.from(a.losses));
      expect(Array.from(c.weights)).not.toEqual(Array.from(a.weights));
    });

  it('gradient descent lowers the loss and learns separable blobs', async () => {
    const { backend, trainData, validation } = await setup();
    const r = await train({ backend, train: trainData, validation, objective, strategy: 'gd', seed: 1,
      iterations: 100, learningRate: 0.1 });
    expect(r.losses[0]).toBeCloseTo(Math.log(4), 2); // tiny initial W: uniform softmax
    expect(r.finalLoss).toBeLessThan(0.5 * r.losses[0]!);
    expect(r.evaluations.at(-1)!.validationAccuracy).toBeGreaterThan(0.9);
  });

  it('random search keeps the best candidate: the kept loss never rises', async () => {
    const { backend, trainData } = await setup();
    const best: number[] = [];
    await train({ backend, train: trainData, objective, strategy: 'random-search', seed: 2, iterations: 30,
      searchScale: 0.1, onProgress: (e) => best.push(e.bestLoss) });
    expect(best).toHaveLength(30);
    for (let i = 1; i < best.length; i++) expect(best[i]!).toBeLessThanOrEqual(best[i - 1]!);
  });

  it('epochs become iterations through the batches per epoch', async () => {
    const { backend, trainData } = await setup();
    const r = await train({ backend, train: trainData, objective, strategy: 'minibatch', seed: 1, epochs: 2, batchSize: 64 });
    expect(r.iterations).toBe(2 * Math.ceil(300 / 64));
    expect(r.epochs).toBeCloseTo(2, 10);
    const s = await train({ backend, train: trainData, objective, strategy: 'sgd', seed: 1, epochs: 1 });
    expect(s.iterations).toBe(300);
  });

  it('stops cleanly when aborted and keeps the weights learned so far', async () => {
    const { backend, trainData } = await setup();
    const controller = new AbortController();
    const r = await train({ backend, train: trainData, objective, strategy: 'minibatch', seed: 1, iterations: 500,
      batchSize: 32, signal: controller.signal, onProgress: (e) => { if (e.iteration === 7) controller.abort(); } });
    expect(r.status).toBe('stopped');
    expect(r.iterations).toBe(7);
    expect(r.message).toMatch(/stopped after 7 of 500/);
    expect(r.weights.every(Number.isFinite)).toBe(true);
  });

  it('a diverging run stops, says so, and keeps the last good weights', async () => {
    const backend = f32();
    const data = blobs(200, 6, 4, 5, 50); // large feature values: lr 1e3 explodes quickly
    const trainData = await backend.place(data);
    const r = await train({ backend, train: trainData, objective: { loss: 'svm', reg: 1 }, strategy: 'gd', seed: 1,
      iterations: 1000, learningRate: 1e3, onProgress: () => {} });
    expect(r.status).toBe('diverged');
    expect(r.message).toMatch(/diverged: .*kept the last good weights/);
    expect(r.iterations).toBeLessThan(1000);
    expect(r.weights.every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(r.finalLoss)).toBe(true);
    // The weights returned are those whose loss was recorded last, and that loss was in range.
    const check = await backend.evaluate(r.weights, trainData, { start: 0, count: 200 }, { loss: 'svm', reg: 1 }, false);
    expect(check.loss).toBeCloseTo(r.losses.at(-1)!, 0);
  });

  it('rejects unknown strategies and bad options with a clear message', async () => {
    const { backend, trainData } = await setup();
    await expect(train({ backend, train: trainData, objective, strategy: 'annealing' as never, seed: 1 }))
      .rejects.toThrow(/unknown strategy 'annealing'; choose one of random-search, /);
    await expect(train({ backend, train: trainData, objective, strategy: 'gd', seed: 1, learningRate: -1 }))
      .rejects.toThrow(/learningRate must be a positive number; got -1/);
    await expect(train({ backend, train: trainData, objective, strategy: 'gd', seed: 1, initialWeights: new Float64Array(5) }))
      .rejects.toThrow(/initial weights have 5 values; this data needs D×C = 7×4 = 28/);
  });
});
