/**
 * ONNX Runtime backends (onnx-cpu, onnx-cuda, onnx-wasm, onnx-webgpu) and the ONNX export.
 *
 * @module @descent/backend-onnx
 */
// @descent/backend-onnx: ONNX Runtime backends. onnx-cpu and onnx-cuda (onnxruntime-node),
// onnx-wasm (onnxruntime-web, Node and browsers), onnx-webgpu (browsers via onnxruntime-web,
// Node via onnxruntime-node's WebGPU provider). Graphs are built in TypeScript (./graphs).
import { BackendError } from '@descent/core';
import type { BackendProvider, ComputeBackend } from '@descent/core';
import { OnnxBackend } from './backend.js';
import { ONNX_BACKEND_IDS } from './runtime/types.js';
import type { OnnxBackendId, OnnxBackendOptions } from './runtime/types.js';
import { probeTarget, TARGETS } from './targets.js';
import { ORT_WASM_ASSET_DIR } from './ids.js';
import { setOnnxWasmPaths } from './runtime/web.js';

export { OnnxBackend } from './backend.js';
export { ONNX_BACKEND_IDS } from './runtime/types.js';
export type { OnnxBackendId, OnnxBackendOptions } from './runtime/types.js';
export { backendPackage, ONNX_BACKENDS } from './ids.js';
export type { OnnxBackendSpec } from './ids.js';
export { setOnnxWasmPaths } from './runtime/web.js';
export { classifierInput, exportClassifierOnnx } from './export/classifier.js';
export type { ClassifierExport } from './export/classifier.js';

const DEFAULT_THREADS = 1;

function threadsOf(options: OnnxBackendOptions): number {
  const threads = options.threads ?? DEFAULT_THREADS;
  if (!(Number.isInteger(threads) && threads >= 1)) {
    throw new BackendError(`threads must be a positive integer, got ${threads}`);
  }
  return threads;
}

/** Creates an ONNX backend by id; fails with the probe's reason when it cannot run here. */
export async function createOnnxBackend(id: OnnxBackendId, options: OnnxBackendOptions = {}): Promise<ComputeBackend> {
  const target = TARGETS[id];
  if (!target) throw new BackendError(`unknown ONNX backend '${String(id)}'; known: ${ONNX_BACKEND_IDS.join(', ')}`);
  const threads = threadsOf(options);
  const why = await target.precheck();
  if (why !== undefined) throw new BackendError(`backend '${id}' cannot run here: ${why}`);
  return new OnnxBackend(id, await target.load(threads), options.residency ?? target.residency);
}

/** Providers for every ONNX backend id, with the given options (threads, residency). */
export function onnxProviders(options: OnnxBackendOptions = {}): BackendProvider[] {
  return ONNX_BACKEND_IDS.map((id): BackendProvider => {
    const target = TARGETS[id];
    return {
      id, description: target.description, precision: 'float32', environments: target.environments,
      probe: () => probeTarget(target, threadsOf(options)),
      create: () => createOnnxBackend(id, options),
    };
  });
}

/** The ONNX backends with default options (1 thread): what `backendPackage.load()` hands a registry. */
export const providers: BackendProvider[] = onnxProviders();

/** The ONNX backends with a registry's options (RegistryOptions.threads: onnxruntime's intra-op threads). */
export function providersFor(options: { readonly threads?: number }): BackendProvider[] {
  return onnxProviders({ ...(options.threads !== undefined ? { threads: options.threads } : {}) });
}

/** Browsers: onnxruntime-web fetches its binaries from `${base}ort/` (see backendPackage.assets). */
export async function setAssetBase(base: string): Promise<void> {
  await setOnnxWasmPaths(`${base}${ORT_WASM_ASSET_DIR}/`);
}
export { measureMachineLimits } from './bench/machine.js';
export type { MachineLimits } from './bench/machine.js';
