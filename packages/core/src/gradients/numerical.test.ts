import { describe, expect, it } from 'vitest';
import { OptionError } from '../errors.js';
import { numericalGradient } from './numerical.js';

describe('numericalGradient', () => {
  it('differentiates a quadratic (centered is exact up to rounding) and restores w bit for bit', async () => {
    // f(w) = Σ_k (k+1)·w_k² → ∂f/∂w_k = 2(k+1)·w_k
    const w = new Float64Array([0.1, -0.3, 1 / 3, 7]);
    const before = Float64Array.from(w);
    const f = (v: Float64Array) => v.reduce((a, x, k) => a + (k + 1) * x * x, 0);
    const g = await numericalGradient(f, w, { h: 1e-4 });
    for (let k = 0; k < w.length; k++) expect(g[k]).toBeCloseTo(2 * (k + 1) * w[k]!, 7);
    expect(Object.is(w[2], before[2])).toBe(true);
    expect([...w]).toEqual([...before]);
  });

  it('returns one value per requested coordinate, in their order, and accepts async f', async () => {
    const w = new Float64Array([1, 2, 3, 4, 5]);
    const f = async (v: Float64Array) => v[0]! + 10 * v[3]! + 100 * v[4]!;
    const g = await numericalGradient(f, w, { coordinates: new Int32Array([4, 0, 3, 3]), method: 'forward' });
    expect(g.length).toBe(4);
    expect(g[0]).toBeCloseTo(100, 6);
    expect(g[1]).toBeCloseTo(1, 6);
    expect(g[2]).toBeCloseTo(10, 6);
    expect(g[3]).toBeCloseTo(10, 6);
  });

  it('restores w even when f throws, and rejects bad options', async () => {
    const w = new Float64Array([1.5, 2.5]);
    let calls = 0;
    const f = () => {
      if (++calls === 2) throw new Error('boom');
      return 0;
    };
    await expect(numericalGradient(f, w)).rejects.toThrow('boom');
    expect([...w]).toEqual([1.5, 2.5]);
    await expect(numericalGradient(() => 0, w, { h: 0 })).rejects.toThrow(OptionError);
    await expect(numericalGradient(() => 0, w, { coordinates: [2] }))
      .rejects.toThrow('coordinate 2 at position 0 is outside [0, 2)');
  });

  it('with round (a float32 objective) probes at float32 values and divides by the step actually taken', async () => {
    // f stores w in float32, as a float32 backend does: f(w) = Σ_k (k+1)·fround(w_k), slope k+1.
    const f = (v: Float64Array) => v.reduce((a, x, k) => a + (k + 1) * Math.fround(x), 0);
    const w = new Float64Array([1.1, -2.3, 0.7]);
    const before = Float64Array.from(w);
    const h = 1e-5;
    // At |w| ≈ 1 float32's spacing is 1.2e-7: the nominal step 2h is off by up to 0.6%.
    const nominal = await numericalGradient(f, w, { h });
    expect(Math.max(...[...nominal].map((g, k) => Math.abs(g / (k + 1) - 1)))).toBeGreaterThan(1e-3);
    for (const method of ['centered', 'forward'] as const) {
      const rounded = await numericalGradient(f, w, { h, method, round: Math.fround });
      for (let k = 0; k < w.length; k++) expect(Math.abs(rounded[k]! / (k + 1) - 1)).toBeLessThan(1e-12);
    }
    expect([...w]).toEqual([...before]);
    // A step below float32's spacing rounds away: the loss is unchanged and the quotient 0.
    expect([...await numericalGradient(f, new Float64Array([1]), { h: 1e-9, round: Math.fround })]).toEqual([0]);
  });
});
