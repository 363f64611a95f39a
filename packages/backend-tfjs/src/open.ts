/**
 * Opening a tfjs backend: environment checks that explain themselves, loading its code,
 * making it the active tfjs backend once, and reading the float precision it reports.
 * probe() is this with errors turned into reasons; create() is this, then a TfjsBackend.
 */
import { BackendError, currentEnvironment, webglSoftwareFallback, webgpuSoftwareFallback } from '@descent/core';
import type { ProbeResult } from '@descent/core';
import { withEngine } from './engine.js';
import type { Runtime } from './engine.js';
import type { TfjsBackendSpec } from './ids.js';
import { loadRuntime } from './runtimes.js';

export interface OpenRuntime {
  readonly runtime: Runtime;
  /** Bits of a float as the tfjs backend reports them (floatPrecision()): 32 here, or 16. */
  readonly floatBits: number;
  readonly detail: string;
}

/** Loads and activates spec's tfjs backend, or throws an error whose message says why not. */
export async function openRuntime(spec: TfjsBackendSpec): Promise<OpenRuntime> {
  const env = currentEnvironment();
  if (!spec.environments.includes(env)) throw new BackendError(wrongEnvironment(spec, env));
  if (spec.id === 'tfjs-webgpu') await checkWebGpu();
  if (spec.id === 'tfjs-webgl') checkWebGl2();
  const runtime = await loadRuntime(spec);
  const { tf } = runtime;
  // tfjs-cpu in Node prints a "Hi, … install tfjs-node" banner on stderr at first use, which
  // would interleave with a CLI's output; descent names tfjs-node itself (`descent backends`).
  // Production mode silences tfjs's warnings; descent validates its inputs itself.
  if (env === 'node' && !tf.env().getBool('PROD')) tf.enableProdMode();
  return withEngine(runtime, () => {
    // tfjs-webgl's floatPrecision() answers 16 exactly when WEBGL_RENDER_FLOAT32_ENABLED is true
    // (its check is inverted: tensorflow/tfjs#6980, fix #6981 unmerged in 4.22). tfjs's guide
    // (tensorflow/tfjs#1919) names that flag as the answer, so webgl reads the flag first.
    const renders32 = spec.id !== 'tfjs-webgl' || tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED');
    const floatBits = spec.id === 'tfjs-webgl' && renders32 ? 32 : tf.backend().floatPrecision();
    // A backend that computes in 16-bit floats (WebGL on some mobile GPUs) cannot train: a
    // 3073-term dot product in half precision is noise. It is reported unavailable, not degraded.
    if (floatBits !== 32 || !renders32) {
      throw new BackendError(`tfjs '${runtime.backendName}' computes in ${floatBits}-bit floats here`
        + `${renders32 ? '' : ' (WEBGL_RENDER_FLOAT32_ENABLED is false)'}; descent needs float32`);
    }
    return { runtime, floatBits, detail: `tfjs ${tf.version_core} '${runtime.backendName}' backend, floatPrecision ${floatBits} bits`
      + (spec.id === 'tfjs-webgl' ? ' (WEBGL_RENDER_FLOAT32_ENABLED)' : '') };
  });
}

/** probe(): openRuntime's error, as a reason. Never throws. */
export async function probeRuntime(spec: TfjsBackendSpec): Promise<ProbeResult> {
  try {
    const { detail } = await openRuntime(spec);
    const software = spec.id === 'tfjs-webgpu' ? await webgpuSoftwareFallback()
      : spec.id === 'tfjs-webgl' ? webglSoftwareFallback() : undefined;
    return { available: true, detail, ...(software !== undefined ? { softwareFallback: software } : {}) };
  } catch (e) {
    return { available: false, reason: (e as Error).message ?? String(e) };
  }
}

function wrongEnvironment(spec: TfjsBackendSpec, env: string): string {
  switch (spec.id) {
    case 'tfjs-webgl': return 'WebGL needs a browser: Node has no WebGL2 context (in Node use tfjs-wasm or tfjs-node)';
    case 'tfjs-webgpu': return 'WebGPU needs a browser that exposes navigator.gpu (Chrome/Edge 113+; Chromium on Linux '
      + 'with --enable-unsafe-webgpu); in Node use tfjs-wasm or tfjs-node';
    default: return `${spec.id} runs only in ${spec.environments.join(' or ')}, not in ${env} (it binds TensorFlow's C library)`;
  }
}

async function checkWebGpu(): Promise<void> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
  if (!gpu) {
    throw new BackendError('navigator.gpu is missing: this browser does not expose WebGPU (Chrome/Edge 113+; '
      + 'Chromium on Linux needs --enable-unsafe-webgpu)');
  }
  if (!(await gpu.requestAdapter())) {
    throw new BackendError('navigator.gpu.requestAdapter() found no adapter: WebGPU is blocked or no GPU (or '
      + 'software fallback) is available');
  }
}

function checkWebGl2(): void {
  const g = globalThis as { document?: { createElement(t: 'canvas'): { getContext(k: string): unknown } };
    OffscreenCanvas?: new (w: number, h: number) => { getContext(k: string): unknown } };
  const canvas = g.OffscreenCanvas ? new g.OffscreenCanvas(1, 1) : g.document?.createElement('canvas');
  if (!canvas) throw new BackendError('WebGL needs a canvas: neither OffscreenCanvas nor document exists here');
  if (!canvas.getContext('webgl2')) {
    throw new BackendError('this browser could not create a WebGL2 context (WebGL disabled, or the GPU blocklisted)');
  }
}
