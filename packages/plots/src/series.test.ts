import { describe, expect, it } from 'vitest';
import { downsampleMinMax, evenIndices, smooth } from './series.js';

describe('downsampleMinMax', () => {
  it('returns a short series whole', () => {
    expect([...downsampleMinMax([3, 1, 2], 10)]).toEqual([0, 1, 2]);
  });

  it('keeps the endpoints, the extremes and at most maxPoints indices, in order', () => {
    const n = 100_000;
    const values = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 300) + ((i * 7919) % 13) / 13);
    values[12345] = 50; // a spike
    values[54321] = -50; // a dip
    values[n - 1] = 7;
    const idx = downsampleMinMax(values, 2000);
    expect(idx.length).toBeLessThanOrEqual(2000);
    expect(idx.length).toBeGreaterThan(1900);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(n - 1);
    for (let k = 1; k < idx.length; k++) expect(idx[k]!).toBeGreaterThan(idx[k - 1]!);
    expect(idx).toContain(12345);
    expect(idx).toContain(54321);
    // Every bucket's min and max survive: the drawn envelope equals the full one on any stretch.
    const kept = [...idx].map((i) => values[i]!);
    expect(Math.max(...kept)).toBe(50);
    expect(Math.min(...kept)).toBe(-50);
  });

  it('never picks a non-finite value inside a bucket, but keeps the endpoints', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? NaN : i));
    const idx = downsampleMinMax(values, 100);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(999);
    for (const i of idx.subarray(1, -1)) expect(Number.isFinite(values[i]!)).toBe(true);
  });

  it('evenIndices keeps the endpoints', () => {
    const idx = evenIndices(10_001, 2000);
    expect(idx.length).toBe(2000);
    expect(idx[0]).toBe(0);
    expect(idx[1999]).toBe(10_000);
  });
});

describe('smooth', () => {
  it('centred window: exact means, shrinking at the ends', () => {
    expect([...smooth([1, 2, 3, 4, 5], { window: 3 })]).toEqual([1.5, 2, 3, 4, 4.5]);
    expect([...smooth([1, NaN, 3], { window: 3 })]).toEqual([1, 2, 3]);
    expect([...smooth([1, 2, 3], { window: 1 })]).toEqual([1, 2, 3]);
  });

  it('EMA is bias-corrected: a constant series stays constant', () => {
    const out = smooth([2, 2, 2, 2], { ema: 0.9 });
    for (const v of out) expect(v).toBeCloseTo(2, 12);
    // s1 = x1; s2 = (0.9·0.1·1 + 0.1·3) / (1 − 0.81)
    expect(smooth([1, 3], { ema: 0.9 })[1]).toBeCloseTo((0.09 + 0.3) / 0.19, 12);
  });
});
