import { describe, expect, test } from 'vitest';
import { AdagradOptimizer } from './adagrad.js';

function expectVec(actual: Float64Array, expected: number[]) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 12));
}

describe('adagrad: cache ← cache + g²; w ← w − lr·g/(√cache + eps)', () => {
  test('hand-computed steps (lr = 0.1, eps = 1 so its place outside the root shows)', () => {
    const opt = new AdagradOptimizer(1);
    const w = new Float64Array([1, 1]);
    // 1: g = [3, −4]; cache = [9, 16]; √cache = [3, 4]
    //    Δ = −0.1·[3/(3+1), −4/(4+1)] = [−0.075, +0.08]  →  [0.925, 1.08]
    opt.step(w, new Float64Array([3, -4]), 0.1);
    expectVec(w, [0.925, 1.08]);
    // 2: g = [4, 3]; cache = [9+16, 16+9] = [25, 25]; √cache = [5, 5]
    //    Δ = −0.1·[4/6, 3/6] = [−1/15, −0.05]  →  [0.925 − 0.0666…, 1.03] = [0.858333…, 1.03]
    opt.step(w, new Float64Array([4, 3]), 0.1);
    expectVec(w, [0.925 - 1 / 15, 1.03]);
    // 3: g = [0, 12]; cache = [25, 169]; √cache = [5, 13]
    //    Δ = −0.1·[0, 12/14] = [0, −0.0857142…]  →  [0.858333…, 1.03 − 6/70]
    opt.step(w, new Float64Array([0, 12]), 0.1);
    expectVec(w, [0.925 - 1 / 15, 1.03 - 6 / 70]);
  });

  test('first step with the default eps moves each coordinate by ≈ lr whatever |g|', () => {
    const w = new Float64Array([0, 0, 0]);
    new AdagradOptimizer(1e-8).step(w, new Float64Array([1e-2, 1e3, -7]), 0.5);
    // cache = g², so Δ = −0.5·g/(|g| + 1e-8) ≈ −0.5·sign(g)
    expect(w[0]).toBeCloseTo(-0.5, 5);
    expect(w[1]).toBeCloseTo(-0.5, 10);
    expect(w[2]).toBeCloseTo(0.5, 8);
  });

  test('steps shrink under a constant gradient: lr/√t', () => {
    const opt = new AdagradOptimizer(1e-12);
    const w = new Float64Array([0]);
    const g = new Float64Array([2]);
    // after t steps cache = 4t, so step t is 0.1·2/(2√t) = 0.1/√t
    let before = 0;
    for (let t = 1; t <= 4; t++) {
      opt.step(w, g, 0.1);
      expect(before - w[0]!).toBeCloseTo(0.1 / Math.sqrt(t), 10);
      before = w[0]!;
    }
  });
});
