/**
 * How each runtime keeps the data set resident, chosen by measurement (bench/residency.ts:
 * CIFAR-10 shape 50000×3073×10, softmax loss + gradient, 1 thread, this 2-vCPU machine;
 * medians in ms; "first" = graph build + protobuf encode + session creation + one run):
 *
 *                               all rows   first    200 rows   first
 *   onnx-cpu  default (see below)  70.9      1271      0.65        5
 *   onnx-cpu  initializer          71.5      1317      0.66     1277
 *   onnx-cpu  input               142.2       176      0.62        4
 *   onnx-cpu  initializer + Xᵀ     65.3      3336     18.47     4930
 *   onnx-wasm initializer = default 246.2   1003      1.64      749
 *   onnx-wasm input               339.8       350     37.76       49
 *   onnx-wasm initializer + Xᵀ   out of wasm memory (std::bad_alloc) at the second session
 *
 * - onnxruntime-node wraps an input's memory without copying it, so feeding X costs nothing,
 *   but an initializer X lets MatMul pre-pack it once: the gradient's product (dSᵀ·X)ᵀ runs
 *   2.0× faster over all rows. For selected rows the gathered batch is not constant, both
 *   run alike, and feeding X saves a 1.3 s session build and another 614 MB copy. So: X is
 *   an initializer in all-row graphs and an input in selected-row graphs.
 * - onnxruntime-web copies every input into wasm memory on every run (614 MB here), so X must
 *   be an initializer: 23× faster for a batch of 200, 1.38× over all rows.
 * - The gradient's product Xᵀ·dS, 5000×3073×10, one op alone (ms): Gemm(X, dS, transA) 9.0
 *   (cpu) / 42 (wasm); MatMul(Xᵀ stored, dS) 2.6 / 14.1; (dSᵀ·X)ᵀ with X an initializer
 *   3.6 / 10.0, with X an input 8.3 / 33. The graphs use (dSᵀ·X)ᵀ (objective.ts).
 * - Storing Xᵀ as well does not pay: over all rows it gains 8% on onnx-cpu, but a strided
 *   Gather of Xᵀ columns makes batches 28× slower, it doubles memory, and wasm runs out.
 * Timings vary with load on this shared 2-vCPU machine (an earlier, busier run: cpu 68.9 /
 * 131.6 ms, wasm 256 / 328 ms over all rows); the ratios held.
 */
import type { Residency, Selection } from './graphs/batch.js';

/** Residency for all-row graphs and for selected-row graphs. */
export type ResidencyPlan = Readonly<Record<Selection, Residency>>;

export const DEFAULT_RESIDENCY: Readonly<Record<'onnxruntime-node' | 'onnxruntime-web', ResidencyPlan>> = {
  'onnxruntime-node': { all: 'initializer', rows: 'input' },
  'onnxruntime-web': { all: 'initializer', rows: 'initializer' },
};

/** The same residency for both kinds of graph (for measuring one choice alone). */
export const uniform = (residency: Residency): ResidencyPlan => ({ all: residency, rows: residency });
