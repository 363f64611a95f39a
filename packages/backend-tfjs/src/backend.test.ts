import * as vitest from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { evaluateReference, Random } from '@descent/core';
import type { DesignMatrix, Objective, Resident, Rows } from '@descent/core';
import { describeConformance } from '@descent/core/testing';
import { backendPackage, createTfjsBackend } from './index.js';
import type { TfjsComputeBackend } from './index.js';

// The conformance kit on every tfjs backend that runs here (tfjs-cpu and tfjs-wasm in Node; the
// others are listed as skipped with their reason): agreement with the float64 reference, whole
// runs, the contract (bad input, released and disposed data, lifecycle), with tf.memory()'s
// tensor count as the resources the lifecycle checks watch. The tests below are tfjs's own.
await describeConformance(vitest, backendPackage, { resourceCount: () => tf.memory().numTensors });

function seededData(n: number, d: number, c: number, label: string): DesignMatrix & { w: Float64Array } {
  const rng = new Random(`backend-tfjs test ${label}`);
  const x = new Float32Array(n * d);
  rng.fillNormal(x, 2);
  for (let i = 0; i < n; i++) x[i * d + d - 1] = 1;
  const y = Int32Array.from({ length: n }, () => rng.int(c));
  const w = new Float64Array(d * c);
  rng.fillNormal(w, 0.1);
  return { x, y, n, d, classes: c, w };
}

/** max |a − b| ≤ 2⁻¹⁴·max(1, max|b|): float32's bound, as the conformance suite's. */
function expectNear(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length, what).toBe(b.length);
  let scale = 1, worst = 0, at = -1;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < b.length; i++) {
    const diff = Math.abs(a[i]! - b[i]!);
    if (!(diff <= worst)) { worst = diff; at = i; }
  }
  expect(worst, `${what}: worst |diff| at ${at}: ${a[at]} vs ${b[at]}`).toBeLessThanOrEqual(2 ** -14 * scale);
}

const OBJECTIVES: Objective[] = [
  { loss: 'svm', reg: 0 }, { loss: 'svm', reg: 0.1, delta: 2 }, { loss: 'softmax', reg: 0 }, { loss: 'softmax', reg: 0.1 },
];
const ROWS: Rows[] = [{ start: 0, count: 40 }, { start: 5, count: 9 }, new Int32Array([3, 3, 39, 0, 17])];

