import { describe, expect, test } from 'vitest';
import { AdamOptimizer } from './adam.js';

function expectVec(actual: Float64Array, expected: number[]) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 12));
}

describe('adam: m, v moments with bias correction; w ← w − lr·m̂/(√v̂ + eps)', () => {
  test('hand-computed steps (β1 = 0.5, β2 = 0.75, eps = 1, lr = 0.1)', () => {
    const opt = new AdamOptimizer(0.5, 0.75, 1);
    const w = new Float64Array([1, 1]);
    // t = 1, g = [2, −4]
    //   m = 0.5·g = [1, −2];  v = 0.25·g² = [1, 4]
    //   m̂ = m/(1 − 0.5) = [2, −4];  v̂ = v/(1 − 0.75) = [4, 16];  √v̂ = [2, 4]
    //   Δ = −0.1·[2/(2+1), −4/(4+1)] = [−1/15, +0.08]  →  [14/15, 1.08]
    opt.step(w, new Float64Array([2, -4]), 0.1);
    expectVec(w, [14 / 15, 1.08]);
    expect(opt.stepCount).toBe(1);
    // t = 2, g = [2, 4]
    //   m = 0.5·[1, −2] + 0.5·[2, 4] = [1.5, 1];  v = 0.75·[1, 4] + 0.25·[4, 16] = [1.75, 7]
    //   m̂ = m/(1 − 0.25) = [2, 4/3];  v̂ = v/(1 − 0.5625) = v/0.4375 = [4, 16];  √v̂ = [2, 4]
    //   Δ = −0.1·[2/3, (4/3)/5] = [−1/15, −2/75]  →  [13/15, 1.08 − 2/75]
    opt.step(w, new Float64Array([2, 4]), 0.1);
    expectVec(w, [13 / 15, 1.08 - 2 / 75]);
    expect(opt.stepCount).toBe(2);
  });

  test('bias correction: the first step is ≈ lr per coordinate whatever the gradient scale', () => {
    // Defaults β1 = 0.9, β2 = 0.999: at t = 1 m̂ = g, v̂ = g², so Δ = −lr·g/(|g| + eps).
    // Without the correction it would be −lr·0.1·g/(√0.001·|g|) ≈ −3.16·lr·sign(g).
    const opt = new AdamOptimizer(0.9, 0.999, 1e-8);
    const w = new Float64Array([0, 0, 0]);
    opt.step(w, new Float64Array([1e-3, 1e3, -5]), 0.01);
    expect(w[0]).toBeCloseTo(-0.01, 6);
    expect(w[1]).toBeCloseTo(-0.01, 12);
    expect(w[2]).toBeCloseTo(0.01, 10);
  });

  test('a constant gradient keeps every step ≈ lr (m̂ = g and v̂ = g² exactly)', () => {
    // With g constant, m = (1 − β1^t)·g and v = (1 − β2^t)·g², so m̂ = g and v̂ = g² at every t.
    const opt = new AdamOptimizer(0.9, 0.999, 1e-8);
    const w = new Float64Array([0]);
    for (let t = 1; t <= 50; t++) {
      opt.step(w, new Float64Array([4]), 0.02);
      // each step is 0.02·4/(4 + 1e-8) = 0.02·(1 − 2.5e-9)
      expect(w[0]).toBeCloseTo(-0.02 * (1 - 2.5e-9) * t, 12);
    }
  });
});
