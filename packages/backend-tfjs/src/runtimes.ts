/**
 * Loading each tfjs backend's code, only when a descent backend is probed or created: an app
 * that never uses tfjs-webgpu never loads its shaders, and Node never loads WebGL.
 * tfjs-node / tfjs-node-gpu are optional peers: imported by a computed name so bundlers and
 * the type checker leave them alone, and reported as missing (with how to install) when absent.
 */
import * as tfCore from '@tensorflow/tfjs-core';
import type { Runtime, Tf } from './engine.js';
import type { TfjsBackendSpec } from './ids.js';

/** Why an optional runtime could not be loaded, in words a user can act on. */
export class RuntimeMissing extends Error {}

const NODE_PACKAGES: Readonly<Record<string, { pkg: string; needs: string }>> = {
  'tfjs-node': { pkg: '@tensorflow/tfjs-node', needs: 'Linux, macOS or Windows on x64 (or arm64 macOS)' },
  'tfjs-node-gpu': { pkg: '@tensorflow/tfjs-node-gpu', needs: 'Linux x64 with an NVIDIA GPU, CUDA 11.2 and cuDNN 8.1' },
};

/** Import the code that registers spec's tfjs backend; returns the tfjs namespace to use. */
export async function loadRuntime(spec: TfjsBackendSpec): Promise<Runtime> {
  switch (spec.id) {
    case 'tfjs-cpu': await import('@tensorflow/tfjs-backend-cpu'); break;
    case 'tfjs-wasm': await import('@tensorflow/tfjs-backend-wasm'); break;
    case 'tfjs-webgl': await import('@tensorflow/tfjs-backend-webgl'); break;
    case 'tfjs-webgpu': await import('@tensorflow/tfjs-backend-webgpu'); break;
    case 'tfjs-node':
    case 'tfjs-node-gpu': return { tf: await importNodeBinding(spec.id), backendName: spec.tfjsName };
  }
  return { tf: tfCore, backendName: spec.tfjsName };
}

/** Where the browser finds tfjs-wasm's .wasm files (a URL prefix ending in '/'); call before creating tfjs-wasm. */
export async function setWasmPaths(prefix: string): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(prefix);
}

async function importNodeBinding(id: 'tfjs-node' | 'tfjs-node-gpu'): Promise<Tf> {
  const { pkg, needs } = NODE_PACKAGES[id]!;
  let m: Record<string, unknown>;
  try {
    m = await import(/* @vite-ignore */ pkg) as Record<string, unknown>;
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    const code = (e as { code?: string }).code;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (package|module)|Could not resolve|Failed to load url/.test(message))
      && message.includes(pkg)) {
      throw new RuntimeMissing(`${pkg} is not installed: \`npm install ${pkg}@4.22.0\` or \`pnpm add ${pkg}@4.22.0\` (needs ${needs}; `
        + 'its install step downloads libtensorflow from Google servers, and npm 11 and pnpm run it only when allowed: '
        + `npm's allow-scripts, or allowBuilds: { '${pkg}': true } in pnpm-workspace.yaml)`);
    }
    if (/tfjs_binding\.node|\.node'|libtensorflow|libcud/.test(message)) {
      throw new RuntimeMissing(`${pkg} is installed but its native part did not load (${firstLine(message)}): `
        + `its install step must download libtensorflow — run \`npm rebuild ${pkg}\` or \`pnpm rebuild ${pkg}\` with its `
        + `install script allowed and Google servers reachable; it needs ${needs}`);
    }
    throw new RuntimeMissing(`${pkg} failed to load: ${firstLine(message)}`);
  }
  // A CommonJS package: the namespace is its module.exports, under 'default' in some loaders.
  const ns = (typeof m['matMul'] === 'function' ? m : m['default']) as Tf | undefined;
  if (typeof ns?.matMul !== 'function') throw new RuntimeMissing(`${pkg} loaded but does not export the tfjs API`);
  return ns;
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0]!;
}
