// @descent/backend-ts: pure TypeScript kernels, float32 ('ts') and float64 ('ts-f64', the oracle).
import type { BackendProvider, Precision } from '@descent/core';
import { createTsBackend, TS_BACKEND_IDS } from './backend.js';

export { createTsBackend, TS_BACKEND_IDS } from './backend.js';

function provider(precision: Precision, description: string): BackendProvider {
  return {
    id: TS_BACKEND_IDS[precision],
    description,
    precision,
    environments: ['node', 'browser'],
    probe: async () => ({ available: true, detail: 'pure TypeScript, runs anywhere' }),
    create: async () => createTsBackend(precision),
  };
}

/** Both pure-TS backends, for a registry: registry.registerProviders(providers). */
export const providers: BackendProvider[] = [
  provider('float32', 'pure TypeScript, float32 storage (fused single-pass kernels)'),
  provider('float64', 'pure TypeScript, float64: the reference every backend is checked against'),
];
