/**
 * The live loss chart's decimation (live-loss.ts), without a browser: what a run's losses become
 * as they arrive in pieces.
 */
import { describe, expect, it } from 'vitest';
import { accuracyRows, LossDecimator, type LossRow } from '../src/live-loss.js';

const raw = (rows: LossRow[]) => rows.filter((r) => r.series === 'loss (each iteration)');
const smooth = (rows: LossRow[]) => rows.filter((r) => r.series === 'loss (smoothed)');

describe('LossDecimator', () => {
  it('draws every loss of a short run, and its EMA from the first loss', () => {
    const d = new LossDecimator(100); // stride 1, EMA over 2 iterations: alpha = 2/3
    const rows = [...d.push([3, 1]), ...d.push([2])];
    expect(raw(rows).map((r) => [r.iteration, r.loss])).toEqual([[1, 3], [2, 1], [3, 2]]);
    const ema = smooth(rows).map((r) => r.loss!);
    expect(ema[0]).toBe(3);
    expect(ema[1]).toBeCloseTo(3 + (2 / 3) * (1 - 3), 12);
    expect(ema[2]).toBeCloseTo(ema[1]! + (2 / 3) * (2 - ema[1]!), 12);
    expect(d.finish()).toEqual([]);
  });

  it('keeps each bucket\'s smallest and largest loss, in iteration order, however the losses arrive', () => {
    const planned = 5000; // stride 5
    const losses = Array.from({ length: 23 }, (_, i) => Math.sin(i * 1.7) + 2);
    const whole = new LossDecimator(planned);
    const all = [...whole.push(losses), ...whole.finish()];
    const pieces = new LossDecimator(planned);
    const parts = [...pieces.push(losses.slice(0, 4)), ...pieces.push(losses.slice(4, 13)), ...pieces.push(losses.slice(13)), ...pieces.finish()];
    expect(parts).toEqual(all);
    expect(whole.stride).toBe(5);
    // Buckets 1–5, 6–10, …, 21–23 (the last, partial, from finish): min and max of each, by iteration.
    const expected: [number, number][] = [];
    for (let b = 0; b < 23; b += 5) {
      const idx = Array.from({ length: Math.min(5, 23 - b) }, (_, k) => b + k);
      const lo = idx.reduce((a, i) => (losses[i]! < losses[a]! ? i : a));
      const hi = idx.reduce((a, i) => (losses[i]! > losses[a]! ? i : a));
      for (const i of [...new Set([lo, hi])].sort((x, y) => x - y)) expected.push([i + 1, losses[i]!]);
    }
    expect(raw(all).map((r) => [r.iteration, r.loss])).toEqual(expected);
    // One smoothed point a bucket, at its last iteration.
    expect(smooth(all).map((r) => r.iteration)).toEqual([5, 10, 15, 20, 23]);
  });

  it('leaves non-finite losses out and counts them; a bucket of only those draws no raw point', () => {
    const d = new LossDecimator(3000); // stride 3
    const rows = [...d.push([NaN, Infinity, -Infinity, 1, NaN, 2]), ...d.finish()];
    expect(d.nonFinite).toBe(4);
    expect(raw(rows).map((r) => [r.iteration, r.loss])).toEqual([[4, 1], [6, 2]]);
    expect(smooth(rows).map((r) => r.loss)).toEqual([null, expect.closeTo(1 + (2 / 61) * (2 - 1), 12)]);
  });
});

describe('accuracyRows', () => {
  it('gives train and validation accuracy as two series, leaving out what is missing or not finite', () => {
    expect(accuracyRows([{ iteration: 5, trainAccuracy: 0.5, validationAccuracy: 0.4 }, { iteration: 9, trainAccuracy: NaN }]))
      .toEqual([{ iteration: 5, accuracy: 0.5, series: 'train accuracy' }, { iteration: 5, accuracy: 0.4, series: 'validation accuracy' }]);
  });
});
