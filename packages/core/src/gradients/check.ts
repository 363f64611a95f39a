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
 * such coordinates are reported as kinked rather than as failures; `crammerSingerKinkCounter`
 * does the same for the Crammer–Singer hinge, whose competitor can change too.
 *
 * Precision: those thresholds assume both gradients are exact to float64's 1e-16. A float32
 * backend's are not, so each coordinate also has an absolute error floor (floor.ts): the
 * largest disagreement rounding alone can explain. A coordinate within its floor agrees as far
 * as the precision can tell; the relative-error thresholds read the coordinates beyond it. When
 * every coordinate is within its floor, the check is only as good as the floor is small: 'good'
 * when the best-resolved coordinate (largest |a|, |n|) would show a relative error of 1e-4
 * ('suspect'), else 'inconclusive', with the reason — typically finite differences of a float32
 * loss at h = 1e-5, which move it by less than its rounding.
 */
import type { Objective, Precision } from '../backend.js';
import { OptionError } from '../errors.js';
import type { Random } from '../random.js';
import { scoresOfValidated, validateLossArguments } from '../losses/linear.js';
import type { Matrix } from '../losses/linear.js';
import { FLOOR_ROUNDOFFS, floorRoundoffs, unitRoundoff } from './floor.js';
import { numericalGradient } from './numerical.js';
import type { FiniteDifference, ScalarFunction } from './numerical.js';

/** |a − n| / max(|a|, |n|), 0 when both are 0 (NaN if either is NaN). */
export function relativeError(a: number, n: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(n));
  if (scale === 0) return 0;
  return Math.abs(a - n) / scale;
}

/**
 * 'inconclusive': every coordinate agrees within the error floor of its precision, but that
 * floor is too coarse to show a relative error of 1e-4 (see gradientCheck).
 */
export type RelativeErrorLabel = 'good' | 'ok-kinked' | 'suspect' | 'wrong' | 'inconclusive';

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

/**
 * A kink counter for the Crammer–Singer SVM at W on (x, y), scores computed once in float64.
 *
 * Row r's loss max(0, max_{k≠y} m_rk) (margins m_rk = s_rk − s_ry + Δ) has two kinds of kink:
 * the largest margin crossing 0, and the competitor (the largest wrong class, lowest index on
 * ties) changing. Probing W + t·E_ij moves every margin by −t·x_ri when j = y_r, else margin j
 * alone by +t·x_ri. A row counts when its subgradient (active or not, and which competitor)
 * differs between the two probe points: t ∈ {−h, +h} centered, {0, +h} forward.
 */
export function crammerSingerKinkCounter(x: Matrix, y: Int32Array, w: Float64Array, n: number, d: number, c: number,
  delta = 1): KinkCounter {
  validateLossArguments(x, y, w, n, d, c, 0, delta);
  const s = scoresOfValidated(x, w, n, d, c);
  // Per row: the competitor k1 and the runner-up k2 among the wrong classes (−1 when absent).
  const k1 = new Int32Array(n).fill(-1), k2 = new Int32Array(n).fill(-1);
  for (let r = 0; r < n; r++) {
    const o = r * c;
    for (let k = 0; k < c; k++) {
      if (k === y[r]) continue;
      if (k1[r]! < 0 || s[o + k]! > s[o + k1[r]!]!) { k2[r] = k1[r]!; k1[r] = k; }
      else if (k2[r]! < 0 || s[o + k]! > s[o + k2[r]!]!) k2[r] = k;
    }
  }
  return (coordinate, h, method) => {
    if (!(Number.isInteger(coordinate) && coordinate >= 0 && coordinate < d * c)) {
      throw new OptionError(`coordinate ${coordinate} is outside [0, ${d * c})`);
    }
    const i = Math.floor(coordinate / c);
    const j = coordinate - i * c;
    const probes = method === 'forward' ? [0, h] : [-h, h];
    let kinks = 0;
    for (let r = 0; r < n; r++) {
      const xi = x[r * d + i]!;
      if (xi === 0 || k1[r]! < 0) continue;
      const o = r * c;
      const label = y[r]!;
      // The subgradient's pattern at t: competitor index, or −1 when the hinge is inactive.
      const pattern = (t: number): number => {
        if (j === label) return s[o + k1[r]!]! - (s[o + label]! + t * xi) + delta > 0 ? k1[r]! : -1;
        const rival = k1[r] === j ? k2[r]! : k1[r]!;
        const sj = s[o + j]! + t * xi;
        const k = rival < 0 || sj > s[o + rival]! || (sj === s[o + rival]! && j < rival) ? j : rival;
        return (k === j ? sj : s[o + k]!) - s[o + label]! + delta > 0 ? k : -1;
      };
      if (pattern(probes[0]!) !== pattern(probes[1]!)) kinks++;
    }
    return kinks;
  };
}

