import { BackendRegistry } from '@descent/core';
import { ONNX_BACKENDS } from '@descent/backend-onnx/ids';
import { TFJS_BACKENDS } from '@descent/backend-tfjs/ids';
import { TS_BACKENDS } from '@descent/backend-ts/ids';

/**
 * Every backend the CLI knows. Each package loads (with its runtime: tfjs, onnxruntime) only
 * when one of its backends is probed or used, so `descent train` on 'ts' never pays for them.
 */
export function createRegistry(): BackendRegistry {
  return new BackendRegistry()
    .registerPackage(Object.values(TS_BACKENDS), () => import('@descent/backend-ts'))
    .registerPackage(Object.values(TFJS_BACKENDS), () => import('@descent/backend-tfjs'))
    .registerPackage(Object.values(ONNX_BACKENDS), () => import('@descent/backend-onnx'));
}
