import { existsSync } from 'node:fs';
import * as vitest from 'vitest';
import { describe, expect, it } from 'vitest';
import { BackendRegistry, Random, evaluateReference, gatherRows, linearScores, resolveOptimizerOptions } from '@descent/core';
import type { ComputeBackend, Evaluation, Objective, Rows } from '@descent/core';
import { describeConformance } from '@descent/core/testing';
import { OnnxBackend } from './backend.js';
import { backendPackage, createOnnxBackend, providers } from './index.js';
import { DEFAULT_RESIDENCY, uniform } from './residency.js';
import { loadOrtNode, ortNodeFolder } from './runtime/node.js';
import type { LoadedRuntime, OrtModule, OrtSession } from './runtime/types.js';

/**
 * float32 throughout (unit roundoff 2⁻²⁴ ≈ 6e-8): sums of a few dozen products and a mean
 * over rows stay within ~100 roundoffs, so 2⁻¹⁶ ≈ 1.5e-5 relative to the largest magnitude.
 */
const RTOL = 2 ** -16;

function expectNear(actual: ArrayLike<number> | number, expected: ArrayLike<number> | number, what: string): void {
  const a = typeof actual === 'number' ? [actual] : actual, e = typeof expected === 'number' ? [expected] : expected;
  expect(a.length, what).toBe(e.length);
  let scale = 1;
  for (let i = 0; i < e.length; i++) scale = Math.max(scale, Math.abs(e[i]!));
  for (let i = 0; i < e.length; i++) {
    const diff = Math.abs(a[i]! - e[i]!);
    if (!(diff <= RTOL * (scale + Math.abs(e[i]!)))) expect.fail(`${what} index ${i}: got ${a[i]}, expected ${e[i]}, |diff| ${diff}`);
  }
}

function problem(seed: string, n: number, d: number, c: number) {
  const rng = new Random(seed);
  const x = new Float32Array(n * d);
  rng.fillNormal(x, 3);
  for (let i = 0; i < n; i++) x[i * d + d - 1] = 1;
  const y = Int32Array.from({ length: n }, () => rng.int(c));
  const w = new Float64Array(d * c);
  rng.fillNormal(w, 0.1);
  return { x, y, n, d, c, w, data: { x, y, n, d, classes: c } };
}

const OBJECTIVES: Objective[] = [
  { loss: 'svm', reg: 0 }, { loss: 'svm', reg: 0.3, delta: 2 }, { loss: 'softmax', reg: 0 }, { loss: 'softmax', reg: 0.3 },
];
const ROWS: Rows[] = [{ start: 0, count: 20 }, { start: 5, count: 7 }, Int32Array.of(3, 3, 19, 0), Int32Array.of(11)];

async function expectMatchesReference(backend: ComputeBackend): Promise<void> {
  const p = problem('onnx-backend', 20, 9, 4);
  const data = await backend.place(p.data);
  for (const rows of ROWS) {
    const idx = rows instanceof Int32Array ? rows : Int32Array.from({ length: rows.count }, (_, i) => rows.start + i);
    const g = gatherRows(p.x, p.y, p.d, idx);
    for (const objective of OBJECTIVES) {
      const what = `${backend.id} ${objective.loss} reg ${objective.reg} rows ${JSON.stringify(rows)}`;
      const ref = evaluateReference(g.x, g.y, p.w, g.n, p.d, p.c, objective, true);
      const got = await backend.evaluate(p.w, data, rows, objective, true);
      expectNear(got.loss, ref.loss, `${what} loss`);
      expectNear(got.dataLoss, ref.dataLoss, `${what} dataLoss`);
      expectNear(got.regLoss, ref.regLoss, `${what} regLoss`);
      expectNear(got.gradient!, ref.gradient!, `${what} gradient`);
      const lossOnly = await backend.evaluate(p.w, data, rows, objective, false);
      expect(lossOnly.gradient).toBeUndefined();
      expectNear(lossOnly.loss, ref.loss, `${what} loss only`);
    }
    expectNear(await backend.scores(p.w, data, rows), linearScores(g.x, p.w, g.n, p.d, p.c), `${backend.id} scores`);
  }
  await backend.release(data);
}