/** The kink counter of an objective's hinge; undefined for softmax, which has none. */
export function kinkCounterFor(x: Matrix, y: Int32Array, w: Float64Array, n: number, d: number, c: number,
  objective: Objective): KinkCounter | undefined {
  const delta = objective.delta ?? 1;
  switch (objective.loss) {
    case 'svm': return hingeKinkCounter(x, y, w, n, d, c, delta);
    case 'crammer-singer': return crammerSingerKinkCounter(x, y, w, n, d, c, delta);
    case 'softmax': return undefined;
  }
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
  /** Kinks crossed per coordinate (kinkCounterFor); coordinates with kinks may disagree. */
  readonly kinks?: KinkCounter;
  /** The precision each side was computed in, for the error floor; default float64 throughout. */
  readonly precision?: GradientCheckPrecision;
}

/** What the error floor of a check is derived from (floor.ts). */
export interface GradientCheckPrecision {
  /** Precision the analytic gradient was computed in; default 'float64'. */
  readonly analytic?: Precision;
  /**
   * S, the magnitude the analytic gradient's rounding is relative to: the largest sum of
   * |terms| an entry adds up (roundingScale). Default max|analytic|, the gradient's ∞-norm.
   */
  readonly scale?: number;
  /** N, the rows summed into each entry and into the loss: the floor allows K + N/8 roundoffs; default 0. */
  readonly rows?: number;
  /** Extra allowance per coordinate, laid out like w (roundingScale's SVM hinges near a kink). */
  readonly perCoordinate?: ArrayLike<number>;
  /**
   * Precision f computes the objective in (checks that probe f); default: the analytic
   * gradient's. float32: the probes are placed at float32 values (what such a backend stores)
   * and the differences are resolved to about u·|L|/h. `numerical` is taken to be float64
   * differences that do not cancel (linearFiniteDifferences).
   */
  readonly objective?: Precision;
}

