import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { gatherRows, linearScores, validateLabels } from './index.js';
import { softmaxLoss, softmaxLossAndGradient, softmaxRowLoss } from './softmax.js';
import { DataError } from '../errors.js';

/** −log softmax(s)_y straight from the definition (fine for moderate scores). */
function crossEntropy(s: number[], label: number): number {
  const z = s.reduce((a, v) => a + Math.exp(v), 0);
  return -Math.log(Math.exp(s[label]!) / z);
}

describe('softmaxLoss', () => {
  it('reproduces the CS231n lecture: the cat image costs 2.04 (natural log)', () => {
    const x = new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const w = new Float64Array([3.2, 5.1, -1.7, 1.3, 4.9, 2.0, 2.2, 2.5, -3.1]);
    const scores = linearScores(x, w, 3, 3, 3);
    const cat = softmaxRowLoss(scores, 0, 0, 3);
    // p_cat = e^3.2 / (e^3.2 + e^5.1 + e^−1.7) = 0.1299…; −ln p_cat = 2.0404…
    expect(cat).toBeCloseTo(Math.log(Math.exp(3.2) + Math.exp(5.1) + Math.exp(-1.7)) - 3.2, 14);
    expect(cat.toFixed(4)).toBe('2.0404');
    const r = softmaxLoss(x, new Int32Array([0, 1, 2]), w, 3, 3, 3, { reg: 0 });
    const expected = [0, 1, 2].map((i) => crossEntropy(LECTURE_ROW(w, i), i));
    expect(r.dataLoss).toBeCloseTo((expected[0]! + expected[1]! + expected[2]!) / 3, 13);
  });

  it('gives the hand-derived loss and gradient on a 2×2 case', () => {
    // W = 0 → all scores 0 → p = [½, ½], L_i = ln 2.
    // x = [[1, 2], [3, 4]], y = [0, 1]: dS₀ = [−½, ½], dS₁ = [½, −½].
    // Xᵀ·dS = [[1·(−½) + 3·½, 1·½ + 3·(−½)], [2·(−½) + 4·½, 2·½ + 4·(−½)]] = [[1, −1], [1, −1]];
    // dW = ½·that = [[0.5, −0.5], [0.5, −0.5]]; reg·ΣW² = 0.
    const r = softmaxLossAndGradient(new Float32Array([1, 2, 3, 4]), new Int32Array([0, 1]),
      new Float64Array(4), 2, 2, 2, { reg: 3 });
    expect(r.loss).toBeCloseTo(Math.LN2, 15);
    expect(r.regLoss).toBe(0);
    expect([...r.gradient]).toEqual([0.5, -0.5, 0.5, -0.5]);
  });

  it('stays exact and finite for scores of ±1e4', () => {
    // Scores [1e4, −1e4, 0]: naive e^{1e4} overflows to Infinity; log-sum-exp does not.
    const x = new Float64Array([1, 0, 0, 1]);
    const w = new Float64Array([1e4, -1e4, 0, -1e4, 1e4, 0]); // row 0 → [1e4, −1e4, 0], row 1 → [−1e4, 1e4, 0]
    const right = softmaxLossAndGradient(x, new Int32Array([0, 1]), w, 2, 2, 3, { reg: 0 });
    expect(right.dataLoss).toBe(0); // log(1 + e^{−1e4} + e^{−2e4}) = log 1
    const wrong = softmaxLossAndGradient(x, new Int32Array([1, 0]), w, 2, 2, 3, { reg: 0 });
    expect(wrong.dataLoss).toBe(2e4); // −log p = 2e4 exactly
    for (const g of [right.gradient, wrong.gradient]) expect(g.every(Number.isFinite)).toBe(true);
    // Wrong labels: dS₀ = p − e₁ = [1, −1, 0], dS₁ = [−1, 1, 0] → dW = ½·[[1, −1, 0], [−1, 1, 0]].
    expect([...wrong.gradient]).toEqual([0.5, -0.5, 0, -0.5, 0.5, 0]);
    const wBig = softmaxLoss(x, new Int32Array([1, 0]), w, 2, 2, 3, { reg: 1 });
    expect(wBig.regLoss).toBe(4e8);
    expect(wBig.loss).toBe(4e8 + 2e4);
  });

  it('matches the definition on seeded data, with an absent class, a batch of one, reg 0 and large reg', () => {
    const rng = new Random('softmax-random');
    const n = 11, d = 5, c = 4;
    const x = normals(rng, new Float64Array(n * d));
    const w = normals(rng, new Float64Array(d * c), 0.3);
    const y = Int32Array.from({ length: n }, () => rng.int(c - 1)); // class 3 never appears
    const s = linearScores(x, w, n, d, c);
    const rowsOf = (i: number) => [...s.subarray(i * c, i * c + c)];
    let sum = 0;
    for (let i = 0; i < n; i++) sum += crossEntropy(rowsOf(i), y[i]!);
    const r = softmaxLossAndGradient(x, y, w, n, d, c, { reg: 0 });
    expect(r.dataLoss).toBeCloseTo(sum / n, 13);
    // Absent class: ∂L/∂W[k][3] = (1/N) Σ_i x_ik·p_i3 > 0 direction, computed independently.
    for (let k = 0; k < d; k++) {
      let g = 0;
      for (let i = 0; i < n; i++) {
        const row = rowsOf(i);
        const z = row.reduce((a, v) => a + Math.exp(v), 0);
        g += x[i * d + k]! * Math.exp(row[3]!) / z;
      }
      expect(r.gradient[k * c + 3]).toBeCloseTo(g / n, 13);
    }
    const big = softmaxLossAndGradient(x, y, w, n, d, c, { reg: 1e5 });
    const sumW2 = w.reduce((a, v) => a + v * v, 0);
    expect(big.regLoss).toBeCloseTo(1e5 * sumW2, 6);
    expect(big.dataLoss).toBe(r.dataLoss);
    for (let k = 0; k < d * c; k++) expect(big.gradient[k]).toBeCloseTo(r.gradient[k]! + 2e5 * w[k]!, 7);
    const one = gatherRows(x, y, d, [7]);
    expect(softmaxLoss(one.x, one.y, w, 1, d, c, { reg: 0 }).loss).toBeCloseTo(crossEntropy(rowsOf(7), y[7]!), 13);
  });

  it('rejects non-integer labels', () => {
    expect(() => validateLabels([0, 1.5], 2, 3)).toThrow(DataError);
    expect(() => validateLabels([0, 1.5], 2, 3)).toThrow('label 1.5 at row 1 is not an integer');
  });
});

function LECTURE_ROW(w: Float64Array, i: number): number[] {
  return [...w.subarray(i * 3, i * 3 + 3)];
}

/** rng.fillNormal, keeping the array's own type. */
function normals<T extends Float32Array | Float64Array>(rng: Random, out: T, scale = 1): T {
  rng.fillNormal(out, scale);
  return out;
}
