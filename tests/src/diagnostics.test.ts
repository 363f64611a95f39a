import { describe, expect, it } from 'vitest';
import {
  accuracy, confusionFromPredictions, confusionMatrix, LANDSCAPE_CAPS, landscape1D, landscape2D, LECTURE_STEP_SIZES,
  Random, stepSizeSweep, type Objective,
} from '@descent/core';
import { blobs, f32, f64 } from './helpers.js';

const objectives: Objective[] = [{ loss: 'softmax', reg: 1e-2 }, { loss: 'svm', reg: 1e-2, delta: 1 }];

async function setup() {
  const backend = f64();
  const data = await backend.place(blobs(200, 5, 3, 9));
  const w = new Random(4).fillNormal(new Float64Array(6 * 3), 0.3) as Float64Array;
  return { backend, data, w };
}

describe('step-size sweep', () => {
  it.each(objectives)('by linearity equals honest evaluation at every step size ($loss)', async (objective) => {
    const { backend, data, w } = await setup();
    const fast = await stepSizeSweep(backend, data, objective, w, { sizes: [1e-3, 1e-2, 1e-1, 1, 10] });
    const exact = await stepSizeSweep(backend, data, objective, w, { sizes: [1e-3, 1e-2, 1e-1, 1, 10], exact: true });
    expect(fast.rows.map((r) => r.size)).toEqual([1e-3, 1e-2, 1e-1, 1, 10]);
    fast.rows.forEach((r, i) => expect(r.loss).toBeCloseTo(exact.rows[i]!.loss, 10));
    // A small step along −∇L lowers the loss; the best size is the lowest row.
    expect(fast.rows[0]!.loss).toBeLessThan(fast.initialLoss);
    expect(fast.best.loss).toBe(Math.min(...fast.rows.map((r) => r.loss)));
  });

  it("defaults to the lecture's table, 1e-10 … 1e-1", async () => {
    const { backend, data, w } = await setup();
    const r = await stepSizeSweep(backend, data, objectives[0]!, w);
    expect(r.rows.map((x) => x.size)).toEqual(LECTURE_STEP_SIZES);
    expect(LECTURE_STEP_SIZES[0]).toBe(1e-10);
    expect(LECTURE_STEP_SIZES[9]).toBeCloseTo(1e-1, 15);
    // The tiniest steps barely move the loss.
    expect(Math.abs(r.rows[0]!.loss - r.initialLoss)).toBeLessThan(1e-8);
  });

  it('rejects a non-positive step size', async () => {
    const { backend, data, w } = await setup();
    await expect(stepSizeSweep(backend, data, objectives[0]!, w, { sizes: [0.1, -1] })).rejects.toThrow(/positive and finite; got -1/);
  });
});

