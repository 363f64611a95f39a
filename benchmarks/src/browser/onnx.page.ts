/**
 * Browser page (bundled by harness.ts): the shared conformance suite on the ONNX Runtime Web
 * backends in this page. Query: ?backends=onnx-wasm,onnx-webgpu (default both);
 * ?small=onnx-webgpu skips the CIFAR-shaped case on the backends named, which WebGPU on
 * SwiftShader runs far too slowly; every other case (hinge ties, ±1e4 scores, absent classes,
 * batches of one, the 200-step training runs) still runs there. onnxruntime-web fetches its
 * .wasm files from /ort/ (node_modules/onnxruntime-web/dist, served by the test).
 */
import { createOnnxBackend, setOnnxWasmPaths } from '@descent/backend-onnx';
import type { OnnxBackendId } from '@descent/backend-onnx';
import { runConformancePage } from './page-runner.js';

runConformancePage(['onnx-wasm', 'onnx-webgpu'], (id) => createOnnxBackend(id as OnnxBackendId),
  async () => setOnnxWasmPaths('/ort/'));