// The conformance kit on every ONNX backend that runs here (onnx-cpu and onnx-wasm in Node; the
// others are listed as skipped with their reason): agreement with the float64 reference with the
// default residency, whole runs, the contract (bad input, released and disposed data, lifecycle).
// The tests below are ONNX's own: the other residencies, sessions, probes, threads.
await describeConformance(vitest, backendPackage);

describe.each(['onnx-cpu', 'onnx-wasm'] as const)('%s', (id) => {
  it.each(['initializer', 'input', 'initializer+xt'] as const)('gives the same results with X resident as %s', async (residency) => {
    const backend = await createOnnxBackend(id, { residency: uniform(residency) });
    await expectMatchesReference(backend);
    await backend.dispose();
  });
});

describe('runs in flight at once', () => {
  it.each(['onnx-cpu', 'onnx-wasm'] as const)('%s: concurrent evaluations with different W each get their own (the reused W buffer is never shared)', async (id) => {
    const backend = await createOnnxBackend(id);
    const p = problem('concurrent', 64, 9, 4);
    const data = await backend.place(p.data);
    const ws = [0.1, -0.3, 0.7].map((k) => Float64Array.from(p.w, (v, i) => v * k + (i % 5) * 1e-3));
    const objective: Objective = { loss: 'softmax', reg: 1e-2 };
    const rows = { start: 0, count: p.n };
    const sequential: Evaluation[] = [];
    for (const w of ws) sequential.push(await backend.evaluate(w, data, rows, objective, true));
    const together = await Promise.all(ws.map((w) => backend.evaluate(w, data, rows, objective, true)));
    together.forEach((r, k) => {
      expect(r.loss, `W ${k}`).toBe(sequential[k]!.loss);
      expect(Array.from(r.gradient!), `W ${k}`).toEqual(Array.from(sequential[k]!.gradient!));
    });
    expect(new Set(together.map((r) => r.loss)).size).toBe(3);
    await backend.dispose();
  });
});

/** onnx-cpu on a runtime that counts the sessions it creates and releases. */
async function countingSessions(): Promise<{ backend: OnnxBackend; counts: { created: number; released: number } }> {
  const real = await loadOrtNode('cpu', 1);
  const counts = { created: 0, released: 0 };
  const counting = {
    create: async (model: Uint8Array, options: object): Promise<OrtSession> => {
      const session = await real.ort.InferenceSession.create(model, options);
      counts.created++;
      const release = session.release.bind(session);
      session.release = async () => { counts.released++; await release(); };
      return session;
    },
  };
  const runtime: LoadedRuntime = { ...real, ort: { ...real.ort, InferenceSession: counting } as unknown as OrtModule };
  return { backend: new OnnxBackend('onnx-cpu', runtime, DEFAULT_RESIDENCY['onnxruntime-node']), counts };
}

