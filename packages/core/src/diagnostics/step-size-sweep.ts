import { allRows, type ComputeBackend, type Objective, type Resident, type Rows } from '../backend.js';
import { OptionError } from '../errors.js';
import { LinearProbe } from './linear-probe.js';

/** The lecture's table: step sizes 1e-10, 1e-9, …, 1e-1. */
export const LECTURE_STEP_SIZES: readonly number[] = Array.from({ length: 10 }, (_, i) => 10 ** (i - 10));

export interface StepSizeSweepOptions {
  readonly rows?: Rows;
  readonly sizes?: readonly number[];
  /** Evaluate each point with a full backend evaluation instead of by linearity (slower; for checks). */
  readonly exact?: boolean;
}

export interface StepSizeSweepResult {
  readonly initialLoss: number;
  readonly gradientNorm: number;
  readonly rows: readonly { readonly size: number; readonly loss: number }[];
  /** The size with the lowest loss after one step. */
  readonly best: { readonly size: number; readonly loss: number };
}

/**
 * For each step size s: the loss after one gradient step, L(W − s·∇L(W)) (CS231n's
 * "for step_size_log in [-10, -9, …, -1]" table).
 */
export async function stepSizeSweep(backend: ComputeBackend, data: Resident, objective: Objective,
  w: Float64Array, options: StepSizeSweepOptions = {}): Promise<StepSizeSweepResult> {
  const rows = options.rows ?? allRows(data);
  const sizes = options.sizes ?? LECTURE_STEP_SIZES;
  if (sizes.length === 0) throw new OptionError('step-size sweep needs at least one step size');
  for (const s of sizes) {
    if (!(s > 0 && Number.isFinite(s))) throw new OptionError(`step sizes must be positive and finite; got ${s}`);
  }
  const start = await backend.evaluate(w, data, rows, objective, true);
  const g = Float64Array.from(start.gradient!);
  let gradientNorm = 0;
  for (let i = 0; i < g.length; i++) gradientNorm += g[i]! * g[i]!;
  gradientNorm = Math.sqrt(gradientNorm);

  const out: { size: number; loss: number }[] = [];
  if (options.exact) {
    const wNew = new Float64Array(w.length);
    for (const s of sizes) {
      for (let i = 0; i < w.length; i++) wNew[i] = w[i]! - s * g[i]!;
      out.push({ size: s, loss: (await backend.evaluate(wNew, data, rows, objective, false)).loss });
    }
  } else {
    const probe = await LinearProbe.create(backend, data, objective, w, [g], rows);
    for (const s of sizes) out.push({ size: s, loss: probe.at([-s]).loss });
  }
  let best = out[0]!;
  for (const r of out) if (r.loss < best.loss || (!Number.isFinite(best.loss) && Number.isFinite(r.loss))) best = r;
  return { initialLoss: start.loss, gradientNorm, rows: out, best };
}
