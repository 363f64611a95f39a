/**
 * Measures the residency choices (residency.ts) on the CIFAR-10 shape: N×D×C = 50000×3073×10
 * by default, softmax loss + gradient over all rows and over minibatches of 200 random rows,
 * for onnx-cpu and onnx-wasm. Run: pnpm --filter @descent/backend-onnx bench:residency
 * [N] [threads] (RESIDENCY_ALL=1 to measure every choice, not only the default). Prints one line per (backend, residency): first-call time (graph build +
 * session creation + run) and medians of later calls.
 */
import { Random } from '@descent/core';
import type { ComputeBackend, Objective, Rows } from '@descent/core';
import { createOnnxBackend } from '../index.js';
import { DEFAULT_RESIDENCY, uniform } from '../residency.js';
import type { ResidencyPlan } from '../residency.js';
import type { OnnxBackendId } from '../runtime/types.js';

const n = Number(process.argv[2] ?? 50000), d = 3073, c = 10, batch = 200;
const threads = Number(process.argv[3] ?? 1);
const objective: Objective = { loss: 'softmax', reg: 2.5e4 };

const rng = new Random('bench-residency');
const x = new Float32Array(n * d);
rng.fillNormal(x, 60);
for (let i = 0; i < n; i++) x[i * d + d - 1] = 1;
const y = Int32Array.from({ length: n }, () => rng.int(c));
const w = new Float64Array(d * c);
rng.fillNormal(w, 1e-4);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

async function measure(id: OnnxBackendId, label: string, residency: ResidencyPlan): Promise<string> {
  let backend: ComputeBackend | undefined;
  try {
    backend = await createOnnxBackend(id, { threads, residency });
    const b = backend;
    const data = await b.place({ x, y, n, d, classes: c });
    const all: Rows = { start: 0, count: n };
    const firstFull = await time(() => b.evaluate(w, data, all, objective, true));
    const full: number[] = [];
    for (let k = 0; k < 3; k++) full.push(await time(() => b.evaluate(w, data, all, objective, true)));
    const pick = (): Int32Array => Int32Array.from({ length: batch }, () => rng.int(n));
    const firstMini = await time(() => b.evaluate(w, data, pick(), objective, true));
    const mini: number[] = [];
    for (let k = 0; k < 30; k++) mini.push(await time(() => b.evaluate(w, data, pick(), objective, true)));
    return `${id.padEnd(10)} ${label.padEnd(22)} first full ${firstFull.toFixed(0).padStart(6)} ms, full ${median(full).toFixed(1).padStart(7)} ms, `
      + `first batch ${firstMini.toFixed(0).padStart(6)} ms, batch of ${batch} ${median(mini).toFixed(2).padStart(7)} ms`;
  } catch (e) {
    return `${id.padEnd(10)} ${label.padEnd(22)} failed: ${(e as Error).message.slice(0, 300)}`;
  } finally {
    await backend?.dispose();
  }
}

const only = process.env['RESIDENCY_IDS']?.split(',') as OnnxBackendId[] | undefined;
console.log(`residency on ${n}×${d}×${c}, softmax loss + gradient, ${threads} thread(s)`);
for (const id of only ?? (['onnx-cpu', 'onnx-wasm'] as const)) {
  const runtime = id === 'onnx-cpu' ? 'onnxruntime-node' : 'onnxruntime-web';
  const plans: [string, ResidencyPlan][] = [['default (all/rows: ' + Object.values(DEFAULT_RESIDENCY[runtime]).join('/') + ')', DEFAULT_RESIDENCY[runtime]],
    ...(['initializer', 'input', 'initializer+xt'] as const).map((r): [string, ResidencyPlan] => [r, uniform(r)])];
  for (const [label, plan] of process.env['RESIDENCY_ALL'] ? plans : plans.slice(0, 1)) console.log(await measure(id, label, plan));
}
