import { describe, expect, it } from 'vitest';
import type { Objective } from '../backend.js';
import { OptionError } from '../errors.js';
import { crammerSingerKinkCounter, gradientCheck, kinkCounterFor } from '../gradients/check.js';
import { roundingScale } from '../gradients/floor.js';
import { linearFiniteDifferences } from '../gradients/linear-differences.js';
import { numericalGradient } from '../gradients/numerical.js';
import { Random } from '../random.js';
import {
  crammerSingerCompetitor, crammerSingerLoss, crammerSingerLossAndGradient, crammerSingerRowLoss,
} from './crammer-singer.js';
import { evaluateReference, linearScores } from './index.js';

/** CS231n lecture 3's score table (cat, car, frog images scored on cat, car, frog): x = I₃. */
const lecture = {
  x: new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]),
  y: new Int32Array([0, 1, 2]),
  w: new Float64Array([3.2, 5.1, -1.7, 1.3, 4.9, 2.0, 2.2, 2.5, -3.1]),
};

/** max(0, Δ + max_{j≠y} s_j − s_y) straight from the formula. */
function byFormula(s: number[], label: number, delta = 1): number {
  const rival = Math.max(...s.filter((_, j) => j !== label));
  return Math.max(0, rival - s[label]! + delta);
}

describe('crammerSingerLoss', () => {
  it('scores the lecture table: 2.9, 0, 6.6 (only the strongest wrong class counts)', () => {
    const scores = linearScores(lecture.x, lecture.w, 3, 3, 3);
    const rows = [0, 1, 2].map((i) => crammerSingerRowLoss(scores, i * 3, i, 3, 1));
    expect(rows[0]).toBeCloseTo(2.9, 12); // car 5.1 beats cat 3.2 by 1.9, plus Δ
    expect(rows[1]).toBe(0); // frog 2.0 is 2.9 below car 4.9: beyond the margin
    expect(rows[2]).toBeCloseTo(6.6, 12); // car 2.5 against frog −3.1, plus Δ (Weston–Watkins adds cat's 6.3 too)
    const r = crammerSingerLoss(lecture.x, lecture.y, lecture.w, 3, 3, 3, { reg: 0 });
    expect(r.dataLoss).toBeCloseTo(9.5 / 3, 12);
    expect(r.loss).toBe(r.dataLoss);
    expect(evaluateReference(lecture.x, lecture.y, lecture.w, 3, 3, 3, { loss: 'crammer-singer', reg: 0 }, false).loss)
      .toBe(r.loss);
  });

  it('gives the hand-derived loss and gradient on a 2×3 case', () => {
    // x = [[1, 2], [−1, 1]], y = [0, 2], W = [[1, 0, 2], [0, 1, 0]] → scores [[1, 2, 2], [−1, 1, −2]].
    // Row 0: wrong classes 1 and 2 tie at 2: the competitor is class 1 (lowest index);
    //   margin 2 − 1 + 1 = 2 → L₀ = 2, dS₀ = [−1, 1, 0].
    // Row 1: competitor class 1 (score 1); margin 1 − (−2) + 1 = 4 → L₁ = 4, dS₁ = [0, 1, −1].
    // dataLoss 3; regLoss 0.5·6 = 3; dW = ½·(x₀ᵀdS₀ + x₁ᵀdS₁) + W
    //   x₀ᵀdS₀ = [[−1, 1, 0], [−2, 2, 0]], x₁ᵀdS₁ = [[0, −1, 1], [0, 1, −1]]
    //   → ½·[[−1, 0, 1], [−2, 3, −1]] + W = [[0.5, 0, 2.5], [−1, 2.5, −0.5]].
    const x = new Float32Array([1, 2, -1, 1]);
    const y = new Int32Array([0, 2]);
    const w = new Float64Array([1, 0, 2, 0, 1, 0]);
    const r = crammerSingerLossAndGradient(x, y, w, 2, 2, 3, { reg: 0.5 });
    expect(r.dataLoss).toBe(3);
    expect(r.regLoss).toBe(3);
    expect([...r.gradient]).toEqual([0.5, 0, 2.5, -1, 2.5, -0.5]);
  });

  it('takes margin 0 as inactive, breaks ties by the lowest index, and is 0 with one class', () => {
    const ds = new Float64Array(3);
    // s = [2, 1, 1], y = 0: both wrong classes sit exactly at the kink (margin 0).
    expect(crammerSingerRowLoss(Float64Array.of(2, 1, 1), 0, 0, 3, 1, ds)).toBe(0);
    expect([...ds]).toEqual([0, 0, 0]);
    // s = [0, 0, 0], y = 1 (W = 0): every wrong class ties; class 0 competes.
    expect(crammerSingerCompetitor(Float64Array.of(0, 0, 0), 0, 1, 3)).toBe(0);
    expect(crammerSingerRowLoss(Float64Array.of(0, 0, 0), 0, 1, 3, 1, ds)).toBe(1);
    expect([...ds]).toEqual([1, -1, 0]);
    // y = 0 with scores tied at 0: class 1 competes, not 2.
    expect(crammerSingerRowLoss(Float64Array.of(0, 0, 0), 0, 0, 3, 2, ds)).toBe(2);
    expect([...ds]).toEqual([-1, 1, 0]);
    expect(crammerSingerCompetitor(Float64Array.of(5), 0, 0, 1)).toBe(-1);
    expect(crammerSingerRowLoss(Float64Array.of(5), 0, 0, 1, 1, ds)).toBe(0);
  });

  it('matches the formula and never exceeds the Weston–Watkins SVM on random rows', () => {
    const rng = new Random('cs-formula');
    for (let t = 0; t < 200; t++) {
      const c = 2 + rng.int(9);
      const s = Array.from({ length: c }, () => rng.normal() * 3);
      const label = rng.int(c);
      const scores = Float64Array.from(s);
      const cs = crammerSingerRowLoss(scores, 0, label, c, 1);
      expect(cs).toBe(byFormula(s, label));
      const ww = s.reduce((acc, sj, j) => (j === label ? acc : acc + Math.max(0, sj - s[label]! + 1)), 0);
      expect(cs).toBeLessThanOrEqual(ww);
    }
  });

  it('refuses what the other losses refuse', () => {
    expect(() => crammerSingerLoss(lecture.x, lecture.y, lecture.w, 3, 3, 3, { reg: -1 })).toThrow(OptionError);
    expect(() => crammerSingerLoss(lecture.x, lecture.y, lecture.w, 3, 3, 3, { reg: 0, delta: Number.NaN })).toThrow(/delta/);
  });
});

