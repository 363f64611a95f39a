/**
 * The descent backend ids this package provides, the tfjs backend each one runs on, and the
 * wasm files tfjs-wasm fetches in browsers: static facts an app can import without loading
 * TensorFlow.js (`@descent/backend-tfjs/ids`). `backendPackage` is what a registry takes.
 */
import type { BackendInfo, BackendModule, BackendPackage } from '@descent/core';

export const TFJS_BACKEND_IDS = ['tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-webgpu', 'tfjs-node', 'tfjs-node-gpu'] as const;
export type TfjsBackendId = (typeof TFJS_BACKEND_IDS)[number];

export interface TfjsBackendSpec extends BackendInfo {
  readonly id: TfjsBackendId;
  /** The tfjs backend name passed to tf.setBackend. */
  readonly tfjsName: string;
}

/**
 * Priorities (see docs/architecture.md): GPU backends first; then by `pnpm bench` (full batch
 * and minibatch step alike): tfjs-wasm 3.7 ms a step, ts 6.7, tfjs-cpu 22. tfjs-node cannot
 * install on the machines measured; TensorFlow's C library is placed just below onnx-cpu.
 */
export const TFJS_BACKENDS: Readonly<Record<TfjsBackendId, TfjsBackendSpec>> = {
  'tfjs-cpu': { id: 'tfjs-cpu', tfjsName: 'cpu', environments: ['node', 'browser'], precision: 'float32', priority: 5, device: 'cpu',
    description: 'TensorFlow.js cpu backend (plain JavaScript kernels), float32' },
  'tfjs-wasm': { id: 'tfjs-wasm', tfjsName: 'wasm', environments: ['node', 'browser'], precision: 'float32', priority: 45, device: 'cpu',
    description: 'TensorFlow.js wasm backend (XNNPACK, SIMD), float32' },
  'tfjs-webgl': { id: 'tfjs-webgl', tfjsName: 'webgl', environments: ['browser'], precision: 'float32', priority: 80, device: 'gpu',
    description: 'TensorFlow.js webgl backend (WebGL2 shaders), float32 where the GPU renders it' },
  'tfjs-webgpu': { id: 'tfjs-webgpu', tfjsName: 'webgpu', environments: ['browser'], precision: 'float32', priority: 90, device: 'gpu',
    description: 'TensorFlow.js webgpu backend (WGSL compute shaders), float32' },
  'tfjs-node': { id: 'tfjs-node', tfjsName: 'tensorflow', environments: ['node'], precision: 'float32', priority: 55, device: 'cpu',
    description: 'TensorFlow.js node backend (TensorFlow C library, CPU), float32; optional peer @tensorflow/tfjs-node' },
  'tfjs-node-gpu': { id: 'tfjs-node-gpu', tfjsName: 'tensorflow', environments: ['node'], precision: 'float32', priority: 95, device: 'gpu',
    description: 'TensorFlow.js node backend (TensorFlow C library with CUDA), float32; optional peer @tensorflow/tfjs-node-gpu' },
};

export function isTfjsBackendId(id: string): id is TfjsBackendId {
  return (TFJS_BACKEND_IDS as readonly string[]).includes(id);
}

/** Where tfjs-wasm's binaries are looked up: `<asset base>tfjs/` (copied there by the app's build). */
export const TFJS_WASM_ASSET_DIR = 'tfjs';

export const backendPackage: BackendPackage = {
  name: '@descent/backend-tfjs',
  backends: TFJS_BACKEND_IDS.map((id) => TFJS_BACKENDS[id]),
  assets: [{ package: '@tensorflow/tfjs-backend-wasm', dir: TFJS_WASM_ASSET_DIR,
    files: ['dist/tfjs-backend-wasm.wasm', 'dist/tfjs-backend-wasm-simd.wasm', 'dist/tfjs-backend-wasm-threaded-simd.wasm'] }],
  load: async () => (await import('./index.js')) as BackendModule,
};
