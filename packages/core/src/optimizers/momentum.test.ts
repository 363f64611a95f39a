import { describe, expect, test } from 'vitest';
import { MomentumOptimizer } from './momentum.js';
import { SgdOptimizer } from './sgd.js';

function expectVec(actual: Float64Array, expected: number[]) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 12));
}

describe('momentum: v ← μv − lr·g; w ← w + v', () => {
  test('hand-computed steps (μ = 0.9, lr = 0.1)', () => {
    const opt = new MomentumOptimizer(0.9);
    const w = new Float64Array([1, 2]);
    // 1: v = 0.9·0 − 0.1·[1, −2] = [−0.1, 0.2];  w = [0.9, 2.2]   (same as SGD: v starts at 0)
    opt.step(w, new Float64Array([1, -2]), 0.1);
    expectVec(w, [0.9, 2.2]);
    // 2: v = 0.9·[−0.1, 0.2] − 0.1·[0.5, 1] = [−0.09 − 0.05, 0.18 − 0.1] = [−0.14, 0.08]
    //    w = [0.9 − 0.14, 2.2 + 0.08] = [0.76, 2.28]
    opt.step(w, new Float64Array([0.5, 1]), 0.1);
    expectVec(w, [0.76, 2.28]);
    // 3 (zero gradient, velocity carries on): v = 0.9·[−0.14, 0.08] = [−0.126, 0.072]
    //    w = [0.76 − 0.126, 2.28 + 0.072] = [0.634, 2.352]
    opt.step(w, new Float64Array([0, 0]), 0.1);
    expectVec(w, [0.634, 2.352]);
  });

  test('μ = 0 is SGD', () => {
    const a = new Float64Array([1, -1]);
    const b = new Float64Array([1, -1]);
    const m = new MomentumOptimizer(0);
    const s = new SgdOptimizer();
    for (const g of [[1, 2], [-3, 0.5], [0.25, 4]]) {
      m.step(a, new Float64Array(g), 0.3);
      s.step(b, new Float64Array(g), 0.3);
    }
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});
