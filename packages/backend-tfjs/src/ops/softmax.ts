/**
 * Softmax cross-entropy from ops, numerically stable: with z = s − max_j s_j,
 * L_i = logΣ_j e^{z_ij} − z_{i,y_i}, and dL_i/ds_ij = e^{z_ij − lse_i} − 1[j = y_i].
 * Shifting first keeps z_y exact (s and its row max are close), so a loss near 0 at scores
 * of 1e4 is not lost to float32 rounding of lse.
 */
import type { Tensor2D, Scalar } from '@tensorflow/tfjs-core';
import type { Tf } from '../engine.js';

export interface SoftmaxParts {
  /** Σ_i L_i over the batch. */
  readonly lossSum: Scalar;
  readonly z: Tensor2D;
  /** logΣ_j e^{z_ij}, B×1. */
  readonly lse: Tensor2D;
}

/** Forward pass: the summed loss and what the gradient reuses. onehot is B×C float32. */
export function softmaxForward(tf: Tf, s: Tensor2D, onehot: Tensor2D): SoftmaxParts {
  const z = tf.sub(s, tf.max(s, 1, true)) as Tensor2D;
  const lse = tf.logSumExp(z, 1, true) as Tensor2D;
  const lossSum = tf.sum(tf.sub(lse, tf.sum(tf.mul(z, onehot), 1, true))) as Scalar;
  return { lossSum, z, lse };
}

/** dL_i/ds = p − onehot, p = e^{z − lse}: B×C (not yet divided by B). */
export function softmaxDScores(tf: Tf, parts: SoftmaxParts, onehot: Tensor2D): Tensor2D {
  return tf.sub(tf.exp(tf.sub(parts.z, parts.lse)), onehot) as Tensor2D;
}
