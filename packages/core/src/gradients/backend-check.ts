/**
 * The gradient check as the apps run it: a backend's analytic gradient over the first `examples`
 * rows of a placed data set, against finite differences taken either from the loss's
 * definition on the host rows ('linearity': float64, O(N) per probe, no cancellation) or by
 * re-evaluating the backend's own loss at every probe ('backend': the textbook way), with
 * hinge kinks counted for the two SVMs. The error floor (floor.ts) comes from the backend's
 * precision: its analytic gradient's rounding relative to the magnitudes each entry sums
 * (roundingScale, from the host rows), and for 'backend' the rounding of its loss over h.
 */
import type { ComputeBackend, DesignMatrix, Objective, Resident } from '../backend.js';
import type { Random } from '../random.js';
import { gradientCheck, kinkCounterFor, type GradientCheckReport } from './check.js';
import { roundingScale } from './floor.js';
import { linearFiniteDifferences } from './linear-differences.js';
import type { FiniteDifference } from './numerical.js';

export interface BackendGradientCheckOptions {
  readonly backend: ComputeBackend;
  /** The placed data set, and the same rows on the host (the design matrix it was placed from). */
  readonly data: Resident;
  readonly host: DesignMatrix;
  /** The check averages the loss over rows [0, examples). */
  readonly examples: number;
  readonly objective: Objective;
  readonly w: Float64Array;
  readonly h: number;
  readonly method: FiniteDifference;
  /** Coordinates drawn at random with rng; all coordinates when absent. */
  readonly samples?: number;
  readonly rng?: Random;
  readonly via: 'linearity' | 'backend';
}

export async function checkBackendGradient(o: BackendGradientCheckOptions): Promise<GradientCheckReport> {
  const n = Math.min(o.examples, o.host.n);
  const rows = { start: 0, count: n };
  const { d, classes } = o.host;
  const x = o.host.x.subarray(0, n * d);
  const y = o.host.y.subarray(0, n);
  const analytic = (await o.backend.evaluate(o.w, o.data, rows, o.objective, true)).gradient!;
  const precision = o.backend.precision;
  const { scale, rows: summed, perCoordinate } = roundingScale(x, y, o.w, n, d, classes, o.objective, precision);
  const kinks = kinkCounterFor(x, y, o.w, n, d, classes, o.objective);
  return gradientCheck({
    w: o.w, analytic, cols: classes, h: o.h, method: o.method,
    precision: { analytic: precision, scale, rows: summed, perCoordinate, objective: precision },
    ...(o.samples !== undefined ? { samples: o.samples, ...(o.rng ? { rng: o.rng } : {}) } : {}),
    ...(o.via === 'linearity'
      ? { numerical: linearFiniteDifferences(x, y, o.w, n, d, classes, o.objective) }
      : { f: async (v: Float64Array) => (await o.backend.evaluate(v, o.data, rows, o.objective, false)).loss }),
    ...(kinks ? { kinks } : {}),
  });
}
