/**
 * Gradient checking, CS231n's `grad_check_sparse`: compare an analytic gradient with a
 * numerical one coordinate by coordinate, by relative error
 *
 *   relErr(a, n) = |a − n| / max(|a|, |n|)      (0 when both are 0)
 *
 * read the way the course notes read it: > 1e-2 the gradient is probably wrong; 1e-4 … 1e-2
 * uncomfortable; 1e-7 … 1e-4 acceptable only for objectives with kinks (the SVM's hinge);
 * ≤ 1e-7 good.
 *
 * Kinks: a finite difference that straddles a point where the objective is not
 * differentiable (an SVM margin crossing 0) measures a mix of two slopes and can
 * legitimately disagree with the analytic subgradient. `hingeKinkCounter` counts, for each
 * probed coordinate, the hinge terms whose margin changes sign between the probe points, so
 * such coordinates are reported as kinked rather than as failures.
 */
import { OptionError } from '../errors.js';
import type { Random } from '../random.js';
import { scoresOfValidated } from '../losses/linear.js';
import type { Matrix } from '../losses/linear.js';
import { validateLossArguments } from '../losses/linear.js';
import { numericalGradient } from './numerical.js';
import type { FiniteDifference, ScalarFunction } from './numerical.js';

/** |a − n| / max(|a|, |n|), 0 when both are 0 (NaN if either is NaN). */
export function relativeError(a: number, n: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(n));
  if (scale === 0) return 0;
  return Math.abs(a - n) / scale;
}

export type RelativeErrorLabel = 'good' | 'ok-kinked' | 'suspect' | 'wrong';

export interface RelativeErrorReading {
  readonly label: RelativeErrorLabel;
  readonly explanation: string;
}

/** The usual reading of a relative error (CS231n notes, "gradient checks"). */
export function readRelativeError(e: number): RelativeErrorReading {
  if (!(e <= 1e-2)) {
    return { label: 'wrong', explanation: `relative error ${fmt(e)} > 1e-2: the gradient is probably wrong` };
  }
  if (e > 1e-4) {
    return { label: 'suspect',
      explanation: `relative error ${fmt(e)} in (1e-4, 1e-2]: uncomfortable; look for a bug` };
  }
  if (e > 1e-7) {
    return { label: 'ok-kinked',
      explanation: `relative error ${fmt(e)} in (1e-7, 1e-4]: acceptable for objectives with kinks (SVM), too high for smooth ones (softmax)` };
  }
  return { label: 'good', explanation: `relative error ${fmt(e)} ≤ 1e-7: the gradients agree` };
}

function fmt(e: number): string {
  return Number.isFinite(e) ? e.toExponential(2) : String(e);
}

/** Counts kinks crossed by the probes of one coordinate (see hingeKinkCounter). */
export type KinkCounter = (coordinate: number, h: number, method: FiniteDifference) => number;

/**
 * A kink counter for the multiclass SVM at W (D×C row-major) on (x, y), scores computed once
 * in float64.
 *
 * Probing W + t·E_ij (feature i, class j) moves s_nj by t·x_ni for every example n. Hinge
 * terms affected: for y_n ≠ j the term (n, j), margin s_nj − s_{n,y_n} + Δ, moves by +t·x_ni;
 * for y_n = j every term (n, k≠j), margin s_nk − s_nj + Δ, moves by −t·x_ni. A kink is crossed
 * when a margin is > 0 at one probe point and ≤ 0 at the other: t ∈ {−h, +h} for centered,
 * t ∈ {0, +h} for forward (so a margin sitting exactly at 0 at W counts for centered probes,
 * where the difference quotient averages the two one-sided slopes).
 */
export function hingeKinkCounter(x: Matrix, y: Int32Array, w: Float64Array, n: number, d: number, c: number,
  delta = 1): KinkCounter {
  validateLossArguments(x, y, w, n, d, c, 0, delta);
  const s = scoresOfValidated(x, w, n, d, c);
  return (coordinate, h, method) => {
    if (!(Number.isInteger(coordinate) && coordinate >= 0 && coordinate < d * c)) {
      throw new OptionError(`coordinate ${coordinate} is outside [0, ${d * c})`);
    }
    const i = Math.floor(coordinate / c);
    const j = coordinate - i * c;
    const t0 = method === 'forward' ? 0 : -h;
    const t1 = h;
    let kinks = 0;
    const crosses = (margin: number, slope: number) => (margin + t0 * slope > 0) !== (margin + t1 * slope > 0);
    for (let row = 0; row < n; row++) {
      const xi = x[row * d + i]!;
      if (xi === 0) continue;
      const label = y[row]!;
      const sy = s[row * c + label]!;
      if (label !== j) {
        if (crosses(s[row * c + j]! - sy + delta, xi)) kinks++;
      } else {
        for (let k = 0; k < c; k++) {
          if (k !== j && crosses(s[row * c + k]! - sy + delta, -xi)) kinks++;
        }
      }
    }
    return kinks;
  };
}

/** Kinks crossed by the probes of one coordinate of W for the SVM (see hingeKinkCounter). */
export function countHingeKinks(x: Matrix, y: Int32Array, w: Float64Array, n: number, d: number, c: number,
  delta: number, coordinate: number, h: number, method: FiniteDifference): number {
  return hingeKinkCounter(x, y, w, n, d, c, delta)(coordinate, h, method);
}

