/**
 * Every descent backend in one catalogue: createRegistry() and auto.
 *
 * @module @descent/backends
 */
// @descent/backends: every descent backend package in one catalogue. Importing this loads no
// backend runtime: each package's main entry (and TensorFlow.js, ONNX Runtime) is imported only
// when one of its backends is probed or created.
import { BackendRegistry, infoIn, type BackendInfo, type BackendPackage, type Environment, type RegistryOptions } from '@descent/core';
import { BACKEND_PACKAGES } from './packages.js';

export { BACKEND_PACKAGES } from './packages.js';

export interface CatalogueOptions extends RegistryOptions {
  /** The packages to register (default: BACKEND_PACKAGES). */
  readonly packages?: readonly BackendPackage[];
}

/**
 * A registry of every backend. In a browser pass `assetBase`, the URL (ending in '/') where
 * the app serves the files `copyBackendAssets` (from '@descent/backends/node') copied; Node
 * needs nothing. Then `registry.resolve('auto')` creates the best backend that runs here.
 */
export function createRegistry(options: CatalogueOptions = {}): BackendRegistry {
  const registry = new BackendRegistry(options);
  for (const pkg of options.packages ?? BACKEND_PACKAGES) registry.addPackage(pkg);
  return registry;
}

/**
 * Every backend's static facts, in catalogue order (optionally only those for one environment,
 * each with its priority there: `priorityIn`).
 */
export function catalogue(environment?: Environment, packages: readonly BackendPackage[] = BACKEND_PACKAGES): BackendInfo[] {
  const all = packages.flatMap((p) => p.backends);
  return environment === undefined ? all : all.filter((b) => b.environments.includes(environment)).map((b) => infoIn(b, environment));
}
