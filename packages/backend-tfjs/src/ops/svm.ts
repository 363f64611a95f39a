/**
 * The multiclass SVM (Weston–Watkins) from ops; tfjs's hingeLoss is binary and does not apply.
 * margin_ij = s_ij − s_{i,y_i} + Δ for j ≠ y_i (0 at j = y_i), L_i = Σ_j max(0, margin_ij).
 * Subgradient, as core's reference: a margin strictly > 0 counts (1 at j, −1 at y_i); a margin
 * of exactly 0 is the kink and counts 0.
 */
import type { Scalar, Tensor2D } from '@tensorflow/tfjs-core';
import type { Tf } from '../engine.js';

export interface SvmParts {
  /** Σ_i L_i over the batch. */
  readonly lossSum: Scalar;
  /** B×C margins, 0 in each row's label column. */
  readonly margins: Tensor2D;
}

/** Forward pass. onehot is B×C float32. relu's own gradient is 0 at 0, the same convention. */
export function svmForward(tf: Tf, s: Tensor2D, onehot: Tensor2D, delta: number): SvmParts {
  const sy = tf.sum(tf.mul(s, onehot), 1, true);
  const margins = tf.mul(tf.add(tf.sub(s, sy), delta), tf.sub(1, onehot)) as Tensor2D;
  return { lossSum: tf.sum(tf.relu(margins)) as Scalar, margins };
}

/** dL_i/ds: active − onehot·(active count per row), active = 1[margin > 0]. B×C, not yet /B. */
export function svmDScores(tf: Tf, parts: SvmParts, onehot: Tensor2D): Tensor2D {
  const active = tf.cast(tf.greater(parts.margins, 0), 'float32');
  return tf.sub(active, tf.mul(onehot, tf.sum(active, 1, true))) as Tensor2D;
}
