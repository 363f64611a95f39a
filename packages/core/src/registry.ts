import type { ComputeBackend, Precision } from './backend.js';
import { BackendError } from './errors.js';

/** Whether a backend can run here and, if not, why (in words a user can act on). */
export type ProbeResult = { readonly available: true; readonly detail?: string }
  | { readonly available: false; readonly reason: string };

/** Where a backend can run at all. */
export type Environment = 'node' | 'browser';

/**
 * What a backend package exports per id. The registry holds these behind a loader so an app
 * pulls a backend's runtime (tfjs, onnxruntime) only when that backend is probed or used.
 */
export interface BackendProvider {
  readonly id: string;
  readonly description: string;
  readonly precision: Precision;
  readonly environments: readonly Environment[];
  /** Checks, without side effects a user would notice, whether create() will work here. */
  probe(): Promise<ProbeResult>;
  create(): Promise<ComputeBackend>;
}

/** A registry entry: static facts plus a lazy loader for the provider. */
export interface BackendEntry {
  readonly id: string;
  readonly description: string;
  readonly environments: readonly Environment[];
  load(): Promise<BackendProvider>;
}

export interface ProbeRow {
  readonly id: string;
  readonly description: string;
  readonly precision?: Precision;
  readonly result: ProbeResult;
}

export function currentEnvironment(): Environment {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return p?.versions?.node !== undefined && typeof (globalThis as { window?: unknown }).window === 'undefined'
    ? 'node' : 'browser';
}

/** The provider for `id` from a backend package that exports `providers`, loaded by `load`. */
export async function providerFrom(load: () => Promise<{ providers: readonly BackendProvider[] }>,
  id: string): Promise<BackendProvider> {
  const provider = (await load()).providers.find((p) => p.id === id);
  if (!provider) throw new BackendError(`the package loaded for '${id}' does not provide it`);
  return provider;
}

/** Backends by id, probed once each; a failure is recorded with its reason, never thrown away. */
export class BackendRegistry {
  private readonly entries = new Map<string, BackendEntry>();
  private readonly probes = new Map<string, Promise<ProbeRow>>();

  register(entry: BackendEntry): this {
    if (this.entries.has(entry.id)) throw new BackendError(`backend '${entry.id}' is registered twice`);
    this.entries.set(entry.id, entry);
    return this;
  }

  /**
   * Register several ids served by one backend package, loaded only when one of them is probed
   * or created. `specs` are the package's static facts (from a light entry point that does not
   * import the runtime); `load` imports the package, which exports `providers`.
   */
  registerPackage(specs: readonly Pick<BackendEntry, 'id' | 'description' | 'environments'>[],
    load: () => Promise<{ providers: readonly BackendProvider[] }>): this {
    for (const spec of specs) {
      this.register({ id: spec.id, description: spec.description, environments: spec.environments,
        load: () => providerFrom(load, spec.id) });
    }
    return this;
  }

  /** Register every provider a loaded backend module exports (no laziness: for tests). */
  registerProviders(providers: readonly BackendProvider[]): this {
    for (const p of providers) {
      this.register({ id: p.id, description: p.description, environments: p.environments,
        load: async () => p });
    }
    return this;
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  probe(id: string): Promise<ProbeRow> {
    const entry = this.entries.get(id);
    if (!entry) return Promise.reject(this.unknown(id));
    let row = this.probes.get(id);
    if (!row) {
      row = (async (): Promise<ProbeRow> => {
        const env = currentEnvironment();
        if (!entry.environments.includes(env)) {
          return { id, description: entry.description,
            result: { available: false, reason: `runs only in ${entry.environments.join(' or ')}, not in ${env}` } };
        }
        try {
          const provider = await entry.load();
          return { id, description: entry.description, precision: provider.precision, result: await provider.probe() };
        } catch (e) {
          return { id, description: entry.description,
            result: { available: false, reason: `failed to load: ${(e as Error).message ?? String(e)}` } };
        }
      })();
      this.probes.set(id, row);
    }
    return row;
  }

  probeAll(): Promise<ProbeRow[]> {
    return Promise.all(this.ids().map((id) => this.probe(id)));
  }

  /** Create a backend, or explain why it cannot run, listing the others that can. */
  async create(id: string): Promise<ComputeBackend> {
    const entry = this.entries.get(id);
    if (!entry) throw this.unknown(id);
    const row = await this.probe(id);
    if (!row.result.available) {
      throw new BackendError(`backend '${id}' cannot run here: ${row.result.reason}`);
    }
    const provider = await entry.load();
    try {
      return await provider.create();
    } catch (e) {
      throw new BackendError(`backend '${id}' failed to start: ${(e as Error).message ?? String(e)}`, { cause: e });
    }
  }

  private unknown(id: string): BackendError {
    return new BackendError(`unknown backend '${id}'; known backends: ${this.ids().join(', ')}`);
  }
}
