/**
 * Every backend `pnpm bench:agree` checks, and where it runs. To add a backend to the suite:
 *
 * - Runs in Node: append `{ id, precision, create }` to NODE_TARGETS (a lazy import, so its
 *   runtime loads only when checked), and add a `describeConformance(...)` line to a
 *   src/conformance*.test.ts so vitest checks it too.
 * - Runs in a browser page: append its id to a page group below (or add a group: a page
 *   module like browser/tfjs.page.ts that calls runConformance for each id in ?backends= and
 *   sets globalThis.__descentResult = { results }, plus the static folders it fetches .wasm
 *   files from), and to that page's vitest test in src/browser/.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ConformanceTarget } from '../conformance-runner.js';

export const NODE_TARGETS: readonly ConformanceTarget[] = [
  { id: 'ts-f64', precision: 'float64', create: async () => (await import('@descent/backend-ts')).createTsBackend('float64') },
  { id: 'ts', precision: 'float32', create: async () => (await import('@descent/backend-ts')).createTsBackend('float32') },
  ...(['tfjs-cpu', 'tfjs-wasm'] as const).map((id): ConformanceTarget => ({ id, precision: 'float32',
    create: async () => (await import('@descent/backend-tfjs')).createTfjsBackend(id) })),
  ...(['onnx-cpu', 'onnx-wasm'] as const).map((id): ConformanceTarget => ({ id, precision: 'float32',
    create: async () => (await import('@descent/backend-onnx')).createOnnxBackend(id) })),
];

export interface PageGroup {
  readonly name: string;
  /** Page module, relative to the benchmarks package root. */
  readonly page: string;
  readonly backends: readonly string[];
  /** Backends that skip the CIFAR-shaped case (WebGPU on SwiftShader is far too slow for it). */
  readonly small?: readonly string[];
  /** URL prefix → folder, given the repository root. */
  staticDirs(repoRoot: string): Record<string, string>;
}

const resolveFrom = (repoRoot: string, pkg: string, request: string): string =>
  createRequire(join(repoRoot, pkg, 'package.json')).resolve(request);

export const PAGE_GROUPS: readonly PageGroup[] = [
  { name: 'tfjs', page: 'src/browser/tfjs.page.ts', backends: ['tfjs-webgl', 'tfjs-webgpu', 'tfjs-cpu', 'tfjs-wasm'],
    staticDirs: (root) => ({ '/tfjs-wasm/': join(dirname(resolveFrom(root, 'packages/backend-tfjs', '@tensorflow/tfjs-backend-wasm/package.json')), 'dist') }) },
  { name: 'onnx', page: 'src/browser/onnx.page.ts', backends: ['onnx-wasm', 'onnx-webgpu'], small: ['onnx-webgpu'],
    staticDirs: (root) => ({ '/ort/': dirname(resolveFrom(root, 'packages/backend-onnx', 'onnxruntime-web')) }) },
];
