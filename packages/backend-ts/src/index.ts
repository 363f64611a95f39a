/**
 * Pure TypeScript kernels: ts (float32) and ts-f64 (float64).
 *
 * @module @descent/backend-ts
 */
// @descent/backend-ts: pure TypeScript kernels, float32 ('ts') and float64 ('ts-f64', the oracle).
import type { BackendProvider } from '@descent/core';
import { createTsBackend } from './backend.js';
import { TS_BACKENDS } from './ids.js';

export { createTsBackend } from './backend.js';
export { backendPackage, TS_BACKEND_IDS, TS_BACKENDS } from './ids.js';
export type { TsBackendId, TsBackendSpec } from './ids.js';

/** Both pure-TS backends (what `backendPackage.load()` hands a registry). */
export const providers: BackendProvider[] = Object.values(TS_BACKENDS).map((spec) => ({
  ...spec,
  probe: async () => ({ available: true, detail: 'pure TypeScript, runs anywhere' }),
  create: async () => createTsBackend(spec.precision),
}));
