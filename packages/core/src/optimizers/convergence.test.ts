import { describe, expect, test } from 'vitest';
import { Random } from '../random.js';
import { createOptimizer, type OptimizerName } from './index.js';

/**
 * Every optimizer, with its default options and a constant step size, drives the convex
 * quadratic f(w) = ½ Σ a_i (w_i − c_i)² (10-D, curvatures a_i spaced evenly from 0.5 to 20,
 * so condition number 40; c and the start w0 = c + 3·N(0,1) drawn from a seeded Random) to its
 * minimum: |w − c|∞ < 1e-6 after `steps` steps, and it stays below that for 500 more steps
 * (RMSProp and Adam at too large a step size would hover at a distance of order lr instead).
 *
 * Step sizes: SGD just under 2/(a_min + a_max) ≈ 0.098; momentum and Nesterov with μ = 0.9
 * inside their stability limits (lr·a_max < 2(1+μ) = 3.8 and < 2(1+μ)/(1+2μ) ≈ 1.36);
 * Adagrad's and RMSProp's steps are scale-free (≈ lr per coordinate at first), so lr is of
 * the order of the distance to travel (Adagrad) or a small fraction of it (RMSProp, Adam).
 * Step counts: the first step below 1e-6 with seed 7 was sgd 301, momentum 275, nesterov 179,
 * adagrad 125, rmsprop 539, adam 299; the limits leave room above those.
 */
const CASES: { name: OptimizerName; lr: number; steps: number }[] = [
  { name: 'sgd', lr: 0.09, steps: 400 },
  { name: 'momentum', lr: 0.05, steps: 400 },
  { name: 'nesterov', lr: 0.05, steps: 300 },
  { name: 'adagrad', lr: 1, steps: 200 },
  { name: 'rmsprop', lr: 0.02, steps: 700 },
  { name: 'adam', lr: 0.1, steps: 400 },
];

const D = 10;
const TOL = 1e-6;

function quadratic(seed: number) {
  const rng = new Random(seed);
  const a = new Float64Array(D);
  const c = new Float64Array(D);
  const w0 = new Float64Array(D);
  for (let i = 0; i < D; i++) {
    a[i] = 0.5 + (19.5 * i) / (D - 1);
    c[i] = 3 * rng.normal();
    w0[i] = c[i]! + 3 * rng.normal();
  }
  /** ∇f(w)_i = a_i (w_i − c_i) */
  const gradient = (w: Float64Array, g: Float64Array) => {
    for (let i = 0; i < D; i++) g[i] = a[i]! * (w[i]! - c[i]!);
  };
  const error = (w: Float64Array) => {
    let e = 0;
    for (let i = 0; i < D; i++) e = Math.max(e, Math.abs(w[i]! - c[i]!));
    return e;
  };
  return { w0, gradient, error };
}

describe.each(CASES)('$name on a 10-D quadratic (lr $lr)', ({ name, lr, steps }) => {
  test(`reaches |w − c|∞ < ${TOL} within ${steps} steps and stays there`, () => {
    const { w0, gradient, error } = quadratic(7);
    const opt = createOptimizer(name);
    const w = Float64Array.from(w0);
    const g = new Float64Array(D);
    expect(error(w)).toBeGreaterThan(1);
    for (let t = 0; t < steps; t++) {
      gradient(w, g);
      opt.step(w, g, lr);
    }
    expect(error(w)).toBeLessThan(TOL);
    let worst = 0;
    for (let t = 0; t < 500; t++) {
      gradient(w, g);
      opt.step(w, g, lr);
      worst = Math.max(worst, error(w));
    }
    expect(worst).toBeLessThan(TOL);
  });

  test('converges from other seeded starts too', () => {
    for (const seed of [1, 2, 3]) {
      const { w0, gradient, error } = quadratic(seed);
      const opt = createOptimizer(name);
      const w = Float64Array.from(w0);
      const g = new Float64Array(D);
      for (let t = 0; t < 2 * steps; t++) {
        gradient(w, g);
        opt.step(w, g, lr);
      }
      expect(error(w), `seed ${seed}`).toBeLessThan(TOL);
    }
  });
});
