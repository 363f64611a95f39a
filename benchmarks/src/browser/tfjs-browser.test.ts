/**
 * The shared conformance suite on tfjs in headless Chromium: tfjs-webgl (SwiftShader) and
 * tfjs-webgpu (SwiftShader adapter via --enable-unsafe-webgpu), plus tfjs-cpu and tfjs-wasm
 * as a browser build. All specs run on all four (measured: webgl 19 s, webgpu 24 s on
 * SwiftShader, cpu and wasm under 1 s each).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeBrowserConformance } from './describe-browser.js';

const wasmDir = join(dirname(createRequire(fileURLToPath(new URL('../../../packages/backend-tfjs/package.json', import.meta.url)))
  .resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');

describeBrowserConformance({
  title: 'tfjs conformance in headless Chromium',
  page: './tfjs.page.ts',
  backends: ['tfjs-webgl', 'tfjs-webgpu', 'tfjs-cpu', 'tfjs-wasm'],
  staticDirs: { '/tfjs-wasm/': wasmDir },
});
