// @descent/backend-ts: pure TypeScript kernels, float32 ('ts') and float64 ('ts-f64', the oracle).
import type { BackendProvider } from '@descent/core';
import { createTsBackend } from './backend.js';
import { TS_BACKENDS } from './ids.js';

export { createTsBackend } from './backend.js';
export { TS_BACKEND_IDS, TS_BACKENDS } from './ids.js';

/** Both pure-TS backends, for a registry: registry.registerProviders(providers). */
export const providers: BackendProvider[] = Object.values(TS_BACKENDS).map((spec) => ({
  ...spec,
  probe: async () => ({ available: true, detail: 'pure TypeScript, runs anywhere' }),
  create: async () => createTsBackend(spec.precision),
}));
