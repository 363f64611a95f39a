import { describe, expect, test } from 'vitest';
import { RmspropOptimizer } from './rmsprop.js';

function expectVec(actual: Float64Array, expected: number[]) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 12));
}

describe('rmsprop: cache ← decay·cache + (1−decay)·g²; w ← w − lr·g/(√cache + eps)', () => {
  test('hand-computed steps (decay = 0.75, eps = 1, lr = 0.3)', () => {
    const opt = new RmspropOptimizer(0.75, 1);
    const w = new Float64Array([1, 1]);
    // 1: g = [4, −8]; cache = 0.25·[16, 64] = [4, 16]; √cache = [2, 4]
    //    Δ = −0.3·[4/(2+1), −8/(4+1)] = [−0.4, +0.48]  →  [0.6, 1.48]
    opt.step(w, new Float64Array([4, -8]), 0.3);
    expectVec(w, [0.6, 1.48]);
    // 2: g = [2, 4]; cache = 0.75·[4, 16] + 0.25·[4, 16] = [4, 16]
    //    Δ = −0.3·[2/3, 4/5] = [−0.2, −0.24]  →  [0.4, 1.24]
    opt.step(w, new Float64Array([2, 4]), 0.3);
    expectVec(w, [0.4, 1.24]);
    // 3: g = [0, 0]; cache = 0.75·[4, 16] = [3, 12]; Δ = 0  →  unchanged
    opt.step(w, new Float64Array([0, 0]), 0.3);
    expectVec(w, [0.4, 1.24]);
    // 4: g = [6, 0]; cache = 0.75·[3, 12] + 0.25·[36, 0] = [2.25 + 9, 9] = [11.25, 9]
    //    Δ = −0.3·[6/(√11.25 + 1), 0]; √11.25 = 3.354101966249685
    //    → 0.4 − 1.8/4.354101966249685 = 0.4 − 0.41340... = −0.013403331…
    opt.step(w, new Float64Array([6, 0]), 0.3);
    expectVec(w, [0.4 - 1.8 / 4.354101966249685, 1.24]);
  });

  test('with the default decay 0.99 the first step is 10·lr per coordinate (no bias correction)', () => {
    const w = new Float64Array([0, 0]);
    new RmspropOptimizer(0.99, 1e-8).step(w, new Float64Array([3, -0.02]), 0.01);
    // cache = 0.01·g², √cache = 0.1·|g|, Δ = −0.01·g/(0.1|g|) = −0.1·sign(g)
    expect(w[0]).toBeCloseTo(-0.1, 8);
    expect(w[1]).toBeCloseTo(0.1, 6);
  });
});
