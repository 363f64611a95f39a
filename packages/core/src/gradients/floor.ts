/**
 * The error floor of a gradient check: how far a correct analytic gradient and a correct
 * numerical one can disagree from rounding alone, given the precision each is computed in.
 * A float32 backend's gradient is right to a few 1e-7 of the magnitudes it adds up, not to
 * 1e-7 of each entry, and a float32 loss changes in steps of its rounding, which finite
 * differences divide by h. Coordinates that agree within the floor agree as far as the
 * precision can tell; the relative-error thresholds read the others.
 *
 *   floor = R·u_a·S                        the analytic gradient's rounding
 *         + R·u_f·|L|/h    (×2 forward)    finite differences of a loss rounded in precision u_f
 *           (R·u₆₄·S instead for float64 differences that do not cancel: linearFiniteDifferences)
 *         + hinge(i, j)                    SVMs: hinge terms within rounding of their kink
 *   R = K + N/8                            roundoffs allowed: K = 64, N the rows summed
 *
 * u: the unit roundoff, 2⁻²⁴ for float32 and 2⁻⁵³ for float64; |L| the loss at W; h the step.
 * S is the largest entry of the absolute-value gradient
 *
 *   S = max_ij (1/N)·Σ_r |x_ri|·|∂L_r/∂s_rj| + 2·reg·|w_ij|
 *
 * — the magnitude of the terms an entry sums, which bounds the rounding of the sum
 * (|fl(Σt) − Σt| ≤ γ_N·Σ|t|, γ_N ≈ N·u) even where the terms cancel and the gradient itself is
 * small (near a minimum). Without the data, S defaults to max|g|, the gradient's ∞-norm.
 *
 * R: summing N rows one after another can lose up to N·u of the magnitudes (the bound above);
 * most backends sum in blocks or pairs and stay within a few u at any N, but one measured
 * (tfjs-wasm, SVM) grows as 0.044·N·u·S; N/8 covers it threefold, and K covers the rest of the
 * arithmetic (exp, log, the penalty, W's own rounding to float32).
 *
 * For the SVM, a margin within the scores' rounding of 0 may sit on either side of its kink
 * in the backend, which moves entry (i, j) by |x_ri|/N in column j and in the label's column:
 * those amounts, for margins with |m_rj| ≤ K·u·(A_rj + A_ry + Δ), A_rk = Σ_i |x_ri|·|w_ik| (what
 * score s_rk adds up), are added per coordinate. The Crammer–Singer hinge has the same kink
 * for its one margin (competitor k against the label) and a second one: two wrong classes
 * whose scores tie within rounding, |s_rk − s_rk'| ≤ K·u·(A_rk + A_rk'), may swap roles, which
 * moves entries (i, k) and (i, k') by |x_ri|/N while the hinge is active (each class so tied
 * with the competitor, however many).
 *
 * Measured (float32 backends ts, onnx-cpu, onnx-wasm, tfjs-cpu, tfjs-wasm against float64
 * differences; softmax and SVM; random W at scales 1e-3 … 1 and a trained W; 50 to 9000 rows;
 * embedded Fashion-MNIST and a CIFAR-10 folder): the analytic error stayed under 0.35 of R·u·S,
 * and the backend loss's differences under 7·u·|L|/h at h = 1e-5 (16 at h = 1e-2). At the
 * default 500 rows, R·u₃₂ ≈ 7.5e-6 of S, so a gradient off by 1e-3 relative still stands out.
 * The N/8 is pessimistic for the backends that sum in blocks (onnx-cpu stays near 1·u·S at
 * 9000 rows), so float32 checks of a few thousand rows read 'inconclusive'. A floor measured
 * instead (the spread between the gradient over the rows in two orders) was tried and set
 * aside: it misses the systematic part, tfjs-wasm's SVM error being 5.5× that spread at 9000
 * rows.
 */
import { hasMargin, type Objective, type Precision } from '../backend.js';
import { validateLossArguments, type Matrix } from '../losses/linear.js';

/** Unit roundoff u: 2⁻²⁴ (float32), 2⁻⁵³ (float64). */
export function unitRoundoff(precision: Precision): number {
  return precision === 'float32' ? 2 ** -24 : 2 ** -53;
}

/** K: unit roundoffs in the error floor besides the N/8 of summing N rows (see above). */
export const FLOOR_ROUNDOFFS = 64;