export interface GradientCheckOptions {
  /** The objective; probed in place at w (restored exactly after each probe). */
  readonly f?: ScalarFunction;
  /**
   * Instead of probing f: finite differences computed another way (e.g. by the linearity of
   * the scores, see linearFiniteDifferences), one value per coordinate, in order.
   */
  readonly numerical?: (coordinates: Int32Array, h: number, method: FiniteDifference) => Promise<Float64Array> | Float64Array;
  readonly w: Float64Array;
  /** The analytic gradient at w, laid out like w. */
  readonly analytic: ArrayLike<number>;
  /** Columns of w viewed as a matrix (C for a D×C W), for the row/col of each report row; default 1. */
  readonly cols?: number;
  /** Coordinates to check; else `samples` drawn without replacement with `rng`; else all. */
  readonly coordinates?: Int32Array | readonly number[];
  readonly samples?: number;
  readonly rng?: Random;
  /** Default 1e-5. */
  readonly h?: number;
  /** Default 'centered'. */
  readonly method?: FiniteDifference;
  /** Kinks crossed per coordinate (e.g. hingeKinkCounter); coordinates with kinks may disagree. */
  readonly kinks?: KinkCounter;
}

export interface GradientCheckRow {
  /** Flat index into w. */
  readonly index: number;
  readonly row: number;
  readonly col: number;
  readonly analytic: number;
  readonly numerical: number;
  readonly relativeError: number;
  /** Kinks the probes crossed (0 when no counter was given). */
  readonly kinkCrossed: number;
}

export interface GradientCheckReport {
  readonly rows: readonly GradientCheckRow[];
  readonly h: number;
  readonly method: FiniteDifference;
  readonly maxRelativeError: number;
  readonly meanRelativeError: number;
  /** Coordinates whose probes crossed at least one kink. */
  readonly kinked: number;
  /** Max relative error over the coordinates that crossed no kink (NaN if there are none). */
  readonly maxRelativeErrorKinkFree: number;
  /**
   * The reading of maxRelativeErrorKinkFree, or of maxRelativeError when every coordinate
   * crossed a kink: kinked coordinates may legitimately disagree and do not decide the verdict.
   */
  readonly verdict: RelativeErrorReading;
}

/** Compare analytic against numerical partial derivatives at chosen coordinates. */
export async function gradientCheck(options: GradientCheckOptions): Promise<GradientCheckReport> {
  const { f, w, analytic } = options;
  const h = options.h ?? 1e-5;
  const method = options.method ?? 'centered';
  const cols = options.cols ?? 1;
  if (analytic.length !== w.length) {
    throw new OptionError(`analytic gradient has ${analytic.length} values, w has ${w.length}`);
  }
  if (!(Number.isInteger(cols) && cols >= 1 && w.length % cols === 0)) {
    throw new OptionError(`cols must be a positive integer dividing w's length ${w.length}, got ${cols}`);
  }
  const coordinates = chooseCoordinates(w.length, options);
  let numerical: Float64Array;
  if (options.numerical) numerical = await options.numerical(coordinates, h, method);
  else if (f) numerical = await numericalGradient(f, w, { h, method, coordinates });
  else throw new OptionError('gradientCheck needs f (the objective) or numerical (finite differences)');
  if (numerical.length !== coordinates.length) {
    throw new OptionError(`numerical gave ${numerical.length} values for ${coordinates.length} coordinates`);
  }
  const rows: GradientCheckRow[] = [];
  let max = 0, sum = 0, maxFree = -Infinity, kinked = 0;
  for (let k = 0; k < coordinates.length; k++) {
    const index = coordinates[k]!;
    const a = analytic[index]!;
    const num = numerical[k]!;
    const e = relativeError(a, num);
    const kinkCrossed = options.kinks ? options.kinks(index, h, method) : 0;
    rows.push({ index, row: Math.floor(index / cols), col: index % cols, analytic: a, numerical: num,
      relativeError: e, kinkCrossed });
    max = e > max || Number.isNaN(e) ? e : max;
    sum += e;
    if (kinkCrossed > 0) kinked++;
    else maxFree = e > maxFree || Number.isNaN(e) ? e : maxFree;
  }
  if (maxFree === -Infinity) maxFree = NaN;
  const decisive = kinked === rows.length ? max : maxFree;
  return {
    rows, h, method,
    maxRelativeError: max,
    meanRelativeError: rows.length > 0 ? sum / rows.length : 0,
    kinked,
    maxRelativeErrorKinkFree: maxFree,
    verdict: readRelativeError(decisive),
  };
}

function chooseCoordinates(length: number, options: GradientCheckOptions): Int32Array {
  if (options.coordinates) return Int32Array.from(options.coordinates);
  if (options.samples === undefined) return Int32Array.from({ length }, (_, i) => i);
  const samples = options.samples;
  if (!(Number.isInteger(samples) && samples >= 1)) {
    throw new OptionError(`samples must be a positive integer, got ${samples}`);
  }
  if (!options.rng) throw new OptionError('samples needs an rng (a seeded Random) to draw coordinates');
  if (samples >= length) return Int32Array.from({ length }, (_, i) => i);
  const picked = new Set<number>();
  const out = new Int32Array(samples);
  for (let k = 0; k < samples;) {
    const i = options.rng.int(length);
    if (picked.has(i)) continue;
    picked.add(i);
    out[k++] = i;
  }
  return out;
}
