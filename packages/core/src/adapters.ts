/**
 * Whether a browser's GPU is real or a software emulation (SwiftShader, llvmpipe, lavapipe).
 * Backends on an emulated GPU compute correctly but far slower than the CPU backends (a run of
 * ~2 s on tfjs-wasm takes ~4 min on WebGPU over SwiftShader), so their probes say so and
 * `auto` passes them over. Browser-only checks through globalThis; anywhere else they answer
 * undefined (nothing to say).
 */

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render/i;

interface AdapterInfoLike { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean }
interface AdapterLike { info?: AdapterInfoLike; isFallbackAdapter?: boolean; requestAdapterInfo?(): Promise<AdapterInfoLike> }

/** Why WebGPU's default adapter here is a software fallback, or undefined (a real GPU, or no WebGPU). */
export async function webgpuSoftwareFallback(): Promise<string | undefined> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<AdapterLike | null> } } }).navigator?.gpu;
  if (!gpu) return undefined;
  let adapter: AdapterLike | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch {
    return undefined;
  }
  if (!adapter) return undefined;
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.().catch(() => undefined)) ?? {};
  const words = [info.vendor, info.architecture, info.device, info.description].filter((s) => s).join(' ');
  if (info.isFallbackAdapter || adapter.isFallbackAdapter || SOFTWARE.test(words)) {
    return `WebGPU adapter is a software fallback (${words || 'isFallbackAdapter'}): correct but far slower than the wasm backends`;
  }
  return undefined;
}

/** Why WebGL2 here renders in software, or undefined (hardware, unknown, or no WebGL). */
export function webglSoftwareFallback(): string | undefined {
  type Gl = { getExtension(n: string): { UNMASKED_RENDERER_WEBGL: number } | null; getParameter(p: number): unknown; RENDERER: number };
  const g = globalThis as { document?: { createElement(t: 'canvas'): { getContext(k: string): unknown } };
    OffscreenCanvas?: new (w: number, h: number) => { getContext(k: string): unknown } };
  try {
    const canvas = g.OffscreenCanvas ? new g.OffscreenCanvas(1, 1) : g.document?.createElement('canvas');
    const gl = canvas?.getContext('webgl2') as Gl | null | undefined;
    if (!gl) return undefined;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    return SOFTWARE.test(renderer)
      ? `WebGL renders in software (${renderer}): correct but slower than the wasm backends` : undefined;
  } catch {
    return undefined;
  }
}
