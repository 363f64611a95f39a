import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { softmaxLoss, softmaxLossAndGradient } from '../losses/softmax.js';
import { svmLoss, svmLossAndGradient } from '../losses/svm.js';
import {
  countHingeKinks, gradientCheck, hingeKinkCounter, readRelativeError, relativeError,
} from './check.js';
import { floorRoundoffs, roundingScale, unitRoundoff } from './floor.js';
import { linearFiniteDifferences } from './linear-differences.js';

function randomProblem(seed: string, n = 20, d = 7, c = 4) {
  const rng = new Random(seed);
  const x = normals(rng, new Float64Array(n * d));
  for (let i = 0; i < n; i++) x[i * d + d - 1] = 1; // bias trick
  const w = normals(rng, new Float64Array(d * c), 0.5);
  const y = Int32Array.from({ length: n }, () => rng.int(c));
  return { x, y, w, n, d, c, rng };
}

describe('relativeError and its reading', () => {
  it('is |a − n| / max(|a|, |n|), 0 when both are 0', () => {
    expect(relativeError(0, 0)).toBe(0);
    expect(relativeError(1, 0)).toBe(1);
    expect(relativeError(2, 1)).toBe(0.5);
    expect(relativeError(-1, 1)).toBe(2);
  });

  it('reads thresholds 1e-2, 1e-4, 1e-7 the usual way', () => {
    expect(readRelativeError(0.5).label).toBe('wrong');
    expect(readRelativeError(NaN).label).toBe('wrong');
    expect(readRelativeError(1e-3).label).toBe('suspect');
    expect(readRelativeError(1e-5).label).toBe('ok-kinked');
    expect(readRelativeError(1e-5).explanation).toContain('kinks');
    expect(readRelativeError(1e-7).label).toBe('good');
    expect(readRelativeError(0).label).toBe('good');
  });
});

