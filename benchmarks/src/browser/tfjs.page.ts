/**
 * Browser page (bundled by harness.ts): the shared conformance suite on the tfjs backends in
 * this page. Query: ?backends=tfjs-webgl,tfjs-webgpu (default all four browser tfjs backends);
 * ?small=tfjs-webgpu skips the CIFAR-shaped case on the backends named, for a slow adapter
 * (WebGPU on SwiftShader runs it in ~7 s of its ~24 s, so the test keeps it).
 * tfjs-wasm fetches its .wasm files from /tfjs-wasm/ (served by the test).
 */
import { createTfjsBackend, setWasmPaths } from '@descent/backend-tfjs';
import { runConformancePage } from './page-runner.js';

runConformancePage(['tfjs-webgl', 'tfjs-webgpu', 'tfjs-cpu', 'tfjs-wasm'], (id) => createTfjsBackend(id),
  () => setWasmPaths('/tfjs-wasm/'));
