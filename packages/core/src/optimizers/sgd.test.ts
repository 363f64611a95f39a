import { describe, expect, test } from 'vitest';
import { SgdOptimizer } from './sgd.js';

/** Element-wise toBeCloseTo to 12 decimals. */
function expectVec(actual: Float64Array, expected: number[]) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 12));
}

describe('sgd: w ← w − lr·g', () => {
  test('hand-computed steps', () => {
    const opt = new SgdOptimizer();
    const w = new Float64Array([1, -2]);
    // w = [1, −2] − 0.1·[0.5, −1] = [1 − 0.05, −2 + 0.1] = [0.95, −1.9]
    opt.step(w, new Float64Array([0.5, -1]), 0.1);
    expectVec(w, [0.95, -1.9]);
    // w = [0.95, −1.9] − 0.5·[2, 4] = [0.95 − 1, −1.9 − 2] = [−0.05, −3.9]
    opt.step(w, new Float64Array([2, 4]), 0.5);
    expectVec(w, [-0.05, -3.9]);
  });

  test('takes a float32 gradient', () => {
    const w = new Float64Array([1, 1]);
    // [1, 1] − 2·[0.5, 0.25] = [0, 0.5] (all exact in float32)
    new SgdOptimizer().step(w, new Float32Array([0.5, 0.25]), 2);
    expectVec(w, [0, 0.5]);
  });

  test('lr = 0 leaves w unchanged', () => {
    const w = new Float64Array([3, -4]);
    new SgdOptimizer().step(w, new Float64Array([1, 1]), 0);
    expectVec(w, [3, -4]);
  });
});
