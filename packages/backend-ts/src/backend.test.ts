import * as vitest from 'vitest';
import { describe, expect, it } from 'vitest';
import { BackendRegistry, Random, evaluateReference, gatherRows, linearScores } from '@descent/core';
import type { Objective, Precision } from '@descent/core';
import { describeConformance } from '@descent/core/testing';
import { backendPackage, createTsBackend, providers } from './index.js';

// The conformance kit on both backends (agreement with the float64 reference, whole runs, the
// contract: bad input, released and disposed data, lifecycle). The tests below are this
// package's own: its kernels' blocks of 4 and tails, and exact scores on integer data.
await describeConformance(vitest, backendPackage);

/**
 * Tolerances, |a − b| ≤ atol + rtol·|b| with atol = rtol·max|b| (absolute OR relative):
 * - ts-f64 differs from the reference only in summation order: rtol 1e-12.
 * - ts stores Wᵀ and the gradient accumulator in float32 (unit roundoff 2⁻²⁴ ≈ 6e-8) but sums
 *   in float64 registers, so errors stay within a few dozen roundoffs: rtol 2⁻¹⁸ ≈ 3.8e-6.
 */
const RTOL: Record<Precision, number> = { float64: 1e-12, float32: 2 ** -18 };

function expectNear(actual: ArrayLike<number>, expected: ArrayLike<number>, precision: Precision, what: string) {
  const rtol = RTOL[precision];
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const bound = rtol * scale + rtol * Math.abs(expected[i]!);
    const diff = Math.abs(actual[i]! - expected[i]!);
    if (!(diff <= bound)) {
      expect.fail(`${what} [${precision}] index ${i}: got ${actual[i]}, expected ${expected[i]}, |diff| ${diff} > ${bound}`);
    }
  }
}

function problem(seed: string, n: number, d: number, c: number) {
  const rng = new Random(seed);
  const x = normals(rng, new Float32Array(n * d), 20);
  for (let i = 0; i < n; i++) x[i * d + d - 1] = 1;
  const y = Int32Array.from({ length: n }, () => rng.int(c));
  const w = normals(rng, new Float64Array(d * c), 0.01);
  return { x, y, n, d, c, w, data: { x, y, n, d, classes: c } };
}

const OBJECTIVES: Objective[] = [
  { loss: 'svm', reg: 0 }, { loss: 'svm', reg: 2.5, delta: 0.5 }, { loss: 'softmax', reg: 0 }, { loss: 'softmax', reg: 2.5 },
];

describe('providers', () => {
  it('export ts (float32) and ts-f64 (float64), always available in node and browser', async () => {
    expect(providers.map((p) => [p.id, p.precision])).toEqual([['ts', 'float32'], ['ts-f64', 'float64']]);
    for (const p of providers) {
      expect(p.environments).toEqual(['node', 'browser']);
      expect((await p.probe()).available).toBe(true);
      const b = await p.create();
      expect([b.id, b.precision]).toEqual([p.id, p.precision]);
    }
    const registry = new BackendRegistry().registerProviders(providers);
    expect((await registry.create('ts-f64')).precision).toBe('float64');
  });
});

describe.each(['float32', 'float64'] as const)('pure-TS backend, %s', (precision) => {
  const Store = precision === 'float32' ? Float32Array : Float64Array;

  it('matches the float64 reference for every objective, for ranges of any length (blocks of 4 and tails)', async () => {
    const p = problem('backend-ts-ref', 23, 37, 5);
    const b = createTsBackend(precision);
    const data = await b.place(p.data);
    for (const objective of OBJECTIVES) {
      for (const [start, count] of [[0, 23], [3, 1], [4, 2], [5, 3], [6, 5], [1, 7]] as const) {
        const idx = Array.from({ length: count }, (_, i) => start + i);
        const g = gatherRows(p.x, p.y, p.d, idx);
        const ref = evaluateReference(g.x, g.y, p.w, g.n, p.d, p.c, objective, true);
        const got = await b.evaluate(p.w, data, { start, count }, objective, true);
        const what = `${objective.loss} reg ${objective.reg} rows [${start}, ${start + count})`;
        expectNear([got.loss, got.dataLoss, got.regLoss], [ref.loss, ref.dataLoss, ref.regLoss], precision, what);
        expect(got.gradient).toBeInstanceOf(Store);
        expectNear(got.gradient!, ref.gradient!, precision, `${what} gradient`);
        const lossOnly = await b.evaluate(p.w, data, { start, count }, objective, false);
        expect(lossOnly.gradient).toBeUndefined();
        expect(lossOnly.loss).toBe(got.loss);
      }
    }
  });

  it('scores equal X·W (exactly, on integer data) and follow the row selection', async () => {
    const rng = new Random('scores');
    const n = 9, d = 5, c = 3;
    const x = Float32Array.from({ length: n * d }, () => rng.int(7) - 3);
    const w = Float64Array.from({ length: d * c }, () => rng.int(9) - 4);
    const b = createTsBackend(precision);
    const data = await b.place({ x, y: new Int32Array(n), n, d, classes: c });
    const ref = linearScores(x, w, n, d, c);
    const all = await b.scores(w, data, { start: 0, count: n });
    expect(all).toBeInstanceOf(Store);
    expect([...all]).toEqual([...ref]);
    const picked = await b.scores(w, data, new Int32Array([8, 0, 8, 3, 4, 1]));
    expect([...picked]).toEqual([8, 0, 8, 3, 4, 1].flatMap((r) => [...ref.subarray(r * c, r * c + c)]));
    const real = problem('scores-real', 10, 8, 4);
    const rd = await b.place(real.data);
    expectNear(await b.scores(real.w, rd, { start: 2, count: 7 }),
      linearScores(real.x, real.w, 10, 8, 4).subarray(2 * 4, 9 * 4), precision, 'scores');
  });
});

/** rng.fillNormal, keeping the array's own type. */
function normals<T extends Float32Array | Float64Array>(rng: Random, out: T, scale = 1): T {
  rng.fillNormal(out, scale);
  return out;
}
