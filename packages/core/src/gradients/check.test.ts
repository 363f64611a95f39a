import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { softmaxLoss, softmaxLossAndGradient } from '../losses/softmax.js';
import { svmLoss, svmLossAndGradient } from '../losses/svm.js';
import {
  countHingeKinks, gradientCheck, hingeKinkCounter, readRelativeError, relativeError,
} from './check.js';

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

/** rng.fillNormal, keeping the array's own type. */
function normals<T extends Float32Array | Float64Array>(rng: Random, out: T, scale = 1): T {
  rng.fillNormal(out, scale);
  return out;
}
