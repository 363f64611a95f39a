import { describe, expect, it } from 'vitest';
import type { Objective } from '../backend.js';
import { evaluateReference } from '../losses/index.js';
import { Random } from '../random.js';
import { gradientCheck } from './check.js';
import { linearFiniteDifferences } from './linear-differences.js';
import { numericalGradient } from './numerical.js';

function problem(seed: number) {
  const rng = new Random(seed);
  const n = 30, d = 8, c = 5;
  const x = rng.fillNormal(new Float32Array(n * d)) as Float32Array;
  for (let r = 0; r < n; r++) x[r * d + d - 1] = 1;
  const y = Int32Array.from({ length: n }, () => rng.int(c));
  const w = rng.fillNormal(new Float64Array(d * c), 0.5) as Float64Array;
  return { x, y, w, n, d, c };
}

const objectives: Objective[] = [
  { loss: 'softmax', reg: 0.1 },
  { loss: 'svm', reg: 0.1, delta: 1 },
  { loss: 'softmax', reg: 0 },
];

describe('linearFiniteDifferences', () => {
  it.each(objectives)('equals re-evaluating the loss at each probe ($loss, reg $reg)', async (objective) => {
    const { x, y, w, n, d, c } = problem(3);
    const f = (v: Float64Array) => evaluateReference(x, y, v, n, d, c, objective, false).loss;
    const all = Int32Array.from({ length: w.length }, (_, i) => i);
    for (const method of ['centered', 'forward'] as const) {
      const h = 1e-4;
      const slow = await numericalGradient(f, w, { h, method, coordinates: all });
      const fast = linearFiniteDifferences(x, y, w, n, d, c, objective)(all, h, method);
      // Both are finite differences of the same function; they differ only in rounding, which
      // the slow path amplifies by 1/h (it subtracts two nearly equal totals).
      for (let k = 0; k < all.length; k++) {
        expect(Math.abs(fast[k]! - slow[k]!)).toBeLessThan(1e-9 + 1e-7 * Math.abs(slow[k]!));
      }
    }
  });

  it('makes the softmax gradient check agree to ≤ 1e-7 over every coordinate', async () => {
    const { x, y, w, n, d, c } = problem(5);
    const objective: Objective = { loss: 'softmax', reg: 0.05 };
    const analytic = evaluateReference(x, y, w, n, d, c, objective, true).gradient!;
    const report = await gradientCheck({ w, analytic, cols: c, h: 1e-5, method: 'centered',
      numerical: linearFiniteDifferences(x, y, w, n, d, c, objective) });
    expect(report.rows).toHaveLength(d * c);
    expect(report.maxRelativeError).toBeLessThan(1e-7);
    expect(report.verdict.label).toBe('good');
  });

  it('rejects a bad step and a coordinate outside W', () => {
    const { x, y, w, n, d, c } = problem(1);
    const diff = linearFiniteDifferences(x, y, w, n, d, c, objectives[0]!);
    expect(() => diff(Int32Array.of(0), 0, 'centered')).toThrow(/h must be a positive number/);
    expect(() => diff(Int32Array.of(40), 1e-5, 'centered')).toThrow(/coordinate 40 is outside W \(8×5\)/);
  });
});
