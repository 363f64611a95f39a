/**
 * `runConformance`: the whole kit from plain code. Runs every spec (or the chosen ones) on a
 * target, or on every backend of a package that runs here, and returns one result per spec;
 * it never throws. `summarizeConformance` and `formatConformance` read the results.
 */
import type { BackendPackage } from '../registry.js';
import { agreementSpecs, trainingSpecs } from './agreement.js';
import { contractSpecs } from './contract.js';
import {
  backendFailure, ConformanceSession, errorText, isBackendPackage, packageTargets, selectSpecs, skippedResult,
} from './runner.js';
import type { CaseResult, ConformanceOptions, ConformanceSpec, ConformanceTarget, PackageTargets, Spec } from './runner.js';

/** Every spec of the kit, in a stable order: agreement, training (whole runs), contract. */
export function allSpecs(): Spec[] {
  return [...agreementSpecs(), ...trainingSpecs(), ...contractSpecs()];
}

/** The specs the options choose (suites, include), as descriptions: what a run would check. */
export function conformanceSpecs(options: Pick<ConformanceOptions, 'suites' | 'include'> = {}): ConformanceSpec[] {
  return selectSpecs(allSpecs(), options).map(({ suite, case: c, spec }) => ({ suite, case: c, spec }));
}

/**
 * Runs the kit on one backend, or on every backend of a package that probes available here
 * (the others come back as skipped results with their reason). Returns a result per spec and
 * never throws: a backend that cannot start gives one failed result saying why.
 */
export async function runConformance(target: ConformanceTarget | BackendPackage,
  options: ConformanceOptions = {}): Promise<CaseResult[]> {
  if (!isBackendPackage(target)) return runTarget(target, options);
  const t0 = performance.now();
  let targets: PackageTargets;
  try {
    targets = await packageTargets(target, options);
  } catch (e) {
    return [backendFailure(target.name, 'probe', `could not probe the package's backends: ${errorText(e)}`, performance.now() - t0)];
  }
  const results: CaseResult[] = [];
  for (const s of targets.skipped) {
    const r = skippedResult(s.id, s.reason);
    results.push(r);
    notify(options, r);
  }
  for (const t of targets.run) results.push(...await runTarget(t, options));
  if (targets.run.length === 0 && targets.skipped.length === 0) {
    results.push(backendFailure(target.name, 'probe', 'the package declares no backends', 0));
  }
  return results;
}

async function runTarget(target: ConformanceTarget, options: ConformanceOptions): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  const session = new ConformanceSession(target, options);
  const t0 = performance.now();
  const report = (r: CaseResult) => { results.push(r); notify(options, r); };
  try {
    await session.open();
  } catch (e) {
    await session.close().catch(() => undefined);
    report(backendFailure(target.id, 'create', `could not create the backend: ${errorText(e)}`, performance.now() - t0));
    return results;
  }
  try {
    for (const spec of selectSpecs(allSpecs(), options)) report(await session.run(spec));
  } catch (e) {
    report(backendFailure(target.id, 'run', `the run stopped: ${errorText(e, true)}`, performance.now() - t0));
  }
  const t1 = performance.now();
  try {
    await session.close();
  } catch (e) {
    report(backendFailure(target.id, 'release and dispose', `releasing the data sets or disposing the backend threw: ${errorText(e)}`,
      performance.now() - t1));
  }
  return results;
}

function notify(options: ConformanceOptions, r: CaseResult): void {
  try {
    options.onResult?.(r);
  } catch {
    // A reporting callback that throws must not stop the run.
  }
}

export interface ConformanceSummary {
  /** No spec failed and at least one ran. */
  readonly ok: boolean;
  readonly passed: number;
  readonly failed: number;
  /** Backends that ran (in order of first result). */
  readonly backends: readonly string[];
  /** Backends not run here, with their probe's reason. */
  readonly skipped: readonly { readonly id: string; readonly reason: string }[];
  /** Every failure's message. */
  readonly failures: readonly string[];
}

export function summarizeConformance(results: readonly CaseResult[]): ConformanceSummary {
  const backends: string[] = [];
  const skipped: { id: string; reason: string }[] = [];
  const failures: string[] = [];
  let passed = 0, failed = 0;
  for (const r of results) {
    if (r.skipped !== undefined) { skipped.push({ id: r.backend, reason: r.skipped }); continue; }
    if (!backends.includes(r.backend)) backends.push(r.backend);
    if (r.ok) passed++;
    else { failed++; failures.push(r.message ?? `${r.backend} / ${r.case} / ${r.spec} failed`); }
  }
  return { ok: failed === 0 && passed > 0, passed, failed, backends, skipped, failures };
}

/** A short report: one line per backend (passed/specs, seconds), the skipped ones with why, then every failure. */
export function formatConformance(results: readonly CaseResult[]): string {
  const s = summarizeConformance(results);
  const lines = s.backends.map((id) => {
    const mine = results.filter((r) => r.backend === id && r.skipped === undefined);
    const ms = mine.reduce((t, r) => t + r.ms, 0);
    return `${id}: ${mine.filter((r) => r.ok).length}/${mine.length} specs passed (${(ms / 1000).toFixed(1)} s)`;
  });
  for (const k of s.skipped) lines.push(`${k.id}: skipped, ${k.reason}`);
  if (s.failures.length > 0) lines.push('', `${s.failures.length} failed:`, ...s.failures.map((f) => `  ${f}`));
  else if (!s.ok) lines.push('', 'no spec ran');
  return lines.join('\n');
}
