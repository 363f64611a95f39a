/**
 * Browser page (bundled by harness.ts): runs the shared conformance suite on the tfjs
 * backends in this page and sets globalThis.__descentResult = { results: CaseResult[] }.
 * Query: ?backends=tfjs-webgl,tfjs-webgpu (default all four browser tfjs backends);
 * ?small=tfjs-webgpu skips the CIFAR-shaped case (64×3073×10) on the backends named, for a
 * slow adapter (WebGPU on SwiftShader runs it in ~7 s of its ~24 s, so the test keeps it).
 * tfjs-wasm fetches its .wasm files from /tfjs-wasm/ (served by the test).
 */
import { createTfjsBackend, setWasmPaths } from '@descent/backend-tfjs';
import { runConformance } from '../conformance-runner.js';
import type { CaseResult } from '../conformance-runner.js';

export const BIG_CASE = 'CIFAR-10-shaped 64×3073×10';

async function main(): Promise<{ results: CaseResult[] }> {
  const params = new URLSearchParams(location.search);
  const ids = (params.get('backends') ?? 'tfjs-webgl,tfjs-webgpu,tfjs-cpu,tfjs-wasm').split(',');
  const small = new Set((params.get('small') ?? '').split(','));
  await setWasmPaths('/tfjs-wasm/');
  const results: CaseResult[] = [];
  for (const id of ids) {
    const t0 = performance.now();
    const got = await runConformance({ id, precision: 'float32', create: () => createTfjsBackend(id) },
      { include: (spec) => !(small.has(id) && spec.case === BIG_CASE) });
    console.log(`${id}: ${got.filter((r) => r.ok).length}/${got.length} specs passed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    results.push(...got);
  }
  return { results };
}

main().then(
  (r) => { (globalThis as { __descentResult?: unknown }).__descentResult = r; },
  (e: Error) => { (globalThis as { __descentResult?: unknown }).__descentResult = { error: e.stack ?? String(e) }; },
);