/** R = K + N/8: unit roundoffs allowed for a quantity that sums N rows. */
export function floorRoundoffs(rows: number): number {
  return FLOOR_ROUNDOFFS + Math.max(0, rows) / 8;
}

/** How large the rounding of an analytic gradient computed from (x, y, W) can be. */
export interface RoundingScale {
  /** S: the largest entry of the absolute-value gradient (see above). */
  readonly scale: number;
  /** N: the rows each entry sums. */
  readonly rows: number;
  /** Per entry of W (D×C): hinge terms within rounding of their kink; zeros for softmax. */
  readonly perCoordinate: Float64Array;
}

/**
 * S and the hinges' per-coordinate allowance for an analytic gradient computed in `precision`
 * from x (N×D), y, W (D×C): one float64 pass over the rows, O(N·D·C).
 */
export function roundingScale(x: Matrix, y: Int32Array, w: Float64Array, n: number, d: number, c: number,
  objective: Objective, precision: Precision): RoundingScale {
  validateLossArguments(x, y, w, n, d, c, objective.reg, objective.delta);
  const u = unitRoundoff(precision);
  const delta = objective.delta ?? 1;
  const m = new Float64Array(d * c);
  const perCoordinate = new Float64Array(d * c);
  const s = new Float64Array(c), a = new Float64Array(c), weight = new Float64Array(c);
  const absW = w.map(Math.abs);
  const hinge = hasMargin(objective.loss);
  for (let r = 0; r < n; r++) {
    s.fill(0);
    a.fill(0);
    const xo = r * d;
    for (let i = 0; i < d; i++) {
      const xi = x[xo + i]!;
      if (xi === 0) continue;
      const ax = Math.abs(xi);
      for (let k = 0; k < c; k++) {
        s[k]! += xi * w[i * c + k]!;
        if (hinge) a[k]! += ax * absW[i * c + k]!;
      }
    }
    const label = y[r]!;
    const allow = (k: number) => {
      for (let i = 0; i < d; i++) perCoordinate[i * c + k]! += Math.abs(x[xo + i]!) / n;
    };
    const near = (v: number, magnitude: number) => Math.abs(v) <= FLOOR_ROUNDOFFS * u * magnitude;
    if (objective.loss === 'crammer-singer') {
      weight.fill(0);
      let k1 = -1;
      for (let k = 0; k < c; k++) if (k !== label && (k1 < 0 || s[k]! > s[k1]!)) k1 = k;
      if (k1 >= 0) {
        const margin = s[k1]! - s[label]! + delta;
        if (margin > 0) weight[k1] = weight[label] = 1;
        if (near(margin, a[k1]! + a[label]! + Math.abs(delta))) { allow(k1); allow(label); }
        if (margin > -FLOOR_ROUNDOFFS * u * (a[k1]! + a[label]! + Math.abs(delta))) {
          // Every wrong class within rounding of the competitor may be the one the backend picks.
          let tied = false;
          for (let k = 0; k < c; k++) {
            if (k === label || k === k1 || !near(s[k1]! - s[k]!, a[k1]! + a[k]!)) continue;
            allow(k);
            tied = true;
          }
          if (tied) allow(k1);
        }
      }
    } else if (objective.loss === 'softmax') {
      let max = -Infinity;
      for (let k = 0; k < c; k++) max = Math.max(max, s[k]!);
      let sum = 0;
      for (let k = 0; k < c; k++) sum += (weight[k] = Math.exp(s[k]! - max));
      for (let k = 0; k < c; k++) weight[k] = Math.abs(weight[k]! / sum - (k === label ? 1 : 0));
    } else {
      let active = 0;
      for (let k = 0; k < c; k++) {
        if (k === label) continue;
        const margin = s[k]! - s[label]! + delta;
        weight[k] = margin > 0 ? 1 : 0;
        if (margin > 0) active++;
        if (near(margin, a[k]! + a[label]! + Math.abs(delta))) { allow(k); allow(label); }
      }
      weight[label] = active;
    }
    for (let i = 0; i < d; i++) {
      const ax = Math.abs(x[xo + i]!);
      if (ax === 0) continue;
      for (let k = 0; k < c; k++) m[i * c + k]! += ax * weight[k]!;
    }
  }
  let scale = 0;
  for (let k = 0; k < d * c; k++) scale = Math.max(scale, m[k]! / n + 2 * objective.reg * absW[k]!);
  return { scale, rows: n, perCoordinate };
}
