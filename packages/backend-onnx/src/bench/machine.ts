/**
 * The machine's limits as the benchmark's floor needs them, measured through onnxruntime-node
 * on one thread (its kernels are optimized C: MLAS SGEMM with AVX2/AVX-512 FMA, vectorized
 * reductions), so they say what optimized native code reaches here:
 *
 *   peak:      a square float32 MatMul (2·n³ flops), best of several runs;
 *   bandwidth: ReduceSum over a large float32 input (wrapped without a copy), bytes read ÷ time,
 *              best of several runs.
 *
 * Throws a BackendError when onnxruntime-node cannot load; callers fall back to documented
 * defaults.
 */
import { GraphBuilder } from '../onnx/builder.js';
import { loadOrtNode } from '../runtime/node.js';

export interface MachineLimits {
  /** Float32 multiply-add rate, GFLOP/s (2 flops per FMA). */
  readonly peakGflops: number;
  /** Sustained read bandwidth, GB/s (1e9 bytes). */
  readonly bandwidthGBs: number;
  readonly how: string;
}

export async function measureMachineLimits(options: { matmul?: number; readMB?: number; repeats?: number } = {}): Promise<MachineLimits> {
  const n = options.matmul ?? 1024, len = Math.round(((options.readMB ?? 256) * 1e6) / 4), repeats = options.repeats ?? 7;
  const rt = await loadOrtNode('cpu', 1);
  const { InferenceSession, Tensor } = rt.ort;

  const mm = new GraphBuilder('peak', 'square MatMul');
  const b = mm.initializer('B', 'float32', [n, n], Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 13) / 13 - 0.5));
  mm.op('MatMul', [mm.input('A', 'float32', [n, n]), b], {}, 'C');
  mm.output('C', 'float32', [n, n]);
  const mmSession = await InferenceSession.create(mm.encode(), rt.sessionOptions);
  const a = new Tensor('float32', Float32Array.from({ length: n * n }, (_, i) => ((i * 104729) % 17) / 17 - 0.5), [n, n]);
  let best = Infinity;
  for (let r = 0; r <= repeats; r++) {
    const t0 = performance.now();
    await mmSession.run({ A: a });
    if (r > 0) best = Math.min(best, performance.now() - t0);
  }
  await mmSession.release();
  const peakGflops = (2 * n ** 3) / (best * 1e6);

  const rs = new GraphBuilder('bandwidth', 'ReduceSum over everything');
  rs.op('ReduceSum', [rs.input('V', 'float32', [len])], { keepdims: 0 }, 'S');
  rs.output('S', 'float32', []);
  const rsSession = await InferenceSession.create(rs.encode(), rt.sessionOptions);
  const data = new Float32Array(len);
  for (let i = 0; i < len; i += 1024) data[i] = 1; // touch every page before timing
  const v = new Tensor('float32', data, [len]);
  let bestRead = Infinity;
  for (let r = 0; r <= repeats; r++) {
    const t0 = performance.now();
    await rsSession.run({ V: v });
    if (r > 0) bestRead = Math.min(bestRead, performance.now() - t0);
  }
  await rsSession.release();
  const bandwidthGBs = (len * 4) / (bestRead * 1e6);
  return { peakGflops, bandwidthGBs,
    how: `measured with onnxruntime-node, 1 thread: MatMul ${n}×${n}×${n} best of ${repeats} (${best.toFixed(1)} ms); `
      + `ReduceSum over ${(len * 4 / 1e6).toFixed(0)} MB best of ${repeats} (${bestRead.toFixed(1)} ms)` };
}
