/**
 * The backend ids this package provides, where each can run, and what it is: static facts an
 * app can import without loading the kernels (`@descent/backend-ts/ids`).
 */
import type { Environment, Precision } from '@descent/core';

export const TS_BACKEND_IDS = { float32: 'ts', float64: 'ts-f64' } as const;

export interface TsBackendSpec {
  readonly id: (typeof TS_BACKEND_IDS)[Precision];
  readonly precision: Precision;
  readonly description: string;
  readonly environments: readonly Environment[];
}

export const TS_BACKENDS: Readonly<Record<(typeof TS_BACKEND_IDS)[Precision], TsBackendSpec>> = {
  ts: { id: 'ts', precision: 'float32', environments: ['node', 'browser'],
    description: 'pure TypeScript, float32 storage (fused single-pass kernels)' },
  'ts-f64': { id: 'ts-f64', precision: 'float64', environments: ['node', 'browser'],
    description: 'pure TypeScript, float64: the reference every backend is checked against' },
};
