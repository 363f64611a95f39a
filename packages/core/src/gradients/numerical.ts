/**
 * Numerical gradients by finite differences, CS231n's `eval_numerical_gradient`:
 *
 *   forward:  ∂f/∂w_k ≈ (f(w + h·e_k) − f(w)) / h              error O(h)
 *   centered: ∂f/∂w_k ≈ (f(w + h·e_k) − f(w − h·e_k)) / (2h)     error O(h²)
 *
 * The divisor is the step actually taken, ((w_k + h) − (w_k − h)) rather than 2h, so the
 * rounding of w_k ± h in float64 does not bias the quotient. An objective that stores w in
 * lower precision (a float32 backend rounds every weight to float32) takes a different step:
 * with `round` (Math.fround for float32) the probes are placed at round(w_k ± h), which that
 * objective sees unchanged, and the divisor is the step between those rounded points. (Without
 * it, at |w_k| = 1 and h = 1e-5 a float32 backend's step is off by up to 0.6%.) w is probed in
 * place and each coordinate is restored to its exact original bits after its probes, even if f
 * throws.
 */
import { OptionError } from '../errors.js';

export type FiniteDifference = 'forward' | 'centered';

/** A scalar objective of w; may be async (a backend evaluation). */
export type ScalarFunction = (w: Float64Array) => Promise<number> | number;

export interface NumericalGradientOptions {
  /** Step, default 1e-5. */
  readonly h?: number;
  /** Default 'centered'. */
  readonly method?: FiniteDifference;
  /** Which coordinates to probe (flat indices into w); default every coordinate in order. */
  readonly coordinates?: Int32Array | readonly number[];
  /**
   * How f stores each weight (Math.fround for a float32 backend): probes at round(w_k ± h),
   * divided by the rounded step. A step that rounds away entirely (h below the spacing of
   * the stored values at w_k) leaves f unchanged; the quotient is then taken over the nominal
   * step and is 0 up to f's noise.
   */
  readonly round?: (v: number) => number;
}

/**
 * Finite-difference partial derivatives of f at w.
 *
 * Returns one value per probed coordinate, in the order of `options.coordinates`
 * (result[k] ≈ ∂f/∂w[coordinates[k]]). Without coordinates every index of w is probed in
 * order, so the result is the full gradient laid out like w.
 *
 * Cost: one f call per coordinate for 'forward' (plus one at w), two for 'centered'.
 */
export async function numericalGradient(f: ScalarFunction, w: Float64Array,
  options: NumericalGradientOptions = {}): Promise<Float64Array> {
  const h = options.h ?? 1e-5;
  const method = options.method ?? 'centered';
  if (!(Number.isFinite(h) && h > 0)) throw new OptionError(`h must be a finite number > 0, got ${h}`);
  if (method !== 'forward' && method !== 'centered') {
    throw new OptionError(`method must be 'forward' or 'centered', got '${String(method)}'`);
  }
  const coordinates = options.coordinates ?? Int32Array.from({ length: w.length }, (_, i) => i);
  for (let k = 0; k < coordinates.length; k++) {
    const i = coordinates[k]!;
    if (!(Number.isInteger(i) && i >= 0 && i < w.length)) {
      throw new OptionError(`coordinate ${i} at position ${k} is outside [0, ${w.length})`);
    }
  }
  const round = options.round ?? ((v: number) => v);
  const out = new Float64Array(coordinates.length);
  const f0 = method === 'forward' ? await f(w) : 0;
  for (let k = 0; k < coordinates.length; k++) {
    const i = coordinates[k]!;
    const old = w[i]!;
    try {
      const up = round(old + h);
      w[i] = up;
      const fUp = await f(w);
      if (method === 'forward') {
        const base = round(old);
        out[k] = (fUp - f0) / (up !== base ? up - base : h);
      } else {
        const down = round(old - h);
        w[i] = down;
        const fDown = await f(w);
        out[k] = (fUp - fDown) / (up !== down ? up - down : 2 * h);
      }
    } finally {
      w[i] = old;
    }
  }
  return out;
}
