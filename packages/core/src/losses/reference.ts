/**
 * The oracle in the backends' own terms: an Objective evaluated over all rows of (x, y) in
 * float64 by the reference losses. The pure-TS float64 backend and every conformance test
 * compare against this.
 */
import type { Objective } from '../backend.js';
import { linearClassifierLoss, validateLossArguments } from './linear.js';
import type { LossValue, Matrix, RowLoss } from './linear.js';
import { crammerSingerRowLossWithDelta } from './crammer-singer.js';
import { softmaxRowLoss } from './softmax.js';
import { svmRowLossWithDelta } from './svm.js';
import { validateObjective } from './validate.js';

export interface ReferenceEvaluation extends LossValue {
  /** ∂L/∂W, D×C row-major, when asked. */
  readonly gradient?: Float64Array;
}

/** The reference row loss of an objective (Δ = objective.delta ?? 1 for the hinges). */
export function rowLossOf(objective: Objective): RowLoss {
  const delta = objective.delta ?? 1;
  switch (objective.loss) {
    case 'svm': return svmRowLossWithDelta(delta);
    case 'crammer-singer': return crammerSingerRowLossWithDelta(delta);
    case 'softmax': return softmaxRowLoss;
  }
}

/**
 * L(W) over all N rows for objective.loss ('svm' or 'crammer-singer' with Δ =
 * objective.delta ?? 1, or 'softmax'), plus reg·ΣW²; the gradient when wantGradient. To
 * evaluate a selection of rows, gather them first (`gatherRows`).
 */
export function evaluateReference(x: Matrix, y: Int32Array, w: Float64Array, n: number, d: number,
  c: number, objective: Objective, wantGradient: boolean): ReferenceEvaluation {
  validateObjective(objective);
  const delta = objective.delta ?? 1;
  validateLossArguments(x, y, w, n, d, c, objective.reg, delta);
  return linearClassifierLoss(rowLossOf(objective), x, y, w, n, d, c, objective.reg, wantGradient);
}

/** One line per objective, for help texts and menus. */
export const LOSS_DESCRIPTIONS: Readonly<Record<Objective['loss'], string>> = Object.freeze({
  svm: 'multiclass SVM: L_i = Σ_{j≠y} max(0, s_j − s_y + Δ); subgradient counts margins > 0 only',
  softmax: 'softmax cross-entropy: L_i = −log(e^{s_y} / Σ_j e^{s_j}), computed as log-sum-exp minus s_y',
  'crammer-singer': 'Crammer–Singer SVM: L_i = max(0, Δ + max_{j≠y} s_j − s_y); the lowest index wins ties, margin 0 counts 0',
});
