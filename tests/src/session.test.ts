/**
 * Core's session API on a real backend: pausing, resuming and stopping a run through its
 * RunControl, watching its weights, and the settings → run → record path the apps share.
 */
import {
  prepareData, reportedSettings, RunControl, Session, train, trainingRecord, trainOptions, trainSettings, makeDataset,
  Random, type ImageShape,
} from '@descent/core';
import { describe, expect, it } from 'vitest';
import { blobs, f64 } from './helpers.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RunControl: pause, resume, stop and watch a run of train()', () => {
  it('a paused run does not move, and resumes to exactly the run never paused', async () => {
    const backend = f64();
    const data = await backend.place(blobs(300, 6, 3, 1));
    const settings = trainSettings({ loss: 'softmax', reg: 1e-3, strategy: 'minibatch', seed: 7, iterations: 60, batchSize: 32,
      learningRate: 0.1 });
    const plain = await train(trainOptions(settings, { backend, train: data }));
    const control = new RunControl();
    let seen = 0;
    const running = train(trainOptions(settings, { backend, train: data, control,
      onProgress: (e) => { seen = e.iteration; if (e.iteration === 20) control.pause(); } }));
    await wait(100);
    expect(control.paused).toBe(true);
    expect(seen).toBe(20);
    await wait(100);
    expect(seen, 'a paused run does not move').toBe(20);
    const w = control.weights()!;
    expect(w).toBeInstanceOf(Float64Array);
    w.fill(123); // a copy: changing it changes nothing
    control.resume();
    const resumed = await running;
    expect(resumed.status).toBe('completed');
    expect(resumed.iterations).toBe(60);
    expect(Array.from(resumed.weights)).toEqual(Array.from(plain.weights));
    expect(Array.from(resumed.losses)).toEqual(Array.from(plain.losses));
    await backend.dispose();
  });

  it('stop() while paused ends the run with the weights learned so far', async () => {
    const backend = f64();
    const data = await backend.place(blobs(200, 5, 3, 2));
    const control = new RunControl();
    const running = train(trainOptions(trainSettings({ loss: 'svm', reg: 1e-3, strategy: 'gd', seed: 1, iterations: 50 }),
      { backend, train: data, control, onProgress: (e) => { if (e.iteration === 5) control.pause(); } }));
    await wait(50);
    control.stop();
    const r = await running;
    expect(r.status).toBe('stopped');
    expect(r.iterations).toBe(5);
    expect(r.message).toBe('stopped after 5 of 50 iterations');
    await backend.dispose();
  });

  it('for the searches, weights() is the best W so far (the one they keep); beforeIteration runs before each', async () => {
    const backend = f64();
    const data = await backend.place(blobs(200, 5, 3, 3));
    const control = new RunControl();
    let hooks = 0;
    const r = await train(trainOptions(trainSettings({ strategy: 'random-search', seed: 3, iterations: 40 }),
      { backend, train: data, control, beforeIteration: () => { hooks++; } }));
    expect(hooks).toBe(40);
    expect(Array.from(control.weights()!)).toEqual(Array.from(r.weights));
    await backend.dispose();
  });
});

describe('Session: the apps\' one path from settings to a run, a record and the lecture\'s tools', () => {
  const shape: ImageShape = { height: 3, width: 3, channels: 1, layout: 'hwc' };
  function toy(n: number, seed: number) {
    const rng = new Random(seed);
    const images = new Uint8Array(n * 9);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = i % 3;
      for (let j = 0; j < 9; j++) images[i * 9 + j] = Math.floor(rng.float() * 60) + (j % 3 === labels[i] ? 150 : 0);
    }
    return makeDataset({ name: 'toy', images, labels, image: shape, classNames: ['a', 'b', 'c'] });
  }

  it('trains, reports settings and a record the same way everywhere, and runs every tool on the placed data', async () => {
    const session = new Session(f64());
    const prepared = prepareData({ name: 'toy', train: toy(300, 1), test: toy(90, 2) }, { seed: 1, validation: 0.1 });
    await session.place(prepared);
    expect(session.summary).toEqual({ name: 'toy', train: 270, validation: 30, test: 90, features: 10, classes: 3, xAs: 'float32' });
    const run = session.train({ iterations: 30, batchSize: 32, learningRate: 0.5 });
    expect(run.iterations).toBe(30);
    expect(run.settings).toMatchObject({ strategy: 'minibatch', optimizer: 'momentum', loss: 'softmax', iterations: 30 });
    const { result, testAccuracy } = await run.done;
    expect(result.status).toBe('completed');
    expect(testAccuracy).toBeGreaterThan(0.9);
    const settings = reportedSettings(run.settings, { data: 'toy', validation: 0.1 }, session.backend.id, 270);
    expect(settings).toMatchObject({ backend: 'ts-f64', batchSize: 32, sampler: 'shuffle', limit: null, resume: null });
    const record = trainingRecord({ settings, result, testAccuracy, data: session.summary, app: 'test' });
    expect(record.accuracy.test).toBe(testAccuracy);
    expect(record.accuracy.validation).toBe(result.evaluations.at(-1)!.validationAccuracy);
    // The tools, at the learned weights.
    const objective = { loss: 'softmax' as const, reg: 1e-4 };
    expect((await session.sweep(result.weights, objective, { sizes: [1e-3, 1e-1] })).rows).toHaveLength(2);
    expect((await session.landscape2D(result.weights, objective, { range: [-1, 1], points: 5, seed: 1 })).losses).toHaveLength(25);
    const g = await session.gradcheck(result.weights, objective, { examples: 50, h: 1e-5, method: 'centered', via: 'linearity', seed: 1 });
    expect(g.verdict.label).toBe('good');
    const b = await session.batches(result.weights, objective, { sizes: [4, 270], trials: 3, seed: 1 });
    expect(b.rows.at(-1)!.cosine.mean).toBeCloseTo(1, 12);
    const t = await session.tune({ trials: 2, rounds: 2, keep: 1, lrRange: [1e-3, 1], regRange: [1e-6, 1e-2], epochs: 1,
      batchSize: 64, optimizer: 'momentum' });
    expect(t.trials).toHaveLength(4);
    const c = await session.compare({ iterations: 20, searchScale: 1e-3, searchStep: 1e-4, initScale: 1e-3, against: 'minibatch',
      epochs: 2, learningRate: 0.5 });
    expect(c.map((x) => x.strategy)).toEqual(['random-search', 'random-local-search', 'minibatch']);
    expect(c[2]!.testAccuracy).toBeGreaterThan(c[0]!.testAccuracy);
    const p = await session.predict(result.weights);
    expect(p.predicted).toHaveLength(90);
    expect(p.predicted.filter((l, i) => l === p.actual[i]).length / 90).toBeCloseTo(testAccuracy, 12);
    expect(session.model(result.weights, objective).preprocessing).toBe(prepared.preprocessing);
    // An AbortSignal stops a run like control.stop().
    const abort = new AbortController();
    const stopped = session.train({ iterations: 1000, batchSize: 8 }, { signal: abort.signal,
      onProgress: (e) => { if (e.iteration === 3) abort.abort(); } });
    expect((await stopped.done).result).toMatchObject({ status: 'stopped', iterations: 3 });
    // Weights of the wrong shape are refused with a message.
    expect(() => session.checkWeights(new Float64Array(5), 'model.json')).toThrow('model.json have 5 values; toy needs 10×3 = 30');
    await session.close();
  });
});
