import { BackendRegistry, type BackendProvider } from '@descent/core';

/** Find one provider by id in a backend package's `providers` export. */
async function fromPackage(load: () => Promise<{ providers: readonly BackendProvider[] }>, id: string): Promise<BackendProvider> {
  const p = (await load()).providers.find((x) => x.id === id);
  if (!p) throw new Error(`the package does not provide '${id}'`);
  return p;
}

/**
 * Every backend the CLI knows, registered lazily: a backend's package (and its runtime) loads
 * only when that backend is probed or used.
 */
export function createRegistry(): BackendRegistry {
  const ts = () => import('@descent/backend-ts');
  return new BackendRegistry()
    .register({ id: 'ts', description: 'pure TypeScript, float32', environments: ['node', 'browser'], load: () => fromPackage(ts, 'ts') })
    .register({ id: 'ts-f64', description: 'pure TypeScript, float64 (the reference)', environments: ['node', 'browser'], load: () => fromPackage(ts, 'ts-f64') });
}
