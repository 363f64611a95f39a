/**
 * Every browser backend, registered lazily (as the CLI's apps/cli/src/backends.ts does): a
 * backend package — and the runtime it brings (TensorFlow.js, ONNX Runtime Web) — is imported
 * with import() only when that backend is probed or used, so esbuild puts each in its own
 * chunk and the page's first load pulls none of them.
 *
 * The runtimes' .wasm files are copied by build.mjs to wasm/tfjs/ and wasm/ort/ next to the
 * page; the loaders point the runtimes there before the first use. A package that is missing
 * or does not load shows as unavailable with the reason (the registry's probe records it).
 */
import { BackendRegistry, providerFrom } from '@descent/core';

/** Ids in menu order. */
export const BROWSER_BACKENDS = ['ts', 'ts-f64', 'tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-webgpu', 'onnx-wasm', 'onnx-webgpu'] as const;

/**
 * One-line descriptions shown before a backend's package has loaded. Written here rather than
 * imported from the packages' `ids` entries so that the page's first load holds no code of a
 * backend package at all (a test pins that).
 */
const DESCRIPTIONS: Readonly<Record<(typeof BROWSER_BACKENDS)[number], string>> = {
  ts: 'pure TypeScript, float32',
  'ts-f64': 'pure TypeScript, float64 (the reference)',
  'tfjs-cpu': 'TensorFlow.js cpu backend (plain JavaScript), float32',
  'tfjs-wasm': 'TensorFlow.js wasm backend (XNNPACK, SIMD), float32',
  'tfjs-webgl': 'TensorFlow.js webgl backend (WebGL2 shaders), float32',
  'tfjs-webgpu': 'TensorFlow.js webgpu backend (WGSL compute shaders), float32',
  'onnx-wasm': 'ONNX Runtime Web, WebAssembly SIMD, float32',
  'onnx-webgpu': 'ONNX Runtime Web, WebGPU, float32',
};

/** Load a module once; a failure is not cached, so a later probe may retry. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= load().catch((e: unknown) => { p = undefined; throw e; }));
}

/**
 * @param assetBase URL prefix (ending in '/') of the build's folder: wasm files are under
 *   `${assetBase}wasm/tfjs/` and `${assetBase}wasm/ort/`.
 */
export function createBrowserRegistry(assetBase: string): BackendRegistry {
  const ts = once(() => import('@descent/backend-ts'));
  const tfjs = once(async () => {
    const m = await import('@descent/backend-tfjs');
    await m.setWasmPaths(`${assetBase}wasm/tfjs/`);
    return m;
  });
  const onnx = once(async () => {
    const m = await import('@descent/backend-onnx');
    await m.setOnnxWasmPaths(`${assetBase}wasm/ort/`);
    return m;
  });
  const registry = new BackendRegistry();
  for (const id of BROWSER_BACKENDS) {
    const load = id.startsWith('tfjs-') ? tfjs : id.startsWith('onnx-') ? onnx : ts;
    registry.register({ id, description: DESCRIPTIONS[id], environments: ['browser'], load: () => providerFrom(load, id) });
  }
  return registry;
}