describe('sessions', () => {
  it('are created once per graph, reused, and all released by release() and dispose()', async () => {
    const { backend, counts } = await countingSessions();
    const p = problem('sessions', 10, 4, 3);
    const a = await backend.place(p.data), b = await backend.place(p.data);
    const all = { start: 0, count: 10 }, some = Int32Array.of(1, 2);
    for (let k = 0; k < 3; k++) {
      await backend.evaluate(p.w, a, all, { loss: 'svm', reg: k }, true);
      await backend.evaluate(p.w, a, some, { loss: 'svm', reg: 0, delta: k }, true);
      await backend.evaluate(p.w, a, all, { loss: 'softmax', reg: 0 }, false);
      await backend.scores(p.w, a, some);
    }
    expect(counts.created).toBe(4); // svm+gradient over all rows and over some, softmax loss, scores of some
    await backend.scores(p.w, b, all);
    expect(counts.created).toBe(5);
    await backend.release(a);
    expect(counts.released).toBe(4);
    await backend.dispose();
    expect(counts.released).toBe(5);
  });

  it('resident trainers share the placed set\'s sessions (one per graph, reused by the next trainer), released by release()', async () => {
    const { backend, counts } = await countingSessions();
    const p = problem('trainer-sessions', 10, 4, 3);
    const a = await backend.place(p.data);
    const spec = { objective: { loss: 'softmax', reg: 0 } as Objective, optimizer: 'momentum' as const,
      optimizerOptions: resolveOptimizerOptions(), batchSize: 2, weights: p.w };
    const first = (await backend.createTrainer(a, spec))!, second = (await backend.createTrainer(a, spec))!;
    for (let k = 0; k < 3; k++) {
      await first.step(Int32Array.of(k, 5), 0.1);
      await second.step(Int32Array.of(k, 6), 0.1);
    }
    expect(counts.created).toBe(1);
    await first.dispose();
    await second.dispose();
    const third = (await backend.createTrainer(a, { ...spec, optimizer: 'sgd' }))!;
    await third.step(Int32Array.of(1, 2), 0.1);
    await (await backend.createTrainer(a, spec))!.step(Int32Array.of(3), 0.1);
    expect(counts.created).toBe(2); // momentum's graph again, and sgd's
    expect(counts.released).toBe(0);
    await backend.release(a);
    expect(counts.released).toBe(2);
    await third.dispose();
    await backend.dispose();
    expect(counts.released).toBe(2);
  });
});

describe('providers and probes', () => {
  it('registers all four ids; onnx-cpu and onnx-wasm run here, the others say why not', async () => {
    const registry = new BackendRegistry().registerProviders(providers);
    expect(registry.ids()).toEqual(['onnx-cpu', 'onnx-wasm', 'onnx-webgpu', 'onnx-cuda']);
    const rows = Object.fromEntries((await registry.probeAll()).map((r) => [r.id, r.result]));
    expect(rows['onnx-cpu']).toMatchObject({ available: true, detail: expect.stringMatching(/onnxruntime-node 1\.30\.0, cpu provider, 1 thread/) });
    expect(rows['onnx-wasm']).toMatchObject({ available: true, detail: expect.stringMatching(/onnxruntime-web 1\.30\.0, wasm provider/) });
    // Node has no navigator.gpu; onnxruntime-node's WebGPU provider needs Vulkan, which this machine lacks.
    const webgpu = rows['onnx-webgpu']!;
    if (!webgpu.available) expect(webgpu.reason).toMatch(/Vulkan|adapter/);
    const cudaLib = `${ortNodeFolder()}/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so`;
    if (!existsSync(cudaLib)) {
      expect(rows['onnx-cuda']).toEqual({ available: false,
        reason: expect.stringMatching(/CUDA execution provider library is not installed .*install step.*did not run.*--onnxruntime-node-install=cuda12/) });
      await expect(registry.create('onnx-cuda')).rejects.toThrow(/backend 'onnx-cuda' cannot run here: the CUDA execution provider/);
    }
  });

  it('takes a thread count and rejects a bad one', async () => {
    const backend = await createOnnxBackend('onnx-cpu', { threads: 2 });
    const p = problem('threads', 8, 5, 3);
    const data = await backend.place(p.data);
    const ref = evaluateReference(p.x, p.y, p.w, p.n, p.d, p.c, { loss: 'softmax', reg: 0.1 }, true);
    expectNear((await backend.evaluate(p.w, data, { start: 0, count: 8 }, { loss: 'softmax', reg: 0.1 }, true)).gradient!,
      ref.gradient!, 'two threads');
    await backend.dispose();
    await expect(createOnnxBackend('onnx-cpu', { threads: 0 })).rejects.toThrow(/threads must be a positive integer, got 0/);
    await expect(createOnnxBackend('onnx-nope' as 'onnx-cpu')).rejects.toThrow(/unknown ONNX backend 'onnx-nope'; known: onnx-cpu/);
  });
});
