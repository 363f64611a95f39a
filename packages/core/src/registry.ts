import type { ComputeBackend, Precision } from './backend.js';
import { BackendError, OptionError } from './errors.js';

/**
 * Whether a backend can run here and, if not, why (in words a user can act on). A GPU backend
 * that runs only on a software emulation of a GPU (SwiftShader, lavapipe) says so in
 * `softwareFallback`: it computes correctly but far slower than the CPU backends, so `auto`
 * passes it over.
 */
export type ProbeResult = { readonly available: true; readonly detail?: string; readonly softwareFallback?: string }
  | { readonly available: false; readonly reason: string };

/** Where a backend can run at all. */
export type Environment = 'node' | 'browser';

/**
 * The static facts about one backend id, declared by its package's light `ids` entry (which
 * imports no runtime). Apps build their menus and lists from these.
 */
export interface BackendInfo {
  readonly id: string;
  readonly description: string;
  readonly precision: Precision;
  readonly environments: readonly Environment[];
  /**
   * Order under `auto`: the highest-priority backend that runs here is chosen. Set from
   * `pnpm bench` figures (see docs/architecture.md, "Backend priorities").
   */
  readonly priority: number;
  /**
   * The priority in one environment where it differs from `priority` (a registry for that
   * environment reports and orders by it): e.g. a GPU backend whose per-call costs lose to the
   * CPU backends of one environment at the minibatch steps training takes.
   */
  readonly priorityIn?: Readonly<Partial<Record<Environment, number>>>;
  /** 'gpu' backends run on a graphics adapter; `auto` skips them on a software adapter. */
  readonly device: 'cpu' | 'gpu';
}

/** A backend's facts as seen in one environment: `priority` is its `priorityIn` there, where declared. */
export function infoIn(info: BackendInfo, environment: Environment): BackendInfo {
  const here = info.priorityIn?.[environment];
  return here === undefined ? info : { ...info, priority: here };
}

/**
 * Files a backend loads at run time from a URL in browsers (WebAssembly binaries): `files`
 * are paths inside npm package `package`; an app copies them to `<asset base>/<dir>/` (see
 * `@descent/backends/node`'s copyBackendAssets) and tells the registry the asset base.
 */
export interface BackendAsset {
  readonly package: string;
  readonly files: readonly string[];
  readonly dir: string;
}

/** What a backend package's main entry exports. */
export interface BackendModule {
  readonly providers: readonly BackendProvider[];
  /**
   * The providers with options other than the package's defaults (RegistryOptions.threads):
   * a package whose runtime has a thread pool implements it; others ignore the options.
   */
  providersFor?(options: { readonly threads?: number }): readonly BackendProvider[];
  /** Where this package's assets are served from (a URL ending in '/'); called before first use. */
  setAssetBase?(base: string): Promise<void> | void;
}

/**
 * A backend package as its light `ids` entry describes it: its npm name, its backends, the
 * assets they need, and a loader for its main entry (a dynamic import, so a bundler puts the
 * runtime in a chunk of its own and an app loads it only when one of its backends is used).
 */
export interface BackendPackage {
  readonly name: string;
  readonly backends: readonly BackendInfo[];
  readonly assets?: readonly BackendAsset[];
  load(): Promise<BackendModule>;
}

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

export interface ProbeRow {
  readonly id: string;
  readonly description: string;
  readonly precision: Precision;
  readonly priority: number;
  readonly device: 'cpu' | 'gpu';
  readonly result: ProbeResult;
}

/** How `resolve()` picked a backend: what was asked, what was chosen, and why others were not. */
export interface BackendChoice {
  /** The request as given: 'auto', one id, or a comma-separated list. */
  readonly requested: string;
  readonly chosen: string;
  /** Backends tried before the chosen one, in order, with why each was passed over. */
  readonly skipped: readonly { readonly id: string; readonly reason: string }[];
}

export function currentEnvironment(): Environment {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return p?.versions?.node !== undefined && typeof (globalThis as { window?: unknown }).window === 'undefined'
    ? 'node' : 'browser';
}

/** Backend ids a spec names, for messages and checks: 'auto', 'onnx-cuda,onnx-cpu,ts', … */
export function parseBackendSpec(spec: string): string[] {
  const ids = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (ids.length === 0) throw new OptionError(`no backend named in '${spec}': give 'auto', an id, or a comma-separated list`);
  return ids;
}

interface Entry {
  readonly info: BackendInfo;
  load(): Promise<BackendProvider>;
}

