/**
 * The kit's runner, with no test framework: a target (or every backend of a package that runs
 * here) against every spec, each spec's outcome returned as data. `runConformance` runs it
 * anywhere (Node, a browser page, a script); describe.ts turns the same specs into tests of
 * whatever framework the caller hands it.
 */
import type { ComputeBackend, Precision, Resident } from '../backend.js';
import { BackendRegistry } from '../registry.js';
import type { BackendPackage, Environment } from '../registry.js';
import type { ConformanceCase } from './cases.js';
import { createReferenceBackend } from './reference-backend.js';
import { compareClose } from './tolerance.js';
import type { CloseOptions, Comparison } from './tolerance.js';

/** One backend to check: its id and precision (tolerances come from it) and how to make one. */
export interface ConformanceTarget {
  /** The backend's id: `create()` must return a backend with this id. */
  readonly id: string;
  /** The precision it declares: `create()` must return a backend with this precision. */
  readonly precision: Precision;
  /** A new, independent instance (the contract checks make several and dispose them). */
  create(): Promise<ComputeBackend>;
}

/**
 * The three suites: `agreement` (every seeded case against the float64 reference, within the
 * tolerance of the declared precision), `training` (whole seeded training runs against the
 * same run on the float64 reference backend), `contract` (bad input, released and disposed
 * data, lifecycle).
 */
export const SUITES = ['agreement', 'training', 'contract'] as const;
export type SuiteName = (typeof SUITES)[number];

/** What a spec is, for filtering (`include`) and for reports. */
export interface ConformanceSpec {
  readonly suite: SuiteName;
  /** The case (a data set, a training run, or a group of contract checks): a column of a report. */
  readonly case: string;
  /** What the spec checks, in words. */
  readonly spec: string;
}

/** A spec with its check, run against an opened backend. */
export interface Spec extends ConformanceSpec {
  run(session: ConformanceSession): Promise<Check>;
}

/** One spec's outcome on one backend. */
export interface CaseResult {
  readonly backend: string;
  /** 'backend' for results about the backend itself: it could not start, or was skipped. */
  readonly suite: SuiteName | 'backend';
  readonly case: string;
  readonly spec: string;
  /** True when it passed, or was skipped (then `skipped` says why). */
  readonly ok: boolean;
  /** Why the backend was not run here (its probe's reason); only on skipped results. */
  readonly skipped?: string;
  /** Largest error/bound ratio over everything the spec compared (< 1 passes; Infinity: it failed or threw). */
  readonly worst: number;
  /** Why it failed: backend, case, spec, and what was wrong (element, both values and the bound). */
  readonly message?: string;
  readonly ms: number;
}

export interface ConformanceOptions {
  /** Which suites to run (default all three). */
  readonly suites?: readonly SuiteName[];
  /** Which specs to run (e.g. not the large case on a slow backend); default all. */
  readonly include?: (spec: ConformanceSpec) => boolean;
  /** Called after each spec, e.g. to log progress. */
  readonly onResult?: (result: CaseResult) => void;
  /**
   * How many resources (tensors, sessions, buffers) the backend's runtime holds now, where the
   * caller can see it (e.g. `() => tf.memory().numTensors`). With it the lifecycle checks
   * also require that repeated place/evaluate/release cycles do not grow it and that dispose
   * gives back what the instance took.
   */
  readonly resourceCount?: () => number | Promise<number>;
  /** Fail a spec that has not finished after this long (runConformance), or the test's timeout (describeConformance). */
  readonly timeoutMs?: number;
  /** For a BackendPackage: the environment to probe for (default: where this runs). */
  readonly environment?: Environment;
  /** For a BackendPackage in a browser: where its assets (wasm files) are served, a URL ending in '/'. */
  readonly assetBase?: string;
}

/** Collects comparisons and conditions: the worst ratio and every failure. */
export class Check {
  worst = 0;
  private readonly failures: string[] = [];

  /** Every element within atol + rtol·|expected| (tolerance.ts). */
  close(actual: number | ArrayLike<number>, expected: number | ArrayLike<number>, options: CloseOptions): void {
    this.add(compareClose(actual, expected, options));
  }

  that(condition: boolean, message: string): void {
    if (!condition) this.fail(message);
  }

  fail(message: string): void {
    this.add({ worst: Infinity, failures: 1, message });
  }

  /** The failures, the first in full (undefined when everything passed). */
  get message(): string | undefined {
    const [first, ...rest] = this.failures;
    if (first === undefined) return undefined;
    if (rest.length === 0) return first;
    const shown = rest.slice(0, 4);
    return `${first}; also: ${shown.join('; ')}${rest.length > shown.length ? `; and ${rest.length - shown.length} more` : ''}`;
  }

  private add(c: Comparison): void {
    this.worst = Math.max(this.worst, Number.isNaN(c.worst) ? Infinity : c.worst);
    if (c.message !== undefined) this.failures.push(c.message);
  }
}

/** An opened backend with its placed data sets, shared by the specs of one target. */
export class ConformanceSession {
  private backendOrNull: ComputeBackend | undefined;
  private readonly residents = new Map<string, Resident>();
  private readonly others: ComputeBackend[] = [];
  private referenceOrNull: ComputeBackend | undefined;

  constructor(readonly target: ConformanceTarget, readonly options: ConformanceOptions = {}) {}

  get backend(): ComputeBackend {
    if (!this.backendOrNull) throw new Error(`backend '${this.target.id}' is not open`);
    return this.backendOrNull;
  }

