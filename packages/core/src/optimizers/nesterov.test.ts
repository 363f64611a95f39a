import { describe, expect, test } from 'vitest';
import { NesterovOptimizer } from './nesterov.js';

function expectVec(actual: Float64Array, expected: number[]) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 12));
}

describe('nesterov: v_prev = v; v ← μv − lr·g; w ← w − μ·v_prev + (1+μ)·v', () => {
  test('hand-computed steps (μ = 0.9, lr = 0.1)', () => {
    const opt = new NesterovOptimizer(0.9);
    const w = new Float64Array([1, 2]);
    // 1: v_prev = [0, 0]; v = −0.1·[1, −2] = [−0.1, 0.2]
    //    w += −0.9·[0, 0] + 1.9·[−0.1, 0.2] = [−0.19, 0.38]  →  [0.81, 2.38]
    opt.step(w, new Float64Array([1, -2]), 0.1);
    expectVec(w, [0.81, 2.38]);
    // 2: v_prev = [−0.1, 0.2]; v = 0.9·[−0.1, 0.2] − 0.1·[0.5, 1] = [−0.14, 0.08]
    //    w += −0.9·[−0.1, 0.2] + 1.9·[−0.14, 0.08] = [0.09 − 0.266, −0.18 + 0.152]
    //       = [−0.176, −0.028]  →  [0.634, 2.352]
    opt.step(w, new Float64Array([0.5, 1]), 0.1);
    expectVec(w, [0.634, 2.352]);
    // 3 (zero gradient): v_prev = [−0.14, 0.08]; v = [−0.126, 0.072]
    //    w += −0.9·[−0.14, 0.08] + 1.9·[−0.126, 0.072] = [0.126 − 0.2394, −0.072 + 0.1368]
    //       = [−0.1134, 0.0648]  →  [0.5206, 2.4168]
    opt.step(w, new Float64Array([0, 0]), 0.1);
    expectVec(w, [0.5206, 2.4168]);
  });

  test('the first step is (1+μ) times plain momentum\'s', () => {
    // With v = 0 the first step is (1+μ)·(−lr·g), not −lr·g (above: [0.81, 2.38] where momentum
    // gives [0.9, 2.2]): the look-ahead form keeps w at the look-ahead point w + μv.
    const w = new Float64Array([0, 0]);
    new NesterovOptimizer(0.5).step(w, new Float64Array([2, -4]), 0.25);
    // v = −0.25·[2, −4] = [−0.5, 1]; w = 1.5·v = [−0.75, 1.5]
    expectVec(w, [-0.75, 1.5]);
  });
});