describe.each(['tfjs-cpu', 'tfjs-wasm'])('%s', (id) => {
  let analytic: TfjsComputeBackend;
  let autodiff: TfjsComputeBackend;
  const data = seededData(40, 13, 5, 'main');
  let ra: Resident, rd: Resident;

  beforeAll(async () => {
    analytic = await createTfjsBackend(id);
    autodiff = await createTfjsBackend(id, { gradient: 'autodiff' });
    ra = await analytic.place(data);
    rd = await autodiff.place(data);
  });
  afterAll(async () => {
    await analytic.dispose();
    await autodiff.dispose();
  });

  it('reports float32 as tfjs does (floatPrecision 32) and its gradient mode', () => {
    expect(analytic.id).toBe(id);
    expect(analytic.precision).toBe('float32');
    expect(analytic.floatBits).toBe(32);
    expect(analytic.gradientMode).toBe('analytic');
    expect(autodiff.gradientMode).toBe('autodiff');
  });

  for (const objective of OBJECTIVES) {
    for (const rows of ROWS) {
      it(`autodiff and analytic gradients agree: ${objective.loss} reg ${objective.reg}, ${rows instanceof Int32Array ? 'indices' : `[${rows.start}, +${rows.count})`}`, async () => {
        const a = await analytic.evaluate(data.w, ra, rows, objective, true);
        const b = await autodiff.evaluate(data.w, rd, rows, objective, true);
        expectNear(b.gradient!, a.gradient!, 'autodiff vs analytic gradient');
        expectNear([b.loss, b.dataLoss, b.regLoss], [a.loss, a.dataLoss, a.regLoss], 'losses');
      });
    }
  }

  it('autodiff and analytic agree exactly at hinge kinks (margins exactly 0: strict > 0 counts)', async () => {
    // Integer data and weights: every margin is an exact integer, many are exactly 0.
    const rng = new Random('backend-tfjs kinks');
    const n = 30, d = 4, c = 4;
    const ties: DesignMatrix = { x: Float32Array.from({ length: n * d }, () => rng.int(3) - 1),
      y: Int32Array.from({ length: n }, () => rng.int(c)), n, d, classes: c };
    const w = Float64Array.from({ length: d * c }, () => rng.int(3) - 1);
    const objective: Objective = { loss: 'svm', reg: 0 };
    const a = await analytic.evaluate(w, await analytic.place(ties), { start: 0, count: n }, objective, true);
    const b = await autodiff.evaluate(w, await autodiff.place(ties), { start: 0, count: n }, objective, true);
    const ref = evaluateReference(ties.x, ties.y, w, n, d, c, objective, true);
    // n·gradient counts active margins: integers, where one kink counted differently is off by 1.
    const counts = (g: ArrayLike<number>) => Array.from(g, (v) => Math.round(v * n * 1e3) / 1e3);
    expect(counts(a.gradient!)).toEqual(counts(ref.gradient!));
    expect(counts(b.gradient!)).toEqual(counts(ref.gradient!));
  });

  it('frees every tensor it makes: tf.memory() is unchanged after many steps, release and dispose free the rest', async () => {
    const before = tf.memory().numTensors;
    const backend = await createTfjsBackend(id);
    const resident = await backend.place(data);
    expect(tf.memory().numTensors).toBe(before + 2); // X and y, nothing else
    const placedCount = tf.memory().numTensors;
    for (let step = 0; step < 30; step++) {
      for (const rows of ROWS) {
        await backend.evaluate(data.w, resident, rows, OBJECTIVES[step % OBJECTIVES.length]!, step % 2 === 0);
        await backend.scores(data.w, resident, rows);
      }
      await autodiff.evaluate(data.w, rd, ROWS[step % ROWS.length]!, OBJECTIVES[step % OBJECTIVES.length]!, true);
    }
    expect(tf.memory().numTensors).toBe(placedCount);
    await backend.release(resident);
    expect(tf.memory().numTensors).toBe(before);
    await backend.place(data);
    await backend.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('two tfjs backends at once', () => {
  it('serialize on the one tfjs engine and each computes on its own backend', async () => {
    const data = seededData(64, 20, 6, 'concurrent');
    const cpu = await createTfjsBackend('tfjs-cpu');
    const wasm = await createTfjsBackend('tfjs-wasm');
    const [rc, rw] = await Promise.all([cpu.place(data), wasm.place(data)]);
    const objective: Objective = { loss: 'softmax', reg: 0.01 };
    const rows: Rows = new Int32Array([1, 5, 9, 63, 2]);
    const sequential = [await cpu.evaluate(data.w, rc, rows, objective, true), await wasm.evaluate(data.w, rw, rows, objective, true)];
    const together = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      (i % 2 === 0 ? cpu.evaluate(data.w, rc, rows, objective, true) : wasm.evaluate(data.w, rw, rows, objective, true))));
    together.forEach((e, i) => expect([...e.gradient!]).toEqual([...sequential[i % 2]!.gradient!]));
    await cpu.dispose();
    await wasm.dispose();
  });

  it('rejects unknown ids and gradient modes', async () => {
    await expect(createTfjsBackend('tfjs-tpu')).rejects.toThrow("unknown tfjs backend 'tfjs-tpu'; known: tfjs-cpu, tfjs-wasm");
    await expect(createTfjsBackend('tfjs-cpu', { gradient: 'numeric' as 'analytic' }))
      .rejects.toThrow("gradient must be one of analytic, autodiff, got 'numeric'");
  });
});