describe('loss landscapes', () => {
  it.each(objectives)('1-D slice by linearity equals honest evaluation ($loss)', async (objective) => {
    const { backend, data, w } = await setup();
    const fast = await landscape1D(backend, data, objective, w, new Random(1), { points: 21, range: [-2, 2] });
    const exact = await landscape1D(backend, data, objective, w, new Random(1), { points: 21, range: [-2, 2], exact: true });
    expect(Array.from(fast.direction)).toEqual(Array.from(exact.direction));
    fast.losses.forEach((l, i) => expect(l).toBeCloseTo(exact.losses[i]!, 10));
    // a = 0 is W itself.
    const at0 = await backend.evaluate(w, data, { start: 0, count: 200 }, objective, false);
    expect(fast.losses[10]).toBeCloseTo(at0.loss, 12);
    expect(fast.alphas[0]).toBe(-2);
    expect(fast.alphas[20]).toBe(2);
  });

  it('2-D grid by linearity equals honest evaluation, on a float32 backend too', async () => {
    for (const backend of [f64(), f32()]) {
      const data = await backend.place(blobs(150, 5, 3, 2));
      const w = new Random(5).fillNormal(new Float64Array(18), 0.2) as Float64Array;
      const objective = objectives[1]!;
      const fast = await landscape2D(backend, data, objective, w, new Random(3), { points: 7 });
      const exact = await landscape2D(backend, data, objective, w, new Random(3), { points: 7, exact: true });
      expect(fast.losses).toHaveLength(49);
      const tol = backend.precision === 'float64' ? 1e-10 : 1e-4;
      fast.losses.forEach((l, i) => expect(Math.abs(l - exact.losses[i]!)).toBeLessThan(tol * Math.max(1, Math.abs(l))));
    }
  });

  it('refuses sizes beyond LANDSCAPE_CAPS for any caller, before evaluating anything', async () => {
    const { backend, data, w } = await setup();
    const o = objectives[0]!;
    await expect(landscape1D(backend, data, o, w, new Random(1), { points: LANDSCAPE_CAPS.points1D + 1 }))
      .rejects.toThrow(`points per axis must be an integer from 2 to ${LANDSCAPE_CAPS.points1D} (LANDSCAPE_CAPS, 1-D); got ${LANDSCAPE_CAPS.points1D + 1}`);
    await expect(landscape2D(backend, data, o, w, new Random(1), { points: LANDSCAPE_CAPS.points2D + 1 }))
      .rejects.toThrow(/from 2 to 501 \(LANDSCAPE_CAPS, 2-D\)/);
    await expect(landscape1D(backend, data, o, w, new Random(1), { range: [-1e308, 1e308] })).rejects.toThrow(/within ±10000/);
    expect((await landscape2D(backend, data, o, w, new Random(1), { points: LANDSCAPE_CAPS.points2D, range: [-1e4, 1e4] })).losses).toHaveLength(501 * 501);
  });

  it("random directions get the weights' norm by default", async () => {
    const { backend, data, w } = await setup();
    const r = await landscape1D(backend, data, objectives[0]!, w, new Random(1), { points: 3 });
    const norm = (v: Float64Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    expect(norm(r.direction)).toBeCloseTo(norm(w), 10);
  });
});

describe('accuracy and confusion matrix', () => {
  it('counts a hand-made case exactly', () => {
    const m = confusionFromPredictions([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 0, 2], 3);
    expect(Array.from(m.counts)).toEqual([1, 1, 0, 0, 2, 0, 1, 0, 1]);
    expect(m.accuracy).toBeCloseTo(4 / 6, 15);
    expect(Array.from(m.recall)).toEqual([0.5, 1, 0.5]);
    expect(Array.from(m.precision)).toEqual([0.5, 2 / 3, 1]);
  });

  it('scores through the backend: a W that copies the one-hot feature is 100% right', async () => {
    const backend = f64();
    // x = [one-hot(label), 1]; W = identity over the one-hot block, zero bias row.
    const n = 9, c = 3, d = c + 1;
    const x = new Float32Array(n * d);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) { y[i] = i % c; x[i * d + (i % c)] = 1; x[i * d + c] = 1; }
    const data = await backend.place({ x, y, n, d, classes: c });
    const w = new Float64Array(d * c);
    for (let k = 0; k < c; k++) w[k * c + k] = 1;
    expect(await accuracy(backend, w, data)).toBe(1);
    // Swap classes 0 and 1 in W: those rows become wrong, class 2 stays right.
    const swapped = new Float64Array(d * c);
    swapped[0 * c + 1] = 1; swapped[1 * c + 0] = 1; swapped[2 * c + 2] = 1;
    const m = await confusionMatrix(backend, swapped, data);
    expect(m.accuracy).toBeCloseTo(3 / 9, 15);
    expect(Array.from(m.counts)).toEqual([0, 3, 0, 3, 0, 0, 0, 0, 3]);
    expect(await accuracy(backend, swapped, data, new Int32Array([2, 5, 8]))).toBe(1);
  });
});
