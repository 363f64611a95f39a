/**
 * The objective on a batch, as tfjs ops (call inside tf.tidy):
 *   L(W) = (1/B) Σ_i L_i(x_i·W, y_i) + reg·ΣW²
 *
 * 'analytic' (default): dL/dW = X_bᵀ·(dS/B) + 2·reg·W, the product taken as (dSᵀ·X_b)ᵀ so
 * tfjs never transposes the big operand. Measured (Node 20, 1 core, N=10000, D=3073, C=10):
 * on wasm matMul(X, dS, transposeA) takes 279 ms, an Xᵀ stored once 34 ms, (dSᵀ·X)ᵀ 33 ms;
 * on cpu all three are within 10%. So no Xᵀ is stored: same speed, half the memory, and a
 * minibatch gathers rows of X (contiguous) rather than columns of Xᵀ (93 vs 22 ms on wasm).
 *
 * 'autodiff': tf.valueAndGrad of the loss written as a plain forward pass, an independent second
 * gradient for gradient checks (relu's gradient at 0 is 0: the same kink convention).
 * Row losses: svm.ts, softmax.ts, crammer-singer.ts.
 */
import type { Scalar, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import type { Objective } from '@descent/core';
import type { Tf } from '../engine.js';
import { crammerSingerDScores, crammerSingerForward, crammerSingerPair, marginOffset } from './crammer-singer.js';
import { ensureGradients } from './gradients.js';
import { oneHotRows } from './one-hot.js';
import { softmaxDScores, softmaxForward } from './softmax.js';
import { svmDScores, svmForward } from './svm.js';

export const GRADIENT_MODES = ['analytic', 'autodiff'] as const;
export type GradientMode = (typeof GRADIENT_MODES)[number];

export interface ObjectiveTensors {
  readonly dataLoss: Scalar;
  readonly regLoss: Scalar;
  /** D×C, when asked for. */
  readonly gradient?: Tensor2D;
}

/** A batch: its rows of X (B×D) and labels (B, int32). */
export interface Batch {
  readonly x: Tensor2D;
  readonly y: Tensor1D;
}

/** Loss and optionally gradient at w (D×C float32) over the batch. */
export function objectiveTensors(tf: Tf, batch: Batch, w: Tensor2D, objective: Objective,
  gradient: GradientMode | undefined): ObjectiveTensors {
  const count = batch.x.shape[0];
  const onehot = oneHotRows(tf, batch.y, w.shape[1]);
  const regLossOf = (v: Tensor2D): Scalar => tf.mul(tf.sum(tf.square(v)), objective.reg);
  if (gradient === 'autodiff') return autodiff(tf, batch.x, onehot, w, objective, regLossOf);
  const parts = forward(tf, tf.matMul(batch.x, w), onehot, objective);
  const dataLoss = tf.div(parts.lossSum, count) as Scalar;
  const regLoss = regLossOf(w);
  if (gradient === undefined) return { dataLoss, regLoss };
  const ds = tf.div(parts.dScores(), count);
  const dataGrad = tf.transpose(tf.matMul(tf.transpose(ds), batch.x)) as Tensor2D;
  return { dataLoss, regLoss, gradient: tf.add(dataGrad, tf.mul(w, 2 * objective.reg)) as Tensor2D };
}

/** The summed row losses, and dS (B×C, not yet /B) from what the forward pass kept. */
function forward(tf: Tf, s: Tensor2D, onehot: Tensor2D, objective: Objective): { lossSum: Scalar; dScores: () => Tensor2D } {
  switch (objective.loss) {
    case 'svm': {
      const parts = svmForward(tf, s, onehot, objective.delta ?? 1);
      return { lossSum: parts.lossSum, dScores: () => svmDScores(tf, parts, onehot) };
    }
    case 'crammer-singer': {
      const parts = crammerSingerForward(tf, s, onehot, objective.delta ?? 1);
      return { lossSum: parts.lossSum, dScores: () => crammerSingerDScores(tf, parts) };
    }
    case 'softmax': {
      const parts = softmaxForward(tf, s, onehot);
      return { lossSum: parts.lossSum, dScores: () => softmaxDScores(tf, parts, onehot) };
    }
  }
}

/**
 * The loss as a function of W alone, differentiated by tfjs's tape. The softmax shift m (each
 * row's max score) is taken at the current W and held constant: the loss does not depend on
 * it, so neither does its gradient, and the tape needs no rule for Max. Likewise the
 * Crammer–Singer competitor (an index, piecewise constant in W) is chosen at the current W.
 */
function autodiff(tf: Tf, x: Tensor2D, onehot: Tensor2D, w: Tensor2D, objective: Objective,
  regLossOf: (v: Tensor2D) => Scalar): ObjectiveTensors {
  ensureGradients(tf);
  const count = x.shape[0];
  const m = objective.loss === 'softmax' ? tf.max(tf.matMul(x, w), 1, true) : undefined;
  const pair = objective.loss === 'crammer-singer' ? crammerSingerPair(tf, tf.matMul(x, w), onehot) : undefined;
  const dataLossOf = (v: Tensor2D): Scalar => {
    const s = tf.matMul(x, v);
    let perRow: Tensor2D;
    if (pair) {
      const margins = tf.add(tf.sum(tf.mul(s, pair), 1, true), marginOffset(w.shape[1], objective.delta ?? 1));
      perRow = tf.relu(margins) as Tensor2D;
    } else if (m) {
      const z = tf.sub(s, m);
      perRow = tf.sub(tf.log(tf.sum(tf.exp(z), 1, true)), tf.sum(tf.mul(z, onehot), 1, true));
    } else {
      const margins = tf.mul(tf.add(tf.sub(s, tf.sum(tf.mul(s, onehot), 1, true)), objective.delta ?? 1), tf.sub(1, onehot));
      perRow = tf.sum(tf.relu(margins), 1, true);
    }
    return tf.div(tf.sum(perRow), count);
  };
  const data = tf.valueAndGrad(dataLossOf)(w);
  const reg = tf.valueAndGrad(regLossOf)(w);
  return { dataLoss: data.value, regLoss: reg.value, gradient: tf.add(data.grad, reg.grad) as Tensor2D };
}
