import type { BackendPackage, BackendRegistry } from '@descent/core';
import { BACKEND_PACKAGES, createRegistry as createCatalogueRegistry } from '@descent/backends';

/**
 * Every backend the CLI knows: @descent/backends' catalogue. Each package loads (with its
 * runtime: tfjs, onnxruntime) only when one of its backends is probed or used.
 */
export function createRegistry(packages: readonly BackendPackage[] = BACKEND_PACKAGES): BackendRegistry {
  return createCatalogueRegistry({ packages });
}

/** --backend's default: $DESCENT_BACKEND when set (a deployment's choice), else 'auto'. */
export function defaultBackendSpec(): string {
  const env = process.env['DESCENT_BACKEND']?.trim();
  return env ? env : 'auto';
}