function problem(seed: string) {
  const rng = new Random(seed);
  const n = 40, d = 9, c = 6;
  const x = rng.fillNormal(new Float64Array(n * d)) as Float64Array;
  for (let r = 0; r < n; r++) x[r * d + d - 1] = 1;
  const y = Int32Array.from({ length: n }, () => rng.int(c));
  const w = rng.fillNormal(new Float64Array(d * c), 0.5) as Float64Array;
  return { x, y, w, n, d, c, rng };
}

describe('the Crammer–Singer gradient', () => {
  const objective: Objective = { loss: 'crammer-singer', reg: 0.05, delta: 1 };

  it('agrees with centered differences to ≤ 1e-7 wherever the probes cross no kink', async () => {
    const { x, y, w, n, d, c } = problem('cs-grad');
    const f = (v: Float64Array) => evaluateReference(x, y, v, n, d, c, objective, false).loss;
    const analytic = evaluateReference(x, y, w, n, d, c, objective, true).gradient!;
    const kinks = kinkCounterFor(x, y, w, n, d, c, objective)!;
    const report = await gradientCheck({ f, w, analytic, cols: c, kinks });
    const free = report.rows.filter((r) => r.kinkCrossed === 0);
    expect(free.length).toBe(d * c); // random W: no margin or tie within h of its kink
    for (const r of free) expect(r.relativeError).toBeLessThanOrEqual(1e-7);
    expect(report.verdict.label).toBe('good');
  });

  it('linearFiniteDifferences equals re-evaluating the loss at each probe, ties included', async () => {
    // Integer data and weights: exact ties between wrong classes and margins exactly 0.
    const rng = new Random('cs-linear');
    const n = 60, d = 5, c = 4;
    const x = Float64Array.from({ length: n * d }, () => rng.int(5) - 2);
    const y = Int32Array.from({ length: n }, () => rng.int(c));
    const all = Int32Array.from({ length: d * c }, (_, i) => i);
    for (const w of [Float64Array.from({ length: d * c }, () => rng.int(3) - 1), problem('cs-lin-w').w.subarray(0, d * c)]) {
      const f = (v: Float64Array) => evaluateReference(x, y, v, n, d, c, objective, false).loss;
      for (const method of ['centered', 'forward'] as const) {
        for (const h of [1e-4, 0.7]) {
          const slow = await numericalGradient(f, Float64Array.from(w), { h, method, coordinates: all });
          const fast = linearFiniteDifferences(x, y, w, n, d, c, objective)(all, h, method);
          for (let k = 0; k < all.length; k++) expect(Math.abs(fast[k]! - slow[k]!)).toBeLessThan(1e-9 + 1e-7 * Math.abs(slow[k]!));
        }
      }
    }
  });

  it('counts both kinds of kink: the margin at 0 and two wrong classes trading places', () => {
    // D = 1, C = 3, x = [[1]], y = [0].
    const x = new Float64Array([1]), y = new Int32Array([0]);
    const count = (w: number[], coordinate: number, method: 'centered' | 'forward') =>
      crammerSingerKinkCounter(x, y, Float64Array.from(w), 1, 1, 3, 1)(coordinate, 1e-5, method);
    // Scores [3, 1, 2]: competitor class 2, margin 0 exactly.
    expect(count([3, 1, 2], 2, 'centered')).toBe(1); // moving s₂ crosses the margin's kink
    expect(count([3, 1, 2], 0, 'centered')).toBe(1); // so does moving s_y
    expect(count([3, 1, 2], 0, 'forward')).toBe(0); // 0 → −h only deepens the inactive side
    expect(count([3, 1, 2], 1, 'centered')).toBe(0); // class 1 is far below
    // Scores [0, 2, 2]: classes 1 and 2 tie, hinge active (margin 3): probing either swaps them.
    expect(count([0, 2, 2], 1, 'centered')).toBe(1);
    expect(count([0, 2, 2], 2, 'centered')).toBe(1);
    expect(count([0, 2, 2], 2, 'forward')).toBe(1); // +h makes class 2 the competitor
    expect(count([0, 2, 2], 1, 'forward')).toBe(0); // +h keeps class 1
    expect(count([0, 2, 2], 0, 'centered')).toBe(0); // s_y moves every margin alike
    // Scores [0, 2, 1.5]: no tie, active: nothing crossed.
    expect(count([0, 2, 1.5], 1, 'centered') + count([0, 2, 1.5], 2, 'centered')).toBe(0);
  });

  it("allows rounding for ties between wrong classes in the error floor (and not when they're apart)", () => {
    const x = new Float64Array([1, 1]), y = new Int32Array([0]);
    // D = 2 (a feature and the bias), C = 3: scores [0, 2, 2 + 1e-9] for float32, apart for float64.
    const w = new Float64Array([0, 1, 1 + 1e-9, 0, 1, 1]);
    const f32 = roundingScale(x, y, w, 1, 2, 3, objective, 'float32');
    expect(f32.perCoordinate[1]).toBe(1);
    expect(f32.perCoordinate[2]).toBe(1);
    expect(f32.perCoordinate[0]).toBe(0);
    const f64 = roundingScale(x, y, w, 1, 2, 3, objective, 'float64');
    expect([...f64.perCoordinate]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('allows rounding for every wrong class tied with the competitor, three of them included', () => {
    const x = new Float64Array([1, 1]), y = new Int32Array([0]);
    // C = 4, scores [0, 2, 2 + 1e-9, 2 − 1e-9]: classes 1, 2 and 3 tie within float32 rounding.
    const w = new Float64Array([0, 1, 1 + 1e-9, 1 - 1e-9, 0, 1, 1, 1]);
    const f32 = roundingScale(x, y, w, 1, 2, 4, objective, 'float32');
    expect([...f32.perCoordinate.subarray(0, 4)]).toEqual([0, 1, 1, 1]);
  });
});
