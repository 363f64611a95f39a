import { describe, expect, it } from 'vitest';
import { createOptimizer, evaluateReference, gatherRows, Random, resolveOptimizerOptions, RunControl, train } from '@descent/core';
import type { ComputeBackend, DesignMatrix, Objective, OptimizerName, Resident, ResidentTrainer, Rows } from '@descent/core';
import { createOnnxBackend } from './index.js';
import { uniform } from './residency.js';

/**
 * The resident trainer (ComputeBackend.createTrainer) against the float64 oracle: the same
 * steps taken on the host with core's optimizers on float64 W, the loss and gradient from
 * evaluateReference. W is float32 on the backend and every step rounds it, so the bound is
 * float32's 2⁻¹⁶ relative to max|W| over a few steps (each adds a few roundoffs).
 */
const RTOL = 2 ** -16;

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i]! - expected[i]!);
    if (!(diff <= RTOL * scale)) expect.fail(`${what} index ${i}: got ${actual[i]}, expected ${expected[i]}, |diff| ${diff} > ${RTOL * scale}`);
  }
}

function problem(seed: string, n: number, features: number, c: number): DesignMatrix & { w: Float64Array; bytes: Uint8Array } {
  const rng = new Random(seed);
  const d = features + 1;
  const bytes = Uint8Array.from({ length: n * features }, () => rng.int(256));
  // Pixel-like X (scale 1/255, mean 0.5) so the dense and the pixel placement stand for the same X.
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < features; k++) x[i * d + k] = Math.fround(bytes[i * features + k]! / 255) - 0.5;
    x[i * d + features] = 1;
  }
  const y = Int32Array.from({ length: n }, () => rng.int(c));
  const w = new Float64Array(d * c);
  rng.fillNormal(w, 0.05);
  return { x, y, n, d, classes: c, w, bytes };
}

const RULES = ['sgd', 'momentum', 'nesterov'] as const;
const BATCHES: Rows[] = [Int32Array.of(3, 3, 17, 0, 8, 21, 30), { start: 4, count: 9 }, Int32Array.of(11), Int32Array.of(2, 29, 5, 5, 14, 6)];

/** Steps through the trainer and the same steps on the host in float64; compares loss and W after each. */
async function compareSteps(backend: ComputeBackend, data: Resident, p: ReturnType<typeof problem>, objective: Objective,
  rule: OptimizerName, what: string): Promise<void> {
  const optimizerOptions = resolveOptimizerOptions({ momentum: 0.8 });
  const trainer: ResidentTrainer | undefined = await backend.createTrainer!(data, { objective, optimizer: rule, optimizerOptions,
    batchSize: 9, weights: p.w });
  expect(trainer, what).toBeDefined();
  const host = Float64Array.from(p.w);
  const optimizer = createOptimizer(rule, optimizerOptions);
  const history = [Float64Array.from(host)];
  for (const [k, rows] of BATCHES.entries()) {
    const idx = rows instanceof Int32Array ? rows : Int32Array.from({ length: rows.count }, (_, i) => rows.start + i);
    const g = gatherRows(p.x, p.y, p.d, idx);
    const ref = evaluateReference(g.x, g.y, host, g.n, p.d, p.classes, objective, true);
    const lr = 0.5 / (k + 1);
    const loss = await trainer!.step(rows, lr);
    optimizer.step(host, ref.gradient!, lr);
    history.push(Float64Array.from(host));
    expect(Math.abs(loss - ref.loss), `${what} step ${k + 1} loss ${loss} vs ${ref.loss}`).toBeLessThanOrEqual(RTOL * Math.max(1, ref.loss));
    expectClose(trainer!.weights(0)!, host, `${what} step ${k + 1} W`);
  }
  expectClose(trainer!.weights(1)!, history.at(-2)!, `${what} W one back`);
  expectClose(trainer!.weights(2)!, history.at(-3)!, `${what} W two back`);
  await trainer!.dispose();
  await expect(trainer!.step(BATCHES[0]!, 0.1)).rejects.toThrow(/disposed/);
}

describe('onnx-cpu resident trainer', () => {
  const id = 'onnx-cpu';
  it.each(RULES)('%s: steps match float64 host steps (10 and 70 classes: the Gemm form; hinge and softmax; dense, pixels, Xᵀ stored)', async (rule) => {
    for (const c of [10, 70]) {
      const p = problem(`trainer-${c}`, 32, 12, c);
      for (const residency of ['input', 'initializer', 'initializer+xt'] as const) {
        const backend = await createOnnxBackend(id, { residency: uniform(residency) });
        const dense = await backend.place(p);
        const pixels = residency === 'initializer+xt' ? undefined : await backend.placePixels!({ pixels: p.bytes, features: p.d - 1,
          scale: 1 / 255, mean: new Float32Array(p.d - 1).fill(0.5), y: p.y, n: p.n, d: p.d, classes: c });
        for (const objective of [{ loss: 'softmax', reg: 0.01 }, { loss: 'svm', reg: 0, delta: 1 }, { loss: 'crammer-singer', reg: 0.02 }] as Objective[]) {
          await compareSteps(backend, dense, p, objective, rule, `${id} ${rule} C=${c} ${residency} dense ${objective.loss}`);
          if (pixels) await compareSteps(backend, pixels, p, objective, rule, `${id} ${rule} C=${c} ${residency} pixels ${objective.loss}`);
        }
        await backend.dispose();
      }
    }
  });
});

