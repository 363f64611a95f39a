/**
 * The shared conformance suite on ONNX Runtime Web in headless Chromium: onnx-wasm (the
 * browser's wasm build) and onnx-webgpu (SwiftShader adapter via --enable-unsafe-webgpu:
 * correct, far too slow to time, so it skips the CIFAR-shaped case; see the page).
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeBrowserConformance } from './describe-browser.js';

// onnxruntime-web's exports hide package.json; its Node entry lives in dist/ beside the .wasm files.
const ortDist = dirname(createRequire(fileURLToPath(new URL('../../../packages/backend-onnx/package.json', import.meta.url)))
  .resolve('onnxruntime-web'));

describeBrowserConformance({
  title: 'ONNX Runtime Web conformance in headless Chromium',
  page: './onnx.page.ts',
  backends: ['onnx-wasm', 'onnx-webgpu'],
  small: ['onnx-webgpu'],
  staticDirs: { '/ort/': ortDist },
});
