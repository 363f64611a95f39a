/**
 * TensorFlow.js backends: tfjs-cpu, tfjs-wasm, tfjs-webgl, tfjs-webgpu, tfjs-node, tfjs-node-gpu.
 *
 * @module @descent/backend-tfjs
 */
// @descent/backend-tfjs: one objective written in TensorFlow.js ops, run on each tfjs backend
// as its own descent id. tfjs has one global engine: tfjs backends used at the same time
// take turns (see engine.ts).
import type { BackendProvider } from '@descent/core';
import { createTfjsBackend } from './backend.js';
import { TFJS_BACKEND_IDS, TFJS_BACKENDS, TFJS_WASM_ASSET_DIR } from './ids.js';
import { probeRuntime } from './open.js';
import { setWasmPaths } from './runtimes.js';

export { createTfjsBackend } from './backend.js';
export type { TfjsBackendOptions, TfjsComputeBackend } from './backend.js';
export { backendPackage, TFJS_BACKEND_IDS, TFJS_BACKENDS, isTfjsBackendId } from './ids.js';
export type { TfjsBackendId, TfjsBackendSpec } from './ids.js';
export { GRADIENT_MODES } from './ops/objective.js';
export type { GradientMode } from './ops/objective.js';
export { setWasmPaths } from './runtimes.js';

/** Every tfjs backend (what `backendPackage.load()` hands a registry). */
export const providers: BackendProvider[] = TFJS_BACKEND_IDS.map((id): BackendProvider => {
  const spec = TFJS_BACKENDS[id];
  return {
    id,
    description: spec.description,
    precision: 'float32',
    environments: spec.environments,
    probe: () => probeRuntime(spec),
    create: () => createTfjsBackend(id),
  };
});

/** Browsers: tfjs-wasm fetches its binaries from `${base}tfjs/` (see backendPackage.assets). */
export async function setAssetBase(base: string): Promise<void> {
  await setWasmPaths(`${base}${TFJS_WASM_ASSET_DIR}/`);
}
