/**
 * Browser page (bundled by harness.ts): runs the shared conformance suite on the ONNX Runtime
 * Web backends in this page and sets globalThis.__descentResult = { results: CaseResult[] }.
 * Query: ?backends=onnx-wasm,onnx-webgpu (default both); ?small=onnx-webgpu skips the
 * CIFAR-shaped case (64×3073×10) on the backends named, which WebGPU on SwiftShader runs far
 * too slowly; every other case (hinge ties, ±1e4 scores, absent classes, batches of one, the
 * 200-step training runs) still runs there. onnxruntime-web fetches its .wasm files from
 * /ort/ (node_modules/onnxruntime-web/dist, served by the test).
 */
import { createOnnxBackend, setOnnxWasmPaths } from '@descent/backend-onnx';
import type { OnnxBackendId } from '@descent/backend-onnx';
import { runConformance } from '../conformance-runner.js';
import type { CaseResult } from '../conformance-runner.js';

export const BIG_CASE = 'CIFAR-10-shaped 64×3073×10';

async function main(): Promise<{ results: CaseResult[] }> {
  const params = new URLSearchParams(location.search);
  const ids = (params.get('backends') ?? 'onnx-wasm,onnx-webgpu').split(',') as OnnxBackendId[];
  const small = new Set((params.get('small') ?? '').split(','));
  await setOnnxWasmPaths('/ort/');
  const results: CaseResult[] = [];
  for (const id of ids) {
    const t0 = performance.now();
    const got = await runConformance({ id, precision: 'float32', create: () => createOnnxBackend(id) },
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