  /** Creates the backend and checks it is what the target says. */
  async open(): Promise<void> {
    const b = await this.target.create();
    this.backendOrNull = b;
    if (b.id !== this.target.id || b.precision !== this.target.precision) {
      throw new Error(`backend '${this.target.id}' (${this.target.precision}) created '${b.id}' (${b.precision})`);
    }
  }

  /** The case's data placed on the backend (once per session): as bytes where the case has them and the backend keeps them. */
  async place(cs: ConformanceCase): Promise<Resident> {
    let r = this.residents.get(cs.name);
    if (!r) {
      const b = this.backend;
      r = cs.pixels && b.placePixels ? await b.placePixels(cs.pixels) : await b.place({ x: cs.x, y: cs.y, n: cs.n, d: cs.d, classes: cs.c });
      this.residents.set(cs.name, r);
    }
    return r;
  }

  /** Another instance of the target's backend; disposed when the session closes (again, if the spec did). */
  async another(): Promise<ComputeBackend> {
    const b = await this.target.create();
    this.others.push(b);
    return b;
  }

  /** The float64 reference backend (one per session). */
  reference(): ComputeBackend {
    return (this.referenceOrNull ??= createReferenceBackend());
  }

  async run(spec: Spec): Promise<CaseResult> {
    const t0 = performance.now();
    const base = { backend: this.target.id, suite: spec.suite, case: spec.case, spec: spec.spec };
    try {
      const check = await withTimeout(spec.run(this), this.options.timeoutMs, `did not finish within ${this.options.timeoutMs} ms`);
      const ms = performance.now() - t0;
      const message = check.message;
      return message === undefined ? { ...base, ok: true, worst: check.worst, ms }
        : { ...base, ok: false, worst: Math.max(check.worst, 1), message: `${this.target.id} / ${spec.case} / ${spec.spec}: ${message}`, ms };
    } catch (e) {
      return { ...base, ok: false, worst: Infinity, ms: performance.now() - t0,
        message: `${this.target.id} / ${spec.case} / ${spec.spec} threw: ${errorText(e, true)}` };
    }
  }

  /** Releases what the specs placed and disposes every instance. */
  async close(): Promise<void> {
    for (const b of this.others.splice(0)) await b.dispose().catch(() => undefined);
    await this.referenceOrNull?.dispose();
    this.referenceOrNull = undefined;
    const b = this.backendOrNull;
    if (!b) return;
    this.backendOrNull = undefined;
    const residents = [...this.residents.values()];
    this.residents.clear();
    for (const r of residents) await b.release(r);
    await b.dispose();
  }
}

/** The specs of the chosen suites, in a stable order (agreement, training, contract). */
export function selectSpecs(all: readonly Spec[], options: Pick<ConformanceOptions, 'suites' | 'include'>): Spec[] {
  const suites = options.suites ?? SUITES;
  return all.filter((s) => suites.includes(s.suite) && (options.include?.(s) ?? true));
}

/** The targets of one or more backend packages: those that probe available here, and the others with their reason. */
export interface PackageTargets {
  readonly run: readonly ConformanceTarget[];
  readonly skipped: readonly { readonly id: string; readonly reason: string }[];
}

/**
 * Probes every backend of the packages (through a BackendRegistry, as an app would) and
 * returns a target for each that is available here, the others with their probe's reason
 * (a backend for another environment says so).
 */
export async function packageTargets(packages: BackendPackage | readonly BackendPackage[],
  options: Pick<ConformanceOptions, 'environment' | 'assetBase'> = {}): Promise<PackageTargets> {
  const list: readonly BackendPackage[] = isBackendPackage(packages) ? [packages] : packages;
  const registry = new BackendRegistry({
    ...(options.environment !== undefined ? { environment: options.environment } : {}),
    ...(options.assetBase !== undefined ? { assetBase: options.assetBase } : {}),
  });
  for (const p of list) registry.addPackage(p);
  const run: ConformanceTarget[] = [];
  const skipped: { id: string; reason: string }[] = [];
  for (const info of list.flatMap((p) => p.backends)) {
    const row = await registry.probe(info.id);
    if (row.result.available) run.push({ id: info.id, precision: info.precision, create: () => registry.create(info.id) });
    else skipped.push({ id: info.id, reason: row.result.reason });
  }
  return { run, skipped };
}

export function isBackendPackage(x: unknown): x is BackendPackage {
  return typeof x === 'object' && x !== null && Array.isArray((x as BackendPackage).backends)
    && typeof (x as BackendPackage).load === 'function';
}

/** A result saying a backend was not run here, and why. */
export function skippedResult(id: string, reason: string): CaseResult {
  return { backend: id, suite: 'backend', case: '(backend)', spec: 'probe', ok: true, skipped: reason, worst: 0, ms: 0 };
}

/** A failed result about a backend as a whole (it could not start, or not be freed). */
export function backendFailure(id: string, spec: string, message: string, ms: number): CaseResult {
  return { backend: id, suite: 'backend', case: '(backend)', spec, ok: false, worst: Infinity, ms, message: `${id}: ${message}` };
}

export function errorText(e: unknown, stack = false): string {
  if (e instanceof Error) return (stack ? e.stack : undefined) ?? `${e.name}: ${e.message}`;
  return String(e);
}

function withTimeout<T>(p: Promise<T>, ms: number | undefined, message: string): Promise<T> {
  if (ms === undefined || !(ms > 0) || !Number.isFinite(ms)) return p;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    p.then((v) => { clearTimeout(timer); resolve(v); }, (e: unknown) => { clearTimeout(timer); reject(e); });
  });
}
