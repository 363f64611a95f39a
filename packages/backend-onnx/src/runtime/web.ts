/**
 * onnxruntime-web: the wasm provider (Node and browsers) and WebGPU (browsers), loaded with
 * import() on first use. Its thread count is a process-wide setting read when the first
 * session starts, so the first backend created decides it.
 */
import { BackendError } from '@descent/core';
import { messageOf } from './errors.js';
import type { LoadedRuntime, OrtModule } from './types.js';

let loading: Promise<OrtModule> | undefined;

export function importOrtWeb(): Promise<OrtModule> {
  loading ??= import('onnxruntime-web').then(
    (ns) => ns as unknown as OrtModule,
    (e: unknown) => {
      loading = undefined;
      throw new BackendError(`onnxruntime-web could not be loaded: ${messageOf(e)}`, { cause: e });
    });
  return loading;
}

export async function loadOrtWeb(provider: 'wasm' | 'webgpu', threads: number): Promise<LoadedRuntime> {
  const ort = await importOrtWeb();
  ort.env.wasm.numThreads = threads;
  return {
    ort, packageName: 'onnxruntime-web', scatters: provider !== 'webgpu',
    // Errors only: ORT's warnings (e.g. shape ops placed on CPU under WebGPU) are advice, not faults.
    sessionOptions: { executionProviders: [provider], graphOptimizationLevel: 'all', logSeverityLevel: 3 },
  };
}

/** Why WebGPU cannot run in this JavaScript environment, or undefined when an adapter exists. */
export async function webgpuMissing(): Promise<string | undefined> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
  if (gpu === undefined) {
    return 'WebGPU is not available: navigator.gpu is undefined (not a browser, or a browser without WebGPU; '
      + 'headless Chromium needs --enable-unsafe-webgpu)';
  }
  try {
    if ((await gpu.requestAdapter()) === null) return 'WebGPU has no adapter: navigator.gpu.requestAdapter() returned null';
  } catch (e) {
    return `WebGPU adapter request failed: ${messageOf(e)}`;
  }
  return undefined;
}

/**
 * Where onnxruntime-web fetches its .wasm files from (a URL prefix ending in '/'), for pages
 * whose bundler moved the JavaScript away from them; call before the first session.
 */
export async function setOnnxWasmPaths(prefix: string): Promise<void> {
  const ort = await importOrtWeb();
  ort.env.wasm.wasmPaths = prefix;
}
