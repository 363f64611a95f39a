/**
 * The four backend ids: which runtime and execution provider each uses, where it can run,
 * and a probe that says exactly why it cannot when it cannot. A probe loads the runtime and
 * runs a one-node model on the provider, because listing a provider is not proof it starts.
 */
import { currentEnvironment, webgpuSoftwareFallback } from '@descent/core';
import type { Environment, ProbeResult } from '@descent/core';
import { GraphBuilder } from './onnx/builder.js';
import { messageOf } from './runtime/errors.js';
import { cudaMissing, importOrtNode, loadOrtNode, vulkanMissing } from './runtime/node.js';
import { loadOrtWeb, webgpuMissing } from './runtime/web.js';
import type { LoadedRuntime, OnnxBackendId } from './runtime/types.js';
import { ONNX_BACKENDS } from './ids.js';
import { DEFAULT_RESIDENCY } from './residency.js';
import type { ResidencyPlan } from './residency.js';

export interface OnnxTarget {
  readonly id: OnnxBackendId;
  readonly description: string;
  readonly environments: readonly Environment[];
  /** Default residency for this runtime (residency.ts). */
  readonly residency: ResidencyPlan;
  load(threads: number): Promise<LoadedRuntime>;
  /** Why this id cannot run here before loading anything, or undefined. */
  precheck(): Promise<string | undefined>;
}

const inBrowser = (): boolean => currentEnvironment() === 'browser';

/** onnxruntime-node's own list of providers it was built with. */
async function nodeLists(provider: string): Promise<string | undefined> {
  const ort = await importOrtNode() as unknown as { listSupportedBackends?(): { name: string; bundled: boolean }[] };
  const listed = ort.listSupportedBackends?.();
  if (listed && !listed.some((b) => b.name === provider)) {
    return `onnxruntime-node lists no '${provider}' provider (listSupportedBackends: ${listed.map((b) => b.name).join(', ')})`;
  }
  return undefined;
}

export const TARGETS: Readonly<Record<OnnxBackendId, OnnxTarget>> = {
  'onnx-cpu': {
    ...ONNX_BACKENDS['onnx-cpu'], residency: DEFAULT_RESIDENCY['onnxruntime-node'],
    load: (threads) => loadOrtNode('cpu', threads),
    precheck: () => nodeLists('cpu'),
  },
  'onnx-cuda': {
    ...ONNX_BACKENDS['onnx-cuda'], residency: DEFAULT_RESIDENCY['onnxruntime-node'],
    load: (threads) => loadOrtNode('cuda', threads),
    precheck: async () => (await nodeLists('cuda')) ?? cudaMissing(),
  },
  'onnx-wasm': {
    ...ONNX_BACKENDS['onnx-wasm'], residency: DEFAULT_RESIDENCY['onnxruntime-web'],
    load: (threads) => loadOrtWeb('wasm', threads),
    precheck: async () => undefined,
  },
  'onnx-webgpu': {
    ...ONNX_BACKENDS['onnx-webgpu'], residency: DEFAULT_RESIDENCY['onnxruntime-web'],
    load: (threads) => (inBrowser() ? loadOrtWeb('webgpu', threads) : loadOrtNode('webgpu', threads)),
    precheck: async () => (inBrowser() ? webgpuMissing() : (await nodeLists('webgpu')) ?? vulkanMissing()),
  },
};

/** y = x + x on one float: enough to make a provider start and run. */
function smokeModel(): Uint8Array {
  const g = new GraphBuilder('probe');
  const x = g.input('x', 'float32', [1]);
  g.op('Add', [x, x], {}, 'y');
  g.output('y', 'float32', [1]);
  return g.encode();
}

export async function probeTarget(target: OnnxTarget, threads: number): Promise<ProbeResult> {
  try {
    const why = await target.precheck();
    if (why !== undefined) return { available: false, reason: why };
    const runtime = await target.load(threads);
    const session = await runtime.ort.InferenceSession.create(smokeModel(), runtime.sessionOptions);
    try {
      const out = await session.run({ x: new runtime.ort.Tensor('float32', Float32Array.of(1.5), [1]) });
      const y = (out['y']?.data as Float32Array | undefined)?.[0];
      if (y !== 3) return { available: false, reason: `${runtime.packageName} ran a test model but returned ${y}, not 3` };
    } finally {
      await session.release();
    }
    const provider = (runtime.sessionOptions.executionProviders ?? []).join(', ');
    const software = target.id === 'onnx-webgpu' && inBrowser() ? await webgpuSoftwareFallback() : undefined;
    return { available: true, detail: `${runtime.packageName} ${runtime.ort.env.versions.common}, ${provider} provider, ${threads} thread(s)`,
      ...(software !== undefined ? { softwareFallback: software } : {}) };
  } catch (e) {
    return { available: false, reason: `${target.id} failed to start a test session: ${messageOf(e).trim()}` };
  }
}
