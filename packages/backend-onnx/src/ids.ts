/**
 * The backend ids this package provides, where each can run, and what it is: static facts an
 * app can import without loading ONNX Runtime (`@descent/backend-onnx/ids`).
 */
import type { Environment } from '@descent/core';

export const ONNX_BACKEND_IDS = ['onnx-cpu', 'onnx-wasm', 'onnx-webgpu', 'onnx-cuda'] as const;

export interface OnnxBackendSpec {
  readonly id: (typeof ONNX_BACKEND_IDS)[number];
  readonly description: string;
  readonly environments: readonly Environment[];
}

export const ONNX_BACKENDS: Readonly<Record<(typeof ONNX_BACKEND_IDS)[number], OnnxBackendSpec>> = {
  'onnx-cpu': { id: 'onnx-cpu', environments: ['node'],
    description: 'ONNX Runtime (onnxruntime-node), CPU execution provider, float32' },
  'onnx-cuda': { id: 'onnx-cuda', environments: ['node'],
    description: 'ONNX Runtime (onnxruntime-node), CUDA execution provider, float32' },
  'onnx-wasm': { id: 'onnx-wasm', environments: ['node', 'browser'],
    description: 'ONNX Runtime Web (onnxruntime-web), WebAssembly SIMD, float32' },
  'onnx-webgpu': { id: 'onnx-webgpu', environments: ['browser', 'node'],
    description: 'ONNX Runtime WebGPU: onnxruntime-web in browsers, onnxruntime-node\'s WebGPU provider (Vulkan) in Node, float32' },
};
