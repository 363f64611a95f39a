/**
 * The backends the benchmark measures, in print order; the first is the baseline the ratios
 * are taken against. Append yours (e.g. onnx-cpu) with a lazy import, so a backend's runtime
 * loads only when measured. Unavailable ones are printed with their probe's reason.
 */
import { providerFrom, type BackendProvider } from '@descent/core';

export interface BenchBackend {
  readonly id: string;
  load(): Promise<BackendProvider>;
}

const ts = () => import('@descent/backend-ts');
const tfjs = () => import('@descent/backend-tfjs');
const onnx = () => import('@descent/backend-onnx');

export const BENCH_BACKENDS: BenchBackend[] = [
  { id: 'ts', load: () => providerFrom(ts, 'ts') },
  ...['tfjs-cpu', 'tfjs-wasm', 'tfjs-node', 'tfjs-node-gpu'].map((id) => ({ id, load: () => providerFrom(tfjs, id) })),
  ...['onnx-cpu', 'onnx-wasm'].map((id) => ({ id, load: () => providerFrom(onnx, id) })),
];