describe('gradientCheck against the reference losses (float64)', () => {
  it('softmax: analytic and centered numerical agree to ≤ 1e-7 everywhere', async () => {
    const { x, y, w, n, d, c } = randomProblem('check-softmax');
    const reg = 0.1;
    const f = (v: Float64Array) => softmaxLoss(x, y, v, n, d, c, { reg }).loss;
    const analytic = softmaxLossAndGradient(x, y, w, n, d, c, { reg }).gradient;
    const report = await gradientCheck({ f, w, analytic, cols: c, h: 1e-5 });
    expect(report.rows.length).toBe(d * c);
    expect(report.maxRelativeError).toBeLessThanOrEqual(1e-7);
    expect(report.verdict.label).toBe('good');
    expect(report.rows[9]).toMatchObject({ index: 9, row: 2, col: 1 });
  });

  it('forward differences are measurably worse than centered', async () => {
    const { x, y, w, n, d, c } = randomProblem('check-forward');
    const f = (v: Float64Array) => softmaxLoss(x, y, v, n, d, c, { reg: 0.1 }).loss;
    const analytic = softmaxLossAndGradient(x, y, w, n, d, c, { reg: 0.1 }).gradient;
    const centered = await gradientCheck({ f, w, analytic, cols: c, method: 'centered' });
    const forward = await gradientCheck({ f, w, analytic, cols: c, method: 'forward' });
    // O(h) against O(h²) truncation error: orders of magnitude apart at h = 1e-5.
    expect(forward.meanRelativeError).toBeGreaterThan(100 * centered.meanRelativeError);
    expect(forward.maxRelativeError).toBeGreaterThan(1e-7);
  });

  it('SVM: coordinates whose probes cross no kink agree to ≤ 1e-7', async () => {
    const { x, y, w, n, d, c, rng } = randomProblem('check-svm');
    const f = (v: Float64Array) => svmLoss(x, y, v, n, d, c, { reg: 0.05 }).loss;
    const analytic = svmLossAndGradient(x, y, w, n, d, c, { reg: 0.05 }).gradient;
    const kinks = hingeKinkCounter(x, y, w, n, d, c, 1);
    const report = await gradientCheck({ f, w, analytic, cols: c, samples: 20, rng: rng.fork('coords'), kinks });
    expect(report.rows.length).toBe(20);
    expect(new Set(report.rows.map((r) => r.index)).size).toBe(20);
    const free = report.rows.filter((r) => r.kinkCrossed === 0);
    expect(free.length).toBeGreaterThan(0);
    for (const r of free) expect(r.relativeError).toBeLessThanOrEqual(1e-7);
    expect(report.verdict.label).toBe('good');
  });

  it('flags a deliberately wrong analytic gradient (the ½·reg convention mixed up) as wrong', async () => {
    const { x, y, w, n, d, c } = randomProblem('check-wrong');
    const reg = 1;
    const f = (v: Float64Array) => softmaxLoss(x, y, v, n, d, c, { reg }).loss;
    const right = softmaxLossAndGradient(x, y, w, n, d, c, { reg }).gradient;
    const wrong = right.map((g, k) => g - reg * w[k]!); // reg·W instead of 2·reg·W
    const report = await gradientCheck({ f, w, analytic: wrong, cols: c });
    expect(report.verdict.label).toBe('wrong');
    expect(report.maxRelativeError).toBeGreaterThan(1e-2);
  });

  it('detects hinge kinks on a constructed case and excuses the kinked coordinates', async () => {
    // D = 1, C = 2, x = [[1]], y = [0], W = [[2, 1]]: class 1's margin is 1 − 2 + 1 = 0 exactly.
    const x = new Float64Array([1]);
    const y = new Int32Array([0]);
    const w = new Float64Array([2, 1]);
    // Centered probes of W[0][1] move that margin to ±h: one side active, one not.
    expect(countHingeKinks(x, y, w, 1, 1, 2, 1, 1, 1e-5, 'centered')).toBe(1);
    expect(countHingeKinks(x, y, w, 1, 1, 2, 1, 1, 1e-5, 'forward')).toBe(1);
    // W[0][0] is the label's column: the margin moves by −t; forward (0 → −h) stays ≤ 0.
    expect(countHingeKinks(x, y, w, 1, 1, 2, 1, 0, 1e-5, 'centered')).toBe(1);
    expect(countHingeKinks(x, y, w, 1, 1, 2, 1, 0, 1e-5, 'forward')).toBe(0);
    // Away from the kink (margin −0.5) nothing is crossed.
    expect(countHingeKinks(x, y, new Float64Array([2.5, 1]), 1, 1, 2, 1, 1, 1e-5, 'centered')).toBe(0);
    // Near it: margin 4e-6 with h = 1e-5 straddles 0.
    expect(countHingeKinks(x, y, new Float64Array([2, 1.000004]), 1, 1, 2, 1, 1, 1e-5, 'centered')).toBe(1);

    // A second row keeps the kink-free coordinates informative.
    const x2 = new Float64Array([1, 0, 1, 1]);
    const y2 = new Int32Array([0, 1]);
    const w2 = new Float64Array([2, 1, 0, 3]); // row 0 scores [2, 1] (margin 0), row 1 scores [2, 4]
    const f = (v: Float64Array) => svmLoss(x2, y2, v, 2, 2, 2, { reg: 0 }).loss;
    const analytic = svmLossAndGradient(x2, y2, w2, 2, 2, 2, { reg: 0 }).gradient;
    const report = await gradientCheck({ f, w: w2, analytic, cols: 2, kinks: hingeKinkCounter(x2, y2, w2, 2, 2, 2) });
    const byIndex = new Map(report.rows.map((r) => [r.index, r]));
    expect(byIndex.get(1)!.kinkCrossed).toBe(1);
    expect(byIndex.get(1)!.numerical).toBeCloseTo(0.25, 8); // half the one-sided slope 1, over N = 2
    expect(byIndex.get(1)!.analytic).toBe(0); // strict convention: margin 0 is inactive
    expect(readRelativeError(byIndex.get(1)!.relativeError).label).toBe('wrong');
    expect(report.kinked).toBeGreaterThan(0);
    for (const r of report.rows.filter((r) => r.kinkCrossed === 0)) expect(r.relativeError).toBeLessThanOrEqual(1e-7);
    expect(report.verdict.label).toBe('good');
  });
});

