/**
 * The backend ids this package provides, where each can run, and what it is: static facts an
 * app can import without loading the kernels (`@descent/backend-ts/ids`). `backendPackage` is
 * what a registry takes: `registry.addPackage(backendPackage)`.
 */
import type { BackendInfo, BackendModule, BackendPackage, Precision } from '@descent/core';

export const TS_BACKEND_IDS = { float32: 'ts', float64: 'ts-f64' } as const;
export type TsBackendId = (typeof TS_BACKEND_IDS)[Precision];

export interface TsBackendSpec extends BackendInfo {
  readonly id: TsBackendId;
}

/** Priorities from `pnpm bench`: ts is the slowest-but-one Node backend; ts-f64 (the oracle) is last. */
export const TS_BACKENDS: Readonly<Record<TsBackendId, TsBackendSpec>> = {
  ts: { id: 'ts', precision: 'float32', environments: ['node', 'browser'], priority: 30, device: 'cpu',
    description: 'pure TypeScript, float32 storage (fused single-pass kernels)' },
  'ts-f64': { id: 'ts-f64', precision: 'float64', environments: ['node', 'browser'], priority: 10, device: 'cpu',
    description: 'pure TypeScript, float64: the reference every backend is checked against' },
};

export const backendPackage: BackendPackage = {
  name: '@descent/backend-ts',
  backends: Object.values(TS_BACKENDS),
  load: async () => (await import('./index.js')) as BackendModule,
};
