/**
 * Multiclass SVM (Weston–Watkins hinge), CS231n's `svm_loss`:
 *
 *   L_i = Σ_{j≠y_i} max(0, s_j − s_{y_i} + Δ)
 *   L   = (1/N) Σ_i L_i + reg·Σ W²                  (no ½: the penalty's gradient is 2·reg·W)
 *
 *   ∂L_i/∂s_j     = 1[s_j − s_{y_i} + Δ > 0]         for j ≠ y_i
 *   ∂L_i/∂s_{y_i} = −Σ_{j≠y_i} 1[s_j − s_{y_i} + Δ > 0]
 *
 * Kink convention: at a margin of exactly 0 the hinge is not differentiable; we take the
 * subgradient 0 there (only margins strictly > 0 count). Every backend follows the same rule,
 * so ties — margins exactly 0 — agree bit for bit on integer-valued data.
 */
import { linearClassifierLoss, validateLossArguments } from './linear.js';
import type { LossAndGradient, LossValue, Matrix, RowLoss } from './linear.js';

export interface SvmOptions {
  /** L2 strength: penalty reg·ΣW². */
  readonly reg: number;
  /** Margin Δ, default 1. */
  readonly delta?: number;
}

/**
 * One row's hinge loss Σ_{j≠y} max(0, s_j − s_y + Δ) from scores[offset .. offset+C); writes
 * ∂L_i/∂s into dScores[offset ..] when given (margins strictly > 0 count; 0 is the kink).
 */
export function svmRowLoss(scores: Float64Array, offset: number, label: number, classes: number,
  delta: number, dScores?: Float64Array): number {
  const sy = scores[offset + label]!;
  let loss = 0;
  let active = 0;
  for (let j = 0; j < classes; j++) {
    if (j === label) continue;
    const margin = scores[offset + j]! - sy + delta;
    const on = margin > 0;
    if (on) {
      loss += margin;
      active++;
    }
    if (dScores) dScores[offset + j] = on ? 1 : 0;
  }
  if (dScores) dScores[offset + label] = -active;
  return loss;
}

/** The SVM row loss with Δ fixed, in the shape linearClassifierLoss takes. */
export function svmRowLossWithDelta(delta: number): RowLoss {
  return (scores, offset, label, classes, dScores) => svmRowLoss(scores, offset, label, classes, delta, dScores);
}

/**
 * L = (1/N) Σ_i Σ_{j≠y_i} max(0, x_i·w_j − x_i·w_{y_i} + Δ) + reg·ΣW², float64.
 * x: N×D row-major, y: N labels in [0, C), w: D×C row-major.
 */
export function svmLoss(x: Matrix, y: Int32Array, w: Float64Array, n: number, d: number, c: number,
  options: SvmOptions): LossValue {
  const delta = options.delta ?? 1;
  validateLossArguments(x, y, w, n, d, c, options.reg, delta);
  return linearClassifierLoss(svmRowLossWithDelta(delta), x, y, w, n, d, c, options.reg, false);
}

/**
 * svmLoss and ∂L/∂W = (1/N) Xᵀ·dS + 2·reg·W with dS from svmRowLoss (D×C row-major), float64.
 */
export function svmLossAndGradient(x: Matrix, y: Int32Array, w: Float64Array, n: number, d: number,
  c: number, options: SvmOptions): LossAndGradient {
  const delta = options.delta ?? 1;
  validateLossArguments(x, y, w, n, d, c, options.reg, delta);
  const r = linearClassifierLoss(svmRowLossWithDelta(delta), x, y, w, n, d, c, options.reg, true);
  return { loss: r.loss, dataLoss: r.dataLoss, regLoss: r.regLoss, gradient: r.gradient! };
}