describe('the error floor: verdicts that account for the precision', () => {
  const u32 = unitRoundoff('float32');

  /** A softmax problem whose feature 0 is tiny, so column 0 of the gradient is tiny too. */
  function tinyColumnProblem(seed: string, reg = 1e-4) {
    const p = randomProblem(seed, 60, 9, 5);
    for (let r = 0; r < p.n; r++) p.x[r * p.d] = p.x[r * p.d]! * 1e-4;
    const objective = { loss: 'softmax' as const, reg };
    const truth = softmaxLossAndGradient(p.x, p.y, p.w, p.n, p.d, p.c, { reg }).gradient;
    const { scale, rows } = roundingScale(p.x, p.y, p.w, p.n, p.d, p.c, objective, 'float32');
    const numerical = linearFiniteDifferences(p.x, p.y, p.w, p.n, p.d, p.c, objective);
    return { ...p, objective, truth, scale, rows, numerical };
  }
  /** What a float32 backend returns: each entry off by up to 8·u·S (a quarter of the floor's K). */
  function float32Like(g: Float64Array, scale: number, rng: Random): Float64Array {
    return g.map((v) => Math.fround(v + 8 * u32 * scale * (2 * rng.float() - 1)));
  }

  it('a float32-accurate gradient reads good within the floor, where relative errors alone said suspect or wrong', async () => {
    const p = tinyColumnProblem('floor-good');
    const analytic = float32Like(p.truth, p.scale, p.rng.fork('noise'));
    const bare = await gradientCheck({ w: p.w, analytic, cols: p.c, numerical: p.numerical });
    expect(['suspect', 'wrong']).toContain(bare.verdict.label); // the old reading
    const report = await gradientCheck({ w: p.w, analytic, cols: p.c, numerical: p.numerical,
      precision: { analytic: 'float32', scale: p.scale, rows: p.rows } });
    expect(report.verdict.label).toBe('good');
    expect(report.verdict.explanation).toMatch(/within its error floor .* float32 and float64 rounding/);
    expect(report.floor.within).toBe(report.rows.length);
    expect(report.floor.analytic).toBeCloseTo(floorRoundoffs(60) * u32 * p.scale, 20);
    expect(report.floor.resolution).toBeLessThan(1e-4);
    for (const r of report.rows) expect(r.floor).toBe(report.floor.analytic + report.floor.numerical);
  });

  it('a wrong gradient stands out of the float32 floor: reg·W for 2·reg·W reads wrong, ×(1 + 1e-3) suspect', async () => {
    const p = tinyColumnProblem('floor-wrong', 0.1);
    const precision = { analytic: 'float32', scale: p.scale, rows: p.rows } as const;
    const halfReg = float32Like(p.truth.map((g, k) => g - 0.1 * p.w[k]!), p.scale, p.rng.fork('a'));
    const a = await gradientCheck({ w: p.w, analytic: halfReg, cols: p.c, numerical: p.numerical, precision });
    expect(a.verdict.label).toBe('wrong');
    expect(a.verdict.explanation).toMatch(/× its error floor/);
    const scaled = float32Like(p.truth.map((g) => g * (1 + 1e-3)), p.scale, p.rng.fork('b'));
    const b = await gradientCheck({ w: p.w, analytic: scaled, cols: p.c, numerical: p.numerical, precision });
    expect(b.verdict.label).toBe('suspect');
  });

  it('finite differences of a float32 loss at h = 1e-5 are inconclusive, with the reason; of a float64 loss, good', async () => {
    const p = tinyColumnProblem('floor-loss');
    const f64 = (v: Float64Array) => softmaxLoss(p.x, p.y, v, p.n, p.d, p.c, { reg: 1e-4 }).loss;
    const f32 = (v: Float64Array) => Math.fround(f64(v));
    const bare = await gradientCheck({ f: f32, w: p.w, analytic: p.truth, cols: p.c });
    expect(bare.verdict.label).toBe('wrong'); // the old reading: rounding taken for a bug
    const report = await gradientCheck({ f: f32, w: p.w, analytic: p.truth, cols: p.c,
      precision: { analytic: 'float64', objective: 'float32', rows: p.n } });
    expect(report.verdict.label).toBe('inconclusive');
    expect(report.verdict.explanation).toMatch(/^float32 precision cannot decide: at h = 0\.00001 a float32 loss .* changes too little next to its rounding/);
    expect(report.verdict.explanation).toMatch(/linearity \(float64\) or a float64 backend can decide/);
    expect(report.floor.numerical).toBeCloseTo(floorRoundoffs(p.n) * u32 * report.floor.loss / 1e-5, 12);
    expect(report.floor.unchanged).toBeGreaterThan(0);
    // A wrong gradient is not called good there either.
    const wrong = await gradientCheck({ f: f32, w: p.w, analytic: p.truth.map((g) => g * (1 + 1e-3)), cols: p.c,
      precision: { objective: 'float32', rows: p.n } });
    expect(wrong.verdict.label).not.toBe('good');
    expect((await gradientCheck({ f: f64, w: p.w, analytic: p.truth, cols: p.c, precision: { rows: p.n } })).verdict.label).toBe('good');
  });

  it('a floor too coarse for the gradient reads inconclusive and names the rows; exact zeros read good', async () => {
    const p = tinyColumnProblem('floor-coarse');
    const report = await gradientCheck({ w: p.w, analytic: p.truth, cols: p.c, numerical: p.numerical,
      precision: { analytic: 'float32', scale: 1e4 * p.scale, rows: 500 } });
    expect(report.verdict.label).toBe('inconclusive');
    expect(report.verdict.explanation).toMatch(/^float32 precision cannot decide: the float32 gradient is resolved only to ±.*R = 64 \+ N\/8 = 126\.5 for N = 500 rows/);
    const zeros = new Float64Array(4);
    const z = await gradientCheck({ w: zeros, analytic: zeros, numerical: () => new Float64Array(4), precision: { analytic: 'float32' } });
    expect(z.verdict.label).toBe('good');
  });
});

