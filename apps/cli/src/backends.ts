import { MAX_THREADS, OptionError, type BackendPackage, type BackendRegistry } from '@descent/core';
import { BACKEND_PACKAGES, createRegistry as createCatalogueRegistry } from '@descent/backends';

/**
 * Every backend the CLI knows: @descent/backends' catalogue. Each package loads (with its
 * runtime: tfjs, onnxruntime) only when one of its backends is probed or used. Threads for
 * runtimes with a thread pool come from $DESCENT_THREADS (default: each package's, 1).
 */
export function createRegistry(packages: readonly BackendPackage[] = BACKEND_PACKAGES): BackendRegistry {
  const threads = threadsFromEnvironment();
  return createCatalogueRegistry({ packages, ...(threads !== undefined ? { threads } : {}) });
}

/** $DESCENT_THREADS: a decimal integer from 1 to MAX_THREADS, or unset. */
export function threadsFromEnvironment(): number | undefined {
  const text = process.env['DESCENT_THREADS']?.trim();
  if (!text) return undefined;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_THREADS)) {
    throw new OptionError(`DESCENT_THREADS must be a whole number from 1 to ${MAX_THREADS}, got "${text}"`);
  }
  return n;
}

/** --backend's default: $DESCENT_BACKEND when set (a deployment's choice), else 'auto'. */
export function defaultBackendSpec(): string {
  const env = process.env['DESCENT_BACKEND']?.trim();
  return env ? env : 'auto';
}