/** The error floor of a check: |a − n| rounding alone can explain. */
export interface GradientCheckFloor {
  readonly analyticPrecision: Precision;
  /** Precision of the numerical side: f's, or float64 for `numerical`. */
  readonly numericalPrecision: Precision;
  /** R·u_a·S: the analytic gradient's rounding. */
  readonly analytic: number;
  /** S (see GradientCheckPrecision.scale). */
  readonly scale: number;
  /** N, the rows summed (GradientCheckPrecision.rows). */
  readonly rows: number;
  /** R = K + N/8, the unit roundoffs allowed (floor.ts). */
  readonly roundoffs: number;
  /** R·u_f·|L|/h (×2 forward) for probes of f; R·u₆₄·S for `numerical`. */
  readonly numerical: number;
  /** |L| at w (probes of f only; NaN otherwise). */
  readonly loss: number;
  /** The largest floor of a checked coordinate (analytic + numerical + its own allowance). */
  readonly max: number;
  /** Coordinates (kinked or not) whose |a − n| is within their floor. */
  readonly within: number;
  /** Probes of f that left the loss unchanged (numerical exactly 0 where analytic is not). */
  readonly unchanged: number;
  /**
   * The smallest relative error the check could show: min over the deciding coordinates of
   * floor / max(|a|, |n|). 'good' needs ≤ 1e-4 when no coordinate is beyond its floor.
   */
  readonly resolution: number;
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
  /** The error floor of this coordinate: |analytic − numerical| rounding alone can explain. */
  readonly floor: number;
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
  /** The error floor (see GradientCheckFloor). */
  readonly floor: GradientCheckFloor;
  /**
   * The verdict, decided by the kink-free coordinates (by all when every coordinate crossed a
   * kink: kinked coordinates may legitimately disagree): the reading of the largest relative
   * error among those beyond their error floor; when none is beyond it, 'good' if the floor
   * could show a relative error of 1e-4, else 'inconclusive' with the reason.
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
  const precision = options.precision ?? {};
  if (precision.perCoordinate && precision.perCoordinate.length !== w.length) {
    throw new OptionError(`precision.perCoordinate has ${precision.perCoordinate.length} values, w has ${w.length}`);
  }
  const analyticPrecision = precision.analytic ?? 'float64';
  const coordinates = chooseCoordinates(w.length, options);
  let numerical: Float64Array;
  let numericalPrecision: Precision = 'float64';
  let loss = NaN;
  if (options.numerical) numerical = await options.numerical(coordinates, h, method);
  else if (f) {
    numericalPrecision = precision.objective ?? analyticPrecision;
    numerical = await numericalGradient(f, w, { h, method, coordinates,
      ...(numericalPrecision === 'float32' ? { round: Math.fround } : {}) });
    loss = Math.abs(await f(w));
  } else throw new OptionError('gradientCheck needs f (the objective) or numerical (finite differences)');
  if (numerical.length !== coordinates.length) {
    throw new OptionError(`numerical gave ${numerical.length} values for ${coordinates.length} coordinates`);
  }

  let scale = precision.scale;
  if (scale === undefined) {
    scale = 0;
    for (let k = 0; k < analytic.length; k++) scale = Math.max(scale, Math.abs(analytic[k]!));
  }
  const summed = precision.rows ?? 0;
  const roundoffs = floorRoundoffs(summed);
  const analyticFloor = roundoffs * unitRoundoff(analyticPrecision) * scale;
  const numericalFloor = options.numerical
    ? roundoffs * unitRoundoff('float64') * scale
    : roundoffs * unitRoundoff(numericalPrecision) * loss / h * (method === 'forward' ? 2 : 1);

  const rows: GradientCheckRow[] = [];
  let max = 0, sum = 0, maxFree = -Infinity, kinked = 0, within = 0, unchanged = 0, maxFloor = 0;
  for (let k = 0; k < coordinates.length; k++) {
    const index = coordinates[k]!;
    const a = analytic[index]!;
    const num = numerical[k]!;
    const e = relativeError(a, num);
    const kinkCrossed = options.kinks ? options.kinks(index, h, method) : 0;
    const floor = analyticFloor + numericalFloor + (precision.perCoordinate?.[index] ?? 0);
    rows.push({ index, row: Math.floor(index / cols), col: index % cols, analytic: a, numerical: num,
      relativeError: e, kinkCrossed, floor });
    max = e > max || Number.isNaN(e) ? e : max;
    sum += e;
    maxFloor = Math.max(maxFloor, floor);
    if (Math.abs(a - num) <= floor) within++;
    if (f && !options.numerical && num === 0 && a !== 0) unchanged++;
    if (kinkCrossed > 0) kinked++;
    else maxFree = e > maxFree || Number.isNaN(e) ? e : maxFree;
  }
  if (maxFree === -Infinity) maxFree = NaN;
  const deciding = kinked === rows.length ? rows : rows.filter((r) => r.kinkCrossed === 0);
  let resolution = Infinity;
  for (const r of deciding) {
    const size = Math.max(Math.abs(r.analytic), Math.abs(r.numerical));
    if (size > 0) resolution = Math.min(resolution, r.floor / size);
  }
  const floor: GradientCheckFloor = { analyticPrecision, numericalPrecision, analytic: analyticFloor, scale, rows: summed, roundoffs,
    numerical: numericalFloor, loss, max: maxFloor, within, unchanged, resolution };
  return {
    rows, h, method,
    maxRelativeError: max,
    meanRelativeError: rows.length > 0 ? sum / rows.length : 0,
    kinked,
    maxRelativeErrorKinkFree: maxFree,
    floor,
    verdict: readGradientCheck(deciding, floor, h, rows.length),
  };
}

/**
 * The relative error a check must be able to show for 'good': 5e-4, half the 1e-3 error that
 * must never read good, so such an error stands at least 2× above the floor. CS231n's 'suspect'
 * band starts at 1e-4, but float32 rounding over a few hundred rows already reaches ~1.2e-4 of
 * the largest entry (the web page's default check: 500 rows), and demanding 1e-4 made every
 * float32 check there 'inconclusive'. A 'good' verdict says what it could have shown.
 */
const RESOLUTION_NEEDED = 5e-4;

/**
 * The verdict over the deciding coordinates: CS231n's reading of the worst one beyond its
 * floor; when all are within their floors, 'good' or 'inconclusive' by the floor's resolution.
 */
function readGradientCheck(deciding: readonly GradientCheckRow[], floor: GradientCheckFloor, h: number,
  checked: number): RelativeErrorReading {
  const lowPrecision = floor.analyticPrecision === 'float32' || floor.numericalPrecision === 'float32';
  let worst: GradientCheckRow | undefined;
  for (const r of deciding) {
    const beyond = !(Math.abs(r.analytic - r.numerical) <= r.floor);
    if (beyond && (!worst || !(r.relativeError <= worst.relativeError))) worst = r;
  }
  if (worst) {
    const reading = readRelativeError(worst.relativeError);
    if (!lowPrecision || reading.label === 'good') return reading;
    const err = Math.abs(worst.analytic - worst.numerical);
    return { label: reading.label, explanation: `${reading.explanation} (at W[${worst.row},${worst.col}], |analytic − numerical| = ${fmt(err)}, ${(err / worst.floor).toPrecision(2)}× its error floor ${fmt(worst.floor)} from ${precisionWords(floor)} rounding)` };
  }
  if (deciding.length === 0) return { label: 'inconclusive', explanation: 'no coordinates were checked' };
  if (floor.resolution === Infinity) {
    return { label: 'good', explanation: 'analytic and numerical are both exactly 0 at every coordinate checked: the gradients agree' };
  }
  if (floor.resolution <= RESOLUTION_NEEDED) {
    return { label: 'good', explanation: `every coordinate agrees within its error floor (at most ${fmt(floor.max)}) from ${precisionWords(floor)} rounding, which would show a relative error of ${fmt(Math.max(floor.resolution, 0))}: the gradients agree` };
  }
  const resolved = `so relative errors below ${fmt(floor.resolution)} (floor over the largest entry checked) cannot be seen and a wrong gradient cannot be told from a right one`;
  const rows = floor.rows > 0 ? `, R = ${FLOOR_ROUNDOFFS} + N/8 = ${fmtR(floor.roundoffs)} for N = ${floor.rows} rows` : '';
  if (floor.numerical > floor.analytic) {
    const unchanged = floor.unchanged > 0 ? ` (the probes of ${floor.unchanged} of ${checked} coordinates left it unchanged)` : '';
    return { label: 'inconclusive', explanation: `${floor.numericalPrecision} precision cannot decide: at h = ${h} a ${floor.numericalPrecision} loss (${fmt(floor.loss)}) changes too little next to its rounding${unchanged}; finite differences of it are resolved only to ±${fmt(floor.numerical)} (R·u·|L|/h${rows}), ${resolved}. ${floor.numericalPrecision === 'float32' ? 'Finite differences by linearity (float64) or a float64 backend' : 'A larger h or finite differences by linearity'} can decide` };
  }
  return { label: 'inconclusive', explanation: `${floor.analyticPrecision} precision cannot decide: the ${floor.analyticPrecision} gradient is resolved only to ±${fmt(floor.analytic)} (R·u·S, S = ${fmt(floor.scale)} the largest sum of |terms| an entry adds up${rows}), ${resolved}. Fewer training rows, a point where the gradient is larger${floor.analyticPrecision === 'float32' ? ', or a float64 backend' : ''} can decide` };
}

function fmtR(r: number): string {
  return Number.isInteger(r) ? String(r) : r.toFixed(1);
}

function precisionWords(floor: GradientCheckFloor): string {
  return floor.analyticPrecision === floor.numericalPrecision ? floor.analyticPrecision
    : `${floor.analyticPrecision} and ${floor.numericalPrecision}`;
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
