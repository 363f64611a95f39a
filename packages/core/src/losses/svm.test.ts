import { describe, expect, it } from 'vitest';
import { DataError, OptionError, ShapeError } from '../errors.js';
import { Random } from '../random.js';
import { evaluateReference, gatherRows, linearScores } from './index.js';
import { svmLoss, svmLossAndGradient, svmRowLoss } from './svm.js';

/**
 * CS231n lecture 3's three images scored on (cat, car, frog): x = I₃ (one row per image), so
 * the scores X·W are W's rows, exactly the table.
 */
const LECTURE_SCORES = [
  [3.2, 5.1, -1.7], // cat image
  [1.3, 4.9, 2.0], // car image
  [2.2, 2.5, -3.1], // frog image
];
const lecture = {
  x: new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]),
  y: new Int32Array([0, 1, 2]),
  w: new Float64Array(LECTURE_SCORES.flat()),
};

/** Σ_{j≠y} max(0, s_j − s_y + Δ) straight from the formula, on one row. */
function hinge(s: number[], label: number, delta = 1): number {
  return s.reduce((acc, sj, j) => (j === label ? acc : acc + Math.max(0, sj - s[label]! + delta)), 0);
}

describe('svmLoss', () => {
  it('reproduces the CS231n lecture: 2.9, 0, 12.9, mean 5.27', () => {
    const scores = linearScores(lecture.x, lecture.w, 3, 3, 3);
    expect([...scores]).toEqual(LECTURE_SCORES.flat());
    const rows = [0, 1, 2].map((i) => svmRowLoss(scores, i * 3, i, 3, 1));
    expect(rows[0]).toBeCloseTo(2.9, 12);
    expect(rows[1]).toBe(0);
    expect(rows[2]).toBeCloseTo(12.9, 12);
    const r = svmLoss(lecture.x, lecture.y, lecture.w, 3, 3, 3, { reg: 0 });
    expect(r.dataLoss).toBeCloseTo(15.8 / 3, 12);
    expect(r.dataLoss.toFixed(2)).toBe('5.27');
    expect(r.regLoss).toBe(0);
    expect(r.loss).toBe(r.dataLoss);
  });

  it('gives the hand-derived loss and gradient on a 2×2 case', () => {
    // x = [[1, 2], [−1, 1]], y = [0, 1], W = I₂ → scores [[1, 2], [−1, 1]].
    // Row 0: margin for class 1 is 2 − 1 + 1 = 2 → L₀ = 2, dS₀ = [−1, 1].
    // Row 1: margin for class 0 is −1 − 1 + 1 = −1 → L₁ = 0, dS₁ = [0, 0].
    // dataLoss = 1, regLoss = 0.5·(1 + 1) = 1.
    // dW = ½·x₀ᵀdS₀ + 2·0.5·W = ½·[[−1, 1], [−2, 2]] + I = [[0.5, 0.5], [−1, 2]].
    const x = new Float32Array([1, 2, -1, 1]);
    const r = svmLossAndGradient(x, new Int32Array([0, 1]), new Float64Array([1, 0, 0, 1]), 2, 2, 2, { reg: 0.5 });
    expect(r.dataLoss).toBe(1);
    expect(r.regLoss).toBe(1);
    expect(r.loss).toBe(2);
    expect([...r.gradient]).toEqual([0.5, 0.5, -1, 2]);
  });

  it('treats a margin of exactly 0 as inactive (strict >) and a tie s_j = s_y as margin Δ', () => {
    // Row 0: s = [2, 1], y = 0 → margin 1 − 2 + 1 = 0: the kink, loss 0, subgradient 0.
    // Row 1: s = [1, 1], y = 0 → margin exactly Δ = 1: loss 1, dS = [−1, 1].
    const x = new Float64Array([1, 0, 0, 1]);
    const w = new Float64Array([2, 1, 1, 1]);
    const y = new Int32Array([0, 0]);
    const atKink = svmLossAndGradient(x.subarray(0, 2), y.subarray(0, 1), w, 1, 2, 2, { reg: 0 });
    expect(atKink.loss).toBe(0);
    expect([...atKink.gradient]).toEqual([0, 0, 0, 0]);
    const tie = svmLossAndGradient(x.subarray(2), y.subarray(1), w, 1, 2, 2, { reg: 0 });
    expect(tie.loss).toBe(1);
    expect([...tie.gradient]).toEqual([0, 0, -1, 1]);
    // Δ is honoured: with Δ = 3 the kink row's margin is 2.
    expect(svmLoss(x.subarray(0, 2), y.subarray(0, 1), w, 1, 2, 2, { reg: 0, delta: 3 }).loss).toBe(2);
  });

  it('handles a class absent from the batch: its gradient column still gets the active margins', () => {
    // C = 4, labels only 0 and 1; class 3 never appears but scores high, so its margins are active.
    const x = new Float64Array([1, 0, 0, 1]);
    const w = new Float64Array([0, 0, 0, 5, 0, 0, 0, 5]); // D=2 × C=4: class 3 scores 5 on both rows
    const r = svmLossAndGradient(x, new Int32Array([0, 1]), w, 2, 2, 4, { reg: 0 });
    // Each row: classes ≠ y with s=0 have margin 1 (two of them), class 3 margin 6 → L_i = 8.
    expect(r.dataLoss).toBe(8);
    // Column 3: ∂/∂W[k][3] = (1/2)·Σ_i x_ik·1 = 0.5 for both features.
    expect(r.gradient[0 * 4 + 3]).toBe(0.5);
    expect(r.gradient[1 * 4 + 3]).toBe(0.5);
    // Column y of row i gets −(active count)/N = −3/2 on feature i.
    expect(r.gradient[0 * 4 + 0]).toBe(-1.5);
    expect(r.gradient[1 * 4 + 1]).toBe(-1.5);
  });

  it('matches the formula on seeded random data, a batch of one, reg 0 and large reg', () => {
    const rng = new Random('svm-random');
    const n = 13, d = 6, c = 5;
    const x = normals(rng, new Float64Array(n * d));
    const w = normals(rng, new Float64Array(d * c), 0.5);
    const y = Int32Array.from({ length: n }, () => rng.int(c));
    const scores = linearScores(x, w, n, d, c);
    let expected = 0;
    for (let i = 0; i < n; i++) expected += hinge([...scores.subarray(i * c, i * c + c)], y[i]!);
    const sumW2 = w.reduce((a, v) => a + v * v, 0);
    const r0 = svmLoss(x, y, w, n, d, c, { reg: 0 });
    expect(r0.dataLoss).toBeCloseTo(expected / n, 12);
    expect(r0.regLoss).toBe(0);
    const big = svmLossAndGradient(x, y, w, n, d, c, { reg: 1e6 });
    expect(big.regLoss).toBeCloseTo(1e6 * sumW2, 4);
    const g0 = svmLossAndGradient(x, y, w, n, d, c, { reg: 0 }).gradient;
    for (let k = 0; k < d * c; k++) expect(big.gradient[k]).toBeCloseTo(g0[k]! + 2e6 * w[k]!, 6);
    // A batch of one is that row's hinge.
    const one = gatherRows(x, y, d, [4]);
    expect(svmLoss(one.x, one.y, w, 1, d, c, { reg: 0 }).loss)
      .toBeCloseTo(hinge([...scores.subarray(4 * c, 5 * c)], y[4]!), 12);
    // evaluateReference dispatches to the same math.
    const ref = evaluateReference(x, y, w, n, d, c, { loss: 'svm', reg: 0 }, true);
    expect(ref.loss).toBe(r0.loss);
    expect([...ref.gradient!]).toEqual([...g0]);
  });

  it('rejects bad inputs with messages naming what and where', () => {
    const x = new Float64Array(4 * 2);
    const w = new Float64Array(2 * 10);
    const y = new Int32Array([0, 1, 2, 12]);
    expect(() => svmLoss(x, y, w, 4, 2, 10, { reg: 0 })).toThrow(DataError);
    expect(() => svmLoss(x, y, w, 4, 2, 10, { reg: 0 })).toThrow('label 12 at row 3 is outside [0, 10)');
    expect(() => svmLoss(x, new Int32Array([0, -1, 0, 0]), w, 4, 2, 10, { reg: 0 }))
      .toThrow('label -1 at row 1 is outside [0, 10)');
    expect(() => svmLoss(x.subarray(1), new Int32Array(4), w, 4, 2, 10, { reg: 0 })).toThrow(ShapeError);
    expect(() => svmLoss(x.subarray(1), new Int32Array(4), w, 4, 2, 10, { reg: 0 }))
      .toThrow('x: expected 4×2 = 8 values, got 7');
    expect(() => svmLoss(x, new Int32Array(4), w.subarray(1), 4, 2, 10, { reg: 0 }))
      .toThrow('weights: expected 2×10 = 20 values (D×C), got 19');
    expect(() => svmLoss(x, new Int32Array(3), w, 4, 2, 10, { reg: 0 })).toThrow('labels: expected 4');
    const bad = new Float64Array(8);
    bad[5] = NaN;
    expect(() => svmLoss(bad, new Int32Array(4), w, 4, 2, 10, { reg: 0 })).toThrow('x has NaN at row 2, column 1');
    expect(() => svmLoss(x, new Int32Array(4), w, 4, 2, 10, { reg: -1 })).toThrow(OptionError);
    expect(() => svmLoss(x, new Int32Array(4), w, 4, 2, 10, { reg: 0, delta: NaN })).toThrow(OptionError);
    expect(() => evaluateReference(x, new Int32Array(4), w, 4, 2, 10,
      { loss: 'hinge' as 'svm', reg: 0 }, false)).toThrow("unknown loss 'hinge'");
  });
});

/** rng.fillNormal, keeping the array's own type. */
function normals<T extends Float32Array | Float64Array>(rng: Random, out: T, scale = 1): T {
  rng.fillNormal(out, scale);
  return out;
}
