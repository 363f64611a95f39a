/**
 * The backend ids this package provides, where each can run, what it is, and the wasm files
 * onnxruntime-web fetches in browsers: static facts an app can import without loading ONNX
 * Runtime (`@descent/backend-onnx/ids`). `backendPackage` is what a registry takes.
 */
import type { BackendInfo, BackendModule, BackendPackage } from '@descent/core';

export const ONNX_BACKEND_IDS = ['onnx-cpu', 'onnx-wasm', 'onnx-webgpu', 'onnx-cuda'] as const;
export type OnnxBackendId = (typeof ONNX_BACKEND_IDS)[number];

export interface OnnxBackendSpec extends BackendInfo {
  readonly id: OnnxBackendId;
}

/**
 * Priorities (see docs/architecture.md): GPU backends first; then by `pnpm bench`: onnx-cpu is
 * the fastest CPU backend (CIFAR-shaped full batch 75 ms; ts 1.61 s), onnx-wasm next (256 ms,
 * minibatch step 1.8 ms), ahead of tfjs-wasm (283 ms, 3.7 ms). In Node, onnx-webgpu comes
 * after onnx-cpu: on an NVIDIA H200 (`pnpm bench:gpu`, 2026-11-30) its minibatch step took
 * 8.5 ms against onnx-cpu's 1.0 ms on one thread (its full batch: 15.6 against 133 ms).
 */
export const ONNX_BACKENDS: Readonly<Record<OnnxBackendId, OnnxBackendSpec>> = {
  'onnx-cpu': { id: 'onnx-cpu', environments: ['node'], precision: 'float32', priority: 60, device: 'cpu',
    description: 'ONNX Runtime (onnxruntime-node), CPU execution provider, float32' },
  'onnx-cuda': { id: 'onnx-cuda', environments: ['node'], precision: 'float32', priority: 100, device: 'gpu',
    description: 'ONNX Runtime (onnxruntime-node), CUDA execution provider, float32' },
  'onnx-wasm': { id: 'onnx-wasm', environments: ['node', 'browser'], precision: 'float32', priority: 50, device: 'cpu',
    description: 'ONNX Runtime Web (onnxruntime-web), WebAssembly SIMD, float32' },
  'onnx-webgpu': { id: 'onnx-webgpu', environments: ['browser', 'node'], precision: 'float32', priority: 85, priorityIn: { node: 58 }, device: 'gpu',
    description: 'ONNX Runtime WebGPU: onnxruntime-web in browsers, onnxruntime-node\'s WebGPU provider (Vulkan) in Node, float32' },
};

/** Where onnxruntime-web's binaries are looked up: `<asset base>ort/` (copied there by the app's build). */
export const ORT_WASM_ASSET_DIR = 'ort';

export const backendPackage: BackendPackage = {
  name: '@descent/backend-onnx',
  backends: ONNX_BACKEND_IDS.map((id) => ONNX_BACKENDS[id]),
  // onnxruntime-web's bundled build loads the JSEP binary (wasm and WebGPU in one).
  assets: [{ package: 'onnxruntime-web', dir: ORT_WASM_ASSET_DIR,
    files: ['dist/ort-wasm-simd-threaded.jsep.wasm', 'dist/ort-wasm-simd-threaded.jsep.mjs'] }],
  load: async () => (await import('./index.js')) as BackendModule,
};