describe('onnx-cpu resident trainer, as training uses it', () => {
  it('declines what it does not run: other update rules, full batches', async () => {
    const backend = await createOnnxBackend('onnx-cpu');
    const p = problem('declines', 40, 6, 3);
    const data = await backend.place(p);
    const spec = { objective: { loss: 'softmax', reg: 0 } as Objective, optimizerOptions: resolveOptimizerOptions(), weights: p.w };
    expect(await backend.createTrainer!(data, { ...spec, optimizer: 'adam', batchSize: 8 })).toBeUndefined();
    expect(await backend.createTrainer!(data, { ...spec, optimizer: 'sgd', batchSize: 40 })).toBeUndefined();
    const trainer = await backend.createTrainer!(data, { ...spec, optimizer: 'sgd', batchSize: 8 });
    await expect(trainer!.step(Int32Array.of(40), 0.1)).rejects.toThrow(/row|index|40/);
    await expect(trainer!.step(Int32Array.of(1), Number.NaN)).rejects.toThrow(/learning rate/);
    // Steps one at a time: a second while the first runs would lose an update.
    const first = trainer!.step(Int32Array.of(1, 2), 0.1);
    await expect(trainer!.step(Int32Array.of(3), 0.1)).rejects.toThrow(/already running/);
    await first;
    for (const batchSize of [0, 2.5, Number.NaN]) {
      await expect(backend.createTrainer!(data, { ...spec, optimizer: 'sgd', batchSize })).rejects.toThrow(/batchSize must be a positive integer/);
    }
    await expect(backend.createTrainer!(data, { ...spec, optimizerOptions: { ...spec.optimizerOptions, momentum: 1.5 }, optimizer: 'momentum', batchSize: 8 }))
      .rejects.toThrow(/momentum/);
    await backend.dispose();

    // onnxruntime-web copies W in every run anyway and X into every session: no trainer there.
    const web = await createOnnxBackend('onnx-wasm');
    expect(await web.createTrainer!(await web.place(p), { ...spec, optimizer: 'sgd', batchSize: 8 })).toBeUndefined();
    await web.dispose();
  });

  it('train() on the trainer ends within float32 of host steps; a diverging run keeps its last good W', async () => {
    const backend = await createOnnxBackend('onnx-cpu');
    const p = problem('train', 400, 20, 6);
    const data = await backend.place(p);
    const base = { backend, train: data, objective: { loss: 'softmax', reg: 1e-3 } as Objective, strategy: 'minibatch' as const,
      optimizer: 'nesterov' as const, learningRate: 0.2, iterations: 60, batchSize: 32, seed: 5, evaluateEvery: 0 };
    const control = new RunControl();
    let seen: Float64Array | undefined;
    const resident = await train({ ...base, control, onProgress: (e) => { if (e.iteration === 30) seen = control.weights(); } });
    expect(seen?.length).toBe(p.d * 6);
    expect(seen!.every(Number.isFinite)).toBe(true);
    expect(Array.from(control.weights()!), 'RunControl shows the final W after the trainer is gone').toEqual(Array.from(resident.weights));
    const host = await train({ ...base, hostSteps: true });
    // The trainer ran (its W is float32 throughout), the host loop did not.
    expect(resident.weights.every((v) => Math.fround(v) === v)).toBe(true);
    expect(host.weights.every((v) => Math.fround(v) === v)).toBe(false);
    expect(resident.status).toBe('completed');
    expect(resident.finalLoss).toBeLessThan(resident.losses[0]!);
    expectClose(resident.weights, host.weights, 'final W');
    expectClose(resident.losses, host.losses, 'losses');

    // lr 1e30 blows W up at the first step: step 2's loss is non-finite, and both keep W₀. lr 1000
    // passes 1000× the first loss at step 3: both keep W₁, two back.
    for (const [learningRate, at] of [[1e30, 2], [1000, 3]] as const) {
      const diverged = await train({ ...base, learningRate });
      const diverging = await train({ ...base, learningRate, hostSteps: true });
      expect(diverged.status).toBe('diverged');
      expect(diverging.status).toBe('diverged');
      expect(diverged.message).toBe(diverging.message);
      expect(diverged.iterations).toBe(diverging.iterations);
      expect(diverged.iterations, diverged.message).toBe(at - 1);
      expect(diverged.weights.every(Number.isFinite)).toBe(true);
      expectClose(diverged.weights, diverging.weights, `the last good W (lr ${learningRate})`);
    }
    await backend.dispose();
  });
});
