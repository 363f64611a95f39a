/**
 * Softmax classifier (cross-entropy), CS231n's `softmax_loss`:
 *
 *   L_i = −log( e^{s_{y_i}} / Σ_j e^{s_j} ) = log Σ_j e^{s_j − m} − (s_{y_i} − m),  m = max_j s_j
 *   L   = (1/N) Σ_i L_i + reg·Σ W²                  (no ½: the penalty's gradient is 2·reg·W)
 *
 *   ∂L_i/∂s_j = p_j − 1[j = y_i],   p_j = e^{s_j − m} / Σ_k e^{s_k − m}
 *
 * Subtracting the row maximum m makes every exponent ≤ 0, so nothing overflows and the sum is
 * ≥ 1 (no log of 0): scores of ±1e4 give exact, finite losses (e.g. 2e4, not Infinity).
 */
import { linearClassifierLoss, validateLossArguments } from './linear.js';
import type { LossAndGradient, LossValue, Matrix } from './linear.js';

export interface SoftmaxOptions {
  /** L2 strength: penalty reg·ΣW². */
  readonly reg: number;
}

/**
 * One row's cross-entropy log Σ_j e^{s_j − m} − (s_y − m) from scores[offset .. offset+C);
 * writes ∂L_i/∂s = p − onehot(y) into dScores[offset ..] when given.
 */
export function softmaxRowLoss(scores: Float64Array, offset: number, label: number, classes: number,
  dScores?: Float64Array): number {
  let m = -Infinity;
  for (let j = 0; j < classes; j++) m = Math.max(m, scores[offset + j]!);
  let sum = 0;
  for (let j = 0; j < classes; j++) sum += Math.exp(scores[offset + j]! - m);
  const logSum = Math.log(sum);
  if (dScores) {
    for (let j = 0; j < classes; j++) dScores[offset + j] = Math.exp(scores[offset + j]! - m - logSum);
    dScores[offset + label]! -= 1;
  }
  return logSum - (scores[offset + label]! - m);
}

/**
 * L = (1/N) Σ_i −log softmax(x_i·W)_{y_i} + reg·ΣW², float64.
 * x: N×D row-major, y: N labels in [0, C), w: D×C row-major.
 */
export function softmaxLoss(x: Matrix, y: Int32Array, w: Float64Array, n: number, d: number, c: number,
  options: SoftmaxOptions): LossValue {
  validateLossArguments(x, y, w, n, d, c, options.reg);
  return linearClassifierLoss(softmaxRowLoss, x, y, w, n, d, c, options.reg, false);
}

/** softmaxLoss and ∂L/∂W = (1/N) Xᵀ·(P − Y) + 2·reg·W (D×C row-major), float64. */
export function softmaxLossAndGradient(x: Matrix, y: Int32Array, w: Float64Array, n: number, d: number,
  c: number, options: SoftmaxOptions): LossAndGradient {
  validateLossArguments(x, y, w, n, d, c, options.reg);
  const r = linearClassifierLoss(softmaxRowLoss, x, y, w, n, d, c, options.reg, true);
  return { loss: r.loss, dataLoss: r.dataLoss, regLoss: r.regLoss, gradient: r.gradient! };
}
