import { describe, expect, it } from 'vitest';
import type { Objective } from '../backend.js';
import { Random } from '../random.js';
import { planeGridLossSums } from './plane-grid.js';
import { meanDataLossFromScores } from './scores-loss.js';

/** The grid by its definition: form S₀ + aS₁ + bS₂ and evaluate the loss at each point. */
function direct(s0: Float64Array, s1: Float64Array, s2: Float64Array, y: Int32Array, c: number, objective: Objective,
  alphas: Float64Array, betas: Float64Array): Float64Array {
  const out = new Float64Array(alphas.length * betas.length);
  const s = new Float64Array(s0.length);
  alphas.forEach((a, i) => betas.forEach((b, j) => {
    for (let k = 0; k < s.length; k++) s[k] = s0[k]! + a * s1[k]! + b * s2[k]!;
    out[i * betas.length + j] = meanDataLossFromScores(s, y, c, objective) * y.length;
  }));
  return out;
}

function scores(n: number, c: number, seed: number, scale: number) {
  const rng = new Random(seed);
  const m = () => rng.fillNormal(new Float64Array(n * c), scale) as Float64Array;
  return { s0: m(), s1: m(), s2: m(), y: Int32Array.from({ length: n }, () => rng.int(c)) };
}

const axis = (from: number, to: number, p: number) => Float64Array.from({ length: p }, (_, i) => from + ((to - from) * i) / (p - 1));

describe('planeGridLossSums', () => {
  it.each([
    ['softmax, ordinary scores', { loss: 'softmax', reg: 0 }, 1],
    ['softmax, scores of ±1e3 (renormalisation and underflowed terms that grow back)', { loss: 'softmax', reg: 0 }, 1e3],
    ['svm', { loss: 'svm', reg: 0, delta: 1 }, 1],
    ['crammer-singer', { loss: 'crammer-singer', reg: 0, delta: 1 }, 1],
    ['crammer-singer, Δ 2', { loss: 'crammer-singer', reg: 0, delta: 2 }, 1],
  ] as [string, Objective, number][])('equals evaluating each point by its definition: %s', (_name, objective, scale) => {
    const { s0, s1, s2, y } = scores(40, 7, 3, scale);
    const alphas = axis(-2, 2, 13), betas = axis(-3, 3, 41);
    const fast = planeGridLossSums(s0, s1, s2, y, 7, objective, alphas, betas);
    const slow = direct(s0, s1, s2, y, 7, objective, alphas, betas);
    for (let k = 0; k < fast.length; k++) {
      expect(Math.abs(fast[k]! - slow[k]!)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(slow[k]!)));
    }
  });

  it('handles an uneven b axis (no recurrence) the same way', () => {
    const { s0, s1, s2, y } = scores(20, 4, 5, 2);
    const alphas = axis(-1, 1, 5), betas = Float64Array.from([-1, -0.5, 0, 0.1, 2]);
    const objective: Objective = { loss: 'softmax', reg: 0 };
    const fast = planeGridLossSums(s0, s1, s2, y, 4, objective, alphas, betas);
    const slow = direct(s0, s1, s2, y, 4, objective, alphas, betas);
    fast.forEach((v, k) => expect(v).toBeCloseTo(slow[k]!, 9));
  });
});