export interface RegistryOptions {
  /** Where assets (wasm files) are served from, a URL ending in '/' (browsers). */
  readonly assetBase?: string;
  /** The environment to list and probe for; default: where this code runs. */
  readonly environment?: Environment;
  /**
   * Threads for runtimes with a thread pool (onnxruntime-node's CPU provider: intra-op
   * threads), an integer from 1 to MAX_THREADS; default: each package's measured default (1:
   * two threads measured slower on 2 vCPUs, see docs/environment.md). Others ignore it.
   */
  readonly threads?: number;
}

/** The most threads a registry may ask a runtime for. */
export const MAX_THREADS = 256;

/**
 * Backends by id, probed once each; a failure is recorded with its reason, never thrown away.
 * Register backend packages with `addPackage` (lazy: nothing loads until a backend is probed
 * or created); `resolve('auto')` picks the best one that runs here.
 */
export class BackendRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly probes = new Map<string, Promise<ProbeRow>>();
  readonly environment: Environment;

  constructor(private readonly options: RegistryOptions = {}) {
    this.environment = options.environment ?? currentEnvironment();
    const t = options.threads;
    if (t !== undefined && !(Number.isInteger(t) && t >= 1 && t <= MAX_THREADS)) {
      throw new OptionError(`threads must be an integer from 1 to ${MAX_THREADS}, got ${String(t)}`);
    }
  }

  /** Register every backend of a package; its main entry is imported once, on first use. */
  addPackage(pkg: BackendPackage): this {
    let loading: Promise<readonly BackendProvider[]> | undefined;
    const load = () => (loading ??= (async () => {
      const module = await pkg.load();
      if (this.options.assetBase !== undefined) await module.setAssetBase?.(this.options.assetBase);
      const threads = this.options.threads;
      return threads !== undefined && module.providersFor ? module.providersFor({ threads }) : module.providers;
    })().catch((e: unknown) => { loading = undefined; throw e; }));
    for (const info of pkg.backends) {
      this.add(info, async () => {
        const provider = (await load()).find((p) => p.id === info.id);
        if (!provider) throw new BackendError(`package ${pkg.name} does not provide '${info.id}'`);
        return provider;
      });
    }
    return this;
  }

  /** Register loaded providers directly (no laziness), e.g. in tests or for a backend built in an app. */
  registerProviders(providers: readonly BackendProvider[], facts: { priority?: number; device?: 'cpu' | 'gpu' } = {}): this {
    for (const p of providers) {
      this.add({ id: p.id, description: p.description, precision: p.precision, environments: p.environments,
        priority: facts.priority ?? 0, device: facts.device ?? 'cpu' }, async () => p);
    }
    return this;
  }

  private add(info: BackendInfo, load: () => Promise<BackendProvider>): void {
    if (this.entries.has(info.id)) throw new BackendError(`backend '${info.id}' is registered twice`);
    if (info.id === 'auto' || info.id.includes(',')) throw new BackendError(`'${info.id}' cannot be a backend id`);
    this.entries.set(info.id, { info: infoIn(info, this.environment), load });
  }

  /** Every registered id, in registration order. */
  ids(): string[] {
    return [...this.entries.keys()];
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Static facts about a backend (no loading). */
  info(id: string): BackendInfo {
    const entry = this.entries.get(id);
    if (!entry) throw this.unknown(id);
    return entry.info;
  }

  /** Backends for this registry's environment, in registration order (for menus and lists). */
  list(): BackendInfo[] {
    return [...this.entries.values()].map((e) => e.info).filter((i) => i.environments.includes(this.environment));
  }

  /** Backends that can run in this registry's environment, highest priority first (the order `auto` tries). */
  candidates(): BackendInfo[] {
    return this.list().sort((a, b) => b.priority - a.priority);
  }

  probe(id: string): Promise<ProbeRow> {
    const entry = this.entries.get(id);
    if (!entry) return Promise.reject(this.unknown(id));
    let row = this.probes.get(id);
    if (!row) {
      const { info } = entry;
      const base = { id, description: info.description, precision: info.precision, priority: info.priority, device: info.device };
      row = (async (): Promise<ProbeRow> => {
        const env = this.environment;
        if (!info.environments.includes(env)) {
          return { ...base, result: { available: false, reason: `runs only in ${info.environments.join(' or ')}, not in ${env}` } };
        }
        try {
          const provider = await entry.load();
          return { ...base, result: await provider.probe() };
        } catch (e) {
          return { ...base, result: { available: false, reason: `failed to load: ${(e as Error).message ?? String(e)}` } };
        }
      })();
      this.probes.set(id, row);
    }
    return row;
  }

  /** Every backend's probe, in registration order. */
  probeAll(): Promise<ProbeRow[]> {
    return Promise.all(this.ids().map((id) => this.probe(id)));
  }

  /** Create a backend, or explain why it cannot run here. */
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

  /**
   * Create the backend a spec asks for: 'auto' (every backend that runs here, highest priority
   * first), one id (that backend or an error saying why not), or a comma-separated list tried
   * in order ('auto' may end it). In a list, a backend that does not probe available here, runs
   * only on a software GPU adapter (under 'auto'), or fails to start is skipped, with the reason
   * recorded in the choice; an unknown id is an error at once (a typo must not fall through).
   */
  async resolve(spec = 'auto'): Promise<{ backend: ComputeBackend; choice: BackendChoice }> {
    const order = this.order(spec);
    // One named id: that backend, or its own error saying why not.
    if (order.length === 1 && !order[0]!.auto) {
      return { backend: await this.create(order[0]!.id), choice: { requested: spec, chosen: order[0]!.id, skipped: [] } };
    }
    const skipped: { id: string; reason: string }[] = [];
    for (const { id, auto } of order) {
      const why = await this.passOver(id, auto);
      if (why !== undefined) { skipped.push({ id, reason: why }); continue; }
      try {
        return { backend: await this.create(id), choice: { requested: spec, chosen: id, skipped } };
      } catch (e) {
        skipped.push({ id, reason: (e as Error).message ?? String(e) });
      }
    }
    throw new BackendError(`no backend could run for '${spec}': ${skipped.map((s) => `${s.id}: ${s.reason}`).join('; ')}`);
  }

  /**
   * What `resolve(spec)` would choose, from the probes alone (nothing is created), or
   * undefined with every reason when nothing would run: for menus that show what 'auto' means.
   */
  async pick(spec = 'auto'): Promise<BackendChoice | undefined> {
    const skipped: { id: string; reason: string }[] = [];
    for (const { id, auto } of this.order(spec)) {
      const why = await this.passOver(id, auto);
      if (why === undefined) return { requested: spec, chosen: id, skipped };
      skipped.push({ id, reason: why });
    }
    return undefined;
  }

  /** The ids a spec tries, in order; `auto` marks those that came from 'auto'. */
  private order(spec: string): { id: string; auto: boolean }[] {
    const named = parseBackendSpec(spec);
    for (const id of named) if (id !== 'auto' && !this.entries.has(id)) throw this.unknown(id);
    const order: { id: string; auto: boolean }[] = [];
    for (const id of named) {
      const ids = id === 'auto' ? this.candidates().map((i) => i.id) : [id];
      for (const x of ids) if (!order.some((o) => o.id === x)) order.push({ id: x, auto: id === 'auto' });
    }
    return order;
  }

  /** Why a backend is passed over (not available here; a software GPU under 'auto'), or undefined. */
  private async passOver(id: string, auto: boolean): Promise<string | undefined> {
    const row = await this.probe(id);
    if (!row.result.available) return row.result.reason;
    if (auto && row.result.softwareFallback !== undefined) return `software adapter only: ${row.result.softwareFallback}`;
    return undefined;
  }

  private unknown(id: string): BackendError {
    return new BackendError(`unknown backend '${id}'; known backends: auto, ${this.ids().join(', ')}`);
  }
}

/** The first clause of a reason (up to a colon, parenthesis or semicolon; at most 90 characters), for one-line summaries. */
export function shortReason(reason: string): string {
  const first = reason.split(/\s\(|[:;]\s|\n/, 1)[0]!.trim();
  return first.length > 90 ? `${first.slice(0, 89)}…` : first;
}

/**
 * One line saying how a backend was chosen, for a CLI or a status bar: with each skipped
 * backend's reason (`reasons: 'full'`, the default), its first clause (`'short'`), or none.
 */
export function describeChoice(choice: BackendChoice, options: { reasons?: 'full' | 'short' | 'none' } = {}): string {
  if (choice.skipped.length === 0) {
    return choice.requested === choice.chosen ? choice.chosen : `${choice.chosen} (${choice.requested}: the first that runs here)`;
  }
  const mode = options.reasons ?? 'full';
  const skipped = mode === 'none' ? choice.skipped.map((s) => s.id).join(', ')
    : choice.skipped.map((s) => `${s.id}: ${mode === 'short' ? shortReason(s.reason) : s.reason}`).join('; ');
  return `${choice.chosen} (${choice.requested}; skipped ${skipped})`;
}
