import { describe, expect, it } from 'vitest';
import {
  BackendError, BackendRegistry, DataError, OptionError, Random, ShapeError, evaluateReference, gatherRows,
  linearScores,
} from '@descent/core';
import type { Objective, Precision } from '@descent/core';
import { createTsBackend, providers } from './index.js';

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

  it('Int32Array rows with repeats equal the reference on the gathered rows', async () => {
    const p = problem('backend-ts-repeats', 17, 11, 4);
    const b = createTsBackend(precision);
    const data = await b.place(p.data);
    const rng = new Random('repeats');
    const rows = Int32Array.from({ length: 29 }, () => rng.int(p.n));
    rows.set([16, 16, 16, 0], 0);
    const g = gatherRows(p.x, p.y, p.d, rows);
    for (const objective of OBJECTIVES) {
      const ref = evaluateReference(g.x, g.y, p.w, g.n, p.d, p.c, objective, true);
      const got = await b.evaluate(p.w, data, rows, objective, true);
      expectNear([got.loss], [ref.loss], precision, `${objective.loss} loss`);
      expectNear(got.gradient!, ref.gradient!, precision, `${objective.loss} gradient`);
    }
    // A row repeated is that row: the mean over [5, 5, 5] is row 5's loss.
    const once = await b.evaluate(p.w, data, new Int32Array([5]), OBJECTIVES[2]!, true);
    const thrice = await b.evaluate(p.w, data, new Int32Array([5, 5, 5]), OBJECTIVES[2]!, true);
    expect(thrice.loss).toBeCloseTo(once.loss, precision === 'float64' ? 14 : 6);
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

  it('keeps its own copy of the data and never writes W', async () => {
    const p = problem('copy', 8, 6, 3);
    const b = createTsBackend(precision);
    const data = await b.place(p.data);
    const before = await b.evaluate(p.w, data, { start: 0, count: 8 }, OBJECTIVES[3]!, true);
    const w0 = Float64Array.from(p.w);
    p.x.fill(0);
    p.y.fill(0);
    const after = await b.evaluate(p.w, data, { start: 0, count: 8 }, OBJECTIVES[3]!, true);
    expect(after.loss).toBe(before.loss);
    expect([...p.w]).toEqual([...w0]);
    expect(data.y).not.toBe(p.y);
  });

  it('rejects bad data, weights, rows and objectives with messages that say where', async () => {
    const b = createTsBackend(precision);
    const p = problem('validate', 6, 4, 3);
    const nan = Float32Array.from(p.x);
    nan[2 * 4 + 1] = NaN;
    await expect(b.place({ ...p.data, x: nan })).rejects.toThrow(DataError);
    await expect(b.place({ ...p.data, x: nan })).rejects.toThrow('x has NaN at row 2, column 1');
    const inf = Float32Array.from(p.x);
    inf[5 * 4 + 3] = -Infinity;
    await expect(b.place({ ...p.data, x: inf })).rejects.toThrow('x has -Infinity at row 5, column 3');
    await expect(b.place({ ...p.data, y: new Int32Array([0, 1, 2, 3, 0, 0]) }))
      .rejects.toThrow('label 3 at row 3 is outside [0, 3)');
    await expect(b.place({ ...p.data, x: p.x.subarray(1) })).rejects.toThrow(ShapeError);
    const data = await b.place(p.data);
    const all = { start: 0, count: 6 };
    const svm: Objective = { loss: 'svm', reg: 0 };
    await expect(b.evaluate(p.w.subarray(1), data, all, svm, true)).rejects.toThrow(ShapeError);
    await expect(b.scores(p.w.subarray(1), data, all)).rejects.toThrow('weights: expected 4×3 = 12 values');
    await expect(b.evaluate(p.w, data, new Int32Array([0, 6]), svm, true))
      .rejects.toThrow('rows: index 6 at position 1 is outside [0, 6)');
    await expect(b.evaluate(p.w, data, new Int32Array([-1]), svm, true)).rejects.toThrow('index -1 at position 0');
    await expect(b.evaluate(p.w, data, { start: 4, count: 3 }, svm, true))
      .rejects.toThrow('rows: range [4, 7) is outside [0, 6)');
    await expect(b.evaluate(p.w, data, new Int32Array(0), svm, true)).rejects.toThrow('empty');
    await expect(b.evaluate(p.w, data, all, { loss: 'logistic' as 'svm', reg: 0 }, true)).rejects.toThrow(OptionError);
    await expect(b.evaluate(p.w, data, all, { loss: 'svm', reg: -1 }, true)).rejects.toThrow('reg must be');
    const other = createTsBackend(precision === 'float32' ? 'float64' : 'float32');
    await expect(other.evaluate(p.w, data, all, svm, true)).rejects.toThrow(BackendError);
    await b.release(data);
    await expect(b.evaluate(p.w, data, all, svm, true)).rejects.toThrow('not placed');
    await b.dispose();
    await expect(b.place(p.data)).rejects.toThrow('disposed');
  });
});

/** rng.fillNormal, keeping the array's own type. */
function normals<T extends Float32Array | Float64Array>(rng: Random, out: T, scale = 1): T {
  rng.fillNormal(out, scale);
  return out;
}
