/**
 * Crammer–Singer multiclass SVM (LIBLINEAR's `-s 4`): only the strongest wrong class counts.
 *
 *   L_i = max(0, Δ + max_{j≠y_i} s_j − s_{y_i})
 *   L   = (1/N) Σ_i L_i + reg·Σ W²                  (no ½: the penalty's gradient is 2·reg·W)
 *
 *   with k = the competitor, argmax_{j≠y_i} s_j, and m = Δ + s_k − s_{y_i}:
 *   ∂L_i/∂s_k = 1[m > 0],   ∂L_i/∂s_{y_i} = −1[m > 0],   0 elsewhere
 *
 * Kink conventions, shared by every backend so ties agree bit for bit on integer-valued data:
 * a margin of exactly 0 takes subgradient 0 (as the Weston–Watkins SVM's), and when several
 * wrong classes share the largest score the competitor is the lowest class index among them
 * (numpy's argmax, ONNX ArgMax's default, tfjs's argMax).
 */
import { linearClassifierLoss, validateLossArguments } from './linear.js';
import type { LossAndGradient, LossValue, Matrix, RowLoss } from './linear.js';

export interface CrammerSingerOptions {
  /** L2 strength: penalty reg·ΣW². */
  readonly reg: number;
  /** Margin Δ, default 1. */
  readonly delta?: number;
}

/**
 * The competitor of a row: the lowest index among the largest scores of the wrong classes at
 * scores[offset .. offset+C); −1 when there is no wrong class (C = 1).
 */
export function crammerSingerCompetitor(scores: Float64Array, offset: number, label: number, classes: number): number {
  let best = -1;
  for (let j = 0; j < classes; j++) {
    if (j === label) continue;
    if (best < 0 || scores[offset + j]! > scores[offset + best]!) best = j;
  }
  return best;
}

/**
 * One row's loss max(0, Δ + max_{j≠y} s_j − s_y) from scores[offset .. offset+C); writes
 * ∂L_i/∂s into dScores[offset ..] when given (a margin strictly > 0 counts; 0 is the kink).
 */
export function crammerSingerRowLoss(scores: Float64Array, offset: number, label: number, classes: number,
  delta: number, dScores?: Float64Array): number {
  if (dScores) dScores.fill(0, offset, offset + classes);
  const k = crammerSingerCompetitor(scores, offset, label, classes);
  if (k < 0) return 0;
  const margin = scores[offset + k]! - scores[offset + label]! + delta;
  if (!(margin > 0)) return 0;
  if (dScores) {
    dScores[offset + k] = 1;
    dScores[offset + label] = -1;
  }
  return margin;
}

/** The Crammer–Singer row loss with Δ fixed, in the shape linearClassifierLoss takes. */
export function crammerSingerRowLossWithDelta(delta: number): RowLoss {
  return (scores, offset, label, classes, dScores) => crammerSingerRowLoss(scores, offset, label, classes, delta, dScores);
}

/** L = (1/N) Σ_i max(0, Δ + max_{j≠y_i} x_i·w_j − x_i·w_{y_i}) + reg·ΣW², float64. */
export function crammerSingerLoss(x: Matrix, y: Int32Array, w: Float64Array, n: number, d: number, c: number,
  options: CrammerSingerOptions): LossValue {
  const delta = options.delta ?? 1;
  validateLossArguments(x, y, w, n, d, c, options.reg, delta);
  return linearClassifierLoss(crammerSingerRowLossWithDelta(delta), x, y, w, n, d, c, options.reg, false);
}

/** crammerSingerLoss and ∂L/∂W = (1/N) Xᵀ·dS + 2·reg·W with dS from crammerSingerRowLoss, float64. */
export function crammerSingerLossAndGradient(x: Matrix, y: Int32Array, w: Float64Array, n: number, d: number,
  c: number, options: CrammerSingerOptions): LossAndGradient {
  const delta = options.delta ?? 1;
  validateLossArguments(x, y, w, n, d, c, options.reg, delta);
  const r = linearClassifierLoss(crammerSingerRowLossWithDelta(delta), x, y, w, n, d, c, options.reg, true);
  return { loss: r.loss, dataLoss: r.dataLoss, regLoss: r.regLoss, gradient: r.gradient! };
}
