/** The descent backend ids this package provides, and the tfjs backend each one runs on. */
import type { Environment } from '@descent/core';

export const TFJS_BACKEND_IDS = ['tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-webgpu', 'tfjs-node', 'tfjs-node-gpu'] as const;
export type TfjsBackendId = (typeof TFJS_BACKEND_IDS)[number];

export interface TfjsBackendSpec {
  readonly id: TfjsBackendId;
  /** The tfjs backend name passed to tf.setBackend. */
  readonly tfjsName: string;
  readonly environments: readonly Environment[];
  readonly description: string;
}

export const TFJS_BACKENDS: Readonly<Record<TfjsBackendId, TfjsBackendSpec>> = {
  'tfjs-cpu': { id: 'tfjs-cpu', tfjsName: 'cpu', environments: ['node', 'browser'],
    description: 'TensorFlow.js cpu backend (plain JavaScript kernels), float32' },
  'tfjs-wasm': { id: 'tfjs-wasm', tfjsName: 'wasm', environments: ['node', 'browser'],
    description: 'TensorFlow.js wasm backend (XNNPACK, SIMD), float32' },
  'tfjs-webgl': { id: 'tfjs-webgl', tfjsName: 'webgl', environments: ['browser'],
    description: 'TensorFlow.js webgl backend (WebGL2 shaders), float32 where the GPU renders it' },
  'tfjs-webgpu': { id: 'tfjs-webgpu', tfjsName: 'webgpu', environments: ['browser'],
    description: 'TensorFlow.js webgpu backend (WGSL compute shaders), float32' },
  'tfjs-node': { id: 'tfjs-node', tfjsName: 'tensorflow', environments: ['node'],
    description: 'TensorFlow.js node backend (TensorFlow C library, CPU), float32; optional peer @tensorflow/tfjs-node' },
  'tfjs-node-gpu': { id: 'tfjs-node-gpu', tfjsName: 'tensorflow', environments: ['node'],
    description: 'TensorFlow.js node backend (TensorFlow C library with CUDA), float32; optional peer @tensorflow/tfjs-node-gpu' },
};

export function isTfjsBackendId(id: string): id is TfjsBackendId {
  return (TFJS_BACKEND_IDS as readonly string[]).includes(id);
}
