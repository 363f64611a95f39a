/**
 * onnxruntime-node: CPU, CUDA and WebGPU execution providers in one native addon, loaded with
 * import() only when a backend that needs it is probed or created (it is an optional
 * dependency: installs without a C++ toolchain or network still get the web backends).
 */
import { BackendError } from '@descent/core';
import { messageOf, moduleExports } from './errors.js';
import { importOrtNodeModule } from './ort-node-import.js';
import type { LoadedRuntime, OrtModule } from './types.js';

let loading: Promise<OrtModule> | undefined;

export function importOrtNode(): Promise<OrtModule> {
  loading ??= importOrtNodeModule().then(
    (ns) => moduleExports<OrtModule>(ns, 'InferenceSession'),
    (e: unknown) => {
      loading = undefined;
      throw new BackendError(`onnxruntime-node could not be loaded (${messageOf(e)}); it is an optional dependency `
        + `of @descent/backend-onnx: install it with 'npm install onnxruntime-node@1.30.0' or 'pnpm add onnxruntime-node@1.30.0' (the CPU provider needs no `
        + `download; skip its CUDA download with ONNXRUNTIME_NODE_INSTALL=skip)`, { cause: e });
    });
  return loading;
}

export type NodeProvider = 'cpu' | 'cuda' | 'webgpu';

export async function loadOrtNode(provider: NodeProvider, threads: number): Promise<LoadedRuntime> {
  const ort = await importOrtNode();
  return {
    ort, packageName: 'onnxruntime-node', scatters: true,
    sessionOptions: {
      executionProviders: [provider], intraOpNumThreads: threads, interOpNumThreads: 1,
      graphOptimizationLevel: 'all', executionMode: 'sequential',
      // Errors only: ORT's warnings (e.g. shape ops placed on CPU) are advice, not faults.
      logSeverityLevel: 3,
    },
  };
}

/** Node built-ins without a static import, so this file also bundles for browsers. */
const fs = () => process.getBuiltinModule('node:fs');
const path = () => process.getBuiltinModule('node:path');

/** onnxruntime-node's package folder. */
export function ortNodeFolder(): string {
  const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
  return path().dirname(require.resolve('onnxruntime-node/package.json'));
}

/** Why the CUDA provider cannot load here, or undefined when its files and driver are present. */
export function cudaMissing(): string | undefined {
  const { join } = path();
  const { existsSync } = fs();
  let pkg: string;
  try {
    pkg = ortNodeFolder();
  } catch {
    return undefined; // bundled away from its package: the test session's own error will say why
  }
  const providerLib = join(pkg, 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so');
  if (!existsSync(providerLib)) {
    return `the CUDA execution provider library is not installed (${providerLib} is missing): onnxruntime-node's `
      + `install step, which downloads it, did not run (npm 11 runs no install scripts unless allowed; this project's pnpm `
      + `settings deny it: allowBuilds onnxruntime-node: false). To install it on a `
      + `machine with CUDA 12 and cuDNN 9 and access to the NuGet feed, run `
      + `'node ${join(pkg, 'script', 'install.js')} --onnxruntime-node-install=cuda12'`;
  }
  const driver = ['/usr/lib/x86_64-linux-gnu/libcuda.so.1', '/usr/lib64/libcuda.so.1', '/usr/lib/wsl/lib/libcuda.so.1']
    .find((p) => existsSync(p));
  if (driver === undefined && !existsSync('/proc/driver/nvidia/version')) {
    return 'no NVIDIA driver found (libcuda.so.1 is not installed and /proc/driver/nvidia is absent)';
  }
  return undefined;
}

/**
 * Why onnxruntime-node's WebGPU provider (Dawn on Vulkan, on Linux) cannot find an adapter, or
 * undefined when the Vulkan loader is present (the provider itself then decides).
 */
export function vulkanMissing(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const { existsSync } = fs();
  const dirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib',
    ...(process.env['LD_LIBRARY_PATH'] ?? '').split(':').filter((d) => d !== '')];
  if (dirs.some((d) => existsSync(`${d}/libvulkan.so.1`))) return undefined;
  return 'onnxruntime-node\'s WebGPU provider needs Vulkan, and libvulkan.so.1 is not installed (on Debian: apt-get '
    + 'install libvulkan1 mesa-vulkan-drivers, which gives a software adapter); in a browser, onnx-webgpu uses onnxruntime-web';
}
