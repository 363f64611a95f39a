import { createTfjsBackend } from '@descent/backend-tfjs';
import { describeConformance } from './conformance.js';

// The tfjs backends that run in Node (webgl and webgpu run in browser/tfjs-browser.test.ts).
describeConformance({ id: 'tfjs-cpu', precision: 'float32', create: () => createTfjsBackend('tfjs-cpu') });
describeConformance({ id: 'tfjs-wasm', precision: 'float32', create: () => createTfjsBackend('tfjs-wasm') });
