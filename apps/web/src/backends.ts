/**
 * The page's backends: @descent/backends' catalogue, the browser ones. Importing this pulls
 * only the packages' light `ids` entries (names, descriptions, priorities); a backend package
 * and its runtime (TensorFlow.js, ONNX Runtime Web) load with import() when one of its backends
 * is probed or used, so esbuild puts each in its own chunk and the first load carries none.
 *
 * build.mjs copies the runtimes' .wasm files (each package's declared assets) next to the page;
 * the registry points the runtimes there (assetBase) before their first use.
 */
import { BACKEND_PACKAGES, catalogue, createRegistry } from '@descent/backends';
import type { BackendPackage, BackendRegistry } from '@descent/core';

/** The menu: 'auto', then every browser backend of the catalogue, in catalogue order. */
export function menuEntries(packages: readonly BackendPackage[] = BACKEND_PACKAGES): { id: string; description: string }[] {
  return [{ id: 'auto', description: 'the fastest backend that runs in this browser' },
    ...catalogue('browser', packages).map((b) => ({ id: b.id, description: b.description }))];
}

/** The browser backends' ids, in menu order. */
export const BROWSER_BACKENDS: readonly string[] = catalogue('browser').map((b) => b.id);

/** @param assetBase URL (ending in '/') of the build's folder, where build.mjs put the assets. */
export function createBrowserRegistry(assetBase: string): BackendRegistry {
  return createRegistry({ assetBase, environment: 'browser' });
}