describe('roundingScale', () => {
  it('S is the largest entry of (1/N)·|X|ᵀ·|dS| + 2·reg·|W|: at least max|g|, and above it where terms cancel', () => {
    const { x, y, w, n, d, c } = randomProblem('scale', 40, 6, 3);
    const reg = 0.05;
    const g = softmaxLossAndGradient(x, y, w, n, d, c, { reg }).gradient;
    const scores = new Float64Array(n * c);
    for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) for (let j = 0; j < c; j++) scores[r * c + j]! += x[r * d + i]! * w[i * c + j]!;
    let expected = 0;
    for (let i = 0; i < d; i++) for (let j = 0; j < c; j++) {
      let sum = 0;
      for (let r = 0; r < n; r++) {
        const row = scores.subarray(r * c, r * c + c);
        const z = row.reduce((a, s) => a + Math.exp(s), 0);
        sum += Math.abs(x[r * d + i]!) * Math.abs(Math.exp(row[j]!) / z - (y[r] === j ? 1 : 0));
      }
      expected = Math.max(expected, sum / n + 2 * reg * Math.abs(w[i * c + j]!));
    }
    const s = roundingScale(x, y, w, n, d, c, { loss: 'softmax', reg }, 'float32');
    expect(s.scale).toBeCloseTo(expected, 12);
    expect(s.rows).toBe(n);
    expect(s.scale).toBeGreaterThan(Math.max(...g.map(Math.abs)));
    expect(s.perCoordinate.every((v) => v === 0)).toBe(true);
  });

  it('SVM: a margin within float32 rounding of its kink allows |x_ri|/N in its column and the label\'s', () => {
    // x = [1, 0.5], y = 0, class 1's margin s1 − s0 + 1 = 1e-9.
    const x = new Float64Array([1, 0.5]);
    const y = new Int32Array([0]);
    const w = new Float64Array([2, 1 + 1e-9, 0, 0]);
    const objective = { loss: 'svm' as const, reg: 0, delta: 1 };
    expect([...roundingScale(x, y, w, 1, 2, 2, objective, 'float32').perCoordinate]).toEqual([1, 1, 0.5, 0.5]);
    expect([...roundingScale(x, y, w, 1, 2, 2, objective, 'float64').perCoordinate]).toEqual([0, 0, 0, 0]);
    expect([...roundingScale(x, y, new Float64Array([2, 1.5, 0, 0]), 1, 2, 2, objective, 'float32').perCoordinate]).toEqual([0, 0, 0, 0]);
  });
});

/** rng.fillNormal, keeping the array's own type. */
function normals<T extends Float32Array | Float64Array>(rng: Random, out: T, scale = 1): T {
  rng.fillNormal(out, scale);
  return out;
}
